/**
 * The RFM baseline (recency, frequency, monetary quintiles) and per-date rank scaling of account features.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { dayLength, resolveTimeUnit, type TimeUnit } from "../internal/time.ts";
import { denseMatrix } from "../linalg/dense.ts";
import type { AccountFeatureTable } from "./features.ts";
import { checkSpendEvents, checkWindow, type SpendEvent } from "./labels.ts";

/**
 * Options of {@link rfmScores}.
 *
 * @category accounts
 */
export interface RfmOptions {
  /** The scoring date: only events strictly before it count. */
  date: number;
  /** How far back frequency and monetary value look, in days; recency looks back as far. @defaultValue 365 */
  windowDays?: number;
  /** Unit of the timestamps and the date. @defaultValue "seconds" */
  timeUnit?: TimeUnit;
}

/**
 * One account's RFM score at a date.
 *
 * @category accounts
 */
export interface RfmScore {
  /** The account. */
  readonly account: Id;
  /** Days from the last purchase in the window to the date. */
  readonly recencyDays: number;
  /** Distinct days with a purchase in the window. */
  readonly frequency: number;
  /** Spend in the window. */
  readonly monetary: number;
  /** Recency quintile, 5 = most recent. */
  readonly recencyQuintile: number;
  /** Frequency quintile, 5 = most frequent. */
  readonly frequencyQuintile: number;
  /** Monetary quintile, 5 = highest spend. */
  readonly monetaryQuintile: number;
  /** The sum of the three quintiles, 3 (weakest) to 15 (strongest customer). */
  readonly score: number;
}

/** Quintiles 1–5 by rank; tied values share the quintile of their first rank. */
function quintiles(values: readonly number[]): number[] {
  const order = values.map((value, index) => [value, index] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(values.length);
  let rank = 0;
  for (let i = 0; i < order.length; i++) {
    if (i > 0 && order[i]![0] !== order[i - 1]![0]) rank = i;
    out[order[i]![1]] = 1 + Math.floor((5 * rank) / values.length);
  }
  return out;
}

/**
 * The classic RFM score of every account with a purchase in the window before a date (Hughes 1994): recency (days
 * since the last purchase), frequency (distinct purchase days) and monetary value (spend), each turned into a
 * quintile among those accounts (5 best: most recent, most frequent, highest spend; tied values share a quintile),
 * summed into a score from 3 to 15. The standard baseline an account scorer must beat: rank by `score` for growth,
 * by `−score` for churn risk.
 *
 * Complexity: O(events + accounts · log accounts).
 *
 * @param events - spend events (any order)
 * @param options - the date, the window, the time unit
 * @returns one score per account with a purchase in the window, in order of first appearance in `events`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_NON_FINITE` naming a bad event or option
 * @example
 * ```ts
 * import { rfmScores } from "nextbest/accounts";
 * const day = 86_400;
 * const events = [
 *   { account: "acme", amount: 500, timestamp: 1 * day }, { account: "acme", amount: 500, timestamp: 9 * day },
 *   { account: "globex", amount: 50, timestamp: 2 * day },
 * ];
 * rfmScores(events, { date: 10 * day }).map((s) => [s.account, s.recencyDays, s.frequency, s.monetary, s.score]);
 * // => [["acme", 1, 2, 1000, 9], ["globex", 8, 1, 50, 3]]
 * ```
 * @category accounts
 */
export function rfmScores(events: readonly SpendEvent[], options: RfmOptions): RfmScore[] {
  const fn = "rfmScores";
  checkSpendEvents(fn, events);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with a date, got ${describeValue(options)}`);
  const date = options.date;
  if (typeof date !== "number" || !Number.isFinite(date)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.date must be a finite number, got ${describeValue(date)}`);
  const windowDays = checkWindow(fn, "options.windowDays", options.windowDays ?? 365);
  const day = dayLength(resolveTimeUnit(fn, options.timeUnit));
  const start = date - windowDays * day;
  const accounts = new Map<Id, { last: number; days: Set<number>; monetary: number }>();
  for (const event of events) {
    if (event.timestamp >= date || event.timestamp < start) continue;
    let entry = accounts.get(event.account);
    if (entry === undefined) {
      entry = { last: event.timestamp, days: new Set(), monetary: 0 };
      accounts.set(event.account, entry);
    }
    entry.last = Math.max(entry.last, event.timestamp);
    entry.days.add(Math.floor(event.timestamp / day));
    entry.monetary += event.amount;
  }
  const ids = [...accounts.keys()];
  const entries = [...accounts.values()];
  const recency = quintiles(entries.map((e) => e.last));
  const frequency = quintiles(entries.map((e) => e.days.size));
  const monetary = quintiles(entries.map((e) => e.monetary));
  return ids.map((account, i) =>
    Object.freeze({
      account,
      recencyDays: (date - entries[i]!.last) / day,
      frequency: entries[i]!.days.size,
      monetary: entries[i]!.monetary,
      recencyQuintile: recency[i]!,
      frequencyQuintile: frequency[i]!,
      monetaryQuintile: monetary[i]!,
      score: recency[i]! + frequency[i]! + monetary[i]!,
    }),
  );
}

/**
 * An account feature table whose model inputs are replaced by percentile ranks within each evaluation date (0 the
 * lowest, 1 the highest, ties their mean rank), the readable values kept. Dates differ in what their windows hold
 * (the season, how much history exists), and a model trained on several dates and scoring a later one learns the
 * order of accounts at a date rather than levels that shift between dates. Narratives still read `raw`.
 *
 * Complexity: O(features · rows · log rows).
 *
 * @param table - a table from {@link accountFeatures}
 * @returns a new table with the same rows, info and raw values, and rank inputs
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `table` is not an account feature table
 * @example
 * ```ts
 * import { accountFeatures, rankFeaturesWithinDates } from "nextbest/accounts";
 * const day = 86_400;
 * const events = [10, 40, 20].map((amount, a) => ({ account: `a${a}`, amount, timestamp: day }));
 * const table = rankFeaturesWithinDates(accountFeatures(events, { dates: [2 * day], windows: [30] }));
 * const spend = table.info.findIndex((f) => f.name === "spend_30d");
 * [0, 1, 2].map((r) => table.matrix.data[r * table.info.length + spend]); // => [0, 1, 0.5]
 * ```
 * @category accounts
 */
export function rankFeaturesWithinDates(table: AccountFeatureTable): AccountFeatureTable {
  const fn = "rankFeaturesWithinDates";
  if (typeof table !== "object" || table === null || !Array.isArray(table.rows) || !Array.isArray(table.info) || !(table.matrix?.data instanceof Float64Array)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: table must be an account feature table (from accountFeatures), got ${describeValue(table)}`);
  }
  const d = table.info.length;
  const n = table.rows.length;
  const source = table.matrix.data;
  const ranks = new Float64Array(n * d);
  const byDate = new Map<number, number[]>();
  table.rows.forEach((row, r) => {
    let rows = byDate.get(row.date);
    if (rows === undefined) byDate.set(row.date, (rows = []));
    rows.push(r);
  });
  const order: number[] = [];
  for (const rows of byDate.values()) {
    const last = Math.max(1, rows.length - 1);
    for (let j = 0; j < d; j++) {
      order.length = 0;
      order.push(...rows);
      order.sort((a, b) => source[a * d + j]! - source[b * d + j]! || a - b);
      for (let start = 0; start < order.length; ) {
        let end = start + 1;
        while (end < order.length && source[order[end]! * d + j] === source[order[start]! * d + j]) end++;
        const rank = (start + end - 1) / 2 / last;
        for (let k = start; k < end; k++) ranks[order[k]! * d + j] = rank;
        start = end;
      }
    }
  }
  return Object.freeze({ rows: table.rows, info: table.info, raw: table.raw, matrix: denseMatrix(n, d, ranks) });
}
