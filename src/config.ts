/**
 * The bot's configuration: the only reader of the environment. Parsed once at start-up with zod;
 * a missing or malformed value stops the bot with every problem named, before anything connects.
 * The variables are the contract in ../shared/docs/contract.md.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { DURATION_EXPECTED, DURATION_PATTERN, parseDuration } from "./domain/duration.js";
import type { RemindAfter } from "./domain/reminders.js";

const SLACK_DOCS = "https://api.slack.com/authentication/token-types";

const list = (pattern: RegExp, what: string) =>
  z
    .string()
    .optional()
    .transform((raw) =>
      (raw ?? "")
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part !== ""),
    )
    .pipe(z.array(z.string().regex(pattern, `each entry must be ${what}`)));

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""], { message: "expected true or false" })
  .optional()
  .transform((raw) => raw === "true" || raw === "1" || raw === "yes");

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (raw?.trim() ? raw.trim() : undefined));

const httpUrl = (what: string) =>
  optionalText.pipe(
    z
      .url({ protocol: /^https?$/, message: `expected an http:// or https:// URL (${what})` })
      .transform((raw) => new URL(raw))
      .optional(),
  );

/** A duration as the contract writes it (src/domain/duration.ts), in ms. */
const duration = (fallback: string) =>
  optionalText
    .transform((raw) => raw ?? fallback)
    .pipe(
      z
        .string()
        .regex(DURATION_PATTERN, `expected ${DURATION_EXPECTED}`)
        .transform((raw) => parseDuration(raw) ?? 0),
    );

/** A duration after which something happens, or `off`: never 0 (that would mean "at once"). */
const durationOrOff = (fallback: string) =>
  optionalText
    .transform((raw) => raw ?? fallback)
    .pipe(
      z.string().transform((raw, ctx): RemindAfter => {
        if (raw.toLowerCase() === "off") return "off";
        const ms = parseDuration(raw);
        if (ms === undefined || ms === 0) {
          ctx.addIssue({
            code: "custom",
            message:
              ms === 0
                ? "expected a duration above 0 (write off to turn reminders off)"
                : "expected off, or a whole number and a unit s, m, h or d, such as 30m or 2h",
          });
          return z.NEVER;
        }
        return ms;
      }),
    );

const REGION = /^[a-z]{2}(-[a-z0-9]+)+$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const USERGROUP_ID = /^S[A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

const schema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ message: "required: the bot token (xoxb-…) from OAuth & Permissions" })
    .startsWith("xoxb-", `must be a bot token starting with xoxb- (see ${SLACK_DOCS})`),
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .startsWith("xapp-", `must be an app-level token starting with xapp- (see ${SLACK_DOCS})`)
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[a-f0-9]{16,}$/i, "must be the hex signing secret from Basic Information")
      .optional(),
  ),
  SLACK_MODE: optionalText.pipe(
    z.enum(["socket", "http"], { message: "expected socket or http" }).optional(),
  ),
  PORT: z
    .string()
    .optional()
    .transform((raw) => raw?.trim() || "3000")
    .pipe(z.coerce.number<string>({ message: "expected a port number" }).int().min(0).max(65535)),
  SLACK_API_URL: httpUrl("the Slack Web API base"),
  APPROVAL_CHANNEL_ID: z
    .string({ message: "required: the id of the channel where requests wait (C…)" })
    .regex(CHANNEL_ID, "expected a channel id such as C0123456789"),
  APPROVER_USER_IDS: list(USER_ID, "a Slack user id such as U0123456789"),
  APPROVER_USERGROUP_IDS: list(USERGROUP_ID, "a Slack user group id such as S0123456789"),
  ALLOW_SELF_APPROVAL: bool,
  ALIBABA_CLOUD_ACCESS_KEY_ID: optionalText,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: optionalText,
  ALIBABA_CLOUD_SECURITY_TOKEN: optionalText,
  // RRSA (OIDC): read here too, so a .env file works and a half-done set-up is named at start-up.
  ALIBABA_CLOUD_ROLE_ARN: optionalText,
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: optionalText,
  ALIBABA_CLOUD_OIDC_TOKEN_FILE: optionalText,
  ALIBABA_CLOUD_STS_REGION: optionalText.pipe(
    z.string().regex(REGION, "expected a region id such as ap-northeast-1").optional(),
  ),
  ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: bool,
  ALIBABA_CLOUD_REGION_ID: optionalText.pipe(
    z.string().regex(REGION, "expected a region id such as ap-northeast-1").optional(),
  ),
  RDS_ENDPOINT: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const parsed = parseEndpoints(raw);
    if (typeof parsed === "string") {
      ctx.addIssue({ code: "custom", message: parsed });
      return z.NEVER;
    }
    return parsed;
  }),
  RDS_LISTING_LAG: duration("90s"),
  APPROVAL_REMINDER_AFTER: durationOrOff("2h"),
  DATABASE_URL: optionalText.pipe(z.string().default("./data/rds-backup-bot.sqlite")),
  DEFAULT_LOCALE: optionalText.pipe(z.enum(["en", "ja"], { message: "expected en or ja" }).default("en")),
  LOG_LEVEL: optionalText.pipe(
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        message: "expected a pino level: fatal, error, warn, info, debug, trace or silent",
      })
      .default("info"),
  ),
  POLICY_FILE: optionalText,
  RDS_REGION_IDS: list(REGION, "a region id such as ap-northeast-1"),
  NOTIFY_CHANNEL_IDS: list(CHANNEL_ID, "a channel id such as C0123456789"),
});

/**
 * Where the RDS API is reached, by region. Without an override the SDK picks the public endpoint
 * from the region (`rds.aliyuncs.com` or `rds.{region}.aliyuncs.com`). An override serves one region
 * only when it is fixed (a VPC endpoint answers for its own region), so with several regions it is
 * written per region: a template with `{region}`, or one URL per region.
 */
export type RdsEndpoints =
  | { kind: "fixed"; url: URL }
  | { kind: "template"; template: string }
  | { kind: "per-region"; urls: ReadonlyMap<string, URL> };

const REGION_PLACEHOLDER = "{region}";
const PER_REGION_ENTRY = /^([a-z]{2}(?:-[a-z0-9]+)+)=(.+)$/;

function httpUrlOrProblem(raw: string): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "expected an http:// or https:// URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "expected an http:// or https:// URL";
  return url;
}

/** Reads RDS_ENDPOINT's three forms; a string is what is wrong with it (never the value itself). */
export function parseEndpoints(raw: string): RdsEndpoints | string {
  const entries = raw
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  if (entries.length > 1 || PER_REGION_ENTRY.test(entries[0] ?? "")) {
    const urls = new Map<string, URL>();
    for (const entry of entries) {
      const match = PER_REGION_ENTRY.exec(entry);
      if (!match)
        return "expected region=URL entries separated by commas (cn-hangzhou=https://…,ap-northeast-1=https://…)";
      const [, region = "", address = ""] = match;
      const url = httpUrlOrProblem(address);
      if (typeof url === "string") return `${url} for ${region}`;
      if (urls.has(region)) return `${region} is listed twice`;
      urls.set(region, url);
    }
    return { kind: "per-region", urls };
  }
  if (raw.includes(REGION_PLACEHOLDER)) {
    const sample = httpUrlOrProblem(raw.replaceAll(REGION_PLACEHOLDER, "cn-hangzhou"));
    if (typeof sample === "string") return `${sample} once {region} is filled in`;
    if (!sample.host.includes("cn-hangzhou"))
      return "put {region} in the host name (https://rds-vpc.{region}.aliyuncs.com)";
    return { kind: "template", template: raw };
  }
  const url = httpUrlOrProblem(raw);
  return typeof url === "string" ? `${url} (the RDS API endpoint)` : { kind: "fixed", url };
}

/** The endpoint override for one region, or undefined to let the SDK pick the public one. */
export function rdsEndpointFor(endpoints: RdsEndpoints | undefined, regionId: string): URL | undefined {
  switch (endpoints?.kind) {
    case undefined:
      return undefined;
    case "fixed":
      return endpoints.url;
    case "template":
      return new URL(endpoints.template.replaceAll(REGION_PLACEHOLDER, regionId));
    case "per-region":
      return endpoints.urls.get(regionId);
  }
}

const present = (value: string | undefined): boolean => Boolean(value?.trim());

const DEFAULT_REGION = "cn-hangzhou";

/**
 * Rules across variables. Checked on the raw values, separately from the schema, so that they are
 * reported together with every other problem instead of only once the rest is valid.
 */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const mode = env.SLACK_MODE?.trim() || (present(env.SLACK_APP_TOKEN) ? "socket" : "http");
  if (mode === "socket" && !present(env.SLACK_APP_TOKEN)) {
    problems.push(
      "SLACK_APP_TOKEN: required in socket mode: an app-level token (xapp-…) with connections:write",
    );
  }
  if (mode === "http" && !present(env.SLACK_SIGNING_SECRET)) {
    problems.push(
      "SLACK_SIGNING_SECRET: required in http mode: the signing secret from the app's Basic Information page",
    );
  }
  if (!present(env.POLICY_FILE) && !present(env.APPROVER_USER_IDS) && !present(env.APPROVER_USERGROUP_IDS)) {
    problems.push(
      "APPROVER_USER_IDS: set APPROVER_USER_IDS or APPROVER_USERGROUP_IDS (or a POLICY_FILE): nobody could approve",
    );
  }
  if (present(env.ALIBABA_CLOUD_ACCESS_KEY_ID) !== present(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET)) {
    const missing = present(env.ALIBABA_CLOUD_ACCESS_KEY_ID)
      ? "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
      : "ALIBABA_CLOUD_ACCESS_KEY_ID";
    problems.push(
      `${missing}: set both ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or neither`,
    );
  }
  problems.push(...rrsaProblems(env));
  const endpoints = present(env.RDS_ENDPOINT) ? parseEndpoints(env.RDS_ENDPOINT?.trim() ?? "") : undefined;
  if (endpoints !== undefined && typeof endpoints !== "string") {
    const listed = (env.RDS_REGION_IDS ?? "")
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "");
    const regionId = env.ALIBABA_CLOUD_REGION_ID?.trim() || listed[0] || DEFAULT_REGION;
    const problem = endpointsProblem(endpoints, [...new Set([regionId, ...listed])]);
    if (problem) problems.push(problem);
  }
  return problems;
}

type Env = z.output<typeof schema>;

export interface Config {
  slack: {
    mode: "socket" | "http";
    botToken: string;
    appToken?: string | undefined;
    signingSecret?: string | undefined;
    apiUrl?: URL | undefined;
    approvalChannelId: string;
    notifyChannelIds: string[];
  };
  approvers: {
    userIds: string[];
    usergroupIds: string[];
    allowSelfApproval: boolean;
  };
  alibaba: {
    /** The default region: ALIBABA_CLOUD_REGION_ID, else the first of RDS_REGION_IDS, else cn-hangzhou. */
    regionId: string;
    /** Regions the instance picker lists, and where an instance is looked for. */
    regionIds: string[];
    endpoints?: RdsEndpoints | undefined;
    /** How long RDS's listings may trail a CreateBackup (`RDS_LISTING_LAG`), in ms. */
    listingLagMs: number;
    accessKeyId?: string | undefined;
    accessKeySecret?: string | undefined;
    securityToken?: string | undefined;
    /** RRSA (OIDC role), when its three variables are set. */
    rrsa?: RrsaConfig | undefined;
  };
  port: number;
  databaseUrl: string;
  defaultLocale: "en" | "ja";
  logLevel: Env["LOG_LEVEL"];
  policyFile?: string | undefined;
  /**
   * `APPROVAL_REMINDER_AFTER`: how long a request waits before its thread reminds the people who
   * may decide (ms), or `off`; a policy rule's `remind_after` overrides it.
   */
  approvalReminderAfter: RemindAfter;
}

export interface RrsaConfig {
  roleArn: string;
  oidcProviderArn: string;
  oidcTokenFile: string;
  /** ALIBABA_CLOUD_STS_REGION: ask STS in this region (sts.{region} or sts-vpc.{region}). */
  stsRegionId?: string | undefined;
  /** ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: ask STS's VPC endpoint. */
  vpcEndpoint: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Reads `.env` from `cwd` when present; variables already in the environment win. */
export function readEnvironment(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): Record<string, string | undefined> {
  const dotenvPath = resolve(cwd, ".env");
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  return { ...fromFile, ...env };
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  // Name the variable and what it expects; never echo the value (it may be a secret).
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  const regionId = e.ALIBABA_CLOUD_REGION_ID ?? e.RDS_REGION_IDS[0] ?? DEFAULT_REGION;
  const regionIds = e.RDS_REGION_IDS.length > 0 ? e.RDS_REGION_IDS : [regionId];
  return {
    slack: {
      mode: e.SLACK_MODE ?? (e.SLACK_APP_TOKEN ? "socket" : "http"),
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      approvalChannelId: e.APPROVAL_CHANNEL_ID,
      notifyChannelIds: e.NOTIFY_CHANNEL_IDS,
    },
    approvers: {
      userIds: e.APPROVER_USER_IDS,
      usergroupIds: e.APPROVER_USERGROUP_IDS,
      allowSelfApproval: e.ALLOW_SELF_APPROVAL,
    },
    alibaba: {
      regionId,
      regionIds,
      endpoints: e.RDS_ENDPOINT,
      listingLagMs: e.RDS_LISTING_LAG,
      accessKeyId: e.ALIBABA_CLOUD_ACCESS_KEY_ID,
      accessKeySecret: e.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      securityToken: e.ALIBABA_CLOUD_SECURITY_TOKEN,
      rrsa:
        e.ALIBABA_CLOUD_ROLE_ARN && e.ALIBABA_CLOUD_OIDC_PROVIDER_ARN && e.ALIBABA_CLOUD_OIDC_TOKEN_FILE
          ? {
              roleArn: e.ALIBABA_CLOUD_ROLE_ARN,
              oidcProviderArn: e.ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
              oidcTokenFile: e.ALIBABA_CLOUD_OIDC_TOKEN_FILE,
              stsRegionId: e.ALIBABA_CLOUD_STS_REGION,
              vpcEndpoint: e.ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED,
            }
          : undefined,
    },
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    defaultLocale: e.DEFAULT_LOCALE,
    logLevel: e.LOG_LEVEL,
    policyFile: e.POLICY_FILE,
    approvalReminderAfter: e.APPROVAL_REMINDER_AFTER,
  };
}

const RRSA_VARIABLES = [
  "ALIBABA_CLOUD_ROLE_ARN",
  "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
  "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
] as const;

/**
 * RRSA needs its three variables together (ack-pod-identity-webhook injects all three), and STS's
 * VPC endpoint is per region: `@alicloud/credentials` asks `sts-vpc.{region}.aliyuncs.com` only
 * when ALIBABA_CLOUD_STS_REGION is set too, and the public `sts.aliyuncs.com` otherwise
 * (providers/oidc_role_arn.js). Each problem names only what is missing.
 */
function rrsaProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const set = RRSA_VARIABLES.filter((name) => present(env[name]));
  const missing = RRSA_VARIABLES.filter((name) => !present(env[name]));
  if (set.length > 0 && missing.length > 0) {
    problems.push(
      `${missing.join(", ")}: RRSA needs ${missing.length === 1 ? "it" : "them"} too (${set.join(" and ")} ` +
        `${set.length === 1 ? "is" : "are"} set); on ACK, ack-pod-identity-webhook injects all three`,
    );
  }
  const vpc = env.ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED?.trim().toLowerCase();
  if ((vpc === "true" || vpc === "1" || vpc === "yes") && !present(env.ALIBABA_CLOUD_STS_REGION)) {
    problems.push(
      "ALIBABA_CLOUD_STS_REGION: required with ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true: STS's VPC endpoint is " +
        "per region (sts-vpc.{region}.aliyuncs.com); without a region the public sts.aliyuncs.com is asked",
    );
  }
  return problems;
}

/**
 * An override must reach every region the bot calls: a fixed one serves a single region (a VPC
 * endpoint answers only for its own), and a per-region list must name each region.
 */
function endpointsProblem(
  endpoints: RdsEndpoints | undefined,
  regions: readonly string[],
): string | undefined {
  if (endpoints?.kind === "fixed" && regions.length > 1) {
    return (
      `RDS_ENDPOINT: a fixed endpoint serves one region, but RDS_REGION_IDS and ALIBABA_CLOUD_REGION_ID name ${regions.length} ` +
      `(${regions.join(", ")}): write it per region, with {region} in it (https://rds-vpc.{region}.aliyuncs.com) ` +
      "or as region=URL pairs, or leave it unset for the public endpoints"
    );
  }
  if (endpoints?.kind === "per-region") {
    const missing = regions.filter((region) => !endpoints.urls.has(region));
    if (missing.length > 0) {
      return `RDS_ENDPOINT: no endpoint for ${missing.join(", ")}, which RDS_REGION_IDS or ALIBABA_CLOUD_REGION_ID names: add ${missing[0]}=https://… to it`;
    }
  }
  return undefined;
}

/** Every secret value in the configuration, for the log redactor. */
export function secretValues(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.appToken,
    config.slack.signingSecret,
    config.alibaba.accessKeySecret,
    config.alibaba.securityToken,
    passwordOf(config.databaseUrl),
  ].filter((value): value is string => typeof value === "string" && value.length >= 6);
}

function passwordOf(databaseUrl: string): string | undefined {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return undefined;
  try {
    const password = new URL(databaseUrl).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
