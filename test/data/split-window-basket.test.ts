import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  createInteractions,
  interactionCount,
  interactionsToRows,
  splitBasketCompletion,
  splitTemporalWindow,
  type InteractionRow,
} from "../../src/data/index.ts";
import { expectError } from "../helpers.ts";

const key = (r: InteractionRow): string => JSON.stringify([r.user, r.item]);

const rowsArbitrary = fc.array(
  fc.record({
    user: fc.constantFrom("acme", "bolt", "__proto__", "crux"),
    item: fc.integer({ min: 0, max: 6 }),
    timestamp: fc.integer({ min: 0, max: 40 }),
  }),
  { minLength: 1, maxLength: 60 },
);

describe("splitTemporalWindow", () => {
  it("tests exactly the window's rows of known pairs, and newPairs are the test pairs train never had", () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 15 }), (rows, cutoff, width) => {
        fc.pre(rows.some((r) => r.timestamp < cutoff));
        const end = cutoff + width;
        const split = splitTemporalWindow(createInteractions(rows), { cutoff, end });
        const before = rows.filter((r) => r.timestamp < cutoff);
        const trainPairs = new Set(before.map(key));
        const trainUsers = new Set(before.map((r) => r.user));
        const trainItems = new Set(before.map((r) => r.item));
        const window = rows.filter((r) => r.timestamp >= cutoff && r.timestamp < end && trainUsers.has(r.user) && trainItems.has(r.item));
        const testRows = interactionsToRows(split.test);
        expect(new Set(testRows.map(key))).toEqual(new Set(window.map(key)));
        for (const r of testRows) {
          const count = window.filter((w) => key(w) === key(r)).length;
          expect(r.value).toBe(count);
        }
        const newKeys = new Set(interactionsToRows(split.newPairs).map(key));
        expect(newKeys).toEqual(new Set(window.map(key).filter((k) => !trainPairs.has(k))));
        expect(split.newPairs.users).toBe(split.test.users);
        expect(interactionCount(split.train)).toBe(trainPairs.size);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("rejects a missing cut-off, an end not after it and data without timestamps", () => {
    const data = createInteractions([{ user: "a", item: "x", timestamp: 1 }]);
    expectError(() => splitTemporalWindow(data, {} as never), "E_BAD_INPUT", "splitTemporalWindow: options.cutoff must be a number, got undefined");
    expectError(() => splitTemporalWindow(data, { cutoff: 5, end: 5 }), "E_BAD_INPUT", "options.end must be a number after options.cutoff (5)");
    expectError(() => splitTemporalWindow(createInteractions([{ user: "a", item: "x" }]), { cutoff: 5 }), "E_BAD_INPUT", "data must have timestamps");
  });
});

const basketsArbitrary = fc.array(
  fc.record({ user: fc.integer({ min: 0, max: 12 }), item: fc.integer({ min: 0, max: 8 }), timestamp: fc.integer({ min: 0, max: 20 }) }),
  { minLength: 1, maxLength: 80 },
);

describe("splitBasketCompletion", () => {
  it("hides exactly `hide` items of each eligible basket, loses no row, and repeats for a seed", () => {
    fc.assert(
      fc.property(basketsArbitrary, fc.integer(), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 20 }), (rows, seed, hide, from) => {
        // One timestamp per basket, as an invoice has.
        const timed = rows.map((r) => ({ ...r, timestamp: r.user }));
        const baskets = createInteractions(timed);
        fc.pre(interactionCount(baskets) > 0);
        let split;
        try {
          split = splitBasketCompletion(baskets, { seed, hide, minBasketSize: hide + 1, from, coldStart: "keep" });
        } catch {
          return; // every row hidden: E_EMPTY is the documented answer
        }
        const sizes = new Map<string, number>();
        for (const r of interactionsToRows(baskets)) sizes.set(String(r.user), (sizes.get(String(r.user)) ?? 0) + 1);
        const hidden = new Map<string, number>();
        for (const r of interactionsToRows(split.test)) hidden.set(String(r.user), (hidden.get(String(r.user)) ?? 0) + 1);
        for (const [basket, size] of sizes) {
          const eligible = size >= hide + 1 && Number(basket) >= from;
          expect(hidden.get(basket) ?? 0).toBe(eligible ? hide : 0);
        }
        expect(interactionCount(split.train) + interactionCount(split.test)).toBe(interactionCount(baskets));
        expect(splitBasketCompletion(baskets, { seed, hide, minBasketSize: hide + 1, from, coldStart: "keep" })).toEqual(split);
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  it("rejects a missing seed, hide >= minBasketSize and `from` without timestamps", () => {
    const baskets = createInteractions([{ user: "i1", item: "a" }, { user: "i1", item: "b" }]);
    expectError(() => splitBasketCompletion(baskets, {} as never), "E_BAD_INPUT", "splitBasketCompletion: options.seed");
    expectError(() => splitBasketCompletion(baskets, { seed: 1, hide: 2 }), "E_BAD_INPUT", "options.hide must be below options.minBasketSize (2)");
    expectError(() => splitBasketCompletion(baskets, { seed: 1, from: 3 }), "E_BAD_INPUT", "baskets must have timestamps");
  });
});
