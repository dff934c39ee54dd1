// The Python peers (Surprise, implicit, numpy) run beside nextbest in the same bench run, on the same machine
// (../shared/peers/README.md). One child `python3 bench/peers/peer_server.py` per suite answers JSON-line commands, so
// a suite can time nextbest and the peer alternately (A, B, A, B ...) and report medians of both from one run.
// When the peers are not built the suite still runs: `startPeers` returns the reason and the peer columns stay empty.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { CsrMatrix } from "../src/linalg/index.ts";
import { consume } from "./lib.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const server = path.join(here, "peers", "peer_server.py");
/** Where build-peers.sh put the peers: NEXTBEST_PEERS_DIR, or ../peers-build beside the repository. */
const peersDir = process.env.NEXTBEST_PEERS_DIR ?? path.resolve(here, "../../peers-build");
/** Scratch folder for the binary files both sides read (gitignored). */
export const exchangeDir = path.resolve(here, "../.tmp/bench-peers");

/** One answer of the peer server: `wall`/`cpu` seconds for timed commands, plus command-specific fields. */
export interface PeerAnswer {
  ok: boolean;
  error?: string;
  wall?: number;
  cpu?: number;
  [field: string]: unknown;
}

/** A running peer server. */
export interface Peers {
  /** Versions of what loaded (numpy always; surprise/implicit when built), or `<name>_error`. */
  versions: Record<string, string>;
  has(peer: "numpy" | "surprise" | "implicit"): boolean;
  /** Sends one command and waits for its answer; throws when the peer reports an error. */
  run(command: Record<string, unknown>): Promise<PeerAnswer>;
  close(): void;
}

/** Starts the peer server, or returns the reason it cannot run (printed by the suite, stored in its protocol). */
export async function startPeers(): Promise<Peers | { unavailable: string }> {
  const python = process.env.NEXTBEST_PEERS_PYTHON ?? "/usr/bin/python3";
  if (!existsSync(python)) return { unavailable: `${python} not found` };
  const probe = spawnSync(python, ["-c", "import numpy"], { encoding: "utf8" });
  if (probe.status !== 0) return { unavailable: `numpy does not import in ${python} (apt-get install python3-numpy)` };
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const pythonPath = [path.join(peersDir, "surprise"), path.join(peersDir, "implicit")].filter((dir) => existsSync(dir));
  if (pythonPath.length > 0) env.PYTHONPATH = [...pythonPath, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const child: ChildProcessWithoutNullStreams = spawn(python, [server], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  child.on("exit", () => {
    for (const resolve of waiting.splice(0)) resolve(JSON.stringify({ ok: false, error: `peer server exited: ${stderr.trim().slice(-500)}` }));
  });
  const run = async (command: Record<string, unknown>): Promise<PeerAnswer> => {
    const line = await new Promise<string>((resolve) => {
      waiting.push(resolve);
      child.stdin.write(JSON.stringify(command) + "\n");
    });
    const answer = JSON.parse(line) as PeerAnswer;
    if (!answer.ok) throw new Error(`peer ${String(command.cmd)}: ${answer.error}`);
    return answer;
  };
  const versions = (await run({ cmd: "available" })) as unknown as Record<string, string>;
  delete (versions as Record<string, unknown>).ok;
  mkdirSync(exchangeDir, { recursive: true });
  return {
    versions,
    has: (peer) => typeof versions[peer] === "string",
    run,
    close: () => child.stdin.end(),
  };
}

/** Writes a CSR matrix (values as float32) for the peer and loads it there under `name`. */
export async function sendCsr(peers: Peers, name: string, matrix: CsrMatrix): Promise<void> {
  const base = path.join(exchangeDir, name);
  writeFileSync(`${base}.indptr`, Buffer.from(Int32Array.from(matrix.indptr).buffer));
  writeFileSync(`${base}.indices`, Buffer.from(Int32Array.from(matrix.indices).buffer));
  writeFileSync(`${base}.values`, Buffer.from(Float32Array.from(matrix.values).buffer));
  await peers.run({ cmd: "load_csr", name, rows: matrix.rows, cols: matrix.cols, indptr: `${base}.indptr`, indices: `${base}.indices`, values: `${base}.values` });
}

/** Writes a row-major factor table as float32 and returns its path. */
export function writeTable(name: string, data: Float32Array | Float64Array): string {
  const file = path.join(exchangeDir, `${name}.f32`);
  writeFileSync(file, Buffer.from(Float32Array.from(data).buffer));
  return file;
}

/** Wall and CPU seconds of one call. */
export interface Timing {
  wall: number;
  cpu: number;
}

/** Times one synchronous nextbest call: wall clock and this process's CPU time (user + system). */
export function timeOurs(fn: () => unknown): Timing {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  consume(fn());
  const wall = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** Medians of wall and CPU time over samples. */
export function medianTiming(samples: Timing[]): Timing {
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

/**
 * Times nextbest and a peer alternately, `repetitions` times each (ours first, then the peer, then ours ...), and
 * returns the medians. With no peer (`peer` undefined) only ours is timed.
 */
export async function interleaved(
  repetitions: number,
  ours: () => unknown,
  peer?: () => Promise<PeerAnswer>,
): Promise<{ ours: Timing; peer?: Timing | undefined }> {
  const oursSamples: Timing[] = [];
  const peerSamples: Timing[] = [];
  for (let r = 0; r < repetitions; r++) {
    oursSamples.push(timeOurs(ours));
    if (peer !== undefined) {
      const answer = await peer();
      peerSamples.push({ wall: answer.wall!, cpu: answer.cpu! });
    }
  }
  return { ours: medianTiming(oursSamples), peer: peer === undefined ? undefined : medianTiming(peerSamples) };
}
