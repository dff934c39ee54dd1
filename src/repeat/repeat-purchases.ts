/**
 * The repeat-purchase model: each account's probability of reordering each product it bought within a horizon,
 * learned from its own purchase history: how often and how lately it bought, and where it stands in its own and the
 * product's reorder cycle.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { IdIndex, IdIndexJSON } from "../core/id-index.ts";
import { createRandom, type Seed } from "../core/random.ts";
import { fitLogisticRegression } from "../classifiers/logistic.ts";
import type { Interactions } from "../data/types.ts";
import {
  badModel,
  float64ArrayFromJSON,
  idIndexFieldFromJSON,
  idIndexFieldToJSON,
  readModelEnvelope,
  typedArrayToJSON,
} from "../internal/serialize.ts";
import { assertInteger, assertSeed } from "../internal/validate.ts";
import { checkInteractions, checkModelHeader, checkScoreBuffer, seenFromJSON, seenToJSON } from "../recommend/contract.ts";
import type { ItemHistory, Recommender } from "../recommend/types.ts";
import { FEATURE_COUNT, FEATURE_NAMES, writeFeatures } from "./features.ts";
import {
  activePattern,
  checkModelArray,
  checkOptionsObject,
  dayLength,
  fillFromJSON,
  finiteFromJSON,
  halfLifeFromJSON,
  historySnapshot,
  itemsOfPairs,
  latestTime,
  medianOfRange,
  nonNegativeArrayFromJSON,
  nullableArrayFromJSON,
  nullableArrayToJSON,
  pairTimes,
  popularityFill,
  positiveDays,
  RECENT_DAYS,
  resolveAsOf,
  resolveFill,
  resolveTimeUnit,
  scanPurchases,
  timeUnitFromJSON,
  ownProductsRecommender,
  type HistorySnapshot,
  type RepeatFill,
  type TimeUnit,
} from "./history.ts";

/**
 * Options of {@link fitRepeatPurchases}.
 *
 * @category repeat
 */
export interface RepeatPurchaseOptions {
  /**
   * The question the scores answer: the probability that the account orders the product again within this many days
   * after `asOf`. The scorer learns it from the pairs bought before `asOf − horizonDays` and whether they were
   * reordered in the last `horizonDays` days, so the data must span more than the horizon. 90 days (a quarter) is the
   * usual planning window of a sales team; on the validation data 30 to 120 days ranked the next quarter alike.
   * @defaultValue 90
   */
  horizonDays?: number;
  /**
   * The half-life of a purchase's weight in the decayed-count feature, in days (> 0; `Infinity`: no decay).
   * Chosen on validation data (see the module notes), where 90 to 365 days did best and 14 to 30 days barely worse.
   * @defaultValue 180
   */
  halfLifeDays?: number;
  /**
   * The L2 penalty of the logistic scorer on its standardised coefficients (> 0), against the log-likelihood summed
   * over the training pairs (as `fitLogisticRegression`'s `l2`). Validation ranked alike from 0.1 to 100 with 60,000
   * training pairs; the small default leaves small datasets their signal.
   * @defaultValue 1
   */
  l2?: number;
  /** The time the model scores at, in `timeUnit`; purchases after it are ignored. @defaultValue the latest purchase's timestamp */
  asOf?: number;
  /** Unit of the timestamps (a day is 86,400 seconds). @defaultValue "seconds" */
  timeUnit?: TimeUnit;
  /**
   * Scores of products the account never bought: `"none"` leaves them NaN (never recommended), so the model is the
   * reorder component of a hybrid beside a model of new products; `"popularity"` ranks them by how many accounts
   * bought them, below every product the account bought.
   * @defaultValue "none"
   */
  fill?: RepeatFill;
  /**
   * At most this many training pairs, drawn uniformly (seeded) when more are available; bounds the fit time.
   * @defaultValue 100000
   */
  maxTrainingPairs?: number;
  /** Seed of the training-pair sample (used only when pairs exceed `maxTrainingPairs`). @defaultValue 1 */
  seed?: Seed;
}

/**
 * A fitted repeat-purchase model: plain, frozen data with typed arrays inside. Per-pair arrays are aligned with the
 * seen pattern (entry k of `seenIndices`); per-product arrays with `items`. Serialize it with
 * {@link repeatPurchasesToJSON}; use it through {@link repeatPurchaseRecommender}; read its reasons with
 * {@link explainRepeatPurchase}.
 *
 * @category repeat
 */
export interface RepeatPurchaseModel {
  /** Always `"repeat-purchases"`. */
  readonly kind: "repeat-purchases";
  /** Format version, 1. */
  readonly version: 1;
  /** The accounts of the training data. */
  readonly users: IdIndex;
  /** The products of the training data. */
  readonly items: IdIndex;
  /** The time the model scores at. */
  readonly asOf: number;
  /** Unit of `asOf` and the purchase times. */
  readonly timeUnit: TimeUnit;
  /** The horizon of the probabilities, in days. */
  readonly horizonDays: number;
  /** The half-life of the decayed-count feature, in days (`Infinity`: no decay). */
  readonly halfLifeDays: number;
  /** How products the account never bought score. */
  readonly fill: RepeatFill;
  /** `users + 1` offsets into `seenIndices`: the products each account bought up to `asOf`. */
  readonly seenIndptr: Int32Array;
  /** The product indices each account bought, ascending within an account. */
  readonly seenIndices: Int32Array;
  /** Per bought pair: the probability of a reorder within the horizon, in (0, 1). */
  readonly probabilities: Float64Array;
  /** Per bought pair: purchase occasions (distinct purchase times) up to `asOf`. */
  readonly purchases: Float64Array;
  /** Per bought pair: the latest purchase time. */
  readonly lastPurchase: Float64Array;
  /** Per bought pair: the median gap between its consecutive purchases in days, when it has ≥ 2 gaps; else NaN. */
  readonly ownCycleDays: Float64Array;
  /** Per product: the median gap between consecutive purchases by one account over all accounts, in days; NaN when no account bought it twice. */
  readonly productCycleDays: Float64Array;
  /** Per product: how many accounts bought it up to `asOf` (the fill and the unknown-account fallback). */
  readonly buyers: Float64Array;
  /**
   * The cycle, in days, of products no account bought twice: the median of every gap up to `asOf` (the horizon when
   * no account bought anything twice). Kept so that a new account's history is scored as a trained account's.
   */
  readonly fallbackCycleDays: number;
  /** The scorer's features, in column order (see the module notes). */
  readonly featureNames: readonly string[];
  /** The scorer's coefficients on the raw features, one per feature. */
  readonly coefficients: Float64Array;
  /** The scorer's intercept. */
  readonly intercept: number;
  /** How many (account, product) pairs the scorer was fitted on. */
  readonly trainingPairs: number;
  /** How many of them were reordered within the horizon. */
  readonly trainingReorders: number;
}

/**
 * The JSON form of a {@link RepeatPurchaseModel}: typed arrays as number arrays, NaN as `null`.
 *
 * @category repeat
 */
export interface RepeatPurchaseModelJSON {
  /** Always `"repeat-purchases"`. */
  readonly kind: "repeat-purchases";
  /** Format version, 1. */
  readonly version: 1;
  /** Account ids. */
  readonly users: IdIndexJSON;
  /** Product ids. */
  readonly items: IdIndexJSON;
  /** As the model. */
  readonly asOf: number;
  /** As the model. */
  readonly timeUnit: TimeUnit;
  /** As the model. */
  readonly horizonDays: number;
  /** As {@link RepeatPurchaseModel.halfLifeDays}; `null` for no decay. */
  readonly halfLifeDays: number | null;
  /** As the model. */
  readonly fill: RepeatFill;
  /** As the model. */
  readonly seenIndptr: number[];
  /** As the model. */
  readonly seenIndices: number[];
  /** As the model. */
  readonly probabilities: number[];
  /** As the model. */
  readonly purchases: number[];
  /** As the model. */
  readonly lastPurchase: number[];
  /** As the model, `null` for NaN. */
  readonly ownCycleDays: (number | null)[];
  /** As the model, `null` for NaN. */
  readonly productCycleDays: (number | null)[];
  /** As the model. */
  readonly buyers: number[];
  /** As the model. */
  readonly fallbackCycleDays: number;
  /** As the model. */
  readonly featureNames: readonly string[];
  /** As the model. */
  readonly coefficients: number[];
  /** As the model. */
  readonly intercept: number;
  /** As the model. */
  readonly trainingPairs: number;
  /** As the model. */
  readonly trainingReorders: number;
}

/** Draws `count` of `n` indices uniformly (partial Fisher–Yates), returned ascending. */
function sampleIndices(n: number, count: number, seed: Seed): Int32Array {
  const all = new Int32Array(n);
  for (let k = 0; k < n; k++) all[k] = k;
  if (count >= n) return all;
  const random = createRandom(seed);
  for (let k = 0; k < count; k++) {
    const j = k + Math.floor(random() * (n - k));
    const t = all[k]!;
    all[k] = all[j]!;
    all[j] = t;
  }
  return all.subarray(0, count).sort();
}

/**
 * Fits the repeat-purchase model: for every product an account bought, the probability that it orders it again
 * within `horizonDays` after `asOf`, so that a product due for reorder ranks high and one just bought ranks low.
 *
 * How: thirteen features per (account, product) pair describe its reorder behaviour (purchase count and decayed count,
 * days since the last purchase, that time over the account's own median gap for the product and over the product's
 * typical gap across accounts, a log-logistic "due within the horizon" log-odds, the account's order frequency, the
 * product's share of the account's orders, and the product's overall and recent popularity and repeat rate; see
 * {@link RepeatPurchaseModel.featureNames}). An L2 logistic regression (`fitLogisticRegression`) learns them on the
 * past: features from the purchases before T0 = asOf − horizon, label "bought again in [T0, asOf]". Every pair is
 * then scored with its features from all purchases up to `asOf`. Purchase occasions are distinct timestamps (two
 * lines of one order are one purchase). It needs `interactions.events` (every purchase, as `createInteractions` and
 * the readers keep them): merged pairs hold no repeat purchase to learn from.
 *
 * On Online Retail II (validation: fit before 2010-06-01, judge the next three months, every product bought counts),
 * it ranks an account's products better than buy-again (NDCG@10 0.44 vs 0.39 with the same popularity fill).
 *
 * Complexity: O(events · log(events) + P · f² · iterations) for P = min(pairs, maxTrainingPairs) training pairs and
 * f = 13 features; about a second for Online Retail II's 394,000 purchases (274,000 pairs) on one core.
 *
 * @param interactions - purchases with timestamps spanning more than the horizon
 * @param options - horizon (default 90 days), half-life (180 days), l2 (1), asOf, time unit, fill (`"none"`),
 *   training-pair cap and seed
 * @returns a new frozen {@link RepeatPurchaseModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` without timestamps or events, or for a bad option; `E_EMPTY` when
 *   no product was bought before asOf − horizon, or none (or every one) of those was bought again (nothing to learn
 *   from); `E_SHAPE` for a malformed dataset
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRepeatPurchases } from "nextbest/repeat";
 * const day = 86_400;
 * // Twelve accounts reorder filters every 20 days; each also bought a drill once.
 * const rows = [];
 * for (let a = 0; a < 12; a++) {
 *   for (let t = a; t <= 200; t += 20) rows.push({ user: `a${a}`, item: "filters", timestamp: t * day });
 *   rows.push({ user: `a${a}`, item: "drill", timestamp: (5 + 10 * a) * day });
 * }
 * const model = fitRepeatPurchases(createInteractions(rows), { horizonDays: 30 });
 * // a0 orders filters every 20 days, so it will within the 30-day horizon; its one-off drill it will not.
 * model.probabilities[0] > 0.9 && model.probabilities[1] < 0.1; // => true
 * model.ownCycleDays[0]; // => 20
 * ```
 * @category repeat
 */
export function fitRepeatPurchases(interactions: Interactions, options: RepeatPurchaseOptions = {}): RepeatPurchaseModel {
  const fn = "fitRepeatPurchases";
  checkInteractions(fn, interactions);
  checkOptionsObject(fn, options);
  const times = pairTimes(fn, interactions);
  if (interactions.events === undefined) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: interactions must have events (every purchase with its time, as createInteractions keeps them), got merged pairs without events; use fitBuyAgain for those`,
    );
  }
  const horizonDays = positiveDays(fn, "options.horizonDays", options.horizonDays ?? 90, false);
  const halfLifeDays = positiveDays(fn, "options.halfLifeDays", options.halfLifeDays ?? 180, true);
  const l2 = options.l2 ?? 1;
  if (typeof l2 !== "number" || !Number.isFinite(l2) || !(l2 > 0)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.l2 must be a finite number > 0, got ${describeValue(l2)}`);
  }
  const timeUnit = resolveTimeUnit(fn, options.timeUnit, interactions);
  const fill = resolveFill(fn, options.fill, "none");
  const maxTrainingPairs = options.maxTrainingPairs ?? 100_000;
  assertInteger(fn, "options.maxTrainingPairs", maxTrainingPairs, 2);
  const seed = options.seed ?? 1;
  assertSeed(fn, "options.seed", seed);
  const asOf = resolveAsOf(fn, options.asOf, latestTime(times));
  const day = dayLength(timeUnit);
  const start = asOf - horizonDays * day;

  const userIndptr = interactions.byUser.indptr;
  const itemOfPair = itemsOfPairs(interactions);
  const itemCount = interactions.items.ids.length;
  const userCount = interactions.users.ids.length;

  // The past: features before T0, label = a purchase in [T0, asOf].
  const past = historySnapshot(userIndptr, itemOfPair, itemCount, times, start, false, halfLifeDays, day);
  let candidates = 0;
  for (let p = 0; p < past.active.length; p++) candidates += past.active[p]!;
  if (candidates === 0) {
    throw new NextbestError(
      "E_EMPTY",
      `${fn}: interactions must hold purchases before asOf − horizonDays (${start}) to learn reorders from, got none; lower options.horizonDays or use fitBuyAgain`,
    );
  }
  const candidatePairs = new Int32Array(candidates);
  const candidateUsers = new Int32Array(candidates);
  for (let u = 0, c = 0; u < userCount; u++) {
    for (let p = userIndptr[u]!; p < userIndptr[u + 1]!; p++) {
      if (past.active[p] === 1) {
        candidatePairs[c] = p;
        candidateUsers[c] = u;
        c++;
      }
    }
  }
  const chosen = sampleIndices(candidates, maxTrainingPairs, seed);
  const rows = chosen.length;
  const features = new Float64Array(rows * FEATURE_COUNT);
  const labels = new Uint8Array(rows);
  const pastFallback = Number.isNaN(past.overallCycleDays) ? horizonDays : past.overallCycleDays;
  let reorders = 0;
  for (let r = 0; r < rows; r++) {
    const p = candidatePairs[chosen[r]!]!;
    writeFeatures(past, p, candidateUsers[chosen[r]!]!, itemOfPair[p]!, start, day, horizonDays, pastFallback, features, r * FEATURE_COUNT);
    for (let e = times.indptr[p]!; e < times.indptr[p + 1]!; e++) {
      const t = times.timestamps[e]!;
      if (t >= start && t <= asOf) {
        labels[r] = 1;
        reorders++;
        break;
      }
    }
  }
  if (reorders === 0 || reorders === rows) {
    throw new NextbestError(
      "E_EMPTY",
      `${fn}: the (account, product) pairs bought before asOf − horizonDays must include some bought again within the horizon and some not, got ${rows} pair${rows === 1 ? "" : "s"}, ${reorders === 0 ? "none" : "all"} bought again; change options.horizonDays or use fitBuyAgain`,
    );
  }
  const scorer = fitLogisticRegression({ rows, cols: FEATURE_COUNT, data: features }, labels, { l2, featureNames: FEATURE_NAMES });
  const { coefficients, intercept } = scorer;

  // The present: every pair bought up to asOf, scored with its features at asOf.
  const now = historySnapshot(userIndptr, itemOfPair, itemCount, times, asOf, true, halfLifeDays, day);
  const { seenIndptr, seenIndices, source } = activePattern(userIndptr, itemOfPair, now.active);
  const pairs = source.length;
  const probabilities = new Float64Array(pairs);
  const purchases = new Float64Array(pairs);
  const lastPurchase = new Float64Array(pairs);
  const ownCycleDays = new Float64Array(pairs);
  const row = new Float64Array(FEATURE_COUNT);
  const nowFallback = Number.isNaN(now.overallCycleDays) ? horizonDays : now.overallCycleDays;
  for (let u = 0; u < userCount; u++) {
    for (let k = seenIndptr[u]!; k < seenIndptr[u + 1]!; k++) {
      const p = source[k]!;
      writeFeatures(now, p, u, seenIndices[k]!, asOf, day, horizonDays, nowFallback, row, 0);
      let eta = intercept;
      for (let j = 0; j < FEATURE_COUNT; j++) eta += coefficients[j]! * row[j]!;
      probabilities[k] = 1 / (1 + Math.exp(-eta));
      purchases[k] = now.purchases[p]!;
      lastPurchase[k] = now.lastPurchase[p]!;
      ownCycleDays[k] = now.ownCycleDays[p]!;
    }
  }
  return Object.freeze({
    kind: "repeat-purchases",
    version: 1,
    users: interactions.users,
    items: interactions.items,
    asOf,
    timeUnit,
    horizonDays,
    halfLifeDays,
    fill,
    seenIndptr,
    seenIndices,
    probabilities,
    purchases,
    lastPurchase,
    ownCycleDays,
    productCycleDays: now.productCycleDays,
    buyers: now.buyers,
    fallbackCycleDays: nowFallback,
    featureNames: FEATURE_NAMES,
    coefficients,
    intercept,
    trainingPairs: rows,
    trainingReorders: reorders,
  });
}

/** The O(1) checks of a repeat-purchase model beyond its header. */
function checkRepeatModel(fn: string, model: unknown): asserts model is RepeatPurchaseModel {
  checkModelHeader(fn, model, "repeat-purchases", 1);
  const m = model as unknown as RepeatPurchaseModel;
  const pairs = m.seenIndices.length;
  const items = m.items.ids.length;
  checkModelArray(fn, "probabilities", m.probabilities, pairs, "one per bought pair");
  checkModelArray(fn, "purchases", m.purchases, pairs, "one per bought pair");
  checkModelArray(fn, "lastPurchase", m.lastPurchase, pairs, "one per bought pair");
  checkModelArray(fn, "ownCycleDays", m.ownCycleDays, pairs, "one per bought pair");
  checkModelArray(fn, "productCycleDays", m.productCycleDays, items, "one per item");
  checkModelArray(fn, "buyers", m.buyers, items, "one per item");
}

/**
 * The {@link Recommender} adapter of a repeat-purchase model: an account's own products score their reorder
 * probabilities; other products NaN (the default `fill: "none"`) or the popularity fill −1 / (1 + buyers), below
 * every own product. Own products are its `seenItems`, so ask for `excludeSeen: false` to get the reorder list.
 * Unknown accounts get the popularity fill as fallback (source `"popularity"`) with `fill: "popularity"`, no fallback
 * otherwise.
 *
 * Cheap: O(1) checks, no copying. `scoreUser` costs O(items).
 *
 * @param model - a fitted or deserialized repeat-purchase model
 * @returns a recommender for `recommend`, `recommendMany`, `scoreItems`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 repeat-purchase model or its arrays
 *   disagree in length
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRepeatPurchases, repeatPurchaseRecommender } from "nextbest/repeat";
 * import { recommend } from "nextbest/recommend";
 * const day = 86_400;
 * const rows = [];
 * for (let a = 0; a < 12; a++) {
 *   for (let t = a; t <= 200; t += 20) rows.push({ user: `a${a}`, item: "filters", timestamp: t * day });
 *   rows.push({ user: `a${a}`, item: "drill", timestamp: (5 + 10 * a) * day });
 * }
 * const model = repeatPurchaseRecommender(fitRepeatPurchases(createInteractions(rows), { horizonDays: 30 }));
 * recommend(model, "a3", { excludeSeen: false }).items.map((r) => r.item); // => ["filters", "drill"]
 * recommend(model, "hooli").fallback; // => { reason: "unknown-user", source: null }
 * ```
 * @category repeat
 */
export function repeatPurchaseRecommender(model: RepeatPurchaseModel): Recommender {
  const fn = "repeatPurchaseRecommender";
  checkRepeatModel(fn, model);
  const base = ownProductsRecommender(fn, "repeat-purchases", model, model.probabilities);
  const itemCount = model.items.ids.length;
  let population: ProductPopulation | undefined;
  return Object.freeze({
    ...base,
    // A new account: its own products scored with the trained scorer on their features at the later of asOf and its
    // latest row, against the training population's product statistics (computed once, on the first call).
    scoreHistory(history: ItemHistory, out: Float64Array): void {
      checkScoreBuffer(`${fn}.scoreHistory`, out, itemCount);
      if (history.events === undefined) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}.scoreHistory: history.timestamps must be given for repeat purchases (it scores each product's purchase dates), got none`,
        );
      }
      population ??= productPopulation(model);
      scoreNewAccount(model, population, history, history.events, out);
    },
  });
}

/** Per product: the accounts that bought it recently and more than once, as the trained scorer saw them at `asOf`. */
interface ProductPopulation {
  readonly recentBuyers: Float64Array;
  readonly repeatBuyers: Float64Array;
}

/** The product statistics of the training population, from the model's pairs. O(pairs). */
function productPopulation(model: RepeatPurchaseModel): ProductPopulation {
  const itemCount = model.items.ids.length;
  const recentBuyers = new Float64Array(itemCount);
  const repeatBuyers = new Float64Array(itemCount);
  const recent = RECENT_DAYS * dayLength(model.timeUnit);
  for (let k = 0; k < model.seenIndices.length; k++) {
    const item = model.seenIndices[k]!;
    if (model.asOf - model.lastPurchase[k]! < recent) recentBuyers[item] = recentBuyers[item]! + 1;
    if (model.purchases[k]! >= 2) repeatBuyers[item] = repeatBuyers[item]! + 1;
  }
  return { recentBuyers, repeatBuyers };
}

/**
 * Scores a new account's products: builds the one-account history snapshot its features need (the product columns
 * are the training population's) and applies the scorer. Rows after the model's asOf move the reference time forward.
 */
function scoreNewAccount(
  model: RepeatPurchaseModel,
  population: ProductPopulation,
  history: ItemHistory,
  events: { readonly indptr: Int32Array; readonly timestamps: Float64Array },
  out: Float64Array,
): void {
  const itemCount = model.items.ids.length;
  const count = history.items.length;
  const day = dayLength(model.timeUnit);
  const halfLife = model.halfLifeDays * day;
  let at = model.asOf;
  for (let e = 0; e < events.timestamps.length; e++) if (events.timestamps[e]! > at) at = events.timestamps[e]!;
  const purchases = new Float64Array(count);
  const decayed = new Float64Array(count);
  const lastPurchase = new Float64Array(count);
  const ownCycleDays = new Float64Array(count).fill(Number.NaN);
  const gaps = new Float64Array(Math.max(1, events.timestamps.length));
  const accountTimes = Float64Array.from(events.timestamps).sort();
  let orders = 0;
  for (let e = 0; e < accountTimes.length; e++) if (e === 0 || accountTimes[e] !== accountTimes[e - 1]) orders++;
  const scan = new Float64Array(3);
  for (let k = 0; k < count; k++) {
    const gapCount = scanPurchases(events.timestamps, events.indptr[k]!, events.indptr[k + 1]!, at, halfLife, day, gaps, scan);
    purchases[k] = scan[0]!;
    decayed[k] = scan[1]!;
    lastPurchase[k] = scan[2]!;
    if (gapCount >= 2) ownCycleDays[k] = medianOfRange(gaps, 0, gapCount);
  }
  const snapshot: HistorySnapshot = {
    active: new Uint8Array(count).fill(1),
    purchases,
    decayed,
    lastPurchase,
    ownCycleDays,
    productCycleDays: model.productCycleDays,
    overallCycleDays: model.fallbackCycleDays,
    buyers: model.buyers,
    recentBuyers: population.recentBuyers,
    repeatBuyers: population.repeatBuyers,
    accountOrders: Float64Array.of(orders),
    accountFirst: Float64Array.of(accountTimes.length > 0 ? accountTimes[0]! : at),
  };
  if (model.fill === "none") out.fill(Number.NaN);
  else for (let i = 0; i < itemCount; i++) out[i] = popularityFill(model.buyers[i]!);
  const row = new Float64Array(FEATURE_COUNT);
  for (let k = 0; k < count; k++) {
    writeFeatures(snapshot, k, 0, history.items[k]!, at, day, model.horizonDays, model.fallbackCycleDays, row, 0);
    let eta = model.intercept;
    for (let j = 0; j < FEATURE_COUNT; j++) eta += model.coefficients[j]! * row[j]!;
    out[history.items[k]!] = 1 / (1 + Math.exp(-eta));
  }
}

/**
 * The JSON form of a repeat-purchase model, ready for `JSON.stringify` (NaN cycles become `null`).
 *
 * Complexity: O(users + items + pairs).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 repeat-purchase model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRepeatPurchases, repeatPurchasesToJSON } from "nextbest/repeat";
 * const rows = [];
 * for (let a = 0; a < 12; a++) {
 *   for (let t = a; t <= 200; t += 20) rows.push({ user: `a${a}`, item: "filters", timestamp: t * 86_400 });
 *   rows.push({ user: `a${a}`, item: "drill", timestamp: (5 + 10 * a) * 86_400 });
 * }
 * const json = repeatPurchasesToJSON(fitRepeatPurchases(createInteractions(rows), { horizonDays: 30 }));
 * [json.kind, json.ownCycleDays[0], json.ownCycleDays[1], json.productCycleDays[1]]; // => ["repeat-purchases", 20, null, null]
 * ```
 * @category repeat
 */
export function repeatPurchasesToJSON(model: RepeatPurchaseModel): RepeatPurchaseModelJSON {
  checkRepeatModel("repeatPurchasesToJSON", model);
  return {
    kind: "repeat-purchases",
    version: 1,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    asOf: model.asOf,
    timeUnit: model.timeUnit,
    horizonDays: model.horizonDays,
    halfLifeDays: Number.isFinite(model.halfLifeDays) ? model.halfLifeDays : null,
    fill: model.fill,
    ...seenToJSON(model),
    probabilities: typedArrayToJSON(model.probabilities),
    purchases: typedArrayToJSON(model.purchases),
    lastPurchase: typedArrayToJSON(model.lastPurchase),
    ownCycleDays: nullableArrayToJSON(model.ownCycleDays),
    productCycleDays: nullableArrayToJSON(model.productCycleDays),
    buyers: typedArrayToJSON(model.buyers),
    fallbackCycleDays: model.fallbackCycleDays,
    featureNames: [...model.featureNames],
    coefficients: typedArrayToJSON(model.coefficients),
    intercept: model.intercept,
    trainingPairs: model.trainingPairs,
    trainingReorders: model.trainingReorders,
  };
}

/**
 * Rebuilds a repeat-purchase model from its JSON form (parsed), validating everything: kind, version, options, unique
 * ids, a well-formed seen pattern, per bought pair a probability in [0, 1], a purchase count ≥ 1, a finite last
 * purchase time not after `asOf` and a cycle > 0 or `null`, per product a cycle > 0 or `null` and a buyer count ≥ 0,
 * and the scorer's feature names and coefficients.
 *
 * Complexity: O(users + items + pairs).
 *
 * @param json - the parsed JSON (`JSON.parse` of `JSON.stringify(repeatPurchasesToJSON(model))`)
 * @returns a new frozen {@link RepeatPurchaseModel} equal to the one serialized
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRepeatPurchases, repeatPurchasesFromJSON, repeatPurchasesToJSON } from "nextbest/repeat";
 * const rows = [];
 * for (let a = 0; a < 12; a++) {
 *   for (let t = a; t <= 200; t += 20) rows.push({ user: `a${a}`, item: "filters", timestamp: t * 86_400 });
 *   rows.push({ user: `a${a}`, item: "drill", timestamp: (5 + 10 * a) * 86_400 });
 * }
 * const model = fitRepeatPurchases(createInteractions(rows), { horizonDays: 30 });
 * const copy = repeatPurchasesFromJSON(JSON.parse(JSON.stringify(repeatPurchasesToJSON(model))));
 * Array.from(copy.probabilities).every((p, k) => p === model.probabilities[k]); // => true
 * repeatPurchasesFromJSON({ ...repeatPurchasesToJSON(model), horizonDays: 0 });
 * // throws NextbestError E_BAD_MODEL: "repeatPurchasesFromJSON: json.horizonDays must be a finite number > 0, got 0"
 * ```
 * @category repeat
 */
export function repeatPurchasesFromJSON(json: unknown): RepeatPurchaseModel {
  const fn = "repeatPurchasesFromJSON";
  const record = readModelEnvelope(fn, json, "repeat-purchases", [1]);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  const asOf = finiteFromJSON(fn, "json.asOf", record["asOf"]);
  const timeUnit = timeUnitFromJSON(fn, record["timeUnit"]);
  const horizonDays = record["horizonDays"];
  if (typeof horizonDays !== "number" || !Number.isFinite(horizonDays) || !(horizonDays > 0)) {
    badModel(fn, "json.horizonDays", "be a finite number > 0", horizonDays);
  }
  const halfLifeDays = halfLifeFromJSON(fn, "json.halfLifeDays", record["halfLifeDays"]);
  const fill = fillFromJSON(fn, record["fill"]);
  const seen = seenFromJSON(fn, record, users, items);
  const pairs = seen.seenIndices.length;
  const itemCount = items.ids.length;
  const probabilities = float64ArrayFromJSON(fn, "json.probabilities", record["probabilities"], { length: pairs, lengthMeaning: "one per bought pair" });
  for (let k = 0; k < pairs; k++) {
    if (probabilities[k]! < 0 || probabilities[k]! > 1) badModel(fn, `json.probabilities[${k}]`, "be in [0, 1]", probabilities[k]);
  }
  const purchases = float64ArrayFromJSON(fn, "json.purchases", record["purchases"], { length: pairs, lengthMeaning: "one per bought pair" });
  for (let k = 0; k < pairs; k++) {
    if (!Number.isInteger(purchases[k]!) || purchases[k]! < 1) badModel(fn, `json.purchases[${k}]`, "be an integer >= 1", purchases[k]);
  }
  const lastPurchase = float64ArrayFromJSON(fn, "json.lastPurchase", record["lastPurchase"], { length: pairs, lengthMeaning: "one per bought pair" });
  for (let k = 0; k < pairs; k++) {
    if (lastPurchase[k]! > asOf) badModel(fn, `json.lastPurchase[${k}]`, `be at or before json.asOf (${asOf})`, lastPurchase[k]);
  }
  const ownCycleDays = positiveCycles(fn, "json.ownCycleDays", record["ownCycleDays"], pairs, "one per bought pair");
  const productCycleDays = positiveCycles(fn, "json.productCycleDays", record["productCycleDays"], itemCount, "one per item");
  const buyers = nonNegativeArrayFromJSON(fn, "json.buyers", record["buyers"], itemCount, "one per item");
  const fallbackCycleDays = record["fallbackCycleDays"];
  if (typeof fallbackCycleDays !== "number" || !Number.isFinite(fallbackCycleDays) || !(fallbackCycleDays > 0)) {
    badModel(fn, "json.fallbackCycleDays", "be a finite number > 0", fallbackCycleDays);
  }
  const featureNames = record["featureNames"];
  if (!Array.isArray(featureNames) || featureNames.length !== FEATURE_COUNT || featureNames.some((name, j) => name !== FEATURE_NAMES[j])) {
    badModel(fn, "json.featureNames", `be the ${FEATURE_COUNT} features of this release (${FEATURE_NAMES.join(", ")})`, featureNames);
  }
  const coefficients = float64ArrayFromJSON(fn, "json.coefficients", record["coefficients"], { length: FEATURE_COUNT, lengthMeaning: "one per feature" });
  const intercept = finiteFromJSON(fn, "json.intercept", record["intercept"]);
  const trainingPairs = record["trainingPairs"];
  if (typeof trainingPairs !== "number" || !Number.isInteger(trainingPairs) || trainingPairs < 2) {
    badModel(fn, "json.trainingPairs", "be an integer >= 2", trainingPairs);
  }
  const trainingReorders = record["trainingReorders"];
  if (typeof trainingReorders !== "number" || !Number.isInteger(trainingReorders) || trainingReorders < 1 || trainingReorders >= trainingPairs) {
    badModel(fn, "json.trainingReorders", `be an integer in [1, ${trainingPairs - 1}]`, trainingReorders);
  }
  return Object.freeze({
    kind: "repeat-purchases",
    version: 1,
    users,
    items,
    asOf,
    timeUnit,
    horizonDays,
    halfLifeDays,
    fill,
    ...seen,
    probabilities,
    purchases,
    lastPurchase,
    ownCycleDays,
    productCycleDays,
    buyers,
    fallbackCycleDays,
    featureNames: FEATURE_NAMES,
    coefficients,
    intercept,
    trainingPairs,
    trainingReorders,
  });
}

/** Reads cycle lengths: numbers > 0, or null (no cycle, NaN). */
function positiveCycles(fn: string, field: string, value: unknown, length: number, meaning: string): Float64Array {
  const out = nullableArrayFromJSON(fn, field, value, length, meaning, 0);
  for (let k = 0; k < length; k++) if (out[k] === 0) badModel(fn, `${field}[${k}]`, "be a number > 0 or null", 0);
  return out;
}
