/**
 * Building `@alicloud/rds20140815` clients from plain options: credentials, endpoint, timeouts.
 * Nothing here reads `process.env` (the default credential chain of the SDK does, by design).
 *
 * Under native ESM these CommonJS packages arrive as their `module.exports` object, so the classes
 * are `Rds.default` and `Credentials.default`; tsc (NodeNext) and tsx/vitest agree on that.
 */
import Credentials from "@alicloud/credentials";
import OpenApi from "@alicloud/openapi-core";
import Rds from "@alicloud/rds20140815";
import { redact } from "./sdk-errors.js";

export type RdsClient = InstanceType<typeof Rds.default>;
export type Credential = InstanceType<typeof Credentials.default>;
/** The per-call runtime options of the SDK (`$dara.RuntimeOptions`). */
export type RuntimeOptions = Parameters<RdsClient["describeDBInstanceAttributeWithOptions"]>[1];

/** A pino-compatible logger, or anything with the same `debug`. */
export interface RdsLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn?(fields: Record<string, unknown>, message: string): void;
}

export interface RdsClientOptions {
  /** Default region: for calls whose `CallOptions` name none, and for the endpoint. */
  regionId: string;
  /** Endpoint override: host[:port] becomes the endpoint, the scheme the protocol. */
  endpoint?: URL | undefined;
  /** Static credentials; without them the default credential chain is used. */
  accessKeyId?: string | undefined;
  accessKeySecret?: string | undefined;
  securityToken?: string | undefined;
  /** Limit for one HTTP attempt (connect and read), default 5000 ms. */
  timeoutMs?: number | undefined;
  logger?: RdsLogger | undefined;
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
    return new Credentials.default(config);
  }
  if (accessKeyId || accessKeySecret) {
    throw new Error(
      "Set both the AccessKey ID and the AccessKey secret, or neither (to use the credential chain).",
    );
  }
  return new Credentials.default();
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

export function createRdsClient(
  options: RdsClientOptions,
  regionId: string,
  credential: Credential,
): RdsClient {
  const timeout = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const config = new OpenApi.$OpenApiUtil.Config({
    credential,
    regionId,
    ...endpointSettings(options.endpoint),
    // The effective limit is the smaller of the two: set both.
    readTimeout: timeout,
    connectTimeout: timeout,
  });
  return new Rds.default(config);
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
    const detail = redact(cause instanceof Error ? cause.message : String(cause), known);
    throw new Error(
      "No usable Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET " +
        "(and ALIBABA_CLOUD_SECURITY_TOKEN for STS), or give the bot a RAM role (OIDC/RRSA via ALIBABA_CLOUD_ROLE_ARN, " +
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE; an ECS RAM role; " +
        `~/.alibabacloud/credentials). The credential chain said: ${detail}`,
    );
  }
}
