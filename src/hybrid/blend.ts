/**
 * The weighted-sum hybrid: per-user normalised scores of several recommenders, aligned by item id, summed with weights.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { assertOneOf } from "../internal/validate.ts";
import type { ItemHistory, Recommender } from "../recommend/types.ts";
import {
  NORMALIZATIONS,
  allScoreHistory,
  alignComponents,
  checkBuffer,
  checkName,
  checkUser,
  normalizedComponentScores,
  unionSeen,
  type AlignedComponent,
  type Normalization,
  type ScoreSource,
} from "./shared.ts";
import { register, type CombineState } from "./state.ts";

export type { Normalization } from "./shared.ts";

/**
 * What an item a component does not score for the user (not in its catalog, or NaN) contributes to a blend:
 * `"min"` — the component's smallest normalised score for that user (the item counts as that component's worst);
 * `"zero"` — 0 (neutral for z-score, worst for min-max and rank percentile).
 *
 * @category hybrid
 */
export type MissingScorePolicy = "min" | "zero";

export const MISSING: readonly MissingScorePolicy[] = ["min", "zero"];

/**
 * One component of a hybrid: a recommender on the shared contract, its name in reports and explanations, and its
 * weight.
 *
 * @category hybrid
 */
export interface HybridComponent {
  /** A unique, non-empty name, e.g. `"cf"` or `"content"`; explanations and the blend spec use it. */
  readonly name: string;
  /** The component; its users, items and catalog order may differ from the other components'. */
  readonly recommender: Recommender;
  /** The component's weight: a finite number >= 0. */
  readonly weight: number;
}

/**
 * Options of {@link blendRecommenders}.
 *
 * @category hybrid
 */
export interface BlendOptions {
  /** How each component's scores for one user are normalised before weighting, see {@link Normalization}. @defaultValue "z-score" */
  normalization?: Normalization;
  /** What an item a component does not score contributes, see {@link MissingScorePolicy}. @defaultValue "min" */
  missing?: MissingScorePolicy;
  /** The hybrid's `name`. @defaultValue "hybrid" */
  name?: string;
}

/**
 * The plain, JSON-serializable description of a blend: which named components with which weights, how normalised.
 * Rebuild the hybrid from it and the components with {@link blendFromSpec}.
 *
 * @category hybrid
 */
export interface BlendSpec {
  /** Always `"blend"`. */
  readonly kind: "blend";
  /** Format version, 1. */
  readonly version: 1;
  /** The hybrid's name. */
  readonly name: string;
  /** The normalisation. */
  readonly normalization: Normalization;
  /** The missing-score policy. */
  readonly missing: MissingScorePolicy;
  /** The components' names and weights, in order. */
  readonly components: readonly {
    /** The component's name, unique within the blend. */
    readonly name: string;
    /** Its weight in the sum of normalised scores. */
    readonly weight: number;
  }[];
}

/**
 * A blended recommender: a {@link recommend!Recommender} that also carries its {@link BlendSpec}.
 *
 * @category hybrid
 */
export interface BlendedRecommender extends Recommender {
  /** The blend's plain description (JSON-serializable). */
  readonly spec: BlendSpec;
}

/** Checks the components array (names unique and non-empty, weights finite and >= 0). */
export function checkComponents(fn: string, components: unknown, path = "components"): asserts components is readonly HybridComponent[] {
  if (!Array.isArray(components)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${path} must be an array of { name, recommender, weight }, got ${describeValue(components)}`);
  }
  if (components.length === 0) throw new NextbestError("E_EMPTY", `${fn}: ${path} must hold at least one component, got 0`);
  const names = new Set<string>();
  components.forEach((component: unknown, c) => {
    if (typeof component !== "object" || component === null) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${path}[${c}] must be an object { name, recommender, weight }, got ${describeValue(component)}`);
    }
    const { name, weight } = component as Partial<HybridComponent>;
    checkName(fn, `${path}[${c}].name`, name);
    if (names.has(name)) throw new NextbestError("E_DUPLICATE", `${fn}: ${path}[${c}].name must be unique, got ${JSON.stringify(name)} again`);
    names.add(name);
    if (typeof weight !== "number") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${path}[${c}].weight must be a number, got ${describeValue(weight)}`);
    }
    if (!Number.isFinite(weight)) {
      throw new NextbestError("E_NON_FINITE", `${fn}: ${path}[${c}].weight must be finite, got ${describeValue(weight)}`);
    }
    if (weight < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: ${path}[${c}].weight must be >= 0, got ${weight}`);
  });
}

/** The checked options of a normalised blend, with their defaults. */
export function resolveBlendOptions(
  fn: string,
  options: BlendOptions,
  path = "options",
): { normalization: Normalization; missing: MissingScorePolicy; name: string } {
  checkOptions(fn, options);
  const normalization = options.normalization ?? "z-score";
  assertOneOf(fn, `${path}.normalization`, normalization, NORMALIZATIONS);
  const missing = options.missing ?? "min";
  assertOneOf(fn, `${path}.missing`, missing, MISSING);
  const name = options.name ?? "hybrid";
  checkName(fn, `${path}.name`, name);
  return { normalization, missing, name };
}

/** The options a spec carries (normalization, missing, name), as a blend options object. */
export function specOptions(spec: { normalization?: unknown; missing?: unknown; name?: unknown }): BlendOptions {
  const options: BlendOptions = {};
  if (spec.normalization !== undefined) options.normalization = spec.normalization as Normalization;
  if (spec.missing !== undefined) options.missing = spec.missing as MissingScorePolicy;
  if (spec.name !== undefined) options.name = spec.name as string;
  return options;
}

/** Per-component scratch for normalised blends: raw and normalised scores, sort scratch, fill values, sources. */
export function scoreBuffers(parts: readonly AlignedComponent[]): {
  raw: Float64Array[];
  normalized: Float64Array[];
  sorted: Float64Array;
  fill: Float64Array;
  sources: ScoreSource[];
} {
  const raw = parts.map((c) => new Float64Array(c.recommender.items.ids.length));
  const normalized = parts.map((c) => new Float64Array(c.recommender.items.ids.length));
  const sorted = new Float64Array(Math.max(0, ...raw.map((r) => r.length)));
  return { raw, normalized, sorted, fill: new Float64Array(parts.length), sources: parts.map(() => "none") };
}

/** Options object check shared by the hybrid factories. */
export function checkOptions(fn: string, options: unknown): void {
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/**
 * Builds the recommender shared by blends and fusions around a `combine` step; registers its state for explainBlend.
 */
export function combinedRecommender<T extends object>(
  fn: string,
  name: string,
  state: CombineState,
  extra: T,
): Recommender & T {
  const { alignment } = state;
  const { users, items, components } = alignment;
  const userCount = users.ids.length;
  const itemCount = items.ids.length;
  const hasFallback = components.some((c) => c.recommender.fallback !== undefined);
  const base: Recommender = {
    name,
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUser(`${fn}.scoreUser`, user, userCount);
      checkBuffer(`${fn}.scoreUser`, out, itemCount);
      state.combine(user, users.ids[user]!, out);
    },
    seenItems(user: number): ArrayLike<number> {
      checkUser(`${fn}.seenItems`, user, userCount);
      return unionSeen(components, user);
    },
    ...(allScoreHistory(components)
      ? {
          scoreHistory(history: ItemHistory, out: Float64Array): void {
            checkBuffer(`${fn}.scoreHistory`, out, itemCount);
            state.combine(-1, "new account", out, history);
          },
        }
      : {}),
    ...(hasFallback
      ? {
          fallback: Object.freeze({
            source: "hybrid",
            scoreInto(user: Id, out: Float64Array): void {
              checkBuffer(`${fn}.fallback.scoreInto`, out, itemCount);
              state.combine(-1, user, out);
            },
          }),
        }
      : {}),
  };
  const recommender = Object.freeze(Object.assign(base, extra)) as unknown as Recommender & T;
  register(recommender, state);
  return recommender;
}

/**
 * A weighted-sum hybrid: for each user, every component's scores are normalised over the items it scores, then
 * `score(item) = Σ_c weight_c · normalised_c(item)`, with items aligned by external id.
 *
 * The usual linear score-level fusion of hybrid recommenders (Burke 2002, "weighted" hybrids; the normalisations are
 * those of score-based rank fusion, Fox & Shaw 1994 / Montague & Aslam 2001, where min-max is "CombSUM").
 * - The hybrid's items are the union of the components' catalogs, its users the union of their users (first-seen
 *   order); the id mapping is built once here, in O(Σ users + Σ items).
 * - For a user a component does not know, the component's own `fallback` scores are used; a component without a
 *   fallback then contributes 0 for every item. Users no component knows get the hybrid's `fallback` (source
 *   `"hybrid"`), which blends the components' fallbacks the same way; it exists when at least one component has one.
 * - An item a component does not score (not in its catalog, or NaN) gets `options.missing` for that component; an item
 *   no component scores is NaN (never recommended).
 * - Seen items: the union of the components' seen items for the user.
 * - With `"min-max"` or `"rank-percentile"` and weights summing to 1, every score is within [0, 1].
 * Per-component parts of a score: {@link explainBlend}. The plain description: `hybrid.spec` ({@link BlendSpec}).
 *
 * Complexity: construction O(Σ users + Σ items); `scoreUser` O(Σ_c scoreUser_c + Σ items), rank percentile adds
 * O(n log n) per component; memory 2 · Σ items float64 of scratch.
 *
 * @param components - the components with names and weights (at least one)
 * @param options - normalisation, missing-score policy, name
 * @returns the blended recommender
 * @throws {@link core!NextbestError} `E_EMPTY` for no component, `E_DUPLICATE` for a repeated name,
 *   `E_BAD_INPUT` / `E_NON_FINITE` for a bad weight, name, recommender or option
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { recommend, type Recommender } from "nextbest/recommend";
 * import { blendRecommenders } from "nextbest/hybrid";
 * const fixed = (name: string, items: string[], scores: number[]): Recommender => ({
 *   name, users: createIdIndex(["acme"]), items: createIdIndex(items),
 *   scoreUser(_user, out) { out.set(scores); }, seenItems() { return []; },
 * });
 * const cf = fixed("cf", ["a", "b", "c"], [3, 2, 1]);            // min-max: 1, 0.5, 0
 * const content = fixed("content", ["c", "b", "a"], [9, 0, 0]);  // min-max: c 1, b 0, a 0
 * const hybrid = blendRecommenders(
 *   [{ name: "cf", recommender: cf, weight: 0.5 }, { name: "content", recommender: content, weight: 0.5 }],
 *   { normalization: "min-max" },
 * );
 * recommend(hybrid, "acme", { k: 3 }).items.map((r) => [r.item, r.score]);
 * // => [["a", 0.5], ["c", 0.5], ["b", 0.25]]
 * hybrid.spec.components; // => [{ name: "cf", weight: 0.5 }, { name: "content", weight: 0.5 }]
 * ```
 * @category hybrid
 */
export function blendRecommenders(components: readonly HybridComponent[], options: BlendOptions = {}): BlendedRecommender {
  return blendFor("blendRecommenders", components, options, { components: "components", options: "options", recommender: (c) => `components[${c}]` });
}

/** Where the user passed what a blend is built from, for messages: the components, the options, each recommender. */
interface BlendPaths {
  readonly components: string;
  readonly options: string;
  readonly recommender: (component: number) => string;
}

/** {@link blendRecommenders} for the public function `fn`, its errors naming the argument paths the user passed. */
function blendFor(fn: string, components: readonly HybridComponent[], options: BlendOptions, paths: BlendPaths): BlendedRecommender {
  checkComponents(fn, components, paths.components);
  const { normalization, missing, name } = resolveBlendOptions(fn, options, paths.options);
  const alignment = alignComponents(fn, components, paths.recommender);
  const parts = alignment.components;
  const { raw, normalized, sorted, fill, sources } = scoreBuffers(parts);
  const weights = Float64Array.from(components, (c) => c.weight);
  const scored = new Uint8Array(alignment.items.ids.length);
  const state: CombineState = {
    alignment,
    weights,
    raw,
    parts: normalized,
    fill,
    sources,
    combine(user, userId, out, history) {
      out.fill(0);
      scored.fill(0);
      const itemCount = out.length;
      for (let c = 0; c < parts.length; c++) {
        const part = parts[c]!;
        const norm = normalized[c]!;
        const filler = normalizedComponentScores(part, user, userId, raw[c]!, norm, normalization, missing, sorted, sources, c, history);
        fill[c] = filler;
        const w = weights[c]!;
        const back = part.itemBack;
        for (let h = 0; h < itemCount; h++) {
          const i = back[h]!;
          let v = i >= 0 ? norm[i]! : Number.NaN;
          if (v !== v) v = filler;
          else scored[h] = 1;
          out[h] = out[h]! + w * v;
        }
      }
      for (let h = 0; h < itemCount; h++) if (scored[h] === 0) out[h] = Number.NaN;
    },
  };
  const spec: BlendSpec = Object.freeze({
    kind: "blend",
    version: 1,
    name,
    normalization,
    missing,
    components: Object.freeze(components.map((c) => Object.freeze({ name: c.name, weight: c.weight }))),
  });
  return combinedRecommender(fn, name, state, { spec });
}

/**
 * Rebuilds a blended recommender from its plain {@link BlendSpec} (e.g. parsed from JSON) and the components by name.
 *
 * Complexity: as {@link blendRecommenders}.
 *
 * @param spec - a blend spec (`hybrid.spec`, possibly through JSON)
 * @param recommenders - the component recommenders by the spec's names
 * @returns the blended recommender, equal in scores to the one the spec came from when given the same components
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed spec, `E_UNKNOWN_ID` for a name with no recommender
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { recommend, type Recommender } from "nextbest/recommend";
 * import { blendFromSpec } from "nextbest/hybrid";
 * const cf: Recommender = {
 *   name: "cf", users: createIdIndex(["acme"]), items: createIdIndex(["a", "b"]),
 *   scoreUser(_user, out) { out.set([1, 2]); }, seenItems() { return []; },
 * };
 * const spec = JSON.parse('{"kind":"blend","version":1,"name":"hybrid","normalization":"min-max","missing":"min","components":[{"name":"cf","weight":1}]}');
 * recommend(blendFromSpec(spec, new Map([["cf", cf]])), "acme").items.map((r) => r.item); // => ["b", "a"]
 * blendFromSpec(spec, new Map());
 * // throws NextbestError E_UNKNOWN_ID: "blendFromSpec: recommenders must hold a recommender named \"cf\" (spec.components[0].name), got none"
 * ```
 * @category hybrid
 */
export function blendFromSpec(spec: BlendSpec, recommenders: ReadonlyMap<string, Recommender>): BlendedRecommender {
  const fn = "blendFromSpec";
  const s = spec as Partial<BlendSpec> | null;
  if (typeof s !== "object" || s === null || s.kind !== "blend" || s.version !== 1 || !Array.isArray(s.components)) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `${fn}: spec must be a blend spec ({ kind: "blend", version: 1, name, normalization, missing, components }), got ${describeValue(spec)}`,
    );
  }
  if (!(recommenders instanceof Map)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: recommenders must be a Map from component name to Recommender, got ${describeValue(recommenders)}`);
  }
  const components = s.components.map((c: unknown, index): HybridComponent => {
    const { name, weight } = (c ?? {}) as { name?: unknown; weight?: unknown };
    if (typeof name !== "string" || typeof weight !== "number") {
      throw new NextbestError("E_BAD_MODEL", `${fn}: spec.components[${index}] must be { name: string, weight: number }, got ${describeValue(c)}`);
    }
    const recommender = recommenders.get(name);
    if (recommender === undefined) {
      throw new NextbestError(
        "E_UNKNOWN_ID",
        `${fn}: recommenders must hold a recommender named ${JSON.stringify(name)} (spec.components[${index}].name), got none`,
      );
    }
    return { name, recommender, weight };
  });
  return blendFor(fn, components, specOptions(s), {
    components: "spec.components",
    options: "spec",
    recommender: (c) => `recommenders.get(${JSON.stringify(components[c]!.name)})`,
  });
}
