/** The small modal an approver fills in to reject a request, with an optional reason. */
import type { ModalView } from "@slack/types";
import type { BackupRequest, Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import { INPUT_ACTION_ID, REASON_BLOCK_ID, REJECT_MODAL_CALLBACK_ID } from "../ids.js";
import { plain, userText } from "../text.js";

export interface RejectMetadata {
  requestId: string;
  locale: Locale;
}

export function rejectModal(request: Pick<BackupRequest, "id" | "params">, locale: Locale): ModalView {
  const m = messages(locale).rejectModal;
  const metadata: RejectMetadata = { requestId: request.id, locale };
  return {
    type: "modal",
    callback_id: REJECT_MODAL_CALLBACK_ID,
    title: { type: "plain_text", text: plain(m.title, 24) },
    submit: { type: "plain_text", text: plain(m.submit, 24) },
    close: { type: "plain_text", text: plain(m.close, 24) },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: m.intro(request.id, userText(request.params.DBInstanceId, 80)) },
      },
      {
        type: "input",
        block_id: REASON_BLOCK_ID,
        optional: true,
        label: { type: "plain_text", text: m.reasonLabel },
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION_ID,
          multiline: true,
          max_length: 500,
          placeholder: { type: "plain_text", text: plain(m.reasonPlaceholder, 150) },
        },
      },
    ],
  };
}

export function decodeRejectMetadata(raw: string | undefined): RejectMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? "") as Partial<RejectMetadata>;
    if (typeof parsed.requestId !== "string") return undefined;
    return { requestId: parsed.requestId, locale: parsed.locale === "ja" ? "ja" : "en" };
  } catch {
    return undefined;
  }
}
