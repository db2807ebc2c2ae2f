/**
 * The ACS3-HMAC-SHA256 request signature (Alibaba Cloud's V3 signature), recomputed on the server
 * side. Follows `getAuthorization` in `@alicloud/openapi-core` (dist/utils.js) exactly:
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
 *                      SignedHeaders \n HashedRequestPayload
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(hmac-sha256(AccessKeySecret, StringToSign))
 *
 * CanonicalQueryString: keys sorted, `key=encode(value)` joined with `&`, where encode is
 * encodeURIComponent plus `!'()*` escaped; CanonicalHeaders: `name:trimmed value\n` for each signed
 * header, lowercase and sorted; HashedRequestPayload: the `x-acs-content-sha256` header, which must
 * be the hex SHA-256 of the body.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export const ALGORITHM = "ACS3-HMAC-SHA256";

export function acsEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, "%21")
    .replace(/'/g, "%27")
    .replace(/\(/g, "%28")
    .replace(/\)/g, "%29")
    .replace(/\*/g, "%2A");
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface RequestToVerify {
  method: string;
  /** The path without the query string, as received. */
  pathname: string;
  /** Decoded query parameters. */
  query: ReadonlyMap<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Authorization {
  algorithm: string;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(header: string | undefined): Authorization | undefined {
  if (!header) return undefined;
  const space = header.indexOf(" ");
  if (space < 0) return undefined;
  const algorithm = header.slice(0, space);
  const parts = new Map<string, string>();
  for (const part of header.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = parts.get("Credential");
  const signedHeaders = parts.get("SignedHeaders");
  const signature = parts.get("Signature");
  if (!accessKeyId || signedHeaders === undefined || !signature) return undefined;
  return { algorithm, accessKeyId, signedHeaders: signedHeaders.split(";").filter(Boolean), signature };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  if (Array.isArray(value))
    return value
      .map((v) => v.trim())
      .sort()
      .join(",");
  return (value ?? "").trim();
}

export function canonicalRequest(request: RequestToVerify, signedHeaders: readonly string[]): string {
  const uri = request.pathname.replace(/\+/g, "%20").replace(/\*/g, "%2A").replace(/%7E/g, "~");
  const query = [...request.query.keys()]
    .sort()
    .map((key) => `${key}=${acsEncode(request.query.get(key) ?? "")}`)
    .join("&");
  const names = [...signedHeaders].map((h) => h.toLowerCase()).sort();
  const headers = names.map((name) => `${name}:${headerValue(request.headers, name)}\n`).join("");
  const payload = headerValue(request.headers, "x-acs-content-sha256");
  return `${request.method}\n${uri}\n${query}\n${headers}\n${names.join(";")}\n${payload}`;
}

export function sign(request: RequestToVerify, signedHeaders: readonly string[], secret: string): string {
  const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest(request, signedHeaders))}`;
  return createHmac("sha256", secret).update(stringToSign).digest("hex");
}

export type Verification =
  | { ok: true; accessKeyId: string }
  | { ok: false; code: string; message?: string | undefined };

export interface KnownKey {
  secret: string;
  /** When set, requests with this key must carry this STS token. */
  securityToken?: string | undefined;
  /**
   * When the STS token stops working: STS credentials last 15 minutes to 12 hours (one hour by
   * default) and are refused with `InvalidSecurityToken.Expired` after that; nothing renews them.
   */
  expiresAt?: Date | undefined;
}

/** Checks a request the way the API gateway does; `keys` finds the secret of an AccessKey id. */
export function verifyRequest(
  request: RequestToVerify,
  keys: (id: string) => KnownKey | undefined,
  now: Date = new Date(),
): Verification {
  const auth = parseAuthorization(headerValue(request.headers, "authorization") || undefined);
  if (!auth || auth.algorithm !== ALGORITHM) return { ok: false, code: "IncompleteSignature" };
  const key = keys(auth.accessKeyId);
  if (!key) return { ok: false, code: "InvalidAccessKeyId.NotFound" };

  const signed = new Set(auth.signedHeaders);
  const mustSign = Object.keys(request.headers).filter(
    (name) => name.startsWith("x-acs-") || name === "host",
  );
  const unsigned = mustSign.filter((name) => !signed.has(name));
  if (unsigned.length > 0) {
    return {
      ok: false,
      code: "IncompleteSignature",
      message: `Headers must be signed: ${unsigned.join(", ")}.`,
    };
  }
  if (headerValue(request.headers, "x-acs-content-sha256") !== sha256Hex(request.body)) {
    return {
      ok: false,
      code: "SignatureDoesNotMatch",
      message: "The x-acs-content-sha256 header does not match the body.",
    };
  }

  const expected = Buffer.from(sign(request, auth.signedHeaders, key.secret), "utf8");
  const given = Buffer.from(auth.signature, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, code: "SignatureDoesNotMatch" };
  }
  if (
    key.securityToken !== undefined &&
    headerValue(request.headers, "x-acs-security-token") !== key.securityToken
  ) {
    return { ok: false, code: "InvalidSecurityToken.MismatchWithAccessKey" };
  }
  if (key.expiresAt !== undefined && now.getTime() >= key.expiresAt.getTime()) {
    return { ok: false, code: "InvalidSecurityToken.Expired" };
  }
  return { ok: true, accessKeyId: auth.accessKeyId };
}
