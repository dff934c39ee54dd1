/**
 * The top-k ranking protocol: precision, recall, nDCG, MAP, ... of any model's recommendation lists on a test set.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import {
  aucForUser,
  averageRecommendationPopularity,
  catalogCoverage,
  meanOverUsers,
  novelty,
  rankingMetricsOverUsers,
  type AveragePrecisionDenominator,
  type PrecisionDenominator,
  type RankingMetricName,
} from "../metrics/index.ts";
import { checkRecommender } from "../recommend/engine.ts";
import { recommendMany } from "../recommend/recommend-many.ts";
import { assertInteger } from "../internal/validate.ts";
import type { Recommender } from "../recommend/types.ts";
import { booleanOption, checkInteractions, checkOptionalOptions } from "./internal.ts";
import type { PerUserTable, RankingMetricKey } from "./types.ts";

/** Every {@link RankingMetricKey}, in display order. */
const RANKING_METRIC_KEYS: readonly RankingMetricKey[] = [
  "precision",
  "recall",
  "f1",
  "hitRate",
  "ndcg",
  "map",
  "mrr",
  "auc",
  "coverage",
  "novelty",
  "popularity",
];

/** Our metric keys → the per-user metric names of `rankingMetricsOverUsers`. */
const PER_USER_NAME: ReadonlyMap<RankingMetricKey, RankingMetricName> = new Map<RankingMetricKey, RankingMetricName>([
  ["precision", "precision"],
  ["recall", "recall"],
  ["f1", "f1"],
  ["hitRate", "hitRate"],
  ["ndcg", "ndcg"],
  ["map", "averagePrecision"],
  ["mrr", "reciprocalRank"],
]);

const DEFAULT_METRICS: readonly RankingMetricKey[] = ["precision", "recall", "ndcg", "map", "hitRate", "mrr"];

/** Users scored per batch when full rankings are needed (AUC): bounds the memory of the lists. */
const FULL_RANKING_BATCH = 64;

/**
 * What {@link evaluateRanking} does with test users the model does not know (cold start): `"skip"` leaves them out
 * (counted; cornac's `exclude_unknowns` and the splits' default `coldStart: "drop"` do the same); `"include"`
 * evaluates them on the lists `recommend` gives them (the model's fallback, or an empty list that scores 0).
 *
 * @category evaluation
 */
export type ColdUserPolicy = "skip" | "include";

/**
 * Options of {@link evaluateRanking}.
 *
 * @category evaluation
 */
export interface EvaluateRankingOptions {
  /** The cutoff, or several (each metric is reported at each; the lists are computed once at the largest). @defaultValue 10 */
  k?: number | readonly number[];
  /** Which metrics to compute, see {@link RankingMetricKey}. @defaultValue ["precision", "recall", "ndcg", "map", "hitRate", "mrr"] */
  metrics?: readonly RankingMetricKey[];
  /**
   * A test interaction is relevant when its value is >= this threshold (e.g. 4 on a 1–5 rating scale); users left
   * without relevant items are skipped (counted). For implicit data leave it unset.
   * @defaultValue undefined (every test interaction is relevant)
   */
  relevanceThreshold?: number;
  /**
   * Leave the user's training items out of the lists (`Recommender.seenItems`), as every published protocol does:
   * a test item is never a training item, so recommending training items only wastes slots.
   * @defaultValue true
   */
  excludeSeen?: boolean;
  /** What to do with test users the model does not know, see {@link ColdUserPolicy}. @defaultValue "skip" */
  coldUsers?: ColdUserPolicy;
  /**
   * The training set: the item popularity of `"novelty"` and `"popularity"` (distinct training users per item), which
   * need it. The experiment runners pass it for you.
   * @defaultValue undefined
   */
  train?: Interactions;
  /** Denominator of precision, as `nextbest/metrics`' `precisionAtK`: `"k"` or implicit's `"min-k-relevant"`. @defaultValue "k" */
  precisionDenominator?: PrecisionDenominator;
  /** Denominator of average precision (MAP), as `averagePrecisionAtK`. @defaultValue "min-k-relevant" */
  averagePrecisionDenominator?: AveragePrecisionDenominator;
  /** nDCG with the test values as graded relevance (linear gain) instead of binary relevance. @defaultValue false */
  gradedNdcg?: boolean;
  /**
   * Threads that score the test users of a model with `scoreUsers` (ALS, BPR, matrix factorization, SVD++), as
   * `recommendMany`'s option: the lists, and so every metric, do not depend on it.
   * @defaultValue the model's choice: the available cores (Node and Deno; 1 elsewhere) for the factor models
   */
  threads?: number;
}

/**
 * Why {@link evaluateRanking} left a test user out: no relevant test item (under the threshold), or unknown to the
 * model (with `coldUsers: "skip"`).
 *
 * @category evaluation
 */
export type SkipReason = "no-relevant-items" | "unknown-user";

/**
 * A test user {@link evaluateRanking} left out, and why.
 *
 * @category evaluation
 */
export interface SkippedUser {
  /** The user's id. */
  readonly user: Id;
  /** Why the user was not evaluated. */
  readonly reason: SkipReason;
}

/**
 * What {@link evaluateRanking} returns. Plain data; `JSON.stringify` keeps everything (NaN becomes `null`).
 *
 * @category evaluation
 */
export interface RankingEvaluation {
  /** Always `"ranking"`. */
  readonly protocol: "ranking";
  /** The recommender's `name`. */
  readonly model: string;
  /** The cutoffs, ascending. */
  readonly k: readonly number[];
  /** The metric columns, e.g. `"precision@10"`, `"auc"`, in the order of `options.metrics` then k. */
  readonly columns: readonly string[];
  /**
   * Per column, the value: for per-user metrics the mean over the evaluated users (users whose value is undefined,
   * such as AUC without a negative candidate, are left out of the mean); for `coverage`, `novelty`, `popularity` the
   * value over all evaluated users' lists. NaN when no user was evaluated.
   */
  readonly mean: { readonly [column: string]: number };
  /** Per-user values of the per-user columns (not `coverage`, `novelty`, `popularity`); NaN where undefined. */
  readonly perUser: PerUserTable;
  /** How many test users were evaluated and how many skipped, by reason. */
  readonly users: {
    /** Test users evaluated. */
    readonly evaluated: number;
    /** Test users without relevant items (skipped). */
    readonly noRelevantItems: number;
    /** Test users unknown to the model: skipped under `coldUsers: "skip"`, else evaluated and counted here too. */
    readonly unknown: number;
  };
  /** The skipped users and why, in test order. */
  readonly skippedUsers: readonly SkippedUser[];
  /** Whether the users' training items were left out of the lists. */
  readonly excludeSeen: boolean;
  /** How many training items were left out of the lists in all (0 without `excludeSeen`). */
  readonly excludedSeen: number;
  /** The relevance threshold used, or `null` (every test interaction relevant). */
  readonly relevanceThreshold: number | null;
  /** Relevant test items of the evaluated users, in all. */
  readonly relevantItems: number;
  /** Of those, items the model does not know: it can never recommend them (they count as misses). */
  readonly unknownRelevantItems: number;
}

function resolveKs(fn: string, value: unknown): number[] {
  const raw = value === undefined ? [10] : typeof value === "number" ? [value] : value;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.k must be a positive integer or a non-empty array of them, got ${describeValue(value)}`);
  }
  for (let j = 0; j < raw.length; j++) {
    const k: unknown = raw[j];
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1) {
      const name = typeof value === "number" ? "options.k" : `options.k[${j}]`;
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a positive integer, got ${describeValue(k)}`);
    }
  }
  return Array.from(new Set(raw as number[])).sort((a, b) => a - b);
}

function resolveMetrics(fn: string, value: unknown): RankingMetricKey[] {
  if (value === undefined) return DEFAULT_METRICS.slice();
  if (!Array.isArray(value) || value.length === 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.metrics must be a non-empty array of metric names, got ${describeValue(value)}`);
  }
  const out: RankingMetricKey[] = [];
  for (let j = 0; j < value.length; j++) {
    const name: unknown = value[j];
    if (typeof name !== "string" || !(RANKING_METRIC_KEYS as readonly string[]).includes(name)) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: options.metrics[${j}] must be one of ${RANKING_METRIC_KEYS.map((m) => JSON.stringify(m)).join(", ")}, got ${describeValue(name)}`,
      );
    }
    if (!out.includes(name as RankingMetricKey)) out.push(name as RankingMetricKey);
  }
  return out;
}

function choice<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** Distinct training users per item, as a Map keyed by item id. */
function itemPopularity(train: Interactions): Map<Id, number> {
  const { indptr } = train.byItem;
  const out = new Map<Id, number>();
  for (let i = 0; i < train.items.ids.length; i++) out.set(train.items.ids[i]!, indptr[i + 1]! - indptr[i]!);
  return out;
}

/**
 * Top-k accuracy of any model on a test set, the protocol of cornac's and RecTools' ranking evaluation: for every test
 * user, the model's top-k list (through `recommendMany`, training items left out by default) is compared with the
 * user's relevant test items (all of them, or those rated at least `relevanceThreshold`), and each metric is
 * averaged over the evaluated users (`nextbest/metrics`' `rankingMetricsOverUsers`, `aucForUser`, `catalogCoverage`,
 * `novelty`, `averageRecommendationPopularity` do the arithmetic, with their stated conventions).
 *
 * Users without relevant test items are skipped, and so are users the model does not know unless
 * `coldUsers: "include"`; both are counted and listed. Test users and items are matched to the model by external id.
 * Relevant items the model does not know stay relevant (misses it cannot avoid) and are counted.
 *
 * Complexity: one `scoreUser` per evaluated user plus O(n log k) top-k for n items; with `"auc"` a full ranking per
 * user, O(n log n), in batches of 64 users. Memory O(users × k).
 *
 * @param recommender - the model to evaluate
 * @param test - the held-out interactions
 * @param options - cutoffs, metrics, relevance threshold, seen filtering, cold users, training set, metric conventions
 * @returns per column the mean and per-user values, and what was evaluated, skipped and filtered
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed recommender, dataset or option (naming it), and for
 *   `"novelty"` / `"popularity"` without `options.train`
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { createInteractions } from "nextbest/data";
 * import { evaluateRanking } from "nextbest/evaluation";
 * // Ranks items a > b > c > d for everyone; "ann" has seen "a" in training.
 * const model = {
 *   name: "fixed", users: createIdIndex(["ann", "bob"]), items: createIdIndex(["a", "b", "c", "d"]),
 *   scoreUser(user, out) { out.set([4, 3, 2, 1]); }, seenItems(user) { return user === 0 ? [0] : []; },
 * };
 * const test = createInteractions([
 *   { user: "ann", item: "c", value: 5 }, { user: "ann", item: "d", value: 2 },
 *   { user: "bob", item: "a", value: 4 }, { user: "cat", item: "a", value: 5 },
 * ]);
 * // ann gets [b, c] (a is seen), bob [a, b]; relevant (>= 4): ann {c}, bob {a}; cat is unknown.
 * const result = evaluateRanking(model, test, { k: 2, metrics: ["precision", "mrr"], relevanceThreshold: 4 });
 * result.mean; // => { "precision@2": 0.5, "mrr@2": 0.75 }
 * result.perUser.values["mrr@2"]; // => [0.5, 1]
 * result.skippedUsers; // => [{ user: "cat", reason: "unknown-user" }]
 * result.excludedSeen; // => 1
 * ```
 * @category evaluation
 */
export function evaluateRanking(recommender: Recommender, test: Interactions, options?: EvaluateRankingOptions): RankingEvaluation {
  return evaluateRankingFor("evaluateRanking", { test: "test", train: "options.train" }, recommender, test, options);
}

/**
 * {@link evaluateRanking} for the public function `fn` the user called (evaluateNextPurchases), with the argument paths
 * they passed the test and training interactions under (`split.newPairs`, `split.train`). @internal
 */
export function evaluateRankingFor(
  fn: string,
  paths: { readonly test: string; readonly train: string },
  recommender: Recommender,
  test: Interactions,
  options: EvaluateRankingOptions | undefined,
): RankingEvaluation {
  checkRecommender(fn, recommender);
  checkInteractions(fn, paths.test, test);
  checkOptionalOptions(fn, options);
  const o = options ?? {};
  const ks = resolveKs(fn, o.k);
  const metrics = resolveMetrics(fn, o.metrics);
  const threshold = o.relevanceThreshold;
  if (threshold !== undefined && (typeof threshold !== "number" || Number.isNaN(threshold))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.relevanceThreshold must be a number, got ${describeValue(threshold)}`);
  }
  const excludeSeen = booleanOption(fn, "options.excludeSeen", o.excludeSeen, true);
  const coldUsers = choice(fn, "options.coldUsers", o.coldUsers, ["skip", "include"] as const, "skip");
  const precisionDenominator = choice(fn, "options.precisionDenominator", o.precisionDenominator, ["k", "min-k-relevant"] as const, "k");
  const averagePrecisionDenominator = choice(
    fn,
    "options.averagePrecisionDenominator",
    o.averagePrecisionDenominator,
    ["min-k-relevant", "relevant"] as const,
    "min-k-relevant",
  );
  const gradedNdcg = booleanOption(fn, "options.gradedNdcg", o.gradedNdcg, false);
  if (o.threads !== undefined) assertInteger(fn, "options.threads", o.threads, 1, 256);
  const needsTrain = metrics.filter((m) => m === "novelty" || m === "popularity");
  if (o.train !== undefined) checkInteractions(fn, paths.train, o.train);
  else if (needsTrain.length > 0) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.train must be given for ${needsTrain.map((m) => JSON.stringify(m)).join(" and ")} (the training item popularity), got undefined`,
    );
  }

  // 1. Relevant items per test user; who is evaluated, who is skipped and why.
  const { indptr, indices, values } = test.byUser;
  const evaluated: Id[] = [];
  const relevant = new Map<Id, Id[]>();
  const gains = gradedNdcg ? new Map<Id, Map<Id, number>>() : undefined;
  const skippedUsers: SkippedUser[] = [];
  let noRelevantItems = 0;
  let unknown = 0;
  let relevantItems = 0;
  let unknownRelevantItems = 0;
  for (let u = 0; u < test.users.ids.length; u++) {
    const start = indptr[u]!;
    const end = indptr[u + 1]!;
    if (start === end) continue;
    const user = test.users.ids[u]!;
    const items: Id[] = [];
    const grades = gains === undefined ? undefined : new Map<Id, number>();
    for (let p = start; p < end; p++) {
      if (threshold !== undefined && !(values[p]! >= threshold)) continue;
      const item = test.items.ids[indices[p]!]!;
      items.push(item);
      grades?.set(item, values[p]!);
    }
    if (items.length === 0) {
      noRelevantItems++;
      skippedUsers.push({ user, reason: "no-relevant-items" });
      continue;
    }
    if (!recommender.users.lookup.has(user)) {
      unknown++;
      if (coldUsers === "skip") {
        skippedUsers.push({ user, reason: "unknown-user" });
        continue;
      }
    }
    for (const item of items) if (!recommender.items.lookup.has(item)) unknownRelevantItems++;
    relevantItems += items.length;
    evaluated.push(user);
    relevant.set(user, items);
    if (gains !== undefined) gains.set(user, grades!);
  }

  // 2. The lists, at the largest cutoff (full rankings, in batches, when AUC needs them).
  const maxK = ks[ks.length - 1]!;
  const wantsAuc = metrics.includes("auc");
  const lists = new Map<Id, Id[]>();
  const aucValues: number[] = [];
  let excludedSeen = 0;
  const catalog = recommender.items.ids;
  const listK = wantsAuc ? Math.max(catalog.length, maxK) : maxK;
  const batch = wantsAuc ? FULL_RANKING_BATCH : Math.max(evaluated.length, 1);
  for (let from = 0; from < evaluated.length; from += batch) {
    const chunk = evaluated.slice(from, from + batch);
    const recommendations = recommendMany(recommender, chunk, { k: listK, excludeSeen, ...(o.threads === undefined ? {} : { threads: o.threads }) });
    for (const recommendation of recommendations) {
      const user = recommendation.user;
      excludedSeen += recommendation.excludedSeen;
      const ranked = recommendation.items.map((entry) => entry.item);
      if (wantsAuc) {
        const u = recommender.users.lookup.get(user);
        let seen: Id[] = [];
        if (excludeSeen && u !== undefined) seen = Array.from(recommender.seenItems(u), (i) => catalog[i]!);
        aucValues.push(aucForUser(ranked, relevant.get(user)!, { catalog, seen }));
      }
      lists.set(user, ranked.length > maxK ? ranked.slice(0, maxK) : ranked);
    }
  }

  // 3. The metrics.
  const columns: string[] = [];
  const mean: Record<string, number> = {};
  const perUserValues: Record<string, number[]> = {};
  const overUsers = new Map<number, ReturnType<typeof rankingMetricsOverUsers>>();
  const perUserMetricsAt = (k: number): ReturnType<typeof rankingMetricsOverUsers> => {
    let result = overUsers.get(k);
    if (result === undefined) {
      result = rankingMetricsOverUsers(lists, relevant, {
        k,
        users: evaluated,
        precisionDenominator,
        averagePrecisionDenominator,
        ...(gains === undefined ? {} : { gains }),
      });
      overUsers.set(k, result);
    }
    return result;
  };
  const allLists = Array.from(lists.values());
  const popularity = o.train === undefined ? undefined : itemPopularity(o.train);
  for (const metric of metrics) {
    if (metric === "auc") {
      columns.push("auc");
      mean["auc"] = evaluated.length === 0 ? Number.NaN : meanOverUsers(aucValues);
      perUserValues["auc"] = aucValues;
      continue;
    }
    for (const k of ks) {
      const column = `${metric}@${k}`;
      columns.push(column);
      const perUserName = PER_USER_NAME.get(metric);
      if (perUserName !== undefined) {
        const result = perUserMetricsAt(k);
        mean[column] = result.mean[perUserName];
        perUserValues[column] = Array.from(result.perUser[perUserName]);
      } else if (evaluated.length === 0) {
        mean[column] = Number.NaN;
      } else if (metric === "coverage") {
        mean[column] = catalogCoverage(allLists, catalog, { k });
      } else if (metric === "novelty") {
        mean[column] = novelty(allLists, popularity!, { k, userCount: o.train!.users.ids.length });
      } else {
        mean[column] = averageRecommendationPopularity(allLists, popularity!, { k });
      }
    }
  }
  return {
    protocol: "ranking",
    model: recommender.name,
    k: ks,
    columns,
    mean,
    perUser: { users: evaluated, values: perUserValues },
    users: { evaluated: evaluated.length, noRelevantItems, unknown },
    skippedUsers,
    excludeSeen,
    excludedSeen,
    relevanceThreshold: threshold ?? null,
    relevantItems,
    unknownRelevantItems,
  };
}
