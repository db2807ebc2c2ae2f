import { describe, expect, it } from "vitest";
import { ERROR_CATEGORIES, type ErrorCategory, KNOWN_ERROR_CODES } from "../../src/domain/api-errors.js";
import type { ApiFailureInfo } from "../../src/domain/api-failure.js";
import type { Locale } from "../../src/domain/request.js";
import {
  DISPLAY_LIMITS,
  type ExplainContext,
  explainFailure,
  type FailureExplanation,
  sanitizeForDisplay,
} from "../../src/i18n/explain-failure.js";

const LOCALES: readonly Locale[] = ["en", "ja"];

function failure(code: string, overrides: Partial<ApiFailureInfo> = {}): ApiFailureInfo {
  return {
    code,
    message: "The API's own message.",
    httpStatus: 400,
    requestId: "2C125605-266F-41CA-8AC5-3A643D4F42C5",
    outcome: "rejected",
    transient: false,
    ...overrides,
  };
}

const FULL_CONTEXT: ExplainContext = {
  instanceId: "rm-uf6wjk5xxxx",
  status: "Restarting",
  engine: "MySQL",
  method: "Logical",
  dbName: "orders,users",
  retryAfter: 30,
  action: "rds:CreateBackup",
  resetTime: "after 00:00 UTC+8",
};

/** Every string an explanation shows. */
function shown(explanation: FailureExplanation): string[] {
  return [
    explanation.title,
    explanation.what,
    explanation.next,
    explanation.categoryLabel,
    explanation.code,
    explanation.apiMessage ?? "",
    explanation.requestId ?? "",
    explanation.recommend ?? "",
  ];
}

function expectClean(explanation: FailureExplanation): void {
  for (const text of shown(explanation)) {
    expect(text).not.toMatch(/\{\w+\}/);
    expect(text).not.toMatch(/\bundefined\b|\bnull\b|\[object Object\]|NaN/);
    const controls = Array.from(text).filter((char) => {
      const codePoint = char.codePointAt(0) ?? 0;
      return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f);
    });
    expect(controls).toEqual([]);
    expect(text).not.toMatch(/^\s|\s$/);
  }
}

describe("placeholders", () => {
  it("are filled from the context, in both languages", () => {
    const en = explainFailure(failure("IncorrectDBInstanceState", { httpStatus: 403 }), "en", FULL_CONTEXT);
    expect(en.what).toBe(
      "The instance is not Running, so it cannot be backed up now (current state: Restarting).",
    );
    const ja = explainFailure(failure("IncorrectDBInstanceState", { httpStatus: 403 }), "ja", FULL_CONTEXT);
    expect(ja.what).toBe(
      "インスタンスが実行中ではないため、現在バックアップを作成できません（現在の状態: Restarting）。",
    );
  });

  it("put a space between a Latin value and Japanese text, and none around a Japanese fallback", () => {
    expect(explainFailure(failure("BackupJobExists"), "ja", FULL_CONTEXT).what).toBe(
      "rm-uf6wjk5xxxx では、すでにバックアップタスクが実行中です。",
    );
    expect(explainFailure(failure("BackupJobExists"), "ja").what).toBe(
      "このインスタンスでは、すでにバックアップタスクが実行中です。",
    );
    expect(explainFailure(failure("Forbidden.RAM", { httpStatus: 403 }), "ja", FULL_CONTEXT).what).toBe(
      "ボットの RAM ユーザー（またはロール）には rds:CreateBackup の権限がありません。",
    );
  });

  it("name the RAM action, the database names and the method", () => {
    const ram = explainFailure(failure("NoPermission", { httpStatus: 403 }), "en", FULL_CONTEXT);
    expect(ram.what).toContain("rds:CreateBackup");
    expect(ram.next).toContain("rds:CreateBackup");
    expect(explainFailure(failure("InvalidDBName.Format"), "en", FULL_CONTEXT).what).toContain(
      "DBName: orders,users",
    );
    expect(explainFailure(failure("InvalidBackupMethod.ValueNotSupport"), "en", FULL_CONTEXT).what).toBe(
      "The backup method is not supported here (BackupMethod: Logical, engine: MySQL).",
    );
  });

  it("turn a wait in seconds into words, from the context or from the failure", () => {
    const throttled = failure("Throttling.User", { httpStatus: 400, retryAfterSeconds: 2.2 });
    expect(explainFailure(throttled, "en").next).toMatch(/^Wait 3 seconds, then try again/);
    expect(explainFailure(throttled, "ja").next).toMatch(/^3 秒待ってから/);
    expect(explainFailure(throttled, "en", { retryAfter: 90 }).next).toMatch(/^Wait about 2 minutes,/);
    expect(explainFailure(throttled, "ja", { retryAfter: 7200 }).next).toMatch(/^約 2 時間待ってから/);
    expect(explainFailure(throttled, "en", { retryAfter: "until the batch ends" }).next).toMatch(
      /^Wait until the batch ends,/,
    );
    expect(explainFailure(throttled, "en", { retryAfter: "" }).next).toMatch(/^Wait 3 seconds,/);
    expect(explainFailure(throttled, "en", { retryAfter: 0 }).next).toMatch(/^Wait 3 seconds,/);
    const noHint = failure("Throttling");
    expect(explainFailure(noHint, "en").next).toBe("Wait a little while, then try again.");
    expect(explainFailure(noHint, "ja").next).toBe("しばらく待ってから、再度お試しください。");
    expect(explainFailure(noHint, "en", { retryAfter: -5 }).next).toBe(
      "Wait a little while, then try again.",
    );
    expect(explainFailure(noHint, "en", { retryAfter: Number.NaN }).next).toBe(
      "Wait a little while, then try again.",
    );
  });

  it("say when the daily count resets, or 'tomorrow' when the caller does not know", () => {
    const exceeded = failure("Exceeded.BackupTimes", { httpStatus: 403 });
    expect(explainFailure(exceeded, "en", FULL_CONTEXT).next).toContain("(after 00:00 UTC+8)");
    expect(explainFailure(exceeded, "en").next).toContain("(tomorrow)");
    expect(explainFailure(exceeded, "ja").next).toContain("（翌日）");
    expect(explainFailure(exceeded, "en").what).toContain("20 backup sets");
  });

  it("missing from the context become neutral words, never `{name}`", () => {
    const en = explainFailure(failure("IncorrectDBInstanceState", { httpStatus: 403 }), "en");
    expect(en.what).toContain("(current state: unknown)");
    const ja = explainFailure(failure("IncorrectDBInstanceState", { httpStatus: 403 }), "ja", {});
    expect(ja.what).toContain("（現在の状態: 不明）");
    expect(explainFailure(failure("NoPermission"), "en").what).toBe(
      "The bot's RAM user or role lacks the permission for the RAM action this call needs.",
    );
  });

  it("treat empty, blank and junk context values as missing", () => {
    const context = {
      status: "   ",
      dbName: "",
      engine: "undefined",
      method: "null",
      instanceId: { id: "rm-1" },
    } as unknown as ExplainContext;
    expect(explainFailure(failure("IncorrectDBInstanceState"), "en", context).what).toContain(
      "(current state: unknown)",
    );
    expect(explainFailure(failure("InvalidDBName.Format"), "en", context).what).toContain(
      "(DBName: unknown)",
    );
    expect(explainFailure(failure("InvalidBackupMethod.ValueNotSupport"), "en", context).what).toContain(
      "(BackupMethod: unknown, engine: unknown)",
    );
    expect(explainFailure(failure("BackupJobExists"), "en", context).what).toBe(
      "A backup task is already running on this instance.",
    );
  });

  it("are filled once: a value that looks like a placeholder stays as it is", () => {
    const explained = explainFailure(failure("InvalidBackupMethod.ValueNotSupport"), "en", {
      method: "{engine}",
      engine: "MySQL",
    });
    expect(explained.what).toContain("(BackupMethod: {engine}, engine: MySQL)");
  });

  it.each(KNOWN_ERROR_CODES.flatMap((code) => LOCALES.map((locale) => [code, locale] as const)))(
    "%s (%s): no placeholder is left, with or without context",
    (code, locale) => {
      for (const context of [undefined, {}, FULL_CONTEXT]) {
        const explained = explainFailure(failure(code), locale, context);
        expectClean(explained);
        expect(explained.what).not.toBe("");
        expect(explained.next).not.toBe("");
        expect(explained.next).not.toBe(explained.what);
      }
    },
  );
});

describe("codes the RDS layer raises itself", () => {
  it("explain CredentialsUnavailable as a credentials problem with a next step, in both languages", () => {
    const unavailable = failure("CredentialsUnavailable", {
      httpStatus: undefined,
      requestId: undefined,
      outcome: "not_sent",
      message: "The Alibaba Cloud credential chain gave no usable credentials.",
    });
    const en = explainFailure(unavailable, "en");
    expect(en.category).toBe("permission");
    expect(en.what).toContain("credentials");
    expect(en.next).toContain("operator");
    const ja = explainFailure(unavailable, "ja");
    expect(ja.category).toBe("permission");
    expect(ja.what).toContain("認証情報");
    // Not the fallback for a code nobody knows ("Alibaba Cloud's side").
    expect(en.categoryLabel).toBe(explainFailure(failure("InvalidCredentials"), "en").categoryLabel);
  });
});

describe("codes the catalog does not know", () => {
  it("still get a translated reply carrying the code and the API's message", () => {
    const unknown = failure("Brand.NewError", { message: "Something new happened." });
    const en = explainFailure(unknown, "en");
    expect(en.what).toBe(
      "The call to Alibaba Cloud failed with the error Brand.NewError: Something new happened.",
    );
    expect(en.next).toBe("Check the instance and the backup parameters, then file a new request.");
    expect(en.category).toBe("fix_request");
    expect(en.categoryLabel).toBe("Fix the request");
    expect(en.code).toBe("Brand.NewError");
    expect(en.apiMessage).toBe("Something new happened.");
    const ja = explainFailure(unknown, "ja");
    expect(ja.what).toBe(
      "Alibaba Cloud の呼び出しがエラー Brand.NewError で失敗しました。メッセージ: Something new happened.",
    );
    expect(ja.next).toBe(
      "インスタンスとバックアップのパラメーターを確認してから、新しいリクエストを送信してください。",
    );
    expect(ja.categoryLabel).toBe("リクエストを修正してください");
  });

  it("choose the next step by the fallback category", () => {
    const server = explainFailure(failure("Brand.NewFault", { httpStatus: 503, outcome: "rejected" }), "en");
    expect(server.category).toBe("cloud_side");
    expect(server.next).toContain("contact Alibaba Cloud support");
    const throttled = explainFailure(failure("Throttling.Tenant", { httpStatus: 400 }), "ja");
    expect(throttled.category).toBe("retry_later");
    expect(throttled.next).toBe("しばらく待ってから、再度お試しください。");
  });

  it("leave out an empty message", () => {
    const explained = explainFailure(failure("Brand.NewError", { message: "" }), "en");
    expect(explained.what).toBe("The call to Alibaba Cloud failed with the error Brand.NewError.");
    expect(explained).not.toHaveProperty("apiMessage");
  });

  it("take the failure's own transient flag, while a known code takes the catalog's", () => {
    expect(explainFailure(failure("Brand.NewError", { transient: true }), "en").transient).toBe(true);
    expect(explainFailure(failure("Brand.NewError", { transient: false }), "en").transient).toBe(false);
    // A business error is never transient, whatever the caller said.
    expect(explainFailure(failure("BackupJobExists", { transient: true }), "en").transient).toBe(false);
    expect(explainFailure(failure("Throttling", { transient: false }), "en").transient).toBe(true);
  });

  it("match a known code whatever its case", () => {
    expect(explainFailure(failure("backupjobexists"), "en").what).toBe(
      "A backup task is already running on this instance.",
    );
  });
});

describe("the outcome", () => {
  it("titles the reply by what is known to have happened", () => {
    expect(explainFailure(failure("BackupJobExists"), "en").title).toBe("The backup was not created");
    expect(explainFailure(failure("ECONNREFUSED", { outcome: "not_sent" }), "ja").title).toBe(
      "リクエストは Alibaba Cloud に届きませんでした",
    );
    expect(explainFailure(failure("Timeout", { outcome: "unknown" }), "en").title).toBe(
      "Unclear whether the backup started",
    );
  });

  it("tells the person to look before asking again when the call may have run", () => {
    const en = explainFailure(failure("Timeout", { outcome: "unknown", httpStatus: undefined }), "en");
    expect(en.next).toBe(
      "It is not known whether the backup started: check Backup and Restoration in the console before asking again. If no backup started, try again in a few minutes.",
    );
    const ja = explainFailure(failure("ECONNRESET", { outcome: "unknown", httpStatus: undefined }), "ja");
    expect(ja.next).toBe(
      "バックアップが開始されたかどうかは不明です。再度リクエストする前に、コンソールの「バックアップと復元」で確認してください。バックアップが開始されていなければ、数分待ってから再度お試しください。",
    );
    expect(explainFailure(failure("InvokeProxyFailure", { outcome: "rejected" }), "en").next).not.toContain(
      "not known",
    );
  });

  it("treats an outcome it does not recognise as unknown", () => {
    const odd = failure("BackupJobExists", { outcome: "maybe" as unknown as ApiFailureInfo["outcome"] });
    expect(explainFailure(odd, "en").title).toBe("Unclear whether the backup started");
  });
});

describe("hostile input", () => {
  it("strips control and invisible characters from the API's message", () => {
    const explained = explainFailure(
      failure("Brand.NewError", {
        message: "bad\u0000\u0007 value\r\n\tis\u001b[31m red\u202e\u200b here\u0085",
      }),
      "en",
    );
    expect(explained.apiMessage).toBe("bad value is [31m red here");
    expectClean(explained);
  });

  it("caps a 10 kB message", () => {
    const huge = "x".repeat(10_240);
    const known = explainFailure(failure("BackupJobExists", { message: huge }), "en");
    expect(known.apiMessage?.length).toBe(DISPLAY_LIMITS.apiMessage);
    expect(known.apiMessage?.endsWith("…")).toBe(true);
    const unknown = explainFailure(failure("Brand.NewError", { message: huge }), "ja");
    expect(Array.from(unknown.what).length).toBeLessThan(DISPLAY_LIMITS.messageInWhat + 60);
  });

  it("caps without splitting a character made of two UTF-16 units", () => {
    const emoji = "😀".repeat(500);
    const capped = sanitizeForDisplay(emoji, 10);
    expect(capped).toBe(`${"😀".repeat(9)}…`);
    expect(capped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("caps every context value", () => {
    const explained = explainFailure(failure("IncorrectDBInstanceState"), "en", { status: "S".repeat(5000) });
    expect(explained.what.length).toBeLessThan(200);
  });

  it("leaves Slack markup for the Slack layer to escape", () => {
    const explained = explainFailure(
      failure("Brand.NewError", { message: "<!channel> *bold* & <https://evil.example|click>" }),
      "en",
      { status: "<!here>" },
    );
    expect(explained.apiMessage).toBe("<!channel> *bold* & <https://evil.example|click>");
    expect(explained.what).toContain("<!channel>");
    expect(explainFailure(failure("IncorrectDBInstanceState"), "en", { status: "<!here>" }).what).toContain(
      "(current state: <!here>)",
    );
  });

  it("removes [object Object], and never prints undefined or null", () => {
    expect(explainFailure(failure("Brand.NewError", { message: "[object Object]" }), "en").apiMessage).toBe(
      undefined,
    );
    expect(
      explainFailure(failure("Brand.NewError", { message: "failed: [object Object] at step 2" }), "en")
        .apiMessage,
    ).toBe("failed: at step 2");
    for (const message of ["undefined", "null", " ", { Message: "x" }, 42n, undefined, null]) {
      const explained = explainFailure(
        failure("Brand.NewError", { message: message as unknown as string, requestId: "undefined" }),
        "en",
      );
      expect(explained.apiMessage).toBeUndefined();
      expect(explained).not.toHaveProperty("requestId");
      expectClean(explained);
    }
  });

  it("drops stack traces", () => {
    const message = [
      "SyntaxError: Unexpected token < in JSON at position 0",
      "    at JSON.parse (<anonymous>)",
      "    at parseBody (/app/node_modules/@alicloud/openapi-core/dist/client.js:123:45)",
      "    at async Client.doRequest (file:///app/dist/rds/gateway.js:88:9)",
    ].join("\n");
    expect(explainFailure(failure("BadGateway", { message }), "en").apiMessage).toBe(
      "SyntaxError: Unexpected token < in JSON at position 0",
    );
    const flattened =
      "request failed at Client.doRequest (/app/node_modules/x/client.js:10:5) at async main (file:///app/main.js:3:1)";
    expect(sanitizeForDisplay(flattened, 400)).toBe("request failed");
    expect(sanitizeForDisplay("needs at least one database", 400)).toBe("needs at least one database");
  });

  it("never shows an echoed AccessKeySecret or anything after it", () => {
    const explained = explainFailure(
      failure("SignatureDoesNotMatch", {
        message:
          "Specified signature is not matched with our calculation. AccessKeySecret=Sup3rS3cretValue&Next=1",
      }),
      "en",
    );
    expect(explained.apiMessage).toBe(
      "Specified signature is not matched with our calculation. AccessKeySecret [redacted]",
    );
    for (const variant of [
      'access_key_secret: "Sup3rS3cretValue"',
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET=Sup3rS3cretValue",
      "Access\u200bKey\u0000Secret Sup3rS3cretValue",
    ]) {
      expect(sanitizeForDisplay(variant, 400)).not.toContain("Sup3rS3cretValue");
    }
  });

  it("redacts Slack tokens and other credentials", () => {
    const secrets = [
      "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp",
      "xoxp-1-2-3-abcdef",
      "xoxa-2-abc",
      "xoxr-abc-def",
      "xapp-1-A0123-456-abcdef",
    ];
    for (const secret of secrets) {
      const explained = explainFailure(
        failure("Brand.NewError", { message: `token leaked: ${secret} end` }),
        "en",
        {
          status: secret,
        },
      );
      for (const text of shown(explained)) expect(text).not.toContain(secret);
      expect(explained.apiMessage).toBe("token leaked: [redacted] end");
    }
    const misc = sanitizeForDisplay(
      "SecurityToken=CAISabcdefghijklmnopqrstuvwxyz0123 Authorization: Bearer abc.def.ghi password=hunter2 AccessKeyId%3DLTAI5tAbCdEfGhIjKlMn",
      400,
    );
    for (const leaked of ["CAISabcdefghijklmnop", "abc.def.ghi", "hunter2", "LTAI5tAbCdEfGhIjKlMn"]) {
      expect(misc).not.toContain(leaked);
    }
  });

  it("cleans the code, the RequestId and the Recommend link", () => {
    const explained = explainFailure(
      failure("<!channel>Bad\ncode", {
        requestId: "2C125605-266F\u0000<b>",
        recommend: "javascript:alert(1)",
      }),
      "en",
    );
    expect(explained.code).toBe("channelBadcode");
    expect(explained.requestId).toBe("2C125605-266Fb");
    expect(explained).not.toHaveProperty("recommend");
    expect(
      explainFailure(
        failure("BackupJobExists", { recommend: "https://api.aliyun.com/troubleshoot?q=BackupJobExists" }),
        "en",
      ).recommend,
    ).toBe("https://api.aliyun.com/troubleshoot?q=BackupJobExists");
    expect(explainFailure(failure(""), "en").code).toBe("UnknownError");
    expect(explainFailure(failure("x".repeat(5000)), "en").code.length).toBe(DISPLAY_LIMITS.code);
  });

  it("accepts only a real HTTP status for the fallback", () => {
    expect(explainFailure(failure("Brand.NewError", { httpStatus: 503.5 }), "en").category).toBe(
      "cloud_side",
    );
    expect(explainFailure(failure("Brand.NewError", { httpStatus: 503.5 }), "en").transient).toBe(false);
  });

  it("answers in English for a locale it does not know", () => {
    expect(explainFailure(failure("BackupJobExists"), "fr" as Locale).categoryLabel).toBe("Try again later");
  });
});

/** A sample across every category, for the snapshots. */
const SAMPLE: Readonly<Record<ErrorCategory, readonly ApiFailureInfo[]>> = {
  fix_request: [
    failure("InvalidDBName.Format"),
    failure("InvalidDBInstanceId.NotFound"),
    failure("InvalidBackupMethod.ValueNotSupport"),
  ],
  retry_later: [
    failure("BackupJobExists"),
    failure("Exceeded.BackupTimes", { httpStatus: 403 }),
    failure("IncorrectDBInstanceState", { httpStatus: 403 }),
    failure("Throttling.User", { retryAfterSeconds: 12, transient: true }),
    failure("Timeout", { httpStatus: undefined, requestId: undefined, outcome: "unknown", transient: true }),
  ],
  permission: [
    failure("Forbidden.RAM", { httpStatus: 403 }),
    failure("NoPermission", { httpStatus: 403 }),
    failure("InvalidKmsKey", { httpStatus: 403 }),
  ],
  account_billing: [
    failure("Pay.InsufficientBalance"),
    failure("IncorrectDBInstanceLockMode.ValueNotSupported"),
  ],
  cloud_side: [
    failure("InvokeProxyFailure", { httpStatus: 500, outcome: "unknown", transient: true }),
    failure("ServiceUnavailable", { httpStatus: 503, transient: true }),
    failure("Brand.NewFault", { httpStatus: 502, message: "Upstream said no.", transient: true }),
  ],
};

describe("snapshots", () => {
  it("cover every category", () => {
    expect(Object.keys(SAMPLE).sort()).toEqual([...ERROR_CATEGORIES].sort());
    for (const [category, failures] of Object.entries(SAMPLE)) {
      for (const sample of failures) expect(explainFailure(sample, "en").category).toBe(category);
    }
  });

  for (const locale of LOCALES) {
    for (const [category, failures] of Object.entries(SAMPLE)) {
      it.each(failures.map((sample) => [sample.code, sample] as const))(
        `${locale} ${category}: %s with context`,
        (_code, sample) => {
          expect(explainFailure(sample, locale, FULL_CONTEXT)).toMatchSnapshot();
        },
      );
    }
    it(`${locale}: without context`, () => {
      const explained = Object.values(SAMPLE)
        .flat()
        .map((sample) => explainFailure(sample, locale));
      expect(explained).toMatchSnapshot();
    });
  }

  it("inline: BackupJobExists in Japanese", () => {
    expect(explainFailure(failure("BackupJobExists"), "ja", FULL_CONTEXT)).toMatchInlineSnapshot(`
      {
        "apiMessage": "The API's own message.",
        "category": "retry_later",
        "categoryLabel": "時間をおいて再度お試しください",
        "code": "BackupJobExists",
        "next": "タスクの完了を待ってから、再度リクエストしてください。進捗はコンソールの「バックアップと復元」で確認できます。",
        "requestId": "2C125605-266F-41CA-8AC5-3A643D4F42C5",
        "title": "バックアップは作成されませんでした",
        "transient": false,
        "what": "rm-uf6wjk5xxxx では、すでにバックアップタスクが実行中です。",
      }
    `);
  });
});
