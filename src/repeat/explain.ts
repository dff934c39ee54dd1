/**
 * Reasons in plain words for a repeat-purchase score: how often the account reorders the product and how long ago it
 * last did, told from its purchase history.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { dayLength } from "./history.ts";
import type { RepeatPurchaseModel } from "./repeat-purchases.ts";
import { checkModelHeader } from "../recommend/contract.ts";

/**
 * The facts behind a {@link RepeatPurchaseReason}'s sentence.
 *
 * @category repeat
 */
export interface RepeatPurchaseFacts {
  /** Purchase occasions of the product by the account up to the model's `asOf` (0: never bought). */
  readonly purchases: number;
  /** The latest purchase time, in the model's time unit; `null` when never bought. */
  readonly lastPurchase: number | null;
  /** Days from the latest purchase to the model's `asOf`; `null` when never bought. */
  readonly daysSinceLastPurchase: number | null;
  /** The account's median gap between purchases of the product, in days; `null` with fewer than two gaps. */
  readonly ownCycleDays: number | null;
  /** The product's median gap between purchases by one account over all accounts, in days; `null` when none. */
  readonly productCycleDays: number | null;
  /** The model's probability of a reorder within `horizonDays`; `null` when never bought. */
  readonly probability: number | null;
  /** The horizon of the probability, in days. */
  readonly horizonDays: number;
}

/**
 * A reason for one (account, product) score of a repeat-purchase model.
 *
 * @category repeat
 */
export interface RepeatPurchaseReason {
  /**
   * One plain-English sentence from the purchase history, durations in days, weeks, months or years:
   * - never bought: "Never bought";
   * - once: "Bought once, 9 months ago";
   * - a reorder cycle of its own (≥ 3 purchases) and due (at least one cycle since the last order):
   *   "Reorders about every 5 weeks; last order 7 weeks ago";
   * - a cycle of its own, not due yet: "Bought 6 times; last order 3 days ago (usually every 4 weeks)";
   * - twice: "Bought twice; last order 3 weeks ago (accounts usually reorder it every 5 weeks)" (the
   *   parenthesis when the product has a cycle across accounts).
   */
  readonly sentence: string;
  /** The facts the sentence tells. */
  readonly values: RepeatPurchaseFacts;
}

const DAYS_PER_MONTH = 30.4375;
const DAYS_PER_YEAR = 365.25;

/**
 * A duration in the largest sensible unit: days below two weeks, weeks below nine weeks, months below eighteen
 * months, years beyond ("1 day", "5 weeks", "9 months", "2 years").
 */
export function formatDays(days: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (Math.round(days) < 14) return plural(Math.max(1, Math.round(days)), "day");
  if (days < 63) return plural(Math.round(days / 7), "week");
  if (days < 18 * DAYS_PER_MONTH) return plural(Math.round(days / DAYS_PER_MONTH), "month");
  return plural(Math.round(days / DAYS_PER_YEAR), "year");
}

/** "3 weeks ago", or "today" under a day. */
function ago(days: number): string {
  return days < 1 ? "today" : `${formatDays(days)} ago`;
}

/** "every 5 weeks", or "every day" for a cycle of about a day. */
function every(days: number): string {
  const text = formatDays(days);
  return text === "1 day" ? "every day" : `every ${text}`;
}

/** Tells the sentence of {@link RepeatPurchaseReason} from the facts. */
function tell(facts: RepeatPurchaseFacts): string {
  const { purchases, daysSinceLastPurchase: since, ownCycleDays: own, productCycleDays: product } = facts;
  if (purchases === 0 || since === null) return "Never bought";
  if (purchases === 1) return `Bought once, ${ago(since)}`;
  if (own !== null) {
    if (since >= own) return `Reorders about ${every(own)}; last order ${ago(since)}`;
    return `Bought ${purchases} times; last order ${ago(since)} (usually ${every(own)})`;
  }
  const count = purchases === 2 ? "twice" : `${purchases} times`;
  const typical = product === null ? "" : ` (accounts usually reorder it ${every(product)})`;
  return `Bought ${count}; last order ${ago(since)}${typical}`;
}

/**
 * Explains one (account, product) score of a repeat-purchase model in plain words, from the account's purchase
 * history of the product: how many times it bought it, how long ago, its usual reorder cycle and the product's usual
 * cycle across accounts. Deterministic, locale-free English.
 *
 * Complexity: O(log(products per account)).
 *
 * @param model - a fitted or deserialized repeat-purchase model
 * @param account - an account id the model knows
 * @param product - a product id the model knows
 * @returns the sentence and the facts it tells
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a model that is not a version-1 repeat-purchase model;
 *   `E_UNKNOWN_ID` for an account or product the model does not know
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { explainRepeatPurchase, fitRepeatPurchases } from "nextbest/repeat";
 * const day = 86_400;
 * const rows = [];
 * for (let a = 0; a < 12; a++) {
 *   for (let t = a; t <= 200; t += 35) rows.push({ user: `a${a}`, item: "filters", timestamp: t * day });
 *   rows.push({ user: `a${a}`, item: "drill", timestamp: (5 + 10 * a) * day });
 * }
 * const model = fitRepeatPurchases(createInteractions(rows), { horizonDays: 30, asOf: 210 * day });
 * // a0 bought filters on days 0, 35, ..., 175 and a drill on day 5; a11 filters on days 11, 46, ..., 186.
 * explainRepeatPurchase(model, "a0", "filters").sentence; // => "Reorders about every 5 weeks; last order 5 weeks ago"
 * explainRepeatPurchase(model, "a11", "filters").sentence; // => "Bought 6 times; last order 3 weeks ago (usually every 5 weeks)"
 * explainRepeatPurchase(model, "a0", "drill").sentence; // => "Bought once, 7 months ago"
 * explainRepeatPurchase(model, "a0", "drill").values.daysSinceLastPurchase; // => 205
 * ```
 * @category repeat
 */
export function explainRepeatPurchase(model: RepeatPurchaseModel, account: Id, product: Id): RepeatPurchaseReason {
  const fn = "explainRepeatPurchase";
  checkModelHeader(fn, model, "repeat-purchases", 1);
  const u = model.users.lookup.get(account);
  if (u === undefined) throw new NextbestError("E_UNKNOWN_ID", `${fn}: account must be an account the model knows, got ${describeValue(account)}`);
  const i = model.items.lookup.get(product);
  if (i === undefined) throw new NextbestError("E_UNKNOWN_ID", `${fn}: product must be a product the model knows, got ${describeValue(product)}`);
  const productCycle = model.productCycleDays[i]!;
  const productCycleDays = Number.isNaN(productCycle) ? null : productCycle;
  // Binary search of the product in the account's ascending seen row.
  let low = model.seenIndptr[u]!;
  let high = model.seenIndptr[u + 1]! - 1;
  let k = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const v = model.seenIndices[mid]!;
    if (v === i) {
      k = mid;
      break;
    }
    if (v < i) low = mid + 1;
    else high = mid - 1;
  }
  let values: RepeatPurchaseFacts;
  if (k < 0) {
    values = {
      purchases: 0,
      lastPurchase: null,
      daysSinceLastPurchase: null,
      ownCycleDays: null,
      productCycleDays,
      probability: null,
      horizonDays: model.horizonDays,
    };
  } else {
    const own = model.ownCycleDays[k]!;
    values = {
      purchases: model.purchases[k]!,
      lastPurchase: model.lastPurchase[k]!,
      daysSinceLastPurchase: (model.asOf - model.lastPurchase[k]!) / dayLength(model.timeUnit),
      ownCycleDays: Number.isNaN(own) ? null : own,
      productCycleDays,
      probability: model.probabilities[k]!,
      horizonDays: model.horizonDays,
    };
  }
  return { sentence: tell(values), values };
}
