/**
 * BigQuery ML matrix factorization models from the output of `ML.WEIGHTS`, exported as newline-delimited JSON.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import type { ImplicitAlsModel } from "../factorization/implicit-als.ts";
import { sparkFactorTablesToModel } from "../factorization/spark.ts";

/**
 * Options of {@link parseBigQueryMfWeights}.
 *
 * @category interop
 */
export interface BigQueryMfWeightsOptions {
  /** The model's `USER_COL` (the `processed_input` of user rows). @defaultValue "user" (BigQuery's default) */
  userColumn?: string;
  /** The model's `ITEM_COL` (the `processed_input` of item rows). @defaultValue "item" (BigQuery's default) */
  itemColumn?: string;
  /**
   * What to do with non-zero `intercept`s (user and item biases): `"fold"` appends two factors so that every score
   * is `user · item + userIntercept + itemIntercept` exactly (the user side holds `[…, 1, b_u]`, the item side
   * `[…, b_i, 1]`); `"ignore"` drops them (scores are the dot products only); `"error"` throws. When every intercept
   * is 0 or null, nothing is appended whatever this says. @defaultValue "fold"
   */
  intercepts?: "fold" | "ignore" | "error";
  /** Training interactions (string ids) to fill the model's seen items. @defaultValue undefined (no seen items) */
  interactions?: Interactions;
  /**
   * The model's `WALS_ALPHA`, for fold-in. The default is the value we understand BigQuery to use; it could not be
   * checked against its reference where nextbest is built, so pass the one your model was created with.
   * @defaultValue 40
   */
  alpha?: number;
  /** The model's `L2_REG`, for fold-in. @defaultValue 1 (BigQuery's default, as BigQuery DataFrames documents it) */
  regularization?: number;
}

interface Table {
  ids: Id[];
  weights: number[][];
  intercepts: number[];
  where: string[];
}

/**
 * Builds an {@link factorization!ImplicitAlsModel} from the weights of a BigQuery ML matrix factorization model
 * (`CREATE MODEL … OPTIONS (model_type = 'matrix_factorization', …)`), as `SELECT * FROM ML.WEIGHTS(MODEL m)`
 * returns them and `EXPORT DATA OPTIONS (format = 'JSON')` or `bq extract --destination_format
 * NEWLINE_DELIMITED_JSON` writes them: one JSON object per line with `processed_input` (the user or item column's
 * name), `feature` (the user or item id), `factor_weights` (an array of `{ factor, weight }`) and `intercept`. Ids
 * become strings (BigQuery exports INT64 as JSON strings too); factors are sorted by their `factor` number and stored
 * as float32.
 *
 * The layout followed is the one BigQuery ML's `ML.WEIGHTS` reference describes for matrix factorization models
 * (cloud.google.com/bigquery/docs/reference/standard-sql/bigqueryml-syntax-weights: `processed_input`, `feature`,
 * `factor_weights` as `ARRAY<STRUCT<factor, weight>>`, `intercept`), with the NDJSON encoding of `EXPORT DATA`. It was
 * not checked against a live BigQuery or a real export: none is reachable where nextbest is built. λ defaults to
 * `L2_REG`'s default (1, as BigQuery DataFrames' `MatrixFactorization` documents it); α to 40, which could not be
 * checked against BigQuery's `CREATE MODEL` reference here. Pass the model's own values.
 *
 * Complexity: O(rows · factors).
 *
 * @param text - the exported NDJSON: one text, or one per exported file
 * @param options - the user and item column names, what to do with intercepts, interactions, α and λ
 * @returns a new frozen implicit ALS model (0 iterations recorded: it was trained by BigQuery)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` naming the line for a malformed row, an unknown `processed_input`,
 *   a missing or repeated factor or a non-zero intercept under `intercepts: "error"`; `E_SHAPE` when rows have
 *   different factor counts; `E_NON_FINITE` for a weight that is not a finite float32; `E_DUPLICATE` for a repeated
 *   id; `E_EMPTY` without user or item rows
 * @example
 * ```ts
 * import { parseBigQueryMfWeights } from "nextbest/interop";
 * const text = [
 *   '{"processed_input":"account","feature":"acme","factor_weights":[{"factor":1,"weight":1},{"factor":2,"weight":0}],"intercept":0}',
 *   '{"processed_input":"product","feature":"crm","factor_weights":[{"factor":2,"weight":2},{"factor":1,"weight":0.5}],"intercept":0}',
 * ].join("\n");
 * const model = parseBigQueryMfWeights(text, { userColumn: "account", itemColumn: "product" });
 * [model.users.ids, model.factors, Array.from(model.itemFactors)]; // => [["acme"], 2, [0.5, 2]]
 * parseBigQueryMfWeights('{"processed_input":"region","feature":"eu","factor_weights":[]}');
 * // throws NextbestError E_BAD_INPUT: "parseBigQueryMfWeights: line 1 processed_input must be \"user\" or \"item\" (options.userColumn, options.itemColumn), got \"region\""
 * ```
 * @category interop
 */
export function parseBigQueryMfWeights(text: string | readonly string[], options: BigQueryMfWeightsOptions = {}): ImplicitAlsModel {
  const fn = "parseBigQueryMfWeights";
  if (typeof options !== "object" || options === null) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const texts = typeof text === "string" ? [text] : text;
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: text must be a string of JSON lines or an array of them, got ${describeValue(text)}`);
  }
  const userColumn = options.userColumn ?? "user";
  const itemColumn = options.itemColumn ?? "item";
  const intercepts = options.intercepts ?? "fold";
  if (intercepts !== "fold" && intercepts !== "ignore" && intercepts !== "error") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.intercepts must be "fold", "ignore" or "error", got ${describeValue(intercepts)}`);
  }
  const number = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a finite number >= 0, got ${describeValue(value)}`);
    }
    return value;
  };
  const alpha = number("alpha", options.alpha, 40);
  const regularization = number("regularization", options.regularization, 1);
  const users: Table = { ids: [], weights: [], intercepts: [], where: [] };
  const items: Table = { ids: [], weights: [], intercepts: [], where: [] };
  let factorNumbers: number[] | undefined; // the sorted factor numbers of the first row: every row must have these
  let firstWhere = "";
  for (let f = 0; f < texts.length; f++) {
    const lines = texts[f]!.split(/\r?\n/);
    for (let l = 0; l < lines.length; l++) {
      const line = lines[l]!.trim();
      if (line === "") continue;
      const where = texts.length === 1 ? `line ${l + 1}` : `text ${f} line ${l + 1}`;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be a JSON object, got ${describeValue(line.length > 60 ? `${line.slice(0, 60)}…` : line)}`);
      }
      if (typeof row !== "object" || row === null || Array.isArray(row)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} must be a JSON object, got ${describeValue(row)}`);
      const record = row as Record<string, unknown>;
      const input = record["processed_input"];
      const table = input === userColumn ? users : input === itemColumn ? items : undefined;
      if (table === undefined) {
        throw new NextbestError(
          "E_BAD_INPUT",
          `${fn}: ${where} processed_input must be ${JSON.stringify(userColumn)} or ${JSON.stringify(itemColumn)} (options.userColumn, options.itemColumn), got ${describeValue(input)}`,
        );
      }
      const feature = record["feature"];
      if (!(typeof feature === "string" || (typeof feature === "number" && Number.isFinite(feature)))) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} feature must be the id (a string or a number), got ${describeValue(feature)}`);
      }
      const pairs = record["factor_weights"];
      if (!Array.isArray(pairs)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} factor_weights must be an array of { factor, weight }, got ${describeValue(pairs)}`);
      const byFactor = new Map<number, number>();
      for (let p = 0; p < pairs.length; p++) {
        const pair = pairs[p] as Record<string, unknown> | null;
        const factor = typeof pair?.["factor"] === "string" && /^-?\d+$/.test(pair["factor"]) ? Number(pair["factor"]) : pair?.["factor"];
        const weight = pair?.["weight"];
        if (typeof factor !== "number" || !Number.isSafeInteger(factor)) {
          throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} factor_weights[${p}].factor must be an integer, got ${describeValue(factor)}`);
        }
        if (typeof weight !== "number" || !Number.isFinite(weight) || !Number.isFinite(Math.fround(weight))) {
          throw new NextbestError(typeof weight === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${where} factor_weights[${p}].weight must be a finite float32, got ${describeValue(weight)}`);
        }
        if (byFactor.has(factor)) throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} factor_weights must name each factor once, got factor ${factor} twice`);
        byFactor.set(factor, weight);
      }
      if (factorNumbers === undefined) {
        if (byFactor.size === 0) throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} factor_weights must not be empty, got []`);
        factorNumbers = [...byFactor.keys()].sort((a, b) => a - b);
        firstWhere = where;
      }
      if (byFactor.size !== factorNumbers.length) {
        throw new NextbestError("E_SHAPE", `${fn}: ${where} factor_weights must have the ${factorNumbers.length} factors of ${firstWhere}, got ${byFactor.size}`);
      }
      const weights = factorNumbers.map((factor) => {
        const weight = byFactor.get(factor);
        if (weight === undefined) {
          throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} factor_weights must have factor ${factor} (as ${firstWhere} does), got factors [${[...byFactor.keys()].sort((a, b) => a - b).join(", ")}]`);
        }
        return weight;
      });
      const intercept = record["intercept"] ?? 0;
      if (typeof intercept !== "number" || !Number.isFinite(intercept) || !Number.isFinite(Math.fround(intercept))) {
        throw new NextbestError(typeof intercept === "number" ? "E_NON_FINITE" : "E_BAD_INPUT", `${fn}: ${where} intercept must be a finite number or null, got ${describeValue(intercept)}`);
      }
      if (intercept !== 0 && intercepts === "error") {
        throw new NextbestError("E_BAD_INPUT", `${fn}: ${where} intercept must be 0 under options.intercepts "error", got ${intercept}`);
      }
      table.ids.push(String(feature));
      table.weights.push(weights);
      table.intercepts.push(intercept);
      table.where.push(where);
    }
  }
  for (const [name, table] of [
    [userColumn, users],
    [itemColumn, items],
  ] as const) {
    if (table.ids.length === 0) throw new NextbestError("E_EMPTY", `${fn}: text must hold rows whose processed_input is ${JSON.stringify(name)}, got none`);
  }
  const fold = intercepts === "fold" && [users, items].some((t) => t.intercepts.some((b) => b !== 0));
  const k = factorNumbers!.length;
  const rank = fold ? k + 2 : k;
  const pack = (table: Table, side: "user" | "item"): { ids: Id[]; data: Float32Array; rank: number } => {
    const data = new Float32Array(table.ids.length * rank);
    for (let r = 0; r < table.ids.length; r++) {
      data.set(table.weights[r]!, r * rank);
      if (fold) {
        // user [w, 1, b_u] · item [v, b_i, 1] = w · v + b_i + b_u
        data[r * rank + k] = side === "user" ? 1 : table.intercepts[r]!;
        data[r * rank + k + 1] = side === "user" ? table.intercepts[r]! : 1;
      }
    }
    return { ids: table.ids, data, rank };
  };
  return sparkFactorTablesToModel(fn, {
    user: pack(users, "user"),
    item: pack(items, "item"),
    userName: `processed_input ${JSON.stringify(userColumn)}`,
    itemName: `processed_input ${JSON.stringify(itemColumn)}`,
    alpha,
    regularization,
    interactions: options.interactions,
  });
}
