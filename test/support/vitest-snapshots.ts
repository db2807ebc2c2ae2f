/**
 * Reads a vitest snapshot file (`__snapshots__/*.snap`) back into values, so tests can use the bot's
 * snapshotted views as fixtures. The file is JavaScript (`exports[name] = \`…\``) holding
 * pretty-format text: one value per line, keys quoted, trailing commas, strings in double quotes
 * *without* escaping (vitest's default), so strings are read up to the quote that ends their line.
 */
import { readFileSync } from "node:fs";

export interface Snapshot {
  name: string;
  value: unknown;
}

export function readSnapshots(path: string): Snapshot[] {
  const exports: Record<string, string> = {};
  // The file is vitest's own output: template literals assigned to `exports`.
  new Function("exports", readFileSync(path, "utf8"))(exports);
  return Object.entries(exports).map(([name, text]) => ({ name, value: parsePrettyFormat(text) }));
}

/** pretty-format text (as vitest writes snapshots) back into a value. */
export function parsePrettyFormat(text: string): unknown {
  const lines = text.replace(/^\n/, "").replace(/\n$/, "").split("\n");
  let pos = 0;
  const next = (): string => {
    const line = lines[pos++];
    if (line === undefined) throw new Error("snapshot text ended inside a value");
    return line;
  };
  const parse = (start: string): unknown => {
    const rest = start.endsWith(",") ? start.slice(0, -1) : start;
    if (rest === "{}") return {};
    if (rest === "[]") return [];
    if (rest === "{") {
      const out: Record<string, unknown> = {};
      for (;;) {
        const line = next().trimStart();
        if (line === "}" || line === "},") return out;
        const match = /^"(.*?)": (.*)$/.exec(line);
        if (!match) throw new Error(`not a key line in a snapshot: ${line}`);
        out[match[1] ?? ""] = parse(match[2] ?? "");
      }
    }
    if (rest === "[") {
      const out: unknown[] = [];
      for (;;) {
        const line = next().trimStart();
        if (line === "]" || line === "],") return out;
        out.push(parse(line));
      }
    }
    if (start.startsWith('"')) {
      if (start.length > 1 && (start.endsWith('",') || (start.endsWith('"') && pos >= lines.length))) {
        return start.slice(1, start.endsWith(",") ? -2 : -1);
      }
      const parts = [start.slice(1)];
      for (;;) {
        const line = next();
        if (line.endsWith('",')) {
          parts.push(line.slice(0, -2));
          return parts.join("\n");
        }
        parts.push(line);
      }
    }
    if (rest === "undefined") return undefined;
    if (rest === "null") return null;
    if (rest === "true" || rest === "false") return rest === "true";
    if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(rest)) return Number(rest);
    throw new Error(`a value the snapshot reader does not know: ${rest}`);
  };
  const first = lines[pos++] ?? "undefined";
  return parse(first);
}
