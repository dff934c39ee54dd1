/**
 * The rating-prediction protocol: MAE, RMSE and MSE of any model on a test set.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Interactions } from "../data/types.ts";
import { mae, mse, rmse } from "../metrics/index.ts";
import { checkRecommender } from "../recommend/engine.ts";
import { createPairPredictor } from "../recommend/predict.ts";
import type { Recommender } from "../recommend/types.ts";
import { booleanOption, checkInteractions, checkOptionalOptions, entryCount, globalMean, mapItems } from "./internal.ts";
import type { PerUserTable } from "./types.ts";

/**
 * What {@link evaluateRatings} does with a test pair the model cannot predict (an item it does not know, a user it
 * does not know, or a NaN prediction): `"skip"` leaves the pair out of the errors (counted in
 * `unpredictable`); `"global-mean"` predicts the mean training value for it, as Surprise (`was_impossible`
 * predictions get the global mean) and cornac (`default_score`) do, which makes the numbers comparable with theirs.
 *
 * @category evaluation
 */
export type UnpredictablePolicy = "skip" | "global-mean";

/**
 * Options of {@link evaluateRatings}.
 *
 * @category evaluation
 */
export interface EvaluateRatingsOptions {
  /** What to do with pairs the model cannot predict, see {@link UnpredictablePolicy}. @defaultValue "skip" */
  unpredictable?: UnpredictablePolicy;
  /**
   * Predict pairs of unknown users with the model's fallback scores (`recommender.fallback`). Only meaningful when
   * the fallback's scores are on the rating scale (a baseline predictor's are; a popularity count is not), so it is
   * off by default and unknown users' pairs are unpredictable.
   * @defaultValue false
   */
  useFallback?: boolean;
  /**
   * The training set; its mean value fills unpredictable pairs under `unpredictable: "global-mean"` (required then).
   * The experiment runners pass it for you.
   * @defaultValue undefined
   */
  train?: Interactions;
}

/**
 * What {@link evaluateRatings} returns: the errors, how many pairs went into them, what happened to the others, and
 * the errors of each user. Plain data; `JSON.stringify` keeps everything (NaN becomes `null`).
 *
 * @category evaluation
 */
export interface RatingsEvaluation {
  /** Always `"ratings"`. */
  readonly protocol: "ratings";
  /** The recommender's `name`. */
  readonly model: string;
  /** Mean absolute error over the scored pairs (NaN when none). */
  readonly mae: number;
  /** Root mean squared error over the scored pairs (NaN when none). */
  readonly rmse: number;
  /** Mean squared error over the scored pairs (NaN when none). */
  readonly mse: number;
  /** Test pairs in all. */
  readonly pairs: number;
  /** Pairs in the errors: those the model predicted, plus the filled ones under `"global-mean"`. */
  readonly scored: number;
  /**
   * Pairs predicted by the model's fallback (unknown users, with `useFallback`) or by its `coldPairs` estimate
   * (unknown items; always used when the model has one, since it is on the rating scale by contract).
   */
  readonly fallbackPairs: number;
  /** Pairs the model could not predict, by cause, and what was done with them. */
  readonly unpredictable: {
    /** All of them: `unknownItem + unknownUser + noPrediction`. */
    readonly total: number;
    /** The item is not among the model's items. */
    readonly unknownItem: number;
    /** The user is not among the model's users (and no fallback was used). */
    readonly unknownUser: number;
    /** The model (or its fallback) returned NaN. */
    readonly noPrediction: number;
    /** The policy applied. */
    readonly treatment: UnpredictablePolicy;
    /** The value they were predicted with under `"global-mean"`, else `null`. */
    readonly fillValue: number | null;
  };
  /**
   * Per user with at least one scored pair (test order): columns `mae`, `rmse`, `mse` and `count` (scored pairs of
   * the user). The overall errors weight pairs, not users; the mean of `perUser.values.mae` is the user-averaged MAE.
   */
  readonly perUser: PerUserTable;
}

/**
 * Rating-prediction accuracy of any model on a test set: for every test (user, item, rating) the model's predicted
 * value (`recommender.predict` when the model implements it, else the item's entry of `scoreUser`, one scoring per
 * user), then MAE, RMSE and MSE over the pairs (each pair weighs the same, as in Surprise's `accuracy` and cornac's
 * rating metrics), plus per-user errors.
 *
 * Only models whose scores are predicted ratings give meaningful errors (baseline, kNN with means, matrix
 * factorization); a popularity model's scores are counts. Test users and items are matched to the model by external
 * id, so the test set may come from any split or reader. Pairs the model cannot predict are skipped or filled, see
 * {@link UnpredictablePolicy}, and always counted.
 *
 * Complexity: O(p) model calls with `recommender.predict` for p test pairs, else one `scoreUser` per test user;
 * O(p + test items) memory.
 *
 * @param recommender - the model to evaluate
 * @param test - the held-out interactions; their values are the true ratings
 * @param options - the policy for unpredictable pairs, fallback use, the training set
 * @returns the errors, the counts and the per-user errors
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed recommender, dataset or option, or
 *   `"global-mean"` without `train`; `E_EMPTY` when `test` (or `train`) holds no interaction; `E_NON_FINITE` when the
 *   model predicts ±Infinity (naming the pair)
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { createInteractions } from "nextbest/data";
 * import { evaluateRatings } from "nextbest/evaluation";
 * // A hand-written rating model: predicts 4 for "ann", 2 for "bob", whatever the item.
 * const model = {
 *   name: "fixed", users: createIdIndex(["ann", "bob"]), items: createIdIndex(["x", "y"]),
 *   scoreUser(user, out) { out.fill(user === 0 ? 4 : 2); }, seenItems() { return []; },
 * };
 * const test = createInteractions([
 *   { user: "ann", item: "x", value: 5 }, { user: "ann", item: "y", value: 3 },
 *   { user: "bob", item: "x", value: 4 }, { user: "bob", item: "z", value: 1 },
 * ]);
 * // errors 1, 1, 2 ("z" is unknown): MAE 4/3, MSE 6/3
 * const result = evaluateRatings(model, test);
 * [result.mae, result.mse, result.scored, result.unpredictable.unknownItem]; // => [4 / 3, 2, 3, 1]
 * result.perUser.values.mae; // => [1, 2]
 * ```
 * @category evaluation
 */
export function evaluateRatings(recommender: Recommender, test: Interactions, options?: EvaluateRatingsOptions): RatingsEvaluation {
  const fn = "evaluateRatings";
  checkRecommender(fn, recommender);
  checkInteractions(fn, "test", test);
  checkOptionalOptions(fn, options);
  const o = options ?? {};
  const treatment = o.unpredictable ?? "skip";
  if (treatment !== "skip" && treatment !== "global-mean") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.unpredictable must be "skip" or "global-mean", got ${describeValue(treatment)}`);
  }
  const useFallback = booleanOption(fn, "options.useFallback", o.useFallback, false);
  let fillValue: number | null = null;
  if (treatment === "global-mean") {
    if (o.train === undefined) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.train must be given with unpredictable: "global-mean" (its mean value fills the pairs), got undefined`);
    }
    checkInteractions(fn, "options.train", o.train);
    fillValue = globalMean(fn, "options.train", o.train);
  } else if (o.train !== undefined) {
    checkInteractions(fn, "options.train", o.train);
  }
  const pairs = entryCount(test);
  if (pairs === 0) throw new NextbestError("E_EMPTY", `${fn}: test must hold at least one interaction, got none`);

  const predictor = createPairPredictor(fn, recommender);
  const itemOf = mapItems(test.items.ids, recommender.items.lookup);
  const hasFallback = useFallback && recommender.fallback !== undefined;
  // A model's own estimate for unknown items is on the rating scale by contract, so it is always used.
  const coldPairs = recommender.coldPairs;
  const { indptr, indices, values } = test.byUser;
  const predicted = new Float64Array(pairs);
  const actual = new Float64Array(pairs);
  let scored = 0;
  let fallbackPairs = 0;
  let unknownItem = 0;
  let unknownUser = 0;
  let noPrediction = 0;
  const users: (string | number)[] = [];
  const perMae: number[] = [];
  const perRmse: number[] = [];
  const perMse: number[] = [];
  const perCount: number[] = [];
  for (let u = 0; u < test.users.ids.length; u++) {
    const start = indptr[u]!;
    const end = indptr[u + 1]!;
    if (start === end) continue;
    const userId = test.users.ids[u]!;
    const ru = recommender.users.lookup.get(userId) ?? -1;
    const first = scored;
    for (let p = start; p < end; p++) {
      const ri = itemOf[indices[p]!]!;
      let value: number;
      if (ri < 0 && coldPairs !== undefined) {
        value = coldPairs.predict(userId, test.items.ids[indices[p]!]!);
        if (value !== value) noPrediction++;
        else fallbackPairs++;
      } else if (ri < 0) {
        unknownItem++;
        value = Number.NaN;
      } else if (ru >= 0) {
        value = predictor.known(ru, ri);
        if (value !== value) noPrediction++;
      } else if (hasFallback) {
        value = predictor.unknownUser(userId, ri);
        if (value !== value) noPrediction++;
        else fallbackPairs++;
      } else {
        unknownUser++;
        value = Number.NaN;
      }
      if (value !== value) {
        if (fillValue === null) continue;
        value = fillValue;
      } else if (value === Infinity || value === -Infinity) {
        throw new NextbestError(
          "E_NON_FINITE",
          `${fn}: the prediction for user ${describeValue(userId)} and item ${describeValue(test.items.ids[indices[p]!])} must be finite (or NaN for "cannot predict"), got ${value}`,
        );
      }
      predicted[scored] = value;
      actual[scored] = values[p]!;
      scored++;
    }
    if (scored > first) {
      const userPredicted = predicted.subarray(first, scored);
      const userActual = actual.subarray(first, scored);
      users.push(userId);
      perMae.push(mae(userPredicted, userActual));
      perMse.push(mse(userPredicted, userActual));
      perRmse.push(rmse(userPredicted, userActual));
      perCount.push(scored - first);
    }
  }
  const allPredicted = predicted.subarray(0, scored);
  const allActual = actual.subarray(0, scored);
  return {
    protocol: "ratings",
    model: recommender.name,
    mae: scored === 0 ? Number.NaN : mae(allPredicted, allActual),
    rmse: scored === 0 ? Number.NaN : rmse(allPredicted, allActual),
    mse: scored === 0 ? Number.NaN : mse(allPredicted, allActual),
    pairs,
    scored,
    fallbackPairs,
    unpredictable: {
      total: unknownItem + unknownUser + noPrediction,
      unknownItem,
      unknownUser,
      noPrediction,
      treatment,
      fillValue,
    },
    perUser: { users, values: { mae: perMae, rmse: perRmse, mse: perMse, count: perCount } },
  };
}
