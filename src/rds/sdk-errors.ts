/**
 * Turns whatever the Alibaba Cloud SDK throws into an `ApiFailure`: the API's own code and message,
 * and what is known about whether the request was carried out.
 *
 * Pure and duck-typed (no `instanceof` on SDK classes), so it can be tested with plain objects and
 * does not care which copy of `@alicloud/openapi-core` built the error.
 */
import { isThrottlingCode } from "../domain/api-errors.js";
import { ApiFailure, type ApiFailureInfo, type Outcome } from "../domain/api-failure.js";

/** Transport codes for which the request certainly never reached the API. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** TLS failures: nothing was sent, and trying again will not help. */
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;
/** Connection lost after the request may have been written. */
const CUT_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT", "ERR_STREAM_PREMATURE_CLOSE"]);

const MAX_FALLBACK_MESSAGE = 300;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null;
}

/** A string the SDK really got: not empty, not the `${undefined}` it builds from missing fields. */
function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" || trimmed === "undefined" || trimmed === "null" ? undefined : trimmed;
}

/** Replaces each secret with `***`; short values are skipped so ordinary words survive. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join("***");
  }
  return out;
}

/** Is this code/status worth trying again later? Never for an ordinary 4xx business error. */
export function isTransient(code: string, httpStatus: number | undefined): boolean {
  if (isThrottlingCode(code) || code === "ServiceUnavailable") return true;
  return httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429);
}

function statusCode(status: number): string {
  switch (status) {
    case 502:
      return "BadGateway";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "GatewayTimeout";
    case 500:
      return "InternalError";
    default:
      return `HTTP${status}`;
  }
}

function failure(info: ApiFailureInfo, secrets: readonly string[], cause: unknown): ApiFailure {
  return new ApiFailure({ ...info, message: redact(info.message, secrets) }, { cause });
}

/**
 * @param secrets values that must never appear in a message (AccessKey secret, security token).
 */
export function toApiFailure(err: unknown, secrets: readonly string[] = []): ApiFailure {
  if (err instanceof ApiFailure) return err;
  const fields: Fields = isObject(err) ? err : {};
  const name = text(fields.name) ?? "";
  const rawCode = text(fields.code);
  const rawMessage = text(fields.message) ?? "";

  // An HTTP answer from the API: ThrottlingError, ClientError (4xx) or ServerError (5xx).
  if (typeof fields.statusCode === "number") {
    const httpStatus = fields.statusCode;
    const data: Fields = isObject(fields.data) ? fields.data : {};
    const code = text(data.Code) ?? text(data.code) ?? rawCode ?? statusCode(httpStatus);
    const message =
      text(data.Message) ?? text(data.message) ?? `The API answered HTTP ${httpStatus} without a message.`;
    const outcome: Outcome = httpStatus >= 500 ? "unknown" : "rejected";
    // x-acs-retry-after is in milliseconds: the SDK's own retry policy sleeps that many ms.
    const retryAfterMs = typeof fields.retryAfter === "number" ? fields.retryAfter : undefined;
    return failure(
      {
        code,
        message,
        httpStatus,
        requestId: text(data.RequestId) ?? text(data.requestId) ?? text(fields.requestId),
        recommend: text(data.Recommend) ?? text(data.recommend),
        outcome,
        transient: isTransient(code, httpStatus),
        retryAfterSeconds: retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs / 1000 : undefined,
      },
      secrets,
      err,
    );
  }

  // Raised by the SDK before sending: no credential configured at all.
  if (rawCode === "InvalidCredentials" || rawCode === "ParameterMissing") {
    return failure(
      {
        code: rawCode,
        message:
          rawCode === "InvalidCredentials"
            ? "No Alibaba Cloud credentials are configured."
            : "The SDK client is missing a required setting.",
        outcome: "not_sent",
        transient: false,
      },
      secrets,
      err,
    );
  }
  if (
    rawCode === "CredentialsUnavailable" ||
    rawMessage.startsWith("unable to get credentials from any of the providers in the chain")
  ) {
    return failure(
      {
        code: "CredentialsUnavailable",
        message: "The Alibaba Cloud credential chain gave no usable credentials.",
        outcome: "not_sent",
        transient: false,
      },
      secrets,
      err,
    );
  }

  if (name === "RequestTimeoutError" || /^(Read|Connect)Timeout/.test(rawMessage)) {
    // A connect timeout and a read timeout cannot be told apart reliably (httpx uses the socket
    // idle timer for both), so the request may have arrived.
    return failure(
      { code: "Timeout", message: "The API did not answer in time.", outcome: "unknown", transient: true },
      secrets,
      err,
    );
  }

  if (rawCode && NOT_SENT_CODES.has(rawCode)) {
    return failure(
      {
        code: rawCode,
        message: `Could not connect to the API endpoint (${rawCode}).`,
        outcome: "not_sent",
        transient: true,
      },
      secrets,
      err,
    );
  }
  if (rawCode && TLS_CODE.test(rawCode)) {
    return failure(
      {
        code: rawCode,
        message: `The TLS connection to the API endpoint failed (${rawCode}).`,
        outcome: "not_sent",
        transient: false,
      },
      secrets,
      err,
    );
  }
  if ((rawCode && CUT_CODES.has(rawCode)) || /socket hang up/i.test(rawMessage)) {
    const code = rawCode ?? "ECONNRESET";
    return failure(
      {
        code,
        message: `The connection to the API was lost before an answer arrived (${code}).`,
        outcome: "unknown",
        transient: true,
      },
      secrets,
      err,
    );
  }

  // A body that is not JSON: an HTML page from a proxy or load balancer (typically a 502).
  if (err instanceof SyntaxError || name === "SyntaxError") {
    return failure(
      {
        code: "BadGateway",
        message: "The API answered with a body that is not JSON (a proxy or gateway error page).",
        outcome: "unknown",
        transient: true,
      },
      secrets,
      err,
    );
  }

  // A 2xx body that does not fit the SDK's model ("type of X is mismatch").
  if (/ is mismatch, expect /.test(rawMessage)) {
    return failure(
      {
        code: "InvalidResponse",
        message: "The API answered with a response the SDK could not read.",
        outcome: "unknown",
        transient: false,
      },
      secrets,
      err,
    );
  }

  const detail = rawMessage.slice(0, MAX_FALLBACK_MESSAGE) || String(err).slice(0, MAX_FALLBACK_MESSAGE);
  return failure(
    {
      code: rawCode ?? "UnexpectedError",
      message: `The API call failed unexpectedly: ${detail}`,
      outcome: "unknown",
      transient: false,
    },
    secrets,
    err,
  );
}
