/**
 * Driving the playground's page in Chromium as a person would: open it as someone, type a command,
 * fill the form, click a button and confirm. `npm run screenshots` is written with it.
 */
import type { Browser, Locator, Page } from "playwright-core";

export interface OpenOptions {
  /** The reader's time zone (date tokens are shown in it). Default Asia/Tokyo. */
  timeZone?: string;
  width?: number;
  height?: number;
}

export class PageDriver {
  private constructor(readonly page: Page) {}

  /** A fresh browser context for `as`, at `place` (`channel:C…`, `dm` or `home`). */
  static async open(browser: Browser, url: string, as: string, place: string, options: OpenOptions = {}) {
    const context = await browser.newContext({
      timezoneId: options.timeZone ?? "Asia/Tokyo",
      locale: "en-US",
      viewport: { width: options.width ?? 1180, height: options.height ?? 820 },
    });
    const page = await context.newPage();
    await page.goto(`${url}?${new URLSearchParams({ as, place })}`);
    await page.locator("#main .channel-header").waitFor();
    return new PageDriver(page);
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }

  async type(command: string): Promise<void> {
    await this.page.locator("#composer-input").fill(command);
    await this.page.locator("#composer-input").press("Enter");
    await this.settled();
  }

  async go(place: string): Promise<void> {
    await this.page.locator(`[data-place="${place}"]`).first().click();
    await this.settled();
  }

  get modal(): Locator {
    return this.page.locator("#modal .modal");
  }

  /** The newest message in the channel holding `text`. */
  message(text: string): Locator {
    return this.page.locator("#messages .msg", { hasText: text }).last();
  }

  /** Picks from an external select in the modal (the instance picker). */
  async pick(blockId: string, value: string): Promise<void> {
    await this.modal.locator(`[data-block-id="${blockId}"] .bk-combo-input`).click();
    await this.modal
      .locator(`[data-block-id="${blockId}"] .bk-combo-options li[data-value="${value}"]`)
      .click();
    await this.settled();
  }

  async select(blockId: string, value: string): Promise<void> {
    const select = this.modal.locator(`[data-block-id="${blockId}"] select`);
    await select.waitFor();
    await select.selectOption(value);
    await this.settled();
  }

  async check(blockId: string, values: readonly string[]): Promise<void> {
    const block = this.modal.locator(`[data-block-id="${blockId}"]`);
    await block.locator("summary").click();
    for (const value of values) await block.locator(`input[value="${value}"]`).check();
    await block.locator("summary").click();
    await this.settled();
  }

  /** Clicks a button in a message and confirms its dialog, if it has one. */
  async click(message: Locator, actionId: string): Promise<void> {
    await message.locator(`button[data-action-id="${actionId}"]`).click();
    const confirm = message.locator("dialog.bk-confirm[open] button[value=confirm]");
    if (await confirm.count()) await confirm.click();
    await this.settled();
  }

  async openThread(message: Locator): Promise<void> {
    await message.locator("[data-open-thread]").click();
    await this.page.locator("#thread .thread-header").waitFor();
    await this.settled();
  }

  /** Waits until no act is in flight and the page has caught up with the workspace. */
  async settled(): Promise<void> {
    // Functions run in the page are given as text: this file is type-checked without the DOM's types.
    await this.page.waitForFunction("document.body.dataset.busy === undefined");
    await this.page.waitForTimeout(250);
  }

  /** Fonts and the emoji sheet loaded, so a screenshot shows what a person would see. */
  async ready(): Promise<void> {
    await this.page.evaluate(`(async () => {
      await document.fonts.ready;
      await new Promise((resolve) => {
        const sheet = new Image();
        sheet.onload = sheet.onerror = resolve;
        sheet.src = "/assets/emoji-sheet.png";
      });
    })()`);
  }
}
