/**
 * Reciprocal rank fusion: a hybrid that combines the components' rankings, not their scores.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkName, alignComponents, componentScores, unionSeen, type ScoreSource } from "./shared.ts";
import { checkComponents, checkOptions, combinedRecommender, type HybridComponent } from "./blend.ts";
import type { Recommender } from "../recommend/types.ts";
import type { CombineState } from "./state.ts";

/**
 * Options of {@link reciprocalRankFusion}.
 *
 * @category hybrid
 */
export interface RrfOptions {
  /** The rank offset k of 1 / (k + rank): larger k flattens the advantage of top ranks. A finite number >= 0. @defaultValue 60 */
  k?: number;
  /** The hybrid's `name`. @defaultValue "rrf" */
  name?: string;
}

/**
 * Reciprocal rank fusion: `score(item) = Σ_c weight_c / (k + rank_c(item))`, where `rank_c` is the item's 1-based
 * rank in component c's list for the user.
 *
 * Cormack, Clarke & Büttcher (2009), "Reciprocal rank fusion outperforms Condorcet and individual rank learning
 * methods", SIGIR; k = 60 as there. Only the order of each component's scores matters, so the fusion is invariant to
 * any strictly increasing transform of a component's scores and needs no normalisation.
 * - Ranks: per component, over the items it scores (not NaN) for the user, best first, ties by the component's item
 *   index; the user's seen items (the union over components) are ranked after all unseen ones, so the ranks of
 *   recommendable items are those of the component's own recommendation list. An item a component does not score
 *   contributes 0; an item no component scores is NaN.
 * - Users, items, seen items, unknown users and the `"hybrid"` fallback as {@link blendRecommenders}.
 * - Per-component parts: {@link explainBlend} (the part is 1 / (k + rank)).
 *
 * Complexity: `scoreUser` O(Σ_c (scoreUser_c + n_c log n_c)); construction O(Σ users + Σ items).
 *
 * @param components - the components with names and weights (at least one)
 * @param options - k and name
 * @returns the fused recommender
 * @throws {@link core!NextbestError} as {@link blendRecommenders}, and `E_BAD_INPUT` for a k that is not a finite number >= 0
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { recommend, type Recommender } from "nextbest/recommend";
 * import { reciprocalRankFusion } from "nextbest/hybrid";
 * const fixed = (name: string, scores: number[]): Recommender => ({
 *   name, users: createIdIndex(["acme"]), items: createIdIndex(["a", "b", "c"]),
 *   scoreUser(_user, out) { out.set(scores); }, seenItems() { return []; },
 * });
 * // ranks: cf a 1, b 2, c 3; content b 1, c 2, a 3 → b scores 1/2 + 1/1 with k = 0
 * const fused = reciprocalRankFusion(
 *   [{ name: "cf", recommender: fixed("cf", [0.9, 0.5, 0.1]), weight: 1 },
 *    { name: "content", recommender: fixed("content", [1, 300, 20]), weight: 1 }],
 *   { k: 0 },
 * );
 * recommend(fused, "acme", { k: 3 }).items.map((r) => [r.item, r.score]);
 * // => [["b", 1.5], ["a", 1 + 1 / 3], ["c", 1 / 3 + 1 / 2]]
 * ```
 * @category hybrid
 */
export function reciprocalRankFusion(components: readonly HybridComponent[], options: RrfOptions = {}): Recommender {
  const fn = "reciprocalRankFusion";
  checkComponents(fn, components);
  checkOptions(fn, options);
  const k = options.k ?? 60;
  if (typeof k !== "number" || !Number.isFinite(k) || k < 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.k must be a finite number >= 0, got ${describeValue(k)}`);
  }
  const name = options.name ?? "rrf";
  checkName(fn, "options.name", name);
  const alignment = alignComponents(fn, components);
  const parts = alignment.components;
  const itemCount = alignment.items.ids.length;
  const raw = parts.map((c) => new Float64Array(c.recommender.items.ids.length));
  const fused = parts.map((c) => new Float64Array(c.recommender.items.ids.length));
  const order = new Int32Array(Math.max(0, ...raw.map((r) => r.length)));
  const seenMask = new Uint8Array(itemCount);
  const weights = Float64Array.from(components, (c) => c.weight);
  const fill = new Float64Array(parts.length);
  const sources: ScoreSource[] = parts.map(() => "none");
  const scored = new Uint8Array(itemCount);
  const state: CombineState = {
    alignment,
    weights,
    raw,
    parts: fused,
    fill,
    sources,
    combine(user, userId, out, history) {
      out.fill(0);
      scored.fill(0);
      seenMask.fill(0);
      if (user >= 0) {
        const seen = unionSeen(parts, user);
        for (let j = 0; j < seen.length; j++) seenMask[seen[j]!] = 1;
      }
      for (let c = 0; c < parts.length; c++) {
        const part = parts[c]!;
        const scores = raw[c]!;
        const reciprocal = fused[c]!;
        sources[c] = componentScores(part, user, userId, scores, history);
        const map = part.itemMap;
        let m = 0;
        for (let i = 0; i < scores.length; i++) {
          reciprocal[i] = Number.NaN;
          if (scores[i] === scores[i]) order[m++] = i;
        }
        const ranked = order.subarray(0, m);
        ranked.sort((x, y) => seenMask[map[x]!]! - seenMask[map[y]!]! || scores[y]! - scores[x]! || x - y);
        for (let r = 0; r < m; r++) reciprocal[ranked[r]!] = 1 / (k + r + 1);
        const w = weights[c]!;
        for (let i = 0; i < scores.length; i++) {
          const v = reciprocal[i]!;
          if (v !== v) continue;
          const h = map[i]!;
          out[h] = out[h]! + w * v;
          scored[h] = 1;
        }
      }
      for (let h = 0; h < itemCount; h++) if (scored[h] === 0) out[h] = Number.NaN;
    },
  };
  return combinedRecommender(fn, name, state, {});
}
