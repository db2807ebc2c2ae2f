/**
 * A Dockerfile, read and replayed without a Docker engine: the instructions this project's
 * Dockerfile uses, the build context that `.dockerignore` lets through from the committed tree, and each stage
 * built in a folder of its own (stages run in parallel where they can, as BuildKit does). RUN lines
 * that only install system packages are skipped (the machine running the test has the toolchain);
 * npm commands really run; anything else is refused, so a new kind of step cannot slip by unreplayed.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, posix } from "node:path";

export interface Instruction {
  /** FROM, RUN, COPY, … in upper case. */
  keyword: string;
  /** `--name=value` options before the arguments (`--from=build`, `--mount=…`). */
  flags: Record<string, string>;
  /** The arguments after the options, as written. */
  text: string;
  /** The arguments in exec (JSON array) form, when written so. */
  exec?: string[] | undefined;
  /** 1-based line of the instruction. */
  line: number;
}

export interface Stage {
  index: number;
  /** `AS name`, if any. */
  name?: string | undefined;
  /** The base: an image reference or an earlier stage's name. */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  instructions: Instruction[];
  stages: Stage[];
}

const FLAGGED = new Set(["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"]);

export function parseDockerfile(source: string): Dockerfile {
  const lines = source.split(/\r?\n/);
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i] ?? "";
    if (first.trim() === "" || first.trimStart().startsWith("#")) continue;
    const line = i + 1;
    let logical = first;
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) {
      logical = logical.replace(/\\\s*$/, " ");
      i++;
      const next = lines[i] ?? "";
      if (next.trimStart().startsWith("#")) continue; // comments may sit inside a continued line
      logical += next;
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(logical);
    if (!match) throw new Error(`Dockerfile:${line}: not an instruction: ${logical}`);
    const keyword = (match[1] ?? "").toUpperCase();
    let rest = (match[2] ?? "").trim();
    const flags: Record<string, string> = {};
    if (FLAGGED.has(keyword)) {
      for (
        let flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
        flag;
        flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)
      ) {
        flags[flag[1] ?? ""] = flag[2] ?? "true";
        rest = rest.slice(flag[0].length);
      }
    }
    const execText = keyword === "HEALTHCHECK" ? rest.replace(/^CMD\s+/, "") : rest;
    instructions.push({ keyword, flags, text: rest, exec: parseExec(execText), line });
  }

  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const [from = "", as, name] = instruction.text.split(/\s+/);
      if (as !== undefined && (as.toUpperCase() !== "AS" || !name))
        throw new Error(`Dockerfile:${instruction.line}: expected FROM image [AS name]`);
      stages.push({ index: stages.length, name, from, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== "ARG")
        throw new Error(`Dockerfile:${instruction.line}: ${instruction.keyword} before FROM`);
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return { instructions, stages };
}

function parseExec(text: string): string[] | undefined {
  if (!text.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((part) => typeof part === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `ENV A=1 B="two words"` (or the old `ENV A 1`) as a record. */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/.exec(text);
  if (legacy && !text.includes("=")) {
    env[legacy[1] ?? ""] = (legacy[2] ?? "").trim();
    return env;
  }
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (const match of text.matchAll(pair)) {
    const raw = match[2] ?? "";
    env[match[1] ?? ""] = raw.startsWith('"')
      ? raw.slice(1, -1).replace(/\\(.)/g, "$1")
      : raw.startsWith("'")
        ? raw.slice(1, -1)
        : raw;
  }
  return env;
}

/** The sources and the destination of a COPY, in either form. */
export function copyArguments(instruction: Instruction): { sources: string[]; dest: string } {
  const parts = instruction.exec ?? instruction.text.split(/\s+/).filter(Boolean);
  const dest = parts[parts.length - 1];
  if (parts.length < 2 || dest === undefined)
    throw new Error(`Dockerfile:${instruction.line}: COPY needs a source and a destination`);
  return { sources: parts.slice(0, -1), dest };
}

// ─── Build context ──────────────────────────────────────────────────────────────────────────────

/** The files of a commit (default HEAD): what a fresh clone has. Nothing uncommitted is there. */
export function gitFiles(repo: string, ref = "HEAD"): string[] {
  const listed = spawnSync("git", ["ls-tree", "-r", "-z", "--name-only", ref], {
    cwd: repo,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new Error(`git ls-tree failed: ${listed.stderr}`);
  return listed.stdout.split("\0").filter((file) => file !== "");
}

interface IgnoreRule {
  negate: boolean;
  pattern: RegExp;
}

/**
 * `.dockerignore` rules, as Docker applies them: the last rule that matches a path or one of its
 * parent folders decides; `!` lets a path back in; `*` stays inside one folder, `**` crosses them.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const rules: IgnoreRule[] = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const negate = line.startsWith("!");
      const cleaned = posix.normalize((negate ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, "");
      const source = cleaned
        .split(/(\*\*|\*|\?)/)
        .map((part) =>
          part === "**"
            ? ".*"
            : part === "*"
              ? "[^/]*"
              : part === "?"
                ? "[^/]"
                : part.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
        )
        .join("");
      return { negate, pattern: new RegExp(`^${source}$`) };
    });
  return (path: string) => {
    const parts = path.split("/");
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    let included = true;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.pattern.test(candidate))) included = rule.negate;
    }
    return included;
  };
}

/**
 * Writes the build context into `into`: the files of `ref` (as committed; edits not yet committed
 * are not there, as in a fresh clone) that the work tree's `.dockerignore` lets through.
 * `files` narrows the list further (a test leaves one out).
 */
export function buildContext(
  repo: string,
  into: string,
  files: string[] = gitFiles(repo),
  ref = "HEAD",
): string[] {
  const ignoreFile = join(repo, ".dockerignore");
  const allowed = dockerignore(existsSync(ignoreFile) ? readFileSync(ignoreFile, "utf8") : "");
  const kept = files.filter(allowed);
  mkdirSync(into, { recursive: true });
  if (kept.length === 0) return kept;
  const archive = spawnSync("git", ["archive", "--format=tar", ref, "--", ...kept], {
    cwd: repo,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.toString()}`);
  const unpacked = spawnSync("tar", ["-x", "-C", into], { input: archive.stdout });
  if (unpacked.status !== 0) throw new Error(`tar failed: ${unpacked.stderr.toString()}`);
  return kept;
}

// ─── Replay ─────────────────────────────────────────────────────────────────────────────────────

export interface StageResult {
  stage: Stage;
  /** The folder standing for this stage's `/`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string | undefined;
  cmd?: string[] | undefined;
  healthcheck?: Instruction | undefined;
  volumes: string[];
  exposed: string[];
  /** What RUN did: each shell command, and whether it ran, was skipped or emulated. */
  steps: { command: string; action: "ran" | "skipped" | "emulated" }[];
  /** Owners asked for by `chown`, by path (the replay does not run as root). */
  owners: Record<string, string>;
  /** A digest of everything that went into this stage: equal keys, equal results (layer cache). */
  key: string;
}

export interface ReplayOptions {
  dockerfile: string;
  /** The build context folder. */
  context: string;
  /** Where stage folders are made. */
  workDir: string;
  /** Environment of RUN commands (PATH, npm cache, …); the stage's ENV is added. */
  env: NodeJS.ProcessEnv;
  /** Earlier results by key: an unchanged stage is not built again. */
  cache?: Map<string, StageResult> | undefined;
  log?: ((line: string) => void) | undefined;
}

/** System steps the replay knows and skips: the test machine has these tools already. */
const SKIPPED = [/^apt-get\s/, /^rm -rf \/var\/lib\/apt\/lists\/\*$/];

export async function replayDockerfile(options: ReplayOptions): Promise<StageResult> {
  const { stages } = parseDockerfile(options.dockerfile);
  const final = stages[stages.length - 1];
  if (!final) throw new Error("the Dockerfile has no FROM");
  preflight(stages, options.context);

  const results = new Map<string, Promise<StageResult>>();
  const byName = (name: string) => results.get(name);
  for (const stage of stages) {
    const running = runStage(stage, byName, options);
    running.catch(() => undefined); // awaited by the final stage or by its dependants
    results.set(String(stage.index), running);
    if (stage.name) results.set(stage.name, running);
  }
  return (await results.get(String(final.index))) as StageResult;
}

/** Fails at once, like a builder resolving the context would, on a COPY source that is not there. */
function preflight(stages: Stage[], context: string): void {
  for (const stage of stages) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword === "ADD") throw new Error(`Dockerfile:${instruction.line}: use COPY, not ADD`);
      if (instruction.keyword !== "COPY" || instruction.flags.from) continue;
      for (const source of copyArguments(instruction).sources) {
        if (/[*?[]/.test(source))
          throw new Error(`Dockerfile:${instruction.line}: the replay copies plain paths only`);
        if (!existsSync(join(context, source))) {
          throw new Error(
            `Dockerfile:${instruction.line}: COPY ${source}: not in the build context (not committed, or excluded by .dockerignore)`,
          );
        }
      }
    }
  }
}

function digest(parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** Every file under `path`, as `relative-path:sha256`, for the cache key. */
function contentDigest(path: string): string {
  if (!existsSync(path)) return "missing";
  if (statSync(path).isFile()) return createHash("sha256").update(readFileSync(path)).digest("hex");
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .sort()
    .filter((file) => statSync(join(path, file)).isFile())
    .map(
      (file) =>
        `${file}:${createHash("sha256")
          .update(readFileSync(join(path, file)))
          .digest("hex")}`,
    )
    .join("\n");
}

async function runStage(
  stage: Stage,
  stageNamed: (name: string) => Promise<StageResult> | undefined,
  options: ReplayOptions,
): Promise<StageResult> {
  const base = stageNamed(stage.from);
  const parent = base ? await base : undefined;
  // The key: the base, each instruction, what each COPY brings in.
  const keyParts = [parent ? `stage:${parent.key}` : `image:${stage.from}`];
  for (const instruction of stage.instructions) {
    keyParts.push(`${instruction.keyword} ${JSON.stringify(instruction.flags)} ${instruction.text}`);
    if (instruction.keyword !== "COPY") continue;
    if (instruction.flags.from) {
      const from = stageNamed(instruction.flags.from);
      if (!from) throw new Error(`Dockerfile:${instruction.line}: no stage named ${instruction.flags.from}`);
      keyParts.push(`from:${(await from).key}`);
    } else {
      for (const source of copyArguments(instruction).sources)
        keyParts.push(contentDigest(join(options.context, source)));
    }
  }
  const key = digest(keyParts);
  const cached = options.cache?.get(key);
  if (cached) {
    options.log?.(`stage ${stage.name ?? stage.index}: cached`);
    return cached;
  }

  const root = join(options.workDir, `stage-${stage.name ?? stage.index}-${key}`);
  mkdirSync(root, { recursive: true });
  if (parent) cpSync(parent.root, root, { recursive: true, verbatimSymlinks: true });
  const result: StageResult = {
    stage,
    root,
    workdir: parent?.workdir ?? "/",
    env: { ...parent?.env },
    user: parent?.user,
    cmd: parent?.cmd,
    healthcheck: parent?.healthcheck,
    volumes: [...(parent?.volumes ?? [])],
    exposed: [...(parent?.exposed ?? [])],
    steps: [],
    owners: { ...parent?.owners },
    key,
  };
  const inStage = (path: string) => join(root, posix.resolve(result.workdir, path));

  for (const instruction of stage.instructions) {
    switch (instruction.keyword) {
      case "WORKDIR":
        result.workdir = posix.resolve(result.workdir, instruction.text);
        mkdirSync(join(root, result.workdir), { recursive: true });
        break;
      case "ENV":
        Object.assign(result.env, parseEnv(instruction.text));
        break;
      case "COPY": {
        const { sources, dest } = copyArguments(instruction);
        const fromName = instruction.flags.from;
        const from = fromName ? await stageNamed(fromName) : undefined;
        for (const source of sources) {
          const origin = from ? join(from.root, posix.resolve("/", source)) : join(options.context, source);
          if (!existsSync(origin)) {
            throw new Error(
              `Dockerfile:${instruction.line}: COPY ${source}: not found in ${fromName ?? "the build context"}`,
            );
          }
          const target = inStage(dest);
          if (statSync(origin).isDirectory()) {
            cpSync(origin, target, { recursive: true, verbatimSymlinks: true });
          } else {
            const intoFolder =
              dest.endsWith("/") ||
              sources.length > 1 ||
              (existsSync(target) && statSync(target).isDirectory());
            const file = intoFolder ? join(target, basename(origin)) : target;
            mkdirSync(dirname(file), { recursive: true });
            cpSync(origin, file);
          }
        }
        break;
      }
      case "RUN":
        for (const command of instruction.text.split("&&").map((part) => part.trim())) {
          await runCommand(command, instruction, result, inStage, options);
        }
        break;
      case "USER":
        result.user = instruction.text;
        break;
      case "CMD":
        if (!instruction.exec) throw new Error(`Dockerfile:${instruction.line}: CMD must be in exec form`);
        result.cmd = instruction.exec;
        break;
      case "HEALTHCHECK":
        result.healthcheck = instruction;
        break;
      case "VOLUME":
        result.volumes.push(...(instruction.exec ?? instruction.text.split(/\s+/)));
        break;
      case "EXPOSE":
        result.exposed.push(...instruction.text.split(/\s+/));
        break;
      case "STOPSIGNAL":
      case "LABEL":
      case "ARG":
        break;
      default:
        throw new Error(`Dockerfile:${instruction.line}: the replay does not know ${instruction.keyword}`);
    }
  }
  options.cache?.set(key, result);
  options.log?.(`stage ${stage.name ?? stage.index}: built`);
  return result;
}

async function runCommand(
  command: string,
  instruction: Instruction,
  result: StageResult,
  inStage: (path: string) => string,
  options: ReplayOptions,
): Promise<void> {
  if (SKIPPED.some((pattern) => pattern.test(command))) {
    result.steps.push({ command, action: "skipped" });
    return;
  }
  const mkdir = /^mkdir -p (\S+)$/.exec(command);
  if (mkdir) {
    mkdirSync(inStage(mkdir[1] ?? ""), { recursive: true });
    result.steps.push({ command, action: "emulated" });
    return;
  }
  const chown = /^chown (?:-R )?(\S+) (\S+)$/.exec(command);
  if (chown) {
    result.owners[posix.resolve(result.workdir, chown[2] ?? "")] = chown[1] ?? "";
    result.steps.push({ command, action: "emulated" });
    return;
  }
  const args = command.split(/\s+/);
  if (args[0] !== "npm")
    throw new Error(`Dockerfile:${instruction.line}: the replay cannot run "${command}"`);
  // Reuse the machine's npm cache; a real build fills its own (the --mount=type=cache).
  if (args[1] === "ci") args.push("--prefer-offline");
  const cwd = inStage(".");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(args[0] ?? "npm", args.slice(1), {
      cwd,
      env: { ...options.env, ...result.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`Dockerfile:${instruction.line}: "${command}" exited ${code}\n${output.slice(-4000)}`),
        );
    });
  });
  result.steps.push({ command, action: "ran" });
  options.log?.(`ran: ${command}`);
}
