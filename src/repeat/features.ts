// The features the repeat-purchase scorer learns from: one row per (account, product) pair, computed from a
// history snapshot at a reference time. Not exported by the barrel; the feature names are part of the model.
import type { HistorySnapshot } from "./history.ts";

/**
 * The names of the scorer's features, in column order. With s = days since the last purchase, c = the account's own
 * median gap for the product (the product's cycle when it has fewer than two gaps) and C = the product's cycle (the
 * median gap over all accounts; the median of every gap when the product has none):
 * - `logPurchases`: ln(purchase occasions);
 * - `logDecayedPurchases`: ln(1 + Σ 0.5^(age / half-life) over its purchases);
 * - `logDaysSinceLast`: ln(1 + s);
 * - `logSinceOverOwnCycle`: ln((1 + s) / (1 + c)), how far into its own cycle the pair is;
 * - `logSinceOverProductCycle`: ln((1 + s) / (1 + C));
 * - `logProductCycle`: ln(1 + C);
 * - `hasOwnCycle`: 1 when the account has at least two gaps for the product, else 0;
 * - `dueLogOdds`: the log-odds that the next purchase falls within the horizon given none for s days, when gaps follow
 *   a log-logistic law with median c and shape 2 (high when due, low just after a purchase and long after the cycle);
 * - `logAccountFrequency`: ln(1 + orders per 30 days over the account's history);
 * - `logPurchaseShare`: ln(share of the account's orders that held the product);
 * - `logPopularity`: ln(1 + accounts that bought the product);
 * - `logRecentPopularity`: ln(1 + accounts that bought it in the last 28 days), the product's current demand;
 * - `productRepeatRate`: (accounts that bought it twice or more + 1) / (accounts that bought it + 2).
 */
export const FEATURE_NAMES: readonly string[] = Object.freeze([
  "logPurchases",
  "logDecayedPurchases",
  "logDaysSinceLast",
  "logSinceOverOwnCycle",
  "logSinceOverProductCycle",
  "logProductCycle",
  "hasOwnCycle",
  "dueLogOdds",
  "logAccountFrequency",
  "logPurchaseShare",
  "logPopularity",
  "logRecentPopularity",
  "productRepeatRate",
]);

/** The number of features. */
export const FEATURE_COUNT: number = FEATURE_NAMES.length;

/** Shape of the log-logistic gap law behind `dueLogOdds`. */
const DUE_SHAPE = 2;
const DUE_CLIP = 1e-6;

/**
 * The probability that the next purchase falls within `horizon` days, given none for `since` days, when gaps follow a
 * log-logistic law with median `cycle` and shape 2: 1 − S(since + horizon) / S(since), S(t) = 1 / (1 + (t / cycle)²).
 */
export function dueProbability(since: number, cycle: number, horizon: number): number {
  const now = (since / cycle) ** DUE_SHAPE;
  const later = ((since + horizon) / cycle) ** DUE_SHAPE;
  // Far past a tiny cycle both powers overflow: the ratio tends to (since / (since + horizon))².
  if (!Number.isFinite(later)) return 1 - (since / (since + horizon)) ** DUE_SHAPE;
  return 1 - (1 + now) / (1 + later);
}

/**
 * Writes the features of stored pair `pair` (account `user`, product `item`) at time `at` into
 * `out[offset .. offset + FEATURE_COUNT)`. The pair must be active in the snapshot. No allocation.
 */
export function writeFeatures(
  snapshot: HistorySnapshot,
  pair: number,
  user: number,
  item: number,
  at: number,
  day: number,
  horizonDays: number,
  fallbackCycleDays: number,
  out: Float64Array,
  offset: number,
): void {
  const purchases = snapshot.purchases[pair]!;
  const since = Math.max(0, (at - snapshot.lastPurchase[pair]!) / day);
  const productCycle = snapshot.productCycleDays[item]!;
  const product = Number.isNaN(productCycle) ? fallbackCycleDays : productCycle;
  const ownCycle = snapshot.ownCycleDays[pair]!;
  const own = Number.isNaN(ownCycle) ? product : ownCycle;
  const orders = snapshot.accountOrders[user]!;
  const historyDays = Math.max(30, (at - snapshot.accountFirst[user]!) / day);
  const buyers = snapshot.buyers[item]!;
  let due = dueProbability(since, own, horizonDays);
  due = due < DUE_CLIP ? DUE_CLIP : due > 1 - DUE_CLIP ? 1 - DUE_CLIP : due;
  out[offset] = Math.log(purchases);
  out[offset + 1] = Math.log1p(snapshot.decayed[pair]!);
  out[offset + 2] = Math.log1p(since);
  out[offset + 3] = Math.log((1 + since) / (1 + own));
  out[offset + 4] = Math.log((1 + since) / (1 + product));
  out[offset + 5] = Math.log1p(product);
  out[offset + 6] = Number.isNaN(ownCycle) ? 0 : 1;
  out[offset + 7] = Math.log(due / (1 - due));
  out[offset + 8] = Math.log1p((30 * orders) / historyDays);
  out[offset + 9] = Math.log(purchases / orders);
  out[offset + 10] = Math.log1p(buyers);
  out[offset + 11] = Math.log1p(snapshot.recentBuyers[item]!);
  out[offset + 12] = (snapshot.repeatBuyers[item]! + 1) / (buyers + 2);
}
