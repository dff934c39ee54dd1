/**
 * The account book as one self-contained HTML page a sales manager opens: the call list first, a card per top account,
 * the data dates and a short model card. DOM-free: a string, so it renders in Node, Deno, workers and browsers.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { escapeHtml } from "../internal/jupyter.ts";
import type { LogisticRegressionModel } from "../classifiers/logistic.ts";
import { explainLogistic } from "../explain/linear.ts";
import type { Explanation } from "../explain/types.ts";
import type { Narrative } from "../explain/narrative.ts";
import type { AccountBookEntry } from "./book.ts";
import type { AccountFeatureTable } from "./features.ts";
import { renderWaterfallSvg } from "../explain/waterfall.ts";

/**
 * One product offered to an account in the report, with its reasons in words.
 *
 * @category accounts
 */
export interface ReportProduct {
  /** The product's name (or id). */
  readonly product: string;
  /** Why, e.g. from `narrateRecommendation` (`nextbest/explain`). */
  readonly reasons: readonly string[];
}

/**
 * One account of the report.
 *
 * @category accounts
 */
export interface ReportAccount {
  /** 1-based rank in the call list. */
  readonly rank: number;
  /** The account's name (or id). */
  readonly account: string;
  /** The priority band, e.g. "High priority". */
  readonly band: string;
  /** The expected value of a call, in the report's currency. */
  readonly expectedValue: number;
  /** P(upsell) in [0, 1]. */
  readonly upsellProbability: number;
  /** P(churn) in [0, 1]. */
  readonly churnProbability: number;
  /** Products to bring up, best first (the first is the call list's next best product). */
  readonly products: readonly ReportProduct[];
  /** Reasons the account is worth a call (sentences). */
  readonly reasons: readonly string[];
  /** Risks (sentences). */
  readonly risks: readonly string[];
  /** The explanation of P(upsell) on the log-odds scale, drawn as a waterfall in probability points. @defaultValue none */
  readonly explanation?: Explanation;
  /** The readable value of each of the explanation's features (when the model saw log(1 + spend) and the like). @defaultValue the explanation's data */
  readonly explanationRawData?: ArrayLike<number>;
}

/**
 * One row of the model card: a metric of the scorer beside its baselines.
 *
 * @category accounts
 */
export interface ReportMetric {
  /** What is measured, e.g. "Upsell, ROC AUC on later outcomes". */
  readonly metric: string;
  /** The scorer's value. */
  readonly value: number;
  /** The baselines' values by name, e.g. RFM and current spend. */
  readonly baselines: readonly {
    /** The baseline's name. */
    readonly name: string;
    /** Its value on the same metric. */
    readonly value: number;
  }[];
}

/**
 * What {@link renderAccountReport} renders.
 *
 * @category accounts
 */
export interface AccountReportInput {
  /** The page title. @defaultValue "Account book" */
  readonly title?: string;
  /** The last day of data the scores use (shown, never computed: the report is deterministic). */
  readonly dataCutoff: string;
  /** When the report was generated (shown as given). */
  readonly generated: string;
  /** The accounts, in call-list order. */
  readonly accounts: readonly ReportAccount[];
  /** How many top accounts get a card. @defaultValue 10 */
  readonly cards?: number;
  /** ISO 4217 currency of the expected values. @defaultValue "USD" */
  readonly currency?: string;
  /** BCP 47 locale of the numbers. @defaultValue "en-US" */
  readonly locale?: string;
  /** The model card: data window, metrics against baselines, notes (e.g. effects against the declared direction). */
  readonly modelCard?: {
    /** The data the scorers saw, in words. */
    readonly dataWindow: string;
    /** Metrics of the scorers beside their baselines. @defaultValue none */
    readonly metrics?: readonly ReportMetric[];
    /** Further notes, one sentence each. @defaultValue none */
    readonly notes?: readonly string[];
  };
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 16px; margin: 0 0 6px; }
.meta { color: #57606a; font-size: 13px; margin-bottom: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { background: #f6f8fa; } td.number, th.number { text-align: right; white-space: nowrap; }
.band { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #eaeef2; white-space: nowrap; }
.band.high { background: #dafbe1; } .band.medium { background: #fff8c5; } .band.low { background: #eaeef2; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 16px; break-inside: avoid; page-break-inside: avoid; }
.card ul { margin: 4px 0 8px 18px; padding: 0; } .card li { margin: 2px 0; font-size: 13px; }
.label { font-weight: 600; font-size: 13px; margin-top: 8px; } .chart svg { max-width: 100%; height: auto; }
.legend { font-size: 12px; color: #57606a; }
@media print { body { margin: 0; } .cards { display: block; } .card { margin-bottom: 12px; } a { color: inherit; } }
`;

const WATERFALL_LEGEND = "Green raises the chance of an upsell, red lowers it; bars in percentage points.";

/**
 * Renders an account book as one self-contained HTML page (no scripts, no external files; print styles included):
 * the call list first (rank, account, priority band, expected value, P(upsell), P(churn), the next best product by
 * name and its one-line reason), then a card per top account (its products with their sentences, reasons and risks,
 * and a waterfall of P(upsell) in probability points whose colours are stated: green raises the chance, red lowers
 * it), the data cut-off and generation dates, and a short model card (data window, metrics against baselines, notes).
 * Every text is HTML-escaped; the page is a pure function of its input (dates are inputs), so the same book gives the
 * same bytes. Waterfall labels are fitted to the chart's width (cut with "…", the full text in a tooltip).
 *
 * Complexity: O(accounts + cards · players).
 *
 * @param input - the accounts, dates, currency, locale and model card
 * @returns the HTML page
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a malformed input, naming the field
 * @example
 * ```ts
 * import { renderAccountReport } from "nextbest/accounts";
 * const html = renderAccountReport({
 *   dataCutoff: "2010-08-31", generated: "2010-09-01",
 *   accounts: [{ rank: 1, account: "Acme <Ltd>", band: "High priority", expectedValue: 1200, upsellProbability: 0.62,
 *     churnProbability: 0.08, products: [{ product: "Doormat", reasons: ["Accounts that buy Candles also buy it (3 of the 5 that bought it)"] }],
 *     reasons: ["Spend rose 40% in the last 90 days"], risks: [] }],
 * });
 * html.startsWith("<!DOCTYPE html>"); // => true
 * html.includes("Acme &lt;Ltd&gt;"); // => true
 * html.indexOf("Call list") < html.indexOf("Acme"); // => true
 * ```
 * @category accounts
 */
export function renderAccountReport(input: AccountReportInput): string {
  const fn = "renderAccountReport";
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new NextbestError("E_BAD_INPUT", `${fn}: input must be an object with accounts, dataCutoff and generated, got ${describeValue(input)}`);
  for (const field of ["dataCutoff", "generated"] as const) {
    if (typeof input[field] !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: input.${field} must be a string (a date as it should read), got ${describeValue(input[field])}`);
  }
  if (!Array.isArray(input.accounts)) throw new NextbestError("E_BAD_INPUT", `${fn}: input.accounts must be an array, got ${describeValue(input.accounts)}`);
  const cards = input.cards ?? 10;
  if (!Number.isInteger(cards) || cards < 0 || cards > 1000) throw new NextbestError("E_BAD_INPUT", `${fn}: input.cards must be an integer in [0, 1000], got ${describeValue(cards)}`);
  const locale = input.locale ?? "en-US";
  let money: Intl.NumberFormat;
  let percent: Intl.NumberFormat;
  try {
    money = new Intl.NumberFormat(locale, { style: "currency", currency: input.currency ?? "USD", maximumFractionDigits: 0 });
    percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  } catch {
    throw new NextbestError("E_BAD_INPUT", `${fn}: input.locale must be a BCP 47 locale and input.currency an ISO 4217 code, got ${describeValue(locale)} and ${describeValue(input.currency)}`);
  }
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  input.accounts.forEach((a: unknown, i) => {
    const entry = a as Partial<ReportAccount> | null;
    if (typeof entry !== "object" || entry === null) throw new NextbestError("E_BAD_INPUT", `${fn}: input.accounts[${i}] must be an object, got ${describeValue(a)}`);
    for (const field of ["expectedValue", "upsellProbability", "churnProbability", "rank"] as const) {
      if (typeof entry[field] !== "number" || !Number.isFinite(entry[field])) throw new NextbestError("E_BAD_INPUT", `${fn}: input.accounts[${i}].${field} must be a finite number, got ${describeValue(entry[field])}`);
    }
    for (const field of ["account", "band"] as const) {
      if (typeof entry[field] !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: input.accounts[${i}].${field} must be a string, got ${describeValue(entry[field])}`);
    }
    for (const field of ["products", "reasons", "risks"] as const) {
      if (!Array.isArray(entry[field])) throw new NextbestError("E_BAD_INPUT", `${fn}: input.accounts[${i}].${field} must be an array, got ${describeValue(entry[field])}`);
    }
  });
  const e = escapeHtml;
  const bandClass = (band: string): string => (/high/i.test(band) ? "high" : /medium/i.test(band) ? "medium" : "low");
  const title = input.title ?? "Account book";
  const out: string[] = [];
  out.push(`<!DOCTYPE html>\n<html lang="${e(locale)}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${e(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>`);
  out.push(`<h1>${e(title)}</h1>`);
  out.push(`<div class="meta">Data up to ${e(input.dataCutoff)} · generated ${e(input.generated)} · ${number.format(input.accounts.length)} accounts worth a call, by the expected value of a call (P(upsell) × potential − P(churn) × spend at risk)</div>`);
  out.push(`<h2 id="call-list">Call list</h2>`);
  out.push(`<table><thead><tr><th class="number">#</th><th>Account</th><th>Priority</th><th class="number">Expected value</th><th class="number">P(upsell)</th><th class="number">P(churn)</th><th>Next best product</th><th>Why</th></tr></thead><tbody>`);
  for (const a of input.accounts) {
    const next = a.products[0];
    out.push(
      `<tr><td class="number">${number.format(a.rank)}</td><td>${e(a.account)}</td><td><span class="band ${bandClass(a.band)}">${e(a.band)}</span></td>` +
        `<td class="number">${e(money.format(a.expectedValue))}</td><td class="number">${e(percent.format(a.upsellProbability))}</td><td class="number">${e(percent.format(a.churnProbability))}</td>` +
        `<td>${next === undefined ? "—" : e(next.product)}</td><td>${next === undefined || next.reasons.length === 0 ? "" : e(next.reasons[0]!)}</td></tr>`,
    );
  }
  out.push(`</tbody></table>`);
  const carded = input.accounts.slice(0, cards);
  if (carded.length > 0) {
    out.push(`<h2 id="accounts">The top ${number.format(carded.length)} accounts</h2>`);
    out.push(`<p class="legend">Each chart shows how the account's features move P(upsell) from the average account's: ${e(WATERFALL_LEGEND)}</p>`);
    out.push(`<div class="cards">`);
    for (const a of carded) {
      out.push(`<section class="card"><h3>${number.format(a.rank)}. ${e(a.account)} <span class="band ${bandClass(a.band)}">${e(a.band)}</span></h3>`);
      out.push(`<div class="meta">Expected value ${e(money.format(a.expectedValue))} · P(upsell) ${e(percent.format(a.upsellProbability))} · P(churn) ${e(percent.format(a.churnProbability))}</div>`);
      if (a.products.length > 0) {
        out.push(`<div class="label">Bring up</div><ul>`);
        for (const p of a.products) out.push(`<li><strong>${e(p.product)}</strong>${p.reasons.length === 0 ? "" : `: ${p.reasons.map(e).join(" ")}`}</li>`);
        out.push(`</ul>`);
      }
      if (a.reasons.length > 0) out.push(`<div class="label">Reasons</div><ul>${a.reasons.map((r: string) => `<li>${e(r)}</li>`).join("")}</ul>`);
      if (a.risks.length > 0) out.push(`<div class="label">Risks</div><ul>${a.risks.map((r: string) => `<li>${e(r)}</li>`).join("")}</ul>`);
      if (a.explanation !== undefined) {
        const svg = renderWaterfallSvg(a.explanation, {
          width: 560,
          scale: "probability",
          maxBars: 8,
          digits: 2,
          locale,
          positiveColor: "#1a7f37",
          negativeColor: "#cf222e",
          legend: WATERFALL_LEGEND,
          ...(a.explanationRawData === undefined ? {} : { rawData: a.explanationRawData }),
        });
        out.push(`<div class="chart">${svg}</div>`);
      }
      out.push(`</section>`);
    }
    out.push(`</div>`);
  }
  if (input.modelCard !== undefined) {
    const card = input.modelCard;
    out.push(`<h2 id="model-card">Model card</h2><p>Data window: ${e(card.dataWindow)}</p>`);
    if (card.metrics !== undefined && card.metrics.length > 0) {
      out.push(`<table><thead><tr><th>Metric</th><th class="number">This model</th><th>Baselines</th></tr></thead><tbody>`);
      for (const m of card.metrics) {
        out.push(`<tr><td>${e(m.metric)}</td><td class="number">${e(number.format(m.value))}</td><td>${m.baselines.map((b) => `${e(b.name)} ${e(number.format(b.value))}`).join("; ")}</td></tr>`);
      }
      out.push(`</tbody></table>`);
    }
    if (card.notes !== undefined && card.notes.length > 0) out.push(`<ul>${card.notes.map((note) => `<li>${e(note)}</li>`).join("")}</ul>`);
  }
  out.push(`</body>\n</html>\n`);
  return out.join("\n");
}

/**
 * What {@link accountReportExplanation} returns.
 *
 * @category accounts
 */
export interface AccountReportExplanation {
  /** The scorer's explanation on the log-odds scale, players named by feature label and window. */
  readonly explanation: Explanation;
  /** The row's readable values, aligned with the explanation's players. */
  readonly explanationRawData: Float64Array;
}

/**
 * The waterfall input of one account for {@link renderAccountReport}: a logistic scorer's closed-form explanation of
 * row `row` of an account feature table (features named by their labels and windows, "Spend (90 days)") and the row's
 * readable values, ready to spread into a {@link ReportAccount}.
 *
 * Complexity: O(features).
 *
 * @param model - the logistic scorer over the table's feature columns
 * @param table - the feature table
 * @param row - the row index
 * @returns the explanation and the row's readable values
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad row; whatever `explainLogistic` throws for a model of other features
 * @example
 * ```ts
 * import { accountFeatures, accountReportExplanation } from "nextbest/accounts";
 * import { fitLogisticRegression } from "nextbest/classifiers";
 * const day = 86_400;
 * const table = accountFeatures([0, 1, 2, 3].map((a) => ({ account: `a${a}`, amount: 100 * (a + 1), timestamp: day })), { dates: [2 * day], windows: [30] });
 * const model = fitLogisticRegression(table.matrix, [0, 0, 1, 1]);
 * const { explanation, explanationRawData } = accountReportExplanation(model, table, 3);
 * [explanation.featureNames[0], explanationRawData[0]]; // => ["Spend (30 days)", 400]
 * ```
 * @category accounts
 */
export function accountReportExplanation(
  model: Pick<LogisticRegressionModel, "coefficients" | "intercept" | "means">,
  table: AccountFeatureTable,
  row: number,
): AccountReportExplanation {
  const fn = "accountReportExplanation";
  if (typeof table !== "object" || table === null || !Array.isArray(table.rows) || !Number.isInteger(row) || row < 0 || row >= table.rows.length) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: row must be an integer in [0, ${Array.isArray(table?.rows) ? table.rows.length - 1 : "?"}] of an account feature table, got ${describeValue(row)}`);
  }
  const d = table.info.length;
  const explanation = explainLogistic({ coefficients: model.coefficients, intercept: model.intercept }, table.matrix.data.subarray(row * d, (row + 1) * d), {
    means: model.means,
    featureNames: table.info.map((f) => f.label + (f.windowDays === undefined ? "" : ` (${f.windowDays} days)`)),
  });
  return { explanation, explanationRawData: table.raw.data.slice(row * d, (row + 1) * d) };
}

/**
 * One {@link ReportAccount} from a ranked book entry and its narrative: rank, expected value and probabilities from
 * the entry, band, reasons and risks from the narrative, plus the products to bring up and the waterfall input when
 * given. The one mapping the demo, `nextbest report` and apps share.
 *
 * Complexity: O(reasons + products).
 *
 * @param entry - an entry of {@link rankAccountBook}
 * @param narrative - the account's narrative (e.g. {@link narrateAccountScore} of the upsell scorer)
 * @param options - the account's display name (default its id), products with reasons, the waterfall input
 * @returns the report's account
 * @example
 * ```ts
 * import { rankAccountBook, reportAccount } from "nextbest/accounts";
 * import { explainLinear, narrateExplanation } from "nextbest/explain";
 * const [entry] = rankAccountBook([{ account: "acme", upsellProbability: 0.6, churnProbability: 0.1, spend: 1000 }]);
 * const story = narrateExplanation(explainLinear({ coefficients: [1] }, [2], { means: [0], featureNames: ["seats"] }), { metadata: new Map(), score: 0.6 });
 * const row = reportAccount(entry!, story, { name: "Acme Ltd", products: [{ product: "Doormat", reasons: [] }] });
 * [row.rank, row.account, row.band, row.expectedValue, row.reasons]; // => [1, "Acme Ltd", "Medium priority", 200, ["seats: 2"]]
 * ```
 * @category accounts
 */
export function reportAccount(
  entry: AccountBookEntry,
  narrative: Narrative,
  options: { readonly name?: string; readonly products?: readonly ReportProduct[]; readonly explanation?: AccountReportExplanation } = {},
): ReportAccount {
  return {
    rank: entry.rank,
    account: options.name ?? String(entry.account),
    band: narrative.band,
    expectedValue: entry.expectedValue,
    upsellProbability: entry.upsellProbability,
    churnProbability: entry.churnProbability,
    products: options.products ?? [],
    reasons: narrative.reasons.map((item) => item.text),
    risks: narrative.risks.map((item) => item.text),
    ...(options.explanation ?? {}),
  };
}
