/**
 * What the bot tells its operator about the credentials it was given: a warning for a static STS
 * token, which nothing renews. Plain operator English for the log (like every start-up message).
 */

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
