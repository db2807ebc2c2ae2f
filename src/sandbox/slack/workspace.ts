/**
 * The workspace model: the team and its bot, people and their locales, user groups, channels and
 * DMs with their messages, ephemerals. The Web API methods, response URLs and the simulator all
 * read and change this one model.
 */
import { cloneJson, type SlackBlock } from "../slack-blocks.js";
import { findMessage, type MessageContent, type StoredMessage } from "./messages.js";
import type { SlackEmulatorOptions, SlackEphemeral, SlackMessage, SlackUserProfile } from "./types.js";
import { randomId } from "./wire.js";

export interface ChannelState {
  id: string;
  name: string;
  kind: "channel" | "private" | "im" | "mpim";
  /** For IMs: the other person. */
  user: string | undefined;
  /** Undefined: everyone is a member. */
  members: Set<string> | undefined;
  botIsMember: boolean;
  created: number;
  messages: StoredMessage[];
}

export class Workspace {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  readonly appId: string;
  readonly now: () => number;

  readonly users = new Map<string, SlackUserProfile>();
  readonly usergroups = new Map<string, readonly string[]>();
  readonly channels = new Map<string, ChannelState>();
  /** Channels were configured: any other channel id is `channel_not_found`. */
  readonly strictChannels: boolean;
  readonly dmByUser = new Map<string, string>();
  readonly ephemerals: SlackEphemeral[] = [];

  private readonly defaultLocale: string | null | undefined;
  private lastMicros = 0;
  private serial = 0;

  constructor(options: SlackEmulatorOptions) {
    this.now = options.now ?? Date.now;
    this.teamId = options.teamId ?? "T00000001";
    this.teamDomain = options.teamDomain ?? "emulator";
    this.teamName = options.teamName ?? "Emulated Workspace";
    this.botUserId = options.botUserId ?? "U0000BOT1";
    this.botId = options.botId ?? "B00000001";
    this.botName = options.botName ?? "rds-backup-bot";
    this.appId = options.appId ?? "A00000001";
    this.defaultLocale = options.defaultLocale;

    this.users.set(this.botUserId, { name: this.botName, realName: this.botName, isBot: true });
    for (const [id, profile] of Object.entries(options.users ?? {})) this.users.set(id, { ...profile });
    for (const [id, locale] of Object.entries(options.locales ?? {})) {
      this.users.set(id, { ...this.users.get(id), locale: this.users.get(id)?.locale ?? locale });
    }
    for (const [id, members] of Object.entries(options.usergroups ?? {})) {
      this.usergroups.set(id, [...members]);
      for (const m of members) if (!this.users.has(m)) this.users.set(m, {});
    }
    this.strictChannels = options.channels !== undefined;
    for (const [id, ch] of Object.entries(options.channels ?? {})) {
      this.channels.set(id, {
        id,
        name: ch.name ?? id.toLowerCase(),
        kind: ch.private ? "private" : "channel",
        user: undefined,
        members: ch.members ? new Set(ch.members) : undefined,
        botIsMember: ch.botIsMember ?? true,
        created: this.nowSeconds(),
        messages: [],
      });
    }
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** A message timestamp: the clock in microseconds, strictly increasing. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  /** A counter for ids that must differ (trigger ids, response URLs). */
  nextSerial(): number {
    return ++this.serial;
  }

  // People -------------------------------------------------------------------------------------------

  knowsUser(id: string): boolean {
    return this.users.has(id);
  }

  registerUser(id: string, profile: SlackUserProfile = {}): void {
    this.users.set(id, { ...profile, ...this.users.get(id) });
  }

  /** The locale `users.info` reports: the person's, else the workspace default (`null`: none). */
  userLocale(profile: SlackUserProfile): string | undefined {
    if (profile.locale !== undefined) return profile.locale;
    const fallback = this.defaultLocale;
    return fallback === null ? undefined : (fallback ?? "en-US");
  }

  // Channels -----------------------------------------------------------------------------------------

  openDm(user: string): ChannelState {
    const existing = this.dmByUser.get(user);
    const found = existing ? this.channels.get(existing) : undefined;
    if (found) return found;
    const id = randomId("D", 10);
    const ch: ChannelState = {
      id,
      name: id,
      kind: "im",
      user,
      members: new Set([user, this.botUserId]),
      botIsMember: true,
      created: this.nowSeconds(),
      messages: [],
    };
    this.channels.set(id, ch);
    this.dmByUser.set(user, id);
    return ch;
  }

  /** A channel by id, name (`#name` or `name`), or a user id (their DM), without creating anything. */
  lookupChannel(channel: string): ChannelState | undefined {
    const direct = this.channels.get(channel);
    if (direct) return direct;
    const dm = this.dmByUser.get(channel);
    if (dm) return this.channels.get(dm);
    const name = channel.replace(/^#/, "");
    return [...this.channels.values()].find((c) => c.kind !== "im" && c.name === name);
  }

  /**
   * What `chat.postMessage` does with its `channel`: a channel, or an error code. Creates channels
   * on first use when none were configured, and opens DMs for user ids.
   */
  resolveChannel(channel: string | undefined): ChannelState | string {
    if (channel === undefined || channel === "") return "channel_not_found";
    const known = this.lookupChannel(channel);
    if (known) return known;
    if (/^[UW]/.test(channel)) return this.knowsUser(channel) ? this.openDm(channel) : "channel_not_found";
    if (/^[CG][A-Z0-9_]+$/.test(channel) && !this.strictChannels) {
      const ch: ChannelState = {
        id: channel,
        name: channel.toLowerCase(),
        kind: channel.startsWith("G") ? "private" : "channel",
        user: undefined,
        members: undefined,
        botIsMember: true,
        created: this.nowSeconds(),
        messages: [],
      };
      this.channels.set(channel, ch);
      return ch;
    }
    return "channel_not_found";
  }

  /** The channel's name (`directmessage` for DMs), or undefined when unknown. */
  channelName(id: string): string | undefined {
    const ch = this.lookupChannel(id);
    if (!ch) return undefined;
    return ch.kind === "im" ? "directmessage" : ch.name;
  }

  /** The channel object `conversations.info` / `conversations.open` answer with. */
  channelInfo(ch: ChannelState): Record<string, unknown> {
    if (ch.kind === "im") {
      return {
        id: ch.id,
        created: ch.created,
        is_im: true,
        is_org_shared: false,
        user: ch.user,
        is_user_deleted: false,
        priority: 0,
      };
    }
    return {
      id: ch.id,
      name: ch.name,
      is_channel: ch.kind === "channel",
      is_group: ch.kind === "private",
      is_im: false,
      is_mpim: ch.kind === "mpim",
      is_private: ch.kind !== "channel",
      created: ch.created,
      is_archived: false,
      is_general: false,
      is_shared: false,
      is_org_shared: false,
      is_member: ch.botIsMember,
      ...(ch.members ? { num_members: ch.members.size } : {}),
    };
  }

  // Messages -----------------------------------------------------------------------------------------

  findMessage(ch: ChannelState, ts: string): StoredMessage | undefined {
    return findMessage(ch.messages, ts);
  }

  /** The thread parent of a message (itself when it is not a reply). */
  threadParent(ch: ChannelState, message: StoredMessage): StoredMessage | undefined {
    return message.threadTs !== undefined ? this.findMessage(ch, message.threadTs) : message;
  }

  storeMessage(
    ch: ChannelState,
    content: MessageContent,
    parent: StoredMessage | undefined,
    user: string,
    fromBot: boolean,
  ): StoredMessage {
    const message: StoredMessage = {
      channel: ch.id,
      ts: this.nextTs(),
      threadTs: parent?.ts,
      user,
      fromBot,
      text: content.text,
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: content.metadata,
      edited: undefined,
      replies: [],
      updateCount: 0,
      history: [],
    };
    if (parent) {
      parent.replies.push(message);
      parent.threadTs = parent.ts;
    } else {
      ch.messages.push(message);
    }
    return message;
  }

  removeMessage(ch: ChannelState, message: StoredMessage): void {
    if (message.threadTs !== undefined && message.threadTs !== message.ts) {
      const parent = this.findMessage(ch, message.threadTs);
      if (parent) parent.replies = parent.replies.filter((r) => r !== message);
    } else {
      ch.messages = ch.messages.filter((m) => m !== message);
    }
  }

  /** Changes a message (`chat.update`, `replace_original`), keeping its earlier version in `history`. */
  applyEdit(
    message: StoredMessage,
    text: string | undefined,
    blocks: SlackBlock[] | undefined,
    byBlocks: boolean,
  ): void {
    message.history.push({ text: message.text, blocks: cloneJson(message.blocks), at: this.now() });
    if (blocks !== undefined) message.blocks = blocks;
    else if (text !== undefined) message.blocks = []; // Slack: text without blocks removes the blocks
    if (text !== undefined) message.text = text;
    if (!byBlocks) message.edited = { user: this.botUserId, ts: this.nextTs() };
    message.updateCount++;
  }

  addEphemeral(e: Omit<SlackEphemeral, "ts" | "at"> & { ts?: string }): SlackEphemeral {
    const entry: SlackEphemeral = { ...e, ts: e.ts ?? this.nextTs(), at: this.now() };
    this.ephemerals.push(entry);
    return entry;
  }

  /** A message as tests see it (emulator extras included). */
  snapshot(m: StoredMessage): SlackMessage {
    const out: SlackMessage = {
      type: "message",
      channel: m.channel,
      ts: m.ts,
      user: m.user,
      team: this.teamId,
      text: m.text,
      blocks: cloneJson(m.blocks),
      updateCount: m.updateCount,
      history: cloneJson(m.history),
    };
    if (m.fromBot) {
      out.bot_id = this.botId;
      out.app_id = this.appId;
    }
    if (m.threadTs !== undefined) out.thread_ts = m.threadTs;
    if (m.attachments) out.attachments = cloneJson(m.attachments);
    if (m.metadata !== undefined) out.metadata = cloneJson(m.metadata);
    if (m.edited) out.edited = { ...m.edited };
    if (m.replies.length > 0) {
      out.reply_count = m.replies.length;
      out.reply_users = [...new Set(m.replies.map((r) => r.user))];
      const latest = m.replies.at(-1);
      if (latest) out.latest_reply = latest.ts;
    }
    return out;
  }

  /** The message object Slack puts in API answers (no emulator extras). */
  wireMessage(m: StoredMessage): Record<string, unknown> {
    const { updateCount: _u, history: _h, channel: _c, ...rest } = this.snapshot(m);
    return {
      ...rest,
      bot_profile: m.fromBot
        ? { id: this.botId, app_id: this.appId, name: this.botName, team_id: this.teamId }
        : undefined,
    };
  }
}
