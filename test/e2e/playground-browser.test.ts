/**
 * The playground in a real browser: Debian's Chromium, driven by Playwright, clicking through the
 * page the way a person would. Every click becomes the signed request Slack would send to the real
 * bot, which runs against the Slack and RDS emulators.
 *
 * Without Chromium these tests are skipped, loudly; `.ci/run` installs it and sets CHROMIUM_PATH,
 * so in CI a missing browser fails instead.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { en } from "../../src/i18n/messages.en.js";
import { ja } from "../../src/i18n/messages.ja.js";
import { chromiumPath, launchChromium } from "../../src/sandbox/playground/browser.js";
import { type Playground, startPlayground } from "../../src/sandbox/playground/server.js";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { APPROVAL_CHANNEL, REQUEST_CHANNEL, USERS } from "../../src/sandbox/stage.js";

const executable = chromiumPath();
if (!executable) {
  const line = "!".repeat(100);
  console.warn(
    `\n${line}\n!! SKIPPED: the playground's browser tests need Chromium (apt-get install chromium, or set CHROMIUM_PATH).\n!! .ci/run installs it; these tests did NOT run here.\n${line}\n`,
  );
}

// A whole flow in a browser takes seconds, more on a loaded machine: room beyond the 30 s default.
describe.skipIf(!executable)("the playground in Chromium", { timeout: 120_000 }, () => {
  let browser: Browser;
  let playground: Playground;
  let pages: Page[] = [];
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium(executable ?? "");
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    playground = await startPlayground();
    consoleErrors = [];
  });
  afterEach(async () => {
    for (const page of pages) await page.context().close();
    pages = [];
    await playground.close();
    expect(consoleErrors, "errors in the page's console").toEqual([]);
  });

  /** A fresh browser context (its own person, a reader in Tokyo), at a place in the workspace. */
  async function open(as: string, place: string): Promise<Page> {
    const context = await browser.newContext({
      timezoneId: "Asia/Tokyo",
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await page.goto(`${playground.url}?as=${as}&place=${place}`);
    await page.locator("#main .channel-header").waitFor();
    pages.push(page);
    return page;
  }

  async function type(page: Page, command: string): Promise<void> {
    await page.locator("#composer-input").fill(command);
    await page.locator("#composer-input").press("Enter");
  }

  /** The approval card (the newest message with the Approve button, or the newest at all). */
  const newestMessage = (page: Page) => page.locator("#messages .msg").last();

  it("files a request through the modal; an approver approves; the job id lands in the thread", async () => {
    const alice = await open(USERS.requester, `channel:${REQUEST_CHANNEL}`);
    // Bob watches the approval channel: the card must appear there without a reload.
    const bob = await open(USERS.approver, `channel:${APPROVAL_CHANNEL}`);
    await bob.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    await type(alice, "/rds-backup");
    const modal = alice.locator("#modal .modal");
    await modal.waitFor();
    await modal.locator("[data-block-id=DBInstanceId] .bk-combo-input").click();
    await modal.locator(`.bk-combo-options li[data-value="${SEED.mysql}"]`).click();
    await modal.locator("[data-block-id=BackupMethod] select").waitFor();
    await modal.locator("[data-block-id=BackupMethod] select").selectOption("Logical");
    await modal.locator("[data-block-id=BackupStrategy] select").waitFor();
    await modal.locator("[data-block-id=BackupStrategy] select").selectOption("db");
    const databases = modal.locator("[data-block-id=DBName]");
    await databases.locator("summary").click();
    await databases.locator('input[value="orders"]').check();
    await databases.locator('input[value="customers"]').check();
    await expect.poll(() => databases.locator(".bk-chip").count()).toBe(2);
    await modal.locator("[data-submit-view]").click();
    await modal.waitFor({ state: "detached" });

    const card = bob.locator("#messages .msg", { hasText: SEED.mysql });
    await card.locator("button[data-action-id=approve_backup]").waitFor();
    expect(await bob.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await card.textContent()).toContain("DBName: orders, customers");

    await card.locator("button[data-action-id=approve_backup]").click();
    const confirm = card.locator("dialog.bk-confirm[open]");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(en.card.confirmTitle);
    await confirm.locator("button[value=confirm]").click();

    await card.locator("[data-open-thread]").waitFor();
    await expect.poll(() => playground.stage.rds.jobs(SEED.mysql).length).toBe(1);
    const jobId = playground.stage.rds.jobs(SEED.mysql)[0]?.backupJobId ?? "";
    await card.locator("[data-open-thread]").click();
    await bob.locator("#thread .msg", { hasText: jobId }).first().waitFor();
    expect(await bob.locator("#thread").textContent()).toContain(`job ${jobId}`);
    // The card lost its buttons once decided.
    await card.locator("button[data-action-id=approve_backup]").waitFor({ state: "detached" });
    expect(playground.stage.rds.count("CreateBackup")).toBe(1);
  });

  it("refuses someone who may not approve, with a message only they see, and changes nothing", async () => {
    const alice = await open(USERS.requester, `channel:${REQUEST_CHANNEL}`);
    await type(alice, `/rds-backup ${SEED.mysqlCloud}`);
    const mallory = await open(USERS.outsider, `channel:${APPROVAL_CHANNEL}`);
    const card = mallory.locator("#messages .msg", { hasText: SEED.mysqlCloud });
    await card.locator("button[data-action-id=approve_backup]").click();
    await card.locator("dialog.bk-confirm[open] button[value=confirm]").click();
    const ephemeral = mallory.locator(".msg-ephemeral", { hasText: en.refusal.not_approver });
    await ephemeral.waitFor();
    expect(await ephemeral.textContent()).toContain("Only visible to you");
    // Only Mallory sees it: Alice, in the same channel, does not.
    await alice.locator(`[data-place="channel:${APPROVAL_CHANNEL}"]`).click();
    await alice.locator("#messages .msg", { hasText: SEED.mysqlCloud }).waitFor();
    expect(await alice.locator(".msg-ephemeral", { hasText: en.refusal.not_approver }).count()).toBe(0);
    expect(await card.locator("button[data-action-id=approve_backup]").count()).toBe(1);
    expect(playground.stage.rds.count("CreateBackup")).toBe(0);
  });

  it("opens the request form from the global shortcut, in the person's language, and files with a reason", async () => {
    const kenji = await open(USERS.jaRequester, `channel:${REQUEST_CHANNEL}`);
    await kenji.locator("button[data-shortcut=rds_backup_shortcut]").click();
    const modal = kenji.locator("#modal .modal");
    await modal.locator("[data-block-id=reason]", { hasText: ja.modal.reasonLabel }).waitFor();
    await modal.locator("[data-block-id=DBInstanceId] .bk-combo-input").click();
    await modal.locator(`.bk-combo-options li[data-value="${SEED.postgres}"]`).click();
    await modal.locator("[data-block-id=BackupMethod] select").waitFor();
    await modal.locator("[data-block-id=reason] textarea").fill("リリース前の確認 <!channel>");
    await modal.locator("[data-submit-view]").click();
    await modal.waitFor({ state: "detached" });
    await kenji.locator(`[data-place="channel:${APPROVAL_CHANNEL}"]`).click();
    const card = newestMessage(kenji);
    await card.locator(".bk-header-text", { hasText: ja.card.header(SEED.postgres) }).waitFor();
    expect(await card.textContent()).toContain("リリース前の確認 <!channel>");
  });

  it("shows a Japanese requester's card in Japanese, and the switcher acts as someone else", async () => {
    const page = await open(USERS.jaRequester, `channel:${REQUEST_CHANNEL}`);
    await type(page, `/rds-backup ${SEED.postgres} method=Snapshot`);
    await page.locator(`[data-place="channel:${APPROVAL_CHANNEL}"]`).click();
    const card = newestMessage(page);
    await card.locator(".bk-header-text", { hasText: ja.card.header(SEED.postgres) }).waitFor();
    expect(await card.textContent()).toContain(ja.card.instance);
    // Kenji may not decide on his own request; Bob may: switch to Bob in the same page.
    await page.locator("#person").selectOption(USERS.approver);
    await expect.poll(() => new URL(page.url()).searchParams.get("as")).toBe(USERS.approver);
    await card.locator("button[data-action-id=approve_backup]").click();
    await card.locator("dialog.bk-confirm[open] button[value=confirm]").click();
    await card.locator("[data-open-thread]").waitFor();
    expect(playground.stage.rds.count("CreateBackup")).toBe(1);
  });

  it("shows the acting person's Home tab, and Approve there decides like the card", async () => {
    const alice = await open(USERS.requester, `channel:${REQUEST_CHANNEL}`);
    await type(alice, `/rds-backup ${SEED.mysql} method=Physical`);
    await expect.poll(() => playground.stage.slack.messages(APPROVAL_CHANNEL).length).toBe(1);
    const bob = await open(USERS.approver, "home");
    const home = bob.locator(".home-view");
    await home.locator(".bk-header-text", { hasText: en.home.waiting }).waitFor();
    expect(await home.textContent()).toContain(SEED.mysql);
    await home.locator("button[data-action-id=approve_backup]").click();
    const confirm = home.locator("dialog.bk-confirm[open]");
    await confirm.waitFor();
    await confirm.locator("button[value=confirm]").click();
    await expect.poll(() => playground.stage.rds.jobs(SEED.mysql).length).toBe(1);
    // The bot publishes the tab again: the request left Bob's list, and its buttons with it.
    await home.locator("button[data-action-id=approve_backup]").waitFor({ state: "detached" });
    expect(await home.textContent()).toContain(en.home.waitingNone);
    expect(playground.stage.rds.count("CreateBackup")).toBe(1);
  });
});
