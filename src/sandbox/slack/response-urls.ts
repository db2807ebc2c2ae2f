/**
 * Response URLs: where a command or a click lets the app answer without a token. Slack: usable for
 * 30 minutes, up to 5 posts; `replace_original`, `delete_original`, `response_type: in_channel`.
 */
import { randomBytes } from "node:crypto";
import { cloneJson } from "../slack-blocks.js";
import { isRefusal, messageContent, refusalExtra } from "./messages.js";
import type { ResponseUrlContext, ResponseUrlPost } from "./types.js";
import { bool, str } from "./wire.js";
import type { Workspace } from "./workspace.js";

interface ResponseUrlState extends ResponseUrlContext {
  id: string;
  issuedAt: number;
  uses: number;
  posts: ResponseUrlPost[];
}

export interface ResponseUrlAnswer {
  status: number;
  /** Recorded as the call's response; Slack itself answers plain text (`ok` or the error code). */
  reply: Record<string, unknown>;
}

export class ResponseUrls {
  private readonly urls = new Map<string, ResponseUrlState>();

  constructor(
    private readonly workspace: Workspace,
    private readonly limits: { ttlMs: number; maxUses: number },
  ) {}

  /** A fresh response URL id pointing back at `context`. */
  issue(context: ResponseUrlContext): string {
    const ws = this.workspace;
    const id = `${ws.teamId}/${ws.nextSerial()}/${randomBytes(12).toString("hex")}`;
    this.urls.set(id, { ...context, id, issuedAt: ws.now(), uses: 0, posts: [] });
    return id;
  }

  /** Posts to one response URL, in order. */
  posts(id: string): ResponseUrlPost[] {
    return cloneJson(this.urls.get(id)?.posts ?? []);
  }

  /** What a post of `body` to the URL `id` does, and what Slack answers. */
  post(id: string, body: Record<string, unknown>): ResponseUrlAnswer {
    const state = this.urls.get(id);
    const answer = (status: number, reply: Record<string, unknown>): ResponseUrlAnswer => {
      state?.posts.push({ id, body: cloneJson(body), at: this.workspace.now(), status });
      return { status, reply };
    };
    if (!state) return answer(404, { ok: false, error: "invalid_url" });
    if (this.workspace.now() - state.issuedAt > this.limits.ttlMs) {
      return answer(404, { ok: false, error: "expired_url" });
    }
    if (state.uses >= this.limits.maxUses) return answer(404, { ok: false, error: "used_url" });
    state.uses++;
    const problem = this.apply(state, body);
    if (problem) return answer(400, { ok: false, error: problem.error, ...problem.extra });
    return answer(200, { ok: true });
  }

  private apply(
    state: ResponseUrlState,
    body: Record<string, unknown>,
  ): { error: string; extra?: Record<string, unknown> } | undefined {
    const ws = this.workspace;
    if (bool(body, "delete_original")) {
      if (state.messageTs === undefined || state.ephemeral) return undefined;
      const ch = ws.lookupChannel(state.channel);
      const found = ch ? ws.findMessage(ch, state.messageTs) : undefined;
      if (!ch || !found) return { error: "message_not_found" };
      ws.removeMessage(ch, found);
      return undefined;
    }
    const content = messageContent(body, "/");
    if (isRefusal(content)) return { error: content.error, extra: refusalExtra(content) };
    const threadTs = str(body, "thread_ts");
    if (bool(body, "replace_original") && state.messageTs !== undefined && !state.ephemeral) {
      const ch = ws.lookupChannel(state.channel);
      const found = ch ? ws.findMessage(ch, state.messageTs) : undefined;
      if (!found) return { error: "message_not_found" };
      ws.applyEdit(found, content.text, content.blocks, true);
      return undefined;
    }
    if (body.response_type === "in_channel" && !bool(body, "replace_original")) {
      const ch = ws.resolveChannel(state.channel);
      if (typeof ch === "string") return { error: ch };
      const parent = threadTs !== undefined ? ws.findMessage(ch, threadTs) : undefined;
      ws.storeMessage(ch, content, parent, ws.botUserId, true);
      return undefined;
    }
    ws.addEphemeral({
      via: "response_url",
      user: state.user,
      channel: state.channel,
      ...content,
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      ...(bool(body, "replace_original") ? { replacedOriginal: true } : {}),
      responseUrlId: state.id,
    });
    return undefined;
  }
}
