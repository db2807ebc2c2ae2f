import { describe, expect, it } from "vitest";
import { chromiumPath } from "../../../src/sandbox/playground/browser.js";

describe("where Chromium is", () => {
  it("takes CHROMIUM_PATH when set, and refuses one that does not exist (CI must not skip)", () => {
    expect(chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
    expect(() => chromiumPath({ CHROMIUM_PATH: "/nowhere/chromium" })).toThrow(
      /CHROMIUM_PATH.*apt-get install chromium/,
    );
  });
});
