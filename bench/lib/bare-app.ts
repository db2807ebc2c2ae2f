/**
 * The baseline: a bare Bolt app (HTTPReceiver, same signing secret, same receiver settings as the
 * bot's) whose listeners only ack the same command and action. What the bot adds is measured
 * against this.
 */
import { App, HTTPReceiver, type Logger, LogLevel } from "@slack/bolt";
import { freePort } from "../../src/sandbox/stage.js";
import { APPROVE_ACTION_ID, COMMAND } from "../../src/slack/ids.js";

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export interface BareApp {
  url: string;
  close(): Promise<void>;
}

/**
 * `slackApiUrl`: the emulator's Web API. Bolt asks `auth.test` who the bot is before the first
 * listener runs (and caches it), so the bare app needs an answer as the bot does.
 */
export async function startBareApp(
  signingSecret: string,
  botToken: string,
  slackApiUrl: string,
): Promise<BareApp> {
  const port = await freePort();
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: "/slack/events",
    logger: quiet,
    processBeforeResponse: false,
    unhandledRequestTimeoutMillis: 3001,
  });
  const app = new App({
    token: botToken,
    receiver,
    logger: quiet,
    clientOptions: { slackApiUrl, retryConfig: { retries: 0 } },
  });
  app.command(COMMAND, async ({ ack }) => {
    await ack();
  });
  app.action(APPROVE_ACTION_ID, async ({ ack }) => {
    await ack();
  });
  await app.start(port);
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    close: async () => {
      await app.stop();
    },
  };
}
