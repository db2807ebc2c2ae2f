import type { ApiFailureInfo } from "./api-failure.js";
import type { InstanceInfo } from "./instance.js";
import type { RequestState } from "./lifecycle.js";
import type { BackupParams } from "./params.js";
import type { Preflight } from "./preflight.js";
import type { RunSchedule } from "./schedule.js";
import type { StartRecord } from "./start-record.js";

export type Locale = "en" | "ja";
export const LOCALES: readonly Locale[] = ["en", "ja"];

export interface Approval {
  userId: string;
  at: Date;
}

/** Where the card for a request lives in Slack, once posted. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** A backup request as the store keeps it. Slack messages are renderings of this record. */
export interface BackupRequest {
  id: string;
  state: RequestState;
  params: BackupParams;
  /** The instance as it was when the request was filed (engine, description, status). */
  instance: InstanceInfo;
  requesterId: string;
  /** The requester's language: every reply about this request is written in it. */
  locale: Locale;
  /** Where the request was typed, to tell the requester where it waits. */
  originChannelId?: string | undefined;
  approvalsRequired: number;
  approvals: Approval[];
  allowSelfApproval: boolean;
  /** Why the requester wants the backup (src/domain/reason.ts), when they said. */
  requestReason?: string | undefined;
  /** Who rejected or cancelled it, and why. */
  decidedBy?: string | undefined;
  decidedAt?: Date | undefined;
  reason?: string | undefined;
  card?: MessageRef | undefined;
  backupJobId?: string | undefined;
  /** RequestId of the CreateBackup call that succeeded. */
  apiRequestId?: string | undefined;
  /** When CreateBackup was (first) called: the watermark for adopting a job after an unknown outcome. */
  submittedAt?: Date | undefined;
  /** CreateBackup calls made for this request (absent: none). At most MAX_CREATE_CALLS. */
  createCalls?: number | undefined;
  /** How starting the backup stands: unclear answers, retries, what a person was shown. */
  start?: StartRecord | undefined;
  error?: ApiFailureInfo | undefined;
  /** The last pre-flight check of CreateBackup's preconditions (at filing, at approval, at its start time). */
  preflight?: Preflight | undefined;
  /** When it runs, when that is not simply "as soon as approved" (a time asked, a policy window). */
  schedule?: RunSchedule | undefined;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lowercase: easy to type
const ID_LENGTH = 10;
export const REQUEST_ID_PATTERN = /^req-[0-9a-hjkmnp-tv-z]{10}$/;

/** A short id people can type (`/rds-backup cancel req-7k2m9x4q1c`), 50 bits of randomness. */
export function newRequestId(random: (bytes: number) => Uint8Array): string {
  const bytes = random(ID_LENGTH);
  let id = "req-";
  for (const byte of bytes) id += ID_ALPHABET[byte & 31];
  return id;
}

export function isRequestId(value: unknown): value is string {
  return typeof value === "string" && REQUEST_ID_PATTERN.test(value);
}
