import { describe, expect, it } from "vitest";
import { renderMrkdwn, renderPlain } from "../../../src/sandbox/playground/mrkdwn.js";
import { UNKNOWN_CLASS } from "../../../src/sandbox/playground/render-context.js";
import { formatSlackDate } from "../../../src/sandbox/playground/slack-dates.js";
import { readerContext } from "./fixtures.js";

const ctx = readerContext();
const md = (text: string) => renderMrkdwn(text, ctx);
/** What a person reads: the HTML without its tags. */
const visible = (html: string) =>
  html
    .replace(/<br>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

describe("mrkdwn", () => {
  it("bold, italic, strike, code, code blocks and quotes", () => {
    expect(md("*Instance* and _maybe_ and ~no~")).toBe("<b>Instance</b> and <i>maybe</i> and <s>no</s>");
    expect(md("run `a *b*` now")).toBe('run <code class="bk-code">a *b*</code> now');
    expect(md("```\nline 1\nline *2*```")).toBe('<pre class="bk-pre">line 1\nline *2*</pre>');
    expect(md("before\n> quoted *bold*\n> more\nafter")).toBe(
      'before<blockquote class="bk-quote">quoted <b>bold</b><br>more</blockquote>after',
    );
  });

  it("leaves snake_case, arithmetic and lone marks alone", () => {
    expect(md("approve_backup_now 2*3*4 a * b")).toBe("approve_backup_now 2*3*4 a * b");
    expect(md(":x: *CreateBackup に失敗しました。* バックアップ")).toContain(
      "<b>CreateBackup に失敗しました。</b>",
    );
  });

  it("mentions people, channels, groups and everyone by name", () => {
    expect(visible(md("<@U0REQUESTER> in <#C0APPROVALS> for <!subteam^S0DBAS> and <!here>"))).toBe(
      "@Alice in #rds-approvals for @dbas and @here",
    );
    expect(visible(md("<@U0NOBODY> <#C0OTHER|general> <!subteam^S1|@sre>"))).toBe("@U0NOBODY #general @sre");
    expect(md("<@U0REQUESTER>")).toContain('class="bk-mention bk-mention-user"');
  });

  it("links, labelled or bare, and never a script link", () => {
    expect(md("<https://example.com/a?b=1&amp;c=2|the *docs*>")).toBe(
      '<a class="bk-link" href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the *docs*</a>',
    );
    const bare = md("Diagnosis: https://api.aliyun.com/troubleshoot?q=Some_Code_Here.");
    expect(bare).toContain('href="https://api.aliyun.com/troubleshoot?q=Some_Code_Here"');
    expect(bare.endsWith("</a>.")).toBe(true);
    expect(md("<javascript:alert(1)|x>")).not.toContain("href");
  });

  it("shows escaped text as text: no mention, no markup, no HTML", () => {
    const html = md("orders &lt;!channel&gt; &amp; co <script>&lt;b&gt;");
    expect(visible(html)).toBe("orders <!channel> & co <script><b>");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("bk-mention");
    expect(renderPlain("orders <!channel> & co <img src=x>")).toBe(
      "orders &lt;!channel&gt; &amp; co &lt;img src=x&gt;",
    );
  });

  it("shows emoji short codes as emoji, and unknown ones as unknown", () => {
    const html = md(":white_check_mark: done");
    expect(html).toContain('aria-label=":white_check_mark:"');
    expect(visible(html)).toBe("✅ done");
    expect(md(":definitely_not_an_emoji:")).toContain(UNKNOWN_CLASS);
    expect(md("at 10:30:00")).toBe("at 10:30:00");
    expect(renderPlain(":rocket: go", false)).toBe(":rocket: go");
  });

  it("marks what Slack would not understand instead of dropping it", () => {
    expect(md("<!foo> and <not a link>")).toContain(UNKNOWN_CLASS);
    expect(visible(md("<!foo>"))).toBe("<!foo>");
  });
});

describe("date tokens in the reader's time zone", () => {
  // 2026-11-27 01:02:03 UTC
  const token = "<!date^1795741323^{date_short_pretty} at {time}|2026-11-27 01:02 UTC>";

  it("renders the same instant in each reader's zone", () => {
    expect(visible(md(token))).toBe("Today at 10:02 AM");
    expect(visible(renderMrkdwn(token, readerContext({ timeZone: "America/New_York" })))).toBe(
      "Today at 8:02 PM",
    );
    const weekLater = Date.parse("2026-12-04T03:00:00Z");
    expect(visible(renderMrkdwn(token, readerContext({ now: weekLater })))).toBe("Nov 27, 2026 at 10:02 AM");
    expect(
      visible(renderMrkdwn(token, readerContext({ now: weekLater, timeZone: "America/New_York" }))),
    ).toBe("Nov 26, 2026 at 8:02 PM");
    expect(visible(renderMrkdwn(token, readerContext({ timeZone: "UTC" })))).toBe("Today at 1:02 AM");
    expect(md(token)).toContain('datetime="2026-11-27T01:02:03.000Z"');
    expect(md(token)).toContain('title="2026-11-27 01:02 UTC"');
  });

  it("keeps the fallback, marked, when the format is not Slack's", () => {
    const html = md("<!date^1795741323^{member_local_time}|fallback text>");
    expect(html).toContain(UNKNOWN_CLASS);
    expect(visible(html)).toBe("fallback text");
  });

  it("links the date when the token has a link", () => {
    expect(md("<!date^1795741323^{date_num}^https://example.com|x>")).toContain('href="https://example.com"');
  });

  it("formats every token of Slack's list", () => {
    const at = 1795741323; // Friday 2026-11-27 10:02:03 in Tokyo
    const now = Date.parse("2026-11-27T03:00:00Z");
    const f = (format: string, nowMs = now) => formatSlackDate(at, format, "Asia/Tokyo", nowMs);
    expect(f("{date_num}")).toBe("2026-11-27");
    expect(f("{date_slash}")).toBe("27/11/2026");
    expect(f("{date_long}")).toBe("Friday, November 27th, 2026");
    expect(f("{date_long_full}")).toBe("November 27, 2026");
    expect(f("{date}")).toBe("November 27");
    expect(f("{date_short}")).toBe("Nov 27, 2026");
    expect(f("{time} / {time_secs}")).toBe("10:02 AM / 10:02:03 AM");
    expect(f("{ago}")).toBe("1 hour ago");
    expect(f("{ago}", at * 1000 - 120_000)).toBe("in 2 minutes");
    expect(f("{date_pretty}", now + 86_400_000)).toBe("Yesterday");
    expect(f("due {date_long_pretty}", now - 86_400_000)).toBe("due tomorrow");
    expect(f("{day_divider_pretty}", now + 3 * 86_400_000)).toBe("Friday, November 27th");
    expect(f("{nonsense}")).toBeUndefined();
  });
});
