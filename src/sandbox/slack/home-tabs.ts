/**
 * Each person's Home tab: the view the app last published for them (`views.publish`), and its
 * earlier versions. The simulator reads it to open the tab and to click in it.
 */
import { randomBytes } from "node:crypto";
import { cloneJson, isRecord, validateHomeView, withSlackIds } from "../slack-blocks.js";
import type { SlackHomeView } from "./types.js";
import { type ApiAnswer, type Args, fail, randomId, str } from "./wire.js";
import type { Workspace } from "./workspace.js";

/** `view_too_large`: "the provided view is greater than 250kb" (views.publish method page). */
const MAX_VIEW_BYTES = 250 * 1024;

export interface HomeTab {
  view: SlackHomeView;
  /** Earlier versions, oldest first. */
  history: SlackHomeView[];
  publishes: number;
}

export class HomeTabs {
  readonly byUser = new Map<string, HomeTab>();

  constructor(
    private readonly workspace: Workspace,
    private readonly enabled: boolean,
  ) {}

  /**
   * `views.publish` (Slack's OpenAPI spec, slackapi/slack-api-specs web-api/slack_web_openapi_v2.json,
   * `/views.publish`: `user_id` and `view` required, `hash` optional, the published view in the
   * answer; the error codes from the method page: `not_enabled`, `hash_conflict`,
   * `duplicate_external_id`, `view_too_large`, `invalid_arguments`).
   */
  publish(args: Args): ApiAnswer {
    const userId = str(args, "user_id");
    if (userId === undefined || userId === "") return missing("user_id");
    const view = args.view;
    if (view === undefined) return missing("view");
    if (!isRecord(view)) {
      return fail("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] failed to parse view json"] },
      });
    }
    if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return fail("view_too_large");
    const problems = validateHomeView(view, "/view");
    if (problems.length > 0) return fail("invalid_arguments", { response_metadata: { messages: problems } });
    // Our reading: a home tab exists only for people in the workspace; Slack's documented codes
    // name none for an unknown user, so it is refused as an invalid argument.
    if (!this.workspace.knowsUser(userId)) {
      return fail("invalid_arguments", { response_metadata: { messages: ["[ERROR] invalid user_id"] } });
    }
    if (!this.enabled) return fail("not_enabled");
    const current = this.byUser.get(userId);
    const hash = str(args, "hash");
    if (hash !== undefined && hash !== "" && current && hash !== current.view.hash)
      return fail("hash_conflict");
    const externalId = typeof view.external_id === "string" ? view.external_id : "";
    if (externalId !== "") {
      for (const [other, tab] of this.byUser) {
        if (other !== userId && tab.view.external_id === externalId) return fail("duplicate_external_id");
      }
    }
    const ws = this.workspace;
    const id = current?.view.id ?? randomId("V", 10);
    const next: SlackHomeView = {
      id,
      team_id: ws.teamId,
      type: "home",
      close: null,
      submit: null,
      blocks: withSlackIds(view.blocks as unknown[]),
      private_metadata: typeof view.private_metadata === "string" ? view.private_metadata : "",
      callback_id: typeof view.callback_id === "string" ? view.callback_id : "",
      external_id: externalId,
      state: { values: {} },
      hash: `${ws.nowSeconds()}.${randomBytes(4).toString("hex")}`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: id,
      previous_view_id: null,
      app_id: ws.appId,
      app_installed_team_id: ws.teamId,
      bot_id: ws.botId,
    };
    if (current) {
      current.history.push(current.view);
      current.view = next;
      current.publishes++;
    } else {
      this.byUser.set(userId, { view: next, history: [], publishes: 1 });
    }
    return { ok: true, view: cloneJson(next) };
  }

  /** The person's Home tab as it is now, if the app ever published one. */
  viewOf(userId: string): SlackHomeView | undefined {
    const tab = this.byUser.get(userId);
    return tab ? cloneJson(tab.view) : undefined;
  }
}

function missing(field: string): ApiAnswer {
  return fail("invalid_arguments", {
    response_metadata: { messages: [`[ERROR] missing required field: ${field}`] },
  });
}
