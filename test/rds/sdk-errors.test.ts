/**
 * The SDK error → ApiFailure mapping. API errors are built with the SDK's own classes and exactly
 * the fields openapi-core's doRequest gives them (including its `${undefined}` strings); transport
 * errors are shaped like those of httpx and Node.
 */
import * as OpenApi from "@alicloud/openapi-core";
import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../src/domain/api-failure.js";
import { isTransient, redact, toApiFailure } from "../../src/rds/sdk-errors.js";

type Body = Record<string, unknown>;

/** What openapi-core 1.0.x throws for an HTTP 4xx/5xx (see doRequest in dist/client.js). */
function sdkError(statusCode: number, err: Body, retryAfter?: number) {
  const requestId = err.RequestId || err.requestId;
  const code = err.Code || err.code;
  const common = {
    statusCode,
    code: `${code}`,
    message: `code: ${statusCode}, ${err.Message || err.message} request id: ${requestId}`,
    detail: `${err.Detail || err.detail}`,
    description: `${err.Description || err.description}`,
    data: err,
    requestId: `${requestId}`,
  };
  if (`${code}`.includes("Throttling")) return new OpenApi.ThrottlingError({ ...common, retryAfter });
  if (statusCode < 500) return new OpenApi.ClientError({ ...common, accessDeniedDetail: undefined });
  return new OpenApi.ServerError(common);
}

const body = (code: string, message: string): Body => ({
  RequestId: "2C125605-266F-41CA-8AC5-3A643D4F42C5",
  HostId: "rds.aliyuncs.com",
  Code: code,
  Message: message,
  Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Rds`,
});

function transportError(code: string, message: string, name = "Error"): Error {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  error.name = name;
  return error;
}

describe("toApiFailure: API errors", () => {
  it("maps a 4xx business error to rejected, not transient, with the API's own message", () => {
    const failure = toApiFailure(
      sdkError(400, body("BackupJobExists", "A backup job already exists in the specified DB instance.")),
    );
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure.toInfo()).toEqual({
      code: "BackupJobExists",
      message: "A backup job already exists in the specified DB instance.",
      httpStatus: 400,
      requestId: "2C125605-266F-41CA-8AC5-3A643D4F42C5",
      recommend: "https://api.aliyun.com/troubleshoot?q=BackupJobExists&product=Rds",
      outcome: "rejected",
      transient: false,
      retryAfterSeconds: undefined,
    });
    // Never the SDK's decorated text.
    expect(failure.message).not.toContain("code: 400");
    expect(failure.message).not.toContain("request id");
  });

  it("maps a 403 the same way (the code decides, not the status)", () => {
    const failure = toApiFailure(
      sdkError(403, body("IncorrectDBInstanceState", "Current DB instance state…")),
    );
    expect(failure).toMatchObject({ code: "IncorrectDBInstanceState", httpStatus: 403, outcome: "rejected" });
    expect(failure.transient).toBe(false);
  });

  it("maps throttling to transient, with retry-after converted from milliseconds", () => {
    const failure = toApiFailure(sdkError(400, body("Throttling.User", "Request was denied."), 1500));
    expect(failure).toMatchObject({
      code: "Throttling.User",
      outcome: "rejected",
      transient: true,
      retryAfterSeconds: 1.5,
    });
  });

  it("maps every spelling of throttling to transient, as the SDK throws them (Rejected.Throttling too)", () => {
    for (const code of ["Throttling", "Throttling.User", "Throttling.Api", "Rejected.Throttling"]) {
      const failure = toApiFailure(sdkError(400, body(code, "Request was denied.")));
      expect(failure, code).toMatchObject({ code, outcome: "rejected", transient: true });
    }
  });

  it("treats ServiceUnavailable as transient", () => {
    const failure = toApiFailure(sdkError(503, body("ServiceUnavailable", "temporary failure")));
    expect(failure).toMatchObject({ code: "ServiceUnavailable", outcome: "unknown", transient: true });
  });

  it("maps a 5xx with a code to outcome unknown: the server may have done the work", () => {
    const failure = toApiFailure(sdkError(500, body("InternalError", "The request processing has failed.")));
    expect(failure).toMatchObject({
      code: "InternalError",
      httpStatus: 500,
      outcome: "unknown",
      transient: true,
    });
  });

  it("never passes on the SDK's 'undefined' strings", () => {
    const failure = toApiFailure(sdkError(502, {}));
    expect(failure.code).toBe("BadGateway");
    expect(failure.requestId).toBeUndefined();
    expect(failure.recommend).toBeUndefined();
    expect(failure.message).not.toMatch(/undefined/);
    expect(failure.message).toContain("502");

    const noMessage = toApiFailure(sdkError(400, { Code: "InvalidParameter", RequestId: "R1" }));
    expect(noMessage.message).not.toMatch(/undefined/);
    expect(noMessage).toMatchObject({ code: "InvalidParameter", requestId: "R1" });
  });

  it("keeps the SDK error as the cause, for the log", () => {
    const error = sdkError(400, body("InvalidDBName.Format", "Specified DB name is not valid."));
    expect(toApiFailure(error).cause).toBe(error);
  });

  it("returns an ApiFailure unchanged", () => {
    const failure = new ApiFailure({ code: "X", message: "m", outcome: "rejected", transient: false });
    expect(toApiFailure(failure)).toBe(failure);
  });
});

describe("toApiFailure: transport and SDK-side errors", () => {
  it("maps read and connect timeouts to Timeout, outcome unknown, transient", () => {
    const read = new Error("ReadTimeout: 300. POST /?DBInstanceId=rm-1 failed.");
    read.name = "RequestTimeoutError";
    const connect = new Error("ConnectTimeout: Connect http://127.0.0.1:1/ failed.");
    connect.name = "RequestTimeoutError";
    for (const error of [read, connect]) {
      expect(toApiFailure(error).toInfo()).toMatchObject({
        code: "Timeout",
        outcome: "unknown",
        transient: true,
      });
    }
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"])("maps %s to outcome not_sent, transient", (code) => {
    const failure = toApiFailure(
      transportError(code, `connect ${code} 127.0.0.1:1POST http://127.0.0.1:1/ failed.`),
    );
    expect(failure).toMatchObject({ code, outcome: "not_sent", transient: true });
    expect(failure.httpStatus).toBeUndefined();
  });

  it("maps a reset or a hang-up to outcome unknown", () => {
    const reset = toApiFailure(transportError("ECONNRESET", "socket hang upPOST http://x/ failed."));
    expect(reset).toMatchObject({ code: "ECONNRESET", outcome: "unknown", transient: true });
    const hangUp = toApiFailure(new Error("socket hang up"));
    expect(hangUp).toMatchObject({ code: "ECONNRESET", outcome: "unknown", transient: true });
  });

  it("maps a non-JSON error body (SyntaxError from the SDK) to BadGateway, outcome unknown", () => {
    let syntaxError: unknown;
    try {
      JSON.parse("<html><body><h1>502 Bad Gateway</h1></body></html>");
    } catch (error) {
      syntaxError = error;
    }
    expect(toApiFailure(syntaxError).toInfo()).toMatchObject({
      code: "BadGateway",
      outcome: "unknown",
      transient: true,
    });
  });

  it("maps TLS failures to not_sent and not transient", () => {
    const failure = toApiFailure(transportError("CERT_HAS_EXPIRED", "certificate has expired"));
    expect(failure).toMatchObject({ outcome: "not_sent", transient: false });
  });

  it("maps missing credentials (before anything is sent)", () => {
    const none = new OpenApi.ClientError({
      code: "InvalidCredentials",
      message: "Please set up the credentials…",
    });
    expect(toApiFailure(none)).toMatchObject({
      code: "InvalidCredentials",
      outcome: "not_sent",
      transient: false,
    });
    const chain = new Error(
      "unable to get credentials from any of the providers in the chain: unable to get credentials from env",
    );
    expect(toApiFailure(chain)).toMatchObject({ code: "CredentialsUnavailable", outcome: "not_sent" });
    const wrapped = Object.assign(new Error("no credentials"), { code: "CredentialsUnavailable" });
    expect(toApiFailure(wrapped)).toMatchObject({
      code: "CredentialsUnavailable",
      outcome: "not_sent",
      transient: false,
    });
  });

  it("maps a response the SDK cannot read to InvalidResponse, outcome unknown", () => {
    const failure = toApiFailure(new Error("type of backupSize is mismatch, expect number, but string"));
    expect(failure).toMatchObject({ code: "InvalidResponse", outcome: "unknown", transient: false });
  });

  it("maps anything else to UnexpectedError, outcome unknown, not transient", () => {
    expect(toApiFailure("boom")).toMatchObject({
      code: "UnexpectedError",
      outcome: "unknown",
      transient: false,
    });
    expect(toApiFailure(undefined).message).toContain("undefined"); // String(undefined) as the detail, not as a code
  });
});

describe("secrets", () => {
  const secret = "s3cr3t-AccessKeySecret-value";
  const token = "CAIS-security-token-value";

  it("never lets a secret into the message, whatever carried it", () => {
    const echoed = sdkError(400, body("SignatureDoesNotMatch", `string to sign used ${secret} and ${token}`));
    const unexpected = new Error(`request with secret=${secret} token=${token} failed`);
    for (const error of [echoed, unexpected]) {
      const failure = toApiFailure(error, [secret, token]);
      const serialized = JSON.stringify(failure.toInfo());
      expect(serialized).not.toContain(secret);
      expect(serialized).not.toContain(token);
      expect(failure.message).toContain("***");
    }
  });

  it("redact leaves short or empty values alone", () => {
    expect(redact("a b c", ["", "b"])).toBe("a b c");
    expect(redact("key=abcd1234", ["abcd1234"])).toBe("key=***");
  });
});

describe("isTransient", () => {
  it("is true for throttling, ServiceUnavailable and 5xx; false for other 4xx", () => {
    expect(isTransient("Throttling", 400)).toBe(true);
    expect(isTransient("Throttling.Api", 400)).toBe(true);
    expect(isTransient("Rejected.Throttling", 400)).toBe(true);
    expect(isTransient("ServiceUnavailable", 503)).toBe(true);
    expect(isTransient("ExternalFailure", 500)).toBe(true);
    expect(isTransient("BackupJobExists", 400)).toBe(false);
    expect(isTransient("Exceeded.BackupTimes", 403)).toBe(false);
    expect(isTransient("InvalidDB.NotFound", 404)).toBe(false);
  });
});
