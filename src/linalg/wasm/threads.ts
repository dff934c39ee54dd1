// Worker threads for the WebAssembly kernels: one shared WebAssembly memory per computation, the kernels module
// instantiated over it in the calling thread and in each worker, and a small control block in a SharedArrayBuffer
// through which the calling thread hands each worker the arguments of one kernel call and blocks (Atomics.wait) until
// all are done. Synchronous for the caller, so fits keep their synchronous API. Not exported by the barrel.
//
// Where it runs: Node (worker_threads, reached through process.getBuiltinModule so that no bundle imports a Node
// module) with SharedArrayBuffer and shared WebAssembly memory. Elsewhere (browsers, whose main thread may not block;
// runtimes without those) availableThreads() is 1 and callers run single-threaded.
//
// The workers are started once (about 60 ms each) and kept, idle and unreferenced (they never keep a process alive),
// for the next computation: a pool of threads, never of data. Each computation posts its own memory to the workers it
// uses, which instantiate the kernels over it, and tells them to drop it when done, so nothing of one computation
// outlives it or reaches another. One computation uses the pool at a time; a nested one (a progress callback that fits
// another model) starts workers of its own for its duration.
import { NextbestError } from "../../core/errors.ts";
import { KERNELS_WASM_BASE64, SHARED_MEMORY_FLAG, SHARED_MEMORY_FLAG_OFFSET } from "./kernels-wasm.ts";
import { arenaOf, borrowKernelArena, compileModule, layOut, PAGE, type KernelArena, type KernelExports, type WasmMemory, type WasmModule } from "./simd.ts";

declare const WebAssembly: {
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
};
declare const process: { getBuiltinModule?: (name: string) => unknown } | undefined;

interface NodeWorker {
  unref(): void;
  terminate(): unknown;
}
interface NodeMessagePort {
  postMessage(value: unknown): void;
  unref(): void;
  close(): void;
}
interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true; workerData: unknown; transferList: unknown[] }) => NodeWorker;
  MessageChannel: new () => { port1: NodeMessagePort; port2: NodeMessagePort };
}
interface NodeOs {
  availableParallelism?: () => number;
  cpus(): readonly unknown[];
}

/** The kernels a worker can run, by command number. */
const COMMANDS = ["alsConjugateGradientRows", "scoreChunkedF32", "neighborRowsDot", "selectTopKRowsF32", "gemmF64"] as const;

/** A kernel a worker can run. */
export type ThreadCommand = (typeof COMMANDS)[number];

// Commands other than a kernel's number.
const STOP = -1;
const ATTACH = -2; // instantiate the kernels over the memory waiting on the worker's port
const DETACH = -3; // drop the instance (and with it the memory)

// Control block, Int32 slots: DONE (workers finished this round), FAILED, READY (workers started); then per worker w
// (from 1) its generation at SLOT + 2w and its command at SLOT + 2w + 1; float64 arguments from HEADER_BYTES, ARGUMENTS
// per worker.
const DONE = 0;
const FAILED = 1;
const READY = 2;
const SLOT = 4;
const ARGUMENTS = 16;

/** How long the workers may take to start before the computation runs single-threaded instead. */
const START_TIMEOUT_MS = 5_000;

/** The most threads a computation may ask for. */
const MAX_THREADS = 256;
const HEADER_BYTES = 4 * (SLOT + 2 * MAX_THREADS);

// The worker: waits for its generation to change, then runs its command, until told to stop. Failures are counted,
// never left hanging: the calling thread checks FAILED after each round.
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { kernelsModule, control, index, commands, port } = workerData;
const ctl = new Int32Array(control, 0, ${SLOT + 2 * MAX_THREADS});
const args = new Float64Array(control, ${HEADER_BYTES});
const generation = ${SLOT} + 2 * index;
let kernels;
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(ctl, generation, seen);
  seen = Atomics.load(ctl, generation);
  const command = Atomics.load(ctl, generation + 1);
  if (command === ${STOP}) break;
  try {
    if (command === ${ATTACH}) {
      const memory = receiveMessageOnPort(port).message;
      kernels = new WebAssembly.Instance(kernelsModule, { env: { memory, exp: Math.exp } }).exports;
    } else if (command === ${DETACH}) {
      kernels = undefined;
    } else {
      const a = Array.from(args.subarray(index * ${ARGUMENTS}, (index + 1) * ${ARGUMENTS}));
      kernels[commands[command]](...a);
    }
  } catch {
    Atomics.add(ctl, ${FAILED}, 1);
  }
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

let sharedModule: WasmModule | null | undefined;

/** Node's worker_threads and os modules, when this runtime has them and can share WebAssembly memory. */
function nodeThreads(): { workerThreads: NodeWorkerThreads; os: NodeOs } | undefined {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") return undefined;
  if (typeof process !== "object" || process === null || typeof process.getBuiltinModule !== "function") return undefined;
  const workerThreads = process.getBuiltinModule("node:worker_threads") as NodeWorkerThreads | undefined;
  const os = process.getBuiltinModule("node:os") as NodeOs | undefined;
  if (workerThreads === undefined || os === undefined) return undefined;
  // the kernels module with its memory import marked shared (the one byte in which the two differ)
  sharedModule ??= compileModule(KERNELS_WASM_BASE64, [SHARED_MEMORY_FLAG_OFFSET, SHARED_MEMORY_FLAG]);
  return sharedModule === null ? undefined : { workerThreads, os };
}

/**
 * The threads a computation can use here: the available cores in Node (with SharedArrayBuffer and shared
 * WebAssembly memory), 1 elsewhere.
 */
export function availableThreads(): number {
  const node = nodeThreads();
  if (node === undefined) return 1;
  const cores = typeof node.os.availableParallelism === "function" ? node.os.availableParallelism() : node.os.cpus().length;
  return Math.max(1, Math.floor(cores));
}

/** A kernel arena over shared memory with running workers. */
export interface ThreadedArena extends KernelArena {
  /** Threads in all, the calling one included. */
  readonly threads: number;
  /**
   * Runs `command` once per thread, thread t with arguments `argumentsPerThread[t]` (the calling thread takes index
   * 0), and returns when all are done. Throws when a worker failed.
   */
  run(command: ThreadCommand, argumentsPerThread: readonly (readonly number[])[]): void;
  /** Detaches the workers from the memory (they stay for the next computation, or stop if they were its own). */
  close(): void;
}

/** Started workers and their control block. */
interface Pool {
  readonly workers: { worker: NodeWorker; port: NodeMessagePort }[];
  readonly ctl: Int32Array;
  readonly args: Float64Array;
  readonly control: SharedArrayBuffer;
  busy: boolean;
}

let pool: Pool | undefined;

function newPool(): Pool {
  const control = new SharedArrayBuffer(HEADER_BYTES + 8 * ARGUMENTS * MAX_THREADS);
  return { workers: [], ctl: new Int32Array(control, 0, SLOT + 2 * MAX_THREADS), args: new Float64Array(control, HEADER_BYTES), control, busy: false };
}

/** Starts workers until `target` of `p` are ready (false when they fail or time out: the pool is then unusable). */
function grow(p: Pool, target: number, node: { workerThreads: NodeWorkerThreads }): boolean {
  try {
    while (p.workers.length < target) {
      const index = p.workers.length + 1;
      const { port1, port2 } = new node.workerThreads.MessageChannel();
      const worker = new node.workerThreads.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { kernelsModule: sharedModule, control: p.control, index, commands: COMMANDS, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      p.workers.push({ worker, port: port1 });
    }
  } catch {
    return false;
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let ready = Atomics.load(p.ctl, READY); ready < target; ready = Atomics.load(p.ctl, READY)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(p.ctl, READY, ready, left);
  }
  return Atomics.load(p.ctl, FAILED) === 0;
}

/** Stops every worker of `p`. */
function stop(p: Pool): void {
  p.workers.forEach((_, w) => send(p, w + 1, STOP));
  for (const { worker, port } of p.workers) {
    port.close();
    worker.terminate();
  }
}

/** Sets worker w's command and wakes it. */
function send(p: Pool, w: number, command: number): void {
  Atomics.store(p.ctl, SLOT + 2 * w + 1, command);
  Atomics.add(p.ctl, SLOT + 2 * w, 1);
  Atomics.notify(p.ctl, SLOT + 2 * w);
}

/** Sends `command` to workers 1 .. count and waits until they are done; false when one failed. */
function round(p: Pool, count: number, command: number, during?: () => void): boolean {
  Atomics.store(p.ctl, DONE, 0);
  for (let w = 1; w <= count; w++) send(p, w, command);
  during?.();
  for (let done = Atomics.load(p.ctl, DONE); done < count; done = Atomics.load(p.ctl, DONE)) Atomics.wait(p.ctl, DONE, done);
  return Atomics.load(p.ctl, FAILED) === 0;
}

/**
 * A kernel arena over a fresh shared memory holding `sizes`, with `threads − 1` workers attached to it and ready, or
 * undefined when this runtime cannot run them or they do not start in time (the caller then runs single-threaded).
 */
export function createThreadedArena(sizes: ReadonlyMap<string, number>, threads: number): ThreadedArena | undefined {
  const node = nodeThreads();
  if (node === undefined || threads < 2 || threads > MAX_THREADS) return undefined;
  const layout = layOut(sizes);
  if (layout === undefined) return undefined;
  const pages = Math.max(1, Math.ceil(layout.total / PAGE));
  let memory: WasmMemory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
  // The kept pool when it is free, else (a nested computation) workers of this computation's own.
  const own = pool === undefined || pool.busy ? newPool() : undefined;
  const p = own ?? pool!;
  if (!grow(p, threads - 1, node)) {
    stop(p);
    if (p === pool) pool = undefined;
    return undefined;
  }
  if (own !== undefined && pool === undefined) pool = own;
  const kept = p === pool;
  p.busy = true;
  const workers = threads - 1;
  // A pool whose worker failed is stopped, not kept (its FAILED count stays set).
  const release = (): void => {
    if (kept && Atomics.load(p.ctl, FAILED) === 0 && round(p, workers, DETACH)) {
      p.busy = false;
      return;
    }
    stop(p);
    if (p === pool) pool = undefined;
  };
  for (let w = 0; w < workers; w++) p.workers[w]!.port.postMessage(memory);
  if (!round(p, workers, ATTACH)) {
    release();
    return undefined;
  }
  let kernels: KernelExports;
  try {
    kernels = new WebAssembly.Instance(sharedModule!, { env: { memory, exp: Math.exp } }).exports as KernelExports;
  } catch {
    release(); // never leave the pool marked busy
    return undefined;
  }
  const arena = arenaOf({ ...kernels, memory } as KernelExports, layout);
  let open = true;
  return {
    ...arena,
    threads,
    run(command, argumentsPerThread) {
      for (let t = 1; t < threads; t++) {
        p.args.fill(0, t * ARGUMENTS, (t + 1) * ARGUMENTS);
        p.args.set(argumentsPerThread[t]!, t * ARGUMENTS);
      }
      const ok = round(p, workers, COMMANDS.indexOf(command), () => (kernels[command] as (...values: number[]) => void)(...argumentsPerThread[0]!));
      if (!ok) {
        throw new NextbestError("E_BAD_INPUT", `${command}: a worker thread failed (out of memory?); run with threads: 1`);
      }
    },
    close() {
      if (!open) return;
      open = false;
      release();
    },
  };
}

/** The arena of one computation from {@link openKernelArena}. */
export interface ComputationArena {
  readonly arena: KernelArena;
  /** The threaded arena when workers run, else undefined (one thread). */
  readonly threaded: ThreadedArena | undefined;
  /** Threads in all: `threaded.threads`, or 1. */
  readonly threads: number;
  /** Stops the workers or gives the borrowed memory back; call it once, also on error. */
  close(): void;
}

/**
 * The memory of one computation: `shared` regions, plus each `perThread` region once per thread (named with the
 * thread's number: `scratch0`, `scratch1`, ...). With `threads` > 1 a threaded arena when its workers start, else a
 * borrowed one-thread arena (zeroed) holding the thread-0 regions; undefined where the kernels cannot run here.
 */
export function openKernelArena(
  shared: ReadonlyMap<string, number>,
  perThread: ReadonlyMap<string, number>,
  threads: number,
): ComputationArena | undefined {
  const sizes = (count: number): Map<string, number> => {
    const all = new Map(shared);
    for (let t = 0; t < count; t++) for (const [name, bytes] of perThread) all.set(`${name}${t}`, bytes);
    return all;
  };
  const threaded = threads > 1 ? createThreadedArena(sizes(threads), threads) : undefined;
  if (threaded !== undefined) return { arena: threaded, threaded, threads: threaded.threads, close: () => threaded.close() };
  const lent = borrowKernelArena(sizes(1), { zero: true });
  return lent === undefined ? undefined : { arena: lent, threaded: undefined, threads: 1, close: () => lent.release() };
}
