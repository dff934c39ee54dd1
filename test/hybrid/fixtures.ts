// Tiny hand-written recommenders for the hybrid tests.
import { createIdIndex, type Id } from "../../src/core/id-index.ts";
import type { Recommender } from "../../src/recommend/types.ts";
import fc from "fast-check";

export interface FixedSpec {
  readonly name: string;
  readonly users: readonly Id[];
  readonly items: readonly Id[];
  /** Scores per user (item order of `items`). */
  readonly scores: readonly (readonly number[])[];
  /** Seen item indices per user (ascending). */
  readonly seen?: readonly (readonly number[])[];
  /** Fallback scores (item order), with source `${name}-fallback`. */
  readonly fallback?: readonly number[];
}

/** A recommender with fixed scores per user, fixed seen items and an optional constant fallback. */
export function fixed(spec: FixedSpec): Recommender {
  const fallbackScores = spec.fallback;
  return {
    name: spec.name,
    users: createIdIndex(spec.users),
    items: createIdIndex(spec.items),
    scoreUser(user, out) {
      out.set(spec.scores[user]!);
    },
    seenItems(user) {
      return spec.seen?.[user] ?? [];
    },
    ...(fallbackScores !== undefined
      ? {
          fallback: {
            source: `${spec.name}-fallback`,
            scoreInto(_user: Id, out: Float64Array) {
              out.set(fallbackScores);
            },
          },
        }
      : {}),
  };
}

/**
 * Component A: users u1, u2; items a, b, c; u1 scores [1, 2, 3] and has seen a; u2 scores [3, 3, 0]; no fallback.
 * Component B: users u1, u3; items d, c, b (another order, d not in A); u1 scores [4, 0, 2]; u3 [1, 1, 1] and has
 * seen d; fallback [1, 2, 3] (d 1, c 2, b 3).
 * Hybrid items (union, first seen): a, b, c, d; users u1, u2, u3.
 */
export const componentA: Recommender = fixed({
  name: "A",
  users: ["u1", "u2"],
  items: ["a", "b", "c"],
  scores: [
    [1, 2, 3],
    [3, 3, 0],
  ],
  seen: [[0], []],
});

export const componentB: Recommender = fixed({
  name: "B",
  users: ["u1", "u3"],
  items: ["d", "c", "b"],
  scores: [
    [4, 0, 2],
    [1, 1, 1],
  ],
  seen: [[], [0]],
  fallback: [1, 2, 3],
});

/** A random component over users u0, u1 and a random subset of items i0..i6 (some scores NaN, some items seen). */
export const componentArb = (name: string) =>
  fc
    .record({
      order: fc.shuffledSubarray(["i0", "i1", "i2", "i3", "i4", "i5", "i6"], { minLength: 1 }),
      seed: fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: Number.NaN, freq: 6 }), { minLength: 14, maxLength: 14 }),
      seen: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
    })
    .map(({ order, seed, seen }) =>
      fixed({
        name,
        users: ["u0", "u1"],
        items: order,
        scores: [0, 1].map((u) => order.map((_, i) => seed[u * 7 + i]!)),
        seen: [0, 1].map((u) => order.flatMap((_, i) => (seen[u * 7 + i] ? [i] : []))),
      }),
    );
