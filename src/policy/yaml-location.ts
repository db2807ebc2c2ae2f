/** Finds where a path like `rules[1].approvals` sits in a parsed YAML document. */
import { type Document, isAlias, isCollection, isMap, isScalar, isSeq, type LineCounter } from "yaml";

export type PathSegment = string | number;

export interface Position {
  line: number;
  col: number;
}

/** `["rules", 1, "approvers", "users", 0]` → `rules[1].approvers.users[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  }
  return out;
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === "object" && "range" in node) {
    const range = (node as { range?: readonly number[] | null }).range;
    return range?.[0];
  }
  return undefined;
}

/** An empty value (`key:` with nothing after it) has an empty range at the end of the line. */
function isEmptyScalar(node: unknown): boolean {
  if (!isScalar(node)) return false;
  return node.value === null && node.range?.[0] === node.range?.[1];
}

/**
 * The 1-based line and column of the node at `path`. When the path goes further than the document
 * (a missing key), the deepest node that exists is used: the mapping the key is missing from.
 * With `at: "key"` the last segment points at the key itself (for unknown keys); a block mapping or
 * list, or an empty value, is also reported at its key, which is the line a person looks for.
 */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly PathSegment[],
  at: "value" | "key" = "value",
): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const keyOffset = rangeStart(pair.key);
      node = pair.value;
      const valueOffset = rangeStart(node);
      const valueOnNextLine =
        isCollection(node) && !node.flow && keyOffset !== undefined && valueOffset !== undefined;
      const preferKey = (last && at === "key") || isEmptyScalar(node) || valueOnNextLine || node === null;
      offset = (preferKey ? keyOffset : valueOffset) ?? keyOffset ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else {
      break;
    }
  }
  const { line, col } = lines.linePos(offset);
  return { line, col };
}
