/** The figures table (printed) and the results file (bench/results/<timestamp>-<scale>.json). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Figure {
  phase: string;
  measure: string;
  value: string;
  target?: string;
  /** Undefined when the figure has no target. */
  pass?: boolean;
}

export class Report {
  readonly figures: Figure[] = [];
  readonly details: Record<string, unknown> = {};

  constructor(readonly indicative: boolean) {}

  add(figure: Figure): void {
    this.figures.push(figure);
  }

  /** A figure checked against a target: PASS when `ok`. */
  check(phase: string, measure: string, value: string, target: string, ok: boolean): void {
    this.add({ phase, measure, value, target, pass: ok });
  }

  print(out: (line: string) => void): void {
    const verdict = (f: Figure) =>
      f.pass === undefined ? "" : (f.pass ? "PASS" : "MISS") + (this.indicative ? " (indicative)" : "");
    const rows = [
      ["phase", "measure", "value", "target", "result"],
      ...this.figures.map((f) => [f.phase, f.measure, f.value, f.target ?? "", verdict(f)]),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const line = (r: string[]) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd();
    out(line(rows[0]));
    out(widths.map((w) => "-".repeat(w)).join("  "));
    for (const r of rows.slice(1)) out(line(r));
  }

  write(dir: string, scale: string, meta: Record<string, unknown>): string {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(
      dir,
      `${new Date()
        .toISOString()
        .replaceAll(":", "-")
        .replace(/\.\d+Z$/, "Z")}-${scale}.json`,
    );
    const machine = {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverage: os.loadavg(),
      node: process.version,
    };
    fs.writeFileSync(
      file,
      JSON.stringify(
        { scale, indicative: this.indicative, machine, ...meta, figures: this.figures, ...this.details },
        null,
        2,
      ) + "\n",
    );
    return file;
  }
}

export const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
export const times = (x: number) => `${x.toFixed(2)}×`;
export const count = (x: number) => Math.round(x).toLocaleString("en-GB");
