/**
 * The instance picker's options (`external_select` on the DBInstanceId block). The catalog answers
 * within its time box, from cache when RDS is slow, and the person's groups are asked for beside
 * it; whatever is still missing at `ANSWER_BY_MS` (ack-budget.ts), the answer goes out in time.
 */
import type { App } from "@slack/bolt";
import type { PlainTextOption } from "@slack/types";
import { messages } from "../../i18n/index.js";
import { within } from "../ack-budget.js";
import { plain } from "../text.js";
import { decodeMetadata, instanceOption } from "../views/request-modal.js";
import { type ListenerDeps, requestLog } from "./deps.js";

/** Slack shows at most 100 options. */
const MAX_OPTIONS = 100;

export function registerOptions(app: App, deps: ListenerDeps): void {
  app.options<"block_suggestion">(
    { type: "block_suggestion", block_id: "DBInstanceId" },
    async ({ ack, body, payload, context }) => {
      const metadata = decodeMetadata(body.view?.private_metadata, deps.defaultLocale);
      const locale = metadata.locale;
      const answered = await within(
        deps.service.requestableInstances(payload.value, body.user.id, MAX_OPTIONS),
      );
      if (answered.kind === "failed") {
        requestLog(context, deps.logger).warn(
          { err: answered.error },
          "listing instances for the picker failed",
        );
      }
      // Late or failed: no list to offer now (a late one still fills the catalog's cache).
      const list =
        answered.kind === "done" ? answered.value : { instances: [], stale: true, unavailable: true };
      const options: PlainTextOption[] = list.instances.map((instance) => instanceOption(instance, locale));
      const t = messages(locale).options;
      if (options.length === 0) {
        // An option explains itself better than an empty menu; choosing it re-renders with a hint.
        // No list at all (RDS too slow) is not "nothing matches".
        const text = list.unavailable ? t.unavailable : t.noMatch;
        await ack({ options: [{ text: { type: "plain_text", text: plain(text, 75) }, value: "none" }] });
        return;
      }
      if (list.stale && options.length < MAX_OPTIONS) {
        options.push({ text: { type: "plain_text", text: plain(t.cachedNote, 75) }, value: "none" });
      }
      await ack({ options });
    },
  );

  // The database picker of an instance with more databases than a static select holds.
  app.options<"block_suggestion">(
    { type: "block_suggestion", block_id: "DBName" },
    async ({ ack, body, payload, context }) => {
      const { instanceId } = decodeMetadata(body.view?.private_metadata, deps.defaultLocale);
      const answered = instanceId
        ? await within(deps.catalog.searchDatabases(instanceId, payload.value, MAX_OPTIONS))
        : undefined;
      if (answered?.kind === "failed") {
        requestLog(context, deps.logger).warn(
          { err: answered.error, instanceId },
          "listing databases failed",
        );
      }
      // Nothing to offer (RDS slow or failing): Slack shows "no results", and the person types again.
      const names = answered?.kind === "done" ? answered.value : [];
      await ack({
        options: names.map((name) => ({ text: { type: "plain_text", text: plain(name, 75) }, value: name })),
      });
    },
  );
}
