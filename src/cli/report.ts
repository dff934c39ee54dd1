/// <reference types="node" />
/**
 * `nextbest report`: from a purchases CSV (value = spend, with dates), score every account's chance of growing and of
 * churning, rank the book by the expected value of a call, attach the next best products with their reasons, and
 * write the account report as one HTML page.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import type { SpendEvent } from "../accounts/labels.ts";
import { fitAccountScorers } from "../accounts/scorers.ts";
import { narrateAccountScore } from "../accounts/narrative.ts";
import { rankAccountBook } from "../accounts/book.ts";
import { accountReportExplanation, renderAccountReport, reportAccount } from "../accounts/report.ts";
import { rfmScores } from "../accounts/rfm.ts";
import { predictLogisticRegression } from "../classifiers/logistic.ts";
import { NextbestError } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import { narrateRecommendation } from "../explain/recommendation-narrative.ts";
import { denseMatrix } from "../linalg/dense.ts";
import { rocAuc } from "../metrics/classification.ts";
import { recommend } from "../recommend/recommend.ts";
import { UsageError, integerOption, stringOption, type CommandSpec, type ParsedOptions } from "./args.ts";
import { fitModel } from "./models.ts";
import { COMMON_OPTIONS, INPUT_OPTIONS, MODEL_OPTIONS, describeInteractions, makeProgress, modelContext, readInteractionsOption, readTablesOption, type CliIo } from "./shared.ts";
import { formatCount } from "./output.ts";

/** The declaration of `nextbest report`. @internal */
export const REPORT: CommandSpec = {
  name: "report",
  summary: "score and rank the account book from a purchases CSV and write the call-list report as HTML",
  usage: "report --interactions FILE [--items FILE] [--date YYYY-MM-DD] [--window-days 90] [--top 25] [--k 3] [--currency USD] [--out report.html]",
  options: [
    { name: "interactions", value: "FILE", description: "purchases CSV/TSV with user, item, value (the spend) and timestamp columns; required" },
    ...INPUT_OPTIONS,
    ...MODEL_OPTIONS,
    { name: "date", value: "DATE", defaultValue: "the day after the last purchase", description: "the scoring date (ISO 8601): features look before it" },
    { name: "window-days", value: "N", defaultValue: "90", description: "the outcome window: upsell or churn is what spend does in the N days after a date" },
    { name: "top", value: "N", defaultValue: "25", description: "accounts in the call list" },
    { name: "k", value: "N", defaultValue: "3", description: "products per account" },
    { name: "currency", value: "CODE", defaultValue: "USD", description: "ISO 4217 currency of the values" },
    { name: "out", value: "FILE", defaultValue: "report.html", description: "where to write the report" },
    ...COMMON_OPTIONS,
  ],
  notes: [
    "Scorers: logistic regressions of upsell (spend up 20% or more) and churn (down 50% or more) over --window-days, trained on two dates whose outcome windows end before --date (labelSpendOutcomes with its absolute floors), features from accountFeatures; checked on the later of the two against RFM, figures in the report's model card.",
    "Products: the hybrid with --items, else item-knn, fitted on every purchase before --date; each with its reason in words.",
  ],
  examples: [["the report for the day after the data ends", "nextbest report --interactions purchases.csv --items products.csv --out report.html"]],
};

const DAY_SECONDS = 86_400;

/** Runs `nextbest report`; returns the exit code. @internal */
export async function runReport(options: ParsedOptions, io: CliIo): Promise<number> {
  const command = "report";
  const progress = makeProgress(io, options);
  const path = stringOption(options, "interactions");
  if (path === undefined) throw new UsageError("--interactions FILE is required", command);
  const windowDays = integerOption(options, command, "window-days", 90, 1);
  const top = integerOption(options, command, "top", 25, 1);
  const k = integerOption(options, command, "k", 3, 1);
  const currency = stringOption(options, "currency") ?? "USD";
  const out = stringOption(options, "out") ?? "report.html";
  const data = await readInteractionsOption(options, command, path, io);
  progress(`read ${describeInteractions(data)} from ${path}`);
  const events = spendEvents(data);
  // Timestamps read from ISO dates are milliseconds; plain numbers below 1e11 are seconds (before the year 5138).
  const milliseconds = events.some((e) => Math.abs(e.timestamp) >= 1e11);
  const unit = milliseconds ? 1000 : 1;
  const day = DAY_SECONDS * unit;
  const dateText = stringOption(options, "date");
  let date: number;
  if (dateText === undefined) date = Math.floor(Math.max(...events.map((e) => e.timestamp)) / day + 1) * day;
  else {
    const parsed = Date.parse(dateText);
    if (!Number.isFinite(parsed)) throw new UsageError(`--date must be an ISO 8601 date such as 2010-09-01, got ${JSON.stringify(dateText)}`, command);
    date = milliseconds ? parsed : parsed / 1000;
  }
  const timeUnit = milliseconds ? ("milliseconds" as const) : ("seconds" as const);
  let scorers;
  try {
    scorers = fitAccountScorers(events, { date, windowDays, timeUnit });
  } catch (error) {
    if (error instanceof NextbestError) throw new NextbestError(error.code, error.message.replace(/^fitAccountScorers: events/, "report: --interactions").replace(/options\.windowDays/g, "--window-days"));
    throw error;
  }
  const { upsell, churn, trainingDates, training, today } = scorers;
  const train = training.table;
  const d = train.info.length;
  const kept = training.rows;
  progress(`trained the upsell and churn scorers on ${formatCount(kept.length)} account-dates`);

  // A check the reader can trust: the same scorers on the later training date's outcomes, beside RFM.
  const checkDate = trainingDates[1]!;
  const checkRows = kept.filter((r) => train.rows[r]!.date === checkDate);
  const checkX = denseMatrix(checkRows.length, d, Float64Array.from(checkRows.flatMap((r) => Array.from(train.matrix.data.subarray(r * d, (r + 1) * d)))));
  const rfm = new Map(rfmScores(events, { date: checkDate, timeUnit }).map((s) => [s.account, s.score]));
  const checkOutcome = checkRows.map((r) => training.outcomes[kept.indexOf(r)]!);
  const auc = (scores: ArrayLike<number>, kind: string) => rocAuc(scores, checkOutcome.map((o) => (o === kind ? 1 : 0)));
  const rfmOf = checkRows.map((r) => rfm.get(train.rows[r]!.account) ?? 0);

  const pUp = scorers.upsellProbability;
  const pChurn = scorers.churnProbability;
  const spend = today.info.findIndex((f) => f.name === `spend_${windowDays}d`);
  const rowOf = new Map(today.rows.map((row, r) => [row.account, r]));
  const book = rankAccountBook(today.rows.map((row, r) => ({ account: row.account, upsellProbability: pUp[r]!, churnProbability: pChurn[r]!, spend: today.raw.data[r * d + spend]! })), { limit: top });
  progress(`ranked ${formatCount(book.length)} accounts with a positive expected value`);

  const tables = await readTablesOption(options, command);
  const context = modelContext(options, command, tables, progress, io);
  const products = fitModel(tables.items === undefined ? "item-knn" : "hybrid", data, context);
  const isHybrid = tables.items !== undefined;
  const accounts = book.map((entry) => {
    const r = rowOf.get(entry.account)!;
    const story = narrateAccountScore(upsell, today, r, { currency, maxReasons: 3, maxRisks: 2 });
    const known = products.recommender.users.lookup.has(entry.account);
    const items = known ? recommend(products.recommender, entry.account, { k }).items : [];
    return reportAccount(entry, story, {
      products: items.map((item) => ({
        product: String(item.item),
        reasons: [
          (isHybrid
            ? narrateRecommendation(products.recommender, entry.account, item.item, { components: products.narratable })
            : narrateRecommendation(products.narratable.get("item-knn")!, entry.account, item.item)
          ).text,
        ].filter((text) => text !== ""),
      })),
      explanation: accountReportExplanation(upsell, today, r),
    });
  });
  const iso = (t: number) => new Date((t / unit) * 1000).toISOString().slice(0, 10);
  const html = renderAccountReport({
    dataCutoff: iso(date - day),
    generated: `${iso(date)} (nextbest report)`,
    currency,
    accounts,
    modelCard: {
      dataWindow: `purchases up to ${iso(date - day)}; scorers trained on ${iso(trainingDates[0]!)} and ${iso(trainingDates[1]!)} with ${windowDays}-day outcomes`,
      metrics: [
        { metric: `Upsell, ROC AUC on the outcomes after ${iso(checkDate)}`, value: Number(auc(predictLogisticRegression(upsell, checkX), "upsell").toFixed(3)), baselines: [{ name: "RFM", value: Number(auc(rfmOf, "upsell").toFixed(3)) }] },
        { metric: `Churn, ROC AUC on the outcomes after ${iso(checkDate)}`, value: Number(auc(predictLogisticRegression(churn, checkX), "churn").toFixed(3)), baselines: [{ name: "RFM", value: Number(auc(rfmOf.map((v) => -v), "churn").toFixed(3)) }] },
      ],
      notes: ["The check date is one of the training dates: a fresh later period is the honest test (npm run bench:accounts does one on real data)."],
    },
  });
  try {
    await writeFile(out, html, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new NextbestError("E_BAD_INPUT", `--out: path must name a writable file, got ${JSON.stringify(out)}${typeof code === "string" ? ` (${code})` : ""}`);
  }
  io.stdout(`wrote ${out}: ${formatCount(book.length)} accounts in the call list, ${Math.min(10, book.length)} cards\n`);
  return 0;
}

/** One spend event per input row (value = spend), from the events behind the merged pairs. */
function spendEvents(data: Interactions): SpendEvent[] {
  const events = data.events;
  const { indptr, indices } = data.byUser;
  const out: SpendEvent[] = [];
  if (events === undefined || data.timestamps === undefined) {
    throw new NextbestError("E_BAD_INPUT", "report: --interactions must have a timestamp column (the date of each purchase) and a value column (its spend)");
  }
  for (let u = 0; u < data.users.ids.length; u++) {
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      for (let e = events.indptr[p]!; e < events.indptr[p + 1]!; e++) {
        const amount = events.values[e]!;
        if (!(amount >= 0)) throw new NextbestError("E_BAD_INPUT", `report: spend must be >= 0, got ${amount} for account ${JSON.stringify(String(data.users.ids[u]))}`);
        out.push({ account: data.users.ids[u]! as Id, product: data.items.ids[indices[p]!]!, amount, timestamp: events.timestamps[e]! });
      }
    }
  }
  return out;
}
