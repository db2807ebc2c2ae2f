/**
 * Why the requester wants the backup: free text, optional unless the instance's policy rule says
 * `require_reason: true`. It comes from the form's `reason` field or `reason="…"` inline, is kept
 * with the request, and is shown wherever the request is (escaped there, like all user text).
 */
import type { Problem } from "./params.js";

/** The form's block id and the inline key: one name for both, like `run_at`. */
export const REASON_FIELD = "reason";
/** The form field's `max_length`, and the same limit inline. */
export const MAX_REASON_LENGTH = 500;

/**
 * Checks a reason as typed: surrounding blanks go, an empty one is no reason. The length counts
 * characters (code points), which is never stricter than the form's own limit (Slack counts a
 * JavaScript string's length), so whatever the form let through is accepted here too.
 */
export function checkReason(
  raw: string | undefined,
  required: boolean,
): { ok: true; value: string | undefined } | { ok: false; problems: Problem[] } {
  const value = raw?.trim() ?? "";
  if (value === "") {
    return required
      ? { ok: false, problems: [{ field: REASON_FIELD, code: "reason_required" }] }
      : { ok: true, value: undefined };
  }
  const length = [...value].length;
  if (length > MAX_REASON_LENGTH) {
    return {
      ok: false,
      problems: [{ field: REASON_FIELD, code: "reason_too_long", value: String(length) }],
    };
  }
  return { ok: true, value };
}
