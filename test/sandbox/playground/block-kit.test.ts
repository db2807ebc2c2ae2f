import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { plainText, renderBlocks, renderText } from "../../../src/sandbox/playground/block-kit.js";
import { escapeHtml } from "../../../src/sandbox/playground/html.js";
import { UNKNOWN_CLASS } from "../../../src/sandbox/playground/render-context.js";
import { isRecord } from "../../../src/sandbox/slack-blocks.js";
import { readSnapshots } from "../../support/vitest-snapshots.js";
import { readerContext } from "./fixtures.js";

const ctx = readerContext();
const snapshots = readSnapshots(
  fileURLToPath(new URL("../../slack/__snapshots__/views.test.ts.snap", import.meta.url)),
);
const views = snapshots.filter((s): s is { name: string; value: Record<string, unknown> } =>
  isRecord(s.value),
);
const snapshot = (name: string) => {
  const found = views.find((s) => s.name.endsWith(name));
  if (!found) throw new Error(`no snapshot named …${name}`);
  return found.value;
};

/** Every text object in some JSON (labels, options, confirm dialogs, fields…). */
function textObjects(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (!isRecord(value)) return [];
  if ((value.type === "plain_text" || value.type === "mrkdwn") && typeof value.text === "string")
    return [value];
  return Object.values(value).flatMap(textObjects);
}

/** A snapshot is a message (`{ text, blocks }`), a modal view, or a single block. */
function blocksOf(view: Record<string, unknown>): unknown {
  return view.blocks ?? (typeof view.type === "string" ? [view] : []);
}

function render(view: Record<string, unknown>): string {
  return renderBlocks(blocksOf(view), ctx, { surface: view.type === "modal" ? "modal" : "message" });
}

describe("the bot's own snapshot views, rendered", () => {
  it("reads the snapshot file (every view the bot snapshots)", () => {
    expect(views.length).toBeGreaterThan(50);
    expect(views.some((v) => v.value.type === "modal")).toBe(true);
  });

  it("renders every block and element they use, with nothing unknown", () => {
    for (const { name, value } of views) {
      const html = render(value);
      expect(html, name).not.toContain(UNKNOWN_CLASS);
      expect(html, name).not.toMatch(/undefined|\[object Object\]/);
    }
  });

  it("drops no text: each text object of each view is in its rendering", () => {
    for (const { name, value } of views) {
      const html = render(value);
      const blocks = blocksOf(value);
      for (const text of textObjects(blocks)) {
        // A select's option and placeholder texts are plain characters in <option> or an attribute.
        const expected =
          text.type === "plain_text" && isInsideSelect(blocks, text)
            ? escapeHtml(plainText(text))
            : renderText(text, ctx);
        expect(html, `${name}: ${String(text.text)}`).toContain(expected);
      }
    }
  });

  it("the pending card: header, fields, a mention by name, and styled buttons with their confirm dialog", () => {
    const html = render(snapshot("approval card, pending and decided (en) 1"));
    expect(html).toContain('<div class="bk-header-text">Backup request: rm-uf6wjk5xxxx</div>');
    expect(html).toContain(
      '<div class="bk-field"><b>Instance</b><br><code class="bk-code">rm-uf6wjk5xxxx</code></div>',
    );
    expect(html).toContain('data-id="U0REQUESTER">@Alice</span>');
    // A description with <!channel> in it stays text.
    expect(html).toContain("orders &lt;!channel&gt; &amp; co");
    expect(html).toMatch(
      /<button type="button" class="bk-button bk-button-primary" data-action-id="approve_backup"/,
    );
    expect(html).toMatch(
      /<button type="button" class="bk-button bk-button-danger" data-action-id="reject_backup"/,
    );
    expect(html).toContain('<dialog class="bk-confirm">');
    expect(html).toContain('<div class="bk-confirm-title">Take this backup now?</div>');
    expect(html).toContain('<div class="bk-block bk-actions" data-block-id="decision">');
  });

  it("the Japanese card is rendered in Japanese", () => {
    const html = render(snapshot("approval card, pending and decided (ja) 1"));
    expect(html).toMatch(/[\u3040-\u30ff]/);
    expect(html).toContain('data-action-id="approve_backup"');
  });

  it("the MySQL form: an external select showing its pick, a static select, hints, dispatching inputs", () => {
    const modal = snapshot("the modal for each engine > MySQL 1");
    const html = render(modal);
    expect(html).toContain('data-block-id="DBInstanceId" data-dispatch="true"');
    expect(html).toMatch(/data-element="external_select" data-min-query="0"/);
    expect(html).toContain('value="rm-uf6wjk5xxxx · MySQL 8.0 · Running" data-value="rm-uf6wjk5xxxx"');
    expect(html).toContain('<option value="Snapshot" selected>Snapshot</option>');
    expect(html).toContain('<div class="bk-hint">This instance is on cloud disks (cloud_essd)');
  });

  it("what the person entered wins over the initial values, and field errors show under their field", () => {
    const modal = snapshot("the modal for each engine > SQLServer 1");
    const blocks = modal.blocks as Array<Record<string, unknown>>;
    const retention = blocks.find((b) => b.block_id === "BackupRetentionPeriod");
    expect(retention).toBeDefined();
    const element = retention?.element as { action_id: string };
    const html = renderBlocks(modal.blocks, ctx, {
      surface: "modal",
      state: { BackupRetentionPeriod: { [element.action_id]: { type: "number_input", value: "5" } } },
      errors: { BackupRetentionPeriod: "Keep it 7 to 730 days." },
    });
    expect(html).toContain('value="5"');
    expect(html).toContain('<div class="bk-error" role="alert">Keep it 7 to 730 days.</div>');
    expect(html).toMatch(/class="bk-block bk-input bk-has-error" data-block-id="BackupRetentionPeriod"/);
  });
});

describe("Block Kit the bot does not use today", () => {
  it("shows an unknown block or element as such, with its JSON, and goes on with the rest", () => {
    const html = renderBlocks(
      [
        { type: "video", title: { type: "plain_text", text: "clip" }, video_url: "https://x" },
        { type: "actions", elements: [{ type: "magic_wand", action_id: "wave" }] },
        { type: "section", text: { type: "mrkdwn", text: "still *here*" } },
      ],
      ctx,
      { surface: "message" },
    );
    expect(html.split(`class="${UNKNOWN_CLASS}"`).length - 1).toBe(2);
    expect(html).toContain("video block");
    expect(html).toContain("magic_wand element");
    expect(html).toContain("&quot;video_url&quot;: &quot;https://x&quot;");
    expect(html).toContain("still <b>here</b>");
  });

  it("renders the rest of Block Kit: dividers, context images, checkboxes, pickers, multi selects, rich text", () => {
    const html = renderBlocks(
      [
        { type: "divider" },
        { type: "context", elements: [{ type: "image", image_url: "https://x/a.png", alt_text: "logo" }] },
        {
          type: "input",
          block_id: "when",
          optional: true,
          label: { type: "plain_text", text: "When" },
          element: { type: "datetimepicker", action_id: "at", initial_date_time: 1795741323 },
        },
        {
          type: "input",
          block_id: "dbs",
          label: { type: "plain_text", text: "Databases" },
          element: {
            type: "multi_static_select",
            action_id: "pick",
            options: [
              { text: { type: "plain_text", text: "orders" }, value: "orders" },
              { text: { type: "plain_text", text: "users" }, value: "users" },
            ],
            initial_options: [{ text: { type: "plain_text", text: "users" }, value: "users" }],
          },
        },
        {
          type: "actions",
          elements: [
            {
              type: "checkboxes",
              action_id: "c",
              options: [{ text: { type: "mrkdwn", text: "*yes*" }, value: "y" }],
            },
            { type: "users_select", action_id: "u", initial_user: "U0APPROVER1" },
          ],
        },
        {
          type: "rich_text",
          elements: [
            {
              type: "rich_text_section",
              elements: [
                { type: "text", text: "hi ", style: { bold: true } },
                { type: "user", user_id: "U0REQUESTER" },
                { type: "emoji", name: "wave" },
              ],
            },
          ],
        },
      ],
      ctx,
      { surface: "modal" },
    );
    expect(html).not.toContain(UNKNOWN_CLASS);
    expect(html).toContain("<hr>");
    expect(html).toContain('<span class="bk-optional">(optional)</span>');
    // 01:02:03 UTC is 10:02 in Tokyo, the reader's zone.
    expect(html).toContain('value="2026-11-27"');
    expect(html).toContain('value="10:02"');
    expect(html).toContain('<span class="bk-chip" data-value="users">users');
    expect(html).toContain('<option value="U0APPROVER1" selected>Bob</option>');
    expect(html).toContain("<b>hi </b>");
    expect(html).toContain("@Alice");
  });

  it("escapes whatever a view holds", () => {
    const html = renderBlocks(
      [{ type: "header", text: { type: "plain_text", text: "<script>alert(1)</script>" } }],
      ctx,
      { surface: "message" },
    );
    expect(html).not.toContain("<script>");
  });
});

/** Options of selects render as `<option>` text (no markup), so their HTML rendering is not there verbatim. */
function isInsideSelect(blocks: unknown, target: Record<string, unknown>): boolean {
  const walk = (value: unknown, inSelect: boolean): boolean => {
    if (value === target) return inSelect;
    if (Array.isArray(value)) return value.some((v) => walk(v, inSelect));
    if (!isRecord(value)) return false;
    const select = typeof value.type === "string" && /select$/.test(value.type);
    return Object.values(value).some((v) => walk(v, inSelect || select));
  };
  return walk(blocks, false);
}
