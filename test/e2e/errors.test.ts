import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyApiError } from "../../src/domain/api-errors.js";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { blockText } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  currentCard,
  eventually,
  fileInline,
  type Harness,
  settle,
  startHarness,
  USERS,
} from "./harness.js";

// One code from every category of the catalog.
const SAMPLE = [
  { code: "InvalidDBName.Format", category: "fix_request" },
  { code: "BackupJobExists", category: "retry_later" },
  { code: "Forbidden.RAM", category: "permission", httpStatus: 403 },
  { code: "OrderStatus.UnPaid", category: "account_billing" },
  { code: "CommodityServiceCalling.Exception", category: "cloud_side" },
] as const;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe("translated CreateBackup errors, end to end", () => {
  for (const sample of SAMPLE) {
    for (const [who, language, marker] of [
      [USERS.requester, "English", /What to do/],
      [USERS.jaRequester, "Japanese", /対処方法/],
    ] as const) {
      it(`${sample.code} (${sample.category}) in ${language}`, async () => {
        expect(classifyApiError(sample.code).category).toBe(sample.category);
        const card = await fileInline(h, who, SEED.mysql);
        h.rds.failNext("CreateBackup", {
          code: sample.code,
          ...("httpStatus" in sample ? { httpStatus: sample.httpStatus } : {}),
        });
        await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
        const reply = await eventually(async () =>
          h.slack
            .thread(APPROVAL_CHANNEL, card.ts)
            .find((message) => (message.text ?? "").includes(sample.code)),
        );
        await settle(h);
        const text = blockText(reply.blocks ?? []);
        expect(text).toMatch(marker);
        if (language === "Japanese") expect(text).toMatch(/[ぁ-んァ-ン]/);
        else expect(text).not.toMatch(/[ぁ-んァ-ン]/);
        const apiCall = [...h.rds.calls].reverse().find((call) => call.action === "CreateBackup");
        expect(text).toContain(apiCall?.requestId);
        expect(text).not.toMatch(/undefined|\[object Object\]|\{[a-zA-Z]+\}/);
        await eventually(async () => /Failed|失敗/.test(blockText(currentCard(h, card).blocks)));
      });
    }
  }
});
