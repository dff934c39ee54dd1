/**
 * Plain-words reasons and risks for an account's score: the logistic scorer's closed-form attributions, narrated from
 * the raw feature values.
 *
 * @module
 */
import type { LogisticRegressionModel } from "../classifiers/logistic.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { explainLogistic } from "../explain/linear.ts";
import { narrateExplanation, type FeatureMetadata, type Narrative, type ScoreBand } from "../explain/narrative.ts";
import type { AccountFeatureInfo, AccountFeatureTable } from "./features.ts";

/**
 * Options of {@link narrateAccountScore}.
 *
 * @category accounts
 */
export interface AccountNarrativeOptions {
  /** Reasons kept at most. @defaultValue 3 */
  maxReasons?: number;
  /** Risks kept at most. @defaultValue 2 */
  maxRisks?: number;
  /** Number formatting locale (Intl). @defaultValue "en-US" */
  locale?: string;
  /** ISO currency code for money features. @defaultValue "USD" */
  currency?: string;
  /** Score bands, highest first. @defaultValue the explainer's High (≥ 0.7) / Medium (≥ 0.4) / Low */
  bands?: readonly ScoreBand[];
  /** Compare the account's values with the other rows of the table ("higher than 80% of peers"). @defaultValue true */
  comparePeers?: boolean;
  /**
   * Whether the model scores good news (P(upsell): true) or bad news (P(churn): false); decides which effects are
   * counterintuitive, see {@link explain!NarrativeOptions.higherScoreIsBetter}.
   * @defaultValue true
   */
  higherScoreIsBetter?: boolean;
  /** What to do with counterintuitive reasons and risks, see {@link explain!NarrativeOptions.counterintuitive}. @defaultValue "flag" */
  counterintuitive?: "flag" | "omit";
}

/**
 * One feature whose learned effect runs against the direction a seller expects, from {@link accountModelReport}.
 *
 * @category accounts
 */
export interface DirectionConflict {
  /** The feature's column name. */
  readonly feature: string;
  /** Its label. */
  readonly label: string;
  /** What its metadata declares. */
  readonly declared: "higher is better" | "lower is better";
  /** What a higher value does to the score in the model. */
  readonly learned: "raises the score" | "lowers the score";
  /** The model's coefficient on the feature's (transformed) column. */
  readonly coefficient: number;
}

/**
 * The features of a logistic account scorer whose learned effect runs against the direction their metadata declares
 * (higher spend lowering P(upsell), longer tenure raising P(churn)): the model learned something a seller would not
 * expect, often from how the labels were drawn (a relative spend change rewards rebounds from a dip). Narratives flag
 * such effects item by item; this lists them once for a model card. A feature is listed when its coefficient's sign
 * disagrees with `higherIsBetter` for a score that is good news (`higherScoreIsBetter`), or agrees with it for one that
 * is bad news; zero coefficients and previous-period columns (whose sign, against their pair's, tells a change) are
 * never listed.
 *
 * Complexity: O(features).
 *
 * @param model - a logistic regression over the table's feature columns (same order)
 * @param info - the table's feature descriptions
 * @param options - whether a higher score is good news (P(upsell)) or bad news (P(churn)). @defaultValue true
 * @returns the conflicting features, largest |coefficient| first
 * @throws {@link core!NextbestError} `E_SHAPE` when the model's features do not match `info`
 * @example
 * ```ts
 * import { accountModelReport } from "nextbest/accounts";
 * const info = [
 *   { name: "spend_90d", label: "Spend", group: "spend", unit: "currency" as const, higherIsBetter: true, logScale: true },
 *   { name: "tickets", label: "Open tickets", group: "support", unit: "count" as const, higherIsBetter: false, logScale: false },
 * ];
 * const model = { coefficients: Float64Array.from([-0.4, -0.2]), intercept: 0, means: Float64Array.from([0, 0]) };
 * accountModelReport(model, info).map((c) => [c.feature, c.learned]); // => [["spend_90d", "lowers the score"]]
 * accountModelReport(model, info, { higherScoreIsBetter: false }).map((c) => c.feature); // => ["tickets"]
 * ```
 * @category accounts
 */
export function accountModelReport(
  model: Pick<LogisticRegressionModel, "coefficients">,
  info: readonly AccountFeatureInfo[],
  options: { readonly higherScoreIsBetter?: boolean } = {},
): DirectionConflict[] {
  const fn = "accountModelReport";
  if (!Array.isArray(info)) throw new NextbestError("E_BAD_INPUT", `${fn}: info must be an array of feature descriptions, got ${describeValue(info)}`);
  if (typeof model !== "object" || model === null || !(model.coefficients instanceof Float64Array) || model.coefficients.length !== info.length) {
    throw new NextbestError("E_SHAPE", `${fn}: model must be a logistic regression over the ${info.length} features of info, got ${describeValue(model)}`);
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const good = options.higherScoreIsBetter ?? true;
  if (typeof good !== "boolean") throw new NextbestError("E_BAD_INPUT", `${fn}: options.higherScoreIsBetter must be a boolean, got ${describeValue(good)}`);
  // A previous-period column (spend_prev_90d) is read against its pair: its own sign tells a change, not a level.
  const previousColumns = new Set(info.flatMap((feature) => (feature.previous === undefined ? [] : [feature.previous])));
  const conflicts: DirectionConflict[] = [];
  info.forEach((feature, j) => {
    const coefficient = model.coefficients[j]!;
    if (coefficient === 0 || typeof feature.higherIsBetter !== "boolean" || previousColumns.has(feature.name)) return;
    // A higher value of a higher-is-better feature should raise a good-news score and lower a bad-news one.
    const expectedRaise = feature.higherIsBetter === good;
    if (coefficient > 0 === expectedRaise) return;
    conflicts.push(Object.freeze({
      feature: feature.name,
      label: feature.label,
      declared: feature.higherIsBetter ? "higher is better" : "lower is better",
      learned: coefficient > 0 ? "raises the score" : "lowers the score",
      coefficient,
    }));
  });
  return conflicts.sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
}

/**
 * The narrative metadata of account features: label, group, unit, window, direction and the paired previous-period
 * feature, as {@link explain!narrateExplanation} reads them.
 *
 * Complexity: O(features).
 *
 * @param info - the feature descriptions of an {@link AccountFeatureTable}
 * @param currency - ISO currency code for money features. @defaultValue "USD"
 * @returns metadata by feature name
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `info` is not an array of feature descriptions
 * @example
 * ```ts
 * import { accountFeatures, accountNarrativeMetadata } from "nextbest/accounts";
 * const table = accountFeatures([{ account: "acme", amount: 10, timestamp: 0 }], { dates: [86_400], windows: [90] });
 * accountNarrativeMetadata(table.info).get("spend_90d");
 * // => { label: "Spend", group: "spend", unit: "currency", currency: "USD", higherIsBetter: true,
 * //      window: "90 days", previous: "spend_prev_90d" }
 * ```
 * @category accounts
 */
export function accountNarrativeMetadata(info: readonly AccountFeatureInfo[], currency = "USD"): Map<string, FeatureMetadata> {
  if (!Array.isArray(info)) throw new NextbestError("E_BAD_INPUT", `accountNarrativeMetadata: info must be an array of feature descriptions, got ${describeValue(info)}`);
  return new Map(
    info.map((f): [string, FeatureMetadata] => [
      f.name,
      {
        label: f.label,
        group: f.group,
        unit: f.unit,
        ...(f.unit === "currency" ? { currency } : {}),
        higherIsBetter: f.higherIsBetter,
        ...(f.windowDays !== undefined ? { window: `${f.windowDays} days` } : {}),
        ...(f.previous !== undefined ? { previous: f.previous } : {}),
      },
    ]),
  );
}

/**
 * Explains one row's probability from a logistic scorer trained on an {@link AccountFeatureTable}'s `matrix`: the
 * closed-form attributions on the log-odds scale (against the model's training means) are grouped, split into reasons
 * (they raise the score) and risks (they lower it), and written as sentences from the row's raw values — levels,
 * changes against the previous period, and the account's percentile among the table's rows — with a headline naming
 * the score band and the top reason (CrystalCandle-style narratives, through `nextbest/explain`).
 *
 * Complexity: O(features · rows of the table) with peers, O(features) without.
 *
 * @param model - a logistic regression fitted on the table's feature columns (same order)
 * @param table - the feature table the row comes from
 * @param row - the row index in `table.rows`
 * @param options - how many reasons and risks, locale, currency, bands, peers
 * @returns the narrative: headline, band, score, reasons and risks
 * @throws {@link core!NextbestError} `E_SHAPE` when the model's features do not match the table's,
 *   `E_BAD_INPUT` for a bad row index or option
 * @example
 * ```ts
 * import { accountFeatures, narrateAccountScore } from "nextbest/accounts";
 * import { fitLogisticRegression } from "nextbest/classifiers";
 * const day = 86_400;
 * const events = [0, 1, 2, 3, 4, 5, 6, 7].map((a) => ({ account: `a${a}`, amount: 100 * (a + 1), timestamp: 10 * day }));
 * const table = accountFeatures(events, { dates: [30 * day], windows: [90] });
 * const model = fitLogisticRegression(table.matrix, [0, 0, 0, 1, 0, 1, 1, 1], { featureNames: table.info.map((f) => f.name) });
 * const story = narrateAccountScore(model, table, 7);
 * [story.band, story.reasons[0]?.group]; // => ["High priority", "spend"]
 * story.headline.startsWith("High priority"); // => true
 * ```
 * @category accounts
 */
export function narrateAccountScore(
  model: LogisticRegressionModel,
  table: AccountFeatureTable,
  row: number,
  options: AccountNarrativeOptions = {},
): Narrative {
  const fn = "narrateAccountScore";
  if (typeof table !== "object" || table === null || !Array.isArray(table.info) || !(table.raw?.data instanceof Float64Array)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: table must be an account feature table (from accountFeatures), got ${describeValue(table)}`);
  }
  const d = table.info.length;
  if (typeof model !== "object" || model === null || !(model.coefficients instanceof Float64Array) || model.coefficients.length !== d) {
    throw new NextbestError("E_SHAPE", `${fn}: model must be a logistic regression over the table's ${d} features, got ${describeValue(model)}`);
  }
  if (!Number.isInteger(row) || row < 0 || row >= table.rows.length) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: row must be an integer in [0, ${table.rows.length - 1}], got ${describeValue(row)}`);
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const names = table.info.map((f) => f.name);
  const x = table.matrix.data.subarray(row * d, (row + 1) * d);
  const why = explainLogistic({ coefficients: model.coefficients, intercept: model.intercept }, x, { means: model.means, featureNames: names });
  const peers: Float64Array[] = [];
  if (options.comparePeers ?? true) for (let r = 0; r < table.rows.length; r++) peers.push(table.raw.data.subarray(r * d, (r + 1) * d));
  return narrateExplanation(why, {
    metadata: accountNarrativeMetadata(table.info, options.currency ?? "USD"),
    rawData: table.raw.data.subarray(row * d, (row + 1) * d),
    scoreFormat: "percent",
    ...(peers.length > 0 ? { peers } : {}),
    ...(options.maxReasons !== undefined ? { maxReasons: options.maxReasons } : {}),
    ...(options.maxRisks !== undefined ? { maxRisks: options.maxRisks } : {}),
    ...(options.locale !== undefined ? { locale: options.locale } : {}),
    ...(options.bands !== undefined ? { bands: options.bands } : {}),
    ...(options.higherScoreIsBetter !== undefined ? { higherScoreIsBetter: options.higherScoreIsBetter } : {}),
    ...(options.counterintuitive !== undefined ? { counterintuitive: options.counterintuitive } : {}),
  });
}

/**
 * What is wrong with a narrative, as a rep would read it: every problem as a sentence, none when it reads true. The
 * checks: a reason must raise the score and a risk lower it; an item flagged `counterintuitive` must say so and never
 * be the headline's reason; where a value
 * stands among peers never passes 100% ("higher than 100% of peers"); a duration of a year or more reads in years,
 * not in days. Use it in tests of custom metadata, templates and books.
 *
 * Complexity: O(text length).
 *
 * @param narrative - a narrative from {@link narrateAccountScore} or {@link explain!narrateExplanation}
 * @returns the problems found (empty when none)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `narrative` is not a narrative
 * @example
 * ```ts
 * import { findNarrativeProblems } from "nextbest/accounts";
 * const item = { group: "spend", attribution: 1, share: 1, assessment: "good" as const, counterintuitive: false, features: ["spend"] };
 * const story = { headline: "High priority (80%): Spend: $900, higher than 100% of peers", band: "High priority", score: 0.8, omitted: 0,
 *   reasons: [{ ...item, text: "Spend: $900, higher than 100% of peers", effect: "raises" as const }], risks: [] };
 * findNarrativeProblems(story); // => ['reason 1 places the value past 100% of peers: "Spend: $900, higher than 100% of peers"']
 * ```
 * @category accounts
 */
export function findNarrativeProblems(narrative: Narrative): string[] {
  const fn = "findNarrativeProblems";
  const n = narrative as Partial<Narrative> | null;
  if (typeof n !== "object" || n === null || typeof n.headline !== "string" || !Array.isArray(n.reasons) || !Array.isArray(n.risks)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: narrative must be a narrative with headline, reasons and risks, got ${describeValue(narrative)}`);
  }
  const problems: string[] = [];
  const check = (kind: "reason" | "risk", items: readonly Narrative["reasons"][number][]) => {
    items.forEach((item, k) => {
      const where = `${kind} ${k + 1}`;
      const expected = kind === "reason" ? "raises" : "lowers";
      if (item.effect !== expected) problems.push(`${where} ${item.effect} the score: ${JSON.stringify(item.text)}`);
      if (item.counterintuitive && !/unusually/.test(item.text)) problems.push(`${where} is counterintuitive but does not say so: ${JSON.stringify(item.text)}`);
      for (const match of item.text.matchAll(/(?:higher|lower) than (\d+(?:\.\d+)?)% of peers|in the (?:top|bottom) (\d+(?:\.\d+)?)% of peers/g)) {
        const share = Number(match[1] ?? match[2]);
        if (share >= 100 && /than/.test(match[0]!)) problems.push(`${where} places the value past 100% of peers: ${JSON.stringify(item.text)}`);
        else if (share > 100) problems.push(`${where} places the value past 100% of peers: ${JSON.stringify(item.text)}`);
      }
      for (const match of item.text.matchAll(/([\d,.]+) days\b/g)) {
        const days = Number(match[1]!.replace(/,/g, ""));
        if (days >= 365.25) problems.push(`${where} tells ${match[0]} instead of years: ${JSON.stringify(item.text)}`);
      }
      if (item.counterintuitive && narrative.headline.includes(item.text)) problems.push(`the headline leads with counterintuitive ${where}: ${JSON.stringify(item.text)}`);
    });
  };
  check("reason", narrative.reasons);
  check("risk", narrative.risks);
  return problems;
}
