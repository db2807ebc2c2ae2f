/**
 * The error codes the RDS emulator answers with, and their default HTTP status and message.
 *
 * `CREATE_BACKUP_ERRORS` is every code the CreateBackup reference lists, copied from
 * /work/shared/docs/createbackup.md ("Error codes") in the same order, with the API's own (sometimes
 * odd) English. The i18n catalog can be checked against it. `COMMON_ERRORS` are the gateway's own
 * errors that any action can return (signature, throttling, server faults).
 */

export interface RdsErrorCode {
  code: string;
  httpStatus: number;
  message: string;
}

type Row = readonly [code: string, httpStatus: number, message: string];

const toCodes = (rows: readonly Row[]): readonly RdsErrorCode[] =>
  rows.map(([code, httpStatus, message]) => ({ code, httpStatus, message }));

export const CREATE_BACKUP_ERRORS: readonly RdsErrorCode[] = toCodes([
  ["BackupType.NotSupport", 400, "the specified backup type not support"],
  ["InvalidBackupMethod.ValueNotSupport", 400, 'The specified parameter "BackupMethod" is not valid.'],
  ["ReadDBInstanceNotSupport", 400, "The operation is not permitted due to type of the instance."],
  [
    "IncorrectDBInstanceLockMode.ValueNotSupported",
    400,
    "The Current DB instance lock mode does not support this operation.",
  ],
  ["BackupJobExists", 400, "A backup job already exists in the specified DB instance."],
  ["InvalidPreferredBackupTime.Format", 400, "Specified preferred backup time is not valid."],
  ["InvalidDBName.Format", 400, "Specified DB name is not valid."],
  ["Order.ComboInstanceNotAllowOperate", 400, "A package instance is not allowed to operate independently."],
  ["Price.PricingPlanResultNotFound", 400, "Pricing plan price result not found."],
  [
    "Order.NoRealNameAuthentication",
    400,
    "You have not passed the real-name authentication and do not meet the purchase conditions. Please log in to the user center for real-name authentication.",
  ],
  [
    "InsufficientAvailableQuota",
    400,
    "Your account quota limit is less than 0, please recharge before trying to purchase.",
  ],
  ["CommodityServiceCalling.Exception", 400, "Failed to call commodity service."],
  [
    "RegionDissolvedEOM",
    400,
    "Dear customer, Alibaba Cloud plans to optimize and adjust the current region. Cloud services in this region will cease operations. You are currently unable to operate new purchase orders. Thank you for your understanding and support.",
  ],
  ["Commodity.InvalidComponent", 400, "The module you purchased is not legal, please buy it again."],
  [
    "RegionEndTimeDissolvedAustralia",
    400,
    "Cloud services in the Australia (Sydney) region will be discontinued. Set the validity date to September 30, 2024 or earlier than September 30, 2024.",
  ],
  ["Price.CommoditySys", 400, "Commodity system call exception."],
  ["Pay.InsufficientBalance", 400, "Insufficient available balance."],
  ["Order.PeriodInvalid", 400, "There is a problem with the period you selected, please choose again."],
  ["pay.noCreditCard", 400, "Account not bound to credit card."],
  [
    "Order.InstHasUnpaidOrder",
    400,
    "There is an unpaid order for the service you have purchased. Please pay or void it before placing the order.",
  ],
  [
    "noAvailablePaymentMethod",
    400,
    "No payment method is specified for your account. We recommend that you add a payment method.",
  ],
  [
    "BasicInfoUncompleted",
    400,
    "Your information is incomplete. Complete your information before the operation.",
  ],
  [
    "Risk.RiskControlRejection",
    400,
    "Your account is abnormal, please contact customer service for details.",
  ],
  ["Api.NotSupport", 400, "Specified api is not supported."],
  [
    "ContainForbiddenLabelError",
    400,
    "There is a label that prohibits placing orders. Please contact your distributor for assistance.",
  ],
  ["InvalidDBInstanceId.NotFound", 400, "The DBInstanceId provided does not exist in records."],
  ["InvalidInstanceLevel.DiskType", 400, "Specified instance level not support request disk type"],
  [
    "InvalidParam",
    400,
    "Sepcified wal level Parameter is invalid. There are still logical slots in instance, so it can not be set as replica.",
  ],
  ["KmsApiError", 400, "User secret key invalid."],
  ["System.SaleValidateFailed", 400, "Sales expression validation system error."],
  ["Abs.InvalidAccount.NotFound", 400, "account is not found."],
  ["SqlExecuteFailedOrTimeout", 400, "sql command execution failed or timed out:%s."],
  [
    "ColdData.EngineVersionNotSupport",
    400,
    "The current instance engine version not support coldDataEnabled.",
  ],
  ["ColdData.MinorVersionNotSupport", 400, "The current instance minor version not support coldDataEnabled."],
  ["IncorrectTargetClasscode", 400, "The current instance type does not support this operation."],
  ["InvalidConnectionString.Duplicate", 400, "Specified connection string already exists in the RDS."],
  ["RequiredParam.NotFound", 400, "Required input param is not found."],
  ["Parameters.Invalid", 400, "Parameter error, please check the parameters."],
  [
    "BackupPolicyNotSupport",
    400,
    "Cold Data won't open with CrossBackup or Flash Backup, please check Backup Policy.",
  ],
  ["InvalideStatus.Format", 400, "The instance status does not support this operation."],
  ["InvalidReleasedKeepPolicy.Format", 400, "Specified Released Keep Policy is not valid."],
  ["InvalidDBInstanceEngineType.Format", 400, "the DB instance engine type does not support this operation."],
  ["Pay.NoCreditCard", 400, "No credit cards."],
  ["VpcNetworkTypeNotSupport", 400, "The vpc network type instance does not support this operation."],
  ["MirrorInsExists", 400, "Specified DB instance mirror ins already existed."],
  ["UnsupportedClassCode", 400, "The specified DB instance class stops selling."],
  ["InvalidBackupSet", 400, "The specified database does not exist in the backup set."],
  ["OrdTCommodityQueryError", 400, "Failed to query for product."],
  ["ProductInstanceReleased", 400, "The instance has been released. Please check before placing the order."],
  ["RegionEndTimeDissolvedIndia", 400, "The region is no longer supported."],
  ["ExternalFailure", 500, "The request processing has failed due to external service failure."],
  [
    "RequestMetaDataFailed",
    500,
    "The service request failed. Please try again later or contact service personnel.",
  ],
  ["InvokeProxyFailure", 500, "The request processing has failed due to service failure of rds api."],
  ["OperationDenied.ApiForbidden", 403, "operation not permitted."],
  ["IncorrectDBInstanceEngine", 403, "Current DB Instance engine does not support this operation."],
  ["IncorrectDBInstanceType", 403, "Current DB instance engine and type does not support operations."],
  ["IncorrectDBInstanceState", 403, "Current DB instance state does not support this operation."],
  [
    "IncorrectDBInstanceCharacterType",
    403,
    "Current DB Instance character_type does not support this operation.",
  ],
  ["Exceeded.BackupTimes", 403, "The backup times exceeds."],
  ["OrderStatus.UnPaid", 403, "The specified db instance has unpaid order."],
  [
    "InvalidReduceDiskSize",
    403,
    "The storage capacity after the scale-down must be larger than the used amount.",
  ],
  ["CloudSSDNotSupport", 403, "Cloud ssd does not support this operation, please upgrade to essd."],
  ["InvalidUserOperatorPermission", 403, "The user permission does not support this operation."],
  ["InvalidVswitchId", 403, "Specified conn vswitch id is not valid."],
  ["IncorrectMinorVersion", 403, "Current engine minor version does not support operations."],
  ["OperationDenied.ZoneResource", 403, "There is no available zone for inventory."],
  ["NotInFlowController", 403, "Sorry,no permission."],
  ["InvalidKmsKey", 403, "Kms key is disabled."],
  ["InvalidInstanceLevel.Malformed", 403, "Current DB instance level does not support this operation."],
  ["InvalidDBInstanceName.NotFound", 404, "The database instance does not exist."],
  ["InvalidDB.NotFound", 404, "Specified db does not exist or DB status does not support this operation."],
  [
    "InvalidClusterKms",
    404,
    "The current instance does not authorized to access the Key Management Service.",
  ],
  ["Request.NotFound", 404, "The requested resource is not available."],
  ["HostInfo.NotFound", 404, "The specified host info is not found."],
]);

export const COMMON_ERRORS: readonly RdsErrorCode[] = toCodes([
  ["SignatureDoesNotMatch", 400, "Specified signature is not matched with our calculation."],
  ["IncompleteSignature", 400, "The request signature does not conform to Aliyun standards."],
  ["InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."],
  [
    "InvalidSecurityToken.MismatchWithAccessKey",
    400,
    "The security token you provided does not match the access key.",
  ],
  // An STS token past its expiry (the code as src/domain/api-errors.ts knows it; message ours).
  ["InvalidSecurityToken.Expired", 400, "Specified SecurityToken is expired."],
  ["InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired."],
  ["SignatureNonceUsed", 400, "Specified signature nonce was used already."],
  ["InvalidVersion", 400, "Specified parameter Version is not valid."],
  ["InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method."],
  ["MissingDBInstanceId", 400, "DBInstanceId is mandatory for this action."],
  ["MissingRegionId", 400, "RegionId is mandatory for this action."],
  ["InvalidParameter", 400, "The specified parameter is not valid."],
  ["InvalidStartTime.Malformed", 400, "Specified start time is not valid."],
  ["InvalidEndTime.Malformed", 400, "Specified end time is not valid."],
  [
    "Forbidden.RAM",
    403,
    "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
  ],
  ["Throttling", 400, "Request was denied due to request throttling."],
  ["Throttling.User", 400, "Request was denied due to user flow control."],
  ["Throttling.Api", 400, "Request was denied due to api flow control."],
  // Another spelling of throttling (createbackup.md, "What the listings really do"); the message
  // is ours, the reference gives none.
  ["Rejected.Throttling", 400, "Request was denied due to request throttling."],
  ["ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."],
  [
    "InternalError",
    500,
    "The request processing has failed due to some unknown error, exception or failure.",
  ],
]);

const BY_CODE = new Map<string, RdsErrorCode>(
  [...COMMON_ERRORS, ...CREATE_BACKUP_ERRORS].map((e) => [e.code, e]),
);

/** The default status and message of a code; unknown codes get 400 and a generic message. */
export function errorDefaults(code: string): RdsErrorCode {
  return BY_CODE.get(code) ?? { code, httpStatus: 400, message: `The request failed with error ${code}.` };
}
