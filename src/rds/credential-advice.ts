/**
 * What the bot tells its operator about the credentials it was given: a warning for a static STS
 * token, which nothing renews, and what is wrong when RRSA gives no credentials. Plain operator
 * English for the log (like every start-up message).
 */
import type { RrsaOptions } from "./client.js";

/**
 * A static STS token (`ALIBABA_CLOUD_SECURITY_TOKEN`) works until it expires, and then every call
 * fails with `InvalidSecurityToken.Expired`. Our reading of "when it expires": the token is opaque
 * (STS does not document its format, and `@alicloud/credentials` reads no expiry from it), so the
 * bot cannot tell; it says how long STS tokens last (15 minutes to 12 hours, one hour by default,
 * per STS AssumeRole's DurationSeconds) and what to use instead.
 */
export function staticStsWarning(): string {
  return (
    "ALIBABA_CLOUD_SECURITY_TOKEN is a static STS token: the bot cannot renew it, and every Alibaba Cloud call " +
    "fails once it expires (STS tokens last 15 minutes to 12 hours, one hour by default; the token does not say " +
    "when it was issued). For a long-running bot give it a RAM role whose credentials renew themselves instead: " +
    "RRSA on ACK (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE) or the " +
    "ECS instance's RAM role. /readyz reports it when the token stops working."
  );
}

/** Node's network error codes, and the transport's timeouts: STS was not reached. */
const UNREACHABLE = /^(?:ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/;
const UNREADABLE = /^(?:ENOENT|EACCES|EISDIR|EPERM)$/;

/** The STS endpoint `@alicloud/credentials` asks for these settings (providers/oidc_role_arn.js). */
export function stsEndpoint(rrsa: Pick<RrsaOptions, "stsRegionId" | "vpcEndpoint">): string {
  if (!rrsa.stsRegionId) return "sts.aliyuncs.com";
  return rrsa.vpcEndpoint
    ? `sts-vpc.${rrsa.stsRegionId}.aliyuncs.com`
    : `sts.${rrsa.stsRegionId}.aliyuncs.com`;
}

/**
 * Why RRSA gave no credentials, and what to change: the token file cannot be read, STS cannot be
 * reached (in a VPC without internet access: the two settings that point at STS's VPC endpoint,
 * naming only those not set yet), or STS refused the role. `detail` is the cause's message,
 * already stripped of secrets.
 */
export function rrsaProblem(rrsa: RrsaOptions, cause: unknown, detail: string, regionId: string): string {
  const fields = typeof cause === "object" && cause !== null ? (cause as Record<string, unknown>) : {};
  const code = typeof fields.code === "string" ? fields.code : "";
  const name = typeof fields.name === "string" ? fields.name : "";
  const prefix = "No usable Alibaba Cloud credentials from RRSA: ";
  if (UNREADABLE.test(code)) {
    return (
      `${prefix}ALIBABA_CLOUD_OIDC_TOKEN_FILE names ${rrsa.oidcTokenFile}, which the bot cannot read (${code}). ` +
      "On ACK the token is mounted by ack-pod-identity-webhook: check the pod's RRSA annotation and restart it."
    );
  }
  const endpoint = stsEndpoint(rrsa);
  if (UNREACHABLE.test(code) || /timeout/i.test(name) || /timeout/i.test(detail)) {
    const missing = [
      ...(rrsa.stsRegionId ? [] : [`ALIBABA_CLOUD_STS_REGION=${regionId}`]),
      ...(rrsa.vpcEndpoint ? [] : ["ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true"]),
    ];
    const reached = `the bot could not reach STS at ${endpoint} (${code || "timeout"}).`;
    if (missing.length > 0) {
      return (
        `${prefix}${reached} Without internet access, set ${missing.join(" and ")} so that it asks STS's ` +
        `VPC endpoint (sts-vpc.${rrsa.stsRegionId ?? regionId}.aliyuncs.com).`
      );
    }
    return `${prefix}${reached} Check that the VPC reaches it (DNS, security group, network ACL).`;
  }
  return (
    `${prefix}STS at ${endpoint} did not let the bot assume ${rrsa.roleArn} with its OIDC token. Check the ` +
    `role's trust policy (it must trust ${rrsa.oidcProviderArn} and this service account). STS said: ${detail}`
  );
}
