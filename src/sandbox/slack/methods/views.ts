/**
 * `views.*`: opening, pushing and updating modals (the model lives in `modals.ts`), and publishing
 * a person's Home tab (`home-tabs.ts`).
 */
import { cloneJson, validateModalView } from "../../slack-blocks.js";
import type { HomeTabs } from "../home-tabs.js";
import type { Modals, ViewState } from "../modals.js";
import { type ApiAnswer, type Args, fail, type MethodTable, str } from "../wire.js";

export function viewsMethods(modals: Modals, homeTabs: HomeTabs): MethodTable {
  return {
    "views.publish": (a) => homeTabs.publish(a),
    "views.open": (a) => open(modals, a),
    "views.push": (a) => push(modals, a),
    "views.update": (a) => update(modals, a),
  };
}

function open(modals: Modals, args: Args): ApiAnswer {
  const view = modals.viewArg(args);
  if ("refusal" in view) return view.refusal;
  const used = modals.useTrigger(str(args, "trigger_id"));
  if ("refusal" in used) return used.refusal;
  const state = modals.createView(view.spec, used.trigger.user, undefined, null);
  return { ok: true, view: cloneJson(state.view) };
}

function push(modals: Modals, args: Args): ApiAnswer {
  const view = modals.viewArg(args);
  if ("refusal" in view) return view.refusal;
  const used = modals.useTrigger(str(args, "trigger_id"));
  if ("refusal" in used) return used.refusal;
  const stack = modals.stacks.get(used.trigger.user);
  const top = stack?.at(-1);
  const rootId = stack?.[0];
  if (!stack || top === undefined || rootId === undefined) return fail("not_found");
  if (stack.length >= 3) return fail("push_limit_reached");
  const state = modals.createView(view.spec, used.trigger.user, rootId, top);
  return { ok: true, view: cloneJson(state.view) };
}

function update(modals: Modals, args: Args): ApiAnswer {
  const viewId = str(args, "view_id");
  const externalId = str(args, "external_id");
  let state: ViewState | undefined;
  if (viewId) state = modals.viewsById.get(viewId);
  else if (externalId) {
    state = [...modals.viewsById.values()].find((v) => v.view.external_id === externalId);
  } else {
    return fail("invalid_arguments", {
      response_metadata: { messages: ["[ERROR] either view_id or external_id is required"] },
    });
  }
  if (!state?.open) return fail("not_found");
  // A stale hash loses: "hash_conflict: the provided hash doesn't match the current stored value"
  // (Slack's views.update method page). Every update, `response_action: "update"` included, makes
  // a new hash (modals.ts), so two updates sent with the same old hash cannot both land.
  const hash = str(args, "hash");
  if (hash !== undefined && hash !== "" && hash !== state.view.hash) return fail("hash_conflict");
  const view = args.view;
  if (typeof view === "string" || view === undefined) {
    return fail("invalid_arguments", {
      response_metadata: { messages: ["[ERROR] failed to parse view json"] },
    });
  }
  const problems = validateModalView(view, "/view");
  if (problems.length > 0) return fail("invalid_arguments", { response_metadata: { messages: problems } });
  modals.replaceView(state, view as Record<string, unknown>);
  return { ok: true, view: cloneJson(state.view) };
}
