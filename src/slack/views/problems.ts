/** Validation problems and refusals, in the reader's language, ready for Slack. */
import type { Omission } from "../../domain/engine.js";
import type { Problem } from "../../domain/params.js";
import type { RequestRefusal } from "../../domain/policy.js";
import { MAX_REASON_LENGTH } from "../../domain/reason.js";
import type { Locale } from "../../domain/request.js";
import { formatTime, messages } from "../../i18n/index.js";
import { slackTime } from "../dates.js";
import { plain, userText } from "../text.js";

/**
 * `format` is where the text goes: `mrkdwn` (messages) escapes what people typed; `plain` (a
 * modal's field errors, shown as plain text by Slack) only cleans and shortens it.
 */
export function problemText(problem: Problem, locale: Locale, format: "mrkdwn" | "plain" = "mrkdwn"): string {
  const m = messages(locale).problems;
  const field = problem.field === "input" ? "" : problem.field;
  const raw = problem.value ?? "";
  const value = format === "mrkdwn" ? userText(raw, 80) : plain(raw, 80);
  const allowed = (problem.allowed ?? []).join(", ");
  const engine = problem.engine ?? "";
  switch (problem.code) {
    case "required":
      return m.required(field);
    case "instance_id_format":
      return m.instance_id_format(value);
    case "instance_not_found":
      return m.instance_not_found(value, allowed || "-");
    case "instance_lookup_failed":
      return m.instance_lookup_failed(value);
    case "credentials_failed":
      return m.credentials_failed(value);
    case "not_primary": {
      const role = roleName(problem.role ?? "", locale, format);
      if (!problem.primaryId) return m.not_primary(value, role);
      const primary = format === "mrkdwn" ? userText(problem.primaryId, 80) : plain(problem.primaryId, 80);
      return m.not_primary_of(value, role, primary);
    }
    case "unknown_value":
      return m.unknown_value(field, value, allowed);
    case "not_supported_by_engine": {
      const refused = m.not_supported_by_engine(field, value, engine, allowed);
      return problem.why ? `${refused} ${omissionText(problem.why, engine, locale, format)}` : refused;
    }
    case "not_applicable":
      return m.not_applicable(field, value, engine);
    case "db_name_required":
      return m.db_name_required;
    case "db_name_format":
      return m.db_name_format(value);
    case "retention_range":
      return m.retention_range(value);
    case "unknown_option":
      return m.unknown_option(value, allowed);
    case "duplicate_option":
      return m.duplicate_option(value);
    case "malformed_option":
      return m.malformed_option(value);
    case "instance_not_running":
      return m.instance_not_running(value);
    case "backup_in_progress":
      return m.backup_in_progress(value);
    case "daily_limit_reached":
      return m.daily_limit_reached(value);
    case "run_at_format":
      return m.run_at_format(value);
    case "run_at_needs_offset":
      return m.run_at_needs_offset(value);
    case "run_at_past":
      return m.run_at_past(timeText(raw, format));
    case "run_at_too_far":
      return m.run_at_too_far(timeText(raw, format));
    case "run_at_no_time_zone":
      return m.run_at_no_time_zone(value);
    case "reason_required":
      return m.reason_required;
    case "reason_too_long":
      return m.reason_too_long(value, MAX_REASON_LENGTH);
    case "unterminated_quote":
      return m.unterminated_quote(value);
  }
}

/** A time from a problem (ISO text): a date token in messages, UTC in a modal's plain text. */
function timeText(iso: string, format: "mrkdwn" | "plain"): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return format === "mrkdwn" ? userText(iso, 40) : plain(iso, 40);
  return format === "mrkdwn" ? slackTime(new Date(ms)) : formatTime(new Date(ms));
}

/**
 * Why the instance does not take an option, in words (the form's hints use it too). The facts
 * come from RDS; they are cleaned like anything else shown.
 */
export function omissionText(
  omission: Omission,
  engine: string,
  locale: Locale,
  format: "mrkdwn" | "plain" = "mrkdwn",
): string {
  const o = messages(locale).problems.omissions;
  const shown = (raw: string | undefined) =>
    format === "mrkdwn" ? userText(raw || "-", 40) : plain(raw || "-", 40);
  switch (omission.reason) {
    case "cloud_disk_snapshot_only":
      return o.cloud_disk_snapshot_only(shown(omission.storageType));
    case "snapshot_needs_cloud_disk":
      return o.snapshot_needs_cloud_disk(shown(omission.storageType));
    case "mariadb_snapshot_as_physical":
      return o.mariadb_snapshot_as_physical;
    case "db_level_needs_edition":
      return o.db_level_needs_edition(
        `${shown(engine)} ${shown(omission.engineVersion)} · ${shown(omission.category)} · ${shown(omission.storageType)}`,
      );
  }
}

/** A DBInstanceType in words: "a read-only instance". */
function roleName(type: string, locale: Locale, format: "mrkdwn" | "plain"): string {
  const roles = messages(locale).problems.roles;
  switch (type) {
    case "Readonly":
    case "Guard":
    case "Temp":
      return roles[type];
    default:
      return roles.other(format === "mrkdwn" ? userText(type, 40) : plain(type, 40));
  }
}

/** The ephemeral answer to an invalid `/rds-backup <id> key=value …`: every problem, one per line. */
export function problemList(problems: readonly Problem[], locale: Locale): string {
  const header = messages(locale).command.problemsHeader(problems.length);
  return [header, ...problems.map((problem) => `• ${problemText(problem, locale)}`)].join("\n");
}

export function refusalText(refusal: RequestRefusal, locale: Locale): string {
  const m = messages(locale).command;
  switch (refusal) {
    case "no_rule":
      return m.noRule;
    case "not_requester":
      return m.notAllowedToRequest;
    case "channel_not_allowed":
      return m.channelNotAllowed;
  }
}
