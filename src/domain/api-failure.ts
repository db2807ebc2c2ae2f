/**
 * A failed Alibaba Cloud call, as the rest of the bot sees it: the API's code and message, the
 * RequestId for support, and what is known about whether anything happened on the server.
 * The RDS layer builds these from the SDK's errors; nothing above it sees an SDK error.
 */
export type Outcome =
  /** The request never reached the API (DNS failure, refused connection): safe to send again. */
  | "not_sent"
  /** The API answered with an error: nothing was created. */
  | "rejected"
  /** Sent, but no answer (timeout, dropped connection, a 5xx without a body): it may have run. */
  | "unknown";

export interface ApiFailureInfo {
  /** The API's error code (`BackupJobExists`) or a transport code (`Timeout`, `ECONNREFUSED`). */
  code: string;
  /** The API's own message, without the SDK's decoration. */
  message: string;
  httpStatus?: number | undefined;
  requestId?: string | undefined;
  /** The `Recommend` diagnosis link the API sometimes adds. */
  recommend?: string | undefined;
  outcome: Outcome;
  /** Worth trying again later (throttling, a passing server fault); never true for a business error. */
  transient: boolean;
  /** Seconds to wait, when the API said (throttling). */
  retryAfterSeconds?: number | undefined;
  /** The instance's status just after the failure, when the error was about its state. */
  instanceStatus?: string | undefined;
}

export class ApiFailure extends Error implements ApiFailureInfo {
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly recommend: string | undefined;
  readonly outcome: Outcome;
  readonly transient: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(info: ApiFailureInfo, options?: ErrorOptions) {
    super(info.message, options);
    this.name = "ApiFailure";
    this.code = info.code;
    this.httpStatus = info.httpStatus;
    this.requestId = info.requestId;
    this.recommend = info.recommend;
    this.outcome = info.outcome;
    this.transient = info.transient;
    this.retryAfterSeconds = info.retryAfterSeconds;
  }

  /** A plain record for the store and the log (no stack, no cause). */
  toInfo(): ApiFailureInfo {
    return {
      code: this.code,
      message: this.message,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      recommend: this.recommend,
      outcome: this.outcome,
      transient: this.transient,
      retryAfterSeconds: this.retryAfterSeconds,
    };
  }
}
