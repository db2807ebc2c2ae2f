/**
 * English texts for Alibaba Cloud errors: for each known code, one line saying what happened and
 * one saying what to do next. Plain text (no Slack markup): the Slack layer renders and escapes.
 *
 * Placeholders (filled by explainFailure from its context; a missing one becomes a neutral phrase):
 * {instanceId} {status} {engine} {method} {dbName} {retryAfter} {action} {resetTime}.
 * Write them where either a value or the neutral phrase reads well: {instanceId}, {action},
 * {retryAfter} and {resetTime} as noun phrases never opening a sentence; {status}, {engine},
 * {method} and {dbName} after a label ("current state: {status}").
 */
import type { ErrorCategory, KnownErrorCode } from "../domain/api-errors.js";
import type { Outcome } from "../domain/api-failure.js";

export const PLACEHOLDERS = [
  "instanceId",
  "status",
  "engine",
  "method",
  "dbName",
  "retryAfter",
  "action",
  "resetTime",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export interface ErrorText {
  /** What happened, in one short line. */
  readonly what: string;
  /** What to do next, in one short line. */
  readonly next: string;
}

export type ErrorCatalog = Readonly<Record<KnownErrorCode, ErrorText>>;

/** The words around the per-code texts. */
export interface ExplainStrings {
  /** Heading of the reply, by what is known to have happened on the server. */
  readonly title: Readonly<Record<Outcome, string>>;
  readonly categoryLabel: Readonly<Record<ErrorCategory, string>>;
  /** "next" for a code the catalog does not know. */
  readonly categoryNext: Readonly<Record<ErrorCategory, string>>;
  /** "what" for a code the catalog does not know. */
  readonly unknownWhat: (code: string, apiMessage: string | undefined) => string;
  /** Put before "next" when the call may have run although it failed (timeout, dropped connection). */
  readonly outcomeUnknownNote: string;
  /** Put in place of a placeholder the context does not fill. */
  readonly fallback: Readonly<Record<Placeholder, string>>;
  /** A wait of this many seconds (whole, positive), for {retryAfter}. */
  readonly duration: (seconds: number) => string;
}

const CLOUD_SUPPORT =
  "Try again later; if it keeps failing, contact Alibaba Cloud support with the RequestId.";
const SERVER_FAULT =
  "Try again in a few minutes; if it keeps failing, contact Alibaba Cloud support with the RequestId.";

export const API_ERRORS_EN: ErrorCatalog = {
  // --- CreateBackup: 400 ---
  "BackupType.NotSupport": {
    what: "This instance does not support the chosen BackupType.",
    next: "Leave BackupType at Auto; FullBackup is only for SQL Server with BackupMethod Physical.",
  },
  "InvalidBackupMethod.ValueNotSupport": {
    what: "The backup method is not supported here (BackupMethod: {method}, engine: {engine}).",
    next: "Choose another method: Physical works on every engine, Logical on MySQL only, Snapshot needs cloud disks.",
  },
  ReadDBInstanceNotSupport: {
    what: "Backups cannot be created on this type of instance (for example, a read-only instance).",
    next: "Back up the primary instance instead.",
  },
  "IncorrectDBInstanceLockMode.ValueNotSupported": {
    what: "The instance is locked (for example: expired, overdue payment or full storage), so it cannot be backed up.",
    next: "Check the lock reason in the console; renew, pay or expand the storage to unlock it, then ask again.",
  },
  BackupJobExists: {
    what: "A backup task is already running on {instanceId}.",
    next: "Wait for it to finish (follow it in the console under Backup and Restoration), then ask again.",
  },
  "InvalidPreferredBackupTime.Format": {
    what: "The API reports an invalid preferred backup time, a setting of the automatic backup policy.",
    next: "Check the backup time in the backup policy (console: Backup and Restoration), then try again.",
  },
  "InvalidDBName.Format": {
    what: "The specified database name is not valid (DBName: {dbName}).",
    next: "Give names of databases that exist on the instance, comma-separated, with BackupStrategy db.",
  },
  "Order.ComboInstanceNotAllowOperate": {
    what: "The instance was bought as part of a package and cannot be operated on its own.",
    next: "Manage it through the package it belongs to, or ask Alibaba Cloud support how to back it up.",
  },
  "Price.PricingPlanResultNotFound": {
    what: "Alibaba Cloud's pricing system found no price plan for this operation.",
    next: CLOUD_SUPPORT,
  },
  "Order.NoRealNameAuthentication": {
    what: "The Alibaba Cloud account has not completed real-name verification.",
    next: "Ask the account owner to complete real-name verification in the account center.",
  },
  InsufficientAvailableQuota: {
    what: "The account's available credit is below zero.",
    next: "Ask the account owner to top up the account or settle overdue bills, then try again.",
  },
  "CommodityServiceCalling.Exception": {
    what: "An internal Alibaba Cloud service (the commodity service) failed to answer.",
    next: CLOUD_SUPPORT,
  },
  RegionDissolvedEOM: {
    what: "Alibaba Cloud is closing this region and no longer accepts new orders or operations in it.",
    next: "Plan to move the instance to another region; ask Alibaba Cloud support about its backups.",
  },
  "Commodity.InvalidComponent": {
    what: "Alibaba Cloud's order system reports an invalid component for this instance.",
    next: "Check the instance's configuration and orders in the console; contact Alibaba Cloud support if it persists.",
  },
  RegionEndTimeDissolvedAustralia: {
    what: "Services in the Australia (Sydney) region are being discontinued (end date: September 30, 2024).",
    next: "Move the instance to another region; ask Alibaba Cloud support about access to existing backups.",
  },
  "Price.CommoditySys": {
    what: "Alibaba Cloud's commodity (pricing) system raised an error.",
    next: CLOUD_SUPPORT,
  },
  "Pay.InsufficientBalance": {
    what: "The account's available balance is insufficient.",
    next: "Ask the account owner to add funds to the Alibaba Cloud account, then try again.",
  },
  "Order.PeriodInvalid": {
    what: "The order system rejected the subscription period.",
    next: "Check the instance's subscription period and renewal settings in the console; ask support if unsure.",
  },
  "pay.noCreditCard": {
    what: "No credit card is linked to the Alibaba Cloud account.",
    next: "Ask the account owner to add a credit card as a payment method.",
  },
  "Order.InstHasUnpaidOrder": {
    what: "An unpaid order for this service blocks new orders.",
    next: "Pay or cancel the unpaid order in the console (Orders), then try again.",
  },
  noAvailablePaymentMethod: {
    what: "The Alibaba Cloud account has no payment method.",
    next: "Ask the account owner to add a payment method to the account.",
  },
  BasicInfoUncompleted: {
    what: "The account's basic information is incomplete.",
    next: "Ask the account owner to complete the account information in the account center.",
  },
  "Risk.RiskControlRejection": {
    what: "Alibaba Cloud's risk control rejected the request: the account is flagged as abnormal.",
    next: "Ask the account owner to contact Alibaba Cloud support to review the account.",
  },
  "Api.NotSupport": {
    what: "The API says this call is not supported here (for this instance or region).",
    next: "Check that the instance's edition supports manual backups; use the console or ask Alibaba Cloud support.",
  },
  ContainForbiddenLabelError: {
    what: "The account or instance carries a label that forbids placing orders.",
    next: "Contact your Alibaba Cloud reseller (distributor) for help.",
  },
  "InvalidDBInstanceId.NotFound": {
    what: "The API cannot find {instanceId} in this account and region.",
    next: "Check the instance ID and region (the instance may have been released), then file a new request.",
  },
  "InvalidInstanceLevel.DiskType": {
    what: "The instance's edition does not support this backup on its storage type (BackupMethod: {method}).",
    next: "Choose a method the storage supports: Snapshot needs cloud disks (ESSD); use Physical on local SSD.",
  },
  InvalidParam: {
    what: "A parameter was rejected; on PostgreSQL this can mean the instance still has logical replication slots.",
    next: "Check the backup parameters and the API's message; if it mentions logical slots, drop unused ones.",
  },
  KmsApiError: {
    what: "The KMS key this instance uses for encryption is invalid.",
    next: "Ask an administrator to check the instance's key in Key Management Service (KMS).",
  },
  "System.SaleValidateFailed": {
    what: "Alibaba Cloud's sales validation system failed.",
    next: CLOUD_SUPPORT,
  },
  "Abs.InvalidAccount.NotFound": {
    what: "Alibaba Cloud cannot find the account behind the bot's credentials.",
    next: "Check which account the bot's AccessKey or role belongs to; if it is right, contact Alibaba Cloud support.",
  },
  SqlExecuteFailedOrTimeout: {
    what: "A SQL command that RDS ran on the instance for this operation failed or timed out.",
    next: "Check the instance's load and the API's message, then try again when the instance is less busy.",
  },
  "ColdData.EngineVersionNotSupport": {
    what: "The instance's engine version does not support cold data (tiered storage).",
    next: "Check the instance's cold data settings, or upgrade the engine version, then try again.",
  },
  "ColdData.MinorVersionNotSupport": {
    what: "The instance's minor engine version does not support cold data (tiered storage).",
    next: "Upgrade the instance's minor version in the console, then try again.",
  },
  IncorrectTargetClasscode: {
    what: "The instance type does not support this operation.",
    next: "Check the instance type and edition in the console; another backup method or instance type may be needed.",
  },
  "InvalidConnectionString.Duplicate": {
    what: "The API reports a duplicate connection string, which a backup request does not set.",
    next: "Check for a pending connection change on the instance; otherwise contact Alibaba Cloud support with the RequestId.",
  },
  "RequiredParam.NotFound": {
    what: "A required parameter is missing from the request.",
    next: "File the request again with an instance ID; if it fails again, report it to the bot's maintainers with the RequestId.",
  },
  "Parameters.Invalid": {
    what: "The API rejected one of the backup parameters.",
    next: "Check BackupMethod, BackupStrategy, DBName and BackupType against the instance's engine, then file a new request.",
  },
  BackupPolicyNotSupport: {
    what: "The backup policy conflicts: cold data cannot be used with cross-region backup or flash backup.",
    next: "Review the instance's backup policy in the console (Backup and Restoration), then try again.",
  },
  "InvalideStatus.Format": {
    what: "The instance's state does not allow this operation (current state: {status}).",
    next: "Wait until the instance is Running and no other task is in progress, then ask again.",
  },
  "InvalidReleasedKeepPolicy.Format": {
    what: "The API reports an invalid policy for keeping backups after the instance is released.",
    next: "Check the setting for keeping backups after release in the backup policy (console), then try again.",
  },
  "InvalidDBInstanceEngineType.Format": {
    what: "This backup is not supported for the instance's engine type (engine: {engine}).",
    next: "CreateBackup supports MySQL, PostgreSQL, SQL Server and MariaDB; check the engine and the chosen options.",
  },
  "Pay.NoCreditCard": {
    what: "The Alibaba Cloud account has no credit card on file.",
    next: "Ask the account owner to add a credit card in the account's payment settings.",
  },
  VpcNetworkTypeNotSupport: {
    what: "This operation is not supported for instances in a VPC network.",
    next: "Back up this instance from the console, or ask Alibaba Cloud support which backups its network type allows.",
  },
  MirrorInsExists: {
    what: "A mirror instance of this instance already exists, which blocks this operation.",
    next: "Wait for any clone or migration of the instance to finish, then try again; contact support if it persists.",
  },
  UnsupportedClassCode: {
    what: "The instance's instance type is no longer sold and does not support this operation.",
    next: "Change the instance to a current instance type in the console, then try again.",
  },
  InvalidBackupSet: {
    what: "A specified database does not exist in the backup set (DBName: {dbName}).",
    next: "Compare the names with the databases on the instance, then file a new request.",
  },
  OrdTCommodityQueryError: {
    what: "Alibaba Cloud's order system could not look up the product.",
    next: CLOUD_SUPPORT,
  },
  ProductInstanceReleased: {
    what: "The instance has been released and no longer exists.",
    next: "Choose an existing instance; backups kept after release are listed in the console.",
  },
  RegionEndTimeDissolvedIndia: {
    what: "Alibaba Cloud no longer supports this region (India).",
    next: "Move the workload to another region; ask Alibaba Cloud support about existing backups.",
  },
  // --- CreateBackup: 500 ---
  ExternalFailure: {
    what: "An Alibaba Cloud service that RDS depends on failed.",
    next: SERVER_FAULT,
  },
  RequestMetaDataFailed: {
    what: "The RDS service failed to process the request.",
    next: SERVER_FAULT,
  },
  InvokeProxyFailure: {
    what: "The service behind the RDS API failed.",
    next: SERVER_FAULT,
  },
  // --- CreateBackup: 403 ---
  "OperationDenied.ApiForbidden": {
    what: "Alibaba Cloud does not allow this account to call this API.",
    next: "Ask the account administrator or Alibaba Cloud support whether the API is restricted for the account.",
  },
  IncorrectDBInstanceEngine: {
    what: "This operation is not supported for the instance's engine (engine: {engine}).",
    next: "Check the engine and the chosen backup method; if they are supported, check whether the instance is locked.",
  },
  IncorrectDBInstanceType: {
    what: "The instance's engine and type do not support this operation (engine: {engine}).",
    next: "Check the instance's edition and storage type, choose options it supports (e.g. Physical), and file a new request.",
  },
  IncorrectDBInstanceState: {
    what: "The instance is not Running, so it cannot be backed up now (current state: {status}).",
    next: "Wait until the instance is Running, then ask again.",
  },
  IncorrectDBInstanceCharacterType: {
    what: "The instance's character type does not support this operation.",
    next: "Back up the primary instance instead, or check the instance's type in the console.",
  },
  "Exceeded.BackupTimes": {
    what: "This instance already has 20 backup sets today, the daily limit per instance.",
    next: "Try again after the count resets ({resetTime}): the limit is per calendar day, and the API does not name the time zone.",
  },
  "OrderStatus.UnPaid": {
    what: "The instance has an unpaid order.",
    next: "Pay or cancel the instance's unpaid order in the console, then ask again.",
  },
  InvalidReduceDiskSize: {
    what: "The API reports a storage scale-down below the used space, which a backup does not request.",
    next: "Check for a pending storage change on the instance: the new size must be larger than the used space.",
  },
  CloudSSDNotSupport: {
    what: "Instances on SSD cloud disks (cloud_ssd) do not support this operation.",
    next: "Upgrade the instance's storage to ESSD in the console, or use another backup method.",
  },
  InvalidUserOperatorPermission: {
    what: "The bot's identity is not permitted to perform this operation on the instance.",
    next: "Ask an administrator to grant {action} on this instance to the bot's RAM user or role.",
  },
  InvalidVswitchId: {
    what: "The API reports an invalid vSwitch ID for the instance's connection.",
    next: "Check the instance's network (VPC and vSwitch) in the console; if it looks right, contact support with the RequestId.",
  },
  IncorrectMinorVersion: {
    what: "The instance's minor engine version does not support this operation.",
    next: "Upgrade the minor version in the console, then file a new request.",
  },
  "OperationDenied.ZoneResource": {
    what: "The instance's zone has no resources available for this operation.",
    next: "Try again later; if it persists, ask Alibaba Cloud support about resources in the zone.",
  },
  NotInFlowController: {
    what: "The account is not allowed to use this feature (it is not on the feature's allow list).",
    next: "Ask Alibaba Cloud support to enable the feature for the account, or use another backup method.",
  },
  InvalidKmsKey: {
    what: "The KMS key this instance uses for encryption is disabled.",
    next: "Ask an administrator to enable the key in Key Management Service (KMS), then try again.",
  },
  "InvalidInstanceLevel.Malformed": {
    what: "The instance's edition does not support this operation.",
    next: "Check the instance's edition in the console (Basic Edition has limits) and choose options it supports.",
  },
  // --- CreateBackup: 404 ---
  "InvalidDBInstanceName.NotFound": {
    what: "The API reports that {instanceId} does not exist.",
    next: "Check the instance ID (the instance may have been released or be in another region) and file a new request.",
  },
  "InvalidDB.NotFound": {
    what: "The database does not exist, or its state does not allow this operation (DBName: {dbName}).",
    next: "Check the databases on the instance (a logical backup needs at least one), then file a new request.",
  },
  InvalidClusterKms: {
    what: "The instance is not authorized to access Key Management Service (KMS).",
    next: "Ask an administrator to authorize RDS to access KMS (the RDS service role), then try again.",
  },
  "Request.NotFound": {
    what: "The requested resource is not available.",
    next: "Check the instance ID and region; if they are right, contact Alibaba Cloud support with the RequestId.",
  },
  "HostInfo.NotFound": {
    what: "RDS cannot find the host information of this instance.",
    next: CLOUD_SUPPORT,
  },
  // --- Any Alibaba Cloud call ---
  Throttling: {
    what: "Alibaba Cloud is throttling the bot's requests (too many calls).",
    next: "Wait {retryAfter}, then try again.",
  },
  "Throttling.User": {
    what: "Calls from this Alibaba Cloud account exceeded the account's rate limit.",
    next: "Wait {retryAfter}, then try again; if other tools share the account, spread their calls out.",
  },
  "Throttling.Api": {
    what: "This API's rate limit was exceeded.",
    next: "Wait {retryAfter}, then try again.",
  },
  "Rejected.Throttling": {
    what: "Alibaba Cloud turned the request away because too many calls arrived (throttling).",
    next: "Wait {retryAfter}, then try again; if other tools share the account, spread their calls out.",
  },
  ServiceUnavailable: {
    what: "The RDS service is temporarily unavailable.",
    next: "Try again in a few minutes; if it continues, check the Alibaba Cloud status page.",
  },
  InternalError: {
    what: "Alibaba Cloud hit an internal error.",
    next: SERVER_FAULT,
  },
  GatewayTimeout: {
    what: "A gateway in front of Alibaba Cloud timed out (HTTP 504).",
    next: "Try again in a few minutes; if it repeats, contact Alibaba Cloud support.",
  },
  InvalidResponse: {
    what: "Alibaba Cloud answered with a response the bot could not read.",
    next: "Try again later; if it repeats, report it to the bot's maintainers with the RequestId.",
  },
  SignatureDoesNotMatch: {
    what: "Alibaba Cloud rejected the request signature: the bot's AccessKey secret is probably wrong.",
    next: "Ask the bot's operator to check the configured AccessKey pair and the server's clock.",
  },
  "InvalidAccessKeyId.NotFound": {
    what: "The bot's AccessKey ID does not exist.",
    next: "Ask the bot's operator to configure a valid AccessKey or RAM role for the bot.",
  },
  "InvalidAccessKeyId.Inactive": {
    what: "The bot's AccessKey is disabled.",
    next: "Ask an administrator to enable the AccessKey in the RAM console, or to issue a new one.",
  },
  "Forbidden.RAM": {
    what: "The bot's RAM user or role is not allowed to perform {action}.",
    next: "Ask an administrator to attach a RAM policy that allows {action} to the bot's RAM user or role.",
  },
  NoPermission: {
    what: "The bot's RAM user or role lacks the permission for {action}.",
    next: "Ask an administrator to grant {action} to the bot's RAM user or role, then try again.",
  },
  "InvalidSecurityToken.Expired": {
    what: "The bot's temporary credentials (STS token) have expired, so nothing was done.",
    next: "Ask the bot's operator to renew them, best with a RAM role that renews itself (RRSA, ECS), then ask again.",
  },
  InvalidCredentials: {
    what: "The bot has no usable Alibaba Cloud credentials.",
    next: "Ask the bot's operator to configure an AccessKey or a RAM role for the bot (see its start-up log).",
  },
  CredentialsUnavailable: {
    what: "The bot could not get working Alibaba Cloud credentials, so nothing was sent to RDS.",
    next: "Ask the bot's operator to fix its credentials (its log and /readyz name the cause), then try again.",
  },
  Timeout: {
    what: "Alibaba Cloud did not answer in time.",
    next: "If no backup started, try again in a few minutes.",
  },
  ECONNREFUSED: {
    what: "The bot could not connect to the Alibaba Cloud endpoint (connection refused).",
    next: "Try again later; if it persists, ask the bot's operator to check the endpoint setting and the network.",
  },
  ENOTFOUND: {
    what: "The bot could not resolve the Alibaba Cloud endpoint's host name (DNS).",
    next: "Ask the bot's operator to check the region, endpoint and DNS settings, then try again.",
  },
  EAI_AGAIN: {
    what: "A temporary DNS failure kept the bot from reaching Alibaba Cloud.",
    next: "Try again in a minute; if it persists, ask the bot's operator to check DNS.",
  },
  ECONNRESET: {
    what: "The connection to Alibaba Cloud was dropped.",
    next: "If no backup started, try again in a few minutes.",
  },
  BadGateway: {
    what: "Alibaba Cloud answered with a gateway error instead of an API answer.",
    next: "If no backup started, try again in a few minutes; if it repeats, contact Alibaba Cloud support.",
  },
};

export const EXPLAIN_EN: ExplainStrings = {
  title: {
    rejected: "The backup was not created",
    not_sent: "The request did not reach Alibaba Cloud",
    unknown: "Unclear whether the backup started",
  },
  categoryLabel: {
    fix_request: "Fix the request",
    retry_later: "Try again later",
    permission: "Check permissions",
    account_billing: "Check the account or billing",
    cloud_side: "Problem on Alibaba Cloud's side",
  },
  categoryNext: {
    fix_request: "Check the instance and the backup parameters, then file a new request.",
    retry_later: "Wait a little while, then try again.",
    permission: "Ask an administrator to check the bot's RAM permissions and credentials.",
    account_billing:
      "Check the account's billing and status in the Alibaba Cloud console, or contact Alibaba Cloud support.",
    cloud_side: CLOUD_SUPPORT,
  },
  unknownWhat: (code, apiMessage) =>
    apiMessage === undefined
      ? `The call to Alibaba Cloud failed with the error ${code}.`
      : `The call to Alibaba Cloud failed with the error ${code}: ${apiMessage}`,
  outcomeUnknownNote:
    "It is not known whether the backup started: check Backup and Restoration in the console before asking again.",
  fallback: {
    instanceId: "this instance",
    status: "unknown",
    engine: "unknown",
    method: "unknown",
    dbName: "unknown",
    retryAfter: "a little while",
    action: "the RAM action this call needs",
    resetTime: "tomorrow",
  },
  duration: (seconds) => {
    if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
    const minutes = Math.ceil(seconds / 60);
    if (minutes < 60) return minutes === 1 ? "about 1 minute" : `about ${minutes} minutes`;
    const hours = Math.ceil(minutes / 60);
    return hours === 1 ? "about 1 hour" : `about ${hours} hours`;
  },
};
