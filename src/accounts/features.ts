/**
 * Account features at evaluation dates from spend and intent histories, each with the metadata a narrative needs.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import type { DenseMatrix } from "../linalg/types.ts";
import { dayLength, resolveTimeUnit, type TimeUnit } from "../internal/time.ts";
import { checkDates, checkSpendEvents, checkWindow, type SpendEvent } from "./labels.ts";

/** How a feature's value reads in a sentence. @category accounts */
export type FeatureUnit = "count" | "currency" | "percent" | "days" | "flag" | "category" | "score";

/**
 * What a feature means, for explanations and narratives: a label, a group, a unit, the window it covers, whether a
 * high value is good for the account, and the feature holding the same quantity one period earlier.
 *
 * @category accounts
 */
export interface AccountFeatureInfo {
  /** The column name, unique. */
  readonly name: string;
  /** Words for a sentence, without the window (narratives add it), e.g. "Spend". */
  readonly label: string;
  /** The group the feature's attribution is summed into, e.g. "spend", "intent". */
  readonly group: string;
  /** The unit of the raw value. */
  readonly unit: FeatureUnit;
  /** The look-back window in days, when the feature covers one. */
  readonly windowDays?: number;
  /** Whether a high raw value is good news for the account. */
  readonly higherIsBetter: boolean;
  /** The name of the feature with the same quantity one period earlier, for "rose 35% (40 → 54)" sentences. */
  readonly previous?: string;
  /** Whether the model input is log(1 + raw value) (counts and money) rather than the raw value. */
  readonly logScale: boolean;
}

/**
 * An encoded firmographic table to append to the features: one row per account id, with column metadata.
 *
 * @category accounts
 */
export interface AccountAttributes {
  /** Account ids, one per row. */
  readonly ids: readonly Id[];
  /** The values, one row per id. */
  readonly features: DenseMatrix;
  /** One description per column (`logScale` false: the values are used as given). */
  readonly info: readonly AccountFeatureInfo[];
}

/**
 * One intent observation, as in `nextbest/content`'s `IntentSignal`.
 *
 * @category accounts
 */
export interface AccountIntentSignal {
  /** The account. */
  readonly account: Id;
  /** The strength, >= 0. */
  readonly score: number;
  /** When, in `timeUnit`. */
  readonly timestamp: number;
}

/**
 * Options of {@link accountFeatures}.
 *
 * @category accounts
 */
export interface AccountFeatureOptions {
  /** The evaluation dates (features look strictly before each). */
  dates: readonly number[];
  /** Which accounts get rows. @defaultValue every account with a spend event */
  accounts?: readonly Id[];
  /** The spend windows in days; each gives a spend level and the same level one window earlier. @defaultValue [90, 365] */
  windows?: readonly number[];
  /** Intent observations; adds the intent in the last window and in the window before. @defaultValue undefined (no intent features) */
  intent?: readonly AccountIntentSignal[];
  /** The intent window in days. @defaultValue 30 */
  intentWindowDays?: number;
  /** Firmographic columns appended to every row of the account. @defaultValue undefined */
  attributes?: AccountAttributes;
  /** Unit of all timestamps and dates. @defaultValue "seconds" */
  timeUnit?: TimeUnit;
}

/**
 * An account at an evaluation date: the key of a feature row.
 *
 * @category accounts
 */
export interface AccountDate {
  /** The account. */
  readonly account: Id;
  /** The evaluation date. */
  readonly date: number;
}

/**
 * Features of accounts at dates: `raw` holds the readable values (money, counts, days), `matrix` the model inputs
 * (log(1 + x) for money and counts), one row per (account, date) in `rows`.
 *
 * @category accounts
 */
export interface AccountFeatureTable {
  /** The (account, date) of each row: every account for the first date, then for the next, ... */
  readonly rows: readonly AccountDate[];
  /** One description per column. */
  readonly info: readonly AccountFeatureInfo[];
  /** Readable values, rows × features. */
  readonly raw: DenseMatrix;
  /** Model inputs, rows × features. */
  readonly matrix: DenseMatrix;
}

const NO_PURCHASE_DAYS = 3650;

/**
 * Computes account features at each evaluation date from what happened strictly before it: spend in each window and
 * the window before it, the monthly spend trend over the last year (least-squares slope), purchases in the last year,
 * days since the last purchase, tenure, products held, buyer intent (the sum of signal scores) in the last window and
 * the window before, and
 * optional firmographic columns. Every feature carries {@link AccountFeatureInfo} metadata for narratives.
 *
 * Complexity: O(dates · (accounts + events) + intent signals · dates).
 *
 * @param events - spend events (any order)
 * @param options - dates, accounts, windows, intent, attributes, time unit
 * @returns the feature table
 * @throws {@link core!NextbestError} `E_BAD_INPUT` / `E_NON_FINITE` naming a bad event, signal or option;
 *   `E_SHAPE` when attribute rows and ids disagree; `E_UNKNOWN_ID` for an account without attributes
 * @example
 * ```ts
 * import { accountFeatures } from "nextbest/accounts";
 * const day = 86_400;
 * const table = accountFeatures(
 *   [{ account: "acme", product: "crm", amount: 100, timestamp: 10 * day }, { account: "acme", product: "erp", amount: 50, timestamp: 100 * day }],
 *   { dates: [120 * day], windows: [90] },
 * );
 * table.info.map((f) => f.name);
 * // => ["spend_90d", "spend_prev_90d", "spend_trend_12m", "purchases_365d", "days_since_purchase", "tenure_days", "products_held"]
 * // spend 90d, 90d before, trend (Σ (month − 5.5) · spend / 143 = (2.5 · 100 + 5.5 · 50) / 143), purchases, days, tenure, products
 * Array.from(table.raw.data, (v) => Math.round(v * 100) / 100); // => [50, 100, 3.67, 2, 20, 110, 2]
 * ```
 * @category accounts
 */
export function accountFeatures(events: readonly SpendEvent[], options: AccountFeatureOptions): AccountFeatureTable {
  const fn = "accountFeatures";
  checkSpendEvents(fn, events);
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with dates, got ${describeValue(options)}`);
  const dates = checkDates(fn, options.dates);
  const windows = options.windows ?? [90, 365];
  if (!Array.isArray(windows) || windows.length === 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.windows must be a non-empty array of days, got ${describeValue(windows)}`);
  windows.forEach((w, i) => checkWindow(fn, `options.windows[${i}]`, w));
  const timeUnit = resolveTimeUnit(fn, options.timeUnit);
  const day = dayLength(timeUnit);
  const intentDays = checkWindow(fn, "options.intentWindowDays", options.intentWindowDays ?? 30);

  // Events per account, sorted by time.
  const byAccount = new Map<Id, { times: number[]; amounts: number[]; products: (Id | undefined)[] }>();
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
  for (const e of sorted) {
    let entry = byAccount.get(e.account);
    if (entry === undefined) {
      entry = { times: [], amounts: [], products: [] };
      byAccount.set(e.account, entry);
    }
    entry.times.push(e.timestamp);
    entry.amounts.push(e.amount);
    entry.products.push(e.product);
  }
  const accounts = options.accounts ?? [...byAccount.keys()];
  if (!Array.isArray(accounts)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.accounts must be an array of ids, got ${describeValue(accounts)}`);
  accounts.forEach((id, i) => checkId(fn, `options.accounts[${i}]`, id));

  const intentByAccount = new Map<Id, { times: number[]; scores: number[] }>();
  if (options.intent !== undefined) {
    if (!Array.isArray(options.intent)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.intent must be an array of { account, score, timestamp }, got ${describeValue(options.intent)}`);
    options.intent.forEach((signal: unknown, row) => {
      const { account, score, timestamp } = (signal ?? {}) as Partial<AccountIntentSignal>;
      checkId(fn, `options.intent[${row}].account`, account);
      if (typeof score !== "number" || !Number.isFinite(score) || score < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.intent[${row}].score must be a finite number >= 0, got ${describeValue(score)}`);
      if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.intent[${row}].timestamp must be a finite number, got ${describeValue(timestamp)}`);
      let entry = intentByAccount.get(account);
      if (entry === undefined) {
        entry = { times: [], scores: [] };
        intentByAccount.set(account, entry);
      }
      entry.times.push(timestamp);
      entry.scores.push(score);
    });
  }
  const attributes = options.attributes;
  let attributeRow: Map<Id, number> | undefined;
  if (attributes !== undefined) {
    const a = attributes.features;
    if (!Array.isArray(attributes.ids) || !(a?.data instanceof Float64Array) || !Array.isArray(attributes.info)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.attributes must be { ids, features: DenseMatrix, info }, got ${describeValue(attributes)}`);
    }
    if (a.rows !== attributes.ids.length || a.data.length !== a.rows * a.cols || attributes.info.length !== a.cols) {
      throw new NextbestError("E_SHAPE", `${fn}: options.attributes must have one row per id and one info per column, got ${a.rows} × ${a.cols} for ${attributes.ids.length} ids and ${attributes.info.length} infos`);
    }
    attributeRow = new Map(attributes.ids.map((id, r) => [id, r]));
  }

  const info: AccountFeatureInfo[] = [];
  for (const w of windows) {
    info.push({ name: `spend_${w}d`, label: "Spend", group: "spend", unit: "currency", windowDays: w, higherIsBetter: true, previous: `spend_prev_${w}d`, logScale: true });
    info.push({ name: `spend_prev_${w}d`, label: `Spend in the ${w} days before`, group: "spend", unit: "currency", windowDays: w, higherIsBetter: true, logScale: true });
  }
  info.push(
    { name: "spend_trend_12m", label: "Monthly spend trend", group: "spend", unit: "currency", windowDays: 365, higherIsBetter: true, logScale: false },
    { name: "purchases_365d", label: "Purchases", group: "activity", unit: "count", windowDays: 365, higherIsBetter: true, logScale: true },
    { name: "days_since_purchase", label: "Days since the last purchase", group: "activity", unit: "days", higherIsBetter: false, logScale: true },
    { name: "tenure_days", label: "Days since the first purchase", group: "relationship", unit: "days", higherIsBetter: true, logScale: true },
    { name: "products_held", label: "Products bought so far", group: "products", unit: "count", higherIsBetter: true, logScale: true },
  );
  if (options.intent !== undefined) {
    info.push(
      { name: "intent", label: "Buyer intent", group: "intent", unit: "score", windowDays: intentDays, higherIsBetter: true, previous: "intent_prev", logScale: true },
      { name: "intent_prev", label: `Buyer intent in the ${intentDays} days before`, group: "intent", unit: "score", windowDays: intentDays, higherIsBetter: true, logScale: true },
    );
  }
  if (attributes !== undefined) for (const column of attributes.info) info.push({ ...column, logScale: false });
  const names = new Set<string>();
  for (const f of info) {
    if (names.has(f.name)) throw new NextbestError("E_DUPLICATE", `${fn}: feature names must be unique, got ${JSON.stringify(f.name)} twice`);
    names.add(f.name);
  }

  const d = info.length;
  const rows: { account: Id; date: number }[] = [];
  for (const date of dates) for (const account of accounts) rows.push({ account, date });
  const raw = new Float64Array(rows.length * d);
  const month = (365.25 / 12) * day;
  const monthly = new Float64Array(12);
  rows.forEach(({ account, date }, r) => {
    const out = r * d;
    let c = 0;
    const entry = byAccount.get(account);
    const times = entry?.times ?? [];
    const amounts = entry?.amounts ?? [];
    for (const w of windows) {
      let now = 0;
      let previous = 0;
      for (let e = 0; e < times.length; e++) {
        const t = times[e]!;
        if (t >= date) break;
        if (t >= date - w * day) now += amounts[e]!;
        else if (t >= date - 2 * w * day) previous += amounts[e]!;
      }
      raw[out + c++] = now;
      raw[out + c++] = previous;
    }
    monthly.fill(0);
    let purchases = 0;
    let last = Number.NaN;
    let first = Number.NaN;
    const products = new Set<Id>();
    for (let e = 0; e < times.length; e++) {
      const t = times[e]!;
      if (t >= date) break;
      if (first !== first) first = t;
      last = t;
      const p = entry!.products[e];
      if (p !== undefined) products.add(p);
      if (t >= date - 365 * day) purchases++;
      const m = Math.floor((date - t) / month);
      if (m < 12) monthly[11 - m] = monthly[11 - m]! + amounts[e]!;
    }
    // Least-squares slope of monthly spend against month index 0..11.
    let slope = 0;
    for (let m = 0; m < 12; m++) slope += (m - 5.5) * monthly[m]!;
    raw[out + c++] = slope / 143;
    raw[out + c++] = purchases;
    raw[out + c++] = last === last ? Math.min(NO_PURCHASE_DAYS, (date - last) / day) : NO_PURCHASE_DAYS;
    raw[out + c++] = first === first ? (date - first) / day : 0;
    raw[out + c++] = products.size;
    if (options.intent !== undefined) {
      const signals = intentByAccount.get(account);
      let now = 0;
      let previous = 0;
      const window = intentDays * day;
      if (signals !== undefined) {
        for (let s = 0; s < signals.times.length; s++) {
          const t = signals.times[s]!;
          if (t >= date) continue;
          if (t >= date - window) now += signals.scores[s]!;
          else if (t >= date - 2 * window) previous += signals.scores[s]!;
        }
      }
      raw[out + c++] = now;
      raw[out + c++] = previous;
    }
    if (attributes !== undefined) {
      const a = attributeRow!.get(account);
      if (a === undefined) throw new NextbestError("E_UNKNOWN_ID", `${fn}: options.attributes must have a row for every account, got none for ${describeValue(account)}`);
      const cols = attributes.features.cols;
      for (let j = 0; j < cols; j++) raw[out + c++] = attributes.features.data[a * cols + j]!;
    }
  });
  const matrix = new Float64Array(raw.length);
  for (let p = 0; p < raw.length; p++) {
    const f = info[p % d]!;
    matrix[p] = f.logScale ? Math.log1p(Math.max(0, raw[p]!)) : raw[p]!;
  }
  return Object.freeze({
    rows: Object.freeze(rows.map((row) => Object.freeze(row))),
    info: Object.freeze(info.map((f) => Object.freeze(f))),
    raw: { rows: rows.length, cols: d, data: raw },
    matrix: { rows: rows.length, cols: d, data: matrix },
  });
}
