/**
 * The Dockerfile, checked without a Docker engine: its rules read statically, then its build
 * replayed in a temp folder from the committed files (HEAD, as a fresh clone has them) that
 * .dockerignore lets through — so a file that is not committed, or not copied, is missing there as
 * it would be in a real build — and the result
 * started: --help, --check, and the whole bot against the emulators with the image's HEALTHCHECK.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMAGE_NODE_OPTIONS } from "../../bench/lib/child.js";
import { startRdsEmulator } from "../../src/sandbox/rds-emulator.js";
import { startSlackEmulator } from "../../src/sandbox/slack-emulator.js";
import { APPROVAL_CHANNEL, BOT_TOKEN, freePort, stageEnv, USERS } from "../../src/sandbox/stage.js";
import {
  buildContext,
  copyArguments,
  dockerignore,
  gitFiles,
  parseDockerfile,
  parseEnv,
  replayDockerfile,
  type Stage,
  type StageResult,
} from "./dockerfile.js";

const repo = resolve(import.meta.dirname, "../..");
const dockerfileText = readFileSync(join(repo, "Dockerfile"), "utf8");
const dockerfile = parseDockerfile(dockerfileText);
const finalStage = dockerfile.stages[dockerfile.stages.length - 1] as Stage;

const SECRET_NAME = /secret|token|password|passwd|credential|access_?key|private_?key|api_?key|signing/i;
const SECRET_VALUE = /\bxox[abpers]-|\bxapp-|\bLTAI[A-Za-z0-9]{8,}|-----BEGIN/;

function stageNamed(name: string): Stage | undefined {
  return dockerfile.stages.find((stage) => stage.name === name);
}

/** The image a stage finally stands on, following `FROM <stage>` back to a real image. */
function baseImage(stage: Stage): string {
  const parent = stageNamed(stage.from);
  return parent ? baseImage(parent) : stage.from;
}

function runsIn(stage: Stage): string[] {
  return stage.instructions
    .filter((i) => i.keyword === "RUN")
    .flatMap((i) => i.text.split("&&").map((c) => c.trim()));
}

describe("Dockerfile: the rules", () => {
  it("is multi-stage: build with dev dependencies, runtime from a slim Node.js LTS with production ones", () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
    expect(finalStage.from).toMatch(
      /^node:(20|22|24)(\.\d+)*-(bookworm-|trixie-)?slim(@sha256:[0-9a-f]{64})?$/,
    );

    const build = dockerfile.stages.find((stage) => runsIn(stage).includes("npm run build"));
    expect(build, "a stage runs npm run build").toBeDefined();
    expect(runsIn(build as Stage).some((c) => /^npm ci(\s|$)/.test(c) && !c.includes("--omit=dev"))).toBe(
      true,
    );

    // node_modules of the runtime come from a production-only install on the runtime's own base.
    const modules = finalStage.instructions.find(
      (i) => i.keyword === "COPY" && copyArguments(i).dest.replace(/\/$/, "").endsWith("node_modules"),
    );
    expect(modules?.flags.from, "runtime copies node_modules from a stage").toBeDefined();
    const deps = stageNamed(modules?.flags.from ?? "") as Stage;
    expect(runsIn(deps).some((c) => /^npm ci\b.*--omit=dev/.test(c))).toBe(true);
    expect(baseImage(deps)).toBe(finalStage.from);
    // …with the toolchain a native module may need to compile.
    expect(
      runsIn(deps)
        .join(" ")
        .concat(runsIn(stageNamed(deps.from) ?? deps).join(" ")),
    ).toMatch(/apt-get install .*python3.*make.*g\+\+/);

    // The runtime installs and compiles nothing itself.
    expect(runsIn(finalStage).filter((c) => /^(npm|apt-get)\b/.test(c))).toEqual([]);
    expect(
      finalStage.instructions.some((i) => i.keyword === "COPY" && !i.flags.from && /\bsrc\b/.test(i.text)),
    ).toBe(false);
  });

  it("runs as the node user, in exec form, with a HEALTHCHECK on /healthz that needs no curl", () => {
    const keywords = finalStage.instructions.map((i) => i.keyword);
    const user = finalStage.instructions.filter((i) => i.keyword === "USER");
    expect(user.map((i) => i.text)).toEqual(["node"]);
    expect(keywords.indexOf("USER")).toBeLessThan(keywords.indexOf("CMD"));

    const cmd = finalStage.instructions.filter((i) => i.keyword === "CMD");
    expect(cmd).toHaveLength(1);
    expect(cmd[0]?.exec).toEqual(["node", "dist/main.js"]);

    const health = finalStage.instructions.find((i) => i.keyword === "HEALTHCHECK");
    expect(health?.text).toMatch(/^CMD\s/);
    expect(health?.exec?.[0]).toBe("node");
    expect(health?.exec?.join(" ")).toContain("/healthz");
    expect(health?.text).not.toMatch(/\b(curl|wget)\b/);
    expect(Number.parseInt(health?.flags.timeout ?? "30", 10)).toBeLessThanOrEqual(10);
  });

  it("keeps SQLite on a volume owned by node, with DATABASE_URL pointing into it, and exposes 3000", () => {
    const env = Object.assign(
      {},
      ...finalStage.instructions.filter((i) => i.keyword === "ENV").map((i) => parseEnv(i.text)),
    ) as Record<string, string>;
    expect(env.DATABASE_URL).toMatch(/^\/app\/data\/[^/]+\.sqlite$/);
    expect(env.PORT).toBe("3000");
    const volumes = finalStage.instructions.filter((i) => i.keyword === "VOLUME");
    expect(volumes.flatMap((i) => i.exec ?? i.text.split(/\s+/))).toEqual(["/app/data"]);
    expect(runsIn(finalStage)).toContain("chown node:node /app/data");
    expect(finalStage.instructions.filter((i) => i.keyword === "EXPOSE").map((i) => i.text)).toEqual([
      "3000",
    ]);
  });

  it("caps the V8 heap as the benchmark measures the bot (bench/lib/child.ts)", () => {
    const env = Object.assign(
      {},
      ...finalStage.instructions.filter((i) => i.keyword === "ENV").map((i) => parseEnv(i.text)),
    ) as Record<string, string>;
    const options = (env.NODE_OPTIONS ?? "").split(/\s+/);
    for (const option of IMAGE_NODE_OPTIONS.split(/\s+/)) expect(options).toContain(option);
  });

  it("bakes no secret in: no ENV or ARG named or shaped like one", () => {
    for (const instruction of dockerfile.instructions.filter(
      (i) => i.keyword === "ENV" || i.keyword === "ARG",
    )) {
      const vars =
        instruction.keyword === "ENV"
          ? parseEnv(instruction.text)
          : { [instruction.text.split("=")[0] ?? ""]: instruction.text.split("=").slice(1).join("=") };
      for (const [name, value] of Object.entries(vars)) {
        expect(name, `Dockerfile:${instruction.line}`).not.toMatch(SECRET_NAME);
        expect(value, `Dockerfile:${instruction.line}`).not.toMatch(SECRET_VALUE);
      }
    }
    expect(dockerfileText).not.toMatch(SECRET_VALUE);
    // Secrets in the build context would end up in a layer: .env is never sent.
    const allowed = dockerignore(readFileSync(join(repo, ".dockerignore"), "utf8"));
    for (const path of [
      ".env",
      "data/rds-backup-bot.sqlite",
      "node_modules/x/index.js",
      ".git/config",
      "dist/main.js",
    ])
      expect(allowed(path), path).toBe(false);
    for (const path of ["package.json", "package-lock.json", "src/main.ts", "tsconfig.build.json"])
      expect(allowed(path), path).toBe(true);
  });
});

describe("the build context", () => {
  it("follows .dockerignore as Docker does: last match wins, parents count, * stays in a folder", () => {
    const allowed = dockerignore("# comment\n*\n!src\nsrc/**/*.test.ts\n!keep/\n*.md\n!README.md\n");
    expect(allowed("src/a/b.ts")).toBe(true);
    expect(allowed("src/a/b.test.ts")).toBe(false);
    expect(allowed("keep/x/y")).toBe(true);
    expect(allowed("other.ts")).toBe(false);
    expect(allowed("README.md")).toBe(true);
    expect(dockerignore("*.md")("docs/a.md")).toBe(true); // `*` does not cross folders
    expect(dockerignore("**/*.md")("docs/a.md")).toBe(false);
  });

  it("is what is committed: a file not committed, or an edit not committed, is not there", () => {
    const dir = mkdtempSync(join(tmpdir(), "rdsbot-ctx-"));
    try {
      const git = (...args: string[]) =>
        spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir });
      git("init", "-q");
      mkdirSync(join(dir, "src"));
      writeFileSync(join(dir, "src", "tracked.ts"), "export {};\n");
      writeFileSync(join(dir, ".dockerignore"), "*\n!src\n");
      git("add", "src/tracked.ts", ".dockerignore");
      git("commit", "-q", "-m", "x");
      writeFileSync(join(dir, "src", "untracked.ts"), "export {};\n");
      writeFileSync(join(dir, "src", "tracked.ts"), "export const edited = true;\n");
      git("add", "src/untracked.ts"); // staged is not committed either
      expect(gitFiles(dir).sort()).toEqual([".dockerignore", "src/tracked.ts"]);
      const into = join(dir, "ctx");
      expect(buildContext(dir, into)).toEqual(["src/tracked.ts"]);
      expect(existsSync(join(into, "src", "untracked.ts"))).toBe(false);
      expect(readFileSync(join(into, "src", "tracked.ts"), "utf8")).toBe("export {};\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ─── The replay ─────────────────────────────────────────────────────────────────────────────────

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a container: nothing from this machine but PATH and an empty HOME. */
function containerEnv(image: StageResult, home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
    ...image.env,
    ...extra,
  };
}

function startImage(image: StageResult, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [command = "node", ...rest] = image.cmd ?? [];
  return spawn(command, [...rest, ...args], {
    cwd: join(image.root, image.workdir),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finished(child: ChildProcess): Promise<Run> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolveRun, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

/** A prebuilt better-sqlite3 binary from this machine's install, standing in for the download. */
function localPrebuilds(dir: string): Record<string, string> {
  const binary = join(repo, "node_modules/better-sqlite3/build/Release/better_sqlite3.node");
  const version = (
    JSON.parse(readFileSync(join(repo, "node_modules/better-sqlite3/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  if (!existsSync(binary)) return {};
  mkdirSync(join(dir, "pack/build/Release"), { recursive: true });
  writeFileSync(join(dir, "pack/build/Release/better_sqlite3.node"), readFileSync(binary));
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const packed = spawnSync("tar", ["-czf", join(dir, name), "-C", join(dir, "pack"), "build"]);
  return packed.status === 0 ? { npm_config_better_sqlite3_local_prebuilds: dir } : {};
}

describe("Dockerfile: replayed", () => {
  let work: string;
  let context: string;
  let home: string;
  let buildEnv: NodeJS.ProcessEnv;
  const cache = new Map<string, StageResult>();
  let image: StageResult;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "rdsbot-docker-"));
    context = join(work, "context");
    home = join(work, "home");
    mkdirSync(home);
    buildContext(repo, context);
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !/^(NODE_ENV|VITEST|TEST|npm_lifecycle|npm_package)/i.test(name),
      ),
    );
    // npm downloads better-sqlite3's prebuilt binary in a real build; this machine has no internet,
    // so the same binary comes from a local tarball (npm still runs the package's install script).
    buildEnv = { ...inherited, ...localPrebuilds(join(work, "prebuilds")) };
    image = await replayDockerfile({
      dockerfile: dockerfileText,
      context,
      workDir: join(work, "stages"),
      env: buildEnv,
      cache,
    });
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it("installs, builds and installs for production; skips only the system packages", () => {
    const steps = [...cache.values()].flatMap((stage) => stage.steps);
    const ran = steps.filter((step) => step.action === "ran").map((step) => step.command);
    expect(ran).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^npm ci\b(?!.*--omit)/),
        "npm run build",
        expect.stringMatching(/^npm ci\b.*--omit=dev/),
      ]),
    );
    for (const step of steps.filter((s) => s.action === "skipped"))
      expect(step.command).toMatch(/^(apt-get|rm -rf)/);
    expect(existsSync(join(image.root, "app/dist/main.js"))).toBe(true);
    expect(existsSync(join(image.root, "app/node_modules/better-sqlite3"))).toBe(true);
    // Production dependencies only: no compiler, test runner or linter in the image.
    for (const dev of ["typescript", "vitest", "@biomejs/biome", "tsx"])
      expect(existsSync(join(image.root, "app/node_modules", dev)), dev).toBe(false);
    expect(existsSync(join(image.root, "app/src"))).toBe(false);
    expect(image.user).toBe("node");
    expect(image.owners["/app/data"]).toBe("node:node");
  });

  it("starts: --help", async () => {
    const run = await finished(startImage(image, ["--help"], containerEnv(image, home, {})));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: node dist/main.js");
  });

  it("--check: exit 0 with a valid configuration, 78 naming every problem with an invalid one", async () => {
    const valid = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: "xapp-1-A0TEST-1-abcdef",
      APPROVAL_CHANNEL_ID: APPROVAL_CHANNEL,
      APPROVER_USER_IDS: USERS.approver,
    };
    const ok = await finished(startImage(image, ["--check"], containerEnv(image, home, valid)));
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("configuration ok");

    const invalid = {
      SLACK_BOT_TOKEN: "xoxp-a-user-token-not-a-bot-one",
      PORT: "eighty",
      DEFAULT_LOCALE: "fr",
      RDS_ENDPOINT: "ftp://example.com",
    };
    const bad = await finished(startImage(image, ["--check"], containerEnv(image, home, invalid)));
    expect(bad.code).toBe(78);
    for (const name of [
      "SLACK_BOT_TOKEN",
      "PORT",
      "DEFAULT_LOCALE",
      "RDS_ENDPOINT",
      "APPROVAL_CHANNEL_ID",
      "SLACK_SIGNING_SECRET",
      "APPROVER_USER_IDS",
    ]) {
      expect(bad.stderr, name).toContain(name);
    }
    expect(bad.stderr).not.toContain("xoxp-a-user-token-not-a-bot-one");
  });

  it("runs the bot on the emulators: HEALTHCHECK and /readyz pass, SIGTERM exits 0", async () => {
    const slack = await startSlackEmulator({ botToken: BOT_TOKEN });
    const rds = await startRdsEmulator();
    const port = await freePort();
    const env = containerEnv(
      image,
      home,
      stageEnv({
        slackApiUrl: slack.apiUrl,
        rdsUrl: rds.url,
        // The image's /app/data is this folder here.
        databaseUrl: join(image.root, "app/data/rds-backup-bot.sqlite"),
        port,
        // A bare workspace: one approver, no DBA user group.
        approverUserIds: [USERS.approver],
        approverGroupIds: [],
      }),
    );
    const bot = startImage(image, [], env);
    const exited = finished(bot);
    try {
      await until(
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200,
        20_000,
        "/readyz to answer 200",
      );
      const health = image.healthcheck?.exec ?? [];
      const probe = spawnSync(health[0] ?? "node", health.slice(1), {
        env,
        encoding: "utf8",
        timeout: 10_000,
      });
      expect(probe.status, probe.stderr).toBe(0);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain("rdsbot_slack_ack_duration_seconds");
    } finally {
      bot.kill("SIGTERM");
      const run = await exited;
      await slack.close();
      await rds.close();
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("rds-backup-bot stopped");
    }
    // The HEALTHCHECK fails once nothing answers.
    const health = image.healthcheck?.exec ?? [];
    const after = spawnSync(health[0] ?? "node", health.slice(1), { env, encoding: "utf8", timeout: 10_000 });
    expect(after.status).toBe(1);
  }, 60_000);

  it("fails when a COPY names a file the build context does not have", async () => {
    const partial = join(work, "context-without-tsconfig");
    buildContext(
      repo,
      partial,
      gitFiles(repo).filter((file) => file !== "tsconfig.build.json"),
    );
    await expect(
      replayDockerfile({
        dockerfile: dockerfileText,
        context: partial,
        workDir: join(work, "stages"),
        env: buildEnv,
        cache,
      }),
    ).rejects.toThrow(/COPY tsconfig\.build\.json: not in the build context/);
  });

  it("fails when the runtime stage leaves out something the bot needs", async () => {
    const withoutModules = dockerfileText.replace(/^COPY --from=\S+ \/app\/node_modules .*$/m, "");
    expect(withoutModules).not.toBe(dockerfileText);
    const broken = await replayDockerfile({
      dockerfile: withoutModules,
      context,
      workDir: join(work, "stages"),
      env: buildEnv,
      cache, // the other stages are unchanged: only the runtime stage is built again
    });
    const run = await finished(startImage(broken, ["--help"], containerEnv(broken, home, {})));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Cannot find (package|module)/);
  });
});
