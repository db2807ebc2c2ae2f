/**
 * The request modal. It starts with the instance picker only; once an instance is chosen it is
 * re-rendered with exactly the fields that instance's engine supports (the domain's `formShape`).
 * Block ids are the CreateBackup parameter names (the contract). The fields that depend on the
 * instance carry its id in their action id: values survive a re-render for the same instance and
 * start fresh when a different instance (perhaps another engine) is picked.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import {
  BACKUP_TYPES,
  type BackupMethod,
  type ChosenSoFar,
  DEFAULT_BACKUP_METHOD,
  DEFAULT_BACKUP_TYPE,
  formShape,
} from "../../domain/engine.js";
import type { InstanceInfo } from "../../domain/instance.js";
import { primaryProblem } from "../../domain/params.js";
import { MAX_REASON_LENGTH } from "../../domain/reason.js";
import type { Locale } from "../../domain/request.js";
import type { BackupWindow } from "../../domain/schedule.js";
import { messages } from "../../i18n/index.js";
import { INPUT_ACTION_ID, REASON_BLOCK_ID, REQUEST_MODAL_CALLBACK_ID, RUN_AT_BLOCK_ID } from "../ids.js";
import { channelLink, plain } from "../text.js";
import { omissionText, problemText } from "./problems.js";
import { formWhenNote } from "./schedule.js";

/** What the modal remembers between renders (in `private_metadata`, ≤ 3000 characters). */
export interface ModalMetadata {
  locale: Locale;
  /** The channel the command was typed in, to tell the requester there. */
  channelId?: string | undefined;
  instanceId?: string | undefined;
}

export function encodeMetadata(metadata: ModalMetadata): string {
  return JSON.stringify(metadata);
}

export function decodeMetadata(raw: string | undefined, fallbackLocale: Locale): ModalMetadata {
  try {
    const parsed: unknown = JSON.parse(raw ?? "{}");
    if (typeof parsed !== "object" || parsed === null) return { locale: fallbackLocale };
    const record = parsed as Record<string, unknown>;
    return {
      locale: record.locale === "ja" || record.locale === "en" ? record.locale : fallbackLocale,
      channelId: typeof record.channelId === "string" ? record.channelId : undefined,
      instanceId: typeof record.instanceId === "string" ? record.instanceId : undefined,
    };
  } catch {
    return { locale: fallbackLocale };
  }
}

export interface ModalInput {
  locale: Locale;
  approvalChannelId: string;
  channelId?: string | undefined;
  /** The chosen instance, once known. */
  instance?: InstanceInfo | undefined;
  /** Choices already made in the form, which decide the fields that follow. */
  chosen?: ChosenSoFar | undefined;
  /** Database names for the DBName picker; a free-text field when unknown. */
  databases?: readonly string[] | undefined;
  /** A note under the picker (for example that the instance could not be looked up). */
  note?: string | undefined;
  /** The backup window of the chosen instance's rule, if it has one. */
  window?: BackupWindow | undefined;
  /** The start time picked so far, if any. */
  runAt?: Date | undefined;
  /** The moment of rendering (the window's next opening is counted from it). */
  now?: Date | undefined;
  /** The chosen instance's rule asks for a reason: the field is required. */
  reasonRequired?: boolean | undefined;
}

const option = (text: string, value: string): PlainTextOption => ({
  text: { type: "plain_text", text: plain(text, 75) },
  value,
});

/** The instance picker's option for one instance (also used by the options listener). */
export function instanceOption(instance: InstanceInfo, locale: Locale): PlainTextOption {
  const label = messages(locale).options.instanceOption(
    instance.id,
    instance.engine,
    instance.engineVersion,
    instance.status,
  );
  return {
    text: { type: "plain_text", text: plain(label, 75) },
    value: instance.id,
    ...(instance.description
      ? { description: { type: "plain_text", text: plain(instance.description, 75) } }
      : {}),
  };
}

function selectBlock(
  blockId: string,
  actionId: string,
  label: string,
  hint: string,
  options: PlainTextOption[],
  initial: string | undefined,
): InputBlock {
  const initialOption = options.find((candidate) => candidate.value === initial);
  return {
    type: "input",
    block_id: blockId,
    dispatch_action: true,
    label: { type: "plain_text", text: label },
    hint: { type: "plain_text", text: hint },
    element: {
      type: "static_select",
      action_id: actionId,
      options,
      ...(initialOption ? { initial_option: initialOption } : {}),
    },
  };
}

export function requestModal(input: ModalInput): ModalView {
  const t = messages(input.locale);
  const m = t.modal;
  const { instance } = input;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: m.intro(channelLink(input.approvalChannelId)) } },
    {
      type: "input",
      block_id: "DBInstanceId",
      dispatch_action: true,
      label: { type: "plain_text", text: m.instanceLabel },
      hint: { type: "plain_text", text: plain(m.instanceHint, 150) },
      element: {
        type: "external_select",
        action_id: INPUT_ACTION_ID,
        min_query_length: 0,
        placeholder: { type: "plain_text", text: m.instancePlaceholder },
        ...(instance ? { initial_option: instanceOption(instance, input.locale) } : {}),
      },
    },
  ];
  if (input.note) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: input.note }] });

  // A read-only (or other secondary) instance cannot be backed up: say so instead of offering fields.
  const notPrimary = instance ? primaryProblem(instance.id, instance) : undefined;
  if (notPrimary) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: problemText(notPrimary, input.locale) }],
    });
  } else if (instance) {
    const chosen = input.chosen ?? {};
    const shape = formShape(instance, chosen);
    const field = `${INPUT_ACTION_ID}:${instance.id}`;
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: plain(
            m.engineNote(
              instance.engine,
              instance.engineVersion,
              instance.category ?? "-",
              instance.storageType ?? "-",
            ),
            300,
          ),
        },
      ],
    });
    const methodOptions = shape.methods.map((method: BackupMethod) =>
      option(
        method === DEFAULT_BACKUP_METHOD
          ? t.options.apiDefault(t.options.method[method])
          : t.options.method[method],
        method,
      ),
    );
    blocks.push(
      selectBlock(
        "BackupMethod",
        field,
        m.methodLabel,
        // The hint says why a method is missing, when one is (cloud disks, local SSDs, MariaDB).
        shape.methodOmission
          ? plain(omissionText(shape.methodOmission, instance.engine, input.locale, "plain"), 2000)
          : m.methodHint,
        methodOptions,
        chosen.method ?? shape.defaultMethod,
      ),
    );
    if (shape.backupType) {
      const typeOptions = BACKUP_TYPES.map((type) =>
        option(
          type === DEFAULT_BACKUP_TYPE ? t.options.apiDefault(t.options.type[type]) : t.options.type[type],
          type,
        ),
      );
      blocks.push(
        selectBlock(
          "BackupType",
          field,
          m.typeLabel,
          m.typeHint,
          typeOptions,
          chosen.type ?? DEFAULT_BACKUP_TYPE,
        ),
      );
    }
    if (shape.strategy) {
      const strategyOptions = shape.strategies.map((strategy) =>
        option(t.options.strategy[strategy], strategy),
      );
      blocks.push(
        selectBlock(
          "BackupStrategy",
          field,
          m.strategyLabel,
          shape.strategyOmission
            ? plain(omissionText(shape.strategyOmission, instance.engine, input.locale, "plain"), 2000)
            : m.strategyHint,
          strategyOptions,
          chosen.strategy ?? "instance",
        ),
      );
    }
    if (shape.dbName) blocks.push(dbNameBlock(input, field));
    if (shape.retention) {
      blocks.push({
        type: "input",
        block_id: "BackupRetentionPeriod",
        optional: true,
        label: { type: "plain_text", text: m.retentionLabel },
        hint: { type: "plain_text", text: m.retentionHint },
        element: {
          type: "number_input",
          action_id: field,
          is_decimal_allowed: false,
          min_value: "-1",
          max_value: "730",
          placeholder: { type: "plain_text", text: m.retentionPlaceholder },
        },
      });
    }
    blocks.push(reasonBlock(input), ...runAtBlocks(input));
  } else {
    // Before an instance is picked too, so the reason can be written first. Its ids never change:
    // what was typed survives every re-render (required once the instance's rule says so).
    blocks.push(reasonBlock(input));
  }

  return {
    type: "modal",
    callback_id: REQUEST_MODAL_CALLBACK_ID,
    title: { type: "plain_text", text: plain(m.title, 24) },
    submit: { type: "plain_text", text: plain(m.submit, 24) },
    close: { type: "plain_text", text: plain(m.close, 24) },
    private_metadata: encodeMetadata({
      locale: input.locale,
      channelId: input.channelId,
      instanceId: instance?.id,
    }),
    blocks,
  };
}

/** Why the backup is wanted: optional unless the instance's rule asks for it (then required). */
function reasonBlock(input: ModalInput): InputBlock {
  const m = messages(input.locale).modal;
  const required = input.reasonRequired === true;
  return {
    type: "input",
    block_id: REASON_BLOCK_ID,
    optional: !required,
    label: { type: "plain_text", text: m.reasonLabel },
    hint: { type: "plain_text", text: plain(required ? m.reasonRequiredHint : m.reasonHint, 2000) },
    element: {
      type: "plain_text_input",
      action_id: INPUT_ACTION_ID,
      multiline: true,
      max_length: MAX_REASON_LENGTH,
      placeholder: { type: "plain_text", text: plain(m.reasonPlaceholder, 150) },
    },
  };
}

/** A static select holds at most 100 options (Block Kit's limit); past that the list is searched. */
export const STATIC_OPTIONS_MAX = 100;

/**
 * The start time (empty: as soon as approved), and what it means for when the backup runs: the
 * instance's window, when its rule has one. Picking a time re-renders the form, so the note follows.
 * The picker keeps one action id for every instance: the time chosen stays when the instance changes.
 */
function runAtBlocks(input: ModalInput): KnownBlock[] {
  const m = messages(input.locale).modal;
  const note = formWhenNote(input.window, input.runAt, input.now ?? new Date(), input.locale);
  return [
    {
      type: "input",
      block_id: RUN_AT_BLOCK_ID,
      optional: true,
      dispatch_action: true,
      label: { type: "plain_text", text: m.runAtLabel },
      hint: { type: "plain_text", text: m.runAtHint },
      element: { type: "datetimepicker", action_id: INPUT_ACTION_ID },
    },
    ...(note ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: note }] }] : []),
  ];
}

function dbNameBlock(input: ModalInput, actionId: string): InputBlock {
  const m = messages(input.locale).modal;
  const names = input.databases ?? [];
  const base = {
    type: "input" as const,
    block_id: "DBName",
    label: { type: "plain_text" as const, text: m.dbNameLabel },
    hint: { type: "plain_text" as const, text: m.dbNameHint },
  };
  if (names.length > STATIC_OPTIONS_MAX) {
    // Options come from the options listener as the person types (listeners/options.ts).
    return {
      ...base,
      element: {
        type: "multi_external_select",
        action_id: `${actionId}:search`,
        min_query_length: 0,
        placeholder: { type: "plain_text", text: plain(m.dbNameSearch(names.length), 150) },
      },
    };
  }
  if (names.length > 0) {
    return {
      ...base,
      element: {
        type: "multi_static_select",
        action_id: `${actionId}:list`,
        options: names.map((name) => option(name, name)),
      },
    };
  }
  return {
    ...base,
    element: {
      type: "plain_text_input",
      action_id: `${actionId}:text`,
      max_length: 2000,
      placeholder: { type: "plain_text", text: m.dbNamePlaceholder },
    },
  };
}
