/**
 * Opening the request form: for `/rds-backup` with no text and for the global shortcut. Opened at
 * once with the language known without asking Slack (the trigger id dies after 3 seconds), then
 * re-rendered in the person's own language when `users.info` says otherwise: neither a command
 * nor a shortcut payload carries the person's locale.
 */
import type { WebClient } from "@slack/web-api";
import type { Locale } from "../../domain/request.js";
import type { Logger } from "../../logger.js";
import { requestModal } from "../views/request-modal.js";
import type { ListenerDeps } from "./deps.js";

export interface OpenFormInput {
  client: WebClient;
  userId: string;
  triggerId: string;
  /** Where the person asked from; a global shortcut has no channel. */
  channelId?: string | undefined;
  log: Logger;
}

/**
 * Opens the form. When it could not be opened (an expired trigger, a Slack error) resolves to the
 * error and the language known so far, so the caller can tell the person where it can.
 */
export async function openRequestForm(
  deps: ListenerDeps,
  input: OpenFormInput,
): Promise<{ opened: true } | { opened: false; locale: Locale; error: unknown }> {
  const { client, userId, log } = input;
  const cached = deps.directory.cachedLocale(userId);
  const locale = cached ?? deps.defaultLocale;
  const modal = (lang: Locale) =>
    requestModal({ locale: lang, approvalChannelId: deps.approvalChannelId, channelId: input.channelId });
  let opened: Awaited<ReturnType<typeof client.views.open>>;
  try {
    opened = await client.views.open({ trigger_id: input.triggerId, view: modal(locale) });
  } catch (error) {
    return { opened: false, locale, error };
  }
  if (!cached) {
    const actual = await deps.directory.localeOf(userId);
    if (actual !== locale && opened.view?.id) {
      await client.views
        .update({
          view_id: opened.view.id,
          ...(opened.view.hash ? { hash: opened.view.hash } : {}),
          view: modal(actual),
        })
        .catch((error: unknown) => log.debug({ err: error }, "modal already changed; keeping its language"));
    }
  }
  return { opened: true };
}
