import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe("logger redaction", () => {
  const secrets = ["xoxb-123-456-secretbot", "0123456789abcdef0123456789abcdef", "alibaba-secret-value"];

  it("removes secrets by key, by value and by shape, in messages, fields and errors", () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: "debug", secrets, destination });
    log.info({ token: "anything", config: { accessKeySecret: "alibaba-secret-value" } }, "starting");
    log.warn(
      { detail: "request failed for alibaba-secret-value" },
      "signing with 0123456789abcdef0123456789abcdef",
    );
    log.error({ err: new Error("auth failed with xoxb-123-456-secretbot") }, "slack said no");
    log.info({ header: "Bearer xoxp-999-888-unknowntoken" }, "a user token we never configured");
    log.child({ requestId: "req-1" }).info({ nested: { deeper: ["alibaba-secret-value"] } }, "child");
    const out = lines.join("");
    for (const secret of [...secrets, "xoxp-999-888-unknowntoken"]) expect(out).not.toContain(secret);
    expect(out).toContain("[REDACTED]");
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(lines[4] ?? "{}")).toMatchObject({ requestId: "req-1", msg: "child" });
  });
});
