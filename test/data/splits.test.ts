import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import {
  alignToTrain,
  createInteractions,
  interactionCount,
  interactionsToRows,
  splitByUser,
  splitKFold,
  splitLeaveLastOut,
  splitRandom,
  splitTemporal,
  userItems,
  type InteractionRow,
  type Interactions,
  type InteractionsSplit,
} from "../../src/data/index.ts";
import { errorOf } from "../helpers.ts";


const key = (r: InteractionRow): string => JSON.stringify([r.user, r.item]);

function entries(data: Interactions): Map<string, InteractionRow> {
  const out = new Map<string, InteractionRow>();
  for (const r of interactionsToRows(data)) out.set(key(r), r);
  return out;
}

/** Checks the split's contract against its source; `coverAll` when nothing may be dropped. */
function checkSplit(data: Interactions, split: InteractionsSplit, coldStart: "drop" | "keep"): void {
  const all = entries(data);
  const train = entries(split.train);
  const test = entries(split.test);
  // Disjoint, and every entry comes unchanged from the source.
  for (const [k, row] of train) {
    expect(test.has(k)).toBe(false);
    expect(all.get(k)).toEqual(row);
  }
  for (const [k, row] of test) expect(all.get(k)).toEqual(row);
  expect(train.size + test.size + split.droppedTestInteractions).toBe(all.size);
  // Train's indexes hold exactly the ids with a train interaction, in source order.
  const trainUsers = new Set([...train.values()].map((r) => r.user));
  const trainItems = new Set([...train.values()].map((r) => r.item));
  expect(split.train.users.ids).toEqual(data.users.ids.filter((id) => trainUsers.has(id)));
  expect(split.train.items.ids).toEqual(data.items.ids.filter((id) => trainItems.has(id)));
  // Test shares train's index spaces: same prefix, cold ids appended only under "keep".
  expect(split.test.users.ids.slice(0, split.train.users.ids.length)).toEqual(split.train.users.ids);
  expect(split.test.items.ids.slice(0, split.train.items.ids.length)).toEqual(split.train.items.ids);
  if (coldStart === "drop") {
    expect(split.test.users).toBe(split.train.users);
    expect(split.test.items).toBe(split.train.items);
  } else {
    expect(split.droppedTestInteractions).toBe(0);
    expect(split.test.users.ids.slice(split.train.users.ids.length)).toEqual(split.coldUsers);
    expect(split.test.items.ids.slice(split.train.items.ids.length)).toEqual(split.coldItems);
  }
  for (const id of split.coldUsers) expect(trainUsers.has(id)).toBe(false);
  for (const id of split.coldItems) expect(trainItems.has(id)).toBe(false);
}

const rowsArbitrary = (minLength: number): fc.Arbitrary<InteractionRow[]> =>
  fc.array(
    fc.record({
      user: fc.oneof(fc.integer({ min: 0, max: 7 }), fc.constantFrom("__proto__", "constructor", "")),
      item: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom("__proto__", "x")),
      value: fc.integer({ min: 1, max: 5 }),
      timestamp: fc.integer({ min: 0, max: 50 }),
    }),
    { minLength, maxLength: 80 },
  );

const coldStartArbitrary = fc.constantFrom<"drop" | "keep">("drop", "keep");

const propertyOptions = { seed: 42, numRuns: 100 };

describe("split contracts (properties)", () => {
  it("splitRandom covers the data, is disjoint, shares index spaces and repeats for the same seed", () => {
    fc.assert(
      fc.property(rowsArbitrary(2), coldStartArbitrary, fc.integer(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (rows, coldStart, seed, testFraction) => {
        const data = createInteractions(rows);
        const split = splitRandom(data, { seed, testFraction, coldStart });
        checkSplit(data, split, coldStart);
        const n = interactionCount(data);
        expect(interactionCount(split.test) + split.droppedTestInteractions).toBe(Math.min(Math.round(testFraction * n), n - 1));
        expect(splitRandom(data, { seed, testFraction, coldStart })).toEqual(split);
      }),
      propertyOptions,
    );
  });

  it("splitByUser covers the data, never makes a user cold and holds out clamp(round(f·m), 1, m-1) per user", () => {
    fc.assert(
      fc.property(rowsArbitrary(1), coldStartArbitrary, fc.integer(), fc.integer({ min: 2, max: 5 }), (rows, coldStart, seed, minInteractions) => {
        const data = createInteractions(rows);
        const split = splitByUser(data, { seed, testFraction: 0.3, minInteractions, coldStart: "keep" });
        checkSplit(data, split, "keep");
        expect(split.coldUsers).toEqual([]);
        for (const user of data.users.ids) {
          const m = userItems(data, user).items.length;
          const expected = m < minInteractions ? 0 : Math.min(Math.max(Math.round(0.3 * m), 1), m - 1);
          const inTest = split.test.users.lookup.has(user) ? userItems(split.test, user).items.length : 0;
          expect(inTest).toBe(expected);
        }
        const dropped = splitByUser(data, { seed, testFraction: 0.3, minInteractions, coldStart });
        checkSplit(data, dropped, coldStart);
        expect(splitByUser(data, { seed, testFraction: 0.3, minInteractions, coldStart })).toEqual(dropped);
      }),
      propertyOptions,
    );
  });

  it("random splits differ for another seed on non-trivial data", () => {
    fc.assert(
      fc.property(rowsArbitrary(60), fc.integer(), (rows, seed) => {
        const data = createInteractions(rows);
        fc.pre(interactionCount(data) >= 40);
        const testKeys = (s: InteractionsSplit): string[] => [...entries(s.test).keys()].sort();
        const a = splitRandom(data, { seed, coldStart: "keep" });
        const b = splitRandom(data, { seed: seed + 1, coldStart: "keep" });
        expect(testKeys(a)).not.toEqual(testKeys(b));
        const c = splitByUser(data, { seed, coldStart: "keep" });
        const d = splitByUser(data, { seed: seed + 1, coldStart: "keep" });
        expect(testKeys(c)).not.toEqual(testKeys(d));
        const e = splitKFold(data, { seed, folds: 3, coldStart: "keep" });
        const f = splitKFold(data, { seed: seed + 1, folds: 3, coldStart: "keep" });
        expect(testKeys(e[0]!)).not.toEqual(testKeys(f[0]!));
      }),
      { seed: 42, numRuns: 50 },
    );
  });

  it("splitKFold test sets partition the interactions and each fold's train is the rest", () => {
    fc.assert(
      fc.property(rowsArbitrary(3), fc.integer(), fc.integer({ min: 2, max: 6 }), (rows, seed, requested) => {
        const data = createInteractions(rows);
        const n = interactionCount(data);
        const folds = Math.min(requested, n);
        fc.pre(folds >= 2);
        const split = splitKFold(data, { seed, folds, coldStart: "keep" });
        expect(split.length).toBe(folds);
        const seen = new Map<string, number>();
        const sizes: number[] = [];
        for (const fold of split) {
          checkSplit(data, fold, "keep");
          sizes.push(interactionCount(fold.test));
          for (const k of entries(fold.test).keys()) seen.set(k, (seen.get(k) ?? 0) + 1);
        }
        expect(seen.size).toBe(n);
        for (const count of seen.values()) expect(count).toBe(1);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        const dropped = splitKFold(data, { seed, folds, coldStart: "drop" });
        for (const fold of dropped) checkSplit(data, fold, "drop");
        expect(splitKFold(data, { seed, folds, coldStart: "drop" })).toEqual(dropped);
      }),
      propertyOptions,
    );
  });

  it("splitTemporal cuts the rows, not the merged pairs: each side equals the dataset built from its own rows", () => {
    fc.assert(
      fc.property(
        rowsArbitrary(1),
        coldStartArbitrary,
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom<"sum" | "last" | "max">("sum", "last", "max"),
        (rows, coldStart, cutoff, duplicates) => {
          fc.pre(rows.some((r) => r.timestamp! < cutoff));
          const data = createInteractions(rows, { duplicates });
          const split = splitTemporal(data, { cutoff, coldStart });
          expect(split.cutoff).toBe(cutoff);
          const before = rows.filter((r) => r.timestamp! < cutoff);
          const after = rows.filter((r) => r.timestamp! >= cutoff);
          const expectedTrain = entries(createInteractions(before, { duplicates }));
          expect(entries(split.train)).toEqual(expectedTrain);
          const trainUsers = new Set(before.map((r) => r.user));
          const trainItems = new Set(before.map((r) => r.item));
          const expectedTest = after.length === 0 ? new Map<string, InteractionRow>() : entries(createInteractions(after, { duplicates }));
          let dropped = 0;
          if (coldStart === "drop") {
            for (const [k, r] of expectedTest) {
              if (!trainUsers.has(r.user) || !trainItems.has(r.item)) {
                expectedTest.delete(k);
                dropped++;
              }
            }
          }
          expect(entries(split.test)).toEqual(expectedTest);
          expect(split.droppedTestInteractions).toBe(dropped);
          // Train's indexes hold exactly the ids with a train row, in source order; test shares them.
          expect(split.train.users.ids).toEqual(data.users.ids.filter((id) => trainUsers.has(id)));
          expect(split.train.items.ids).toEqual(data.items.ids.filter((id) => trainItems.has(id)));
          expect(split.test.users.ids.slice(0, split.train.users.ids.length)).toEqual(split.train.users.ids);
          if (coldStart === "keep") expect(split.test.users.ids.slice(split.train.users.ids.length)).toEqual(split.coldUsers);
          // Events survive the split: train's events are exactly the rows before the cut-off.
          expect(split.train.events!.timestamps.length).toBe(before.length);
        },
      ),
      propertyOptions,
    );
  });

  it("splitLeaveLastOut holds out each eligible user's latest interactions", () => {
    fc.assert(
      fc.property(rowsArbitrary(1), fc.integer({ min: 1, max: 3 }), (rows, count) => {
        const data = createInteractions(rows);
        const split = splitLeaveLastOut(data, { count, coldStart: "keep" });
        checkSplit(data, split, "keep");
        for (const user of data.users.ids) {
          const mine = userItems(data, user);
          const inTest = split.test.users.lookup.has(user) ? userItems(split.test, user) : undefined;
          if (mine.items.length <= count) {
            expect(inTest?.items.length ?? 0).toBe(0);
            continue;
          }
          expect(inTest!.items.length).toBe(count);
          const trainTimes = userItems(split.train, user).timestamps!;
          const latestTrain = Math.max(...trainTimes);
          for (const t of inTest!.timestamps!) expect(t).toBeGreaterThanOrEqual(latestTrain);
        }
      }),
      propertyOptions,
    );
  });
});

describe("hand-computed splits", () => {
  const data = createInteractions([
    { user: "acme", item: "crm", value: 1, timestamp: 10 },
    { user: "acme", item: "erp", value: 2, timestamp: 20 },
    { user: "acme", item: "hr", value: 3, timestamp: 30 },
    { user: "globex", item: "crm", value: 4, timestamp: 15 },
    { user: "globex", item: "erp", value: 5, timestamp: 40 },
    { user: "initech", item: "ai", value: 6, timestamp: 50 },
  ]);

  it("splitTemporal with a cut-off drops the cold user and item and reports them", () => {
    const split = splitTemporal(data, { cutoff: 30 });
    expect(interactionsToRows(split.train).map(key)).toEqual(
      [["acme", "crm"], ["acme", "erp"], ["globex", "crm"]].map((p) => JSON.stringify(p)),
    );
    expect(split.train.users.ids).toEqual(["acme", "globex"]);
    expect(split.train.items.ids).toEqual(["crm", "erp"]);
    expect(interactionsToRows(split.test)).toEqual([{ user: "globex", item: "erp", value: 5, timestamp: 40 }]);
    expect(split.coldUsers).toEqual(["initech"]);
    expect(split.coldItems).toEqual(["hr", "ai"]);
    expect(split.droppedTestInteractions).toBe(2);
  });

  it("splitTemporal keeps a pair bought before and after the cut-off in train (regression: it went to test only)", () => {
    // acme bought crm on days 10 and 40; merged, the pair's timestamp is 40. Splitting the merged pair sent it to test
    // only, so crm counted as a product new to acme after the cut-off and was missing from its training history.
    const repeat = createInteractions([
      { user: "acme", item: "crm", value: 1, timestamp: 10 },
      { user: "acme", item: "erp", value: 2, timestamp: 20 },
      { user: "acme", item: "crm", value: 3, timestamp: 40 },
      { user: "globex", item: "crm", value: 4, timestamp: 35 },
    ]);
    const split = splitTemporal(repeat, { cutoff: 30 });
    expect(interactionsToRows(split.train)).toEqual([
      { user: "acme", item: "crm", value: 1, timestamp: 10 },
      { user: "acme", item: "erp", value: 2, timestamp: 20 },
    ]);
    expect(interactionsToRows(split.test)).toEqual([{ user: "acme", item: "crm", value: 3, timestamp: 40 }]);
    expect(split.coldUsers).toEqual(["globex"]);
    expect(Array.from(split.train.events!.timestamps)).toEqual([10, 20]);
  });

  it("splitTemporal keeps cold ids appended after train's when asked", () => {
    const split = splitTemporal(data, { cutoff: 30, coldStart: "keep" });
    expect(split.test.users.ids).toEqual(["acme", "globex", "initech"]);
    expect(split.test.items.ids).toEqual(["crm", "erp", "hr", "ai"]);
    expect(interactionCount(split.test)).toBe(3);
    expect(split.droppedTestInteractions).toBe(0);
  });

  it("splitTemporal by fraction takes the quantile timestamp and never splits ties", () => {
    expect(splitTemporal(data, { testFraction: 0.5 }).cutoff).toBe(30);
    const tied = createInteractions([
      { user: 1, item: 1, timestamp: 1 },
      { user: 1, item: 2, timestamp: 2 },
      { user: 2, item: 1, timestamp: 2 },
      { user: 2, item: 2, timestamp: 3 },
    ]);
    const split = splitTemporal(tied, { testFraction: 0.5, coldStart: "keep" });
    expect(split.cutoff).toBe(2);
    expect(interactionCount(split.test)).toBe(3);
  });

  it("splitLeaveLastOut holds out each user's latest interaction and keeps short histories in train", () => {
    const split = splitLeaveLastOut(data, { count: 1, coldStart: "keep" });
    expect(userItems(split.test, "acme").items).toEqual(["hr"]);
    expect(userItems(split.test, "globex").items).toEqual(["erp"]);
    expect(userItems(split.train, "initech").items).toEqual(["ai"]);
    expect(split.coldItems).toEqual(["hr"]);
    const strict = splitLeaveLastOut(data, { count: 1 });
    expect(interactionsToRows(strict.test)).toEqual([{ user: "globex", item: "erp", value: 5, timestamp: 40 }]);
    expect(strict.droppedTestInteractions).toBe(1);
  });

  it("splitLeaveLastOut breaks equal timestamps by item index", () => {
    const tied = createInteractions([
      { user: "u", item: "b", timestamp: 5 },
      { user: "u", item: "a", timestamp: 5 },
      { user: "u", item: "c", timestamp: 1 },
      { user: "v", item: "a", timestamp: 0 },
      { user: "v", item: "b", timestamp: 0 },
    ]);
    expect(userItems(splitLeaveLastOut(tied, { coldStart: "keep" }).test, "u").items).toEqual(["a"]);
    expect(userItems(splitLeaveLastOut(tied, { coldStart: "keep" }).test, "v").items).toEqual(["a"]);
  });

  it("alignToTrain maps a separately built test set into train's index spaces", () => {
    const train = createInteractions([{ user: "a", item: "x" }, { user: "b", item: "y" }]);
    const test = createInteractions([{ user: "c", item: "x" }, { user: "b", item: "x" }, { user: "b", item: "z" }]);
    const split = alignToTrain(train, test, { coldStart: "keep" });
    expect(split.train).toBe(train);
    expect(split.test.users.ids).toEqual(["a", "b", "c"]);
    expect(split.test.items.ids).toEqual(["x", "y", "z"]);
    expect(split.coldUsers).toEqual(["c"]);
    expect(split.coldItems).toEqual(["z"]);
    const dropped = alignToTrain(train, test);
    expect(interactionsToRows(dropped.test)).toEqual([{ user: "b", item: "x", value: 1 }]);
    expect(dropped.droppedTestInteractions).toBe(2);
  });

  it("does not mutate the source dataset", () => {
    const before = structuredClone(interactionsToRows(data));
    splitRandom(data, { seed: 1 });
    splitKFold(data, { seed: 1, folds: 3 });
    splitLeaveLastOut(data);
    expect(interactionsToRows(data)).toEqual(before);
  });
});

describe("split errors", () => {
  const noTime = createInteractions([{ user: 1, item: 1 }, { user: 1, item: 2 }]);
  const timed = createInteractions([{ user: 1, item: 1, timestamp: 1 }, { user: 1, item: 2, timestamp: 2 }]);

  it("name the option that is wrong", () => {
    const fraction = errorOf(() => splitRandom(noTime, { seed: 1, testFraction: 1 }));
    expect(fraction.code).toBe("E_BAD_INPUT");
    expect(fraction.message).toBe("splitRandom: options.testFraction must be a number in (0, 1), got 1");
    expect(errorOf(() => splitRandom(noTime, { seed: 1, testFraction: Number.NaN })).code).toBe("E_NON_FINITE");
    expect(errorOf(() => splitRandom(noTime, {} as never)).message).toBe(
      "splitRandom: options.seed must be a finite number or a string, got undefined",
    );
    expect(errorOf(() => splitRandom(noTime, { seed: 1, coldStart: "warm" as "keep" })).message).toContain("options.coldStart");
    expect(errorOf(() => splitByUser(noTime, { seed: 1, minInteractions: 1 })).message).toContain("options.minInteractions");
    expect(errorOf(() => splitKFold(noTime, { seed: 1, folds: 3 })).message).toBe(
      "splitKFold: options.folds must be an integer in [2, 2] (the number of interactions), got 3",
    );
    expect(errorOf(() => splitLeaveLastOut(timed, { count: 0 })).message).toContain("options.count");
    expect(errorOf(() => splitLeaveLastOut(timed, { count: 2, minInteractions: 2 })).message).toContain("options.minInteractions");
    expect(errorOf(() => splitTemporal(timed, { cutoff: 1, testFraction: 0.5 })).message).toContain("not both");
    expect(errorOf(() => splitRandom({} as Interactions, { seed: 1 })).message).toContain("splitRandom: data must be an Interactions dataset");
  });

  it("require timestamps for the time-based splits", () => {
    const temporal = errorOf(() => splitTemporal(noTime, { cutoff: 1 }));
    expect(temporal.code).toBe("E_BAD_INPUT");
    expect(temporal.message).toBe("splitTemporal: data must have timestamps, got a dataset without them");
    expect(errorOf(() => splitLeaveLastOut(noTime)).code).toBe("E_BAD_INPUT");
  });

  it("reject a cut-off that leaves train empty with E_EMPTY", () => {
    const error = errorOf(() => splitTemporal(timed, { cutoff: 0 }));
    expect(error.code).toBe("E_EMPTY");
    expect(error.message).toContain("splitTemporal: the train set must hold at least one interaction");
  });
});
