import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type ApiErrorClass,
  CREATE_BACKUP_ERROR_CODES,
  canonicalErrorCode,
  classifyApiError,
  ERROR_CATEGORIES,
  isKnownErrorCode,
  KNOWN_ERROR_CODES,
  PLATFORM_ERROR_CODES,
} from "../../src/domain/api-errors.js";
import { API_ERRORS_EN, EXPLAIN_EN, PLACEHOLDERS } from "../../src/i18n/api-errors.en.js";
import { API_ERRORS_JA, EXPLAIN_JA } from "../../src/i18n/api-errors.ja.js";

interface ErrorRow {
  http: number;
  code: string;
  message: string;
  note: string;
}

/** The rows of the "Error codes" table: `| 400 | `Code` | message | note |`. */
function parseErrorTable(markdown: string): ErrorRow[] {
  const start = markdown.indexOf("| HTTP | code | API message");
  if (start === -1) throw new Error("no error code table found");
  const rows: ErrorRow[] = [];
  for (const line of markdown.slice(start).split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    const [http, code, message, note] = cells;
    if (http === undefined || code === undefined || message === undefined) {
      throw new Error(`malformed row: ${line}`);
    }
    rows.push({ http: Number(http), code: code.replace(/^`|`$/g, ""), message, note: note ?? "" });
  }
  return rows;
}

const FIXTURE = fileURLToPath(new URL("../fixtures/createbackup-error-codes.md", import.meta.url));
const SHARED_DOC = fileURLToPath(new URL("../../../shared/docs/createbackup.md", import.meta.url));
const ROWS = parseErrorTable(readFileSync(FIXTURE, "utf8"));
const SHARED_PRESENT = existsSync(SHARED_DOC);

describe("the CreateBackup error code fixture", () => {
  it("holds the 74 codes of the reference, each once", () => {
    expect(ROWS).toHaveLength(74);
    expect(new Set(ROWS.map((row) => row.code)).size).toBe(74);
    for (const row of ROWS) expect([400, 403, 404, 500]).toContain(row.http);
  });

  it.skipIf(!SHARED_PRESENT)(
    SHARED_PRESENT
      ? "matches the table in ../shared/docs/createbackup.md"
      : "matches ../shared/docs/createbackup.md (SKIPPED: the shared docs are not checked out next to this repo, as in CI)",
    () => {
      expect(ROWS).toEqual(parseErrorTable(readFileSync(SHARED_DOC, "utf8")));
    },
  );

  it("is the catalog's list of CreateBackup codes, in the same order", () => {
    expect(ROWS.map((row) => row.code)).toEqual([...CREATE_BACKUP_ERROR_CODES]);
  });
});

describe("every code has a classification and a text in both languages", () => {
  const PLACEHOLDER = /\{(\w+)\}/g;
  const placeholdersOf = (text: string) => [...text.matchAll(PLACEHOLDER)].map((match) => match[1]).sort();

  it.each(ROWS.map((row) => [row.code, row] as const))("%s", (code, row) => {
    expect(isKnownErrorCode(code)).toBe(true);
    if (!isKnownErrorCode(code)) return;
    const entry = classifyApiError(code, row.http);
    expect(ERROR_CATEGORIES).toContain(entry.category);
    // A business error is never retried by the bot; only the 5xx server faults are transient.
    expect(entry.transient).toBe(row.http >= 500);
    for (const catalog of [API_ERRORS_EN, API_ERRORS_JA]) {
      const text = catalog[code];
      expect(text.what.trim()).not.toBe("");
      expect(text.next.trim()).not.toBe("");
      expect(text.next).not.toBe(text.what);
    }
  });

  it("has the same keys in English, in Japanese and in the classification", () => {
    const known = [...KNOWN_ERROR_CODES].sort();
    expect(Object.keys(API_ERRORS_EN).sort()).toEqual(known);
    expect(Object.keys(API_ERRORS_JA).sort()).toEqual(known);
  });

  it("knows only the reference's codes and the platform codes", () => {
    expect([...KNOWN_ERROR_CODES].sort()).toEqual(
      [...CREATE_BACKUP_ERROR_CODES, ...PLATFORM_ERROR_CODES].sort(),
    );
  });

  it.each(KNOWN_ERROR_CODES.map((code) => [code]))(
    "%s: texts use known placeholders, the same in both languages",
    (code) => {
      const en = API_ERRORS_EN[code];
      const ja = API_ERRORS_JA[code];
      for (const text of [en.what, en.next, ja.what, ja.next]) {
        for (const name of placeholdersOf(text)) expect(PLACEHOLDERS).toContain(name);
      }
      expect(placeholdersOf(ja.what + ja.next)).toEqual(placeholdersOf(en.what + en.next));
    },
  );

  it.each(KNOWN_ERROR_CODES.map((code) => [code]))("%s: texts are short single lines", (code) => {
    for (const text of [API_ERRORS_EN[code].what, API_ERRORS_EN[code].next]) {
      expect(text).not.toMatch(/[\n\r]/);
      expect(text).toMatch(/[.)]$/);
      expect(text.length).toBeLessThanOrEqual(125);
    }
    for (const text of [API_ERRORS_JA[code].what, API_ERRORS_JA[code].next]) {
      expect(text).not.toMatch(/[\n\r]/);
      expect(text).toMatch(/。$/);
      expect(text.length).toBeLessThanOrEqual(90);
    }
  });

  it.each(KNOWN_ERROR_CODES.map((code) => [code]))("%s: Japanese is written in です/ます form", (code) => {
    for (const text of [API_ERRORS_JA[code].what, API_ERRORS_JA[code].next]) {
      expect(text).toMatch(/[\u3040-\u30ff]/);
      const sentences = text
        .split("。")
        .map((sentence) => sentence.replace(/（[^（）]*）$/, "").trim())
        .filter((sentence) => sentence !== "");
      for (const sentence of sentences) {
        expect(sentence).toMatch(/(です|ます|ません|ください|でした|ました)$/);
      }
    }
  });

  it("has labels and generic next steps for every category in both languages", () => {
    for (const strings of [EXPLAIN_EN, EXPLAIN_JA]) {
      for (const category of ERROR_CATEGORIES) {
        expect(strings.categoryLabel[category]).not.toBe("");
        expect(strings.categoryNext[category]).not.toBe("");
      }
      for (const name of PLACEHOLDERS) expect(strings.fallback[name]).not.toMatch(/[{}]/);
    }
  });
});

describe("classifyApiError", () => {
  const expectClass = (code: string, expected: ApiErrorClass, httpStatus?: number) =>
    expect(classifyApiError(code, httpStatus)).toEqual(expected);

  it("keeps the person-can-retry business errors away from automatic retries", () => {
    expectClass("BackupJobExists", { category: "retry_later", transient: false });
    expectClass("Exceeded.BackupTimes", { category: "retry_later", transient: false });
    expectClass("IncorrectDBInstanceState", { category: "retry_later", transient: false });
  });

  it("classifies a sample of the reference's codes", () => {
    expectClass("InvalidDBName.Format", { category: "fix_request", transient: false });
    expectClass("InvalidDBInstanceId.NotFound", { category: "fix_request", transient: false });
    expectClass("Pay.InsufficientBalance", { category: "account_billing", transient: false });
    expectClass("InvalidUserOperatorPermission", { category: "permission", transient: false });
    expectClass("InvokeProxyFailure", { category: "cloud_side", transient: true });
  });

  it("classifies the platform and transport errors", () => {
    for (const code of ["Throttling", "Throttling.User", "Throttling.Api"]) {
      expectClass(code, { category: "retry_later", transient: true });
    }
    for (const code of [
      "SignatureDoesNotMatch",
      "InvalidAccessKeyId.NotFound",
      "InvalidAccessKeyId.Inactive",
      "Forbidden.RAM",
      "NoPermission",
      "InvalidSecurityToken.Expired",
      "InvalidCredentials",
    ]) {
      expectClass(code, { category: "permission", transient: false });
    }
    for (const code of ["Timeout", "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET"]) {
      expectClass(code, { category: "retry_later", transient: true });
    }
    expectClass("ServiceUnavailable", { category: "cloud_side", transient: true });
    expectClass("InternalError", { category: "cloud_side", transient: true });
    expectClass("BadGateway", { category: "cloud_side", transient: true });
    expectClass("GatewayTimeout", { category: "cloud_side", transient: true });
    // Codes the RDS layer names itself.
    expectClass("CredentialsUnavailable", { category: "permission", transient: false });
    expectClass("InvalidResponse", { category: "cloud_side", transient: false });
  });

  it("ignores the HTTP status for a known code", () => {
    expectClass("BackupJobExists", { category: "retry_later", transient: false }, 503);
    expectClass("ExternalFailure", { category: "cloud_side", transient: true }, 400);
  });

  it("matches a known code whatever its case, preferring the exact spelling", () => {
    expect(canonicalErrorCode("backupjobexists")).toBe("BackupJobExists");
    expect(canonicalErrorCode("pay.noCreditCard")).toBe("pay.noCreditCard");
    expect(canonicalErrorCode("Pay.NoCreditCard")).toBe("Pay.NoCreditCard");
    expect(canonicalErrorCode("Nope")).toBeUndefined();
    expectClass("EXCEEDED.BACKUPTIMES", { category: "retry_later", transient: false });
  });

  it("does not take object prototype names for codes", () => {
    for (const code of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(isKnownErrorCode(code)).toBe(false);
      expect(canonicalErrorCode(code)).toBeUndefined();
      expectClass(code, { category: "fix_request", transient: false }, 400);
    }
  });

  describe("falls back for unknown codes", () => {
    it("any code containing Throttling → retry_later, transient, whatever the status", () => {
      expectClass("Rejected.Throttling", { category: "retry_later", transient: true }, 400);
      expectClass("Some.Throttling.Thing", { category: "retry_later", transient: true }, 403);
      expectClass("Throttling.Tenant", { category: "retry_later", transient: true }, 400);
      expectClass("Throttling.Something", { category: "retry_later", transient: true });
      expectClass("throttling", { category: "retry_later", transient: true }, 503);
    });

    it("HTTP 429 → retry_later, transient", () => {
      expectClass("TooManyRequests", { category: "retry_later", transient: true }, 429);
    });

    it("5xx → cloud_side, transient", () => {
      expectClass("Some.NewServerFault", { category: "cloud_side", transient: true }, 500);
      expectClass("Some.NewServerFault", { category: "cloud_side", transient: true }, 503);
    });

    it("other 4xx → fix_request, not transient", () => {
      expectClass("Some.NewBusinessError", { category: "fix_request", transient: false }, 400);
      expectClass("Some.NewBusinessError", { category: "fix_request", transient: false }, 404);
      expectClass("Some.NewBusinessError", { category: "fix_request", transient: false }, 409);
    });

    it("permission-shaped 4xx codes → permission", () => {
      expectClass("Forbidden.SubUser", { category: "permission", transient: false }, 403);
      expectClass("NoPermission.Resource", { category: "permission", transient: false }, 403);
      expectClass("InvalidAccessKeyId", { category: "permission", transient: false }, 404);
    });

    it("a network error code without status → retry_later, transient", () => {
      expectClass("ETIMEDOUT", { category: "retry_later", transient: true });
      expectClass("EHOSTUNREACH", { category: "retry_later", transient: true });
      expectClass("ERR_STREAM_PREMATURE_CLOSE", { category: "retry_later", transient: true });
    });

    it("anything else → cloud_side, not transient", () => {
      expectClass("Whatever", { category: "cloud_side", transient: false });
      expectClass("", { category: "cloud_side", transient: false });
      expectClass("Whatever", { category: "cloud_side", transient: false }, 302);
      expectClass("Whatever", { category: "cloud_side", transient: false }, Number.NaN);
    });
  });

  it("returns entries that cannot be changed by a caller", () => {
    const entry = classifyApiError("BackupJobExists");
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(KNOWN_ERROR_CODES)).toBe(true);
  });
});
