/**
 * What kind of trouble an Alibaba Cloud error code means, and whether it is worth trying again.
 *
 * Covers every code the CreateBackup reference lists (createbackup.md, "Error codes"), plus the
 * platform and transport errors any Alibaba Cloud call can meet. Pure data and functions: the RDS
 * layer uses it to set `ApiFailureInfo.transient`, the i18n layer to choose the words.
 *
 * `transient` means "the bot may try again by itself later". A business error is never transient,
 * even when the person can try later (`BackupJobExists`, `Exceeded.BackupTimes`): CreateBackup is
 * not idempotent and an API error (4xx) is never retried.
 */

export const ERROR_CATEGORIES = [
  /** The request cannot succeed as sent: change the instance or a parameter. */
  "fix_request",
  /** The request may succeed later: wait (for a task, a state, a quota, a rate limit) and retry. */
  "retry_later",
  /** The bot's identity, credentials or keys lack something an administrator must grant. */
  "permission",
  /** The Alibaba Cloud account: billing, payment, verification, orders. */
  "account_billing",
  /** A fault or decision on Alibaba Cloud's side: wait, or contact support. */
  "cloud_side",
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export interface ApiErrorClass {
  readonly category: ErrorCategory;
  /** Worth retrying automatically later (throttling, a passing server or network fault). */
  readonly transient: boolean;
}

const FIX: ApiErrorClass = Object.freeze({ category: "fix_request", transient: false });
const LATER: ApiErrorClass = Object.freeze({ category: "retry_later", transient: false });
const LATER_TRANSIENT: ApiErrorClass = Object.freeze({ category: "retry_later", transient: true });
const PERMISSION: ApiErrorClass = Object.freeze({ category: "permission", transient: false });
const BILLING: ApiErrorClass = Object.freeze({ category: "account_billing", transient: false });
const CLOUD: ApiErrorClass = Object.freeze({ category: "cloud_side", transient: false });
const CLOUD_TRANSIENT: ApiErrorClass = Object.freeze({ category: "cloud_side", transient: true });

/** The 74 codes of the CreateBackup reference, in its order. */
const CREATE_BACKUP_ERRORS = {
  // 400
  "BackupType.NotSupport": FIX,
  "InvalidBackupMethod.ValueNotSupport": FIX,
  ReadDBInstanceNotSupport: FIX,
  // Locked: expired subscription, overdue payment or full storage; waiting alone does not help.
  "IncorrectDBInstanceLockMode.ValueNotSupported": BILLING,
  BackupJobExists: LATER,
  "InvalidPreferredBackupTime.Format": FIX,
  "InvalidDBName.Format": FIX,
  "Order.ComboInstanceNotAllowOperate": BILLING,
  "Price.PricingPlanResultNotFound": CLOUD,
  "Order.NoRealNameAuthentication": BILLING,
  InsufficientAvailableQuota: BILLING,
  "CommodityServiceCalling.Exception": CLOUD,
  RegionDissolvedEOM: CLOUD,
  "Commodity.InvalidComponent": BILLING,
  RegionEndTimeDissolvedAustralia: CLOUD,
  "Price.CommoditySys": CLOUD,
  "Pay.InsufficientBalance": BILLING,
  "Order.PeriodInvalid": BILLING,
  "pay.noCreditCard": BILLING,
  "Order.InstHasUnpaidOrder": BILLING,
  noAvailablePaymentMethod: BILLING,
  BasicInfoUncompleted: BILLING,
  "Risk.RiskControlRejection": BILLING,
  "Api.NotSupport": FIX,
  ContainForbiddenLabelError: BILLING,
  "InvalidDBInstanceId.NotFound": FIX,
  "InvalidInstanceLevel.DiskType": FIX,
  InvalidParam: FIX,
  KmsApiError: PERMISSION,
  "System.SaleValidateFailed": CLOUD,
  "Abs.InvalidAccount.NotFound": BILLING,
  SqlExecuteFailedOrTimeout: LATER,
  "ColdData.EngineVersionNotSupport": FIX,
  "ColdData.MinorVersionNotSupport": FIX,
  IncorrectTargetClasscode: FIX,
  "InvalidConnectionString.Duplicate": CLOUD,
  "RequiredParam.NotFound": FIX,
  "Parameters.Invalid": FIX,
  BackupPolicyNotSupport: FIX,
  "InvalideStatus.Format": LATER,
  "InvalidReleasedKeepPolicy.Format": FIX,
  "InvalidDBInstanceEngineType.Format": FIX,
  "Pay.NoCreditCard": BILLING,
  VpcNetworkTypeNotSupport: FIX,
  MirrorInsExists: LATER,
  UnsupportedClassCode: FIX,
  InvalidBackupSet: FIX,
  OrdTCommodityQueryError: CLOUD,
  ProductInstanceReleased: FIX,
  RegionEndTimeDissolvedIndia: CLOUD,
  // 500
  ExternalFailure: CLOUD_TRANSIENT,
  RequestMetaDataFailed: CLOUD_TRANSIENT,
  InvokeProxyFailure: CLOUD_TRANSIENT,
  // 403
  "OperationDenied.ApiForbidden": PERMISSION,
  IncorrectDBInstanceEngine: FIX,
  IncorrectDBInstanceType: FIX,
  IncorrectDBInstanceState: LATER,
  IncorrectDBInstanceCharacterType: FIX,
  "Exceeded.BackupTimes": LATER,
  "OrderStatus.UnPaid": BILLING,
  InvalidReduceDiskSize: FIX,
  CloudSSDNotSupport: FIX,
  InvalidUserOperatorPermission: PERMISSION,
  InvalidVswitchId: FIX,
  IncorrectMinorVersion: FIX,
  "OperationDenied.ZoneResource": CLOUD,
  NotInFlowController: PERMISSION,
  InvalidKmsKey: PERMISSION,
  "InvalidInstanceLevel.Malformed": FIX,
  // 404
  "InvalidDBInstanceName.NotFound": FIX,
  "InvalidDB.NotFound": FIX,
  InvalidClusterKms: PERMISSION,
  "Request.NotFound": FIX,
  "HostInfo.NotFound": CLOUD,
} as const satisfies Record<string, ApiErrorClass>;

/** Errors any Alibaba Cloud call can meet, and the transport codes the RDS layer reports. */
const PLATFORM_ERRORS = {
  Throttling: LATER_TRANSIENT,
  "Throttling.User": LATER_TRANSIENT,
  "Throttling.Api": LATER_TRANSIENT,
  /** Another spelling RDS answers with (createbackup.md, "What the listings really do"). */
  "Rejected.Throttling": LATER_TRANSIENT,
  ServiceUnavailable: CLOUD_TRANSIENT,
  InternalError: CLOUD_TRANSIENT,
  /** HTTP 504 without an API code. */
  GatewayTimeout: CLOUD_TRANSIENT,
  /** A 2xx body the SDK could not read: something may have run, so nothing is retried by itself. */
  InvalidResponse: CLOUD,
  SignatureDoesNotMatch: PERMISSION,
  "InvalidAccessKeyId.NotFound": PERMISSION,
  "InvalidAccessKeyId.Inactive": PERMISSION,
  "Forbidden.RAM": PERMISSION,
  NoPermission: PERMISSION,
  "InvalidSecurityToken.Expired": PERMISSION,
  InvalidCredentials: PERMISSION,
  /**
   * No credentials could be had: the chain found none, or the one it found failed (an unreadable
   * OIDC token file, STS out of reach). Raised by the RDS layer (src/rds/client.ts), never sent.
   */
  CredentialsUnavailable: PERMISSION,
  // Transport: no API answer. Whether anything ran is told by ApiFailureInfo.outcome.
  Timeout: LATER_TRANSIENT,
  ECONNREFUSED: LATER_TRANSIENT,
  ENOTFOUND: LATER_TRANSIENT,
  EAI_AGAIN: LATER_TRANSIENT,
  ECONNRESET: LATER_TRANSIENT,
  /** A 5xx whose body is not JSON (an HTML 502 from a gateway). */
  BadGateway: CLOUD_TRANSIENT,
} as const satisfies Record<string, ApiErrorClass>;

const API_ERRORS = { ...CREATE_BACKUP_ERRORS, ...PLATFORM_ERRORS } as const;

export type CreateBackupErrorCode = keyof typeof CREATE_BACKUP_ERRORS;
export type PlatformErrorCode = keyof typeof PLATFORM_ERRORS;
export type KnownErrorCode = keyof typeof API_ERRORS;

export const CREATE_BACKUP_ERROR_CODES = Object.freeze(
  Object.keys(CREATE_BACKUP_ERRORS) as CreateBackupErrorCode[],
);
export const PLATFORM_ERROR_CODES = Object.freeze(Object.keys(PLATFORM_ERRORS) as PlatformErrorCode[]);
/** Every code with a classification (and, in src/i18n, a text in each language). */
export const KNOWN_ERROR_CODES: readonly KnownErrorCode[] = Object.freeze(
  Object.keys(API_ERRORS) as KnownErrorCode[],
);

const BY_LOWER_CASE = new Map<string, KnownErrorCode>(
  KNOWN_ERROR_CODES.map((code) => [code.toLowerCase(), code]),
);

export function isKnownErrorCode(code: string): code is KnownErrorCode {
  return Object.hasOwn(API_ERRORS, code);
}

/**
 * The catalog's spelling of a code: exact first, then ignoring case (the API itself spells
 * `pay.noCreditCard` and `Pay.NoCreditCard`). Undefined for a code the catalog does not know.
 */
export function canonicalErrorCode(code: string): KnownErrorCode | undefined {
  if (isKnownErrorCode(code)) return code;
  return BY_LOWER_CASE.get(code.toLowerCase());
}

/**
 * Throttling, however RDS spells it (`Throttling`, `Throttling.User`, `Throttling.Api`,
 * `Rejected.Throttling`, …): the SDK itself treats any code containing "Throttling" as one
 * (`@alicloud/openapi-core`, `code.includes("Throttling")` → `ThrottlingError`). A refusal that ran
 * nothing, so worth trying again after a wait.
 */
export function isThrottlingCode(code: string): boolean {
  return /throttling/i.test(code);
}

/**
 * The bot's own credentials no longer work (an expired or malformed STS token, a deleted or
 * disabled AccessKey, a wrong secret, a chain that gives nothing): every call will fail the same
 * way until an operator acts, so readiness reports it. A RAM denial (`Forbidden.RAM`) is not one:
 * the credentials work, the policy is short.
 */
export function isCredentialFailure(code: string): boolean {
  return (
    /^(?:InvalidSecurityToken|InvalidAccessKeyId)(?:\.|$)/i.test(code) ||
    ["SignatureDoesNotMatch", "InvalidCredentials", "CredentialsUnavailable"].includes(code)
  );
}

const PERMISSION_PREFIXES = /^(?:Forbidden|NoPermission|InvalidAccessKeyId|InvalidSecurityToken)/i;
/** Node's network error codes (`EPIPE`, `ETIMEDOUT`, `EHOSTUNREACH`, …). */
const TRANSPORT_CODE = /^E[A-Z][A-Z0-9_]+$/;

/**
 * How to treat an error code. Known codes get their catalog entry; for others:
 * a code containing `Throttling` or HTTP 429 → retry_later, transient; an HTTP 5xx → cloud_side, transient;
 * `Forbidden*`, `NoPermission*`, `InvalidAccessKeyId*`, `InvalidSecurityToken*` → permission;
 * any other 4xx → fix_request; no HTTP status and a Node network code (`E…`) → retry_later,
 * transient; anything else → cloud_side, not transient (unknown: the bot must not retry it).
 */
export function classifyApiError(code: string, httpStatus?: number): ApiErrorClass {
  const known = canonicalErrorCode(code);
  if (known !== undefined) return API_ERRORS[known];
  if (isThrottlingCode(code)) return LATER_TRANSIENT;
  const status = typeof httpStatus === "number" && Number.isInteger(httpStatus) ? httpStatus : undefined;
  if (status === 429) return LATER_TRANSIENT;
  if (status !== undefined && status >= 500 && status <= 599) return CLOUD_TRANSIENT;
  if (PERMISSION_PREFIXES.test(code)) return PERMISSION;
  if (status !== undefined && status >= 400 && status <= 499) return FIX;
  if (status === undefined && TRANSPORT_CODE.test(code)) return LATER_TRANSIENT;
  return CLOUD;
}
