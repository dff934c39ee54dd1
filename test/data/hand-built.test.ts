// Issue 15, "hand-built data": every fit checks an Interactions argument it did not build itself in full (offsets,
// indices, values, timestamps, the transpose), and a dataset nextbest built passes in O(1) through its brand.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextbestError } from "../../src/core/errors.ts";
import { createInteractions, splitRandom, type Interactions } from "../../src/data/index.ts";
import { denseFromRows } from "../../src/linalg/index.ts";
import { fitBiases, fitPopularity, fitRandom } from "../../src/baselines/index.ts";
import { fitEase, fitItemItemImplicit, fitItemKnn, fitRp3Beta, fitUserKnn } from "../../src/neighbors/index.ts";
import { fitBpr, fitImplicitAls, fitMatrixFactorization, fitSvdPlusPlus } from "../../src/factorization/index.ts";
import { fitBuyAgain, fitRepeatPurchases } from "../../src/repeat/index.ts";
import { fitContentRecommender, fitLookAlikeModel } from "../../src/content/index.ts";

const DAY = 86_400;
const base = createInteractions([
  { user: "a", item: "x", value: 4, timestamp: 0 * DAY },
  { user: "a", item: "y", value: 2, timestamp: 100 * DAY },
  { user: "b", item: "x", value: 5, timestamp: 200 * DAY },
  { user: "b", item: "z", value: 1, timestamp: 300 * DAY },
  { user: "c", item: "y", value: 3, timestamp: 400 * DAY },
  { user: "a", item: "x", value: 1, timestamp: 350 * DAY },
]);

const catalog = { ids: ["x", "y", "z"], features: denseFromRows([[1, 0], [0, 1], [1, 1]]) };
const accounts = { ids: ["a", "b", "c"], features: denseFromRows([[1, 0], [0, 1], [1, 1]]) };

const fits: ReadonlyArray<readonly [string, (data: Interactions) => unknown]> = [
  ["fitPopularity", (d) => fitPopularity(d)],
  ["fitRandom", (d) => fitRandom(d, { seed: 1 })],
  ["fitBiases", (d) => fitBiases(d)],
  ["fitItemKnn", (d) => fitItemKnn(d)],
  ["fitUserKnn", (d) => fitUserKnn(d)],
  ["fitItemItemImplicit", (d) => fitItemItemImplicit(d)],
  ["fitEase", (d) => fitEase(d)],
  ["fitRp3Beta", (d) => fitRp3Beta(d)],
  ["fitImplicitAls", (d) => fitImplicitAls(d, { factors: 2, iterations: 2 })],
  ["fitBpr", (d) => fitBpr(d, { factors: 2, epochs: 2, seed: 1 })],
  ["fitMatrixFactorization", (d) => fitMatrixFactorization(d, { factors: 2, epochs: 2, seed: 1 })],
  ["fitSvdPlusPlus", (d) => fitSvdPlusPlus(d, { factors: 2, epochs: 2, seed: 1 })],
  ["fitRepeatPurchases", (d) => fitRepeatPurchases(d)],
  ["fitBuyAgain", (d) => fitBuyAgain(d)],
  ["fitContentRecommender", (d) => fitContentRecommender(d, catalog)],
  ["fitLookAlikeModel", (d) => fitLookAlikeModel(d, accounts)],
];

/** A plain (unbranded) copy of `data` with some of its arrays replaced. */
function handBuilt(data: Interactions, change: (copy: { byUser: Interactions["byUser"]; byItem: Interactions["byItem"]; timestamps: Float64Array | undefined }) => void): Interactions {
  const copy = {
    users: data.users,
    items: data.items,
    byUser: { ...data.byUser, indptr: data.byUser.indptr.slice(), indices: data.byUser.indices.slice(), values: data.byUser.values.slice() },
    byItem: { ...data.byItem, indptr: data.byItem.indptr.slice(), indices: data.byItem.indices.slice(), values: data.byItem.values.slice() },
    timestamps: data.timestamps?.slice(),
    ...(data.events === undefined ? {} : { events: data.events }),
  };
  change(copy);
  return copy;
}

const broken: ReadonlyArray<readonly [string, Interactions, string, RegExp]> = [
  ["a NaN value", handBuilt(base, (c) => { c.byUser.values[1] = Number.NaN; }), "E_NON_FINITE", /byUser\.values\[1\] \(user row 0\) must be finite, got NaN/],
  ["an infinite value", handBuilt(base, (c) => { c.byUser.values[0] = Number.POSITIVE_INFINITY; }), "E_NON_FINITE", /byUser\.values\[0\]/],
  ["an item index out of range", handBuilt(base, (c) => { c.byUser.indices[1] = 7; }), "E_BAD_INPUT", /byUser\.indices\[1\] \(user row 0\) must be a item index in \[0, 2\], got 7/],
  ["a negative item index", handBuilt(base, (c) => { c.byUser.indices[0] = -1; }), "E_BAD_INPUT", /got -1/],
  ["unsorted indices", handBuilt(base, (c) => { c.byUser.indices[0] = 1; c.byUser.indices[1] = 0; }), "E_BAD_INPUT", /must increase within a row/],
  ["a decreasing indptr", handBuilt(base, (c) => { c.byUser.indptr[2] = 1; }), "E_BAD_INPUT", /indptr must never decrease/],
  ["indptr not starting at 0", handBuilt(base, (c) => { c.byUser.indptr[0] = 1; }), "E_BAD_INPUT", /indptr\[0\] must be 0, got 1/],
  ["a byItem that disagrees with byUser", handBuilt(base, (c) => { c.byItem.values[0] = 99; }), "E_BAD_INPUT", /byItem must be the transpose of .*byUser/],
  ["a NaN timestamp", handBuilt(base, (c) => { c.timestamps![2] = Number.NaN; }), "E_NON_FINITE", /timestamps\[2\] must be finite, got NaN/],
];

describe("hand-built Interactions are checked in full by every fit", () => {
  for (const [fn, fit] of fits) {
    it(`${fn} rejects each broken dataset, naming itself and the field`, () => {
      for (const [, data, code, message] of broken) {
        let thrown: unknown;
        try {
          fit(data);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(NextbestError);
        expect((thrown as NextbestError).code).toBe(code);
        expect((thrown as Error).message).toMatch(new RegExp(`^${fn}: interactions\\.`));
        expect((thrown as Error).message).toMatch(message);
      }
    });

    it(`${fn} accepts a valid hand-built copy (full check) and fits the same model as from the original`, () => {
      const copy = handBuilt(base, () => undefined);
      expect(JSON.stringify(fit(copy), replacer)).toBe(JSON.stringify(fit(base), replacer));
    });
  }

  it("splits name the argument they were given", () => {
    const bad = handBuilt(base, (c) => { c.byUser.values[0] = Number.NaN; });
    expect(() => splitRandom(bad, { seed: 1 })).toThrow(/^splitRandom: data\.byUser\.values\[0\]/);
  });

  it("a dataset nextbest built passes without the full check (its brand is not enumerable, so a spread copy loses it)", () => {
    expect(Object.keys(base)).not.toContain("validated");
    const spread = { ...base, byUser: { ...base.byUser, values: Float64Array.from([Number.NaN, 1, 1, 1, 1]) } };
    expect(() => fitPopularity(spread)).toThrow(/fitPopularity: interactions\.byUser\.values\[0\]/);
  });

  it("property: any corruption of one entry is either harmless (equal value) or a NextbestError, never a model", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.oneof(fc.constant(Number.NaN), fc.integer({ min: -3, max: 10 })), fc.boolean(), (position, value, corruptIndex) => {
        const data = handBuilt(base, (c) => {
          if (corruptIndex) c.byUser.indices[position] = value;
          else c.byUser.values[position] = value;
        });
        const unchanged = corruptIndex
          ? base.byUser.indices[position] === data.byUser.indices[position]
          : Object.is(base.byUser.values[position], data.byUser.values[position]);
        if (unchanged) return true;
        // A changed value is a valid dataset only if the transpose changed with it: here it did not, so always an error.
        expect(() => fitPopularity(data)).toThrow(NextbestError);
        return true;
      }),
    );
  });
});

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return [...value];
  if (ArrayBuffer.isView(value)) return Array.from(value as Float64Array);
  return value;
}
