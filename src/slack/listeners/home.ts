/**
 * The Home tab: when someone opens it (`app_home_opened`, tab `home`), the bot publishes their
 * view. Bolt acks events before the listener runs, so Slack does not retry a slow publish; a
 * retry that comes anyway (the ack got lost) publishes the same view again, which is harmless.
 * The `messages` tab sends the same event with `tab: "messages"`: nothing to do there.
 */
import type { App } from "@slack/bolt";
import { type ListenerDeps, requestLog } from "./deps.js";

export function registerHome(app: App, deps: ListenerDeps): void {
  app.event("app_home_opened", async ({ event, context }) => {
    if (event.tab !== "home") return;
    const userId = event.user;
    const log = requestLog(context, deps.logger);
    await deps.afterAck(async () => {
      try {
        const locale = await deps.directory.localeOf(userId);
        await deps.home.opened(userId, locale);
      } catch (error) {
        log.warn({ err: error, user: userId }, "could not publish the Home tab");
      }
    });
  });
}
