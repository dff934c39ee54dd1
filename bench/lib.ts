// Shared benchmark harness: robust timing, a printed table, and bench/results/<suite>.json in the common format
// { suite, protocol, node, rows: [{ name, value, unit, peer?, peerValue? }] } (see DEVELOPERS.md).
import { mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** MovieLens 100K in the shared data folder beside the repository (../shared/data), and its official folds. */
export const movieLensDirectory: string = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared", "data", "movielens-100k");
export const MOVIELENS_FOLDS = ["u1", "u2", "u3", "u4", "u5"] as const;

/** One MovieLens 100K movie of u.item: its genres (u.genre names, in u.genre order) and release year when given. */
export type MovieLensItem = {
  genres: string[];
  year?: number;
};

/** The movies of MovieLens 100K's u.item (latin1) with their genres and year, in file order. */
export async function readMovieLensItems(directory: string): Promise<{ ids: number[]; rows: MovieLensItem[] }> {
  const text = new TextDecoder("latin1").decode(await readFile(join(directory, "u.item")));
  const genres = (await readFile(join(directory, "u.genre"), "latin1"))
    .split("\n")
    .filter((line) => line.includes("|"))
    .map((line) => line.split("|")[0]!);
  const lines = text.split("\n").filter((line) => line.includes("|"));
  const ids = lines.map((line) => Number(line.split("|")[0]));
  const rows = lines.map((line): MovieLensItem => {
    const fields = line.split("|");
    const flags = fields.slice(5);
    const year = /(\d{4})$/.exec(fields[2] ?? "")?.[1];
    return { genres: genres.filter((_, g) => flags[g] === "1"), ...(year === undefined ? {} : { year: Number(year) }) };
  });
  return { ids, rows };
}

/** One result row. `peer`/`peerValue` name and measure the comparison point, run in the same process. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  peer?: string;
  peerValue?: number;
}

/** What a suite returns. */
export interface SuiteResult {
  suite: string;
  protocol: string;
  rows: BenchRow[];
}

/** Options of {@link timeMs}. */
export interface TimeOptions {
  /** Total measured time to aim for, over all batches. @defaultValue 200 */
  minTotalMs?: number;
  /** Number of batches; the median batch is reported. @defaultValue 7 */
  batches?: number;
  /** Upper bound on calls per batch (for very slow peers). @defaultValue Infinity */
  maxCallsPerBatch?: number;
  /** Warm-up time before measuring (lets V8 optimize). @defaultValue 100 */
  warmupMs?: number;
}

/** Consumes results so the optimizer cannot drop the timed work. */
export let sink = 0;
export function consume(value: unknown): void {
  if (typeof value === "number") sink += value;
  else if (value !== null && typeof value === "object" && "length" in value) sink += (value as { length: number }).length;
  else sink += 1;
}

/**
 * Median milliseconds per call of `fn`: warm up, size a batch so all batches together take about `minTotalMs`,
 * run `batches` batches and return the median batch time divided by its calls.
 */
export function timeMs(fn: () => unknown, options: TimeOptions = {}): number {
  const minTotalMs = options.minTotalMs ?? 200;
  const batches = options.batches ?? 7;
  const maxCalls = options.maxCallsPerBatch ?? Number.POSITIVE_INFINITY;
  const warmupMs = options.warmupMs ?? 100;
  // Warm-up: at least 2 calls, until warmupMs elapsed; also estimates the per-call time.
  let calls = 0;
  const warmStart = performance.now();
  let elapsed = 0;
  do {
    consume(fn());
    calls++;
    elapsed = performance.now() - warmStart;
  } while (calls < 2 || (elapsed < warmupMs && calls < maxCalls * 2));
  const perCall = elapsed / calls;
  const perBatch = Math.max(1, Math.min(maxCalls, Math.ceil(minTotalMs / batches / Math.max(perCall, 1e-6))));
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) consume(fn());
    samples.push((performance.now() - t0) / perBatch);
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)]!;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 100) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** Prints the suite as an aligned table, with a ratio column where a peer was measured. */
export function printTable(result: SuiteResult): void {
  const header = ["name", "value", "unit", "peer", "peer value", "ratio"];
  const lines = result.rows.map((row) => [
    row.name,
    format(row.value),
    row.unit,
    row.peer ?? "",
    row.peerValue === undefined ? "" : format(row.peerValue),
    row.peerValue === undefined ? "" : `${format(row.value / row.peerValue)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]): string =>
    cells.map((c, i) => (i === 1 || i === 4 || i === 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  console.log(`\n## ${result.suite}\n${result.protocol}\n`);
  console.log(render(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(render(l));
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");

/** Writes bench/results/<suite>.json in the common format and returns its path. */
export function writeResults(result: SuiteResult): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${result.suite}.json`);
  const json = {
    suite: result.suite,
    protocol: result.protocol,
    node: process.version,
    rows: result.rows.map((row) => ({
      name: row.name,
      value: round(row.value),
      unit: row.unit,
      ...(row.peer === undefined ? {} : { peer: row.peer }),
      ...(row.peerValue === undefined ? {} : { peerValue: round(row.peerValue) }),
    })),
  };
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  return path;
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
