/**
 * Modal submissions. The request form is validated on the server (selected options included)
 * and a wrong value comes back as an error on its block; the ack carries it, so everything on
 * this path is time-boxed to fit Slack's 3 seconds.
 */
import type { App } from "@slack/bolt";
import type { Problem } from "../../domain/params.js";
import type { Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import { REASON_BLOCK_ID, REJECT_MODAL_CALLBACK_ID, REQUEST_MODAL_CALLBACK_ID } from "../ids.js";
import { plain } from "../text.js";
import { rawInputFromState, runAtFromState } from "../view-state.js";
import { problemText, refusalText } from "../views/problems.js";
import { decodeRejectMetadata } from "../views/reject-modal.js";
import { decodeMetadata } from "../views/request-modal.js";
import { refusalMessage } from "./commands.js";
import { errorReference, type ListenerDeps, requestLog } from "./deps.js";

/** Slack shows at most this much of a field error. */
const FIELD_ERROR_MAX = 300;

export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(REQUEST_MODAL_CALLBACK_ID, async ({ ack, body, view, context }) => {
    const metadata = decodeMetadata(view.private_metadata, deps.defaultLocale);
    const blockIds = new Set(
      view.blocks.map((block) => block.block_id).filter((id): id is string => Boolean(id)),
    );
    const log = requestLog(context, deps.logger).child({ callbackId: REQUEST_MODAL_CALLBACK_ID });
    try {
      // The picker gives an instant (the person picked it in their own time zone).
      const runAt = runAtFromState(view.state.values);
      const filed = await deps.service.fileRequest(
        rawInputFromState(view.state.values),
        { userId: body.user.id, channelId: metadata.channelId, locale: metadata.locale },
        { runAt: runAt ? { kind: "instant", at: runAt } : undefined },
      );
      if (filed.ok) {
        await ack();
        return;
      }
      const errors =
        "problems" in filed
          ? fieldErrors(filed.problems, blockIds, metadata.locale)
          : { DBInstanceId: plain(refusalText(filed.refusal, metadata.locale), FIELD_ERROR_MAX) };
      await ack({ response_action: "errors", errors });
    } catch (error) {
      const reference = errorReference();
      log.error({ err: error, reference }, "request submission failed");
      await ack({
        response_action: "errors",
        errors: {
          DBInstanceId: plain(messages(metadata.locale).command.internalError(reference), FIELD_ERROR_MAX),
        },
      });
    }
  });

  app.view(REJECT_MODAL_CALLBACK_ID, async ({ ack, body, view }) => {
    const metadata = decodeRejectMetadata(view.private_metadata);
    const locale = metadata?.locale ?? deps.defaultLocale;
    const reasonState = view.state.values[REASON_BLOCK_ID];
    const reason = reasonState ? (Object.values(reasonState)[0]?.value ?? undefined) : undefined;
    const result = await deps.service.reject(metadata?.requestId, body.user.id, reason ?? undefined);
    if (result.kind === "done") {
      await ack();
      return;
    }
    await ack({
      response_action: "errors",
      errors: {
        [REASON_BLOCK_ID]: plain(
          refusalMessage(result.reason, result.request?.state, locale),
          FIELD_ERROR_MAX,
        ),
      },
    });
  });
}

/**
 * One message per block. A problem about a field the form does not show (a value the form never
 * offered) goes on the instance block, so it is never silently dropped.
 */
export function fieldErrors(
  problems: readonly Problem[],
  blockIds: ReadonlySet<string>,
  locale: Locale,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const field = problem.field;
    const target = field !== "input" && blockIds.has(field) ? field : "DBInstanceId";
    const text = problemText(problem, locale, "plain");
    errors[target] = plain(errors[target] ? `${errors[target]} ${text}` : text, FIELD_ERROR_MAX);
  }
  return errors;
}
