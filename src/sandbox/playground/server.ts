/**
 * The playground's server: the real bot on the stage (Slack and RDS emulators), and a page on
 * 127.0.0.1 that shows the emulator's workspace the way Slack would and acts through the user
 * simulator, so every click is the signed request Slack would send.
 *
 * - `GET /`: the page; `GET /assets/*`: its script, styles and the emoji sheet.
 * - `GET /api/state?as=&place=&thread=&tz=`: the parts of the page for one person, rendered.
 * - `GET /api/events`: server-sent events, one `change` each time the workspace changes.
 * - `POST /api/act`: what the person did (a command, a click, a pick, a submission…).
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { isRecord } from "../slack-blocks.js";
import { SlackClientRefusal, type SlackEphemeral, type SlackMessage } from "../slack-emulator.js";
import { type Stage, startStage } from "../stage.js";
import { plainText } from "./block-kit.js";
import { EMOJI_SHEET } from "./emoji.js";
import { escapeHtml } from "./html.js";
import { renderPlain } from "./mrkdwn.js";
import { type Place, renderPage, type WorkspaceSnapshot } from "./page.js";
import { GROUP_HANDLES, PEOPLE, personById } from "./people.js";
import type { RenderContext } from "./render-context.js";

export interface PlaygroundOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Play on this stage instead of starting one (the tests bring their own). */
  stage?: Stage;
}

export interface Playground {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  stage: Stage;
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
const STATIC = new URL("./static/", import.meta.url);

const Entered = z.union([z.string(), z.array(z.string()), z.null()]);
const Values = z.record(z.string(), z.record(z.string(), Entered));
const Person = z.string().refine((id) => personById(id) !== undefined, "not one of the playground's people");
const Act = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("command"), as: Person, channel: z.string(), text: z.string().max(4000) }),
  z.object({
    kind: z.literal("click"),
    as: Person,
    channel: z.string(),
    ts: z.string(),
    ephemeral: z.boolean(),
    actionId: z.string(),
    blockId: z.string().optional(),
  }),
  z.object({
    kind: z.literal("view_action"),
    as: Person,
    viewId: z.string(),
    actionId: z.string(),
    blockId: z.string().optional(),
    value: Entered.optional(),
    values: Values.optional(),
  }),
  z.object({ kind: z.literal("fill"), as: Person, viewId: z.string(), values: Values }),
  z.object({ kind: z.literal("submit"), as: Person, viewId: z.string(), values: Values }),
  z.object({ kind: z.literal("close"), as: Person, viewId: z.string() }),
  z.object({
    kind: z.literal("options"),
    as: Person,
    viewId: z.string(),
    actionId: z.string(),
    blockId: z.string().optional(),
    query: z.string().max(200),
  }),
  z.object({ kind: z.literal("home"), as: Person }),
  z.object({
    kind: z.literal("home_click"),
    as: Person,
    actionId: z.string(),
    blockId: z.string().optional(),
  }),
  z.object({ kind: z.literal("shortcut"), as: Person, callbackId: z.string().max(255) }),
]);
type Act = z.infer<typeof Act>;

const StateQuery = z.object({
  as: Person,
  place: z
    .string()
    .regex(/^(channel:[A-Z0-9]+|dm|home)$/)
    .default("dm"),
  thread: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
  tz: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "not an IANA time zone")
    .default("UTC"),
});

class BadRequest extends Error {}

/** Starts the playground: a stage (unless given) and the page's server. */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  let dataDir: string | undefined;
  let stage = options.stage;
  if (!stage) {
    dataDir = mkdtempSync(join(tmpdir(), "rds-backup-bot-playground-"));
    stage = await startStage({
      databaseUrl: join(dataDir, "playground.sqlite"),
      env: { LOG_LEVEL: "warn" },
      keepLogs: false,
    });
  }
  const app = new PlaygroundApp(stage);
  const server = createServer((req, res) => {
    app.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, message: describe(error) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://${HOST}:${port}/`,
    stage,
    close: async () => {
      app.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.stage) await stage.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit = 256 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BadRequest("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

class PlaygroundApp {
  private readonly assets: Record<string, { type: string; body: Buffer | string }>;
  private readonly clients = new Set<ServerResponse>();
  /** Field errors shown in a view until it changes: from `response_action: "errors"` or Slack's client checks. */
  private readonly viewErrors = new Map<string, { hash: string; errors: Record<string, string> }>();
  private acts = 0;
  private version = 0;
  private fingerprint = "";
  private readonly watcher: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly stage: Stage) {
    const sheet = createRequire(import.meta.url).resolve(EMOJI_SHEET.file);
    this.assets = {
      "/assets/client.js": {
        type: "text/javascript",
        body: readFileSync(new URL("client.js", STATIC), "utf8"),
      },
      "/assets/style.css": { type: "text/css", body: readFileSync(new URL("style.css", STATIC), "utf8") },
      "/assets/emoji-sheet.png": { type: "image/png", body: readFileSync(sheet) },
    };
    // The emulator has no change events; its call log and the playground's own acts tell what changed.
    this.watcher = setInterval(() => this.checkForChanges(), 100);
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) client.write(": keep-alive\n\n");
    }, 15_000);
  }

  stop(): void {
    clearInterval(this.watcher);
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private checkForChanges(): void {
    const { slack } = this.stage;
    const now = `${slack.calls.length}/${slack.interactions.length}/${this.acts}`;
    if (now === this.fingerprint) return;
    this.fingerprint = now;
    this.version++;
    for (const client of this.clients) client.write(`event: change\ndata: ${this.version}\n\n`);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${HOST}`);
    try {
      if (req.method === "GET" && url.pathname === "/") return this.page(res);
      const asset = this.assets[url.pathname];
      if (req.method === "GET" && asset) {
        res.writeHead(200, { "content-type": asset.type, "cache-control": "max-age=300" });
        res.end(asset.body);
        return;
      }
      if (req.method === "GET" && url.pathname === "/api/state") {
        const query = StateQuery.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success) throw new BadRequest(z.prettifyError(query.error));
        return sendJson(res, 200, this.state(query.data));
      }
      if (req.method === "GET" && url.pathname === "/api/events") return this.events(req, res);
      if (req.method === "POST" && url.pathname === "/api/act") {
        let json: unknown;
        try {
          json = JSON.parse(await readBody(req));
        } catch (error) {
          throw error instanceof BadRequest ? error : new BadRequest("the body is not JSON");
        }
        const act = Act.safeParse(json);
        if (!act.success) throw new BadRequest(z.prettifyError(act.error));
        const answer = await this.act(act.data).finally(() => {
          this.acts++;
          this.checkForChanges();
        });
        return sendJson(res, 200, answer);
      }
      sendJson(res, 404, { ok: false, message: `nothing at ${req.method} ${url.pathname}` });
    } catch (error) {
      if (error instanceof BadRequest) return sendJson(res, 400, { ok: false, message: error.message });
      throw error;
    }
  }

  private page(res: ServerResponse): void {
    const { slack } = this.stage;
    const people = PEOPLE.map(
      (p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)} — ${escapeHtml(p.role)}</option>`,
    ).join("");
    // The app's global shortcuts, as Slack's shortcuts menu offers them.
    const shortcuts = (this.stage.slack.shortcuts ?? [])
      .filter((s) => s.type === "global")
      .map(
        (s) =>
          `<button type="button" class="shortcut" data-shortcut="${escapeHtml(s.callback_id)}">⚡ ${escapeHtml(s.name)}</button>`,
      )
      .join(" ");
    const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(slack.teamName)} (playground)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<div class="app">
  <header class="topbar">
    <div class="brand">rds-backup-bot <span>playground</span></div>
    <div class="topbar-note">The real bot on built-in Slack and RDS emulators · times in <span id="tz"></span></div>
    <label class="switcher">Acting as <select id="person">${people}</select></label>
  </header>
  <aside class="sidebar" id="sidebar"></aside>
  <main class="main">
    <section class="channel" id="main"></section>
    <form class="composer" id="composer" autocomplete="off">
      <textarea id="composer-input" rows="1" aria-label="Message"></textarea>
      <div class="composer-hint">Slash commands reach the bot: <code>/rds-backup</code>, <code>/rds-backup help</code>, <code>/rds-backup rm-bp1mysql01 method=Physical</code>. Enter sends. ${shortcuts}</div>
    </form>
  </main>
  <section class="thread" id="thread"></section>
</div>
<div id="modal"></div>
<div id="toasts" role="status" aria-live="polite"></div>
<script type="module" src="/assets/client.js"></script>
</body>
</html>`;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  }

  private events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    res.write(`retry: 1000\nevent: change\ndata: ${this.version}\n\n`);
    this.clients.add(res);
    req.on("close", () => this.clients.delete(res));
  }

  // -------------------------------------------------------------------------------------------------
  // Reading the workspace
  // -------------------------------------------------------------------------------------------------

  private context(timeZone: string): RenderContext {
    const { slack } = this.stage;
    const channels = this.channels();
    return {
      timeZone,
      now: Date.now(),
      userName: (id) => {
        if (id === slack.botUserId) return slack.botName;
        const profile = slack.userProfile(id);
        return personById(id)?.name ?? profile?.realName ?? profile?.name;
      },
      channelName: (id) => slack.channelName(id),
      groupHandle: (id) => GROUP_HANDLES[id],
      directory: { users: PEOPLE.map((p) => ({ id: p.id, name: p.name })), channels },
    };
  }

  private channels(): Array<{ id: string; name: string }> {
    const { slack } = this.stage;
    return slack
      .channelIds()
      .filter((id) => /^[CG]/.test(id))
      .map((id) => ({ id, name: slack.channelName(id) ?? id }));
  }

  /** The Home view the bot last published for `user` (the emulator keeps each person's Home tab). */
  private homeView(user: string): WorkspaceSnapshot["home"] {
    const view = this.stage.slack.homeView(user);
    return view ? { view: view as unknown as Record<string, unknown>, id: view.id } : undefined;
  }

  private state(query: z.infer<typeof StateQuery>) {
    const { slack } = this.stage;
    const viewer = personById(query.as);
    if (!viewer) throw new BadRequest("unknown person");
    const channels = this.channels();
    const place: Place = query.place.startsWith("channel:")
      ? { kind: "channel", id: query.place.slice("channel:".length) }
      : { kind: query.place === "home" ? "home" : "dm" };
    if (place.kind === "channel" && !channels.some((c) => c.id === place.id)) {
      throw new BadRequest(`no channel ${place.id} in the workspace`);
    }
    const dms = slack.dms(viewer.id);
    const channelId = place.kind === "channel" ? place.id : dms[0]?.channel;
    const messages = place.kind === "channel" ? slack.messages(place.id) : place.kind === "dm" ? dms : [];
    const ephemerals =
      channelId === undefined || place.kind === "home" ? [] : slack.ephemerals(viewer.id, channelId);
    let thread: WorkspaceSnapshot["thread"];
    if (query.thread && channelId) {
      const parent = slack.message(channelId, query.thread);
      if (parent) thread = { parent, replies: slack.thread(channelId, parent.ts) };
    }
    const view = slack.currentView(viewer.id);
    const stored = view ? this.viewErrors.get(view.id) : undefined;
    const snapshot: WorkspaceSnapshot = {
      teamName: slack.teamName,
      bot: { userId: slack.botUserId, name: slack.botName },
      viewer,
      people: PEOPLE,
      channels,
      place,
      messages,
      ephemerals,
      thread,
      modal: view
        ? { view, errors: stored && stored.hash === view.hash ? stored.errors : undefined }
        : undefined,
      home: this.homeView(viewer.id),
    };
    return { version: this.version, ...renderPage(snapshot, this.context(query.tz)) };
  }

  // -------------------------------------------------------------------------------------------------
  // Acting as a person, through the user simulator
  // -------------------------------------------------------------------------------------------------

  private async act(act: Act): Promise<Record<string, unknown>> {
    const { slack, user } = this.stage;
    try {
      switch (act.kind) {
        case "command": {
          const match = /^(\/[\w-]+)\s*([\s\S]*)$/.exec(act.text.trim());
          if (!match) throw new BadRequest("Only slash commands reach the bot here: start with /rds-backup");
          const result = await user.slashCommand({
            userId: act.as,
            channelId: act.channel,
            command: match[1] ?? "",
            text: match[2] ?? "",
          });
          return { ok: true, notices: result.slackErrors };
        }
        case "click": {
          const message = act.ephemeral
            ? slack
                .ephemerals(act.as)
                .find((e: SlackEphemeral) => e.ts === act.ts && e.channel === act.channel)
            : slack.message(act.channel, act.ts);
          if (!message) throw new BadRequest("that message is not there any more");
          const result = await user.clickButton({
            userId: act.as,
            message: message as SlackMessage | SlackEphemeral,
            actionId: act.actionId,
            ...(act.blockId ? { blockId: act.blockId } : {}),
          });
          return { ok: true, notices: result.slackErrors };
        }
        case "fill":
          user.fillView({ userId: act.as, view: act.viewId, values: act.values });
          return { ok: true };
        case "view_action": {
          if (act.values) user.fillView({ userId: act.as, view: act.viewId, values: act.values });
          const result = await user.actInView({
            userId: act.as,
            view: act.viewId,
            actionId: act.actionId,
            ...(act.blockId ? { blockId: act.blockId } : {}),
            ...(act.value !== undefined ? { value: act.value } : {}),
          });
          return { ok: true, notices: result.slackErrors };
        }
        case "submit": {
          const view = slack.view(act.viewId);
          const result = await user.submitView({ userId: act.as, view: act.viewId, values: act.values });
          if (result.errors && view) this.viewErrors.set(view.id, { hash: view.hash, errors: result.errors });
          else this.viewErrors.delete(act.viewId);
          return { ok: true, errors: result.errors, notices: result.slackErrors };
        }
        case "close":
          await user.closeView({ userId: act.as, view: act.viewId });
          this.viewErrors.delete(act.viewId);
          return { ok: true };
        case "options": {
          const result = await user.requestOptions({
            userId: act.as,
            view: act.viewId,
            actionId: act.actionId,
            ...(act.blockId ? { blockId: act.blockId } : {}),
            query: act.query,
          });
          return {
            ok: true,
            notices: result.slackErrors,
            options: result.options.map((o) => ({
              value: o.value,
              label: plainText(o.text),
              html: renderPlain(o.text.text),
              description: isRecord(o.description) ? plainText(o.description) : undefined,
            })),
          };
        }
        case "home": {
          // Slack sends app_home_opened (signed, or over the socket), and retries it if not taken.
          const delivery = await user.openHomeTab({ userId: act.as });
          return { ok: true, notices: delivery.attempts.flatMap((a) => a?.slackErrors ?? []) };
        }
        case "home_click": {
          const result = await user.clickInHome({
            userId: act.as,
            actionId: act.actionId,
            ...(act.blockId ? { blockId: act.blockId } : {}),
          });
          return { ok: true, notices: result.slackErrors };
        }
        case "shortcut": {
          const result = await user.globalShortcut({ userId: act.as, callbackId: act.callbackId });
          return { ok: true, notices: result.slackErrors };
        }
      }
    } catch (error) {
      if (error instanceof SlackClientRefusal) {
        // What Slack's client would have shown under the fields instead of sending anything.
        const viewId = "viewId" in act ? act.viewId : undefined;
        const view = viewId ? slack.view(viewId) : undefined;
        if (view) this.viewErrors.set(view.id, { hash: view.hash, errors: error.errors });
        return { ok: false, errors: error.errors, message: error.message };
      }
      throw new BadRequest(describe(error));
    }
  }
}
