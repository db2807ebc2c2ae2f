import { describe, expect, it } from "vitest";
import { defaultClass, endpointSettings, runtimeOptions } from "../../src/rds/client.js";

describe("endpointSettings", () => {
  it("splits a URL into the SDK's bare endpoint and protocol", () => {
    expect(endpointSettings(new URL("https://rds-vpc.cn-hangzhou.aliyuncs.com"))).toEqual({
      endpoint: "rds-vpc.cn-hangzhou.aliyuncs.com",
      protocol: "https",
    });
    expect(endpointSettings(new URL("http://127.0.0.1:8080/"))).toEqual({
      endpoint: "127.0.0.1:8080",
      protocol: "http",
    });
    expect(endpointSettings(undefined)).toEqual({});
  });

  it("refuses a scheme the SDK cannot speak", () => {
    expect(() => endpointSettings(new URL("ftp://example.com"))).toThrow(/http or https/);
  });
});

describe("runtimeOptions", () => {
  it("sets both timeouts, never below 1 ms (0 would mean the client default)", () => {
    expect(runtimeOptions(1234.4)).toEqual({ readTimeout: 1234, connectTimeout: 1234 });
    expect(runtimeOptions(0)).toEqual({ readTimeout: 1, connectTimeout: 1 });
  });
});

describe("defaultClass", () => {
  it("accepts the class itself (vitest) or module.exports holding it (Node ESM)", () => {
    class Client {}
    expect(defaultClass(Client)).toBe(Client);
    expect(defaultClass({ default: Client })).toBe(Client);
  });
});
