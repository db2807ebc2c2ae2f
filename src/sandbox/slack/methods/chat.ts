/** `chat.*`: posting, updating, deleting messages, ephemerals and permalinks. */
import { contentError, isRefusal, messageContent, type StoredMessage } from "../messages.js";
import { type ApiAnswer, type Args, fail, type MethodTable, str } from "../wire.js";
import type { Workspace } from "../workspace.js";

export function chatMethods(ws: Workspace): MethodTable {
  return {
    "chat.postMessage": (a) => postMessage(ws, a),
    "chat.update": (a) => update(ws, a),
    "chat.delete": (a) => deleteMessage(ws, a),
    "chat.postEphemeral": (a) => postEphemeral(ws, a),
    "chat.getPermalink": (a) => getPermalink(ws, a),
  };
}

function postMessage(ws: Workspace, args: Args): ApiAnswer {
  const ch = ws.resolveChannel(str(args, "channel"));
  if (typeof ch === "string") return fail(ch);
  if (!ch.botIsMember) return fail("not_in_channel");
  const content = messageContent(args, "/");
  if (isRefusal(content)) return contentError(content);
  const threadTs = str(args, "thread_ts");
  let parent: StoredMessage | undefined;
  if (threadTs !== undefined && threadTs !== "") {
    const target = ws.findMessage(ch, threadTs);
    // Strict on purpose (Slack quietly accepts it): a reply to nothing is a bug worth catching.
    if (!target) return fail("thread_not_found");
    parent = ws.threadParent(ch, target);
  }
  const message = ws.storeMessage(ch, content, parent, ws.botUserId, true);
  return { ok: true, channel: ch.id, ts: message.ts, message: ws.wireMessage(message) };
}

function update(ws: Workspace, args: Args): ApiAnswer {
  const channel = str(args, "channel");
  if (channel !== undefined && /^[UW]/.test(channel)) return fail("channel_not_found");
  const ch = channel !== undefined ? ws.lookupChannel(channel) : undefined;
  if (!ch) return fail("channel_not_found");
  const ts = str(args, "ts");
  const message = ts !== undefined ? ws.findMessage(ch, ts) : undefined;
  if (!message) return fail("message_not_found");
  if (!message.fromBot) return fail("cant_update_message");
  const content = messageContent(args, "/");
  if (isRefusal(content)) return contentError(content);
  const blocksGiven = args.blocks !== undefined;
  ws.applyEdit(message, str(args, "text"), blocksGiven ? content.blocks : undefined, blocksGiven);
  if (content.attachments) message.attachments = content.attachments;
  if (content.metadata !== undefined) message.metadata = content.metadata;
  const wire = ws.wireMessage(message);
  return { ok: true, channel: ch.id, ts: message.ts, text: message.text, message: wire };
}

function deleteMessage(ws: Workspace, args: Args): ApiAnswer {
  const ch = ws.lookupChannel(str(args, "channel") ?? "");
  if (!ch) return fail("channel_not_found");
  const ts = str(args, "ts") ?? "";
  const message = ws.findMessage(ch, ts);
  if (!message) return fail("message_not_found");
  if (!message.fromBot) return fail("cant_delete_message");
  ws.removeMessage(ch, message);
  return { ok: true, channel: ch.id, ts };
}

function postEphemeral(ws: Workspace, args: Args): ApiAnswer {
  const user = str(args, "user");
  const ch = ws.resolveChannel(str(args, "channel"));
  if (typeof ch === "string") return fail(ch);
  if (user === undefined || !ws.knowsUser(user)) return fail("user_not_found");
  if (ch.members && !ch.members.has(user)) return fail("user_not_in_channel");
  if (!ch.botIsMember) return fail("channel_not_found");
  const content = messageContent(args, "/");
  if (isRefusal(content)) return contentError(content);
  const threadTs = str(args, "thread_ts");
  const entry = ws.addEphemeral({
    via: "chat.postEphemeral",
    user,
    channel: ch.id,
    text: content.text,
    blocks: content.blocks,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { ok: true, message_ts: entry.ts };
}

function getPermalink(ws: Workspace, args: Args): ApiAnswer {
  const ch = ws.lookupChannel(str(args, "channel") ?? "");
  if (!ch) return fail("channel_not_found");
  const message = ws.findMessage(ch, str(args, "message_ts") ?? "");
  if (!message) return fail("message_not_found");
  const base = `https://${ws.teamDomain}.slack.com/archives/${ch.id}/p${message.ts.replace(".", "")}`;
  const permalink =
    message.threadTs !== undefined && message.threadTs !== message.ts
      ? `${base}?thread_ts=${message.threadTs}&cid=${ch.id}`
      : base;
  return { ok: true, channel: ch.id, permalink };
}
