/**
 * What the bot says at start-up when RRSA gives no credentials: the setting that is actually
 * wrong or missing, never variables that are already set.
 */
import { describe, expect, it } from "vitest";
import type { RrsaOptions } from "../../src/rds/client.js";
import { rrsaProblem, staticStsWarning, stsEndpoint } from "../../src/rds/credential-advice.js";

const rrsa: RrsaOptions = {
  roleArn: "acs:ram::1234567890:role/rds-backup-bot",
  oidcProviderArn: "acs:ram::1234567890:oidc-provider/ack-rrsa-c0ffee",
  oidcTokenFile: "/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token",
  vpcEndpoint: false,
};
const networkError = (code: string) =>
  Object.assign(new Error(`getaddrinfo ${code} sts.aliyuncs.com`), { code });

describe("rrsaProblem", () => {
  it("names the token file it cannot read", () => {
    const cause = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
    const text = rrsaProblem(rrsa, cause, cause.message, "ap-northeast-1");
    expect(text).toContain(`ALIBABA_CLOUD_OIDC_TOKEN_FILE names ${rrsa.oidcTokenFile}`);
    expect(text).toContain("(ENOENT)");
    expect(text).not.toContain("ALIBABA_CLOUD_ROLE_ARN");
  });

  it("in a VPC without internet access, names the two settings that point at STS's VPC endpoint", () => {
    const text = rrsaProblem(rrsa, networkError("ENOTFOUND"), "getaddrinfo ENOTFOUND", "ap-northeast-1");
    expect(text).toContain("could not reach STS at sts.aliyuncs.com (ENOTFOUND)");
    expect(text).toContain(
      "set ALIBABA_CLOUD_STS_REGION=ap-northeast-1 and ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true",
    );
    expect(text).toContain("sts-vpc.ap-northeast-1.aliyuncs.com");
    expect(text).not.toContain("ALIBABA_CLOUD_ROLE_ARN");
  });

  it("names only what is not set yet", () => {
    const regionOnly = rrsaProblem(
      { ...rrsa, stsRegionId: "cn-shanghai" },
      networkError("ETIMEDOUT"),
      "",
      "ap-northeast-1",
    );
    expect(regionOnly).toContain("STS at sts.cn-shanghai.aliyuncs.com");
    expect(regionOnly).toContain("set ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true so that");
    expect(regionOnly).not.toContain("ALIBABA_CLOUD_STS_REGION=");
    expect(regionOnly).toContain("sts-vpc.cn-shanghai.aliyuncs.com");

    const both = rrsaProblem(
      { ...rrsa, stsRegionId: "cn-shanghai", vpcEndpoint: true },
      networkError("ECONNREFUSED"),
      "",
      "x",
    );
    expect(both).toContain("STS at sts-vpc.cn-shanghai.aliyuncs.com (ECONNREFUSED)");
    expect(both).toContain("Check that the VPC reaches it");
    expect(both).not.toMatch(/set ALIBABA_CLOUD_/);

    const timeout = Object.assign(new Error("ReadTimeout(5000). POST https://sts.aliyuncs.com"), {
      name: "RequestTimeoutError",
    });
    expect(rrsaProblem(rrsa, timeout, timeout.message, "cn-hangzhou")).toContain("(timeout)");
  });

  it("says STS refused the role, with what it said, when STS answered", () => {
    const detail = 'get sts token failed with OIDC: {"Code":"AuthenticationFail.NoPermission"}';
    const text = rrsaProblem(rrsa, new Error(detail), detail, "cn-hangzhou");
    expect(text).toContain(`did not let the bot assume ${rrsa.roleArn}`);
    expect(text).toContain(rrsa.oidcProviderArn);
    expect(text).toContain("AuthenticationFail.NoPermission");
  });

  it("asks the endpoint @alicloud/credentials asks", () => {
    expect(stsEndpoint({ vpcEndpoint: true })).toBe("sts.aliyuncs.com");
    expect(stsEndpoint({ stsRegionId: "cn-beijing", vpcEndpoint: false })).toBe(
      "sts.cn-beijing.aliyuncs.com",
    );
    expect(stsEndpoint({ stsRegionId: "cn-beijing", vpcEndpoint: true })).toBe(
      "sts-vpc.cn-beijing.aliyuncs.com",
    );
  });
});

describe("staticStsWarning", () => {
  it("says the token is not renewed and recommends a RAM role that renews itself", () => {
    const text = staticStsWarning();
    expect(text).toContain("ALIBABA_CLOUD_SECURITY_TOKEN");
    expect(text).toContain("RRSA");
    expect(text).toContain("ECS instance's RAM role");
  });
});
