/**
 * The request form after a submission that took longer than its ack could wait: the ack shows the
 * form with "checking…" (`response_action: "update"`), and `views.update` then shows the outcome,
 * the filed request or the form again with what to fix. Field errors ride only in an ack, so here
 * the problems are a note above the fields instead.
 */
import type { Block, KnownBlock, ModalView, PlainTextElement, SectionBlock } from "@slack/types";
import type { BackupRequest, Locale } from "../../domain/request.js";
import { messages } from "../../i18n/index.js";
import { REQUEST_MODAL_CALLBACK_ID } from "../ids.js";
import { channelLink, plain, truncate } from "../text.js";

/** The note's block; replaced, not stacked, when the form is shown again. */
export const NOTE_BLOCK_ID = "submission_note";

/** The parts of a submitted view (as Slack sends it back) that make it again. */
export interface SubmittedForm {
  callback_id: string;
  title: PlainTextElement;
  submit?: PlainTextElement | null | undefined;
  close?: PlainTextElement | null | undefined;
  private_metadata?: string | undefined;
  blocks: (KnownBlock | Block)[];
}

/**
 * The submitted form as it was, with `note` (mrkdwn) under its introduction. Values the person
 * entered stay, as block and action ids do not change.
 */
export function formWithNote(form: SubmittedForm, note: string): ModalView {
  const noteBlock: SectionBlock = {
    type: "section",
    block_id: NOTE_BLOCK_ID,
    text: { type: "mrkdwn", text: truncate(note, 3000) },
  };
  const blocks = form.blocks.filter((block) => block.block_id !== NOTE_BLOCK_ID);
  blocks.splice(Math.min(1, blocks.length), 0, noteBlock);
  return {
    type: "modal",
    callback_id: form.callback_id,
    title: form.title,
    ...(form.submit ? { submit: form.submit } : {}),
    ...(form.close ? { close: form.close } : {}),
    ...(form.private_metadata ? { private_metadata: form.private_metadata } : {}),
    blocks,
  };
}

/** The form while its submission is being checked. */
export function checkingForm(form: SubmittedForm, locale: Locale): ModalView {
  return formWithNote(form, `:hourglass_flowing_sand: ${messages(locale).modal.checking}`);
}

/** The filed request, in place of the form: nothing left to fill in or submit. */
export function filedModal(request: BackupRequest, approvalChannelId: string, locale: Locale): ModalView {
  const m = messages(locale).modal;
  return {
    type: "modal",
    callback_id: REQUEST_MODAL_CALLBACK_ID,
    title: { type: "plain_text", text: plain(m.title, 24) },
    close: { type: "plain_text", text: plain(m.done, 24) },
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `:white_check_mark: ${m.filed(request.id, channelLink(approvalChannelId))}`,
        },
      },
    ],
  };
}
