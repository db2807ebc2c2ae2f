/**
 * Slack shows plain_text as it is: markup there (backticks, `*bold*`) reaches the reader as stray
 * characters. Every plain_text in the views must read well without it.
 */
import { describe, expect, it } from "vitest";
import type { InstanceInfo } from "../../src/domain/instance.js";
import type { Locale } from "../../src/domain/request.js";
import { requestModal } from "../../src/slack/views/request-modal.js";

const mysql: InstanceInfo = {
  id: "rm-uf6wjk5xxxx",
  regionId: "cn-hangzhou",
  engine: "MySQL",
  engineVersion: "8.0",
  status: "Running",
  description: "orders",
  storageType: "local_ssd",
  category: "HighAvailability",
};
const sqlServer: InstanceInfo = {
  ...mysql,
  id: "rm-uf6mssqlxxxx",
  engine: "SQLServer",
  engineVersion: "2019",
};

/** Every `{ type: "plain_text", text }` in a JSON value, with where it is. */
function plainTexts(value: unknown, at = ""): Array<{ at: string; text: string }> {
  if (Array.isArray(value)) return value.flatMap((item, i) => plainTexts(item, `${at}/${i}`));
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  const own =
    record.type === "plain_text" && typeof record.text === "string" ? [{ at, text: record.text }] : [];
  return [...own, ...Object.entries(record).flatMap(([key, child]) => plainTexts(child, `${at}/${key}`))];
}

describe("plain_text holds no markup", () => {
  for (const locale of ["en", "ja"] as Locale[]) {
    it(`the request form, every shape (${locale})`, () => {
      const views = [
        requestModal({ locale, approvalChannelId: "C0APPROVALS" }),
        requestModal({
          locale,
          approvalChannelId: "C0APPROVALS",
          instance: mysql,
          chosen: { strategy: "db" },
        }),
        requestModal({
          locale,
          approvalChannelId: "C0APPROVALS",
          instance: mysql,
          chosen: { strategy: "db" },
          databases: ["orders", "users"],
        }),
        requestModal({ locale, approvalChannelId: "C0APPROVALS", instance: sqlServer }),
      ];
      const texts = views.flatMap((view) => plainTexts(view));
      expect(texts.length).toBeGreaterThan(10);
      expect(texts.filter((t) => /`|\*\S/.test(t.text))).toEqual([]);
    });
  }
});
