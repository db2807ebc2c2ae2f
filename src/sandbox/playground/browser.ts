/**
 * Debian's Chromium driven by Playwright (`playwright-core`, which never downloads a browser), with
 * the flags this machine's notes give: headless, no sandbox (root), and nothing that reaches for
 * the network on its own (background networking, component updates, sync, QUIC).
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

/**
 * Where Chromium is: `CHROMIUM_PATH` when set (then it must exist: CI sets it so that a missing
 * browser fails the run instead of skipping its tests), else Debian's `/usr/bin/chromium` when
 * installed, else undefined.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const wanted = env.CHROMIUM_PATH;
  if (wanted !== undefined && wanted !== "") {
    if (!existsSync(wanted)) {
      throw new Error(`CHROMIUM_PATH is ${wanted}, and there is no such file (apt-get install chromium)`);
    }
    return wanted;
  }
  return existsSync(DEFAULT_CHROMIUM) ? DEFAULT_CHROMIUM : undefined;
}

/** Starts Chromium headless; Playwright gives it a fresh, empty user data directory. */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [...CHROMIUM_FLAGS],
    chromiumSandbox: false,
    timeout: 60_000,
  });
}
