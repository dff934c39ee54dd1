/**
 * `nextbest evaluate`: split an interactions CSV, fit several models on the training part and compare them on the
 * test part.
 *
 * @module
 */
import { splitLeaveLastOut } from "../data/split-leave-last-out.ts";
import { splitRandom } from "../data/split-random.ts";
import { splitTemporal } from "../data/split-temporal.ts";
import type { InteractionsSplit } from "../data/split-common.ts";
import type { Interactions } from "../data/types.ts";
import { compareModels, formatComparisonTable, type ModelComparison } from "../evaluation/compare-models.ts";
import { parseMetricName } from "../evaluation/experiment.ts";
import type { MetricName, ModelFactory } from "../evaluation/types.ts";
import { UsageError, choiceOption, fractionOption, listOption, stringOption, type CommandSpec, type ParsedOptions } from "./args.ts";
import { fitModel, MODEL_KINDS, type ModelKind } from "./models.ts";
import { csvText, formatCount, writeResult } from "./output.ts";
import {
  COMMON_OPTIONS,
  INPUT_OPTIONS,
  MODEL_OPTIONS,
  describeInteractions,
  makeProgress,
  modelContext,
  modelKind,
  readInteractionsOption,
  readTablesOption,
  type CliIo,
} from "./shared.ts";

const SPLITS = ["random", "temporal", "leave-last-out"] as const;
const DEFAULT_MODELS = "popularity,item-knn,als";
const DEFAULT_METRICS = "ndcg@10,precision@10,recall@10,auc";

/** The declaration of `nextbest evaluate`: its options, help and examples. @internal */
export const EVALUATE: CommandSpec = {
  name: "evaluate",
  summary: "compare models on a train/test split of an interactions CSV",
  usage: "evaluate --interactions FILE [--split random|temporal|leave-last-out] [--test-fraction 0.2] [--seed 42] [--models NAME,NAME] [--metrics M,M] [--format table|json|csv]",
  options: [
    { name: "interactions", value: "FILE", description: "interactions CSV/TSV: one row per purchase (or rating, usage); required" },
    ...INPUT_OPTIONS,
    { name: "split", value: "NAME", defaultValue: "random", description: "random (seeded), temporal (the latest interactions by time) or leave-last-out (each user's latest)" },
    { name: "test-fraction", value: "F", defaultValue: "0.2", description: "share of the interactions held out by the random and temporal splits, in (0, 1)" },
    { name: "models", value: "NAMES", defaultValue: DEFAULT_MODELS, description: `comma-separated models: ${MODEL_KINDS.join(", ")}` },
    { name: "metrics", value: "NAMES", defaultValue: DEFAULT_METRICS, description: "comma-separated metric columns: <metric>@<k> (precision, recall, f1, hitRate, ndcg, map, mrr, coverage, novelty, popularity), auc, rmse, mae, mse" },
    ...MODEL_OPTIONS,
    { name: "format", value: "FORMAT", defaultValue: "table", description: "table, json or csv" },
    { name: "output", value: "FILE", description: "write the results to FILE instead of stdout" },
    ...COMMON_OPTIONS,
  ],
  notes: [
    "Every model is fitted on the training part and ranks the items each test user has not seen in training; a test interaction is relevant whatever its value. Test interactions of users or items unknown to the training part are dropped.",
  ],
  examples: [
    ["popularity against item-kNN and ALS on a seeded 80/20 split", "nextbest evaluate --interactions purchases.csv"],
    [
      "MovieLens 100K (tab-separated, no header)",
      "nextbest evaluate --interactions ml-100k/u.data --delimiter tab --no-header --models popularity,item-knn --metrics ndcg@10,precision@10",
    ],
    [
      "the hybrid against its parts on the latest 20% by time, as JSON",
      "nextbest evaluate --interactions purchases.csv --items products.csv --split temporal --models item-knn,content,hybrid --format json",
    ],
  ],
};

function makeSplit(data: Interactions, split: (typeof SPLITS)[number], testFraction: number, seed: number): InteractionsSplit {
  if (split === "random") return splitRandom(data, { testFraction, seed });
  if (split === "temporal") return splitTemporal(data, { testFraction });
  return splitLeaveLastOut(data);
}

function formatComparison(comparison: ModelComparison, format: "table" | "json" | "csv", about: Record<string, unknown>): string {
  if (format === "table") return `${formatComparisonTable(comparison)}\n`;
  if (format === "json") {
    const rows = comparison.rows.map((row) => ({
      model: row.model,
      values: Object.fromEntries(comparison.metrics.map((m) => [m, Number.isFinite(row.values[m]!) ? row.values[m] : null])),
      fitSeconds: row.fitSeconds,
      scoringSeconds: row.scoringSeconds,
    }));
    const result = {
      ...about,
      trainInteractions: comparison.trainInteractions,
      testInteractions: comparison.testInteractions,
      metrics: comparison.metrics,
      rows,
    };
    return `${JSON.stringify(result, null, 2)}\n`;
  }
  return csvText(
    ["model", ...comparison.metrics, "fit_seconds", "scoring_seconds"],
    comparison.rows.map((row) => [row.model, ...comparison.metrics.map((m) => row.values[m]!), row.fitSeconds, row.scoringSeconds]),
  );
}

/**
 * Runs `nextbest evaluate` with parsed options.
 *
 * @returns the exit code
 * @internal
 */
export async function runEvaluate(options: ParsedOptions, io: CliIo): Promise<number> {
  const command = EVALUATE.name;
  const progress = makeProgress(io, options);
  const path = stringOption(options, "interactions");
  if (path === undefined) throw new UsageError("evaluate needs --interactions FILE", command);
  const split = choiceOption(options, command, "split", "random", SPLITS);
  const testFraction = fractionOption(options, command, "test-fraction", 0.2, 0, 1);
  const format = choiceOption(options, command, "format", "table", ["table", "json", "csv"] as const);
  const modelsText = stringOption(options, "models") ?? DEFAULT_MODELS;
  const kinds: ModelKind[] = [];
  for (const name of listOption(modelsText)) {
    const kind = modelKind(command, "--models", name);
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (kinds.length === 0) throw new UsageError(`--models must name at least one model, got ${JSON.stringify(modelsText)}`, command);
  const metricsText = stringOption(options, "metrics") ?? DEFAULT_METRICS;
  const metrics = listOption(metricsText) as MetricName[];
  if (metrics.length === 0) throw new UsageError(`--metrics must name at least one metric, got ${JSON.stringify(metricsText)}`, command);
  for (const metric of metrics) {
    try {
      parseMetricName(command, "--metrics", metric);
    } catch {
      throw new UsageError(
        `--metrics entries must be <metric>@<k> (precision, recall, f1, hitRate, ndcg, map, mrr, coverage, novelty, popularity), auc, rmse, mae or mse, got ${JSON.stringify(metric)}`,
        command,
      );
    }
  }
  const needsItems = kinds.filter((kind) => kind === "content" || kind === "hybrid");
  if (needsItems.length > 0 && stringOption(options, "items") === undefined) {
    throw new UsageError(`--models ${needsItems.join(",")} needs a product table: add --items FILE`, command);
  }

  const tables = await readTablesOption(options, command);
  const context = modelContext(options, command, tables, progress, io);
  const data = await readInteractionsOption(options, command, path, io);
  progress(`read ${describeInteractions(data)} from ${path}`);
  const pair = makeSplit(data, split, testFraction, context.seed);
  const about =
    split === "random"
      ? { split, testFraction, seed: context.seed }
      : split === "temporal"
        ? { split, testFraction }
        : { split, count: 1 };
  progress(
    `${split} split: ${formatCount(pair.train.byUser.values.length)} train, ${formatCount(pair.test.byUser.values.length)} test interactions (${formatCount(pair.droppedTestInteractions)} test interactions of unknown users or items dropped)`,
  );
  const factories = new Map<string, ModelFactory>(
    kinds.map((kind) => [
      kind,
      (train: Interactions) => {
        progress(`fitting ${kind}`);
        const fitted = fitModel(kind, train, context);
        if (fitted.note !== undefined) progress(fitted.note);
        return fitted.recommender;
      },
    ]),
  );
  const comparison = compareModels(pair, factories, { metrics, onProgress: progress.steps("evaluating") });
  warnAboutComparison(comparison, pair.train.items.ids.length, context.warn);
  await writeResult(formatComparison(comparison, format, about), stringOption(options, "output"), io.stdout);
  progress("done");
  return 0;
}

/**
 * Warnings a reader of the table needs: an evaluation that cannot tell models apart (every ranking value 1, as with 7
 * products and k = 10), and models that score below popularity on a ranking metric (when popularity is compared).
 */
function warnAboutComparison(comparison: ModelComparison, catalogue: number, warn: (message: string) => void): void {
  const ranking = comparison.metrics.filter((metric) => !/^(rmse|mae|mse)$/.test(metric));
  if (ranking.length === 0) return;
  const whole = ranking.filter((metric) => Number(metric.split("@")[1] ?? Number.NaN) >= catalogue);
  if (whole.length > 0) {
    warn(
      `${whole.join(", ")} ${whole.length === 1 ? "cuts" : "cut"} lists at or beyond the whole catalogue (${formatCount(catalogue)} products), so every model recalls every test product: use a k below ${formatCount(catalogue)}`,
    );
  }
  const values = comparison.rows.flatMap((row) => ranking.map((metric) => row.values[metric]!));
  if (values.length > 0 && values.every((value) => value === 1)) {
    warn(
      `every ranking metric is 1 for every model, so this evaluation cannot tell them apart (${formatCount(catalogue)} products in the training data): use a smaller k than the catalogue, a larger test set or more products`,
    );
  }
  const popularity = comparison.rows.find((row) => row.model === "popularity");
  if (popularity === undefined) return;
  const metric = ranking[0]!;
  const baseline = popularity.values[metric]!;
  for (const row of comparison.rows) {
    const value = row.values[metric]!;
    if (row !== popularity && value < baseline) {
      warn(`${row.model} scores below popularity on ${metric} (${value.toFixed(4)} vs ${baseline.toFixed(4)}): check its settings, or whether the data has enough history per account`);
    }
  }
}
