/**
 * Every id Slack sends back to us, in one place (the contract's "Slack surface").
 * Input blocks are named after the CreateBackup parameter they fill.
 */
export const COMMAND = "/rds-backup";

export const REQUEST_MODAL_CALLBACK_ID = "rds_backup_request";
/** The global shortcut ("Request an RDS backup"): opens the request form, like the bare command. */
export const REQUEST_SHORTCUT_CALLBACK_ID = "rds_backup_shortcut";
export const REJECT_MODAL_CALLBACK_ID = "rds_backup_reject_reason";

export const APPROVE_ACTION_ID = "approve_backup";
export const REJECT_ACTION_ID = "reject_backup";
export const CANCEL_ACTION_ID = "cancel_backup";
/** The approvers' buttons on a request that needs attention (whether its backup started is unclear). */
export const CHECK_AGAIN_ACTION_ID = "check_backup_again";
export const START_AGAIN_ACTION_ID = "start_backup_again";
export const CLOSE_NOT_STARTED_ACTION_ID = "close_backup_not_started";

/** The element inside each input block. Kept constant so values survive `views.update`. */
export const INPUT_ACTION_ID = "value";
/** The reason: why the requester wants the backup (request form), or why an approver rejects (reject form). */
export const REASON_BLOCK_ID = "reason";
/** The form's start time (a `datetimepicker`; empty: as soon as approved). */
export const RUN_AT_BLOCK_ID = "run_at";

export const DECISION_BLOCK_ID = "decision";
export const ATTENTION_BLOCK_ID = "attention";
