/**
 * `npm run screenshots`: the README's pictures (docs/images/*.png), taken from the playground in
 * headless Chromium. Each scene starts a fresh playground (the real bot on the emulators), acts as
 * the demo people would, and photographs the page. Rerun it whenever a message changes; scenes for
 * features the bot does not have yet say so and are skipped.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { SEED } from "../rds-emulator.js";
import { APPROVAL_CHANNEL, REQUEST_CHANNEL, USERS } from "../stage.js";
import { chromiumPath, launchChromium } from "./browser.js";
import { PageDriver } from "./driver.js";
import { type Playground, startPlayground } from "./server.js";

const OUT = fileURLToPath(new URL("../../../docs/images/", import.meta.url));
const APPROVALS = `channel:${APPROVAL_CHANNEL}`;
const DBOPS = `channel:${REQUEST_CHANNEL}`;

interface Scene {
  file: string;
  what: string;
  /** Returns why the scene was skipped, or nothing when the picture was taken. */
  shoot(browser: Browser, playground: Playground, file: string): Promise<string | undefined>;
}

/** Alice has filed a MySQL request through the form; the card waits in #rds-approvals. */
async function fileThroughForm(browser: Browser, playground: Playground): Promise<PageDriver> {
  const alice = await PageDriver.open(browser, playground.url, USERS.requester, DBOPS);
  await alice.type("/rds-backup");
  await alice.pick("DBInstanceId", SEED.mysql);
  await alice.select("BackupMethod", "Logical");
  await alice.select("BackupStrategy", "db");
  await alice.check("DBName", ["orders", "customers"]);
  return alice;
}

/** Waits until the thread under `text` has stopped growing (the bot's follow-up replies are in). */
async function quietThread(playground: Playground, text: string): Promise<void> {
  const { slack } = playground.stage;
  let last = -1;
  let stableSince = Date.now();
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    const card = slack.messages(APPROVAL_CHANNEL).findLast((m) => JSON.stringify(m.blocks).includes(text));
    const count = card ? slack.thread(APPROVAL_CHANNEL, card.ts).length : 0;
    if (count !== last) {
      last = count;
      stableSince = Date.now();
    } else if (count > 0 && Date.now() - stableSince > 1500) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The page as a person would see it, the pointer out of the way. */
async function shoot(driver: PageDriver, file: string): Promise<void> {
  await driver.ready();
  await driver.page.mouse.move(1, 1);
  await driver.page.waitForTimeout(100);
  await driver.page.screenshot({ path: file });
}

const SCENES: Scene[] = [
  {
    file: "request-form.png",
    what: "the request form for a MySQL instance",
    async shoot(browser, playground, file) {
      const alice = await fileThroughForm(browser, playground);
      await shoot(alice, file);
      return undefined;
    },
  },
  {
    file: "approval-card.png",
    what: "the approval card, waiting for a decision",
    async shoot(browser, playground, file) {
      const alice = await fileThroughForm(browser, playground);
      await alice.modal.locator("[data-submit-view]").click();
      await alice.settled();
      const bob = await PageDriver.open(browser, playground.url, USERS.approver, APPROVALS);
      await bob.message(SEED.mysql).locator("button[data-action-id=approve_backup]").waitFor();
      await shoot(bob, file);
      return undefined;
    },
  },
  {
    file: "approved-thread.png",
    what: "the card after approval, with the job id in its thread",
    async shoot(browser, playground, file) {
      const alice = await fileThroughForm(browser, playground);
      await alice.modal.locator("[data-submit-view]").click();
      await alice.settled();
      const bob = await PageDriver.open(browser, playground.url, USERS.approver, APPROVALS);
      const card = bob.message(SEED.mysql);
      await bob.click(card, "approve_backup");
      await quietThread(playground, SEED.mysql);
      await bob.openThread(card);
      await shoot(bob, file);
      return undefined;
    },
  },
  {
    file: "translated-error.png",
    what: "a translated RDS error in the thread",
    async shoot(browser, playground, file) {
      const alice = await PageDriver.open(browser, playground.url, USERS.requester, DBOPS);
      await alice.type(`/rds-backup ${SEED.mysqlCloud}`);
      // RDS refuses: another backup is already running on the instance.
      playground.stage.rds.failNext("CreateBackup", { code: "BackupJobExists" });
      const bob = await PageDriver.open(browser, playground.url, USERS.approver, APPROVALS);
      const card = bob.message(SEED.mysqlCloud);
      await bob.click(card, "approve_backup");
      await quietThread(playground, SEED.mysqlCloud);
      await bob.openThread(card);
      await shoot(bob, file);
      return undefined;
    },
  },
  {
    file: "japanese-card.png",
    what: "a Japanese DBA's request: the card and its thread in Japanese",
    async shoot(browser, playground, file) {
      const kenji = await PageDriver.open(browser, playground.url, USERS.jaRequester, DBOPS);
      await kenji.type(`/rds-backup ${SEED.postgres} method=Snapshot`);
      const bob = await PageDriver.open(browser, playground.url, USERS.approver, APPROVALS);
      const card = bob.message(SEED.postgres);
      await bob.click(card, "approve_backup");
      await quietThread(playground, SEED.postgres);
      await bob.openThread(card);
      await shoot(bob, file);
      return undefined;
    },
  },
  {
    file: "home-tab.png",
    what: "the App Home tab",
    async shoot(browser, playground, file) {
      const alice = await PageDriver.open(browser, playground.url, USERS.requester, DBOPS);
      await alice.type(`/rds-backup ${SEED.mysql} method=Physical`);
      const bob = await PageDriver.open(browser, playground.url, USERS.approver, "home");
      const published = () => playground.stage.slack.callsTo("views.publish").some((c) => c.ok);
      for (let waited = 0; waited < 3000 && !published(); waited += 100) await bob.page.waitForTimeout(100);
      if (!published()) return "the bot publishes no Home tab yet";
      await bob.go("home");
      await shoot(bob, file);
      return undefined;
    },
  },
  {
    file: "scheduled-request.png",
    what: "a request scheduled for later (at=)",
    async shoot(browser, playground, file) {
      const alice = await PageDriver.open(browser, playground.url, USERS.requester, DBOPS);
      const before = playground.stage.slack.messages(APPROVAL_CHANNEL).length;
      await alice.type(`/rds-backup ${SEED.mysql} method=Physical at=23:30`);
      await alice.page.waitForTimeout(2000);
      if (playground.stage.slack.messages(APPROVAL_CHANNEL).length === before) {
        return "the bot does not take at= yet (no card was filed)";
      }
      const bob = await PageDriver.open(browser, playground.url, USERS.approver, APPROVALS);
      await bob.message(SEED.mysql).waitFor();
      await shoot(bob, file);
      return undefined;
    },
  },
];

/** Japanese needs a CJK font, or the Japanese card is a row of boxes. */
function checkFonts(): void {
  let japanese = "";
  try {
    japanese = execFileSync("fc-list", [":lang=ja", "family"], { encoding: "utf8" });
  } catch {
    // No fontconfig: Chromium has no fonts to find either.
  }
  if (japanese.trim() === "") {
    throw new Error("no Japanese font: apt-get install fonts-noto-cjk (and fonts-lato, Slack's typeface)");
  }
}

async function main(): Promise<void> {
  const executable = chromiumPath();
  if (!executable) throw new Error("no Chromium: apt-get install chromium (or set CHROMIUM_PATH)");
  checkFonts();
  mkdirSync(OUT, { recursive: true });
  const only = process.argv.slice(2);
  const browser = await launchChromium(executable);
  let taken = 0;
  try {
    for (const scene of SCENES) {
      if (only.length > 0 && !only.some((name) => scene.file.includes(name))) continue;
      const playground = await startPlayground();
      try {
        const skipped = await scene.shoot(browser, playground, `${OUT}${scene.file}`);
        if (skipped) process.stdout.write(`skipped  ${scene.file}: ${skipped}\n`);
        else {
          taken++;
          process.stdout.write(`wrote    docs/images/${scene.file}: ${scene.what}\n`);
        }
      } finally {
        for (const context of browser.contexts()) await context.close();
        await playground.close();
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`${taken} screenshot(s) in docs/images/\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
