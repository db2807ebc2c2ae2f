/** Reads a submitted (or re-rendered) modal's values into the request's raw input. */
import type { ViewStateValue } from "@slack/bolt";
import type { ChosenSoFar } from "../domain/engine.js";
import { BACKUP_METHODS, BACKUP_STRATEGIES, BACKUP_TYPES } from "../domain/engine.js";
import type { RawBackupInput } from "../domain/params.js";
import { REASON_BLOCK_ID, RUN_AT_BLOCK_ID } from "./ids.js";

type StateValues = Record<string, Record<string, ViewStateValue>>;

/** The first element's value in a block, whatever its action id (they carry the instance id). */
function element(values: StateValues, blockId: string): ViewStateValue | undefined {
  const block = values[blockId];
  return block ? Object.values(block)[0] : undefined;
}

function single(values: StateValues, blockId: string): string | undefined {
  const state = element(values, blockId);
  if (!state) return undefined;
  return state.selected_option?.value ?? state.value ?? undefined;
}

function many(values: StateValues, blockId: string): string[] | string | undefined {
  const state = element(values, blockId);
  if (!state) return undefined;
  if (state.selected_options) return state.selected_options.map((selected) => selected.value);
  return state.value ?? undefined;
}

export function rawInputFromState(values: StateValues): RawBackupInput {
  return {
    DBInstanceId: single(values, "DBInstanceId"),
    DBName: many(values, "DBName"),
    BackupStrategy: single(values, "BackupStrategy"),
    BackupMethod: single(values, "BackupMethod"),
    BackupType: single(values, "BackupType"),
    BackupRetentionPeriod: single(values, "BackupRetentionPeriod"),
  };
}

function oneOf<T extends string>(known: readonly T[], value: string | undefined): T | undefined {
  return known.find((candidate) => candidate === value);
}

/** The choices that shape the next render of the form. */
export function chosenFromState(values: StateValues): ChosenSoFar {
  return {
    method: oneOf(BACKUP_METHODS, single(values, "BackupMethod")),
    type: oneOf(BACKUP_TYPES, single(values, "BackupType")),
    strategy: oneOf(BACKUP_STRATEGIES, single(values, "BackupStrategy")),
  };
}

/** The start time picked in the form (a `datetimepicker`: seconds since the epoch), if any. */
export function runAtFromState(values: StateValues): Date | undefined {
  const seconds = element(values, RUN_AT_BLOCK_ID)?.selected_date_time;
  return typeof seconds === "number" && Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
}

/** The reason typed in the form (a `plain_text_input`), as typed; the service checks it. */
export function reasonFromState(values: StateValues): string | undefined {
  // A payload is what the sender made it: anything but text is no reason.
  const value: unknown = element(values, REASON_BLOCK_ID)?.value;
  return typeof value === "string" ? value : undefined;
}
