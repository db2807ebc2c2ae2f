import { describe, expect, it } from "vitest";
import type { BackupRequest, Locale } from "../../src/domain/request.js";
import { within } from "../../src/slack/ack-budget.js";
import { requestModal } from "../../src/slack/views/request-modal.js";
import {
  checkingForm,
  filedModal,
  formWithNote,
  NOTE_BLOCK_ID,
  type SubmittedForm,
} from "../../src/slack/views/request-outcome.js";

const instance = {
  id: "rm-uf6wjk5xxxx",
  regionId: "cn-hangzhou",
  engine: "MySQL" as const,
  engineVersion: "8.0",
  status: "Running",
  description: "orders",
};

function form(locale: Locale): SubmittedForm {
  const view = requestModal({ locale, approvalChannelId: "C0APPROVALS", instance });
  return { ...view, callback_id: view.callback_id ?? "", title: view.title };
}

describe("the form after a slow submission (snapshots in both languages)", () => {
  for (const locale of ["en", "ja"] as const) {
    it(`checking, then filed or the form with what to fix (${locale})`, () => {
      const checking = checkingForm(form(locale), locale);
      expect(checking).toMatchSnapshot("checking");
      // Shown again with the outcome: one note, in the same place, the fields unchanged.
      const again = formWithNote(checking as SubmittedForm, ":warning: Fix this.");
      expect(again.blocks.filter((block) => block.block_id === NOTE_BLOCK_ID)).toHaveLength(1);
      expect(again.blocks[1]?.block_id).toBe(NOTE_BLOCK_ID);
      expect(again.blocks.slice(2)).toEqual(form(locale).blocks.slice(1));
      expect(again.submit).toEqual(checking.submit);
      const request = { id: "req-7k2m9x4q1c" } as BackupRequest;
      expect(filedModal(request, "C0APPROVALS", locale)).toMatchSnapshot("filed");
    });
  }
});

describe("within", () => {
  it("gives the value, the failure, or the work still going", async () => {
    expect(await within(Promise.resolve(1), 50)).toEqual({ kind: "done", value: 1 });
    const error = new Error("no");
    expect(await within(Promise.reject(error), 50)).toEqual({ kind: "failed", error });
    const slow = new Promise<number>((resolve) => setTimeout(() => resolve(2), 80));
    const late = await within(slow, 10);
    expect(late.kind).toBe("late");
    if (late.kind === "late") expect(await late.work).toBe(2);
  });
});
