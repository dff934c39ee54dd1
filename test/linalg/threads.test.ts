// The worker threads' timeouts (src/linalg/wasm/threads.ts): a worker that does not finish its round makes the
// computation throw instead of blocking its thread for ever, and workers that do not start in time leave every later
// computation on one thread, without a wait each. Own file: both change the module's state for the rest of the file.
import { afterEach, describe, expect, it } from "vitest";
import { availableThreads, createThreadedArena, prepareThreads, setThreadTimeoutsForTests } from "../../src/linalg/wasm/threads.ts";
import { computeNeighborLists } from "../../src/neighbors/kernel.ts";
import { createInteractions } from "../../src/data/index.ts";
import { expectError } from "../helpers.ts";
import { availableParallelism } from "node:os";

const DEFAULTS = { startMs: 5_000, roundFloorMs: 60_000, roundFactor: 100 };

/** A threaded gemm whose worker multiplies size × size matrices while the calling thread has nothing to do. */
function slowWorkerRound(size: number): void {
  const bytes = 8 * size * size;
  const arena = createThreadedArena(new Map([["A", bytes], ["B", bytes], ["C", bytes]]), 2);
  expect(arena, "Node 20 starts the workers").toBeDefined();
  const [A, B, C] = ["A", "B", "C"].map((name) => arena!.offsets.get(name)!);
  try {
    arena!.run("gemmF64", [[A!, B!, C!, 0, size, size, 0], [A!, B!, C!, size, size, size, 0]]);
  } finally {
    arena!.close();
  }
}

describe("worker thread timeouts", () => {
  afterEach(() => setThreadTimeoutsForTests(DEFAULTS));

  it("a round whose worker does not finish in time throws, and the next computation gets fresh workers", () => {
    // the defaults leave a slow worker all the time it needs
    slowWorkerRound(512);
    // a 1 ms limit: the worker's 512³ multiply-adds take longer, so the calling thread stops waiting and says why
    setThreadTimeoutsForTests({ roundFloorMs: 1, roundFactor: 0 });
    expectError(() => slowWorkerRound(512), "E_BAD_INPUT", "gemmF64: a worker thread failed or stopped answering");
    setThreadTimeoutsForTests(DEFAULTS);
    // the lost pool was stopped; a new one serves the next computation with the one-thread result
    const data = createInteractions(Array.from({ length: 200 }, (_, q) => ({ user: `u${q % 17}`, item: `i${(q * 7) % 23}` })));
    const input = { rows: data.byItem, columns: data.byUser, rowValues: data.byItem.values, columnValues: data.byUser.values, mode: "dot" as const, minSupport: 1, shrinkage: 0, stored: 3, positiveOnly: true, threadedMinPairs: 0 };
    const alone = computeNeighborLists({ ...input, threads: 1 });
    const two = computeNeighborLists({ ...input, threads: 2 });
    expect(Array.from(two.indices)).toEqual(Array.from(alone.indices));
    expect(createThreadedArena(new Map([["x", 16]]), 2)?.threads).toBe(2);
  });

  it("workers that do not start in time leave this and every later computation on one thread, with the same result", async () => {
    const data = createInteractions(Array.from({ length: 200 }, (_, q) => ({ user: `u${q % 19}`, item: `i${(q * 5) % 29}` })));
    const input = { rows: data.byItem, columns: data.byUser, rowValues: data.byItem.values, columnValues: data.byUser.values, mode: "dot" as const, minSupport: 1, shrinkage: 0, stored: 4, positiveOnly: true, threadedMinPairs: 0 };
    const alone = computeNeighborLists({ ...input, threads: 1 });
    // a start limit of 0 ms: the workers a 5-thread computation needs beyond the kept pool cannot be ready in time
    setThreadTimeoutsForTests({ startMs: 0 });
    expect(createThreadedArena(new Map([["x", 16]]), 5)).toBeUndefined();
    // remembered: no later computation starts workers, nor waits for them
    expect(availableThreads()).toBe(1);
    expect(await prepareThreads(4)).toBe(1);
    expect(createThreadedArena(new Map([["x", 16]]), 2)).toBeUndefined();
    expect(Array.from(computeNeighborLists({ ...input, threads: 4 }).indices)).toEqual(Array.from(alone.indices));
    // and forgotten when the test hook resets it
    setThreadTimeoutsForTests(DEFAULTS);
    expect(availableThreads()).toBe(availableParallelism());
  });
});
