/**
 * Buttons on the approval card, and the selects inside the request modal that reshape it.
 * Every click is acknowledged at once; the decision is the service's, the answer to a refused
 * click is an ephemeral message to the clicker only, and nothing changes.
 */
import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import type { DecisionResult } from "../../backup/service.js";
import type { InstanceInfo } from "../../domain/instance.js";
import type { Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import {
  APPROVE_ACTION_ID,
  CANCEL_ACTION_ID,
  CHECK_AGAIN_ACTION_ID,
  CLOSE_NOT_STARTED_ACTION_ID,
  REJECT_ACTION_ID,
  START_AGAIN_ACTION_ID,
} from "../ids.js";
import { ViewRenders } from "../view-renders.js";
import { chosenFromState, runAtFromState } from "../view-state.js";
import { rejectModal } from "../views/reject-modal.js";
import { decodeMetadata, requestModal } from "../views/request-modal.js";
import { refusalMessage } from "./commands.js";
import { errorReference, type ListenerDeps, requestLog } from "./deps.js";

/** Says something to the one person who clicked, and to nobody else. */
type TellClicker = (text: string) => Promise<void>;

/** A click in the bot's Home tab: `container.type` `view` on a `home` view, with no message. */
function isHomeClick(body: BlockAction): boolean {
  return body.container?.type === "view" && body.view?.type === "home";
}

export function registerActions(app: App, deps: ListenerDeps): void {
  /**
   * Where a word to the clicker goes. On the card: the click's response URL, as an ephemeral.
   * In the Home tab there is no response URL and no channel (an ephemeral needs one), so the
   * person's Home tab is published again with the word on top, where they are looking.
   */
  const tellerFor =
    (body: BlockAction, respond: RespondFn | undefined, userId: string): TellClicker =>
    async (text) => {
      if (isHomeClick(body) || !respond) {
        await deps.home.tell(userId, await deps.directory.localeOf(userId), text);
        return;
      }
      await respond({ response_type: "ephemeral", replace_original: false, text });
    };

  const tellClicker = async (tell: TellClicker, userId: string, result: DecisionResult) => {
    if (result.kind === "done") return;
    const locale = await deps.directory.localeOf(userId);
    await tell(refusalMessage(result.reason, result.request?.state, locale));
  };

  const guarded = async (
    what: string,
    userId: string,
    tell: TellClicker,
    context: Record<string, unknown>,
    work: () => Promise<void>,
  ) => {
    try {
      await work();
    } catch (error) {
      const reference = errorReference();
      requestLog(context, deps.logger).error({ err: error, reference }, `${what} failed`);
      const locale = await deps.directory.localeOf(userId);
      // Not "nothing was filed": an approval may have been recorded, and a backup started, before the failure.
      await tell(messages(locale).command.clickError(reference)).catch((failure: unknown) =>
        // Often the very failure above (the response URL is gone): logged, not thrown at Bolt.
        requestLog(context, deps.logger).warn({ err: failure, reference }, "could not tell the clicker"),
      );
    }
  };

  app.action<BlockAction<ButtonAction>>(
    APPROVE_ACTION_ID,
    async ({ ack, action, body, respond, context }) => {
      await ack();
      const userId = body.user.id;
      // Slack never redelivers a click; a double click or a second replica is a click of its own,
      // made harmless by the store (one approval per person, one CreateBackup), and told so.
      // From the card or from the Home tab: the same call, so the same rules and the same thread.
      const tell = tellerFor(body, respond, userId);
      await deps.afterAck(() =>
        guarded("approve", userId, tell, context, async () => {
          await tellClicker(tell, userId, await deps.service.approve(action.value, userId));
        }),
      );
    },
  );

  app.action<BlockAction<ButtonAction>>(CANCEL_ACTION_ID, async ({ ack, action, body, respond, context }) => {
    await ack();
    const userId = body.user.id;
    const tell = tellerFor(body, respond, userId);
    await deps.afterAck(() =>
      guarded("cancel", userId, tell, context, async () => {
        await tellClicker(tell, userId, await deps.service.cancel(action.value, userId));
      }),
    );
  });

  // A request that needs attention: the approvers check again, start the backup again (the card
  // asked them to confirm) or close it as not started. What happens lands in the thread; a refused
  // click (not an approver, already handled, calls used up) is told to the clicker only.
  const attention: [string, string, (requestId: unknown, userId: string) => Promise<DecisionResult>][] = [
    [CHECK_AGAIN_ACTION_ID, "check again", (id, user) => deps.service.checkAgain(id, user)],
    [START_AGAIN_ACTION_ID, "start again", (id, user) => deps.service.startAgain(id, user)],
    [
      CLOSE_NOT_STARTED_ACTION_ID,
      "close as not started",
      (id, user) => deps.service.closeNotStarted(id, user),
    ],
  ];
  for (const [actionId, what, decide] of attention) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, respond, context }) => {
      await ack();
      const userId = body.user.id;
      const tell = tellerFor(body, respond, userId);
      await deps.afterAck(() =>
        guarded(what, userId, tell, context, async () => {
          const result = await decide(action.value, userId);
          if (context.retryNum) return;
          await tellClicker(tell, userId, result);
        }),
      );
    });
  }

  // Reject asks for an optional reason first; the decision happens when that modal is submitted.
  app.action<BlockAction<ButtonAction>>(
    REJECT_ACTION_ID,
    async ({ ack, action, body, client, respond, context }) => {
      await ack();
      const userId = body.user.id;
      const tell = tellerFor(body, respond, userId);
      await guarded("reject", userId, tell, context, async () => {
        const request = await deps.service.pendingRequest(action.value);
        if (request.kind === "refused") {
          await tellClicker(tell, userId, request);
          return;
        }
        const locale = deps.directory.cachedLocale(userId) ?? request.request.locale;
        await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(request.request, locale) });
      });
    },
  );

  // Choosing an instance (or a method, type or strategy) re-renders the modal with the fields
  // that now apply; picking a start time re-renders it with when the backup would run. Entered
  // values survive because block and action ids stay the same. Renders of one view queue, and the
  // newest choice wins (view-renders.ts).
  const renders = new ViewRenders();
  app.action<BlockAction>(
    { type: "block_actions", block_id: /^(DBInstanceId|BackupMethod|BackupType|BackupStrategy|run_at)$/ },
    async ({ ack, body, client, context }) => {
      await ack();
      const view = body.view;
      if (!view) return;
      const log = requestLog(context, deps.logger);
      const metadata = decodeMetadata(view.private_metadata, deps.defaultLocale);
      const values = view.state?.values ?? {};
      const picked = values.DBInstanceId
        ? Object.values(values.DBInstanceId)[0]?.selected_option?.value
        : undefined;
      // "none" is the explanatory option shown when nothing matched the search.
      const instanceId = picked === "none" ? undefined : (picked ?? metadata.instanceId);
      await renders.run(
        {
          viewId: view.id,
          actionTs: body.actions[0]?.action_ts,
          hash: view.hash,
          render: () =>
            renderForInstance(
              deps,
              metadata.locale,
              metadata.channelId,
              instanceId,
              chosenFromState(values),
              runAtFromState(values),
            ),
          update: async (next, hash) => {
            try {
              const answer = await client.views.update({
                view_id: view.id,
                ...(hash ? { hash } : {}),
                view: next,
              });
              return { kind: "updated", hash: answer.view?.hash };
            } catch (error) {
              if (slackErrorCode(error) === "hash_conflict") return { kind: "hash_conflict" };
              throw error;
            }
          },
        },
        // The person closed the modal (not_found), or Slack failed: the form stays as it was.
        (error) =>
          slackErrorCode(error) === "not_found"
            ? log.debug({ viewId: view.id }, "the request form closed before its re-render")
            : log.warn({ err: error, viewId: view.id }, "could not re-render the request form"),
      );
    },
  );
}

/** The `error` of a Slack Web API refusal (`{ ok: false, error }`), if that is what failed. */
function slackErrorCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === "string" ? code : undefined;
}

async function renderForInstance(
  deps: ListenerDeps,
  locale: Locale,
  channelId: string | undefined,
  instanceId: string | undefined,
  chosen: ReturnType<typeof chosenFromState>,
  runAt?: Date | undefined,
) {
  const base = { locale, approvalChannelId: deps.approvalChannelId, channelId };
  if (!instanceId) return requestModal(base);
  let instance: InstanceInfo | undefined;
  try {
    instance = await deps.catalog.instance(instanceId);
  } catch (error) {
    const reference = errorReference();
    deps.logger.warn({ err: error, reference, instanceId }, "instance look-up for the modal failed");
    return requestModal({ ...base, note: messages(locale).problems.instance_lookup_failed(reference) });
  }
  const needsDatabases = instance.engine === "MySQL" || instance.engine === "SQLServer";
  const databases =
    needsDatabases && chosen.strategy === "db" ? await deps.catalog.databasesOf(instance) : undefined;
  const window = deps.service.windowFor(instance);
  const reasonRequired = deps.service.reasonRequiredFor(instance);
  return requestModal({
    ...base,
    instance,
    chosen,
    databases,
    window,
    runAt,
    reasonRequired,
    now: new Date(),
  });
}
