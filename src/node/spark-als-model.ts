/**
 * Spark MLlib `ALSModel` directories on disk: read one that Spark saved, write one that Spark can load.
 *
 * The layout follows Spark's own source (apache/spark, branch master):
 * - mllib/src/main/scala/org/apache/spark/ml/recommendation/ALS.scala, `object ALSModel`: `ALSModelWriter.saveImpl`
 *   calls `DefaultParamsWriter.saveMetadata(instance, path, sc, Some("rank" -> instance.rank))`, then
 *   `userFactors.write.format("parquet").save(path/userFactors)` and the same for `itemFactors`;
 *   `ALSModelReader.load` calls `DefaultParamsReader.loadMetadata(path, sc, className)` (which checks `class`), reads
 *   the top-level `rank` of the metadata and the two Parquet folders, and sets the params from `paramMap`.
 * - mllib/src/main/scala/org/apache/spark/ml/util/ReadWrite.scala, `DefaultParamsWriter.getMetadataToSave`: one
 *   compact JSON object with `class`, `timestamp`, `sparkVersion`, `uid`, `paramMap`, `defaultParamMap` and the extra
 *   fields (`rank`), written as a one-partition text file `metadata/part-00000` beside an empty `metadata/_SUCCESS`;
 *   `DefaultParamsReader.loadMetadata` reads the first line of the text folder.
 * - The factor tables come from `ALS.fit` as `toDF("id", "features")` over `(Int, Array[Float])`: `id` a required
 *   INT32 and `features` an optional LIST of required FLOAT. Spark's Parquet writer (sql ParquetSchemaConverter)
 *   writes the standard 3-level list (`repeated group list { required float element }`) unless
 *   `spark.sql.parquet.writeLegacyFormat` is set, when it writes the legacy layouts (`repeated float array`, or
 *   `repeated group bag { optional float array }`); hyparquet assembles all of them into arrays.
 *
 * An `ALSModel`'s own `paramMap` holds `userCol`, `itemCol`, `predictionCol`, `coldStartStrategy` and `blockSize`
 * (ALSModelParams): the estimator's `alpha`, `regParam` and `implicitPrefs` are not saved with the model, so they are
 * options here, read from the metadata only when {@link writeSparkAlsModel} added them (a top-level `nextbest` field).
 *
 * @module
 */
import { mkdir, open, readdir, readFile, stat, writeFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import type { Interactions } from "../data/types.ts";
import type { ImplicitAlsModel } from "../factorization/implicit-als.ts";
import { checkSparkAlsModel, sparkFactorTablesToModel } from "../factorization/spark.ts";
import { fileBuffer, loadHyparquet, type Hyparquet } from "./parquet-file.ts";

/**
 * The class name Spark's `ALSModelReader` checks a model directory's metadata against (`classOf[ALSModel].getName`).
 *
 * @example
 * ```ts
 * import { SPARK_ALS_MODEL_CLASS } from "nextbest/node";
 * SPARK_ALS_MODEL_CLASS; // => "org.apache.spark.ml.recommendation.ALSModel"
 * ```
 * @category node
 */
export const SPARK_ALS_MODEL_CLASS = "org.apache.spark.ml.recommendation.ALSModel";

/**
 * Options of {@link readSparkAlsModel}.
 *
 * @category node
 */
export interface ReadSparkAlsModelOptions {
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
   * {@link writeSparkAlsModel}) when present, else 1 (Spark's default)
   */
  alpha?: number;
  /** The `regParam` the model was trained with. @defaultValue the metadata's `nextbest.regParam` when present, else 0.1 */
  regularization?: number;
}

/**
 * Options of {@link writeSparkAlsModel}.
 *
 * @category node
 */
export interface WriteSparkAlsModelOptions {
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
 * What {@link writeSparkAlsModel} wrote: the labels when `indexIds` was set (Spark id `i` is `userLabels[i]`).
 *
 * @category node
 */
export interface SparkAlsModelWritten {
  /** The user ids by Spark id, when `indexIds` was set; undefined when the model's ids were written as they are. */
  readonly userLabels: readonly Id[] | undefined;
  /** The item ids by Spark id, when `indexIds` was set. */
  readonly itemLabels: readonly Id[] | undefined;
  /** Paths of the files written, relative to the model directory. */
  readonly files: readonly string[];
}

interface SparkMetadata {
  rank: number;
  alpha: number | undefined;
  regParam: number | undefined;
}

function pathError(fn: string, what: string, path: string, detail: string): NextbestError {
  return new NextbestError("E_BAD_INPUT", `${fn}: ${what} must ${detail}, got ${JSON.stringify(path)}`);
}

async function readMetadata(fn: string, root: string): Promise<SparkMetadata> {
  const folder = join(root, "metadata");
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => !name.startsWith("_") && !name.startsWith(".")).sort();
  } catch {
    throw pathError(fn, "path", folder, "hold Spark's metadata folder (metadata/part-00000), which is missing");
  }
  if (names.length === 0) throw pathError(fn, "path", folder, "hold a metadata part file (part-00000), none found");
  const file = join(folder, names[0]!);
  const text = await readFile(file, "utf8");
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "");
  let json: unknown;
  try {
    json = JSON.parse(line ?? "");
  } catch {
    throw pathError(fn, "the metadata file", file, "hold one JSON line");
  }
  const record = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (record["class"] !== SPARK_ALS_MODEL_CLASS) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: metadata class must be ${JSON.stringify(SPARK_ALS_MODEL_CLASS)}, got ${describeValue(record["class"])} in ${JSON.stringify(file)}`);
  }
  const rank = record["rank"];
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank < 1 || rank > 65_536) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: metadata rank must be an integer in [1, 65536], got ${describeValue(rank)} in ${JSON.stringify(file)}`);
  }
  const extra = record["nextbest"];
  const params = (typeof extra === "object" && extra !== null ? extra : {}) as Record<string, unknown>;
  const finite = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined);
  return { rank, alpha: finite(params["alpha"]), regParam: finite(params["regParam"]) };
}

function mapId(fn: string, table: string, mapping: readonly Id[] | ReadonlyMap<number, Id> | undefined, id: number, where: string): Id {
  if (mapping === undefined) return id;
  const mapped = Array.isArray(mapping) ? (mapping as readonly Id[])[id] : (mapping as ReadonlyMap<number, Id>).get(id);
  if (mapped === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.${table === "userFactors" ? "userIds" : "itemIds"} must map every Spark id, got no entry for ${id} (${where})`);
  }
  return mapped;
}

async function readFactorFolder(
  fn: string,
  hyparquet: Hyparquet,
  root: string,
  table: "userFactors" | "itemFactors",
  rank: number,
  mapping: readonly Id[] | ReadonlyMap<number, Id> | undefined,
): Promise<{ ids: Id[]; data: Float32Array; rank: number }> {
  const folder = join(root, table);
  let names: string[];
  try {
    // Spark's file index skips names starting with "_" or "." (_SUCCESS, .crc checksums).
    names = (await readdir(folder)).filter((name) => !name.startsWith("_") && !name.startsWith(".")).sort();
  } catch {
    throw pathError(fn, "path", folder, `hold the ${table} Parquet folder, which is missing`);
  }
  if (names.length === 0) throw pathError(fn, "path", folder, `hold at least one Parquet part file, none found`);
  const handles: { path: string; handle: FileHandle; file: ReturnType<typeof fileBuffer>; metadata: Awaited<ReturnType<Hyparquet["parquetMetadataAsync"]>> }[] = [];
  try {
    // First the footers only, to size the output once (no growing copies of a million-row table).
    let rows = 0;
    for (const name of names) {
      const path = join(folder, name);
      const handle = await open(path, "r");
      handles.push({ path, handle, file: undefined!, metadata: undefined! });
      const size = (await handle.stat()).size;
      const file = fileBuffer(handle, size);
      let metadata: Awaited<ReturnType<Hyparquet["parquetMetadataAsync"]>>;
      try {
        metadata = await hyparquet.parquetMetadataAsync(file);
      } catch (error) {
        throw pathError(fn, `the ${table} part file`, path, `be a readable Parquet file (${error instanceof Error ? error.message : String(error)})`);
      }
      const columns = hyparquet.parquetSchema(metadata).children.map((child) => child.element.name);
      if (!columns.includes("id") || !columns.includes("features")) {
        throw new NextbestError("E_BAD_INPUT", `${fn}: the ${table} part file must have the columns id and features, got [${columns.join(", ")}] in ${JSON.stringify(path)}`);
      }
      handles[handles.length - 1] = { path, handle, file, metadata };
      rows += Number(metadata.num_rows);
    }
    if (rows === 0) throw new NextbestError("E_EMPTY", `${fn}: ${table} must hold at least one factor row, got none in ${JSON.stringify(folder)}`);
    if (rows * rank > 2 ** 31) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: ${table} must hold at most 2^31 factor values, got ${rows} rows × rank ${rank} in ${JSON.stringify(folder)}`);
    }
    const ids = new Array<Id>(rows);
    const data = new Float32Array(rows * rank);
    let base = 0;
    for (const { path, file, metadata } of handles) {
      const partRows = Number(metadata.num_rows);
      let rowStart = 0;
      // One row group at a time: memory stays at one row group's decoded values, whatever the part file's size.
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        const start = rowStart;
        // hyparquet calls onChunk outside the awaited promise: a throw there would be an unhandled rejection, so the
        // first problem is kept and thrown after the read.
        let failure: NextbestError | undefined;
        try {
          await hyparquet.parquetRead({
            file,
            metadata,
            columns: ["id", "features"],
            rowStart: start,
            rowEnd,
            onChunk: ({ columnName, columnData, rowStart: chunkStart, rowEnd: chunkEnd }) => {
              if (failure !== undefined) return;
              try {
                copyChunk(columnName, columnData, chunkStart, chunkEnd);
              } catch (error) {
                failure = error instanceof NextbestError ? error : new NextbestError("E_BAD_INPUT", `${fn}: ${String(error)}`);
              }
            },
          });
        } catch (error) {
          if (error instanceof NextbestError) throw error;
          throw pathError(fn, `the ${table} part file`, path, `be a readable Parquet file (${error instanceof Error ? error.message : String(error)})`);
        }
        if (failure !== undefined) throw failure;
        rowStart = rowEnd;
        function copyChunk(columnName: string, columnData: ArrayLike<unknown>, chunkStart: number, chunkEnd: number): void {
          const from = Math.max(chunkStart, start);
          const to = Math.min(chunkEnd, rowEnd, partRows);
          for (let r = from; r < to; r++) {
            const value = columnData[r - chunkStart];
            const row = base + r;
            if (columnName === "id") {
              if (typeof value !== "number" || !Number.isInteger(value)) {
                throw new NextbestError("E_BAD_INPUT", `${fn}: ${table} row ${r} id must be an integer, got ${describeValue(value)} in ${JSON.stringify(path)}`);
              }
              ids[row] = mapId(fn, table, mapping, value, `${path} row ${r}`);
            } else {
              const features = value as ArrayLike<unknown> | null;
              if (features === null || typeof features !== "object" || features.length !== rank) {
                throw new NextbestError("E_SHAPE", `${fn}: ${table} row ${r} features must have the metadata rank ${rank}, got ${describeValue(features === null ? null : features?.length)} values in ${JSON.stringify(path)}`);
              }
              for (let k = 0; k < rank; k++) {
                const v = features[k];
                if (typeof v !== "number" || !Number.isFinite(v)) {
                  throw new NextbestError("E_NON_FINITE", `${fn}: ${table} row ${r} features[${k}] must be a finite number, got ${describeValue(v)} in ${JSON.stringify(path)}`);
                }
                data[row * rank + k] = v;
              }
            }
          }
        }
      }
      base += partRows;
    }
    return { ids, data, rank };
  } finally {
    await Promise.all(handles.map(({ handle }) => handle.close()));
  }
}

/**
 * Reads a Spark MLlib `ALSModel` directory, as `model.write.save(path)` writes it (`metadata/` with one JSON line,
 * `userFactors/` and `itemFactors/` with Parquet part files, snappy or any codec hyparquet decodes), into an
 * {@link factorization!ImplicitAlsModel} that nextbest serves, evaluates and explains. Part files are read one row
 * group at a time through positioned reads; the factors land in one Float32Array per table, as Spark stores them.
 *
 * Complexity: O((users + items) · rank) time, the factors plus one decoded row group of memory.
 *
 * @param path - the model directory
 * @param options - id mappings, training interactions for seen items, α and λ
 * @returns a new frozen implicit ALS model (0 iterations recorded: it was trained by Spark)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` naming the path for a missing folder or part, a malformed part, a
 *   metadata class other than ALSModel, a bad `rank` or an unmapped id; `E_SHAPE` naming the file and row when a
 *   features array does not have the metadata's rank; `E_DUPLICATE` for a repeated id
 * @example
 * ```ts
 * import { readSparkAlsModel } from "nextbest/node";
 * import { implicitAlsRecommender } from "nextbest/factorization";
 * import { recommend } from "nextbest/recommend";
 * const model = await readSparkAlsModel("test/fixtures/spark-als-model");
 * model.factors; // => 8
 * recommend(implicitAlsRecommender(model), model.users.ids[0]!, { k: 3 }).items.length; // => 3
 * ```
 * @category node
 */
export async function readSparkAlsModel(path: string, options: ReadSparkAlsModelOptions = {}): Promise<ImplicitAlsModel> {
  const fn = "readSparkAlsModel";
  if (typeof path !== "string" || path === "") throw new NextbestError("E_BAD_INPUT", `${fn}: path must be a directory path, got ${describeValue(path)}`);
  if (typeof options !== "object" || options === null) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const metadata = await readMetadata(fn, path);
  const hyparquet = await loadHyparquet(fn);
  const user = await readFactorFolder(fn, hyparquet, path, "userFactors", metadata.rank, options.userIds);
  const item = await readFactorFolder(fn, hyparquet, path, "itemFactors", metadata.rank, options.itemIds);
  const number = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.${name} must be a finite number >= 0, got ${describeValue(value)}`);
    }
    return value;
  };
  return sparkFactorTablesToModel(fn, {
    user,
    item,
    userName: join(path, "userFactors"),
    itemName: join(path, "itemFactors"),
    alpha: number("alpha", options.alpha, metadata.alpha ?? 1),
    regularization: number("regularization", options.regularization, metadata.regParam ?? 0.1),
    interactions: options.interactions,
  });
}

// The schema Spark's ParquetSchemaConverter writes for (id: int not null, features: array<float> containsNull=false),
// and the Spark row schema it stores in the footer under "org.apache.spark.sql.parquet.row.metadata".
const FACTOR_SCHEMA = [
  { name: "spark_schema", num_children: 2 },
  { name: "id", type: "INT32", repetition_type: "REQUIRED" },
  { name: "features", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
] as const;
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

/**
 * Writes an implicit ALS model as a Spark MLlib `ALSModel` directory (`metadata/part-00000` + `_SUCCESS`,
 * `userFactors/` and `itemFactors/` as snappy Parquet part files in Spark's schema), for `ALSModel.load(path)` in
 * Spark and for {@link readSparkAlsModel}. The layout is checked against Spark's source (ALS.scala, ReadWrite.scala),
 * not by running Spark. The metadata carries `alpha` and `regParam` in an extra top-level `nextbest` field, which
 * Spark's reader ignores and {@link readSparkAlsModel} reads back.
 *
 * Complexity: O((users + items) · factors).
 *
 * @param model - an implicit ALS model
 * @param path - the directory to create; it must not exist yet (as with Spark's save without overwrite)
 * @param options - id indexing, rows per part file, uid and Spark version for the metadata
 * @returns the files written and, with `indexIds`, the labels mapping Spark ids back to the model's ids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` for a malformed model, `E_BAD_INPUT` for ids that are not 32-bit
 *   integers (without `indexIds`), bad options or an existing path
 * @example
 * ```ts
 * import { readSparkAlsModel, writeSparkAlsModel } from "nextbest/node";
 * import { alsFromSparkJsonLines } from "nextbest/factorization";
 * const model = alsFromSparkJsonLines({ userFactors: '{"id":"acme","features":[1,0]}', itemFactors: '{"id":7,"features":[0.5,2]}' });
 * const path = "exports/als-model"; // must not exist yet
 * const { userLabels } = await writeSparkAlsModel(model, path, { indexIds: true });
 * userLabels; // => ["acme"]
 * (await readSparkAlsModel(path, { userIds: userLabels!, itemIds: [7] })).users.ids; // => ["acme"]
 * ```
 * @category node
 */
export async function writeSparkAlsModel(model: ImplicitAlsModel, path: string, options: WriteSparkAlsModelOptions = {}): Promise<SparkAlsModelWritten> {
  const fn = "writeSparkAlsModel";
  checkSparkAlsModel(fn, model);
  if (typeof path !== "string" || path === "") throw new NextbestError("E_BAD_INPUT", `${fn}: path must be a directory path, got ${describeValue(path)}`);
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
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists) throw new NextbestError("E_BAD_INPUT", `${fn}: path must not exist yet, got ${JSON.stringify(path)}`);
  let writer: typeof import("hyparquet-writer");
  try {
    writer = await import("hyparquet-writer");
  } catch (error) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: writing Parquet needs the package "hyparquet-writer" (a dependency of nextbest), got ${describeValue(String(error))}`);
  }
  const files: string[] = [];
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
    // Extra top-level fields are ignored by ALSModelReader (it extracts rank only); readSparkAlsModel reads these back.
    nextbest: { alpha: model.alpha, regParam: model.regularization },
  };
  await mkdir(join(path, "metadata"), { recursive: true });
  await writeFile(join(path, "metadata", "part-00000"), `${JSON.stringify(metadata)}\n`);
  await writeFile(join(path, "metadata", "_SUCCESS"), "");
  files.push("metadata/part-00000", "metadata/_SUCCESS");
  const f = model.factors;
  for (const [table, ids, factors] of [
    ["userFactors", userIds, model.userFactors],
    ["itemFactors", itemIds, model.itemFactors],
  ] as const) {
    await mkdir(join(path, table));
    for (let part = 0, start = 0; start < ids.length; part++, start += rowsPerPart) {
      const end = Math.min(ids.length, start + rowsPerPart);
      const features = new Array<number[]>(end - start);
      // hyparquet-writer takes list values as plain arrays; float32 values survive the round trip exactly.
      for (let r = start; r < end; r++) features[r - start] = Array.from(factors.subarray(r * f, (r + 1) * f));
      const bytes = writer.parquetWriteBuffer({
        schema: FACTOR_SCHEMA.map((element) => ({ ...element })) as never,
        columnData: [
          { name: "id", data: ids.subarray(start, end) },
          { name: "features", data: features as never },
        ],
        codec: "SNAPPY",
        kvMetadata: [
          { key: "org.apache.spark.version", value: sparkVersion },
          { key: "org.apache.spark.sql.parquet.row.metadata", value: SPARK_ROW_SCHEMA },
        ],
        createdBy: "parquet-mr compatible (nextbest writeSparkAlsModel via hyparquet-writer)",
      });
      // Spark's part names: part-<partition>-<job uuid>-c000.snappy.parquet; any name not starting with _ or . is read.
      const name = `part-${String(part).padStart(5, "0")}-nextbest-c000.snappy.parquet`;
      await writeFile(join(path, table, name), new Uint8Array(bytes));
      files.push(`${table}/${name}`);
    }
    await writeFile(join(path, table, "_SUCCESS"), "");
    files.push(`${table}/_SUCCESS`);
  }
  return {
    userLabels: indexIds ? [...model.users.ids] : undefined,
    itemLabels: indexIds ? [...model.items.ids] : undefined,
    files,
  };
}
