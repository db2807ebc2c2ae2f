/**
 * Every id Slack sends back to us, in one place (the contract's "Slack surface").
 * Input blocks are named after the CreateBackup parameter they fill.
 */
export const COMMAND = "/rds-backup";

export const REQUEST_MODAL_CALLBACK_ID = "rds_backup_request";
export const REJECT_MODAL_CALLBACK_ID = "rds_backup_reject_reason";

export const APPROVE_ACTION_ID = "approve_backup";
export const REJECT_ACTION_ID = "reject_backup";
export const CANCEL_ACTION_ID = "cancel_backup";

/** The element inside each input block. Kept constant so values survive `views.update`. */
export const INPUT_ACTION_ID = "value";
export const REASON_BLOCK_ID = "reason";

export const DECISION_BLOCK_ID = "decision";
