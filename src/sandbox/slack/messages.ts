/** Messages in the workspace model, and what Slack checks in a message's content. */
import { cloneJson, LIMITS, type SlackBlock, validateBlocks, withSlackIds } from "../slack-blocks.js";
import { type ApiAnswer, type Args, fail, str } from "./wire.js";

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  user: string;
  fromBot: boolean;
  text: string;
  blocks: SlackBlock[];
  attachments: unknown[] | undefined;
  metadata: unknown;
  edited: { user: string; ts: string } | undefined;
  replies: StoredMessage[];
  updateCount: number;
  history: Array<{ text: string; blocks: SlackBlock[]; at: number }>;
}

/** A post's checked content. */
export interface MessageContent {
  text: string;
  blocks: SlackBlock[];
  attachments?: unknown[];
  metadata?: unknown;
}

/** Why Slack refused a post's content: an error code, with the problems it lists in `response_metadata`. */
export interface ContentRefusal {
  error: string;
  problems?: string[];
}

/** Text, blocks, attachments of a post, checked like Slack checks them. */
export function messageContent(args: Args, pointerBase: string): MessageContent | ContentRefusal {
  const text = str(args, "text");
  const blocksArg = args.blocks;
  let blocks: SlackBlock[] = [];
  if (blocksArg !== undefined) {
    if (typeof blocksArg === "string" || !Array.isArray(blocksArg)) return { error: "invalid_blocks_format" };
    const problems = validateBlocks(blocksArg, `${pointerBase}blocks`, "message");
    if (problems.length > 0) return { error: "invalid_blocks", problems };
    blocks = withSlackIds(blocksArg);
  }
  const attachments = Array.isArray(args.attachments) ? cloneJson(args.attachments) : undefined;
  if ((text === undefined || text === "") && blocks.length === 0 && !attachments?.length) {
    return { error: "no_text" };
  }
  if (text !== undefined && text.length > LIMITS.messageText) return { error: "msg_too_long" };
  return {
    text: text ?? "",
    blocks,
    ...(attachments ? { attachments } : {}),
    ...(args.metadata !== undefined ? { metadata: cloneJson(args.metadata) } : {}),
  };
}

export function isRefusal(content: MessageContent | ContentRefusal): content is ContentRefusal {
  return "error" in content;
}

/** The `response_metadata.messages` Slack adds to a refusal that has problems listed. */
export function refusalExtra(refusal: ContentRefusal): Record<string, unknown> {
  return refusal.problems ? { response_metadata: { messages: refusal.problems } } : {};
}

/** The Web API answer for refused content. */
export function contentError(refusal: ContentRefusal): ApiAnswer {
  return fail(refusal.error, refusalExtra(refusal));
}

/** A top-level message or a thread reply, by `ts`. */
export function findMessage(messages: readonly StoredMessage[], ts: string): StoredMessage | undefined {
  for (const m of messages) {
    if (m.ts === ts) return m;
    const reply = m.replies.find((r) => r.ts === ts);
    if (reply) return reply;
  }
  return undefined;
}
