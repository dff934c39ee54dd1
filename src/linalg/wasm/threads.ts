// Worker threads for the WebAssembly kernels: one shared WebAssembly memory per computation, the kernels module
// instantiated over it in the calling thread and in each worker, and a small control block in a SharedArrayBuffer
// through which the calling thread hands each worker the arguments of one kernel call and blocks (Atomics.wait) until
// all are done, or, when one stops answering, until a bounded wait runs out and it throws. Synchronous for the caller,
// so fits keep their synchronous API. Not exported by the barrel.
//
// Where it runs: Node and Deno (worker_threads, reached through process.getBuiltinModule so that no bundle imports a
// Node module), and browsers inside a Web Worker of a cross-origin-isolated page (nested Web Workers from a Blob URL;
// SharedArrayBuffer needs the isolation, and only a worker may block). Elsewhere (a page's main thread, runtimes
// without SharedArrayBuffer) availableThreads() is 1 and callers run single-threaded.
//
// The workers are started once (about 60 ms each in Node) and kept, idle and unreferenced (they never keep a process
// alive), for the next computation: a pool of threads, never of data. Each computation posts its own memory to the
// workers it uses, which instantiate the kernels over it, and tells them to drop it when done, so nothing of one
// computation outlives it or reaches another. One computation uses the pool at a time; a nested one (a progress
// callback that fits another model) starts workers of its own for its duration.
import { NextbestError } from "../../core/errors.ts";
import { KERNELS_WASM_BASE64, SHARED_MEMORY_FLAG, SHARED_MEMORY_FLAG_OFFSET } from "./kernels-wasm.ts";
import { arenaOf, borrowKernelArena, compileModule, layOut, PAGE, type KernelArena, type KernelExports, type WasmMemory, type WasmModule } from "./simd.ts";

declare const WebAssembly: {
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
};
declare const process: { getBuiltinModule?: (name: string) => unknown } | undefined;
declare function setTimeout(callback: () => void, milliseconds: number): unknown;
declare const performance: { now(): number };

interface NodeWorker {
  unref(): void;
  terminate(): unknown;
  postMessage(value: unknown): void;
}
interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true }) => NodeWorker;
}
interface NodeOs {
  availableParallelism?: () => number;
  cpus(): readonly unknown[];
}
/** The browser globals a Web Worker host needs (declared here: the core modules use neither DOM nor Node types). */
interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  WorkerGlobalScope?: abstract new () => unknown;
  self?: unknown;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => { postMessage(value: unknown): void; terminate(): void };
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL?: { createObjectURL?(blob: unknown): string };
}

/** A started worker, whatever the runtime. */
interface HostWorker {
  post(message: unknown): void;
  stop(): void;
}

/** How this runtime starts workers and how many cores it has. */
interface ThreadHost {
  readonly cores: number;
  /**
   * Whether a worker can start while the calling thread blocks (Node: yes; browsers: no, a nested Web Worker starts
   * only once its parent returns to its event loop, so they are started ahead by {@link prepareThreads}).
   */
  readonly startsWhileBlocked: boolean;
  start(): HostWorker;
}

/** The kernels a worker can run, by command number. */
const COMMANDS = [
  "alsConjugateGradientRows", "scoreChunkedF32", "neighborRowsDot", "selectTopKRowsF32", "gemmF64", "gemvManyF32F64",
] as const;

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

/**
 * How long the workers may take to start before the computation runs single-threaded instead. When they do not start
 * in time, no later computation of this process tries again (each would wait as long): all run on one thread.
 */
let startTimeoutMs = 5_000;

/**
 * How long the calling thread waits for the workers to finish one round: 100 times what its own share took, and at
 * least a minute. A worker that has not finished by then is taken for lost (killed by its host, say); the computation
 * then stops its workers and throws, rather than blocking its thread for ever.
 */
let roundTimeoutFloorMs = 60_000;
let roundTimeoutFactor = 100;

/** Set when workers failed to start in time: every later computation runs on one thread. */
let startFailed = false;

/**
 * For tests only (the barrel does not export it): sets the start timeout and the round timeout's floor and factor
 * (each left as it is when undefined), and forgets a failed start.
 */
export function setThreadTimeoutsForTests(timeouts: { startMs?: number; roundFloorMs?: number; roundFactor?: number }): void {
  startTimeoutMs = timeouts.startMs ?? startTimeoutMs;
  roundTimeoutFloorMs = timeouts.roundFloorMs ?? roundTimeoutFloorMs;
  roundTimeoutFactor = timeouts.roundFactor ?? roundTimeoutFactor;
  startFailed = false;
}

/** The most threads a computation may ask for. */
const MAX_THREADS = 256;
const HEADER_BYTES = 4 * (SLOT + 2 * MAX_THREADS);

// The worker: waits for its generation to change, then runs its command, until told to stop. Failures are counted,
// never left hanging: the calling thread checks FAILED after each round. A new memory arrives as a message, so on
// ATTACH the worker leaves its waiting loop for its event loop, takes the message, instantiates the kernels over the
// memory and waits again. The same code runs in Node (parentPort) and in browsers (a Web Worker's onmessage).
const WORKER_CORE = `
let kernels, module, commands, ctl, args, index, generation, seen = 0;
function handle(data) {
  if (data.init !== undefined) {
    ({ module, commands, index } = data.init);
    ctl = new Int32Array(data.init.control, 0, ${SLOT + 2 * MAX_THREADS});
    args = new Float64Array(data.init.control, ${HEADER_BYTES});
    generation = ${SLOT} + 2 * index;
    Atomics.add(ctl, ${READY}, 1);
    Atomics.notify(ctl, ${READY});
  } else {
    try {
      kernels = new WebAssembly.Instance(module, { env: { memory: data.memory, exp: Math.exp } }).exports;
    } catch {
      Atomics.add(ctl, ${FAILED}, 1);
    }
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
  serve();
}
function serve() {
  for (;;) {
    Atomics.wait(ctl, generation, seen);
    seen = Atomics.load(ctl, generation);
    const command = Atomics.load(ctl, generation + 1);
    if (command === ${STOP}) return stop();
    if (command === ${ATTACH}) return;
    try {
      if (command === ${DETACH}) kernels = undefined;
      else kernels[commands[command]](...Array.from(args.subarray(index * ${ARGUMENTS}, (index + 1) * ${ARGUMENTS})));
    } catch {
      Atomics.add(ctl, ${FAILED}, 1);
    }
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
}
`;
const NODE_WORKER_SOURCE = `const { parentPort } = require("node:worker_threads");
const stop = () => parentPort.close();
${WORKER_CORE}
parentPort.on("message", handle);`;
const BROWSER_WORKER_SOURCE = `const stop = () => self.close();
${WORKER_CORE}
self.onmessage = (event) => handle(event.data);`;

let sharedModule: WasmModule | null | undefined;

/** The thread host of this runtime, or undefined where computations must stay on one thread. */
function threadHost(): ThreadHost | undefined {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") return undefined;
  const host = nodeHost() ?? browserHost();
  if (host === undefined) return undefined;
  // the kernels module with its memory import marked shared (the one byte in which the two differ)
  sharedModule ??= compileModule(KERNELS_WASM_BASE64, [SHARED_MEMORY_FLAG_OFFSET, SHARED_MEMORY_FLAG]);
  return sharedModule === null ? undefined : host;
}

/** Node's (and Deno's) worker_threads. */
function nodeHost(): ThreadHost | undefined {
  if (typeof process !== "object" || process === null || typeof process.getBuiltinModule !== "function") return undefined;
  const workerThreads = process.getBuiltinModule("node:worker_threads") as NodeWorkerThreads | undefined;
  const os = process.getBuiltinModule("node:os") as NodeOs | undefined;
  if (workerThreads === undefined || os === undefined) return undefined;
  return {
    cores: typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length,
    startsWhileBlocked: true,
    start() {
      const worker = new workerThreads.Worker(NODE_WORKER_SOURCE, { eval: true });
      worker.unref();
      return { post: (message) => worker.postMessage(message), stop: () => void worker.terminate() };
    },
  };
}

/** Web Workers started from a Web Worker of a cross-origin-isolated page (a page's main thread may not block). */
function browserHost(): ThreadHost | undefined {
  const scope = globalThis as BrowserGlobals;
  const { Worker, Blob, URL, WorkerGlobalScope, navigator } = scope;
  if (scope.crossOriginIsolated !== true || WorkerGlobalScope === undefined || !(scope.self instanceof WorkerGlobalScope)) return undefined;
  if (Worker === undefined || Blob === undefined || typeof URL?.createObjectURL !== "function") return undefined;
  let source: string | undefined;
  return {
    cores: navigator?.hardwareConcurrency ?? 1,
    startsWhileBlocked: false,
    start() {
      source ??= URL.createObjectURL!(new Blob([BROWSER_WORKER_SOURCE], { type: "text/javascript" }));
      const worker = new Worker(source);
      return { post: (message) => worker.postMessage(message), stop: () => worker.terminate() };
    },
  };
}

/**
 * The threads a computation can use here, the default of every `threads` option: the available cores in Node and
 * Deno; in a Web Worker of a cross-origin-isolated page, 1 plus the workers {@link prepareThreads} has started (a
 * nested Web Worker cannot start while its parent blocks); 1 elsewhere, such as a page's main thread, where fits run
 * on one thread, and 1 from the moment workers failed to start within 5 seconds (then no computation of this process
 * waits for them again).
 *
 * @returns a positive integer
 * @example
 * ```ts
 * import { availableThreads } from "nextbest/linalg";
 * availableThreads() >= 1; // => true
 * ```
 * @category linalg
 */
export function availableThreads(): number {
  const host = threadHost();
  if (host === undefined || startFailed) return 1;
  if (host.startsWhileBlocked) return Math.max(1, Math.floor(host.cores));
  return 1 + (pool === undefined ? 0 : readyWorkers(pool));
}

/**
 * Starts the worker threads ahead of the computations that use them, and resolves when they are ready, with the
 * threads computations can now use ({@link availableThreads}). Needed in browsers, where a fit's `threads` run only
 * on workers started this way (call it once in your Web Worker, in a cross-origin-isolated page); optional in Node and
 * Deno, where it saves the first threaded fit the workers' start (about 60 ms each). Where threads are unavailable it
 * resolves with 1. Nothing else changes: results are the same for every thread count.
 *
 * @param threads - the threads wanted in all, the calling one included (default: the available cores)
 * @returns a promise of the threads computations can use
 * @example
 * ```ts
 * import { prepareThreads } from "nextbest/linalg";
 * const threads = await prepareThreads(2);
 * threads >= 1 && threads <= 2; // => true
 * ```
 * @category linalg
 */
export async function prepareThreads(threads?: number): Promise<number> {
  const host = threadHost();
  if (host === undefined || startFailed) return 1;
  const wanted = Math.min(MAX_THREADS, Math.max(1, Math.floor(threads ?? host.cores)));
  pool ??= newPool();
  const p = pool;
  try {
    while (p.workers.length < wanted - 1) startWorker(p, host);
  } catch {
    // as many as started
  }
  const deadline = Date.now() + startTimeoutMs;
  while (Atomics.load(p.ctl, READY) < p.workers.length && Date.now() < deadline) await new Promise<void>((done) => setTimeout(done, 5));
  return Math.min(wanted, 1 + readyWorkers(p));
}

/** Workers of `p` a computation may use: all when every started one is ready, else none. */
function readyWorkers(p: Pool): number {
  return Atomics.load(p.ctl, READY) >= p.workers.length && Atomics.load(p.ctl, FAILED) === 0 ? p.workers.length : 0;
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
  readonly workers: HostWorker[];
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

/** Starts one more worker of `p` (it counts itself in READY once it has its control block). */
function startWorker(p: Pool, host: ThreadHost): void {
  const worker = host.start();
  p.workers.push(worker);
  worker.post({ init: { module: sharedModule, control: p.control, index: p.workers.length, commands: COMMANDS } });
}

/**
 * Starts workers until `target` of `p` are ready (false when they fail or time out: the pool is then unusable, and
 * no later computation starts workers).
 */
function grow(p: Pool, target: number, host: ThreadHost): boolean {
  try {
    while (p.workers.length < target) startWorker(p, host);
  } catch {
    startFailed = true;
    return false;
  }
  let patience = startTimeoutMs;
  for (let ready = Atomics.load(p.ctl, READY); ready < target; ready = Atomics.load(p.ctl, READY)) {
    if (patience <= 0) {
      startFailed = true;
      return false;
    }
    patience -= waitFor(p.ctl, READY, ready, patience);
  }
  return Atomics.load(p.ctl, FAILED) === 0;
}

/** Stops every worker of `p`. */
function stop(p: Pool): void {
  p.workers.forEach((_, w) => send(p, w + 1, STOP));
  for (const worker of p.workers) worker.stop();
}

/** Sets worker w's command and wakes it. */
function send(p: Pool, w: number, command: number): void {
  Atomics.store(p.ctl, SLOT + 2 * w + 1, command);
  Atomics.add(p.ctl, SLOT + 2 * w, 1);
  Atomics.notify(p.ctl, SLOT + 2 * w);
}

/**
 * Sends `command` to workers 1 .. count, runs `during` meanwhile, and waits until they are done; false when one failed
 * or did not finish in time (then FAILED stays set, so the pool is stopped, never reused).
 */
function round(p: Pool, count: number, command: number, during?: () => void): boolean {
  Atomics.store(p.ctl, DONE, 0);
  for (let w = 1; w <= count; w++) send(p, w, command);
  const started = performance.now();
  during?.();
  let patience = Math.max(roundTimeoutFloorMs, roundTimeoutFactor * (performance.now() - started));
  for (let done = Atomics.load(p.ctl, DONE); done < count; done = Atomics.load(p.ctl, DONE)) {
    if (patience <= 0) {
      Atomics.add(p.ctl, FAILED, 1);
      return false;
    }
    patience -= waitFor(p.ctl, DONE, done, patience);
  }
  return Atomics.load(p.ctl, FAILED) === 0;
}

/**
 * Blocks while `ctl[slot]` is `value`, at most `patience` ms in slices of a second, and returns the time it counts as
 * waited: a slice that timed out, none when the value changed (each change is a worker's progress). Counted this way,
 * not read off a clock, so a clock that jumps or is faked (a test's fake timers) cannot make it wait for ever.
 */
function waitFor(ctl: Int32Array, slot: number, value: number, patience: number): number {
  const slice = Math.min(patience, 1_000);
  return Atomics.wait(ctl, slot, value, slice) === "timed-out" ? slice : 0;
}

/** The shared memory of the last threaded computation, lent zeroed to the next one that fits in it. */
let spareShared: WasmMemory | undefined;

/** The largest shared memory kept for the next computation. */
const REUSED_SHARED_BYTES = 64 * 1024 * 1024;

/**
 * A kernel arena over a fresh (or the last computation's, zeroed unless `zero` is false: for callers that write every
 * value they read) shared memory holding `sizes`, with `threads − 1` workers attached to it and ready, or
 * undefined when this runtime cannot run them or they do not start in time (the caller then runs single-threaded).
 */
export function createThreadedArena(sizes: ReadonlyMap<string, number>, threads: number, zero = true): ThreadedArena | undefined {
  const host = threadHost();
  if (host === undefined || startFailed || threads < 2 || threads > MAX_THREADS) return undefined;
  const layout = layOut(sizes);
  if (layout === undefined) return undefined;
  const pages = Math.max(1, Math.ceil(layout.total / PAGE));
  let memory: WasmMemory;
  if (spareShared !== undefined && spareShared.buffer.byteLength >= pages * PAGE) {
    // The last computation's memory, zeroed as a fresh one would be: the first write to a fresh page costs a page
    // fault, which on these virtual machines cost more than a whole scoring pass over a block of users.
    memory = spareShared;
    spareShared = undefined;
    if (zero) new Uint8Array(memory.buffer, 0, layout.total).fill(0);
  } else {
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    } catch {
      return undefined;
    }
  }
  // Browsers: only the workers prepareThreads started, when the pool is free.
  if (!host.startsWhileBlocked) {
    if (pool === undefined || pool.busy) return undefined;
    threads = Math.min(threads, 1 + readyWorkers(pool));
    if (threads < 2) return undefined;
  }
  // The kept pool when it is free, else (a nested computation) workers of this computation's own.
  const own = pool === undefined || pool.busy ? newPool() : undefined;
  const p = own ?? pool!;
  if (!grow(p, threads - 1, host)) {
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
      // Kept for the next computation when no larger one is kept already (at most REUSED_SHARED_BYTES).
      const bytes = memory.buffer.byteLength;
      if (bytes <= REUSED_SHARED_BYTES && (spareShared === undefined || spareShared.buffer.byteLength < bytes)) spareShared = memory;
      return;
    }
    stop(p);
    if (p === pool) pool = undefined;
  };
  // each worker takes its memory from this message when ATTACH sends it back to its event loop
  for (let w = 0; w < workers; w++) p.workers[w]!.post({ memory });
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
        throw new NextbestError("E_BAD_INPUT", `${command}: a worker thread failed or stopped answering; run with threads: 1`);
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
 * borrowed one-thread arena holding the thread-0 regions; undefined where the kernels cannot run here. Zeroed unless
 * `zero` is false (for callers that write every value before they read it).
 */
export function openKernelArena(
  shared: ReadonlyMap<string, number>,
  perThread: ReadonlyMap<string, number>,
  threads: number,
  zero = true,
): ComputationArena | undefined {
  const sizes = (count: number): Map<string, number> => {
    const all = new Map(shared);
    for (let t = 0; t < count; t++) for (const [name, bytes] of perThread) all.set(`${name}${t}`, bytes);
    return all;
  };
  const threaded = threads > 1 ? createThreadedArena(sizes(threads), threads, zero) : undefined;
  if (threaded !== undefined) return { arena: threaded, threaded, threads: threaded.threads, close: () => threaded.close() };
  const lent = borrowKernelArena(sizes(1), { zero });
  return lent === undefined ? undefined : { arena: lent, threaded: undefined, threads: 1, close: () => lent.release() };
}
