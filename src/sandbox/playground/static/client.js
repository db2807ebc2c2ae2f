// @ts-check
/**
 * The playground page's script: shows the parts the server renders, follows the workspace live
 * (server-sent events), and turns what the person does into `/api/act` calls, which the server
 * sends to the bot as Slack would. Plain DOM, no framework: the page is a handful of containers.
 */

/** @typedef {{ ok: boolean, message?: string, notices?: string[], errors?: Record<string, string>, options?: Array<{ value: string, label: string, html: string, description?: string }> }} ActAnswer */
/** @typedef {string | string[] | null} Entered */

const params = new URLSearchParams(location.search);
const view = {
  as: params.get("as") ?? "U0REQUESTER",
  place: params.get("place") ?? "channel:C0DBOPS",
  /** @type {string | null} */
  thread: params.get("thread"),
  tz: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
};
/** @type {Record<string, string>} */
const shown = {};
let version = -1;
let refreshing = false;
let again = false;
let busy = 0;

/** @param {string} id */
function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el;
}

function remember() {
  const next = new URLSearchParams({ as: view.as, place: view.place });
  if (view.thread) next.set("thread", view.thread);
  history.replaceState(null, "", `?${next}`);
}

/** @param {string} text @param {"error" | "info"} [kind] */
function toast(text, kind = "error") {
  const el = document.createElement("div");
  el.className = `toast toast-${kind}`;
  el.textContent = text;
  $("toasts").append(el);
  setTimeout(() => el.remove(), 8000);
}

/** @param {string} id @param {string} html */
function swap(id, html) {
  if (shown[id] === html) return false;
  shown[id] = html;
  $(id).innerHTML = html;
  return true;
}

async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    const query = new URLSearchParams({ as: view.as, place: view.place, tz: view.tz });
    if (view.thread) query.set("thread", view.thread);
    const res = await fetch(`/api/state?${query}`);
    const body = await res.json();
    if (!res.ok) {
      toast(body.message ?? `the playground answered ${res.status}`);
      return;
    }
    const messages = document.getElementById("messages");
    const atBottom = !messages || messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
    document.title = body.title;
    swap("sidebar", body.sidebar);
    if (swap("main", body.main) && atBottom) scrollToEnd("messages");
    // The pane shows before it fills, so its scroll height is known when it scrolls to the end.
    document.body.classList.toggle("with-thread", body.thread !== "");
    if (swap("thread", body.thread)) scrollToEnd("thread-messages");
    swap("modal", body.modal);
    const input = /** @type {HTMLTextAreaElement} */ ($("composer-input"));
    input.placeholder = body.composer.placeholder;
    $("composer").hidden = !body.composer.enabled;
    version = body.version;
    document.body.dataset.version = String(version);
  } catch (error) {
    toast(`could not reach the playground: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

/** @param {string} id */
function scrollToEnd(id) {
  const el = document.getElementById(id);
  if (el) el.scrollTop = el.scrollHeight;
}

/**
 * @param {Record<string, unknown>} act
 * @returns {Promise<ActAnswer>}
 */
async function send(act) {
  busy++;
  document.body.dataset.busy = "true";
  try {
    const res = await fetch("/api/act", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ as: view.as, ...act }),
    });
    /** @type {ActAnswer} */
    const answer = await res.json();
    if (!res.ok) toast(answer.message ?? `the playground answered ${res.status}`);
    for (const notice of answer.notices ?? []) toast(`Slack would show an error: ${notice}`);
    return answer;
  } finally {
    busy--;
    if (busy === 0) delete document.body.dataset.busy;
    await refresh();
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading what a person entered in a view, element by element (Block Kit's state.values)
// ---------------------------------------------------------------------------------------------------

/** @param {Element} el @returns {Entered | undefined} */
function enteredValue(el) {
  const kind = /** @type {HTMLElement} */ (el).dataset.element ?? "";
  const checked = () =>
    [...el.querySelectorAll("input:checked")].map((i) => /** @type {HTMLInputElement} */ (i).value);
  if (el instanceof HTMLSelectElement) return el.value === "" ? null : el.value;
  if (kind.startsWith("multi_") && kind !== "multi_external_select") return checked();
  if (kind === "checkboxes") return checked();
  if (kind === "radio_buttons") return checked()[0] ?? null;
  if (kind === "external_select") {
    const input = /** @type {HTMLInputElement | null} */ (el.querySelector(".bk-combo-input"));
    return input?.dataset.value || null;
  }
  if (kind === "multi_external_select") {
    return [...el.querySelectorAll(".bk-chip")].map(
      (c) => /** @type {HTMLElement} */ (c).dataset.value ?? "",
    );
  }
  if (kind === "datetimepicker") {
    const date = /** @type {HTMLInputElement | null} */ (el.querySelector(".bk-dt-date"))?.value;
    const time = /** @type {HTMLInputElement | null} */ (el.querySelector(".bk-dt-time"))?.value;
    // The page's zone is the reader's zone: a local date and time is the instant they mean.
    return date && time ? String(Math.floor(new Date(`${date}T${time}`).getTime() / 1000)) : null;
  }
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el.value;
  return undefined;
}

/** @param {Element} root @returns {Record<string, Record<string, Entered>>} */
function collect(root) {
  /** @type {Record<string, Record<string, Entered>>} */
  const values = {};
  for (const el of root.querySelectorAll("[data-action-id][data-element]")) {
    const element = /** @type {HTMLElement} */ (el);
    const block = element.closest("[data-block-id]");
    const blockId = block instanceof HTMLElement ? block.dataset.blockId : undefined;
    if (!blockId || element.dataset.element === "button") continue;
    const value = enteredValue(element);
    if (value === undefined) continue;
    values[blockId] = { ...values[blockId], [element.dataset.actionId ?? ""]: value };
  }
  return values;
}

/** @param {Element} el */
function where(el) {
  const surface = /** @type {HTMLElement | null} */ (el.closest("[data-surface]"));
  const block = /** @type {HTMLElement | null} */ (el.closest("[data-block-id]"));
  const element = /** @type {HTMLElement | null} */ (el.closest("[data-action-id]"));
  return {
    surface,
    blockId: block?.dataset.blockId,
    actionId: element?.dataset.actionId ?? "",
    dispatches:
      block?.dataset.dispatch === "true" || (block?.classList.contains("bk-input") === false && !!block),
  };
}

/** Someone used an element: Slack sends block_actions when the element dispatches. @param {Element} el @param {Entered} [value] */
async function acted(el, value) {
  const { surface, blockId, actionId, dispatches } = where(el);
  if (!surface) return;
  if (surface.dataset.surface === "message") {
    await send({
      kind: "click",
      channel: surface.dataset.channel,
      ts: surface.dataset.ts,
      ephemeral: surface.dataset.ephemeral === "true",
      actionId,
      blockId,
    });
    return;
  }
  const isButton = /** @type {HTMLElement} */ (el).dataset.element === "button";
  if (surface.dataset.surface === "home") {
    // A click in the Home tab: block_actions from the home view, no message (the server sends it).
    if (isButton) await send({ kind: "home_click", actionId, blockId });
    return;
  }
  const viewId = surface.dataset.viewId;
  if (!viewId) {
    toast("This view is not one the emulator keeps, so nothing can be sent from it yet.");
    return;
  }
  if (!isButton && !dispatches) return;
  await send({
    kind: "view_action",
    viewId,
    actionId,
    blockId,
    ...(value !== undefined ? { value } : {}),
    ...(surface.dataset.surface === "modal" ? { values: collect(surface) } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------
// Clicks
// ---------------------------------------------------------------------------------------------------

/** @param {HTMLButtonElement} button */
function pressButton(button) {
  const dialog = button.nextElementSibling;
  if (dialog instanceof HTMLDialogElement && dialog.classList.contains("bk-confirm")) {
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      () => {
        if (dialog.returnValue === "confirm") void acted(button);
      },
      { once: true },
    );
    dialog.showModal();
    return;
  }
  void acted(button);
}

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const place = target.closest("[data-place]");
  if (place instanceof HTMLElement) {
    event.preventDefault();
    view.place = place.dataset.place ?? view.place;
    view.thread = null;
    remember();
    if (view.place === "home") void send({ kind: "home" });
    else void refresh();
    return;
  }
  const open = target.closest("[data-open-thread]");
  if (open instanceof HTMLElement) {
    view.thread = open.dataset.openThread ?? null;
    remember();
    void refresh();
    return;
  }
  if (target.closest("[data-close-thread]")) {
    view.thread = null;
    remember();
    void refresh();
    return;
  }
  const dismiss = target.closest("[data-dismiss]");
  if (dismiss) {
    dismiss.closest(".msg")?.remove();
    return;
  }
  const modal = /** @type {HTMLElement | null} */ (target.closest(".modal"));
  if (modal && target.closest("[data-close-view]")) {
    void send({ kind: "close", viewId: modal.dataset.viewId });
    return;
  }
  if (modal && target.closest("[data-submit-view]")) {
    void send({ kind: "submit", viewId: modal.dataset.viewId, values: collect(modal) });
    return;
  }
  const remove = target.closest(".bk-chip-remove");
  if (remove) {
    event.preventDefault();
    const chip = /** @type {HTMLElement} */ (remove.closest(".bk-chip"));
    const host = chip.closest("[data-element]");
    const box = host?.querySelector(`input[type=checkbox][value="${CSS.escape(chip.dataset.value ?? "")}"]`);
    if (box instanceof HTMLInputElement) box.checked = false;
    chip.remove();
    if (host) {
      syncChips(host);
      void acted(host, enteredValue(host) ?? null);
    }
    return;
  }
  const option = target.closest(".bk-combo-options li");
  if (option instanceof HTMLElement) {
    pickOption(option);
    return;
  }
  const button = target.closest("button.bk-button[data-action-id]");
  if (button instanceof HTMLButtonElement && !button.disabled) pressButton(button);
});

// ---------------------------------------------------------------------------------------------------
// Selects, pickers, checkboxes: a change is an action when the block dispatches
// ---------------------------------------------------------------------------------------------------

/** Shows the checked options of a multi select as chips. @param {Element} host */
function syncChips(host) {
  const chips = host.querySelector(".bk-chips");
  if (!chips || host.getAttribute("data-element") === "multi_external_select") return;
  chips.innerHTML = "";
  for (const box of host.querySelectorAll("input[type=checkbox]:checked")) {
    const input = /** @type {HTMLInputElement} */ (box);
    const chip = document.createElement("span");
    chip.className = "bk-chip";
    chip.dataset.value = input.value;
    chip.textContent = input.nextElementSibling?.textContent ?? input.value;
    const x = document.createElement("button");
    x.type = "button";
    x.className = "bk-chip-remove";
    x.setAttribute("aria-label", "Remove");
    x.textContent = "×";
    chip.append(x);
    chips.append(chip);
  }
  const placeholder = host.querySelector(".bk-multi-placeholder");
  if (placeholder instanceof HTMLElement) placeholder.hidden = chips.childElementCount > 0;
}

document.addEventListener("change", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target || target.closest(".composer") || target.id === "person") return;
  // An external select's text box only searches; picking an option is the action.
  if (target.classList.contains("bk-combo-input")) return;
  const host = target.closest("[data-element]");
  if (!host) return;
  const kind = host.getAttribute("data-element") ?? "";
  if (kind.endsWith("_input") && !(target instanceof HTMLSelectElement)) return;
  if (kind.startsWith("multi_")) syncChips(host);
  if (kind === "datetimepicker" && enteredValue(host) === null) return;
  void acted(host, enteredValue(host) ?? null);
});

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (
    event.key === "Escape" &&
    document.querySelector("#modal .modal") &&
    !document.querySelector("dialog[open]")
  ) {
    const modal = /** @type {HTMLElement} */ (document.querySelector("#modal .modal"));
    void send({ kind: "close", viewId: modal.dataset.viewId });
    return;
  }
  if (event.key !== "Enter" || event.shiftKey || !(target instanceof HTMLElement)) return;
  if (target.id === "composer-input") {
    event.preventDefault();
    void sendComposer();
    return;
  }
  // A dispatching text input sends its value on Enter (dispatch_action_config's default).
  const host = target.closest("[data-element]");
  if (host && target instanceof HTMLInputElement && host === target && where(host).dispatches) {
    event.preventDefault();
    void acted(host, target.value);
  }
});

// ---------------------------------------------------------------------------------------------------
// External selects: Slack asks the app for options as the person types
// ---------------------------------------------------------------------------------------------------

/** @type {Map<Element, number>} */
const pending = new Map();

/** @param {HTMLInputElement} input */
async function suggest(input) {
  const host = /** @type {HTMLElement} */ (input.closest("[data-element]"));
  const list = /** @type {HTMLElement} */ (host.querySelector(".bk-combo-options"));
  const { surface, blockId, actionId } = where(host);
  const min = Number(host.dataset.minQuery ?? 3);
  const query = input.value === input.defaultValue && input.dataset.value ? "" : input.value;
  if (query.length < min) {
    list.innerHTML = `<li class="bk-combo-note">Type at least ${min} characters</li>`;
    list.hidden = false;
    return;
  }
  const ticket = (pending.get(host) ?? 0) + 1;
  pending.set(host, ticket);
  const answer = await send({ kind: "options", viewId: surface?.dataset.viewId, blockId, actionId, query });
  if (pending.get(host) !== ticket || !document.contains(host)) return;
  const options = answer.options ?? [];
  list.innerHTML = "";
  for (const option of options) {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.dataset.value = option.value;
    li.dataset.label = option.label;
    li.innerHTML = `<span class="bk-option-text">${option.html}</span>`;
    if (option.description) {
      const d = document.createElement("span");
      d.className = "bk-option-description";
      d.textContent = option.description;
      li.append(d);
    }
    list.append(li);
  }
  if (options.length === 0) list.innerHTML = '<li class="bk-combo-note">No results</li>';
  list.hidden = false;
}

/** @param {HTMLElement} option */
function pickOption(option) {
  const host = /** @type {HTMLElement} */ (option.closest("[data-element]"));
  const input = /** @type {HTMLInputElement} */ (host.querySelector(".bk-combo-input"));
  const list = /** @type {HTMLElement} */ (host.querySelector(".bk-combo-options"));
  list.hidden = true;
  const value = option.dataset.value ?? "";
  if (host.dataset.element === "multi_external_select") {
    const chips = host.querySelector(".bk-chips");
    const chip = document.createElement("span");
    chip.className = "bk-chip";
    chip.dataset.value = value;
    chip.textContent = option.dataset.label ?? value;
    chips?.append(chip);
    input.value = "";
  } else {
    input.value = option.dataset.label ?? value;
    input.defaultValue = input.value;
    input.dataset.value = value;
  }
  void acted(host, enteredValue(host) ?? null);
}

document.addEventListener("focusin", (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.classList.contains("bk-combo-input")) void suggest(target);
});
document.addEventListener("input", (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.classList.contains("bk-combo-input")) void suggest(target);
});
document.addEventListener("focusout", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement) || !target.classList.contains("bk-combo-input")) return;
  const list = target.parentElement?.querySelector(".bk-combo-options");
  // Later than a click on an option, which must land first.
  setTimeout(() => {
    if (list instanceof HTMLElement) list.hidden = true;
  }, 200);
});

// ---------------------------------------------------------------------------------------------------
// The composer and the person switcher
// ---------------------------------------------------------------------------------------------------

async function sendComposer() {
  const input = /** @type {HTMLTextAreaElement} */ ($("composer-input"));
  const text = input.value.trim();
  if (text === "") return;
  if (!text.startsWith("/")) {
    toast("Only slash commands reach the bot here: try /rds-backup or /rds-backup help.", "info");
    return;
  }
  const channel = view.place.startsWith("channel:")
    ? view.place.slice("channel:".length)
    : (document.querySelector("[data-surface=message]")?.getAttribute("data-channel") ?? view.as);
  input.value = "";
  await send({ kind: "command", channel, text });
}

// A global shortcut, as picked from Slack's shortcuts menu: the bot answers by opening a form.
for (const button of document.querySelectorAll("[data-shortcut]")) {
  button.addEventListener("click", () => {
    void send({ kind: "shortcut", callbackId: /** @type {HTMLElement} */ (button).dataset.shortcut ?? "" });
  });
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  void sendComposer();
});

const person = /** @type {HTMLSelectElement} */ ($("person"));
person.value = view.as;
person.addEventListener("change", () => {
  view.as = person.value;
  view.thread = null;
  remember();
  for (const key of Object.keys(shown)) delete shown[key];
  if (view.place === "home") void send({ kind: "home" });
  else void refresh();
});
$("tz").textContent = view.tz;

const events = new EventSource("/api/events");
events.addEventListener("change", () => void refresh());
remember();
if (view.place === "home") void send({ kind: "home" });
else void refresh();
