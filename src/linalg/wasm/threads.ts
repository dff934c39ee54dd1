// Worker threads for the WebAssembly kernels: one shared WebAssembly memory, the kernels module instantiated over it
// in the calling thread and in each worker, and a small control block in a SharedArrayBuffer through which the
// calling thread hands every worker the arguments of one kernel call and blocks (Atomics.wait) until all are done.
// Synchronous for the caller, so fits keep their synchronous API. Not exported by the barrel.
//
// Where it runs: Node (worker_threads, reached through process.getBuiltinModule so that no bundle imports a Node
// module) with SharedArrayBuffer and shared WebAssembly memory. Elsewhere (browsers, whose main thread may not block;
// runtimes without those) availableThreads() is 1 and callers run single-threaded. Workers live for one computation:
// started by createThreadedArena, stopped by close().
import { NextbestError } from "../../core/errors.ts";
import { SHARED_KERNELS_WASM_BASE64 } from "./kernels-shared-wasm.ts";
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
interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}
interface NodeOs {
  availableParallelism?: () => number;
  cpus(): readonly unknown[];
}

/** The kernels a worker can run, by command number. */
const COMMANDS = ["alsConjugateGradientRows", "scoreChunkedF32", "neighborRowsDot"] as const;

/** A kernel a worker can run. */
export type ThreadCommand = (typeof COMMANDS)[number];

// Control block: Int32 slots, then ARGUMENTS float64 arguments per thread.
const GENERATION = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const COMMAND = 4;
const HEADER_BYTES = 64;
const ARGUMENTS = 16;

/** How long the workers may take to start before the computation runs single-threaded instead. */
const START_TIMEOUT_MS = 5_000;

// The worker: instantiates the kernels over the shared memory, then runs one command per generation until told to
// stop (command −1). Failures are counted, never left hanging: the calling thread checks FAILED after each call.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { kernelsModule, memory, control, index, commands } = workerData;
const ctl = new Int32Array(control, 0, 16);
const args = new Float64Array(control, ${HEADER_BYTES});
let kernels;
try {
  kernels = new WebAssembly.Instance(kernelsModule, { env: { memory, exp: Math.exp } }).exports;
} catch {
  Atomics.add(ctl, ${FAILED}, 1);
}
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${GENERATION}, seen);
  seen = Atomics.load(ctl, ${GENERATION});
  const command = Atomics.load(ctl, ${COMMAND});
  if (command < 0) break;
  try {
    const a = Array.from(args.subarray(index * ${ARGUMENTS}, (index + 1) * ${ARGUMENTS}));
    kernels[commands[command]](...a);
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
  sharedModule ??= compileModule(SHARED_KERNELS_WASM_BASE64);
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
  /** Stops the workers. */
  close(): void;
}

/**
 * A kernel arena over a shared memory holding `sizes`, with `threads − 1` workers started and ready, or undefined when
 * this runtime cannot run them or they do not start in time (the caller then runs single-threaded).
 */
export function createThreadedArena(sizes: ReadonlyMap<string, number>, threads: number): ThreadedArena | undefined {
  const node = nodeThreads();
  if (node === undefined || threads < 2) return undefined;
  const layout = layOut(sizes);
  if (layout === undefined) return undefined;
  const pages = Math.max(1, Math.ceil(layout.total / PAGE));
  let memory: WasmMemory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
  const module = sharedModule!;
  const kernels = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp } }).exports as KernelExports;
  const control = new SharedArrayBuffer(HEADER_BYTES + 8 * ARGUMENTS * threads);
  const ctl = new Int32Array(control, 0, 16);
  const args = new Float64Array(control, HEADER_BYTES);
  const workers: NodeWorker[] = [];
  const stop = (): void => {
    Atomics.store(ctl, COMMAND, -1);
    Atomics.add(ctl, GENERATION, 1);
    Atomics.notify(ctl, GENERATION);
    for (const worker of workers) worker.unref();
  };
  try {
    for (let w = 1; w < threads; w++) {
      workers.push(new node.workerThreads.Worker(WORKER_SOURCE, { eval: true, workerData: { kernelsModule: module, memory, control, index: w, commands: COMMANDS } }));
    }
  } catch {
    stop();
    return undefined;
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let ready = Atomics.load(ctl, READY); ready < threads - 1; ready = Atomics.load(ctl, READY)) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    Atomics.wait(ctl, READY, ready, left);
  }
  if (Atomics.load(ctl, READY) < threads - 1 || Atomics.load(ctl, FAILED) > 0) {
    stop();
    for (const worker of workers) worker.terminate();
    return undefined;
  }
  const arena = arenaOf({ ...kernels, memory } as KernelExports, layout);
  return {
    ...arena,
    threads,
    run(command, argumentsPerThread) {
      for (let t = 1; t < threads; t++) {
        args.fill(0, t * ARGUMENTS, (t + 1) * ARGUMENTS);
        args.set(argumentsPerThread[t]!, t * ARGUMENTS);
      }
      Atomics.store(ctl, DONE, 0);
      Atomics.store(ctl, COMMAND, COMMANDS.indexOf(command));
      Atomics.add(ctl, GENERATION, 1);
      Atomics.notify(ctl, GENERATION);
      (kernels[command] as (...values: number[]) => void)(...argumentsPerThread[0]!);
      for (let done = Atomics.load(ctl, DONE); done < threads - 1; done = Atomics.load(ctl, DONE)) Atomics.wait(ctl, DONE, done);
      if (Atomics.load(ctl, FAILED) > 0) {
        throw new NextbestError("E_BAD_INPUT", `${command}: a worker thread failed (out of memory?); run with threads: 1`);
      }
    },
    close: stop,
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
