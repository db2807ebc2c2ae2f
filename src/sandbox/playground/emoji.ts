/**
 * Emoji short codes as Slack knows them. Slack's names come from iamcal/emoji-data (the
 * `emoji-datasource` package, kept by Slack's co-founder for Slack's own use); its Google (Noto,
 * Apache-2.0) sprite sheet gives the pictures, so a screenshot shows emoji whatever fonts the
 * machine has.
 */
import { createRequire } from "node:module";
import { z } from "zod";

export interface EmojiInfo {
  /** The emoji as text (for copying, searching and screen readers). */
  char: string;
  /** The cell in the sprite sheet, or undefined when the sheet has no picture for it. */
  sheet: { x: number; y: number } | undefined;
}

/** Where the sprite sheet sits: 62 × 62 cells of 32 px with 1 px padding all round. */
export const EMOJI_SHEET = {
  file: "emoji-datasource/img/google/sheets/32.png",
  cell: 34,
  image: 32,
  padding: 1,
  columns: 62,
} as const;

const Entry = z.object({
  unified: z.string(),
  short_names: z.array(z.string()),
  sheet_x: z.number(),
  sheet_y: z.number(),
  has_img_google: z.boolean().optional(),
});

function unifiedToChar(unified: string): string {
  return String.fromCodePoint(...unified.split("-").map((hex) => Number.parseInt(hex, 16)));
}

let table: Map<string, EmojiInfo> | undefined;

function load(): Map<string, EmojiInfo> {
  const data = z.array(Entry).parse(createRequire(import.meta.url)("emoji-datasource/emoji.json"));
  const map = new Map<string, EmojiInfo>();
  for (const entry of data) {
    const info: EmojiInfo = {
      char: unifiedToChar(entry.unified),
      sheet: entry.has_img_google === false ? undefined : { x: entry.sheet_x, y: entry.sheet_y },
    };
    for (const name of entry.short_names) map.set(name, info);
  }
  return map;
}

/** The emoji Slack shows for `:name:`, or undefined when Slack has no such emoji. */
export function emoji(name: string): EmojiInfo | undefined {
  table ??= load();
  return table.get(name);
}
