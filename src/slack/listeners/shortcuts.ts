/**
 * The global shortcut "Request an RDS backup" (`rds_backup_shortcut`): the same form as
 * `/rds-backup` with no text, for people who do not remember the command. Its payload has a
 * trigger id but no channel, no response URL and no locale (Slack's shortcuts payload reference),
 * so the person's language comes from `users.info` as for the command, and a failure to open the
 * form is told in a direct message, the one place the bot can still reach them.
 */
import type { App, GlobalShortcut } from "@slack/bolt";
import { messages } from "../../i18n/index.js";
import { REQUEST_SHORTCUT_CALLBACK_ID } from "../ids.js";
import { errorReference, type ListenerDeps, requestLog } from "./deps.js";
import { openRequestForm } from "./request-form.js";

export function registerShortcuts(app: App, deps: ListenerDeps): void {
  app.shortcut<GlobalShortcut>(REQUEST_SHORTCUT_CALLBACK_ID, async ({ shortcut, ack, client, context }) => {
    await ack();
    const log = requestLog(context, deps.logger).child({ callbackId: REQUEST_SHORTCUT_CALLBACK_ID });
    const userId = shortcut.user.id;
    const form = await openRequestForm(deps, { client, userId, triggerId: shortcut.trigger_id, log });
    if (form.opened) return;
    const reference = errorReference();
    log.warn({ err: form.error, reference }, "could not open the request form from the shortcut");
    await client.chat
      .postMessage({ channel: userId, text: messages(form.locale).command.internalError(reference) })
      .catch((error: unknown) => log.warn({ err: error, reference }, "could not tell the person either"));
  });
}
