/**
 * The Slack app manifests in manifests/ match the code: the slash command is the one the code
 * listens to, HTTP mode points Slack at the receiver's endpoint, and the bot scopes are exactly
 * what the Web API methods the code calls need — found by reading the source, so a new call
 * without its scope (or a scope nothing uses any more) fails here, not in someone's workspace.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { AppsManifestCreateArguments } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { APP_SHORTCUTS } from "../../src/sandbox/stage.js";
import { COMMAND, REQUEST_SHORTCUT_CALLBACK_ID } from "../../src/slack/ids.js";

type Manifest = AppsManifestCreateArguments["manifest"];

const repo = resolve(import.meta.dirname, "../..");

/**
 * Bot-token scopes each Web API method needs, from Slack's method reference ("Required scopes").
 * Methods with none still belong here, so that every call the code makes is accounted for.
 */
const REQUIRED_SCOPES: Readonly<Record<string, readonly string[]>> = {
  "auth.test": [], // Bolt calls it at start-up
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.delete": ["chat:write"],
  "chat.getPermalink": [],
  "views.open": [],
  "views.update": [],
  "views.push": [],
  "views.publish": [],
  "users.info": ["users:read"],
  "usergroups.users.list": ["usergroups:read"],
  "usergroups.list": ["usergroups:read"],
  "conversations.open": ["im:write"],
  "conversations.info": ["channels:read", "groups:read"],
};
/**
 * Scopes for features rather than methods: `/rds-backup` itself, and the global shortcut (Slack's
 * shortcuts guide: shortcuts need the `commands` scope too).
 */
const FEATURE_SCOPES = ["commands"];

function sourceFiles(): string[] {
  const root = join(repo, "src");
  return (readdirSync(root, { recursive: true, encoding: "utf8" }) as string[])
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(root, file))
    .filter((file) => !relative(root, file).startsWith("sandbox")); // the emulators are not the bot
}

/** Every Web API method called as `client.<ns>.<method>(…)` (line breaks allowed) or `apiCall("…")`. */
function webApiCalls(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/\bclient\s*\.\s*([a-z]+)((?:\s*\.\s*[a-zA-Z]+)+)\s*\(/g)) {
    const rest = (match[2] ?? "").replace(/\s+/g, "");
    found.add(`${match[1]}${rest}`);
  }
  for (const match of text.matchAll(/\bapiCall\(\s*["'`]([\w.]+)["'`]/g)) found.add(match[1] ?? "");
  return [...found];
}

function callsInCode(): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    for (const method of webApiCalls(readFileSync(file, "utf8"))) {
      calls.set(method, [...(calls.get(method) ?? []), relative(repo, file)]);
    }
  }
  return calls;
}

function load(name: string): Manifest {
  return parse(readFileSync(join(repo, "manifests", name), "utf8")) as Manifest;
}

/**
 * The manifests, written out as values of `Manifest` from @slack/web-api, so the compiler checks
 * every key and value; the YAML files must say exactly this. Change both together.
 */
const common = {
  _metadata: { major_version: 1, minor_version: 1 },
  display_information: {
    name: "RDS Backup Bot",
    description: "Ask for an ApsaraDB RDS backup; an approver decides; the bot runs CreateBackup once.",
    long_description:
      "Type /rds-backup to ask for a backup of an Alibaba Cloud ApsaraDB RDS instance (MySQL, PostgreSQL, SQL Server, MariaDB). The request waits in an approval channel until an approver clicks Approve; the bot then calls CreateBackup exactly once and follows the job in the request's thread, in English or Japanese. Every decision is kept in an audit trail: /rds-backup history shows the latest requests and their outcomes.",
    background_color: "#1d4f91",
  },
  oauth_config: {
    scopes: {
      bot: ["commands", "chat:write", "users:read", "usergroups:read", "channels:read", "groups:read"],
    },
  },
} satisfies Partial<Manifest>;
const features = (url?: string) =>
  ({
    app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
    bot_user: { display_name: "rds-backup", always_online: true },
    shortcuts: [
      {
        name: "Request an RDS backup",
        type: "global",
        callback_id: "rds_backup_shortcut",
        description: "Open the form to ask for an ApsaraDB RDS backup; an approver decides.",
      },
    ],
    slash_commands: [
      {
        command: "/rds-backup",
        ...(url ? { url } : {}),
        description: "Ask for an RDS backup (an approver decides)",
        usage_hint:
          "[help | <DBInstanceId> key=value… | status <id> | history [<DBInstanceId>] | cancel <id>]",
        should_escape: false,
      },
    ],
  }) satisfies Manifest["features"];
const EVENTS_URL = "https://bot.example.com/slack/events";
const EXPECTED: Record<string, Manifest> = {
  "slack-app.socket.yaml": {
    ...common,
    features: features(),
    settings: {
      interactivity: { is_enabled: true },
      event_subscriptions: { bot_events: ["app_home_opened", "member_joined_channel"] },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    },
  },
  "slack-app.http.yaml": {
    ...common,
    features: features(EVENTS_URL),
    settings: {
      interactivity: { is_enabled: true, request_url: EVENTS_URL, message_menu_options_url: EVENTS_URL },
      event_subscriptions: {
        request_url: EVENTS_URL,
        bot_events: ["app_home_opened", "member_joined_channel"],
      },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  },
};

describe("the Slack app manifests", () => {
  it("are exactly the typed manifests above (so every key is one Slack knows)", () => {
    for (const [file, expected] of Object.entries(EXPECTED)) expect(load(file), file).toEqual(expected);
  });

  it("name the command the code listens to, unescaped, with a description and a usage hint", () => {
    for (const file of Object.keys(EXPECTED)) {
      const commands = load(file).features?.slash_commands ?? [];
      expect(commands.map((c) => c.command)).toEqual([COMMAND]);
      const [command] = commands;
      expect(command?.should_escape).toBe(false);
      expect(command?.description.length).toBeGreaterThan(0);
      expect(command?.description.length).toBeLessThanOrEqual(2000);
      expect(command?.usage_hint?.length ?? 0).toBeGreaterThan(0);
      const info = load(file).display_information;
      expect(info.name.length).toBeLessThanOrEqual(35);
      expect(info.description?.length ?? 0).toBeLessThanOrEqual(140);
      expect(load(file).features?.bot_user?.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    }
  });

  it("declare the global shortcut the code listens to, within the manifest schema's limits", () => {
    const listener = readFileSync(join(repo, "src/slack/listeners/shortcuts.ts"), "utf8");
    expect(listener).toContain("app.shortcut<GlobalShortcut>(REQUEST_SHORTCUT_CALLBACK_ID");
    for (const file of Object.keys(EXPECTED)) {
      const shortcuts = load(file).features?.shortcuts ?? [];
      expect(
        shortcuts.map((s) => [s.type, s.callback_id]),
        file,
      ).toEqual([["global", REQUEST_SHORTCUT_CALLBACK_ID]]);
      // slackapi/manifest-schema: a shortcut's name is 1-24 characters, its description 1-150.
      for (const shortcut of shortcuts) {
        expect(shortcut.name.length).toBeGreaterThan(0);
        expect(shortcut.name.length).toBeLessThanOrEqual(24);
        expect(shortcut.description.length).toBeGreaterThan(0);
        expect(shortcut.description.length).toBeLessThanOrEqual(150);
      }
      // The emulated workspace offers people exactly these (src/sandbox/stage.ts).
      expect(shortcuts.map(({ type, callback_id, name }) => ({ type, callback_id, name }))).toEqual(
        APP_SHORTCUTS,
      );
      // Shortcut payloads reach the app as interactivity: it must be on.
      expect(load(file).settings?.interactivity?.is_enabled).toBe(true);
    }
  });

  it("send every Slack request of HTTP mode to the receiver's endpoint, and none in Socket Mode", () => {
    const receiver = readFileSync(join(repo, "src/slack/app.ts"), "utf8");
    const endpoint = /endpoints:\s*"([^"]+)"/.exec(receiver)?.[1];
    expect(endpoint).toBe("/slack/events");
    const http = load("slack-app.http.yaml");
    const urls = [
      http.features?.slash_commands?.[0]?.url,
      http.settings?.interactivity?.request_url,
      // the instance picker is an external_select: its options are fetched from here
      http.settings?.interactivity?.message_menu_options_url,
      // events (app_home_opened) come to the same endpoint
      http.settings?.event_subscriptions?.request_url,
    ];
    for (const url of urls) expect(new URL(url ?? "").pathname).toBe(endpoint);
    expect(http.settings?.socket_mode_enabled).toBe(false);

    const socket = load("slack-app.socket.yaml");
    expect(socket.settings?.socket_mode_enabled).toBe(true);
    expect(socket.settings?.interactivity?.is_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toContain("https://");
  });

  it("turn on the Home tab and subscribe to exactly the bot events the code listens to", () => {
    const listened = new Set<string>();
    for (const file of sourceFiles()) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bapp\.event\(\s*["'`]([\w.]+)["'`]/g)) {
        listened.add(match[1] ?? "");
      }
    }
    expect([...listened].sort()).toEqual(["app_home_opened", "member_joined_channel"]);
    for (const file of Object.keys(EXPECTED)) {
      const manifest = load(file);
      expect(manifest.features?.app_home?.home_tab_enabled, file).toBe(true);
      expect(new Set(manifest.settings?.event_subscriptions?.bot_events ?? []), file).toEqual(listened);
    }
  });

  it("ask for exactly the scopes the Web API methods the code calls need", () => {
    const calls = callsInCode();
    // The scan finds the calls we know of, so it is not silently finding nothing.
    for (const known of [
      "chat.postMessage",
      "chat.update",
      "views.open",
      "users.info",
      "usergroups.users.list",
    ])
      expect([...calls.keys()], known).toContain(known);

    const unknown = [...calls.keys()].filter((method) => !(method in REQUIRED_SCOPES));
    expect(
      unknown,
      `add these methods and their bot scopes (Slack's method reference) to REQUIRED_SCOPES: ${unknown
        .map((m) => `${m} (${calls.get(m)?.join(", ")})`)
        .join("; ")}`,
    ).toEqual([]);

    const needed = new Set([
      ...FEATURE_SCOPES,
      ...["auth.test", ...calls.keys()].flatMap((method) => REQUIRED_SCOPES[method] ?? []),
    ]);
    for (const file of Object.keys(EXPECTED)) {
      const scopes = load(file).oauth_config?.scopes?.bot ?? [];
      expect(new Set(scopes), file).toEqual(needed);
      expect(load(file).oauth_config?.scopes?.user ?? []).toEqual([]);
    }
  });

  it("finds calls split over lines and apiCall by name", () => {
    const text = `
      await this.client.usergroups.users
        .list({ usergroup });
      await client.views
        .update({ view_id });
      receiver.client.on("connected", () => {});
      await app.client.apiCall("conversations.open", {});`;
    expect(webApiCalls(text).sort()).toEqual(["conversations.open", "usergroups.users.list", "views.update"]);
  });
});
