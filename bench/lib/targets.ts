/** What the benchmark measured against what we aim for, one row each, as printed and saved. */

export interface Check {
  /** What was measured. */
  name: string;
  /** The measurement, as shown. */
  measured: string;
  /** The target, as shown. */
  target: string;
  /** Undefined for informational rows. */
  pass: boolean | undefined;
}

export class Checks {
  readonly rows: Check[] = [];

  add(name: string, measured: string, target: string, pass: boolean | undefined): void {
    this.rows.push({ name, measured, target, pass });
  }

  info(name: string, measured: string): void {
    this.add(name, measured, "", undefined);
  }

  table(): string {
    const header = ["measurement", "value", "target", "result"];
    const lines = this.rows.map((row) => [
      row.name,
      row.measured,
      row.target,
      row.pass === undefined ? "" : row.pass ? "PASS" : "FAIL",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => (line[i] ?? "").length)));
    const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
    const rule = widths.map((w) => "─".repeat(w)).join("  ");
    return [format(header), rule, ...lines.map(format)].join("\n");
  }
}
