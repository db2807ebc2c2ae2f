/** Waiting for a bot to finish its background work, seen from outside: no Slack or RDS call for a while. */
import type { RdsEmulator } from "../../src/sandbox/rds-emulator.js";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";

export async function quiescence(
  slack: SlackEmulator,
  rds: RdsEmulator,
  quietMs = 250,
  timeoutMs = 120_000,
): Promise<void> {
  const started = Date.now();
  let last = `${slack.calls.length}/${rds.calls.length}`;
  let since = Date.now();
  while (Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = `${slack.calls.length}/${rds.calls.length}`;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
  }
  throw new Error(`the bot was still busy after ${timeoutMs} ms`);
}
