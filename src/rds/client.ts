/**
 * Building `@alicloud/rds20140815` clients from plain options: credentials, endpoint, timeouts.
 * Nothing here reads `process.env` (the default credential chain of the SDK does, by design).
 *
 * These are CommonJS packages. Their named exports (models, `Config`) are imported by name, which
 * works everywhere. Their default export does not: Node's ESM loader (tsc output, tsx) hands over
 * `module.exports`, so the class is at `.default.default`, while vitest's CommonJS interop hands
 * over `exports.default`, the class itself. `defaultClass` accepts both.
 */
import * as Credentials from "@alicloud/credentials";
import * as OpenApi from "@alicloud/openapi-core";
import type * as RdsSdk from "@alicloud/rds20140815";
import { rrsaProblem } from "./credential-advice.js";
import { redact } from "./sdk-errors.js";

export type RdsModule = typeof RdsSdk;

let sdk: Promise<RdsModule> | undefined;

/**
 * The RDS SDK, loaded on first use. It loads about a thousand model files (most of a second and
 * tens of MB), which would otherwise all happen before the bot can answer `/healthz`; the bot
 * warms it up right after start-up instead (`AlibabaRdsGateway.warmUp`).
 */
export function loadRdsSdk(): Promise<RdsModule> {
  sdk ??= import("@alicloud/rds20140815");
  return sdk;
}

export function defaultClass<C extends abstract new (...args: never[]) => unknown>(
  exported: C | { default: C },
): C {
  return typeof exported === "function" ? exported : exported.default;
}

const CredentialClass = defaultClass<typeof Credentials.default.default>(Credentials.default);

export type RdsClient = InstanceType<typeof RdsSdk.default.default>;
export type Credential = InstanceType<typeof CredentialClass>;
/** The per-call runtime options of the SDK (`$dara.RuntimeOptions`). */
export type RuntimeOptions = Parameters<RdsClient["describeDBInstanceAttributeWithOptions"]>[1];

/** A pino-compatible logger (a pino child logger fits), or anything with the same `debug`. */
export interface RdsLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

export interface RdsClientOptions {
  /** Default region: for calls whose `CallOptions` name none, and for the endpoint. */
  regionId: string;
  /**
   * Endpoint override: host[:port] becomes the endpoint, the scheme the protocol. A function gives
   * each region its own (a VPC endpoint serves only its region); undefined leaves the SDK's choice.
   */
  endpoint?: URL | ((regionId: string) => URL | undefined) | undefined;
  /** Static credentials; without them RRSA when given, else the default credential chain. */
  accessKeyId?: string | undefined;
  accessKeySecret?: string | undefined;
  securityToken?: string | undefined;
  /** RRSA (OIDC role) settings, from the configuration (a `.env` file included). */
  rrsa?: RrsaOptions | undefined;
  /** Limit for one HTTP attempt (connect and read), default 5000 ms. */
  timeoutMs?: number | undefined;
  logger?: RdsLogger | undefined;
}

export interface RrsaOptions {
  roleArn: string;
  oidcProviderArn: string;
  oidcTokenFile: string;
  /** ALIBABA_CLOUD_STS_REGION. */
  stsRegionId?: string | undefined;
  /** ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED. */
  vpcEndpoint: boolean;
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 5_000;

/** One credential for every region's client, so the chain resolves (and caches) once. */
export function buildCredential(options: RdsClientOptions): Credential {
  const { accessKeyId, accessKeySecret, securityToken } = options;
  if (accessKeyId && accessKeySecret) {
    const config = new Credentials.Config({
      type: securityToken ? "sts" : "access_key",
      accessKeyId,
      accessKeySecret,
      ...(securityToken ? { securityToken } : {}),
    });
    return new CredentialClass(config);
  }
  if (accessKeyId || accessKeySecret) {
    throw new Error(
      "Set both the AccessKey ID and the AccessKey secret, or neither (to use the credential chain).",
    );
  }
  const { rrsa } = options;
  if (rrsa) {
    // The same provider the default chain would build from the environment, built from the
    // configuration instead, so a .env file counts and a failure is RRSA's own, not the chain's.
    return new CredentialClass(
      null,
      new ResettingProvider(() =>
        Credentials.OIDCRoleArnCredentialsProvider.builder()
          .withRoleArn(rrsa.roleArn)
          .withOIDCProviderArn(rrsa.oidcProviderArn)
          .withOIDCTokenFilePath(rrsa.oidcTokenFile)
          .withStsRegionId(rrsa.stsRegionId ?? "")
          .withEnableVpc(rrsa.vpcEndpoint)
          .build(),
      ),
    );
  }
  return new CredentialClass(
    null,
    new ResettingProvider(() => Credentials.DefaultCredentialsProvider.builder().build()),
  );
}

/** Thrown when no credential can be had; sdk-errors.ts maps it (the request was never sent). */
export class CredentialsUnavailableError extends Error {
  readonly code = "CredentialsUnavailable";
  constructor(options?: ErrorOptions) {
    super("The Alibaba Cloud credential chain gave no usable credentials.", options);
    this.name = "CredentialsUnavailableError";
  }
}

type Provider = Pick<
  InstanceType<typeof Credentials.DefaultCredentialsProvider>,
  "getCredentials" | "getProviderName"
>;

/**
 * A credentials provider, rebuilt after a failure. The SDK's default chain remembers the last
 * provider it *tried* even when that one failed, and from then on asks only that one: a single
 * failed look-up (say, at start-up before a token file appears) would poison it for good.
 */
class ResettingProvider {
  private provider: Provider;

  constructor(private readonly build: () => Provider) {
    this.provider = build();
  }

  async getCredentials(): ReturnType<Provider["getCredentials"]> {
    try {
      return await this.provider.getCredentials();
    } catch (cause) {
      this.provider = this.build();
      throw new CredentialsUnavailableError({ cause });
    }
  }

  getProviderName(): string {
    return this.provider.getProviderName();
  }
}

/** `endpoint` and `protocol` as the SDK wants them: a scheme inside `endpoint` breaks the URL. */
export function endpointSettings(endpoint: URL | undefined): { endpoint?: string; protocol?: string } {
  if (!endpoint) return {};
  const protocol = endpoint.protocol.replace(/:$/, "");
  if (protocol !== "http" && protocol !== "https") {
    throw new Error(`The RDS endpoint must be an http or https URL, not ${protocol}:`);
  }
  return { endpoint: endpoint.host, protocol };
}

export async function createRdsClient(
  options: RdsClientOptions,
  regionId: string,
  credential: Credential,
): Promise<RdsClient> {
  const Rds = await loadRdsSdk();
  const RdsClientClass = defaultClass<typeof RdsSdk.default.default>(Rds.default);
  const timeout = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const config = new OpenApi.$OpenApiUtil.Config({
    credential,
    regionId,
    ...endpointSettings(
      typeof options.endpoint === "function" ? options.endpoint(regionId) : options.endpoint,
    ),
    // The effective limit is the smaller of the two: set both.
    readTimeout: timeout,
    connectTimeout: timeout,
  });
  return new RdsClientClass(config);
}

/**
 * The SDK's runtime options for one attempt. A plain object is enough: openapi-core only reads
 * fields from it, and the class lives in `@darabonba/typescript`, which we do not depend on.
 */
export function runtimeOptions(timeoutMs: number): RuntimeOptions {
  const ms = Math.max(1, Math.round(timeoutMs));
  return { readTimeout: ms, connectTimeout: ms } as unknown as RuntimeOptions;
}

export interface ResolvedCredential {
  /** `access_key`, `sts`, `oidc_role_arn`, `ecs_ram_role`, … */
  type: string;
  /** Which link of the chain answered, e.g. `default/env`. */
  providerName?: string | undefined;
  accessKeyId: string;
  /** Values to keep out of messages and logs. */
  secrets: string[];
}

/**
 * Resolves the credential now, so a missing one stops the bot at start-up instead of failing the
 * first approved backup. The error names what to configure and carries no secret.
 */
export async function resolveCredential(
  credential: Credential,
  known: readonly string[] = [],
  settings: Pick<RdsClientOptions, "rrsa" | "regionId"> = { regionId: "cn-hangzhou" },
): Promise<ResolvedCredential> {
  try {
    const model = await credential.getCredential();
    if (!model.accessKeyId || !model.accessKeySecret) throw new Error("the credential has no AccessKey");
    return {
      type: model.type ?? "unknown",
      providerName: model.providerName,
      accessKeyId: model.accessKeyId,
      secrets: [model.accessKeySecret, ...(model.securityToken ? [model.securityToken] : [])],
    };
  } catch (cause) {
    const root = cause instanceof CredentialsUnavailableError ? cause.cause : cause;
    const detail = redact(root instanceof Error ? root.message : String(root), known);
    // RRSA was set up: say what is wrong with it, not which variables to set (they are set).
    if (settings.rrsa) throw new Error(rrsaProblem(settings.rrsa, root, detail, settings.regionId));
    throw new Error(
      "No usable Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET " +
        "(and ALIBABA_CLOUD_SECURITY_TOKEN for STS), or give the bot a RAM role (OIDC/RRSA via ALIBABA_CLOUD_ROLE_ARN, " +
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE; an ECS RAM role; " +
        `~/.alibabacloud/credentials). The credential chain said: ${detail}`,
    );
  }
}
