/**
 * The bot joined a channel: Slack sends `member_joined_channel` with the bot's own user id when
 * someone invites it (`/invite`, "Add apps", `conversations.invite`) to a channel it could not post
 * in (docs.slack.dev/reference/events/member_joined_channel: `user`, `channel`, `channel_type`,
 * `team`, `inviter` when someone invited; bot event, scopes channels:read and groups:read). Bolt's
 * ignoreSelf middleware keeps this event even though the user is the bot. What the outbox had set
 * aside there for requests still under way goes out now. Other people joining change nothing.
 */
import type { App } from "@slack/bolt";
import { type ListenerDeps, requestLog } from "./deps.js";

export function registerChannels(app: App, deps: ListenerDeps): void {
  app.event("member_joined_channel", async ({ event, context }) => {
    if (!context.botUserId || event.user !== context.botUserId) return;
    const log = requestLog(context, deps.logger);
    const { channel } = event;
    log.info({ channel, inviter: event.inviter }, "the bot was added to a channel");
    await deps.afterAck(async () => {
      try {
        await deps.botJoined(channel);
      } catch (error) {
        // The start-up check and the periodic recheck of the approval channel release it too.
        log.warn({ err: error, channel }, "could not release the messages set aside for this channel");
      }
    });
  });
}
