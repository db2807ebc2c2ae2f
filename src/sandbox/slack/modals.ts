/**
 * Modal views: trigger ids, each person's stack of open views, and what a person's actions and the
 * app's answers do to them. The `views.*` methods (`methods/views.ts`) and the simulator use this.
 */
import { randomBytes } from "node:crypto";
import {
  cloneJson,
  interactiveElements,
  isRecord,
  type SlackStateValue,
  type SlackStateValues,
  validateModalView,
  withSlackIds,
} from "../slack-blocks.js";
import type { SlackView } from "./types.js";
import { type ApiAnswer, type Args, randomId, refuse } from "./wire.js";
import type { Workspace } from "./workspace.js";

export interface TriggerState {
  user: string;
  issuedAt: number;
  used: boolean;
}

export interface ViewState {
  view: SlackView;
  user: string;
  open: boolean;
  updateCount: number;
}

export class Modals {
  readonly viewsById = new Map<string, ViewState>();
  /** Per user: the open stack of view ids, root first. */
  readonly stacks = new Map<string, string[]>();
  private readonly triggers = new Map<string, TriggerState>();

  constructor(
    private readonly workspace: Workspace,
    /** How long a trigger id stays usable; Slack: 3000 ms. */
    private readonly triggerTtlMs: number,
  ) {}

  /** A fresh trigger id for an interaction by `user`, valid for `triggerTtlMs`, once. */
  issueTriggerId(user: string): string {
    const ws = this.workspace;
    const id = `${ws.nowSeconds()}${String(ws.nextSerial()).padStart(3, "0")}.${ws.teamId.replace(/\D/g, "") || "1"}.${randomBytes(16).toString("hex")}`;
    this.triggers.set(id, { user, issuedAt: ws.now(), used: false });
    return id;
  }

  /** Checks a trigger id for `views.open`/`views.push`; consumes it when usable. */
  useTrigger(triggerId: string | undefined): { trigger: TriggerState } | { refusal: ApiAnswer } {
    if (triggerId === undefined || triggerId === "") {
      return refuse("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] missing required field: trigger_id"] },
      });
    }
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return refuse("invalid_trigger_id");
    if (trigger.used) return refuse("exchanged_trigger_id");
    if (this.workspace.now() - trigger.issuedAt > this.triggerTtlMs) return refuse("expired_trigger_id");
    trigger.used = true;
    return { trigger };
  }

  /** Parses and checks the `view` argument of `views.open` / `views.push`. */
  viewArg(args: Args): { spec: Record<string, unknown> } | { refusal: ApiAnswer } {
    const view = args.view;
    if (view === undefined) {
      return refuse("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] missing required field: view"] },
      });
    }
    if (!isRecord(view)) {
      return refuse("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] failed to parse view json"] },
      });
    }
    const problems = validateModalView(view, "/view");
    if (problems.length > 0)
      return refuse("invalid_arguments", { response_metadata: { messages: problems } });
    const externalId = view.external_id;
    if (typeof externalId === "string" && externalId !== "") {
      for (const v of this.viewsById.values()) {
        if (v.view.external_id === externalId) return refuse("duplicate_external_id");
      }
    }
    return { spec: view };
  }

  private newHash(): string {
    return `${this.workspace.nowSeconds()}.${randomBytes(4).toString("hex")}`;
  }

  createView(
    spec: Record<string, unknown>,
    user: string,
    rootId: string | undefined,
    previousId: string | null,
  ): ViewState {
    const ws = this.workspace;
    const id = randomId("V", 10);
    const view: SlackView = {
      ...(cloneJson(spec) as Record<string, unknown>),
      id,
      team_id: ws.teamId,
      type: "modal",
      title: cloneJson(spec.title) as SlackView["title"],
      submit: isRecord(spec.submit) ? (cloneJson(spec.submit) as SlackView["title"]) : null,
      close: isRecord(spec.close) ? (cloneJson(spec.close) as SlackView["title"]) : null,
      blocks: withSlackIds(spec.blocks as unknown[]),
      private_metadata: typeof spec.private_metadata === "string" ? spec.private_metadata : "",
      callback_id: typeof spec.callback_id === "string" ? spec.callback_id : "",
      external_id: typeof spec.external_id === "string" ? spec.external_id : "",
      state: { values: {} },
      hash: this.newHash(),
      clear_on_close: spec.clear_on_close === true,
      notify_on_close: spec.notify_on_close === true,
      root_view_id: rootId ?? id,
      previous_view_id: previousId,
      app_id: ws.appId,
      app_installed_team_id: ws.teamId,
      bot_id: ws.botId,
    };
    const state: ViewState = { view, user, open: true, updateCount: 0 };
    this.viewsById.set(id, state);
    if (rootId === undefined) {
      // A new modal replaces whatever the person had open.
      const previous = this.stacks.get(user);
      if (previous?.[0]) this.closeView(previous[0], true);
      this.stacks.set(user, [id]);
    } else {
      this.stacks.get(user)?.push(id);
    }
    return state;
  }

  replaceView(state: ViewState, spec: Record<string, unknown>): void {
    const old = state.view;
    const blocks = withSlackIds(spec.blocks as unknown[]);
    // Slack keeps what the person entered where block_id, action_id and element type stay the same.
    const kept: SlackStateValues = {};
    for (const site of interactiveElements(blocks)) {
      const entry = old.state.values[site.blockId]?.[site.actionId];
      if (entry && entry.type === site.element.type) {
        kept[site.blockId] = { ...kept[site.blockId], [site.actionId]: entry };
      }
    }
    state.view = {
      ...(cloneJson(spec) as Record<string, unknown>),
      id: old.id,
      team_id: old.team_id,
      type: "modal",
      title: cloneJson(spec.title) as SlackView["title"],
      submit: isRecord(spec.submit) ? (cloneJson(spec.submit) as SlackView["title"]) : null,
      close: isRecord(spec.close) ? (cloneJson(spec.close) as SlackView["title"]) : null,
      blocks,
      private_metadata: typeof spec.private_metadata === "string" ? spec.private_metadata : "",
      callback_id: typeof spec.callback_id === "string" ? spec.callback_id : "",
      external_id: typeof spec.external_id === "string" ? spec.external_id : "",
      state: { values: kept },
      hash: this.newHash(),
      clear_on_close: spec.clear_on_close === true,
      notify_on_close: spec.notify_on_close === true,
      root_view_id: old.root_view_id,
      previous_view_id: old.previous_view_id,
      app_id: old.app_id,
      app_installed_team_id: old.app_installed_team_id,
      bot_id: old.bot_id,
    };
    state.updateCount++;
  }

  /** The person closed (cancelled) a view. */
  closeView(viewId: string, wholeStack: boolean): void {
    const state = this.viewsById.get(viewId);
    if (!state) return;
    state.open = false;
    const stack = this.stacks.get(state.user) ?? [];
    const index = stack.indexOf(viewId);
    if (index < 0) return;
    // Closing the root, or `clear`, closes the whole modal; closing a pushed view goes back one.
    const closing = wholeStack || index === 0 ? stack.splice(0) : stack.splice(index);
    for (const id of closing) {
      const v = this.viewsById.get(id);
      if (v) v.open = false;
    }
    if (stack.length === 0) this.stacks.delete(state.user);
  }

  /** Remembers what a person entered in a view (kept across `views.update` when ids stay). */
  setViewState(viewId: string, blockId: string, actionId: string, state: SlackStateValue): void {
    const v = this.viewsById.get(viewId);
    if (!v) throw new Error(`Slack emulator: no view ${viewId}`);
    const block = v.view.state.values[blockId] ?? {};
    block[actionId] = cloneJson(state);
    v.view.state.values[blockId] = block;
  }

  /**
   * What Slack does with the app's answer to a `view_submission`: close the view (no
   * `response_action`), `clear` the stack, `update` or `push` a view, or show `errors`. Returns the
   * problems Slack would have shown instead (an invalid view in the answer, say).
   */
  applyViewSubmissionAck(viewId: string, body: unknown): string[] {
    const state = this.viewsById.get(viewId);
    if (!state) return [`no view ${viewId}`];
    const answer = isRecord(body) ? body : {};
    const action = answer.response_action;
    if (action === undefined) {
      this.closeView(viewId, false);
      return [];
    }
    if (action === "clear") {
      this.closeView(viewId, true);
      return [];
    }
    if (action === "errors") {
      if (!isRecord(answer.errors)) return ["response_action errors needs an errors object"];
      const known = new Set(state.view.blocks.map((b) => b.block_id));
      return Object.keys(answer.errors)
        .filter((k) => !known.has(k))
        .map((k) => `errors names block_id "${k}", which is not in the view`);
    }
    if (action === "update" || action === "push") {
      const problems = validateModalView(answer.view, "/view");
      if (problems.length > 0) return problems;
      if (action === "update") {
        this.replaceView(state, answer.view as Record<string, unknown>);
        return [];
      }
      const stack = this.stacks.get(state.user) ?? [];
      if (stack.length >= 3) return ["push_limit_reached"];
      this.createView(answer.view as Record<string, unknown>, state.user, state.view.root_view_id, viewId);
      return [];
    }
    return [`unknown response_action ${JSON.stringify(action)}`];
  }
}
