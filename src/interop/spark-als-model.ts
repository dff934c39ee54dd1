/**
 * Spark MLlib `ALSModel` directories from their bytes: the metadata JSON line and the Parquet part files of
 * `userFactors/` and `itemFactors/`, wherever they were fetched from (a browser's `fetch`, object storage, a zip).
 * No `node:` import; `readSparkAlsModel` in `nextbest/node` reads a directory from disk through the same code.
 *
 * The layout follows Spark's own source (apache/spark, branch master):
 * - mllib/src/main/scala/org/apache/spark/ml/recommendation/ALS.scala, `object ALSModel`: `ALSModelWriter.saveImpl`
 *   calls `DefaultParamsWriter.saveMetadata(instance, path, sc, Some("rank" -> instance.rank))`, then
 *   `userFactors.write.format("parquet").save(path/userFactors)` and the same for `itemFactors`;
 *   `ALSModelReader.load` calls `DefaultParamsReader.loadMetadata(path, sc, className)` (which checks `class`), reads
 *   the top-level `rank` of the metadata and the two Parquet folders, and sets the params from `paramMap`.
 * - mllib/src/main/scala/org/apache/spark/ml/util/ReadWrite.scala, `DefaultParamsWriter.getMetadataToSave`: one
 *   compact JSON object with `class`, `timestamp`, `sparkVersion`, `uid`, `paramMap`, `defaultParamMap` and the extra
 *   fields (`rank`), written as a one-partition text file `metadata/part-00000`; `DefaultParamsReader.loadMetadata`
 *   reads the first line of the text folder.
 * - The factor tables come from `ALS.fit` as `toDF("id", "features")` over `(Int, Array[Float])`: `id` a required
 *   INT32 and `features` an optional LIST of required FLOAT (the standard 3-level list, or the legacy layouts of
 *   `spark.sql.parquet.writeLegacyFormat`).
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import type { ImplicitAlsModel } from "../factorization/implicit-als.ts";
import { checkSparkAlsModel, sparkFactorTablesToModel } from "../factorization/spark.ts";
import { bytesSource, readFactorParts, type FactorPart } from "./parquet-factors.ts";

/**
 * The class name Spark's `ALSModelReader` checks a model directory's metadata against (`classOf[ALSModel].getName`).
 *
 * @example
 * ```ts
 * import { SPARK_ALS_MODEL_CLASS } from "nextbest/interop";
 * SPARK_ALS_MODEL_CLASS; // => "org.apache.spark.ml.recommendation.ALSModel"
 * ```
 * @category interop
 */
export const SPARK_ALS_MODEL_CLASS = "org.apache.spark.ml.recommendation.ALSModel";

/**
 * Options of {@link parseSparkAlsModel} (and of `readSparkAlsModel` in `nextbest/node`).
 *
 * @category interop
 */
export interface SparkAlsModelOptions {
  /**
   * How Spark's integer user ids map to your ids: a labels array as `StringIndexerModel.labels` holds it (Spark id
   * `i` is `labels[i]`), or a Map from Spark id to id. Every Spark id must be mapped. @defaultValue undefined (the
   * integer ids as they are)
   */
  userIds?: readonly Id[] | ReadonlyMap<number, Id>;
  /** The same for item ids. @defaultValue undefined (the integer ids as they are) */
  itemIds?: readonly Id[] | ReadonlyMap<number, Id>;
  /**
   * The training interactions, to fill the model's seen items (in the mapped ids); pairs not in the tables are
   * ignored. @defaultValue undefined (no seen items)
   */
  interactions?: Interactions;
  /**
   * The `alpha` the model was trained with (for fold-in). @defaultValue the metadata's `nextbest.alpha` (written by
   * `writeSparkAlsModel`) when present, else 1 (Spark's default)
   */
  alpha?: number;
  /** The `regParam` the model was trained with. @defaultValue the metadata's `nextbest.regParam` when present, else 0.1 */
  regularization?: number;
}

/**
 * A Parquet part file with the name its errors should give.
 *
 * @category interop
 */
export interface SparkNamedPart {
  /** The name errors give, for example `"userFactors/part-00000-….snappy.parquet"`. */
  readonly name: string;
  /** The file's bytes. */
  readonly bytes: ArrayBuffer | Uint8Array;
}

/**
 * A part file as {@link sparkAlsModelToFiles} returns it: the name Spark gives it in its folder, and its bytes.
 *
 * @category interop
 */
export interface SparkPartFile {
  /** The file name in the table's folder (`part-00000-nextbest-c000.snappy.parquet`). */
  readonly name: string;
  /** The Parquet file's bytes. */
  readonly bytes: Uint8Array;
}

/**
 * One Parquet part file's bytes, bare or with the name its errors should give.
 *
 * @category interop
 */
export type SparkPartBytes = ArrayBuffer | Uint8Array | SparkNamedPart;

/**
 * The files of a Spark `ALSModel` directory, as bytes: what {@link parseSparkAlsModel} reads.
 *
 * @category interop
 */
export interface SparkAlsModelFiles {
  /** The text of `metadata/part-00000` (one JSON line). */
  metadata: string;
  /** The part files of `userFactors/` in Spark's order (sorted by name), without `_SUCCESS` or `.crc` files. */
  userFactors: readonly SparkPartBytes[];
  /** The part files of `itemFactors/`, the same way. */
  itemFactors: readonly SparkPartBytes[];
}

interface SparkMetadata {
  rank: number;
  alpha: number | undefined;
  regParam: number | undefined;
}

/** @internal Parses the metadata JSON line of an ALSModel directory; `name` (a path) is what errors give. */
export function parseSparkMetadata(fn: string, text: string, name: string): SparkMetadata {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "");
  let json: unknown;
  try {
    json = JSON.parse(line ?? "");
  } catch {
    throw new NextbestError("E_BAD_INPUT", `${fn}: the metadata file must hold one JSON line, got ${JSON.stringify(name)}`);
  }
  const record = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (record["class"] !== SPARK_ALS_MODEL_CLASS) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: metadata class must be ${JSON.stringify(SPARK_ALS_MODEL_CLASS)}, got ${describeValue(record["class"])} in ${JSON.stringify(name)}`);
  }
  const rank = record["rank"];
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank < 1 || rank > 65_536) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: metadata rank must be an integer in [1, 65536], got ${describeValue(rank)} in ${JSON.stringify(name)}`);
  }
  const extra = record["nextbest"];
  const params = (typeof extra === "object" && extra !== null ? extra : {}) as Record<string, unknown>;
  const finite = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined);
  return { rank, alpha: finite(params["alpha"]), regParam: finite(params["regParam"]) };
}

function idMapper(fn: string, option: "userIds" | "itemIds", mapping: readonly Id[] | ReadonlyMap<number, Id> | undefined): (id: number, where: string) => Id {
  if (mapping === undefined) return (id) => id;
  const lookup = Array.isArray(mapping) ? (id: number) => (mapping as readonly Id[])[id] : (id: number) => (mapping as ReadonlyMap<number, Id>).get(id);
  return (id, where) => {
    const mapped = lookup(id);
    if (mapped === undefined) throw new NextbestError("E_BAD_INPUT", `${fn}: options.${option} must map every Spark id, got no entry for ${id} (${where})`);
    return mapped;
  };
}

/** @internal What {@link sparkAlsModelFromParts} reads: the metadata text and each table's parts, with the names errors give. */
export interface SparkAlsModelParts {
  metadata: string;
  metadataName: string;
  userFactors: readonly FactorPart[];
  itemFactors: readonly FactorPart[];
  userFolder: string;
  itemFolder: string;
}

/** @internal The model from a directory's metadata and part files, shared by {@link parseSparkAlsModel} and `readSparkAlsModel`. */
export async function sparkAlsModelFromParts(fn: string, parts: SparkAlsModelParts, options: SparkAlsModelOptions): Promise<ImplicitAlsModel> {
  if (typeof options !== "object" || options === null) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const number = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a finite number >= 0, got ${describeValue(value)}`);
    }
    return value;
  };
  const metadata = parseSparkMetadata(fn, parts.metadata, parts.metadataName);
  const alpha = number("alpha", options.alpha, metadata.alpha ?? 1);
  const regularization = number("regularization", options.regularization, metadata.regParam ?? 0.1);
  for (const [folder, list] of [
    [parts.userFolder, parts.userFactors],
    [parts.itemFolder, parts.itemFactors],
  ] as const) {
    if (list.length === 0) throw new NextbestError("E_BAD_INPUT", `${fn}: ${folder} must hold at least one Parquet part file, got none`);
  }
  const user = await readFactorParts(fn, "userFactors", parts.userFolder, parts.userFactors, metadata.rank, idMapper(fn, "userIds", options.userIds));
  const item = await readFactorParts(fn, "itemFactors", parts.itemFolder, parts.itemFactors, metadata.rank, idMapper(fn, "itemIds", options.itemIds));
  return sparkFactorTablesToModel(fn, { user, item, userName: parts.userFolder, itemName: parts.itemFolder, alpha, regularization, interactions: options.interactions });
}

function partsOf(fn: string, table: "userFactors" | "itemFactors", list: unknown): FactorPart[] {
  if (!Array.isArray(list)) throw new NextbestError("E_BAD_INPUT", `${fn}: files.${table} must be an array of part files' bytes, got ${describeValue(list)}`);
  return list.map((part: unknown, p) => {
    const named = typeof part === "object" && part !== null && !(part instanceof ArrayBuffer) && !(part instanceof Uint8Array) ? (part as { name?: unknown; bytes?: unknown }) : undefined;
    const bytes = named === undefined ? part : named.bytes;
    const name = typeof named?.name === "string" ? named.name : `${table}[${p}]`;
    if (!(bytes instanceof ArrayBuffer) && !(bytes instanceof Uint8Array)) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: files.${table}[${p}] must be an ArrayBuffer or a Uint8Array (or { name, bytes }), got ${describeValue(bytes)}`);
    }
    return { name, source: bytesSource(bytes) };
  });
}

/**
 * Builds an {@link factorization!ImplicitAlsModel} from the files of a Spark MLlib `ALSModel` directory held as bytes
 * (`metadata/part-00000` as text, the Parquet part files of `userFactors/` and `itemFactors/`, snappy or
 * uncompressed), in any JavaScript runtime: a browser that fetched them, a worker, Deno. The same model
 * `readSparkAlsModel` of `nextbest/node` reads from disk. The `features` lists are decoded from the Parquet pages
 * straight into one Float32Array per table (no array per row), one row group at a time.
 *
 * Complexity: O((users + items) · rank) time; the factors plus one row group's column chunk of memory beyond the
 * input bytes.
 *
 * @param files - the metadata text and each table's part files (bytes, or `{ name, bytes }` to name them in errors)
 * @param options - id mappings, training interactions for seen items, α and λ
 * @returns a new frozen implicit ALS model (0 iterations recorded: it was trained by Spark)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` naming the part for a malformed part, a null features list or
 *   element, a metadata class other than ALSModel, a bad `rank`, an unmapped id or a table without parts; `E_SHAPE`
 *   naming the part and row when a features list does not have the metadata's rank; `E_NON_FINITE` for a NaN or
 *   infinite factor; `E_DUPLICATE` for a repeated id
 * @example
 * ```ts
 * import { parseSparkAlsModel, sparkAlsModelToFiles } from "nextbest/interop";
 * import { alsFromSparkJsonLines } from "nextbest/factorization";
 * // In a browser: metadata from (await fetch(".../metadata/part-00000")).text(), parts from .arrayBuffer().
 * const files = await sparkAlsModelToFiles(
 *   alsFromSparkJsonLines({ userFactors: '{"id":1,"features":[1,0]}\n{"id":2,"features":[0,1]}', itemFactors: '{"id":7,"features":[0.5,2]}' }),
 * );
 * const model = await parseSparkAlsModel(files);
 * [model.users.ids, model.factors, Array.from(model.itemFactors)]; // => [[1, 2], 2, [0.5, 2]]
 * ```
 * @category interop
 */
export async function parseSparkAlsModel(files: SparkAlsModelFiles, options: SparkAlsModelOptions = {}): Promise<ImplicitAlsModel> {
  const fn = "parseSparkAlsModel";
  if (typeof files !== "object" || files === null) throw new NextbestError("E_BAD_INPUT", `${fn}: files must be an object { metadata, userFactors, itemFactors }, got ${describeValue(files)}`);
  if (typeof files.metadata !== "string") throw new NextbestError("E_BAD_INPUT", `${fn}: files.metadata must be the text of metadata/part-00000, got ${describeValue(files.metadata)}`);
  return await sparkAlsModelFromParts(
    fn,
    {
      metadata: files.metadata,
      metadataName: "metadata",
      userFactors: partsOf(fn, "userFactors", files.userFactors),
      itemFactors: partsOf(fn, "itemFactors", files.itemFactors),
      userFolder: "files.userFactors",
      itemFolder: "files.itemFactors",
    },
    options,
  );
}

/**
 * Options of {@link sparkAlsModelToFiles} (and of `writeSparkAlsModel` in `nextbest/node`).
 *
 * @category interop
 */
export interface SparkAlsModelFilesOptions {
  /**
   * Write factor-table row positions as Spark ids instead of the model's ids, and return the labels (a
   * `StringIndexer`-style mapping) so the ids can be mapped back. Needed when the ids are not 32-bit integers, as
   * Spark's ALS requires. @defaultValue false
   */
  indexIds?: boolean;
  /** Rows per Parquet part file (Spark writes one part per partition). @defaultValue 1_000_000 */
  rowsPerPart?: number;
  /** The `uid` written in the metadata. @defaultValue "ALSModel_nextbest" */
  uid?: string;
  /** The `sparkVersion` written in the metadata. @defaultValue "3.5.0" */
  sparkVersion?: string;
}

/**
 * A Spark `ALSModel` directory as bytes, from {@link sparkAlsModelToFiles}: save each file under its name.
 *
 * @category interop
 */
export interface SparkAlsModelBytes {
  /** The text of `metadata/part-00000` (one JSON line, newline-terminated). */
  readonly metadata: string;
  /** The part files of `userFactors/`, each named as Spark names them (`part-00000-nextbest-c000.snappy.parquet`). */
  readonly userFactors: readonly SparkPartFile[];
  /** The part files of `itemFactors/`. */
  readonly itemFactors: readonly SparkPartFile[];
  /** The user ids by Spark id, when `indexIds` was set; undefined when the model's ids were written as they are. */
  readonly userLabels: readonly Id[] | undefined;
  /** The item ids by Spark id, when `indexIds` was set. */
  readonly itemLabels: readonly Id[] | undefined;
}

/**
 * @internal The Parquet schema Spark's ParquetSchemaConverter writes for (id: int not null, features: array<float>
 * containsNull=false).
 */
export const SPARK_FACTOR_SCHEMA: readonly { readonly name: string; readonly [field: string]: string | number }[] = [
  { name: "spark_schema", num_children: 2 },
  { name: "id", type: "INT32", repetition_type: "REQUIRED" },
  { name: "features", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
];
// The Spark row schema Spark stores in the footer under "org.apache.spark.sql.parquet.row.metadata".
const SPARK_ROW_SCHEMA = JSON.stringify({
  type: "struct",
  fields: [
    { name: "id", type: "integer", nullable: false, metadata: {} },
    { name: "features", type: { type: "array", elementType: "float", containsNull: false }, nullable: true, metadata: {} },
  ],
});

function sparkIds(fn: string, table: string, ids: readonly Id[], indexIds: boolean): Int32Array {
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    if (indexIds) {
      out[i] = i;
      continue;
    }
    const id = ids[i];
    if (typeof id !== "number" || !Number.isInteger(id) || id < -(2 ** 31) || id >= 2 ** 31) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: model.${table} ids must be 32-bit integers for Spark (or set options.indexIds), got ${describeValue(id)} at row ${i}`);
    }
    out[i] = id;
  }
  return out;
}

/** @internal Checks the options and the model, then encodes them (shared by {@link sparkAlsModelToFiles} and `writeSparkAlsModel`). */
export async function sparkAlsModelBytes(fn: string, model: ImplicitAlsModel, options: SparkAlsModelFilesOptions): Promise<SparkAlsModelBytes> {
  checkSparkAlsModel(fn, model);
  if (typeof options !== "object" || options === null) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const indexIds = options.indexIds ?? false;
  const rowsPerPart = options.rowsPerPart ?? 1_000_000;
  if (!Number.isInteger(rowsPerPart) || rowsPerPart < 1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.rowsPerPart must be an integer >= 1, got ${describeValue(rowsPerPart)}`);
  }
  const uid = options.uid ?? "ALSModel_nextbest";
  const sparkVersion = options.sparkVersion ?? "3.5.0";
  const userIds = sparkIds(fn, "users", model.users.ids, indexIds);
  const itemIds = sparkIds(fn, "items", model.items.ids, indexIds);
  let writer: typeof import("hyparquet-writer/src/write.js");
  try {
    writer = await import("hyparquet-writer/src/write.js");
  } catch (error) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: writing Parquet needs the package "hyparquet-writer" (a dependency of nextbest), got ${describeValue(String(error))}`);
  }
  // ReadWrite.scala, DefaultParamsWriter.getMetadataToSave: class, timestamp, sparkVersion, uid, paramMap,
  // defaultParamMap, then the extra metadata of ALSModelWriter (rank).
  const metadata = {
    class: SPARK_ALS_MODEL_CLASS,
    timestamp: Date.now(),
    sparkVersion,
    uid,
    // Only ALSModel's own params: DefaultParamsReader.Metadata.setParams calls instance.getParam(name) on every
    // paramMap key, which throws for a param the model does not have (alpha, regParam belong to the estimator).
    paramMap: {},
    defaultParamMap: { blockSize: 4096, predictionCol: "prediction", coldStartStrategy: "nan", itemCol: "item", userCol: "user" },
    rank: model.factors,
    // Extra top-level fields are ignored by ALSModelReader (it extracts rank only); the readers here read these back.
    nextbest: { alpha: model.alpha, regParam: model.regularization },
  };
  const f = model.factors;
  const tables = ([
    [userIds, model.userFactors],
    [itemIds, model.itemFactors],
  ] as const).map(([ids, factors]) => {
    const parts: { name: string; bytes: Uint8Array }[] = [];
    for (let part = 0, start = 0; start < ids.length; part++, start += rowsPerPart) {
      const end = Math.min(ids.length, start + rowsPerPart);
      const features = new Array<number[]>(end - start);
      // hyparquet-writer takes list values as plain arrays; float32 values survive the round trip exactly.
      for (let r = start; r < end; r++) features[r - start] = Array.from(factors.subarray(r * f, (r + 1) * f));
      const bytes = writer.parquetWriteBuffer({
        schema: SPARK_FACTOR_SCHEMA.map((element) => ({ ...element })) as never,
        columnData: [
          { name: "id", data: ids.subarray(start, end) },
          { name: "features", data: features as never },
        ],
        codec: "SNAPPY",
        kvMetadata: [
          { key: "org.apache.spark.version", value: sparkVersion },
          { key: "org.apache.spark.sql.parquet.row.metadata", value: SPARK_ROW_SCHEMA },
        ],
        createdBy: "parquet-mr compatible (nextbest via hyparquet-writer)",
      });
      // Spark's part names: part-<partition>-<job uuid>-c000.snappy.parquet; any name not starting with _ or . is read.
      parts.push({ name: `part-${String(part).padStart(5, "0")}-nextbest-c000.snappy.parquet`, bytes: new Uint8Array(bytes) });
    }
    return parts;
  });
  return {
    metadata: `${JSON.stringify(metadata)}\n`,
    userFactors: tables[0]!,
    itemFactors: tables[1]!,
    userLabels: indexIds ? [...model.users.ids] : undefined,
    itemLabels: indexIds ? [...model.items.ids] : undefined,
  };
}

/**
 * Encodes an implicit ALS model as the files of a Spark MLlib `ALSModel` directory, as bytes in memory (the metadata
 * JSON line, snappy Parquet part files in Spark's schema), for `ALSModel.load(path)` once saved as
 * `metadata/part-00000`, `userFactors/<name>` and `itemFactors/<name>` (with empty `_SUCCESS` files beside them), and
 * for {@link parseSparkAlsModel}. Runs in any JavaScript runtime; `writeSparkAlsModel` of `nextbest/node` saves the
 * same files to disk. The layout is checked against Spark's source (ALS.scala, ReadWrite.scala), not by running
 * Spark. The metadata carries `alpha` and `regParam` in an extra top-level `nextbest` field, which Spark's reader
 * ignores and the readers here read back.
 *
 * Complexity: O((users + items) · factors).
 *
 * @param model - an implicit ALS model
 * @param options - id indexing, rows per part file, uid and Spark version for the metadata
 * @returns the metadata text, the part files' names and bytes and, with `indexIds`, the labels mapping Spark ids back
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model, `E_BAD_INPUT` for ids that are not 32-bit
 *   integers (without `indexIds`) or bad options
 * @example
 * ```ts
 * import { sparkAlsModelToFiles } from "nextbest/interop";
 * import { alsFromSparkJsonLines } from "nextbest/factorization";
 * const model = alsFromSparkJsonLines({ userFactors: '{"id":"acme","features":[1,0]}', itemFactors: '{"id":7,"features":[0.5,2]}' });
 * const files = await sparkAlsModelToFiles(model, { indexIds: true });
 * [files.userLabels, files.userFactors.map((part) => part.name)]; // => [["acme"], ["part-00000-nextbest-c000.snappy.parquet"]]
 * JSON.parse(files.metadata).rank; // => 2
 * ```
 * @category interop
 */
export async function sparkAlsModelToFiles(model: ImplicitAlsModel, options: SparkAlsModelFilesOptions = {}): Promise<SparkAlsModelBytes> {
  return await sparkAlsModelBytes("sparkAlsModelToFiles", model, options);
}
