import type { ModalView } from "@slack/types";
import { describe, expect, it } from "vitest";
import { type UpdateOutcome, ViewRenders } from "../../src/slack/view-renders.js";

/** A view whose hash changes on every update, like Slack's; renders take `ms` each. */
function fakeSlack() {
  let hash = "h0";
  let serial = 0;
  const landed: string[] = [];
  return {
    landed,
    get hash() {
      return hash;
    },
    update: async (view: ModalView, sent: string | undefined): Promise<UpdateOutcome> => {
      await Promise.resolve();
      if (sent !== undefined && sent !== hash) return { kind: "hash_conflict" };
      serial += 1;
      hash = `h${serial}`;
      landed.push(view.callback_id ?? "");
      return { kind: "updated", hash };
    },
  };
}

const view = (name: string): ModalView => ({
  type: "modal",
  callback_id: name,
  title: { type: "plain_text", text: name },
  blocks: [],
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ViewRenders", () => {
  it("lands the newer of two actions sent with the same hash, after the older", async () => {
    const slack = fakeSlack();
    const renders = new ViewRenders();
    const errors: unknown[] = [];
    const older = renders.run(
      {
        viewId: "V1",
        actionTs: "1700000000.000100",
        hash: "h0",
        render: async () => view("older"),
        update: slack.update,
      },
      (e) => errors.push(e),
    );
    const newer = renders.run(
      {
        viewId: "V1",
        actionTs: "1700000000.000200",
        hash: "h0",
        render: async () => {
          await sleep(20);
          return view("newer");
        },
        update: slack.update,
      },
      (e) => errors.push(e),
    );
    await Promise.all([older, newer]);
    // The older one was skipped (the newer was already queued), or landed first: the newer lands last.
    expect(slack.landed.at(-1)).toBe("newer");
    expect(errors).toEqual([]);
  });

  it("renders nothing for an action older than one already seen", async () => {
    const slack = fakeSlack();
    const renders = new ViewRenders();
    await renders.run(
      {
        viewId: "V1",
        actionTs: "1700000000.000200",
        hash: "h0",
        render: async () => view("newer"),
        update: slack.update,
      },
      () => {},
    );
    let rendered = false;
    await renders.run(
      {
        viewId: "V1",
        actionTs: "1700000000.000100",
        hash: "h0",
        render: async () => {
          rendered = true;
          return view("late");
        },
        update: slack.update,
      },
      () => {},
    );
    expect(rendered).toBe(false);
    expect(slack.landed).toEqual(["newer"]);
  });

  it("tries the hash its own last update returned when the payload's went stale", async () => {
    const slack = fakeSlack();
    const renders = new ViewRenders();
    await renders.run(
      {
        viewId: "V1",
        actionTs: "1700000000.000100",
        hash: "h0",
        render: async () => view("first"),
        update: slack.update,
      },
      () => {},
    );
    // Made before the first render reached the person's screen: its payload still says h0.
    await renders.run(
      {
        viewId: "V1",
        actionTs: "1700000000.000200",
        hash: "h0",
        render: async () => view("second"),
        update: slack.update,
      },
      () => {},
    );
    expect(slack.landed).toEqual(["first", "second"]);
  });

  it("keeps views apart and reports a failed update without rejecting", async () => {
    const slack = fakeSlack();
    const renders = new ViewRenders();
    const errors: unknown[] = [];
    await renders.run(
      {
        viewId: "V1",
        actionTs: "1700000000.000100",
        hash: "h0",
        render: async () => view("x"),
        update: async () => {
          throw new Error("not_found");
        },
      },
      (e) => errors.push(e),
    );
    await renders.run(
      {
        viewId: "V2",
        actionTs: "1700000000.000050",
        hash: "h0",
        render: async () => view("other"),
        update: slack.update,
      },
      () => {},
    );
    expect(errors).toHaveLength(1);
    expect(slack.landed).toEqual(["other"]);
  });
});
