/**
 * Block Kit knowledge shared by the Slack emulator and the user simulator: the checks Slack runs on
 * blocks and modal views (reported the way Slack reports them, `[ERROR] … [json-pointer:/…]`), the
 * ids Slack fills in, the interactive elements of a surface, and the `state.values` a client builds.
 *
 * Node built-ins only: this file powers `npm run demo` as well as the tests.
 */
import { randomBytes } from "node:crypto";

/** A block as the emulator stores it: an object with a `type` (checked before it is stored). */
export interface SlackBlock {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

/** An interactive element (button, select, input…) inside a block. */
export interface SlackElement {
  type: string;
  action_id?: string;
  [key: string]: unknown;
}

/** A Block Kit option object (`{ text, value }`) as it appears in `selected_option`. */
export interface SlackOption {
  text: { type: string; text: string; [key: string]: unknown };
  value: string;
  [key: string]: unknown;
}

/** One entry of `view.state.values[block_id][action_id]`. */
export interface SlackStateValue {
  type: string;
  [key: string]: unknown;
}

export type SlackStateValues = Record<string, Record<string, SlackStateValue>>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A deep copy of plain JSON data (what the emulator hands out, so callers cannot edit its model). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

// ---------------------------------------------------------------------------------------------------
// Limits (https://docs.slack.dev/reference/block-kit) — the ones that bite, see docs/slack-facts.md
// ---------------------------------------------------------------------------------------------------

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  actionsElements: 25,
  contextElements: 10,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  selectOptions: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  radioOptions: 10,
  checkboxOptions: 10,
  overflowOptions: 5,
  plainTextInputMax: 3000,
  markdownBlockText: 12000,
  imageAltText: 2000,
  messageText: 40000,
} as const;

const BLOCK_TYPES = new Set([
  "actions",
  "context",
  "context_actions",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "table",
  "video",
]);

/** Elements that only make sense inside an `input` block (Slack refuses them elsewhere). */
const INPUT_ONLY_ELEMENTS = new Set([
  "plain_text_input",
  "number_input",
  "email_text_input",
  "url_text_input",
  "file_input",
  "rich_text_input",
]);

const ELEMENT_TYPES = new Set([
  "button",
  "channels_select",
  "checkboxes",
  "conversations_select",
  "datepicker",
  "datetimepicker",
  "email_text_input",
  "external_select",
  "file_input",
  "image",
  "multi_channels_select",
  "multi_conversations_select",
  "multi_external_select",
  "multi_static_select",
  "multi_users_select",
  "number_input",
  "overflow",
  "plain_text_input",
  "radio_buttons",
  "rich_text_input",
  "static_select",
  "timepicker",
  "url_text_input",
  "users_select",
  "workflow_button",
]);

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

/** Collects problems in Slack's own wording: `[ERROR] <what> [json-pointer:<where>]`. */
class Problems {
  readonly list: string[] = [];

  add(pointer: string, message: string): void {
    this.list.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }

  /** A string field: present when required, within `max` characters. */
  string(value: unknown, pointer: string, opts: { max?: number; min?: number; required?: boolean }): void {
    if (value === undefined || value === null) {
      if (opts.required) this.add(pointer, "missing required field");
      return;
    }
    if (typeof value !== "string") {
      this.add(pointer, "must be a string");
      return;
    }
    if (opts.max !== undefined && value.length > opts.max) {
      this.add(pointer, `must be less than ${opts.max + 1} characters`);
    }
    if (opts.min !== undefined && value.length < opts.min) {
      this.add(pointer, `must be more than ${opts.min - 1} characters`);
    }
  }

  /** A text object: `{ type: "plain_text" | "mrkdwn", text }`. */
  text(
    value: unknown,
    pointer: string,
    opts: { max?: number; plainOnly?: boolean; required?: boolean } = {},
  ): void {
    if (value === undefined || value === null) {
      if (opts.required) this.add(pointer, "missing required field");
      return;
    }
    if (!isRecord(value)) {
      this.add(pointer, "must be a text object");
      return;
    }
    if (value.type !== "plain_text" && value.type !== "mrkdwn") {
      this.add(`${pointer}/type`, "must be one of plain_text, mrkdwn");
    } else if (opts.plainOnly && value.type !== "plain_text") {
      this.add(`${pointer}/type`, "must be plain_text");
    }
    this.string(value.text, `${pointer}/text`, { ...optMax(opts.max), min: 1, required: true });
  }

  array(
    value: unknown,
    pointer: string,
    opts: { max?: number; min?: number; required?: boolean },
  ): value is unknown[] {
    if (value === undefined || value === null) {
      if (opts.required) this.add(pointer, "missing required field");
      return false;
    }
    if (!Array.isArray(value)) {
      this.add(pointer, "must be an array");
      return false;
    }
    if (opts.min !== undefined && value.length < opts.min) {
      this.add(pointer, `must provide at least ${opts.min} items`);
    }
    if (opts.max !== undefined && value.length > opts.max) {
      this.add(pointer, `no more than ${opts.max} items allowed`);
    }
    return true;
  }
}

function optMax(max: number | undefined): { max?: number } {
  return max === undefined ? {} : { max };
}

export type Surface = "message" | "modal" | "home";

/**
 * Checks a `blocks` array the way Slack does before it accepts a message or a view; returns the
 * problems (empty when valid). `pointer` is where the array sits in the request (`/blocks`,
 * `/view/blocks`).
 */
export function validateBlocks(blocks: unknown, pointer: string, surface: Surface): string[] {
  const problems = new Problems();
  checkBlocks(problems, blocks, pointer, surface);
  return problems.list;
}

function checkBlocks(problems: Problems, blocks: unknown, pointer: string, surface: Surface): void {
  // A home tab holds up to 100 blocks, like a modal (Block Kit reference, "Surfaces").
  const max = surface === "message" ? LIMITS.messageBlocks : LIMITS.modalBlocks;
  if (!problems.array(blocks, pointer, { max, required: surface !== "message" })) return;
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `${pointer}/${index}`;
    if (!isRecord(block)) {
      problems.add(at, "must be an object");
      return;
    }
    if (typeof block.type !== "string") {
      problems.add(`${at}/type`, "missing required field");
      return;
    }
    if (!BLOCK_TYPES.has(block.type)) {
      problems.add(`${at}/type`, `unsupported block type "${block.type}"`);
      return;
    }
    problems.string(block.block_id, `${at}/block_id`, { max: LIMITS.blockId, min: 1 });
    if (typeof block.block_id === "string") {
      if (blockIds.has(block.block_id))
        problems.add(`${at}/block_id`, `duplicate block_id "${block.block_id}"`);
      blockIds.add(block.block_id);
    }
    checkBlock(problems, block, at);
  });
}

function checkBlock(problems: Problems, block: Record<string, unknown>, at: string): void {
  const actionIds = new Set<string>();
  const element = (value: unknown, pointer: string, where: "input" | "actions" | "accessory"): void => {
    checkElement(problems, value, pointer, where, actionIds);
  };
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined) {
        problems.add(at, "must provide either text or fields");
      }
      problems.text(block.text, `${at}/text`, { max: LIMITS.sectionText });
      if (problems.array(block.fields, `${at}/fields`, { max: LIMITS.sectionFields, min: 1 })) {
        block.fields.forEach((field, i) => {
          problems.text(field, `${at}/fields/${i}`, { max: LIMITS.sectionFieldText, required: true });
        });
      }
      if (block.accessory !== undefined) element(block.accessory, `${at}/accessory`, "accessory");
      break;
    }
    case "header":
      problems.text(block.text, `${at}/text`, { max: LIMITS.headerText, plainOnly: true, required: true });
      break;
    case "actions":
      if (
        problems.array(block.elements, `${at}/elements`, {
          min: 1,
          max: LIMITS.actionsElements,
          required: true,
        })
      ) {
        block.elements.forEach((el, i) => {
          element(el, `${at}/elements/${i}`, "actions");
        });
      }
      break;
    case "context":
      if (
        problems.array(block.elements, `${at}/elements`, {
          min: 1,
          max: LIMITS.contextElements,
          required: true,
        })
      ) {
        block.elements.forEach((el, i) => {
          const p = `${at}/elements/${i}`;
          if (isRecord(el) && el.type === "image") {
            problems.string(el.alt_text, `${p}/alt_text`, { max: LIMITS.imageAltText, required: true });
          } else {
            problems.text(el, p, { required: true });
          }
        });
      }
      break;
    case "input":
      problems.text(block.label, `${at}/label`, { max: LIMITS.inputLabel, plainOnly: true, required: true });
      problems.text(block.hint, `${at}/hint`, { max: LIMITS.inputHint, plainOnly: true });
      if (block.element === undefined) problems.add(`${at}/element`, "missing required field");
      else element(block.element, `${at}/element`, "input");
      break;
    case "image":
      if (block.image_url === undefined && block.slack_file === undefined) {
        problems.add(at, "must provide either image_url or slack_file");
      }
      problems.string(block.alt_text, `${at}/alt_text`, { max: LIMITS.imageAltText, required: true });
      break;
    case "markdown":
      problems.string(block.text, `${at}/text`, { max: LIMITS.markdownBlockText, min: 1, required: true });
      break;
    case "rich_text":
      problems.array(block.elements, `${at}/elements`, { required: true });
      break;
    default:
      break;
  }
}

function checkElement(
  problems: Problems,
  value: unknown,
  at: string,
  where: "input" | "actions" | "accessory",
  actionIds: Set<string>,
): void {
  if (!isRecord(value)) {
    problems.add(at, "must be an object");
    return;
  }
  const type = value.type;
  if (typeof type !== "string") {
    problems.add(`${at}/type`, "missing required field");
    return;
  }
  if (!ELEMENT_TYPES.has(type)) {
    problems.add(`${at}/type`, `unsupported element type "${type}"`);
    return;
  }
  if (where !== "input" && INPUT_ONLY_ELEMENTS.has(type)) {
    problems.add(`${at}/type`, `${type} is only allowed in an input block`);
  }
  if (where === "input" && (type === "button" || type === "overflow" || type === "image")) {
    problems.add(`${at}/type`, `${type} is not allowed in an input block`);
  }
  if (type === "image") {
    problems.string(value.alt_text, `${at}/alt_text`, { max: LIMITS.imageAltText, required: true });
    return;
  }
  problems.string(value.action_id, `${at}/action_id`, { max: LIMITS.actionId, min: 1 });
  if (typeof value.action_id === "string") {
    if (actionIds.has(value.action_id)) {
      problems.add(`${at}/action_id`, `duplicate action_id "${value.action_id}" in the same block`);
    }
    actionIds.add(value.action_id);
  }
  problems.text(value.placeholder, `${at}/placeholder`, { max: LIMITS.placeholder, plainOnly: true });
  if (value.confirm !== undefined) checkConfirm(problems, value.confirm, `${at}/confirm`);

  switch (type) {
    case "button":
      problems.text(value.text, `${at}/text`, { max: LIMITS.buttonText, plainOnly: true, required: true });
      problems.string(value.value, `${at}/value`, { max: LIMITS.buttonValue });
      problems.string(value.url, `${at}/url`, { max: LIMITS.url });
      if (value.style !== undefined && value.style !== "primary" && value.style !== "danger") {
        problems.add(`${at}/style`, "must be one of primary, danger");
      }
      break;
    case "static_select":
    case "multi_static_select":
      checkSelectOptions(problems, value, at);
      break;
    case "radio_buttons":
      checkOptionList(problems, value.options, `${at}/options`, LIMITS.radioOptions, true);
      checkInitialOptions(problems, value, at);
      break;
    case "checkboxes":
      checkOptionList(problems, value.options, `${at}/options`, LIMITS.checkboxOptions, true);
      checkInitialOptions(problems, value, at);
      break;
    case "overflow":
      checkOptionList(problems, value.options, `${at}/options`, LIMITS.overflowOptions, true);
      break;
    case "plain_text_input": {
      const max = value.max_length;
      const min = value.min_length;
      if (max !== undefined && (typeof max !== "number" || max < 1 || max > LIMITS.plainTextInputMax)) {
        problems.add(`${at}/max_length`, `must be between 1 and ${LIMITS.plainTextInputMax}`);
      }
      if (min !== undefined && (typeof min !== "number" || min < 0 || min > LIMITS.plainTextInputMax)) {
        problems.add(`${at}/min_length`, `must be between 0 and ${LIMITS.plainTextInputMax}`);
      }
      problems.string(value.initial_value, `${at}/initial_value`, {});
      break;
    }
    case "number_input":
      if (typeof value.is_decimal_allowed !== "boolean") {
        problems.add(`${at}/is_decimal_allowed`, "missing required field");
      }
      problems.string(value.initial_value, `${at}/initial_value`, {});
      break;
    default:
      break;
  }
}

function checkConfirm(problems: Problems, value: unknown, at: string): void {
  if (!isRecord(value)) {
    problems.add(at, "must be an object");
    return;
  }
  problems.text(value.title, `${at}/title`, { max: LIMITS.confirmTitle, plainOnly: true, required: true });
  problems.text(value.text, `${at}/text`, { max: LIMITS.confirmText, required: true });
  problems.text(value.confirm, `${at}/confirm`, {
    max: LIMITS.confirmButton,
    plainOnly: true,
    required: true,
  });
  problems.text(value.deny, `${at}/deny`, { max: LIMITS.confirmButton, plainOnly: true, required: true });
}

function checkOptionList(
  problems: Problems,
  options: unknown,
  at: string,
  max: number,
  required: boolean,
): void {
  if (!problems.array(options, at, { min: 1, max, required })) return;
  options.forEach((option, i) => {
    checkOption(problems, option, `${at}/${i}`);
  });
}

function checkOption(problems: Problems, option: unknown, at: string): void {
  if (!isRecord(option)) {
    problems.add(at, "must be an option object");
    return;
  }
  problems.text(option.text, `${at}/text`, { max: LIMITS.optionText, required: true });
  problems.string(option.value, `${at}/value`, { max: LIMITS.optionValue, min: 1, required: true });
  problems.text(option.description, `${at}/description`, { max: LIMITS.optionDescription });
}

function checkSelectOptions(problems: Problems, el: Record<string, unknown>, at: string): void {
  if (el.options !== undefined && el.option_groups !== undefined) {
    problems.add(at, "must provide either options or option_groups, not both");
  }
  if (el.option_groups !== undefined) {
    if (problems.array(el.option_groups, `${at}/option_groups`, { min: 1, max: LIMITS.optionGroups })) {
      el.option_groups.forEach((group, i) => {
        const gp = `${at}/option_groups/${i}`;
        if (!isRecord(group)) {
          problems.add(gp, "must be an option group");
          return;
        }
        problems.text(group.label, `${gp}/label`, {
          max: LIMITS.optionText,
          plainOnly: true,
          required: true,
        });
        checkOptionList(problems, group.options, `${gp}/options`, LIMITS.selectOptions, true);
      });
    }
  } else {
    checkOptionList(problems, el.options, `${at}/options`, LIMITS.selectOptions, true);
  }
  checkInitialOptions(problems, el, at);
}

/** `initial_option(s)` must be one of the element's own options, exactly. */
function checkInitialOptions(problems: Problems, el: Record<string, unknown>, at: string): void {
  const offered = optionsOf(el);
  if (offered === undefined) return;
  const check = (candidate: unknown, pointer: string): void => {
    if (!isRecord(candidate)) {
      problems.add(pointer, "must be an option object");
      return;
    }
    if (!offered.some((o) => o.value === candidate.value)) {
      problems.add(pointer, "must match one of the options");
    }
  };
  if (el.initial_option !== undefined) check(el.initial_option, `${at}/initial_option`);
  if (Array.isArray(el.initial_options)) {
    el.initial_options.forEach((o, i) => {
      check(o, `${at}/initial_options/${i}`);
    });
  }
}

/** Checks a modal view (`views.open`, `views.push`, `views.update`, `response_action: update|push`). */
export function validateModalView(view: unknown, pointer = "/view"): string[] {
  const problems = new Problems();
  if (!isRecord(view)) {
    problems.add(pointer, "must be a view object");
    return problems.list;
  }
  if (view.type !== "modal") {
    problems.add(`${pointer}/type`, view.type === undefined ? "missing required field" : "must be modal");
  }
  problems.text(view.title, `${pointer}/title`, { max: LIMITS.modalTitle, plainOnly: true, required: true });
  problems.text(view.submit, `${pointer}/submit`, { max: LIMITS.modalButton, plainOnly: true });
  problems.text(view.close, `${pointer}/close`, { max: LIMITS.modalButton, plainOnly: true });
  problems.string(view.private_metadata, `${pointer}/private_metadata`, { max: LIMITS.privateMetadata });
  problems.string(view.callback_id, `${pointer}/callback_id`, { max: LIMITS.callbackId });
  problems.string(view.external_id, `${pointer}/external_id`, { max: LIMITS.externalId });
  checkBlocks(problems, view.blocks, `${pointer}/blocks`, "modal");
  if (
    view.submit === undefined &&
    Array.isArray(view.blocks) &&
    view.blocks.some((b) => isRecord(b) && b.type === "input")
  ) {
    problems.add(`${pointer}/submit`, "must provide submit when the view has an input block");
  }
  return problems.list;
}

/**
 * Checks a `home` view the way `views.publish` does: `type: "home"`, up to 100 blocks, the same
 * block rules as a modal; no title, submit or close (a home tab has none of them).
 */
export function validateHomeView(view: unknown, pointer = "/view"): string[] {
  const problems = new Problems();
  if (!isRecord(view)) {
    problems.add(pointer, "must be a view object");
    return problems.list;
  }
  if (view.type !== "home") {
    problems.add(`${pointer}/type`, view.type === undefined ? "missing required field" : "must be home");
  }
  problems.string(view.private_metadata, `${pointer}/private_metadata`, { max: LIMITS.privateMetadata });
  problems.string(view.callback_id, `${pointer}/callback_id`, { max: LIMITS.callbackId });
  problems.string(view.external_id, `${pointer}/external_id`, { max: LIMITS.externalId });
  checkBlocks(problems, view.blocks, `${pointer}/blocks`, "home");
  return problems.list;
}

// ---------------------------------------------------------------------------------------------------
// Ids Slack fills in, and walking a surface
// ---------------------------------------------------------------------------------------------------

function generatedId(): string {
  // Slack's generated ids are short opaque strings such as "dK1zQ".
  return randomBytes(4).toString("base64url").slice(0, 5);
}

/**
 * A copy of validated blocks with the ids Slack assigns when they are missing: `block_id` on every
 * block and `action_id` on every interactive element (payloads always carry both).
 */
export function withSlackIds(blocks: readonly unknown[]): SlackBlock[] {
  const copy = cloneJson(blocks) as SlackBlock[];
  for (const block of copy) {
    if (typeof block.block_id !== "string") block.block_id = generatedId();
    for (const el of elementsOfBlock(block)) {
      if (el.type !== "image" && typeof el.action_id !== "string") el.action_id = generatedId();
    }
  }
  return copy;
}

function elementsOfBlock(block: SlackBlock): SlackElement[] {
  const out: SlackElement[] = [];
  const push = (value: unknown): void => {
    if (isRecord(value) && typeof value.type === "string") out.push(value as SlackElement);
  };
  if (block.type === "input") push(block.element);
  if (block.type === "section") push(block.accessory);
  if (block.type === "actions" && Array.isArray(block.elements)) block.elements.forEach(push);
  return out;
}

/** An interactive element together with where it sits. */
export interface ElementSite {
  block: SlackBlock;
  blockId: string;
  actionId: string;
  element: SlackElement;
  /** true when the element is the `element` of an `input` block. */
  inInput: boolean;
}

/** Every interactive element of a surface, in order. */
export function interactiveElements(blocks: readonly SlackBlock[]): ElementSite[] {
  const out: ElementSite[] = [];
  for (const block of blocks) {
    for (const element of elementsOfBlock(block)) {
      if (element.type === "image") continue;
      out.push({
        block,
        blockId: String(block.block_id ?? ""),
        actionId: String(element.action_id ?? ""),
        element,
        inInput: block.type === "input",
      });
    }
  }
  return out;
}

/** The element with this `action_id` (and `block_id`, when given), or undefined. */
export function findElement(
  blocks: readonly SlackBlock[],
  actionId: string,
  blockId?: string,
): ElementSite | undefined {
  return interactiveElements(blocks).find(
    (site) => site.actionId === actionId && (blockId === undefined || site.blockId === blockId),
  );
}

/** The options an element offers (`options`, or every group's options), or undefined for none. */
export function optionsOf(element: Record<string, unknown>): SlackOption[] | undefined {
  const asOptions = (value: unknown): SlackOption[] =>
    Array.isArray(value)
      ? value.filter((o): o is SlackOption => isRecord(o) && typeof o.value === "string")
      : [];
  if (Array.isArray(element.options)) return asOptions(element.options);
  if (Array.isArray(element.option_groups)) {
    return element.option_groups.flatMap((g) => (isRecord(g) ? asOptions(g.options) : []));
  }
  return undefined;
}

/**
 * Every piece of human-readable text in some blocks (and their text objects, options, buttons),
 * joined by newlines: handy for `expect(blockText(message.blocks)).toContain("Approved")`.
 */
export function blockText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
      return;
    }
    if (!isRecord(value)) return;
    if ((value.type === "plain_text" || value.type === "mrkdwn") && typeof value.text === "string") {
      out.push(value.text);
      return;
    }
    if (value.type === "text" && typeof value.text === "string") out.push(value.text);
    if (value.type === "markdown" && typeof value.text === "string") out.push(value.text);
    for (const [key, v] of Object.entries(value)) {
      if (key === "value" || key === "action_id" || key === "block_id" || key === "url") continue;
      walk(v);
    }
  };
  walk(blocks);
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------------
// state.values, the way a Slack client fills them
// ---------------------------------------------------------------------------------------------------

/** What a test says a person entered: a string, several strings, or nothing (cleared). */
export type EnteredValue = string | readonly string[] | null;

const SINGLE_OPTION = new Set(["static_select", "external_select", "radio_buttons"]);
const MULTI_OPTION = new Set(["multi_static_select", "multi_external_select", "checkboxes"]);
const TEXT_VALUE = new Set(["plain_text_input", "number_input", "email_text_input", "url_text_input"]);
const SINGLE_ID: Record<string, string> = {
  users_select: "selected_user",
  conversations_select: "selected_conversation",
  channels_select: "selected_channel",
  datepicker: "selected_date",
  timepicker: "selected_time",
};
const MULTI_ID: Record<string, string> = {
  multi_users_select: "selected_users",
  multi_conversations_select: "selected_conversations",
  multi_channels_select: "selected_channels",
};

function plainOption(value: string): SlackOption {
  return { text: { type: "plain_text", text: value, emoji: true }, value };
}

/** The option an element offers for `value`, or a made-up one (flagged) when it offers none such. */
export function optionFor(
  element: SlackElement,
  value: string,
  externalOptions?: readonly SlackOption[],
): { option: SlackOption; offered: boolean } {
  const isExternal = element.type === "external_select" || element.type === "multi_external_select";
  // External selects offer what the app answered to the options requests so far ("options loaded
  // from an external data source": Slack's select menu reference); a person picks among those.
  // Without a recorded answer (a test that skipped the typing), anything goes.
  const offered = isExternal ? externalOptions : optionsOf(element);
  const found = offered?.find((o) => o.value === value);
  if (found) return { option: cloneJson(found), offered: true };
  return { option: plainOption(value), offered: isExternal && externalOptions === undefined };
}

/** The state entry of an element nobody touched: its initial value, or empty. */
export function initialState(element: SlackElement): SlackStateValue {
  const type = element.type;
  if (TEXT_VALUE.has(type)) {
    return { type, value: typeof element.initial_value === "string" ? element.initial_value : null };
  }
  if (SINGLE_OPTION.has(type)) {
    return {
      type,
      selected_option: isRecord(element.initial_option) ? cloneJson(element.initial_option) : null,
    };
  }
  if (MULTI_OPTION.has(type)) {
    return {
      type,
      selected_options: Array.isArray(element.initial_options) ? cloneJson(element.initial_options) : [],
    };
  }
  const single = SINGLE_ID[type];
  if (single !== undefined) {
    const initialKey = single.replace("selected_", "initial_");
    const initial = element[initialKey];
    return { type, [single]: typeof initial === "string" ? initial : null };
  }
  const multi = MULTI_ID[type];
  if (multi !== undefined) {
    const initial = element[multi.replace("selected_", "initial_")];
    return { type, [multi]: Array.isArray(initial) ? cloneJson(initial) : [] };
  }
  if (type === "datetimepicker") {
    return {
      type,
      selected_date_time: typeof element.initial_date_time === "number" ? element.initial_date_time : null,
    };
  }
  if (type === "rich_text_input") {
    return {
      type,
      rich_text_value: isRecord(element.initial_value) ? cloneJson(element.initial_value) : null,
    };
  }
  return { type };
}

/**
 * The state entry for what a person entered in `element`, plus the problems a Slack client would
 * have stopped them with (an option the element does not offer, several values in a single field).
 */
export function enteredState(
  element: SlackElement,
  entered: EnteredValue,
  /** For an external select: the options the app offered for it so far. */
  externalOptions?: readonly SlackOption[],
): { state: SlackStateValue; problems: string[] } {
  const type = element.type;
  const problems: string[] = [];
  const list = entered === null ? [] : typeof entered === "string" ? [entered] : [...entered];
  const single = (): string | null => {
    if (list.length > 1) problems.push(`${type} takes one value, got ${list.length}`);
    return list[0] ?? null;
  };
  if (TEXT_VALUE.has(type)) {
    const value = single();
    return { state: { type, value: value === "" ? null : value }, problems };
  }
  if (SINGLE_OPTION.has(type) || MULTI_OPTION.has(type)) {
    const values = SINGLE_OPTION.has(type) ? [single()].filter((v): v is string => v !== null) : list;
    const options = values.map((v) => {
      const { option, offered } = optionFor(element, v, externalOptions);
      if (!offered) problems.push(`"${v}" is not one of the options of ${type} "${element.action_id}"`);
      return option;
    });
    return SINGLE_OPTION.has(type)
      ? { state: { type, selected_option: options[0] ?? null }, problems }
      : { state: { type, selected_options: options }, problems };
  }
  const singleKey = SINGLE_ID[type];
  if (singleKey !== undefined) return { state: { type, [singleKey]: single() }, problems };
  const multiKey = MULTI_ID[type];
  if (multiKey !== undefined) return { state: { type, [multiKey]: list }, problems };
  if (type === "datetimepicker") {
    const value = single();
    return { state: { type, selected_date_time: value === null ? null : Number(value) }, problems };
  }
  if (type === "rich_text_input") {
    const value = single();
    const richText =
      value === null
        ? null
        : {
            type: "rich_text",
            elements: [{ type: "rich_text_section", elements: [{ type: "text", text: value }] }],
          };
    return { state: { type, rich_text_value: richText }, problems };
  }
  problems.push(`cannot enter a value into a ${type}`);
  return { state: { type }, problems };
}

/** True when a state entry holds nothing (what makes a required input block refuse to submit). */
export function isEmptyState(state: SlackStateValue): boolean {
  for (const [key, value] of Object.entries(state)) {
    if (key === "type") continue;
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    return false;
  }
  return true;
}

/**
 * The checks a Slack client runs before it lets a person submit an input block: required fields,
 * `min_length`/`max_length`, numbers within `min_value`/`max_value`, `max_selected_items`.
 */
export function clientChecks(site: ElementSite, state: SlackStateValue): string | undefined {
  const { element, block } = site;
  if (isEmptyState(state)) {
    return site.inInput && block.optional !== true ? "This field is required." : undefined;
  }
  const value = state.value;
  if (typeof value === "string") {
    if (element.type === "plain_text_input") {
      const max = typeof element.max_length === "number" ? element.max_length : LIMITS.plainTextInputMax;
      if (value.length > max) return `Please enter no more than ${max} characters.`;
      if (typeof element.min_length === "number" && value.length < element.min_length) {
        return `Please enter at least ${element.min_length} characters.`;
      }
    }
    if (element.type === "number_input") {
      const pattern = element.is_decimal_allowed === true ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
      if (!pattern.test(value))
        return element.is_decimal_allowed === true ? "Enter a number." : "Enter a whole number.";
      const n = Number(value);
      if (element.min_value !== undefined && n < Number(element.min_value)) {
        return `Enter a number no smaller than ${String(element.min_value)}.`;
      }
      if (element.max_value !== undefined && n > Number(element.max_value)) {
        return `Enter a number no larger than ${String(element.max_value)}.`;
      }
    }
  }
  if (Array.isArray(state.selected_options) && typeof element.max_selected_items === "number") {
    if (state.selected_options.length > element.max_selected_items) {
      return `Select no more than ${element.max_selected_items} items.`;
    }
  }
  return undefined;
}
