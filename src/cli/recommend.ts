/// <reference types="node" />
/**
 * `nextbest recommend`: fit (or load) a model from CSV files and write each account's top-k products.
 *
 * @module
 */
import { readFile, writeFile } from "node:fs/promises";
import { NextbestError } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import { explainBlend } from "../hybrid/explain.ts";
import { narrateRecommendation, type NarratableModel } from "../explain/recommendation-narrative.ts";
import { recommendMany } from "../recommend/recommend-many.ts";
import type { Recommendation, Recommender } from "../recommend/types.ts";
import {
  UsageError,
  choiceOption,
  flagOption,
  integerOption,
  listOption,
  stringOption,
  type CommandSpec,
  type ParsedOptions,
} from "./args.ts";
import { fitModel, loadModel, MODEL_KINDS, type ModelKind } from "./models.ts";
import { csvText, formatCount, numberText, writeResult } from "./output.ts";
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

/** The declaration of `nextbest recommend`: its options, help and examples. @internal */
export const RECOMMEND: CommandSpec = {
  name: "recommend",
  summary: "fit a recommender on an interactions CSV and write each account's top-k products",
  usage: "recommend --interactions FILE [--items FILE] [--accounts FILE] [--model NAME] [--k 10] [--users ID,ID | --all] [--explain] [--format csv|json] [--output FILE]",
  options: [
    { name: "interactions", value: "FILE", description: "interactions CSV/TSV: one row per purchase (or rating, usage); required unless --model-in" },
    ...INPUT_OPTIONS,
    { name: "model", value: "NAME", defaultValue: "hybrid with --items, else item-knn", description: `the model: ${MODEL_KINDS.join(", ")}` },
    ...MODEL_OPTIONS,
    { name: "k", value: "N", defaultValue: "10", description: "products per account" },
    { name: "users", value: "IDS", description: "comma-separated account ids to recommend for (unknown ones get the cold-start fallback)" },
    { name: "all", description: "recommend for every account of the interactions and of --accounts (the default)" },
    { name: "include-seen", description: "also recommend products the account already has (repeat purchases)" },
    { name: "explain", description: "add source and reason columns: a sentence per product from the model's evidence (scores to 3 significant digits)" },
    { name: "format", value: "FORMAT", defaultValue: "csv", description: "csv or json" },
    { name: "output", value: "FILE", description: "write the results to FILE instead of stdout" },
    { name: "model-out", value: "FILE", description: "save the fitted model as JSON (the hybrid as one document with every component)" },
    { name: "model-in", value: "FILE", description: "load a model saved with --model-out instead of fitting one" },
    ...COMMON_OPTIONS,
  ],
  notes: [
    "Output columns: user,rank,item,score; with --explain also source (model, or the cold-start fallback used: popularity, firmographics, hybrid) and reason (why, in words: e.g. \"Accounts that buy crm also buy it (3 of the 5 that bought it).\"; for the hybrid, each component with at least 15% of the score; JSON adds the hybrid's per-component contributions).",
    "Models: popularity (distinct buyers), random (seeded), item-knn (implicit item-item cosine, 20 neighbours), als (implicit ALS, 64 factors), bpr (BPR, 64 factors), content (cosine of product features with the account's purchase profile; needs --items), hybrid (z-score blend of item-knn, content and popularity; needs --items).",
    "Tables: a column named tags holds |-separated tags; columns whose every value is a number are standardized; other columns are categories. With --accounts, accounts without purchases are scored from their firmographics (a ridge projection learned from the accounts with purchases).",
  ],
  examples: [
    ["top 5 products per account with item-kNN", "nextbest recommend --interactions purchases.csv --model item-knn --k 5"],
    [
      "the hybrid with reasons, prospects scored from firmographics, as JSON",
      "nextbest recommend --interactions purchases.csv --items products.csv --accounts accounts.csv --explain --format json",
    ],
    ["fit once, save, and recommend later from the saved model", "nextbest recommend --interactions purchases.csv --model als --model-out als.json --output recs.csv"],
    ["MovieLens-style TSV without a header, two users", "nextbest recommend --interactions u.data --delimiter tab --no-header --users 196,186"],
  ],
};

interface Row {
  readonly user: Id;
  readonly rank: number;
  readonly item: Id;
  readonly score: number;
  readonly source: string;
  readonly reason: string;
  readonly contributions: ReadonlyMap<string, number> | undefined;
}

// Scores and contributions under --explain: 3 significant digits (a rep reads "0.204", not 0.20412345678901234).
const round = (value: number): number => (Number.isFinite(value) ? Number(value.toPrecision(3)) : value);

// What a cold-start answer is, in words.
const FALLBACK_REASONS: ReadonlyMap<string, string> = new Map([
  ["popularity", "New account: among the products most accounts buy"],
  ["firmographics", "New account: scored from its firmographics (what similar accounts buy)"],
  ["hybrid", "New account: scored from its firmographics and what most accounts buy"],
]);

function explainRows(
  recommender: Recommender,
  kind: ModelKind,
  narratable: ReadonlyMap<string, NarratableModel>,
  lists: readonly Recommendation[],
  explain: boolean,
): Row[] {
  const rows: Row[] = [];
  for (const list of lists) {
    const source = list.fallback === null ? "model" : (list.fallback.source ?? "none");
    for (const entry of list.items) {
      let reason = "";
      let contributions: Map<string, number> | undefined;
      if (explain) {
        if (kind === "hybrid") {
          const why = explainBlend(recommender, list.user, entry.item);
          contributions = new Map(why.contributions.map((c) => [c.name, round(c.contribution)] as const));
        }
        if (list.fallback !== null && kind !== "hybrid") reason = FALLBACK_REASONS.get(source) ?? `New account: ${source} answer`;
        else if (kind === "random") reason = "Random order (a baseline, no evidence)";
        else if (kind === "bpr") reason = "Ranked by BPR's latent factors (no per-product evidence to tell)";
        else {
          const model = kind === "hybrid" ? undefined : narratable.get(kind);
          const story =
            kind === "hybrid"
              ? narrateRecommendation(recommender, list.user, entry.item, { components: narratable })
              : model !== undefined && model.items.lookup.has(entry.item) && (model.kind === "popularity" || model.users.lookup.has(list.user))
                ? narrateRecommendation(model, list.user, entry.item)
                : undefined;
          reason = story?.text ?? "";
          if (reason === "" && list.fallback !== null) reason = FALLBACK_REASONS.get(source) ?? `New account: ${source} answer`;
          if (reason === "") reason = "No single piece of evidence stands out (it fills the list)";
        }
      }
      rows.push({ user: list.user, rank: entry.rank, item: entry.item, score: explain ? round(entry.score) : entry.score, source, reason, contributions });
    }
  }
  return rows;
}

function formatRows(rows: readonly Row[], explain: boolean, format: "csv" | "json"): string {
  if (format === "json") {
    const objects = rows.map((row) => ({
      user: row.user,
      rank: row.rank,
      item: row.item,
      score: Number.isFinite(row.score) ? row.score : null,
      ...(explain
        ? {
            source: row.source,
            reason: row.reason,
            ...(row.contributions === undefined ? {} : { contributions: Object.fromEntries(row.contributions) }),
          }
        : {}),
    }));
    return `${JSON.stringify(objects, null, 2)}\n`;
  }
  const header = explain ? ["user", "rank", "item", "score", "source", "reason"] : ["user", "rank", "item", "score"];
  return csvText(
    header,
    rows.map((row) =>
      explain
        ? [String(row.user), row.rank, String(row.item), row.score, row.source, row.reason]
        : [String(row.user), row.rank, String(row.item), row.score],
    ),
  );
}

// --items and --accounts are read by the content model and the hybrid only (a loaded content model uses --accounts).
function checkTablesFor(kind: ModelKind, options: ParsedOptions): void {
  for (const table of ["items", "accounts"]) {
    if (stringOption(options, table) !== undefined && kind !== "content" && kind !== "hybrid") {
      throw new UsageError(`--${table} is used by --model content and hybrid, got --model ${kind}`, RECOMMEND.name);
    }
  }
}

async function readModelFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new NextbestError("E_BAD_INPUT", `--model-in: path must name a readable file, got ${JSON.stringify(path)}${typeof code === "string" ? ` (${code})` : ""}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new NextbestError("E_BAD_MODEL", `--model-in: ${JSON.stringify(path)} must hold JSON, got a parse error: ${(error as Error).message}`);
  }
}

/**
 * Runs `nextbest recommend` with parsed options.
 *
 * @returns the exit code
 * @internal
 */
export async function runRecommend(options: ParsedOptions, io: CliIo): Promise<number> {
  const command = RECOMMEND.name;
  const progress = makeProgress(io, options);
  const interactionsPath = stringOption(options, "interactions");
  const modelIn = stringOption(options, "model-in");
  const modelOut = stringOption(options, "model-out");
  if (interactionsPath === undefined && modelIn === undefined) throw new UsageError("recommend needs --interactions FILE (or --model-in FILE)", command);
  if (interactionsPath !== undefined && modelIn !== undefined) {
    throw new UsageError("give either --interactions (fit a model) or --model-in (load one), not both", command);
  }
  if (modelIn !== undefined && modelOut !== undefined) throw new UsageError("--model-out saves a fitted model: it cannot be combined with --model-in", command);
  const k = integerOption(options, command, "k", 10, 1);
  const format = choiceOption(options, command, "format", "csv", ["csv", "json"] as const);
  const explain = flagOption(options, "explain");
  const usersText = stringOption(options, "users");
  if (usersText !== undefined && flagOption(options, "all")) throw new UsageError("give either --users or --all, not both", command);
  const users = usersText === undefined ? undefined : listOption(usersText);
  if (users !== undefined && users.length === 0) throw new UsageError(`--users must list at least one account id, got ${JSON.stringify(usersText)}`, command);
  const modelText = stringOption(options, "model");
  const given = modelText === undefined ? undefined : modelKind(command, "--model", modelText);
  const kind: ModelKind = given ?? (stringOption(options, "items") !== undefined ? "hybrid" : "item-knn");
  // With --model-in the kind comes from the file: the table checks run after loading it.
  if (modelIn === undefined || given !== undefined) checkTablesFor(kind, options);
  if (kind !== "hybrid" && (stringOption(options, "weights") !== undefined || flagOption(options, "learn-weights"))) {
    throw new UsageError(`--weights and --learn-weights are for --model hybrid, got --model ${kind}`, command);
  }
  if ((kind === "content" || kind === "hybrid") && modelIn === undefined && stringOption(options, "items") === undefined) {
    throw new UsageError(`--model ${kind} needs a product table: add --items FILE (an id column and feature columns)`, command);
  }

  const tables = await readTablesOption(options, command);
  if (tables.items !== undefined) progress(`read ${formatCount(tables.items.ids.length)} products (${formatCount(tables.items.features.cols)} features)`);
  if (tables.accounts !== undefined) progress(`read ${formatCount(tables.accounts.ids.length)} accounts (${formatCount(tables.accounts.features.cols)} features)`);
  const context = modelContext(options, command, tables, progress, io);

  let recommender: Recommender;
  let narratable: ReadonlyMap<string, NarratableModel> = new Map();
  let modelKindUsed: ModelKind = kind;
  if (modelIn !== undefined) {
    const json = await readModelFile(modelIn);
    const loaded = loadModel(json, tables.accounts);
    if (given !== undefined && given !== loaded.kind) {
      throw new UsageError(`--model ${given} does not match the model in ${JSON.stringify(modelIn)}, which is ${loaded.kind}`, command);
    }
    checkTablesFor(loaded.kind, options);
    recommender = loaded.recommender;
    narratable = loaded.narratable;
    modelKindUsed = loaded.kind;
    progress(`loaded ${loaded.kind} from ${modelIn}`);
  } else {
    const data = await readInteractionsOption(options, command, interactionsPath!, io);
    progress(`read ${describeInteractions(data)} from ${interactionsPath}`);
    progress(`fitting ${kind}`);
    const fitted = fitModel(kind, data, context);
    if (fitted.note !== undefined) progress(fitted.note);
    recommender = fitted.recommender;
    narratable = fitted.narratable;
    if (modelOut !== undefined) {
      try {
        await writeFile(modelOut, `${JSON.stringify(fitted.json)}\n`, "utf8");
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new NextbestError("E_BAD_INPUT", `--model-out: path must name a writable file, got ${JSON.stringify(modelOut)}${typeof code === "string" ? ` (${code})` : ""}`);
      }
      progress(`saved the model to ${modelOut}`);
    }
  }

  let targets: Id[];
  if (users !== undefined) targets = users;
  else {
    targets = [...recommender.users.ids];
    if (tables.accounts !== undefined) {
      const known = recommender.users.lookup;
      for (const id of tables.accounts.ids) if (!known.has(id)) targets.push(id);
    }
  }
  if (users !== undefined) {
    // An id given on purpose that no data knows is usually a typo or another system's id: say so, never silently.
    const known = new Set<Id>([...recommender.users.ids, ...(tables.accounts?.ids ?? [])]);
    const unknown = users.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      const fallback = recommender.fallback;
      const sources = fallback === undefined ? [] : [...new Set(unknown.map((id) => fallback.sourceFor?.(id) ?? fallback.source))];
      const source = fallback === undefined ? "no fallback, so no rows" : `the cold-start fallback (${sources.join(", ")})`;
      context.warn(
        `${formatCount(unknown.length)} of the ${formatCount(users.length)} --users ${unknown.length === 1 ? "is" : "are"} not in the interactions${tables.accounts === undefined ? "" : " or the account table"}: ${quoteList(unknown)}; ${unknown.length === 1 ? "it gets" : "they get"} ${source}`,
      );
    }
  }
  progress(`recommending ${k} products for ${formatCount(targets.length)} accounts`);
  const lists = recommendMany(recommender, targets, { k, excludeSeen: !flagOption(options, "include-seen") });
  const empty = lists.filter((list) => list.items.length === 0 && list.excludedSeen > 0);
  if (empty.length > 0) {
    context.warn(
      `${formatCount(empty.length)} account${empty.length === 1 ? "" : "s"} got no rows: ${empty.length === 1 ? "it already owns" : "they already own"} every product the model scores (${quoteList(empty.map((list) => list.user))}); --include-seen lists them anyway`,
    );
  }
  const rows = explainRows(recommender, modelKindUsed, narratable, lists, explain);
  await writeResult(formatRows(rows, explain, format), stringOption(options, "output"), io.stdout);
  progress(`wrote ${formatCount(rows.length)} rows${stringOption(options, "output") === undefined ? "" : ` to ${stringOption(options, "output")}`}`);
  return 0;
}

/** "80,000": one number format in every message. */

/** The first few ids, quoted, and how many more. */
function quoteList(ids: readonly Id[]): string {
  const shown = ids.slice(0, 5).map((id) => JSON.stringify(String(id)));
  return ids.length > 5 ? `${shown.join(", ")} and ${formatCount(ids.length - 5)} more` : shown.join(", ");
}
