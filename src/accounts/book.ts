/**
 * The ranked account book: accounts ordered by the expected value of calling them, each with the product to bring
 * up and the reasons.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import { attachDisplay, htmlTable } from "../internal/jupyter.ts";

/**
 * One account's scores: probabilities of upsell and churn over the next window and its current spend.
 *
 * @category accounts
 */
export interface AccountScore {
  /** The account. */
  readonly account: Id;
  /** P(upsell) in [0, 1]. */
  readonly upsellProbability: number;
  /** P(churn) in [0, 1]. */
  readonly churnProbability: number;
  /** The spend over the reference window (what churn would lose), >= 0. */
  readonly spend: number;
  /** What an upsell would add; defaults to `spend × upsellGain`. */
  readonly potential?: number;
}

/**
 * The product to bring up with an account, and its recommender score.
 *
 * @category accounts
 */
export interface NextBestProduct {
  /** The product. */
  readonly item: Id;
  /** The recommender's score for it. */
  readonly score: number;
}

/**
 * Plain-words reasons (why the account is worth a call) and risks.
 *
 * @category accounts
 */
export interface AccountNarrative {
  /** Sentences for what pushes the value up. */
  readonly reasons: readonly string[];
  /** Sentences for what pushes it down. */
  readonly risks: readonly string[];
}

/**
 * Options of {@link rankAccountBook}.
 *
 * @category accounts
 */
export interface AccountBookOptions {
  /** An upsell's expected relative spend gain, used when a score has no `potential`. @defaultValue 0.5 */
  upsellGain?: number;
  /** The next best product for an account (e.g. the hybrid's first recommendation), or null. @defaultValue none */
  nextBestProduct?: (account: Id) => NextBestProduct | null;
  /** Reasons (why the score is high) and risks (why it is low) for an account, e.g. from the explainer. @defaultValue none */
  explain?: (account: Id, entry: { readonly expectedValue: number }) => AccountNarrative | null;
  /** Keep only the first `limit` accounts (next best product and reasons are computed only for them). @defaultValue all */
  limit?: number;
  /**
   * What to do with accounts whose expected value is ≤ 0 (a call is not worth more than its risk, e.g. P(upsell) 0 and
   * P(churn) 0.8): `"omit"` leaves them out of the book; `"flag"` keeps them, ranked after the others by the same value,
   * with `noExpectedGain: true` and no next best product (the `nextBestProduct` callback is not asked for them).
   * @defaultValue "omit"
   */
  nonPositive?: "omit" | "flag";
}

/**
 * One row of the ranked book.
 *
 * @category accounts
 */
export interface AccountBookEntry {
  /** 1-based rank. */
  readonly rank: number;
  /** The account. */
  readonly account: Id;
  /** P(upsell) × potential − P(churn) × spend at risk. */
  readonly expectedValue: number;
  /** P(upsell). */
  readonly upsellProbability: number;
  /** P(churn). */
  readonly churnProbability: number;
  /** What an upsell would add. */
  readonly potential: number;
  /** What churn would lose (the current spend). */
  readonly spendAtRisk: number;
  /** Whether the expected value is ≤ 0 (kept only with `nonPositive: "flag"`); such an entry has no next best product. */
  readonly noExpectedGain: boolean;
  /** The product to bring up, or null. */
  readonly nextBestProduct: NextBestProduct | null;
  /** Plain-words reasons (may be empty). */
  readonly reasons: readonly string[];
  /** Plain-words risks (may be empty). */
  readonly risks: readonly string[];
}

function probability(fn: string, field: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${field} must be a probability in [0, 1], got ${describeValue(value)}`);
  return value;
}

/**
 * Ranks an account director's book by the expected value of a call:
 * `expectedValue = P(upsell) × potential − P(churn) × spendAtRisk`, where `spendAtRisk` is the account's current
 * spend and `potential` its given potential or `spend × upsellGain`. Growth accounts and at-risk accounts both rise to
 * the top of |value|-weighted books in the Account Prioritizer's sense; this ranks by signed value, so accounts where
 * a call is worth most come first. Accounts whose expected value is ≤ 0 are left out unless `nonPositive: "flag"`
 * keeps them (last, flagged `noExpectedGain`, without a next best product: read them from the bottom for retention
 * calls). Each entry carries the next best product and reasons from the callbacks.
 *
 * Complexity: O(n log n) plus the callbacks for the kept entries.
 *
 * @param scores - one score per account (unique accounts)
 * @param options - upsell gain, callbacks, limit, what to do with accounts of no expected gain
 * @returns the entries, highest expected value first (ties in input order)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` naming a bad score or option, `E_DUPLICATE` for a repeated account
 * @example
 * ```ts
 * import { rankAccountBook } from "nextbest/accounts";
 * const book = rankAccountBook(
 *   [
 *     { account: "acme", upsellProbability: 0.6, churnProbability: 0.1, spend: 1000 }, // 0.6 · 500 − 0.1 · 1000 = 200
 *     { account: "globex", upsellProbability: 0.2, churnProbability: 0.5, spend: 4000 }, // 400 − 2000 = −1600
 *     { account: "initech", upsellProbability: 0.9, churnProbability: 0, spend: 0, potential: 300 }, // 270
 *   ],
 *   { nextBestProduct: (account) => (account === "initech" ? { item: "crm", score: 0.8 } : null) },
 * );
 * book.map((e) => [e.rank, e.account, e.expectedValue, e.nextBestProduct?.item ?? null]);
 * // => [[1, "initech", 270, "crm"], [2, "acme", 200, null]]
 * const kept = rankAccountBook([{ account: "globex", upsellProbability: 0.2, churnProbability: 0.5, spend: 4000 }], { nonPositive: "flag" });
 * kept.map((e) => [e.account, e.noExpectedGain]); // => [["globex", true]]
 * ```
 * @category accounts
 */
export function rankAccountBook(scores: readonly AccountScore[], options: AccountBookOptions = {}): AccountBookEntry[] {
  const fn = "rankAccountBook";
  if (!Array.isArray(scores)) throw new NextbestError("E_BAD_INPUT", `${fn}: scores must be an array of { account, upsellProbability, churnProbability, spend }, got ${describeValue(scores)}`);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const gain = options.upsellGain ?? 0.5;
  if (typeof gain !== "number" || !Number.isFinite(gain) || gain < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.upsellGain must be a finite number >= 0, got ${describeValue(gain)}`);
  const limit = options.limit ?? scores.length;
  if (!Number.isInteger(limit) || limit < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.limit must be an integer >= 0, got ${describeValue(limit)}`);
  const nonPositive = options.nonPositive ?? "omit";
  if (nonPositive !== "omit" && nonPositive !== "flag") throw new NextbestError("E_BAD_INPUT", `${fn}: options.nonPositive must be "omit" or "flag", got ${describeValue(nonPositive)}`);
  for (const name of ["nextBestProduct", "explain"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a function, got ${describeValue(options[name])}`);
    }
  }
  const seen = new Set<Id>();
  const valued = scores.map((score: unknown, i) => {
    if (typeof score !== "object" || score === null) throw new NextbestError("E_BAD_INPUT", `${fn}: scores[${i}] must be an object, got ${describeValue(score)}`);
    const s = score as AccountScore;
    checkId(fn, `scores[${i}].account`, s.account);
    if (seen.has(s.account)) throw new NextbestError("E_DUPLICATE", `${fn}: scores[${i}].account must be unique, got ${describeValue(s.account)} again`);
    seen.add(s.account);
    const up = probability(fn, `scores[${i}].upsellProbability`, s.upsellProbability);
    const churn = probability(fn, `scores[${i}].churnProbability`, s.churnProbability);
    if (typeof s.spend !== "number" || !Number.isFinite(s.spend) || s.spend < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: scores[${i}].spend must be a finite number >= 0, got ${describeValue(s.spend)}`);
    const potential = s.potential ?? s.spend * gain;
    if (typeof potential !== "number" || !Number.isFinite(potential) || potential < 0) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: scores[${i}].potential must be a finite number >= 0, got ${describeValue(s.potential)}`);
    }
    return { index: i, s, potential, expectedValue: up * potential - churn * s.spend };
  });
  valued.sort((a, b) => b.expectedValue - a.expectedValue || a.index - b.index);
  const kept = nonPositive === "omit" ? valued.filter((v) => v.expectedValue > 0) : valued;
  const entries = kept.slice(0, limit).map(({ s, potential, expectedValue }, r) => {
    const noExpectedGain = !(expectedValue > 0);
    const next = noExpectedGain ? null : (options.nextBestProduct?.(s.account) ?? null);
    const words = options.explain?.(s.account, { expectedValue }) ?? null;
    return Object.freeze({
      rank: r + 1,
      account: s.account,
      expectedValue,
      upsellProbability: s.upsellProbability,
      churnProbability: s.churnProbability,
      potential,
      spendAtRisk: s.spend,
      noExpectedGain,
      nextBestProduct: next === null ? null : Object.freeze({ item: next.item, score: next.score }),
      reasons: Object.freeze([...(words?.reasons ?? [])]),
      risks: Object.freeze([...(words?.risks ?? [])]),
    });
  });
  // Notebooks (Deno's Jupyter kernel) show the book as a table.
  return attachDisplay(entries, () => ({
    "text/html": htmlTable(
      ["rank", "account", "expected value", "P(upsell)", "P(churn)", "next best product", "top reason", "top risk"],
      entries.map((e) => [e.rank, String(e.account), e.expectedValue, e.upsellProbability, e.churnProbability, e.nextBestProduct === null ? null : String(e.nextBestProduct.item), e.reasons[0] ?? null, e.risks[0] ?? null]),
      "Account book, by expected value of a call",
    ),
  }));
}
