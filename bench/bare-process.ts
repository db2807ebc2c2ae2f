/**
 * The bare Bolt app (bench/lib/bare-app.ts) alone in a process, so it is measured under the same
 * conditions as the bot in bench/bot-process.ts. Reads SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and
 * SLACK_API_URL;
 * tells the parent `{ type: "ready", url }`.
 */
import { startBareApp } from "./lib/bare-app.js";

const secret = process.env.SLACK_SIGNING_SECRET ?? "";
const token = process.env.SLACK_BOT_TOKEN ?? "";
const app = await startBareApp(secret, token, process.env.SLACK_API_URL ?? "");
process.send?.({ type: "ready", url: app.url });
const stop = () => void app.close().finally(() => process.exit(0));
process.on("message", (message: { type?: string }) => {
  if (message.type === "stop") stop();
});
process.once("disconnect", stop);
