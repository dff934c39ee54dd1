// Test helpers for the model contract: a hand-written Recommender over fixed scores (so these tests import no model)
// and a sort-based reference of recommend().
import { createIdIndex, type Id } from "../../src/core/id-index.ts";
import type { Recommender, RecommendedItem } from "../../src/recommend/index.ts";

export interface FixedSpec {
  users: Id[];
  items: Id[];
  /** scores[u][i]; NaN allowed. */
  scores: number[][];
  /** seen[u]: ascending item indices. */
  seen: number[][];
  /** Fallback scores for unknown users, or undefined for none. */
  fallback?: number[];
}

/** A Recommender over fixed score rows; counts calls so tests can check buffer reuse. */
export function fixedRecommender(spec: FixedSpec): Recommender & { calls: Float64Array[] } {
  const calls: Float64Array[] = [];
  const base = {
    name: "fixed",
    users: createIdIndex(spec.users, { duplicates: "error" }),
    items: createIdIndex(spec.items, { duplicates: "error" }),
    calls,
    scoreUser(user: number, out: Float64Array): void {
      calls.push(out);
      out.set(spec.scores[user]!);
    },
    seenItems(user: number): ArrayLike<number> {
      return spec.seen[user]!;
    },
  };
  const fallbackScores = spec.fallback;
  if (fallbackScores === undefined) return base;
  return {
    ...base,
    fallback: {
      source: "fixed-fallback",
      scoreInto(_user: Id, out: Float64Array): void {
        calls.push(out);
        out.set(fallbackScores);
      },
    },
  };
}

export interface ReferenceOptions {
  k: number;
  excludeSeen: boolean;
  allow?: Id[] | undefined;
  deny?: Id[] | undefined;
}

/** recommend() by brute force: filter, sort by (score desc, index asc), take k. */
export function referenceTopK(
  items: Id[],
  scores: number[],
  seen: number[],
  options: ReferenceOptions,
): RecommendedItem[] {
  const allow = options.allow === undefined ? undefined : new Set(options.allow);
  const deny = new Set(options.deny ?? []);
  const seenSet = new Set(options.excludeSeen ? seen : []);
  const eligible: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const id = items[i]!;
    if (allow !== undefined && !allow.has(id)) continue;
    if (deny.has(id)) continue;
    if (seenSet.has(i)) continue;
    if (Number.isNaN(scores[i]!)) continue;
    eligible.push(i);
  }
  eligible.sort((a, b) => (scores[b]! - scores[a]!) || a - b);
  return eligible.slice(0, options.k).map((i, r) => ({ item: items[i]!, score: scores[i]!, rank: r + 1 }));
}
