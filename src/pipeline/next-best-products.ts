/**
 * The recommended B2B pipeline: reorders and new products for every account, blended with weights learned on the
 * latest part of the account's own history, with a reason for every product.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import type { Seed } from "../core/random.ts";
import { splitTemporalWindow } from "../data/split-window.ts";
import type { Interactions } from "../data/types.ts";
import { fitPopularity, popularityFromJSON, popularityRecommender, popularityToJSON, type PopularityModel } from "../baselines/popularity.ts";
import {
  fitImplicitAls,
  implicitAlsFromJSON,
  implicitAlsRecommender,
  implicitAlsToJSON,
  type ImplicitAlsModel,
} from "../factorization/implicit-als.ts";
import { easeFromJSON, easeRecommender, easeToJSON, fitEase, type EaseModel } from "../neighbors/ease.ts";
import { fitRp3Beta, rp3BetaFromJSON, rp3BetaRecommender, rp3BetaToJSON, type Rp3BetaModel } from "../neighbors/rp3beta.ts";
import {
  fitRepeatPurchases,
  repeatPurchaseRecommender,
  repeatPurchasesFromJSON,
  repeatPurchasesToJSON,
  type RepeatPurchaseModel,
} from "../repeat/repeat-purchases.ts";
import { blendFromSpec, type BlendSpec } from "../hybrid/blend.ts";
import { explainBlend } from "../hybrid/explain.ts";
import { learnBlendWeights, type BlendComponentFactory } from "../hybrid/learn-weights.ts";
import { narrateRecommendation } from "../explain/recommendation-narrative.ts";
import { recommend } from "../recommend/recommend.ts";
import type { Recommender, RecommendationFallback } from "../recommend/types.ts";
import { assertInteger, assertOneOf, assertSeed } from "../internal/validate.ts";
import { badModel, readModelEnvelope } from "../internal/serialize.ts";
import { dayLength, resolveTimeUnit, type TimeUnit } from "../internal/time.ts";

/**
 * A component of the pipeline:
 * - `"repeat"`: the account's own reorders (`fitRepeatPurchases` of `nextbest/repeat`: the probability of a reorder
 *   within 90 days, from recency, counts and reorder cycles);
 * - `"ease"`: EASE item-item weights (`fitEase`) with a 90-day recency half-life, the strongest single model of new
 *   products on wholesale data;
 * - `"als"`: implicit ALS (`fitImplicitAls`);
 * - `"rp3beta"`: the popularity-discounted random walk RP3β (`fitRp3Beta`), which reaches less popular products;
 * - `"popularity"`: distinct accounts per product (`fitPopularity`), and the answer for accounts nobody knows.
 *
 * @category pipeline
 */
export type NextBestComponent = "repeat" | "ease" | "als" | "rp3beta" | "popularity";

const COMPONENTS: readonly NextBestComponent[] = ["repeat", "ease", "als", "rp3beta", "popularity"];

/**
 * The two questions the pipeline answers, as `nextbest/evaluation`'s `evaluateNextPurchases`:
 * `"new-products"` (what to cross-sell: products the account never bought) and `"all-products"` (what it will
 * order: reorders and new products in one list).
 *
 * @category pipeline
 */
export type NextBestTask = "new-products" | "all-products";

const TASKS: readonly NextBestTask[] = ["new-products", "all-products"];

/**
 * Options of {@link fitNextBestProducts}.
 *
 * @category pipeline
 */
export interface NextBestProductsOptions {
  /**
   * The components to blend (at least one; `"popularity"` is always fitted, as the cold-start answer).
   * @defaultValue ["repeat", "ease", "als", "rp3beta", "popularity"]
   */
  components?: readonly NextBestComponent[];
  /**
   * How many days at the end of the history are held out to learn the blend weights: the components are fitted on
   * what came before, and weighted by how well they predicted these days (the way the blend will be used: fitted on
   * the past, judged on what follows). When the history is too short for a repeat model before the window, the
   * repeat component is left out and the model says so in `dropped`.
   * @defaultValue 90
   */
  validationDays?: number;
  /** Unit of the timestamps (a day is 86,400 seconds). @defaultValue "seconds" */
  timeUnit?: TimeUnit;
  /** Seed of every seeded step (ALS initialisation, the repeat model's pair sample, the weight search). @defaultValue 1 */
  seed?: Seed;
  /**
   * Candidates per component and account in the weight search (`learnBlendWeights`' `candidates`).
   * @defaultValue 100
   */
  candidates?: number;
}

/**
 * What the weight search saw on the held-out days, per task.
 *
 * @category pipeline
 */
export interface NextBestValidation {
  /**
   * NDCG@10 of the learned blend on the held-out days, or `null` when those days held nothing to learn from for this
   * task (no account known before them bought a product of the task): the blend then weights every component equally.
   */
  readonly value: number | null;
  /** NDCG@10 of each component alone, by name (empty when `value` is `null`). */
  readonly alone: { readonly [component: string]: number };
}

/**
 * A fitted pipeline: plain, versioned data (component models and two blend specs). Serialize it with
 * {@link nextBestProductsToJSON}; use it through {@link nextBestProductsRecommender} or {@link recommendNextBestProducts}.
 *
 * @category pipeline
 */
export interface NextBestProductsModel {
  /** Discriminant of the model family. */
  readonly kind: "next-best-products";
  /** Format version; {@link nextBestProductsFromJSON} reads version 1. */
  readonly version: 1;
  /** Unit of the timestamps. */
  readonly timeUnit: TimeUnit;
  /** Days held out to learn the weights. */
  readonly validationDays: number;
  /** The fitted components, refitted on the whole history. */
  readonly components: NextBestComponents;
  /** The learned blend of each task (z-score normalisation, weights summing to 1). */
  readonly blends: NextBestBlends;
  /** The held-out days and what the weight search saw on them. */
  readonly validation: NextBestValidationRecord;
  /** Components asked for but left out, with the reason (e.g. too little history for the repeat model). */
  readonly dropped: readonly NextBestDroppedComponent[];
}

/**
 * The fitted components of a {@link NextBestProductsModel}, by name; only the ones the blends use, and popularity.
 *
 * @category pipeline
 */
export interface NextBestComponents {
  /** The repeat-purchase model (`nextbest/repeat`). */
  readonly repeat?: RepeatPurchaseModel;
  /** EASE with a 90-day recency half-life (`nextbest/neighbors`). */
  readonly ease?: EaseModel;
  /** Implicit ALS (`nextbest/factorization`). */
  readonly als?: ImplicitAlsModel;
  /** RP3β (`nextbest/neighbors`). */
  readonly rp3beta?: Rp3BetaModel;
  /** Popularity (`nextbest/baselines`): always there, the cold-start answer. */
  readonly popularity: PopularityModel;
}

/**
 * The learned blend of each task.
 *
 * @category pipeline
 */
export interface NextBestBlends {
  /** The blend for products new to the account. */
  readonly "new-products": BlendSpec;
  /** The blend for every product, reorders included. */
  readonly "all-products": BlendSpec;
}

/**
 * The held-out days of a {@link NextBestProductsModel} and what the weight search saw on them.
 *
 * @category pipeline
 */
export interface NextBestValidationRecord {
  /** The first held-out timestamp (in the model's `timeUnit`). */
  readonly cutoff: number;
  /** One past the last timestamp of the history. */
  readonly end: number;
  /** The new-products search. */
  readonly "new-products": NextBestValidation;
  /** The all-products search. */
  readonly "all-products": NextBestValidation;
}

/**
 * A component asked for but left out of a {@link NextBestProductsModel}.
 *
 * @category pipeline
 */
export interface NextBestDroppedComponent {
  /** The component. */
  readonly component: NextBestComponent;
  /** Why, in words. */
  readonly reason: string;
}

const EASE_RECENCY_DAYS = 90;

const fitters: Record<NextBestComponent, (data: Interactions, timeUnit: TimeUnit, seed: Seed) => unknown> = {
  repeat: (data, timeUnit, seed) => fitRepeatPurchases(data, { timeUnit, seed }),
  // Recent purchases shape both the weights and the scores (90-day half-life, chosen on validation; see fitEase).
  ease: (data, timeUnit) => fitEase(data, { recencyHalfLifeDays: EASE_RECENCY_DAYS, timeUnit }),
  als: (data, _timeUnit, seed) => fitImplicitAls(data, { seed }),
  rp3beta: (data) => fitRp3Beta(data),
  popularity: (data) => fitPopularity(data),
};

function recommenderOf(name: NextBestComponent, model: unknown): Recommender {
  switch (name) {
    case "repeat":
      return repeatPurchaseRecommender(model as RepeatPurchaseModel);
    case "ease":
      return easeRecommender(model as EaseModel);
    case "als":
      return implicitAlsRecommender(model as ImplicitAlsModel);
    case "rp3beta":
      return rp3BetaRecommender(model as Rp3BetaModel);
    default:
      return popularityRecommender(model as PopularityModel);
  }
}

function latestTimestamp(data: Interactions): number {
  const times = data.events?.timestamps ?? data.timestamps!;
  let latest = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < times.length; k++) if (times[k]! > latest) latest = times[k]!;
  return latest;
}

/**
 * Fits the recommended B2B pipeline on an account × product purchase history with timestamps (one event per order
 * line or invoice, as `createInteractions` and the readers of `nextbest/datasets` keep them):
 *
 * 1. The last `validationDays` days are held out (`splitTemporalWindow`); every component is fitted on the history
 *    before them.
 * 2. For each task, `learnBlendWeights` finds the weights (coordinate ascent on NDCG@10, z-score normalisation) that
 *    best predict the held-out days: the products new to each account for `"new-products"`, every product bought for
 *    `"all-products"`. Both tasks share the component fits.
 * 3. Every component is refitted on the whole history; the two learned blends are kept as specs.
 *
 * Nothing is tuned on data the caller will test on: pass only the training part. On Online Retail II (train before
 * 2010-09-01, test to 2010-12-09; `npm run bench:b2b`) the pipeline is the best model on both tasks; see the README's
 * benchmark table.
 *
 * Complexity: two fits of each component (EASE dominates: a dense items × items inverse) and two weight searches.
 *
 * @param interactions - account × product purchases with timestamps (and `events`, for the repeat component)
 * @param options - components, held-out days, time unit, seed
 * @returns a new frozen {@link NextBestProductsModel}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for data without timestamps, a bad option, or a held-out window that
 *   leaves nothing to fit on or to validate; whatever the component fits throw
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitNextBestProducts, recommendNextBestProducts } from "nextbest/pipeline";
 * const day = 86_400;
 * const rows = [];
 * // 40 accounts reorder paper every 20 days; even ones buy pens, then most of them ink; odd ones buy a stapler.
 * for (let a = 0; a < 40; a++) {
 *   for (let t = a % 5; t < 300; t += 20) rows.push({ user: `acct-${a}`, item: "paper", timestamp: t * day });
 *   rows.push({ user: `acct-${a}`, item: a % 2 === 0 ? "pens" : "stapler", timestamp: (10 + a) * day });
 *   if (a % 2 === 0 && a < 34) rows.push({ user: `acct-${a}`, item: "ink", timestamp: ((a < 16 ? 100 : 200) + 3 * a) * day });
 * }
 * const model = fitNextBestProducts(createInteractions(rows), { components: ["repeat", "ease", "popularity"] });
 * model.blends["all-products"].components; // => [{ name: "repeat", weight: 1 }, { name: "ease", weight: 0 }, { name: "popularity", weight: 0 }]
 * // acct-36 has pens but no ink yet: the stapler is more popular, but pen buyers buy ink.
 * recommendNextBestProducts(model, "acct-36", { k: 1 }).items[0]!.product; // => "ink"
 * ```
 * @category pipeline
 */
export function fitNextBestProducts(interactions: Interactions, options: NextBestProductsOptions = {}): NextBestProductsModel {
  const fn = "fitNextBestProducts";
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const requested = options.components ?? COMPONENTS;
  if (!Array.isArray(requested) || requested.length === 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.components must be a non-empty array of component names, got ${describeValue(requested)}`);
  }
  requested.forEach((name, j) => assertOneOf(fn, `options.components[${j}]`, name, COMPONENTS));
  const validationDays = options.validationDays ?? 90;
  if (typeof validationDays !== "number" || !(validationDays > 0) || !Number.isFinite(validationDays)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.validationDays must be a finite number > 0, got ${describeValue(validationDays)}`);
  }
  const timeUnit = resolveTimeUnit(fn, options.timeUnit, interactions);
  const seed = options.seed ?? 1;
  assertSeed(fn, "options.seed", seed);
  const candidates = options.candidates ?? 100;
  if (candidates !== Number.POSITIVE_INFINITY) assertInteger(fn, "options.candidates", candidates, 10);
  if (typeof interactions !== "object" || interactions === null || interactions.timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: interactions must have timestamps (the weights are learned on the latest days), got ${describeValue(interactions)}`);
  }
  const names = [...new Set<NextBestComponent>(requested as NextBestComponent[])];
  const end = latestTimestamp(interactions) + 1;
  const cutoff = end - validationDays * dayLength(timeUnit);
  let window;
  try {
    window = splitTemporalWindow(interactions, { cutoff, end });
  } catch (error) {
    if (error instanceof NextbestError && error.code === "E_EMPTY") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.validationDays must leave history before the held-out days, got ${validationDays} days (the whole history)`);
    }
    throw error;
  }
  // Fit each component once on the part before the held-out days; a repeat model needs history before its own horizon.
  const dropped: { component: NextBestComponent; reason: string }[] = [];
  const early = new Map<NextBestComponent, Recommender>();
  for (const name of names) {
    if (name === "repeat" && interactions.events === undefined) {
      dropped.push({ component: name, reason: "the interactions carry no per-purchase events to learn reorders from (build them with createInteractions or a nextbest reader)" });
      continue;
    }
    try {
      early.set(name, recommenderOf(name, fitters[name](window.train, timeUnit, seed)));
    } catch (error) {
      if (name === "repeat" && error instanceof NextbestError && error.code === "E_EMPTY") {
        dropped.push({ component: name, reason: `too little history before the held-out days to learn reorders (${error.message})` });
        continue;
      }
      throw error;
    }
  }
  const used = names.filter((name) => early.has(name));
  const factories: BlendComponentFactory[] = used.map((name) => ({ name, factory: () => early.get(name)! }));
  const learn = (task: NextBestTask): { spec: BlendSpec; validation: NextBestValidation } => {
    const test = task === "new-products" ? window.newPairs : window.test;
    if (test.byUser.indptr[test.byUser.rows] === 0) {
      const equal = 1 / used.length;
      const spec = blendFromSpec(
        { kind: "blend", version: 1, name: "hybrid", normalization: "z-score", missing: "min", components: used.map((name) => ({ name, weight: equal })) },
        new Map(used.map((name) => [name, early.get(name)!] as const)),
      ).spec;
      return { spec, validation: Object.freeze({ value: null, alone: Object.freeze({}) }) };
    }
    const result = learnBlendWeights({ train: window.train, test }, factories, {
      metric: "ndcg@10",
      excludeSeen: task === "new-products",
      candidates,
      seed,
    });
    return { spec: result.spec, validation: Object.freeze({ value: result.value, alone: Object.freeze(Object.fromEntries(result.alone)) }) };
  };
  const learned = { "new-products": learn("new-products"), "all-products": learn("all-products") };
  // Refit on the whole history.
  const final: Record<string, unknown> = {};
  for (const name of new Set<NextBestComponent>([...used, "popularity"])) final[name] = fitters[name](interactions, timeUnit, seed);
  return Object.freeze({
    kind: "next-best-products",
    version: 1,
    timeUnit,
    validationDays,
    components: Object.freeze(final) as unknown as NextBestComponents,
    blends: Object.freeze({ "new-products": learned["new-products"].spec, "all-products": learned["all-products"].spec }),
    validation: Object.freeze({ cutoff, end, "new-products": learned["new-products"].validation, "all-products": learned["all-products"].validation }),
    dropped: Object.freeze(dropped.map((d) => Object.freeze(d))),
  });
}

/**
 * Options of {@link nextBestProductsRecommender}.
 *
 * @category pipeline
 */
export interface NextBestRecommenderOptions {
  /** Which blend: see {@link NextBestTask}. @defaultValue "new-products" */
  task?: NextBestTask;
}

function componentRecommenders(fn: string, model: NextBestProductsModel, spec: BlendSpec): Map<string, Recommender> {
  const out = new Map<string, Recommender>();
  for (const { name } of spec.components) {
    const fitted = (model.components as unknown as Record<string, unknown>)[name];
    if (fitted === undefined) throw new NextbestError("E_BAD_MODEL", `${fn}: model.components must hold the blend's component ${JSON.stringify(name)}, got none`);
    out.set(name, recommenderOf(name as NextBestComponent, fitted));
  }
  return out;
}

function checkPipeline(fn: string, model: unknown): asserts model is NextBestProductsModel {
  const m = model as Partial<NextBestProductsModel> | null;
  if (typeof m !== "object" || m === null || m.kind !== "next-best-products") {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model must be a next-best-products model (from fitNextBestProducts), got ${describeValue(model)}`);
  }
  if (m.version !== 1) throw new NextbestError("E_BAD_MODEL", `${fn}: model.version must be 1, got ${describeValue(m.version)}`);
}

/**
 * The pipeline as a {@link recommend!Recommender} for one task: the learned blend over the fitted components. For
 * `"all-products"` the accounts' own products stay in the lists (it reports no seen items: reordering is the point);
 * for `"new-products"` they are left out as usual.
 *
 * @param model - a fitted pipeline
 * @param options - the task
 * @returns the blended recommender (name `"next-best-products"`)
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { recommend } from "nextbest/recommend";
 * import { fitNextBestProducts, nextBestProductsRecommender } from "nextbest/pipeline";
 * const day = 86_400;
 * const rows = [];
 * // 40 accounts reorder paper every 20 days; even ones buy pens, then most of them ink; odd ones buy a stapler.
 * for (let a = 0; a < 40; a++) {
 *   for (let t = a % 5; t < 300; t += 20) rows.push({ user: `acct-${a}`, item: "paper", timestamp: t * day });
 *   rows.push({ user: `acct-${a}`, item: a % 2 === 0 ? "pens" : "stapler", timestamp: (10 + a) * day });
 *   if (a % 2 === 0 && a < 34) rows.push({ user: `acct-${a}`, item: "ink", timestamp: ((a < 16 ? 100 : 200) + 3 * a) * day });
 * }
 * const model = fitNextBestProducts(createInteractions(rows), { components: ["repeat", "popularity"] });
 * recommend(nextBestProductsRecommender(model, { task: "all-products" }), "acct-3", { k: 1 }).items[0]!.item; // => "paper"
 * // New products only: by popularity here (20 accounts bought pens, 17 ink).
 * recommend(nextBestProductsRecommender(model), "acct-3", { k: 1 }).items[0]!.item; // => "pens"
 * ```
 * @category pipeline
 */
export function nextBestProductsRecommender(model: NextBestProductsModel, options: NextBestRecommenderOptions = {}): Recommender {
  const fn = "nextBestProductsRecommender";
  checkPipeline(fn, model);
  const task = options.task ?? "new-products";
  assertOneOf(fn, "options.task", task, TASKS);
  return forTask(pipelineBlend(fn, model, task), task);
}

const NOTHING_SEEN: readonly number[] = Object.freeze([]);

/** The components whose reason is a co-purchase ("accounts that buy X also buy it"). */
const CO_PURCHASE: ReadonlySet<string> = new Set(["ease", "rp3beta", "als"]);

// The learned blend of a task over the model's components.
function pipelineBlend(fn: string, model: NextBestProductsModel, task: NextBestTask): Recommender {
  const spec = { ...model.blends[task], name: "next-best-products" };
  return blendFromSpec(spec, componentRecommenders(fn, model, spec));
}

// For reordering nothing counts as seen, so the generic functions keep the account's own products in its list.
function forTask(blend: Recommender, task: NextBestTask): Recommender {
  if (task === "new-products") return blend;
  return Object.freeze({
    name: blend.name,
    users: blend.users,
    items: blend.items,
    scoreUser: (user: number, out: Float64Array): void => blend.scoreUser(user, out),
    seenItems: (): ArrayLike<number> => NOTHING_SEEN,
    ...(blend.fallback === undefined ? {} : { fallback: blend.fallback }),
  });
}

/**
 * One reason behind a recommended product: which component it comes from, its share of the positive part of the
 * score, and a sentence with numbers from the data.
 *
 * @category pipeline
 */
export interface NextBestReason {
  /** The component, e.g. `"repeat"` (for a co-purchase reason, the largest of EASE, RP3β and ALS). */
  readonly component: string;
  /**
   * The component's share of the sum of the positive contributions, in (0, 1]; one co-purchase sentence stands for
   * EASE, RP3β and ALS together and carries their summed share.
   */
  readonly share: number;
  /** The reason in plain words, e.g. "Reorders about every 5 weeks; last order 7 weeks ago". */
  readonly sentence: string;
}

/**
 * One recommended product with its score and reasons.
 *
 * @category pipeline
 */
export interface ProductWithReasons {
  /** The product id. */
  readonly product: Id;
  /** The blended score (z-score units; only the order matters). */
  readonly score: number;
  /** The reasons, largest share first: components below `minShare` are not named. */
  readonly reasons: readonly NextBestReason[];
}

/**
 * What {@link recommendNextBestProducts} returns.
 *
 * @category pipeline
 */
export interface NextBestProducts {
  /** The account id as passed. */
  readonly account: Id;
  /** The task answered. */
  readonly task: NextBestTask;
  /** The products, best first. */
  readonly items: readonly ProductWithReasons[];
  /** Set when the account was unknown and the cold-start answer was used. */
  readonly fallback: RecommendationFallback | null;
}

/**
 * Options of {@link recommendNextBestProducts}.
 *
 * @category pipeline
 */
export interface RecommendNextBestOptions {
  /** How many products. @defaultValue 10 */
  k?: number;
  /** Which question, see {@link NextBestTask}. @defaultValue "new-products" */
  task?: NextBestTask;
  /** Product names for the sentences (ids are used where a name is missing). @defaultValue none */
  productNames?: ReadonlyMap<Id, string>;
  /**
   * A component whose contribution is less than this share of the positive part of the score is not named: an honest
   * reason names what actually moved the product up.
   * @defaultValue 0.15
   */
  minShare?: number;
}

/**
 * The next best products for one account, each with the components that put it there and a sentence per component
 * from the data (`nextbest/explain`'s narrateRecommendation on each component's model): "Reorders about every 5 weeks;
 * last order 7 weeks ago" (repeat), "Accounts that buy Doormat and Candle also buy it (38 of the 120 that bought both)"
 * (EASE, RP3β, ALS: the purchases of this account that contribute most), "A best-seller: 312 accounts bought it
 * (#4 of 4,007 products)"
 * (popularity). Deterministic.
 *
 * @param model - a fitted pipeline
 * @param account - the account id (unknown accounts get the blend's cold-start answer, marked in `fallback`)
 * @param options - k, task, product names, minimum share
 * @returns the products with scores and reasons
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model; `E_BAD_INPUT` for a bad option
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitNextBestProducts, recommendNextBestProducts } from "nextbest/pipeline";
 * const day = 86_400;
 * const rows = [];
 * // 40 accounts reorder paper every 20 days; even ones buy pens, then most of them ink; odd ones buy a stapler.
 * for (let a = 0; a < 40; a++) {
 *   for (let t = a % 5; t < 300; t += 20) rows.push({ user: `acct-${a}`, item: "paper", timestamp: t * day });
 *   rows.push({ user: `acct-${a}`, item: a % 2 === 0 ? "pens" : "stapler", timestamp: (10 + a) * day });
 *   if (a % 2 === 0 && a < 34) rows.push({ user: `acct-${a}`, item: "ink", timestamp: ((a < 16 ? 100 : 200) + 3 * a) * day });
 * }
 * const model = fitNextBestProducts(createInteractions(rows), { components: ["repeat", "ease", "popularity"] });
 * const next = recommendNextBestProducts(model, "acct-3", { k: 1, task: "all-products", productNames: new Map([["paper", "A4 paper"]]) });
 * next.items[0]!.product; // => "paper"
 * next.items[0]!.reasons; // => [{ component: "repeat", share: 1, sentence: "Bought 15 times; last order 13 days ago (usually every 3 weeks)" }]
 * ```
 * @category pipeline
 */
export function recommendNextBestProducts(model: NextBestProductsModel, account: Id, options: RecommendNextBestOptions = {}): NextBestProducts {
  const fn = "recommendNextBestProducts";
  checkPipeline(fn, model);
  checkId(fn, "account", account);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const task = options.task ?? "new-products";
  assertOneOf(fn, "options.task", task, TASKS);
  const k = options.k ?? 10;
  assertInteger(fn, "options.k", k, 1, 10_000);
  const minShare = options.minShare ?? 0.15;
  if (typeof minShare !== "number" || !(minShare >= 0 && minShare <= 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.minShare must be a number in [0, 1], got ${describeValue(minShare)}`);
  }
  const names = options.productNames;
  const blend = pipelineBlend(fn, model, task);
  const result = recommend(forTask(blend, task), account, { k });
  const items = result.items.map((entry) => {
    const why = explainBlend(blend, account, entry.item);
    const positive = why.contributions.filter((c) => c.contribution > 0);
    const total = positive.reduce((sum, c) => sum + c.contribution, 0);
    const reasons: { component: string; share: number; sentence: string }[] = [];
    let coPurchase: { component: string; share: number; sentence: string } | undefined;
    for (const part of [...positive].sort((a, b) => b.contribution - a.contribution)) {
      const share = total > 0 ? part.contribution / total : 0;
      if (share < minShare) continue;
      // EASE, RP3β and ALS all say "accounts that buy X also buy it": one sentence, their shares summed.
      if (CO_PURCHASE.has(part.name) && coPurchase !== undefined) {
        coPurchase.share += share;
        continue;
      }
      const sentence = componentSentence(model, part.name as NextBestComponent, account, entry.item, names);
      if (sentence === undefined) continue;
      const reason = { component: part.name, share, sentence };
      if (CO_PURCHASE.has(part.name)) coPurchase = reason;
      reasons.push(reason);
    }
    return Object.freeze({ product: entry.item, score: entry.score, reasons: Object.freeze(reasons.map((r) => Object.freeze(r))) });
  });
  return Object.freeze({ account, task, items: Object.freeze(items), fallback: result.fallback });
}

// A component's evidence for one product in plain words (narrateRecommendation on the component's own model), or
// undefined when it has none for this account.
function componentSentence(model: NextBestProductsModel, name: NextBestComponent, account: Id, product: Id, productNames: ReadonlyMap<Id, string> | undefined): string | undefined {
  const component = model.components[name];
  if (component === undefined || !component.items.lookup.has(product) || (name !== "popularity" && !component.users.lookup.has(account))) return undefined;
  return narrateRecommendation(component, account, product, productNames === undefined ? {} : { productNames }).reasons[0]?.sentence;
}

/**
 * The JSON form of a {@link NextBestProductsModel}: each component's own JSON form, the blend specs and the record.
 *
 * @category pipeline
 */
export interface NextBestProductsModelJSON {
  /** Always `"next-best-products"`. */
  readonly kind: "next-best-products";
  /** Format version, 1. */
  readonly version: 1;
  /** Unit of the timestamps. */
  readonly timeUnit: TimeUnit;
  /** Days held out to learn the weights. */
  readonly validationDays: number;
  /** Each component's JSON form, by name. */
  readonly components: { readonly [name: string]: unknown };
  /** The blend specs. */
  readonly blends: NextBestBlends;
  /** The validation record. */
  readonly validation: NextBestValidationRecord;
  /** Components left out. */
  readonly dropped: readonly NextBestDroppedComponent[];
}

const toJSON: Record<NextBestComponent, (model: never) => unknown> = {
  repeat: repeatPurchasesToJSON,
  ease: easeToJSON,
  als: implicitAlsToJSON,
  rp3beta: rp3BetaToJSON,
  popularity: popularityToJSON,
};

const fromJSON: Record<NextBestComponent, (json: unknown) => unknown> = {
  repeat: repeatPurchasesFromJSON,
  ease: easeFromJSON,
  als: implicitAlsFromJSON,
  rp3beta: rp3BetaFromJSON,
  popularity: popularityFromJSON,
};

/**
 * The JSON form of a pipeline, ready for `JSON.stringify`: one document with every component.
 *
 * @param model - a fitted pipeline
 * @returns a new plain object
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitNextBestProducts, nextBestProductsFromJSON, nextBestProductsToJSON, recommendNextBestProducts } from "nextbest/pipeline";
 * const day = 86_400;
 * const rows = [];
 * // 40 accounts reorder paper every 20 days; even ones buy pens, then most of them ink; odd ones buy a stapler.
 * for (let a = 0; a < 40; a++) {
 *   for (let t = a % 5; t < 300; t += 20) rows.push({ user: `acct-${a}`, item: "paper", timestamp: t * day });
 *   rows.push({ user: `acct-${a}`, item: a % 2 === 0 ? "pens" : "stapler", timestamp: (10 + a) * day });
 *   if (a % 2 === 0 && a < 34) rows.push({ user: `acct-${a}`, item: "ink", timestamp: ((a < 16 ? 100 : 200) + 3 * a) * day });
 * }
 * const model = fitNextBestProducts(createInteractions(rows), { components: ["repeat", "ease", "popularity"] });
 * const copy = nextBestProductsFromJSON(JSON.parse(JSON.stringify(nextBestProductsToJSON(model))));
 * recommendNextBestProducts(copy, "acct-36").items; // => recommendNextBestProducts(model, "acct-36").items
 * ```
 * @category pipeline
 */
export function nextBestProductsToJSON(model: NextBestProductsModel): NextBestProductsModelJSON {
  checkPipeline("nextBestProductsToJSON", model);
  const components: Record<string, unknown> = {};
  for (const [name, fitted] of Object.entries(model.components)) components[name] = toJSON[name as NextBestComponent](fitted as never);
  return {
    kind: "next-best-products",
    version: 1,
    timeUnit: model.timeUnit,
    validationDays: model.validationDays,
    components,
    blends: model.blends,
    validation: model.validation,
    dropped: model.dropped,
  };
}

/**
 * Rebuilds a pipeline from its JSON form, validating every component with its own reader and the blend specs
 * against the components.
 *
 * @param json - the parsed JSON of {@link nextBestProductsToJSON}
 * @returns a new frozen {@link NextBestProductsModel}
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { nextBestProductsFromJSON } from "nextbest/pipeline";
 * nextBestProductsFromJSON({ kind: "next-best-products", version: 1, timeUnit: "days" });
 * // throws NextbestError E_BAD_MODEL: "nextBestProductsFromJSON: json.timeUnit must be \"seconds\" or \"milliseconds\", got \"days\""
 * ```
 * @category pipeline
 */
export function nextBestProductsFromJSON(json: unknown): NextBestProductsModel {
  const fn = "nextBestProductsFromJSON";
  const record = readModelEnvelope(fn, json, "next-best-products", [1]);
  const timeUnit = record["timeUnit"];
  if (timeUnit !== "seconds" && timeUnit !== "milliseconds") badModel(fn, "json.timeUnit", 'be "seconds" or "milliseconds"', timeUnit);
  const validationDays = record["validationDays"];
  if (typeof validationDays !== "number" || !(validationDays > 0) || !Number.isFinite(validationDays)) badModel(fn, "json.validationDays", "be a finite number > 0", validationDays);
  const raw = record["components"];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) badModel(fn, "json.components", "be an object of component JSON by name", raw);
  const components: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(COMPONENTS as readonly string[]).includes(name)) badModel(fn, `json.components.${name}`, `be one of ${COMPONENTS.join(", ")}`, name);
    if (value === undefined) continue;
    try {
      components[name] = fromJSON[name as NextBestComponent](value);
    } catch (error) {
      if (!(error instanceof NextbestError)) throw error;
      throw new NextbestError(error.code, `${fn}: json.components.${name} must be a valid ${name} model: ${error.message}`);
    }
  }
  if (components["popularity"] === undefined) badModel(fn, "json.components.popularity", "be present (the cold-start answer)", undefined);
  const blends = record["blends"] as Record<string, unknown> | null;
  if (typeof blends !== "object" || blends === null) badModel(fn, "json.blends", "be an object with the two tasks' specs", blends);
  const model = Object.freeze({
    kind: "next-best-products" as const,
    version: 1 as const,
    timeUnit,
    validationDays,
    components: Object.freeze(components) as unknown as NextBestComponents,
    blends: Object.freeze({ "new-products": blends["new-products"] as BlendSpec, "all-products": blends["all-products"] as BlendSpec }),
    validation: record["validation"] as NextBestProductsModel["validation"],
    dropped: (record["dropped"] ?? []) as NextBestProductsModel["dropped"],
  });
  // The specs must name fitted components and be well formed: building each blend checks both.
  for (const task of TASKS) {
    const spec = model.blends[task];
    if (typeof spec !== "object" || spec === null) badModel(fn, `json.blends["${task}"]`, "be a blend spec", spec);
    blendFromSpec(spec, componentRecommenders(fn, model, spec));
  }
  return model;
}
