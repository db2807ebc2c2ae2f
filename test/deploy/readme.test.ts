/**
 * README.md stays true to the code: the two commands on its first screen, every configuration
 * variable the bot reads, every metric it exports, and links to files that exist.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BotMetrics } from "../../src/ops/metrics.js";

const repo = resolve(import.meta.dirname, "../..");
const readme = readFileSync(join(repo, "README.md"), "utf8");

describe("README.md", () => {
  it("opens with what the bot is and the two commands", () => {
    const firstScreen = readme.split("\n").slice(0, 20).join("\n");
    expect(firstScreen).toContain("npm ci && npm run demo");
    expect(firstScreen).toContain("npm ci && npm test");
  });

  it("documents every variable the configuration reads, in its table", () => {
    const source = readFileSync(join(repo, "src/config.ts"), "utf8");
    const schema = source.slice(source.indexOf("const schema = z.object({"));
    const variables = [...schema.slice(0, schema.indexOf("\n});")).matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map(
      (m) => m[1] ?? "",
    );
    expect(variables.length).toBeGreaterThan(15);
    const rows = readme.split("\n").filter((line) => line.startsWith("| `"));
    for (const variable of variables)
      expect(
        rows.some((row) => row.includes(`\`${variable}\``)),
        variable,
      ).toBe(true);
  });

  it("documents every metric the bot exports", async () => {
    const metrics = new BotMetrics({ defaultMetrics: false });
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(readme, name).toContain(`\`${name}\``);
  });

  it("links only to files that exist", () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1] ?? "")
      .filter((link) => !/^[a-z]+:/.test(link));
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) expect(existsSync(join(repo, link)), link).toBe(true);
  });
});
