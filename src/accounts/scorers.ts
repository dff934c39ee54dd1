/**
 * Upsell and churn scorers for a scoring date, trained without look-ahead on earlier dates.
 *
 * @module
 */
import { fitLogisticRegression, predictLogisticRegression, type LogisticRegressionModel } from "../classifiers/logistic.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { dayLength, resolveTimeUnit, type TimeUnit } from "../internal/time.ts";
import { denseMatrix } from "../linalg/dense.ts";
import { accountFeatures, type AccountAttributes, type AccountFeatureTable } from "./features.ts";
import { labelSpendOutcomes, type SpendEvent, type SpendOutcome } from "./labels.ts";
import { rankFeaturesWithinDates } from "./rfm.ts";

/**
 * Options of {@link fitAccountScorers}.
 *
 * @category accounts
 */
export interface AccountScorersOptions {
  /** The scoring date: features look strictly before it. */
  date: number;
  /** The outcome window in days: upsell or churn is what spend does in the `windowDays` after a date. @defaultValue 90 */
  windowDays?: number;
  /** The feature windows in days. @defaultValue [windowDays, 2 · windowDays] */
  windows?: readonly number[];
  /** How many training dates, the last one's outcome window ending the day before `date`. @defaultValue 2 */
  trainingDates?: number;
  /** Days between training dates. @defaultValue 30 */
  stepDays?: number;
  /** Replace the model inputs by per-date percentile ranks ({@link rankFeaturesWithinDates}). @defaultValue false */
  ranks?: boolean;
  /** Firmographic columns, as in {@link accountFeatures}. @defaultValue none */
  attributes?: AccountAttributes;
  /** The L2 penalty of both logistic regressions. @defaultValue 1 */
  l2?: number;
  /** Unit of the timestamps and the date. @defaultValue "seconds" */
  timeUnit?: TimeUnit;
}

/**
 * What {@link fitAccountScorers} returns: both models, where they were trained, and the scores at the date.
 *
 * @category accounts
 */
export interface AccountScorers {
  /** P(upsell) model over the tables' feature columns (balanced class weights). */
  readonly upsell: LogisticRegressionModel;
  /** P(churn) model. */
  readonly churn: LogisticRegressionModel;
  /** The training dates. */
  readonly trainingDates: readonly number[];
  /** The labelled training rows: features at a training date, outcome after it. */
  readonly training: {
    /** The feature table at the training dates. */
    readonly table: AccountFeatureTable;
    /** The rows of `table` that have a label. */
    readonly rows: readonly number[];
    /** Their outcomes, aligned with `rows`. */
    readonly outcomes: readonly SpendOutcome[];
  };
  /** The feature table at the scoring date (one row per account with a purchase before it). */
  readonly today: AccountFeatureTable;
  /** P(upsell) per row of `today`. */
  readonly upsellProbability: Float64Array;
  /** P(churn) per row of `today`. */
  readonly churnProbability: Float64Array;
}

/**
 * Trains an upsell and a churn scorer for a scoring date the honest way, and scores every account at that date: the
 * training dates step back from the date so that the last one's outcome window ends the day before it (no outcome
 * after the date is ever seen), labels come from {@link labelSpendOutcomes} (with its absolute floors), features
 * from {@link accountFeatures} strictly before each date, and each scorer is a logistic regression with balanced
 * class weights. The recipe of the account book in `npm run bench:accounts`, `npm run demo` and `nextbest report`.
 *
 * Complexity: that of the feature tables and two logistic fits.
 *
 * @param events - spend events (any order)
 * @param options - the scoring date, windows, training dates, scaling, attributes, penalty, time unit
 * @returns the models, the training rows and the scores at the date
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad option, or when the training dates hold fewer than 10
 *   labelled account-dates or only one outcome (the message says what to change)
 * @example
 * ```ts
 * import { fitAccountScorers } from "nextbest/accounts";
 * const day = 86_400;
 * const events = [];
 * // 40 accounts buying every 10 days for a year: a third double their spend from day 200, a fifth stop after day 220.
 * for (let a = 0; a < 40; a++) {
 *   for (let t = a % 10; t < 360; t += 10) {
 *     if (a % 5 !== 1 || t <= 220) events.push({ account: `a${a}`, amount: a % 3 === 0 && t >= 200 ? 250 : 100 + ((a * 37 + t * 13) % 41), timestamp: t * day });
 *   }
 * }
 * const scorers = fitAccountScorers(events, { date: 300 * day, windowDays: 60 });
 * scorers.trainingDates.map((t) => t / day); // => [209, 239]
 * scorers.today.rows.length; // => 40
 * ```
 * @category accounts
 */
export function fitAccountScorers(events: readonly SpendEvent[], options: AccountScorersOptions): AccountScorers {
  const fn = "fitAccountScorers";
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with a date, got ${describeValue(options)}`);
  const { date } = options;
  if (typeof date !== "number" || !Number.isFinite(date)) throw new NextbestError("E_BAD_INPUT", `${fn}: options.date must be a finite number, got ${describeValue(date)}`);
  const integer = (name: string, value: unknown, fallback: number, min: number, max: number): number => {
    const v = value ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be an integer in [${min}, ${max}], got ${describeValue(value)}`);
    return v;
  };
  const windowDays = integer("windowDays", options.windowDays, 90, 1, 3650);
  const count = integer("trainingDates", options.trainingDates, 2, 1, 100);
  const stepDays = integer("stepDays", options.stepDays, 30, 1, 3650);
  const l2 = options.l2 ?? 1;
  if (typeof l2 !== "number" || !Number.isFinite(l2) || l2 < 0) throw new NextbestError("E_BAD_INPUT", `${fn}: options.l2 must be a finite number >= 0, got ${describeValue(l2)}`);
  const timeUnit = resolveTimeUnit(fn, options.timeUnit);
  const day = dayLength(timeUnit);
  const windows = options.windows ?? [windowDays, 2 * windowDays];
  const last = date - (windowDays + 1) * day;
  const trainingDates = Array.from({ length: count }, (_, k) => last - (count - 1 - k) * stepDays * day);
  const common = { windows, timeUnit, ...(options.attributes === undefined ? {} : { attributes: options.attributes }) };
  const scaled = (table: AccountFeatureTable) => (options.ranks === true ? rankFeaturesWithinDates(table) : table);
  const table = scaled(accountFeatures(events, { ...common, dates: trainingDates }));
  const labels = new Map(labelSpendOutcomes(events, { dates: trainingDates, windowDays, timeUnit }).map((l) => [`${l.date}|${typeof l.account}|${String(l.account)}`, l.outcome]));
  const key = (r: number) => `${table.rows[r]!.date}|${typeof table.rows[r]!.account}|${String(table.rows[r]!.account)}`;
  const rows = table.rows.flatMap((_, r) => (labels.has(key(r)) ? [r] : []));
  const outcomes = rows.map((r) => labels.get(key(r))!);
  if (rows.length < 10) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: events must hold spend before the training dates and in the ${windowDays} days after them; ${rows.length} account-dates were labelled (at least 10 needed: lower options.windowDays or score a later date)`,
    );
  }
  const d = table.info.length;
  const x = denseMatrix(rows.length, d, Float64Array.from(rows.flatMap((r) => Array.from(table.matrix.data.subarray(r * d, (r + 1) * d)))));
  const featureNames = table.info.map((f) => f.name);
  const fit = (kind: SpendOutcome): LogisticRegressionModel => {
    const y = outcomes.map((o) => (o === kind ? 1 : 0));
    if (y.every((v) => v === y[0])) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: every labelled account-date is ${y[0] === 1 ? "" : "not "}${kind === "upsell" ? "an" : "a"} ${kind}: nothing to learn (lower options.windowDays or give more history)`);
    }
    return fitLogisticRegression(x, y, { classWeights: "balanced", l2, featureNames });
  };
  const upsell = fit("upsell");
  const churn = fit("churn");
  const today = scaled(accountFeatures(events, { ...common, dates: [date] }));
  return Object.freeze({
    upsell,
    churn,
    trainingDates: Object.freeze(trainingDates),
    training: Object.freeze({ table, rows: Object.freeze(rows), outcomes: Object.freeze(outcomes) }),
    today,
    upsellProbability: predictLogisticRegression(upsell, today.matrix),
    churnProbability: predictLogisticRegression(churn, today.matrix),
  });
}
