/**
 * The start asks Slack about the bot token (src/slack/token-check.ts): a refused token stops it
 * with a message that says what to fix and nothing else happens; an unreachable Slack does not.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.js";
import { type RdsEmulator, startRdsEmulator } from "../../src/sandbox/rds-emulator.js";
import { type SlackEmulator, startSlackEmulator } from "../../src/sandbox/slack-emulator.js";
import {
  BOT_TOKEN,
  freePort,
  REQUEST_CHANNEL,
  SIGNING_SECRET,
  startStage,
  USERS,
} from "../../src/sandbox/stage.js";
import { startBotProcess } from "../support/bot-process.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function emulators(): Promise<{ slack: SlackEmulator; rds: RdsEmulator }> {
  const slack = await startSlackEmulator({ botToken: BOT_TOKEN });
  const rds = await startRdsEmulator();
  closers.push(
    () => slack.close(),
    () => rds.close(),
  );
  return { slack, rds };
}

describe("the bot token, checked at start", () => {
  it("stops the start when Slack refuses it, naming the variable but not the token", async () => {
    const { slack, rds } = await emulators();
    const otherToken = "xoxb-1111-2222-from-another-workspace";
    const databaseUrl = join(mkdtempSync(join(tmpdir(), "rdsbot-token-")), "bot.sqlite");

    const started = startStage({
      slack,
      rdsEmulator: rds,
      databaseUrl,
      env: { SLACK_BOT_TOKEN: otherToken },
    });
    const error = await started.then(
      () => undefined,
      (failure: unknown) => failure,
    );

    expect(error).toBeInstanceOf(ConfigError);
    const message = String((error as Error).message);
    expect(message).toContain("SLACK_BOT_TOKEN");
    expect(message).toContain("invalid_auth");
    expect(message).not.toContain(otherToken);
    // Nothing else happened: one question to Slack, no store, no RDS call.
    expect(slack.calls.map((call) => call.method)).toEqual(["auth.test"]);
    expect(existsSync(databaseUrl)).toBe(false);
    expect(rds.calls).toHaveLength(0);
  });

  it("makes the process (src/main.ts) exit 78, EX_CONFIG, with the message on stderr", async () => {
    const { slack, rds } = await emulators();
    const databaseUrl = join(mkdtempSync(join(tmpdir(), "rdsbot-token-main-")), "bot.sqlite");
    const revoked = "xoxb-3333-4444-revoked";
    const started = startBotProcess({ slack, rds, databaseUrl, env: { SLACK_BOT_TOKEN: revoked } });
    const message = await started.then(
      () => "started",
      (error: unknown) => String((error as Error).message),
    );
    expect(message).toMatch(/^the bot exited 78 at start-up/);
    expect(message).toContain("SLACK_BOT_TOKEN: Slack refused it (invalid_auth)");
    expect(message).not.toContain(revoked);
  }, 30_000);

  it("starts anyway when Slack cannot be reached, and works once Slack is back", async () => {
    const rds = await startRdsEmulator();
    closers.push(() => rds.close());
    const slackPort = await freePort();
    const stage = await startStage({
      rdsEmulator: rds,
      env: { SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/` },
    });
    closers.push(() => stage.close());
    expect((await fetch(`http://127.0.0.1:${stage.config.port}/healthz`)).status).toBe(200);
    expect(stage.logs.join("")).toContain("could not check the bot token with Slack; starting anyway");

    // Slack comes back where the bot expects it: a command is answered (Bolt did not keep the
    // failed start-up check and refuse every request after it).
    const slack = await startSlackEmulator({ botToken: BOT_TOKEN, port: slackPort });
    closers.push(() => slack.close());
    const user = slack.simulator({
      requestUrl: `http://127.0.0.1:${stage.config.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
    const command = await user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: "help",
    });
    expect(command.status).toBe(200);
    const answer = await slack.waitFor(
      "response_url",
      (_args, call) => call.responseUrlId === command.responseUrlId,
    );
    expect(String((answer.args as { text?: string }).text)).toContain("/rds-backup");
  });

  it("logs the workspace Slack answered for when it accepts the token", async () => {
    const { slack, rds } = await emulators();
    const stage = await startStage({ slack, rdsEmulator: rds });
    closers.push(() => stage.close());
    expect(slack.calls[0]?.method).toBe("auth.test");
    expect(stage.logs.join("")).toContain("Slack accepted the bot token");
  });
});
