/**
 * The emulator's signature check against the SDK's own signer (`OpenApiUtil.getAuthorization`),
 * with the query string built the way the SDK's HTTP layer builds it (`querystring.stringify`).
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { stringify } from "node:querystring";
import * as OpenApi from "@alicloud/openapi-core";
import { describe, expect, it } from "vitest";
import { acsEncode, parseAuthorization, verifyRequest } from "../../src/sandbox/rds-signature.js";

const SECRET = "the-secret";
const keys = (id: string) => (id === "LTAI-test" ? { secret: SECRET } : undefined);
const EMPTY_SHA = createHash("sha256").update("").digest("hex");

function signedRequest(
  query: Record<string, string>,
  extraHeaders: Record<string, string> = {},
  secret = SECRET,
) {
  const headers: Record<string, string> = {
    host: "127.0.0.1:8080",
    "x-acs-version": "2014-08-15",
    "x-acs-action": "CreateBackup",
    "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    "x-acs-signature-nonce": "nonce-1",
    "x-acs-content-sha256": EMPTY_SHA,
    ...extraHeaders,
  };
  const authorization = OpenApi.OpenApiUtil.getAuthorization(
    { pathname: "/", method: "POST", query, headers } as never,
    "ACS3-HMAC-SHA256",
    EMPTY_SHA,
    "LTAI-test",
    secret,
  );
  headers.authorization = authorization;
  // What the server receives: the URL as the SDK's HTTP layer writes it, decoded again.
  const url = new URL(`/?${stringify(query)}`, "http://server");
  return {
    method: "POST",
    pathname: url.pathname,
    query: new Map(url.searchParams),
    headers: headers as IncomingHttpHeaders,
    body: Buffer.alloc(0),
  };
}

describe("verifyRequest", () => {
  it("accepts what the SDK signs, odd characters included", () => {
    const request = signedRequest({
      DBInstanceId: "rm-abc123",
      DBName: "a b!*'()~$,+/é日本",
      BackupRetentionPeriod: "-1",
    });
    expect(verifyRequest(request, keys)).toEqual({ ok: true, accessKeyId: "LTAI-test" });
  });

  it("refuses a wrong secret, a changed parameter and an unknown key", () => {
    expect(verifyRequest(signedRequest({ A: "1" }, {}, "wrong"), keys)).toMatchObject({
      ok: false,
      code: "SignatureDoesNotMatch",
    });
    const tampered = signedRequest({ DBInstanceId: "rm-abc123" });
    tampered.query.set("DBInstanceId", "rm-other1");
    expect(verifyRequest(tampered, keys)).toMatchObject({ ok: false, code: "SignatureDoesNotMatch" });
    expect(verifyRequest(signedRequest({}), () => undefined)).toMatchObject({
      ok: false,
      code: "InvalidAccessKeyId.NotFound",
    });
  });

  it("refuses a body that does not match x-acs-content-sha256", () => {
    const request = { ...signedRequest({}), body: Buffer.from("DBInstanceId=rm-evil1") };
    expect(verifyRequest(request, keys)).toMatchObject({ ok: false, code: "SignatureDoesNotMatch" });
  });

  it("refuses an x-acs header that was not signed, and a missing Authorization", () => {
    const request = signedRequest({});
    request.headers["x-acs-extra"] = "added later";
    expect(verifyRequest(request, keys)).toMatchObject({ ok: false, code: "IncompleteSignature" });
    const anonymous = signedRequest({});
    delete anonymous.headers.authorization;
    expect(verifyRequest(anonymous, keys)).toMatchObject({ ok: false, code: "IncompleteSignature" });
  });

  it("checks the STS token when the key has one", () => {
    const withToken = (id: string) =>
      id === "LTAI-test" ? { secret: SECRET, securityToken: "tok" } : undefined;
    const good = signedRequest({}, { "x-acs-accesskey-id": "LTAI-test", "x-acs-security-token": "tok" });
    expect(verifyRequest(good, withToken)).toMatchObject({ ok: true });
    const bad = signedRequest({}, { "x-acs-accesskey-id": "LTAI-test", "x-acs-security-token": "other" });
    expect(verifyRequest(bad, withToken)).toMatchObject({
      ok: false,
      code: "InvalidSecurityToken.MismatchWithAccessKey",
    });
  });
});

describe("helpers", () => {
  it("acsEncode escapes what encodeURIComponent leaves", () => {
    expect(acsEncode("a b!'()*~")).toBe("a%20b%21%27%28%29%2A~");
  });

  it("parseAuthorization reads the header the SDK writes", () => {
    expect(
      parseAuthorization("ACS3-HMAC-SHA256 Credential=LTAI-x,SignedHeaders=host;x-acs-date,Signature=abc"),
    ).toEqual({
      algorithm: "ACS3-HMAC-SHA256",
      accessKeyId: "LTAI-x",
      signedHeaders: ["host", "x-acs-date"],
      signature: "abc",
    });
    expect(parseAuthorization("Bearer x")).toBeUndefined();
  });
});
