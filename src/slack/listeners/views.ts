/**
 * Modal submissions. The request form is validated on the server (selected options included)
 * and a wrong value comes back as an error on its block. The ack carries that answer and has
 * `ANSWER_BY_MS` (ack-budget.ts): a submission that takes longer is acked with the form showing
 * "checking…", and its outcome follows with `views.update`. The same form submitted twice (a slow
 * answer leaves it open, and the person presses Submit again) files one request: the view id
 * names the submission, and the store keeps it unique across replicas.
 */
import type { App } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { FileResult } from "../../backup/service.js";
import type { Problem } from "../../domain/params.js";
import type { Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";
import { within } from "../ack-budget.js";
import { REASON_BLOCK_ID, REJECT_MODAL_CALLBACK_ID, REQUEST_MODAL_CALLBACK_ID } from "../ids.js";
import { plain } from "../text.js";
import { rawInputFromState, reasonFromState, runAtFromState } from "../view-state.js";
import { problemList, problemText, refusalText } from "../views/problems.js";
import { decodeRejectMetadata } from "../views/reject-modal.js";
import { decodeMetadata } from "../views/request-modal.js";
import { checkingForm, filedModal, formWithNote, type SubmittedForm } from "../views/request-outcome.js";
import { refusalMessage } from "./commands.js";
import { errorReference, type ListenerDeps, requestLog } from "./deps.js";

/** Slack shows at most this much of a field error. */
const FIELD_ERROR_MAX = 300;

export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(REQUEST_MODAL_CALLBACK_ID, async ({ ack, body, view, client, context }) => {
    const metadata = decodeMetadata(view.private_metadata, deps.defaultLocale);
    const locale = metadata.locale;
    const blockIds = new Set(
      view.blocks.map((block) => block.block_id).filter((id): id is string => Boolean(id)),
    );
    const log = requestLog(context, deps.logger).child({
      callbackId: REQUEST_MODAL_CALLBACK_ID,
      viewId: view.id,
    });
    // The picker gives an instant (the person picked it in their own time zone).
    const runAt = runAtFromState(view.state.values);
    const filing = deps.service.fileRequest(
      rawInputFromState(view.state.values),
      { userId: body.user.id, channelId: metadata.channelId, locale, submissionKey: view.id },
      {
        runAt: runAt ? { kind: "instant", at: runAt } : undefined,
        reason: reasonFromState(view.state.values),
      },
    );
    const answered = await within(filing);
    if (answered.kind === "done") {
      const filed = answered.value;
      if (filed.ok) {
        await ack();
        return;
      }
      const errors =
        "problems" in filed
          ? fieldErrors(filed.problems, blockIds, locale)
          : { DBInstanceId: plain(refusalText(filed.refusal, locale), FIELD_ERROR_MAX) };
      await ack({ response_action: "errors", errors });
      return;
    }
    if (answered.kind === "failed") {
      const reference = errorReference();
      log.error({ err: answered.error, reference }, "request submission failed");
      await ack({
        response_action: "errors",
        errors: { DBInstanceId: plain(messages(locale).command.internalError(reference), FIELD_ERROR_MAX) },
      });
      return;
    }

    // Too slow for the ack: say it is being checked, then show how it ended.
    const form: SubmittedForm = view;
    await ack({ response_action: "update", view: checkingForm(form, locale) });
    const outcome = await lateOutcome(answered.work, form, locale, deps.approvalChannelId, log);
    await client.views.update({ view_id: view.id, view: outcome }).catch((error: unknown) =>
      // Closed meanwhile, or submitted again (which answered for itself): the request, if filed,
      // still reaches its card and the requester's DM.
      log.info({ err: error }, "could not show the submission's outcome in the form"),
    );
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

/** The view that ends a slow submission: the filed request, or the form with what to fix. */
async function lateOutcome(
  work: Promise<FileResult>,
  form: SubmittedForm,
  locale: Locale,
  approvalChannelId: string,
  log: Logger,
): Promise<ModalView> {
  try {
    const filed = await work;
    if (filed.ok) return filedModal(filed.request, approvalChannelId, locale);
    const note =
      "problems" in filed ? problemList(filed.problems, locale) : refusalText(filed.refusal, locale);
    return formWithNote(form, `:warning: ${note}`);
  } catch (error) {
    const reference = errorReference();
    log.error({ err: error, reference }, "request submission failed");
    return formWithNote(form, `:warning: ${messages(locale).command.internalError(reference)}`);
  }
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
