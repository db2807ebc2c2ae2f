/**
 * `/rds-backup`: no text opens the modal (at once: the trigger id dies after 3 seconds), `help`
 * answers with usage, and `<DBInstanceId> key=value …` files a request without the form.
 * Every answer is ephemeral: only the person who typed sees it.
 */
import type { App, RespondArguments } from "@slack/bolt";
import type { DecisionRefusalReason } from "../../backup/service.js";
import { parseInlineArgs } from "../../domain/inline-args.js";
import type { RequestState } from "../../domain/lifecycle.js";
import type { Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import { COMMAND } from "../ids.js";
import { channelLink, unescapeSlack, userText } from "../text.js";
import { problemList, refusalText } from "../views/problems.js";
import { whenText } from "../views/schedule.js";
import { historyText, statusText } from "../views/status.js";
import { errorReference, type ListenerDeps, requestLog } from "./deps.js";
import { openRequestForm } from "./request-form.js";

/** Posts an ephemeral answer through the command's response URL; never throws. */
type Answer = (message: string | RespondArguments) => Promise<unknown>;

export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, async ({ command, ack, client, respond, context }) => {
    // A signed request without `text` (Slack always sends it) must still get an answer, not a 404.
    // Slack sends the text with `&`, `<`, `>` escaped: undone here, once, before parsing and echoing.
    const text = typeof command.text === "string" ? unescapeSlack(command.text).trim() : "";
    const [word = "", ...rest] = text.split(/\s+/);
    const log = requestLog(context, deps.logger).child({ channel: command.channel_id });
    // An answer that cannot be posted (the response URL failed) is logged, never thrown: the catch
    // below would otherwise tell the person "nothing was filed" about a request that was filed.
    const answer: Answer = (message) =>
      respond(message).catch((error: unknown) =>
        log.warn({ err: error }, "could not answer through the response URL"),
      );

    if (text === "") {
      await ack();
      const form = await openRequestForm(deps, {
        client,
        userId: command.user_id,
        triggerId: command.trigger_id,
        channelId: command.channel_id,
        log,
      });
      if (!form.opened) {
        // An expired trigger or a Slack error: without a word the person would see nothing at all.
        const reference = errorReference();
        log.warn({ err: form.error, reference }, "could not open the request form");
        await answer({
          response_type: "ephemeral",
          text: messages(form.locale).command.internalError(reference),
        });
      }
      return;
    }

    // Everything else answers through response_url, so the ack lands at once whatever RDS does.
    await ack();
    await deps.afterAck(async () => {
      const locale = await deps.directory.localeOf(command.user_id);
      const t = messages(locale);
      const say = (message: string) => answer({ response_type: "ephemeral", text: message });
      try {
        switch (word.toLowerCase()) {
          case "help":
            await say(t.command.help(COMMAND, channelLink(deps.approvalChannelId)));
            return;
          case "status":
            await say(await statusText(deps.service, rest[0] ?? "", locale));
            return;
          case "history":
            await say(await historyText(deps.service, rest[0], locale));
            return;
          case "cancel":
            await cancel(deps, rest[0] ?? "", command.user_id, locale, answer);
            return;
          default:
            // Instance ids always have a dash; a lone word without one is a mistyped subcommand.
            if (!word.includes("-") && !word.includes("=")) {
              await say(t.command.unknownSubcommand(userText(word, 40), COMMAND));
              return;
            }
            await fileInline(deps, text, command.user_id, command.channel_id, locale, answer);
        }
      } catch (error) {
        const reference = errorReference();
        log.error({ err: error, reference }, "command failed");
        await say(t.command.internalError(reference));
      }
    });
  });
}

async function fileInline(
  deps: ListenerDeps,
  text: string,
  userId: string,
  channelId: string,
  locale: Locale,
  respond: Answer,
): Promise<void> {
  const t = messages(locale);
  const say = (message: string) => respond({ response_type: "ephemeral", text: message });
  const parsed = parseInlineArgs(text);
  if (!parsed.ok) {
    await say(problemList(parsed.problems, locale));
    return;
  }
  const { at, reason, ...params } = parsed.value;
  const filed = await deps.service.fileRequest(
    params,
    {
      userId,
      channelId,
      locale,
      tellWhereItWaits: false,
      // A clock time (`at=01:30`) is the next such time in the requester's own Slack time zone.
      timeZone: at?.kind === "clock" ? await deps.directory.timeZoneOf(userId) : undefined,
    },
    { runAt: at, reason },
  );
  if (filed.ok) {
    const when = whenText(filed.request, new Date());
    await say(
      [
        t.command.filed(filed.request.id, channelLink(deps.approvalChannelId)),
        ...(when ? [t.command.filedWhen(when)] : []),
      ].join(" "),
    );
  } else if ("problems" in filed) {
    await say(problemList(filed.problems, locale));
  } else {
    await say(refusalText(filed.refusal, locale));
  }
}

async function cancel(
  deps: ListenerDeps,
  requestId: string,
  userId: string,
  locale: Locale,
  respond: Answer,
): Promise<void> {
  const t = messages(locale);
  const result = await deps.service.cancel(requestId, userId);
  const text =
    result.kind === "done"
      ? t.requester.cancelled(userText(result.request.params.DBInstanceId, 80))
      : refusalMessage(result.reason, result.request?.state, locale);
  await respond({ response_type: "ephemeral", text });
}

/** Why a click or a command changed nothing, in the reader's language. */
export function refusalMessage(
  reason: DecisionRefusalReason,
  state: RequestState | undefined,
  locale: Locale,
): string {
  const m = messages(locale);
  switch (reason) {
    case "already_decided":
      return m.refusal.alreadyDecided(m.stateNames[state ?? "approved"]);
    case "not_requester":
      return m.refusal.notRequester;
    default:
      return m.refusal[reason];
  }
}
