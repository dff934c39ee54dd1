/**
 * Upsell / flat / churn labels from spend histories, per account (or account × product) and evaluation date.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import { dayLength, resolveTimeUnit, type TimeUnit } from "../internal/time.ts";
import { medianInPlace } from "../internal/median.ts";

/**
 * One spend event: an account paid `amount` (for `product`, when known) at `timestamp`.
 *
 * @category accounts
 */
export interface SpendEvent {
  /** The account. */
  readonly account: Id;
  /** The product, when the spend is attributed to one. */
  readonly product?: Id;
  /** The amount, a finite number >= 0. */
  readonly amount: number;
  /** When, in `timeUnit`. */
  readonly timestamp: number;
}

export type { TimeUnit } from "../internal/time.ts";

/**
 * Options of {@link labelSpendOutcomes}.
 *
 * @category accounts
 */
export interface SpendOutcomeOptions {
  /** The evaluation dates, in `timeUnit`. */
  dates: readonly number[];
  /** The length of the window before a date (the reference spend) and after it (the outcome), in days. @defaultValue 180 */
  windowDays?: number;
  /** `after / before − 1` at or above this is an upsell. @defaultValue 0.2 */
  upsellThreshold?: number;
  /** `after / before − 1` at or below this is a churn (−1: all spend lost). @defaultValue -0.5 */
  churnThreshold?: number;
  /**
   * The least spend in the window before a date for a pair to be labelled, in currency: a relative change on a tiny
   * base is noise ($5 → $8 is "+60%"), and it turns a dip into a later "upsell". `"auto"` takes, at each date, a tenth
   * of the median spend-before of the pairs with any spend then (so it scales with the book and its currency); 0
   * labels every pair with spend before the date.
   * @defaultValue "auto"
   */
  minimumSpendBefore?: number | "auto";
  /**
   * The least absolute change, in currency, for an upsell or a churn: besides `change` reaching its threshold,
   * `after − before` must reach `minimumChange` for an upsell and `before − after` for a churn (otherwise flat).
   * `"auto"` is the same tenth of the median spend-before as `minimumSpendBefore`; 0 turns it off.
   * @defaultValue "auto"
   */
  minimumChange?: number | "auto";
  /** Label each account × product instead of each account. @defaultValue false */
  byProduct?: boolean;
  /** Unit of the timestamps and dates. @defaultValue "seconds" */
  timeUnit?: TimeUnit;
}

/** What happened to spend over the window after a date. @category accounts */
export type SpendOutcome = "upsell" | "flat" | "churn";

/**
 * One label: the spend in the window before `date` and after it, and the outcome.
 *
 * @category accounts
 */
export interface SpendOutcomeLabel {
  /** The account. */
  readonly account: Id;
  /** The product, or `null` for account-level labels. */
  readonly product: Id | null;
  /** The evaluation date. */
  readonly date: number;
  /** Spend in [date − window, date). */
  readonly before: number;
  /** Spend in [date, date + window). */
  readonly after: number;
  /** `after / before − 1`. */
  readonly change: number;
  /** The outcome by the thresholds. */
  readonly outcome: SpendOutcome;
}


/** Checks an array of spend events; returns it typed. */
export function checkSpendEvents(fn: string, events: unknown): readonly SpendEvent[] {
  if (!Array.isArray(events)) throw new NextbestError("E_BAD_INPUT", `${fn}: events must be an array of { account, product?, amount, timestamp }, got ${describeValue(events)}`);
  events.forEach((event: unknown, row) => {
    if (typeof event !== "object" || event === null) throw new NextbestError("E_BAD_INPUT", `${fn}: events[${row}] must be an object, got ${describeValue(event)}`);
    const { account, product, amount, timestamp } = event as Partial<SpendEvent>;
    checkId(fn, `events[${row}].account`, account);
    if (product !== undefined) checkId(fn, `events[${row}].product`, product);
    if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) {
      throw new NextbestError(typeof amount === "number" && !Number.isFinite(amount) ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: events[${row}].amount must be a finite number >= 0, got ${describeValue(amount)}`);
    }
    if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
      throw new NextbestError(typeof timestamp === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: events[${row}].timestamp must be a finite number, got ${describeValue(timestamp)}`);
    }
  });
  return events as readonly SpendEvent[];
}

/** Checks a list of finite dates. */
export function checkDates(fn: string, dates: unknown): readonly number[] {
  if (!Array.isArray(dates) || dates.length === 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.dates must be a non-empty array of timestamps, got ${describeValue(dates)}`);
  dates.forEach((date: unknown, i) => {
    if (typeof date !== "number" || !Number.isFinite(date)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.dates[${i}] must be a finite number, got ${describeValue(date)}`);
  });
  return dates as number[];
}

/** Checks a positive window in days. */
export function checkWindow(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a finite number > 0 (days), got ${describeValue(value)}`);
  return value;
}

/**
 * Labels each account (or account × product) at each evaluation date by what its spend did next: with `before` the
 * spend in the window before the date and `after` the spend in the window after, `change = after / before − 1` is an
 * upsell at or above `upsellThreshold` (and `after − before` at least `minimumChange`), a churn at or below
 * `churnThreshold` (and `before − after` at least `minimumChange`), flat otherwise. Only pairs with `before > 0` and
 * `before >= minimumSpendBefore` are labelled (there is nothing to grow or lose otherwise, and a relative change on a
 * tiny base is noise), so evaluation dates through the year give events between renewals too. Labels look only forward from the date; features for the same date must look only
 * back (see {@link accountFeatures}), so a model trained on them has no look-ahead leakage.
 *
 * Complexity: O(events · log events + dates · labelled pairs).
 *
 * @param events - spend events (any order)
 * @param options - dates, window, thresholds, granularity, time unit
 * @returns one label per (account[, product], date) with `before > 0`, ordered by date, then by first appearance of
 *   the account (and product) in `events`
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_NON_FINITE` naming the bad event or option
 * @example
 * ```ts
 * import { labelSpendOutcomes } from "nextbest/accounts";
 * const day = 86_400;
 * const events = [
 *   { account: "acme", amount: 100, timestamp: 10 * day }, { account: "acme", amount: 150, timestamp: 40 * day },
 *   { account: "globex", amount: 100, timestamp: 20 * day },
 * ];
 * labelSpendOutcomes(events, { dates: [30 * day], windowDays: 30 }).map((l) => [l.account, l.change, l.outcome]);
 * // => [["acme", 0.5, "upsell"], ["globex", -1, "churn"]]
 * ```
 * @category accounts
 */
export function labelSpendOutcomes(events: readonly SpendEvent[], options: SpendOutcomeOptions): SpendOutcomeLabel[] {
  const fn = "labelSpendOutcomes";
  checkSpendEvents(fn, events);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with dates, got ${describeValue(options)}`);
  const dates = checkDates(fn, options.dates);
  const windowDays = checkWindow(fn, "options.windowDays", options.windowDays ?? 180);
  const upsell = options.upsellThreshold ?? 0.2;
  const churn = options.churnThreshold ?? -0.5;
  if (typeof upsell !== "number" || !Number.isFinite(upsell)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.upsellThreshold must be a finite number, got ${describeValue(upsell)}`);
  if (typeof churn !== "number" || !Number.isFinite(churn) || churn < -1 || churn >= upsell) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.churnThreshold must be a number in [-1, upsellThreshold), got ${describeValue(churn)}`);
  }
  const floorOption = (name: string, value: unknown): number | "auto" => {
    if (value === undefined || value === "auto") return "auto";
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be "auto" or a finite number >= 0 (currency), got ${describeValue(value)}`);
    }
    return value;
  };
  const minimumSpendBefore = floorOption("minimumSpendBefore", options.minimumSpendBefore);
  const minimumChange = floorOption("minimumChange", options.minimumChange);
  const timeUnit = resolveTimeUnit(fn, options.timeUnit);
  const byProduct = options.byProduct ?? false;
  const window = windowDays * dayLength(timeUnit);

  // Group the events by key (account, or account × product), keeping first-appearance order.
  const groups = new Map<string, { account: Id; product: Id | null; times: number[]; amounts: number[] }>();
  for (const event of events) {
    const product = byProduct ? (event.product ?? null) : null;
    if (byProduct && product === null) continue;
    const key = JSON.stringify([typeof event.account, event.account, typeof product, product]);
    let group = groups.get(key);
    if (group === undefined) {
      group = { account: event.account, product, times: [], amounts: [] };
      groups.set(key, group);
    }
    group.times.push(event.timestamp);
    group.amounts.push(event.amount);
  }
  const labels: SpendOutcomeLabel[] = [];
  const befores = new Float64Array(groups.size);
  const afters = new Float64Array(groups.size);
  for (const date of dates) {
    let g = 0;
    const positive: number[] = [];
    for (const group of groups.values()) {
      let before = 0;
      let after = 0;
      for (let e = 0; e < group.times.length; e++) {
        const t = group.times[e]!;
        if (t >= date - window && t < date) before += group.amounts[e]!;
        else if (t >= date && t < date + window) after += group.amounts[e]!;
      }
      befores[g] = before;
      afters[g] = after;
      if (before > 0) positive.push(before);
      g++;
    }
    const auto = positive.length === 0 ? 0 : medianInPlace(positive) / 10;
    const spendFloor = minimumSpendBefore === "auto" ? auto : minimumSpendBefore;
    const changeFloor = minimumChange === "auto" ? auto : minimumChange;
    g = 0;
    for (const group of groups.values()) {
      const before = befores[g]!;
      const after = afters[g]!;
      g++;
      if (!(before > 0) || before < spendFloor) continue;
      const change = after / before - 1;
      const outcome: SpendOutcome =
        change >= upsell && after - before >= changeFloor ? "upsell" : change <= churn && before - after >= changeFloor ? "churn" : "flat";
      labels.push(Object.freeze({ account: group.account, product: group.product, date, before, after, change, outcome }));
    }
  }
  return labels;
}

