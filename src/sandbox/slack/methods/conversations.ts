/** `conversations.*`: opening DMs, a channel's facts, history and thread replies. */
import { type ApiAnswer, type Args, bool, fail, type MethodTable, randomId, str } from "../wire.js";
import type { ChannelState, Workspace } from "../workspace.js";

export function conversationsMethods(ws: Workspace): MethodTable {
  return {
    "conversations.open": (a) => open(ws, a),
    "conversations.info": (a) => info(ws, a),
    "conversations.history": (a) => history(ws, a),
    "conversations.replies": (a) => replies(ws, a),
  };
}

function open(ws: Workspace, args: Args): ApiAnswer {
  const channel = str(args, "channel");
  if (channel) {
    const ch = ws.lookupChannel(channel);
    if (!ch) return fail("channel_not_found");
    return { ok: true, channel: bool(args, "return_im") ? ws.channelInfo(ch) : { id: ch.id } };
  }
  const users = (str(args, "users") ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u !== "");
  if (users.length === 0) return fail("users_list_not_supplied");
  if (users.length > 8) return fail("too_many_users");
  const unknown = users.find((u) => !ws.knowsUser(u));
  if (unknown) return fail("user_not_found");
  const [only] = users;
  if (users.length === 1 && only !== undefined) {
    const existed = ws.dmByUser.has(only);
    const ch = ws.openDm(only);
    return {
      ok: true,
      ...(existed ? { no_op: true, already_open: true } : {}),
      channel: bool(args, "return_im") ? ws.channelInfo(ch) : { id: ch.id },
    };
  }
  const key = [...users].sort().join(",");
  const existing = [...ws.channels.values()].find((c) => c.kind === "mpim" && c.name === `mpdm-${key}`);
  const ch: ChannelState = existing ?? {
    id: randomId("G", 10),
    name: `mpdm-${key}`,
    kind: "mpim",
    user: undefined,
    members: new Set([...users, ws.botUserId]),
    botIsMember: true,
    created: ws.nowSeconds(),
    messages: [],
  };
  ws.channels.set(ch.id, ch);
  return { ok: true, channel: bool(args, "return_im") ? ws.channelInfo(ch) : { id: ch.id } };
}

function info(ws: Workspace, args: Args): ApiAnswer {
  const channel = str(args, "channel") ?? "";
  const ch = /^[UW]/.test(channel) ? undefined : ws.lookupChannel(channel);
  if (ch) return { ok: true, channel: ws.channelInfo(ch) };
  const resolved = ws.strictChannels ? "channel_not_found" : ws.resolveChannel(channel);
  if (typeof resolved === "string") return fail(resolved);
  return { ok: true, channel: ws.channelInfo(resolved) };
}

function history(ws: Workspace, args: Args): ApiAnswer {
  const ch = ws.lookupChannel(str(args, "channel") ?? "");
  if (!ch) return fail("channel_not_found");
  const limit = Number(str(args, "limit") ?? 100) || 100;
  const all = ch.messages.map((m) => ws.wireMessage(m)).reverse();
  return {
    ok: true,
    messages: all.slice(0, limit),
    has_more: all.length > limit,
    pin_count: 0,
    response_metadata: { next_cursor: "" },
  };
}

function replies(ws: Workspace, args: Args): ApiAnswer {
  const ch = ws.lookupChannel(str(args, "channel") ?? "");
  if (!ch) return fail("channel_not_found");
  const found = ws.findMessage(ch, str(args, "ts") ?? "");
  if (!found) return fail("thread_not_found");
  const parent = found.threadTs !== undefined ? (ws.findMessage(ch, found.threadTs) ?? found) : found;
  return {
    ok: true,
    messages: [parent, ...parent.replies].map((m) => ws.wireMessage(m)),
    has_more: false,
    response_metadata: { next_cursor: "" },
  };
}
