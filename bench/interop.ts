// Interop suite: reading a Spark ALSModel directory of 1M users × 64 factors, generated here with
// writeSparkAlsModel (4 snappy part files of 250,000 users, as 4 Spark partitions would write them).
// The read runs in a fresh child process (the same tsx loader), so its peak memory is its own:
// process.resourceUsage().maxRSS after the read, the whole process (Node itself included), and the
// resident set before the read for reference.
import { fork } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createIdIndex } from "../src/core/id-index.ts";
import type { ImplicitAlsModel } from "../src/factorization/index.ts";
import { parseSparkAlsModel } from "../src/interop/index.ts";
import { readSparkAlsModel, writeSparkAlsModel } from "../src/node/index.ts";
import { makeTable } from "apache-arrow";
import { createInteractionsFromArrow } from "../src/data/index.ts";
import { createRandom } from "../src/core/random.ts";
import type { SuiteResult } from "./lib.ts";

const USERS = 1_000_000;
const ITEMS = 10_000;
const RANK = 64;
const SEED = 18;

interface ReadReport {
  seconds: number;
  parseSeconds: number;
  peakMb: number;
  startMb: number;
  users: number;
}

function syntheticModel(): ImplicitAlsModel {
  let state = SEED >>> 0;
  const next = (): number => {
    // mulberry32: a fixed-seed stream, so every run writes the same factors
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32 - 0.5;
  };
  const userFactors = new Float32Array(USERS * RANK);
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = next();
  const itemFactors = new Float32Array(ITEMS * RANK);
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = next();
  return Object.freeze({
    kind: "implicit-als",
    version: 1,
    users: createIdIndex(Array.from({ length: USERS }, (_, i) => i)),
    items: createIdIndex(Array.from({ length: ITEMS }, (_, i) => i)),
    factors: RANK,
    alpha: 1,
    regularization: 0.1,
    userFactors,
    itemFactors,
    hyperparameters: Object.freeze({ iterations: 0, solver: "cholesky", conjugateGradientSteps: 1, initStandardDeviation: 0, seed: SEED, values: "raw" }),
    seenIndptr: new Int32Array(USERS + 1),
    seenIndices: new Int32Array(0),
  }) as ImplicitAlsModel;
}

async function readInChild(dir: string): Promise<ReadReport> {
  const self = fileURLToPath(import.meta.url);
  return await new Promise<ReadReport>((resolve, reject) => {
    const child = fork(self, ["--read", dir], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (message) => resolve(message as ReadReport));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`interop: the read child exited with ${code}`));
    });
  });
}

export async function runInterop(): Promise<SuiteResult> {
  const dir = join(mkdtempSync(join(tmpdir(), "nextbest-interop-")), "als-model");
  try {
    const model = syntheticModel();
    const writeStart = performance.now();
    await writeSparkAlsModel(model, dir, { rowsPerPart: 250_000 });
    const writeSeconds = (performance.now() - writeStart) / 1000;
    const report = await readInChild(dir);
    if (report.users !== USERS) throw new Error(`interop: read ${report.users} users, expected ${USERS}`);
    const arrow = arrowToInteractions();
    return {
      suite: "interop",
      protocol:
        `Spark ALSModel directory of ${USERS.toLocaleString("en")} users and ${ITEMS.toLocaleString("en")} items × ${RANK} float32 factors ` +
        `(mulberry32 seed ${SEED}), written by writeSparkAlsModel as 4 + 1 snappy Parquet part files (Spark's schema: id int, features array<float>). ` +
        "Read with readSparkAlsModel in a fresh child process (same tsx loader), one run; seconds are wall time of the read, " +
        "peak MB is process.resourceUsage().maxRSS of that child after the read (the whole Node process, about 60-80 MB of it before reading; " +
        "the start row gives the resident set just before the read). Then, in the same child, the directory's files are read into memory " +
        "and parseSparkAlsModel (nextbest/interop, the browser path) builds the model from the bytes (wall time of the parse only). One run on a 2-core machine. " +
        "No peer: Spark itself is not available here. Arrow: an apache-arrow table of 10,000,000 events (Int32 user ids over " +
        `${ARROW_USERS.toLocaleString("en")} accounts, Int32 item ids over ${ARROW_ITEMS.toLocaleString("en")} products, Float64 values; createRandom seed 18), ` +
        "turned into Interactions by createInteractionsFromArrow (duplicates summed), one run, wall time in this process.",
      rows: [
        { name: "spark-read-1m-users-seconds", value: report.seconds, unit: "s" },
        { name: "spark-read-1m-users-peak-mb", value: report.peakMb, unit: "MB" },
        { name: "spark-read-1m-users-start-mb", value: report.startMb, unit: "MB" },
        { name: "spark-parse-bytes-1m-users-seconds", value: report.parseSeconds, unit: "s" },
        { name: "spark-write-1m-users-seconds", value: writeSeconds, unit: "s" },
        { name: "arrow-to-interactions-10m-events-seconds", value: arrow.seconds, unit: `s (${arrow.interactions.toLocaleString("en")} distinct pairs)` },
      ],
    };
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}

const ARROW_EVENTS = 10_000_000;
const ARROW_USERS = 138_493;
const ARROW_ITEMS = 26_744;

/** Seconds to build Interactions from a 10M-event Arrow table, and the distinct pairs it holds. */
function arrowToInteractions(): { seconds: number; interactions: number } {
  const next = createRandom(SEED);
  const user = new Int32Array(ARROW_EVENTS);
  const item = new Int32Array(ARROW_EVENTS);
  const value = new Float64Array(ARROW_EVENTS);
  for (let e = 0; e < ARROW_EVENTS; e++) {
    user[e] = Math.floor(next() * ARROW_USERS);
    item[e] = Math.floor(ARROW_ITEMS * next() ** 2); // popular items first
    value[e] = 1 + Math.floor(next() * 5);
  }
  const table = makeTable({ user, item, value });
  const started = performance.now();
  const data = createInteractionsFromArrow(table, { duplicates: "sum" });
  return { seconds: (performance.now() - started) / 1000, interactions: data.byUser.indptr[data.byUser.rows]! };
}

function dirname(path: string): string {
  return join(path, "..");
}

if (process.argv[2] === "--read") {
  const dir = process.argv[3]!;
  const startMb = process.memoryUsage().rss / 2 ** 20;
  const started = performance.now();
  const model = await readSparkAlsModel(dir);
  const seconds = (performance.now() - started) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const parts = (table: string): Uint8Array[] =>
    readdirSync(join(dir, table))
      .filter((name) => name.endsWith(".parquet"))
      .sort()
      .map((name) => readFileSync(join(dir, table, name)));
  const files = { metadata: readFileSync(join(dir, "metadata", "part-00000"), "utf8"), userFactors: parts("userFactors"), itemFactors: parts("itemFactors") };
  const parseStarted = performance.now();
  const parsed = await parseSparkAlsModel(files);
  const parseSeconds = (performance.now() - parseStarted) / 1000;
  if (parsed.users.ids.length !== model.users.ids.length) throw new Error("interop: parseSparkAlsModel read a different number of users");
  process.send!({ seconds, parseSeconds, peakMb, startMb, users: model.users.ids.length } satisfies ReadReport, () => process.exit(0));
}
