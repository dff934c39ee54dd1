/**
 * Spark MLlib `ALSModel` directories on disk: read one that Spark saved, write one that Spark can load. Thin file
 * wrappers over `parseSparkAlsModel` and `sparkAlsModelToFiles` of `nextbest/interop` (the layout, checked against
 * Spark's ALS.scala and ReadWrite.scala, is described there); here the part files are read through positioned reads,
 * one row group's column chunk at a time, so a directory is never held in memory whole.
 *
 * @module
 */
import { mkdir, open, readdir, readFile, stat, writeFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";
import type { ImplicitAlsModel } from "../factorization/implicit-als.ts";
import type { ByteSource, FactorPart } from "../interop/parquet-factors.ts";
import { sparkAlsModelBytes, sparkAlsModelFromParts, type SparkAlsModelFilesOptions, type SparkAlsModelOptions } from "../interop/spark-als-model.ts";

export { SPARK_ALS_MODEL_CLASS } from "../interop/spark-als-model.ts";

/**
 * Options of {@link readSparkAlsModel}: those of `parseSparkAlsModel` (id mappings, training interactions for seen
 * items, α and λ).
 *
 * @category node
 */
export type ReadSparkAlsModelOptions = SparkAlsModelOptions;

/**
 * Options of {@link writeSparkAlsModel}: those of `sparkAlsModelToFiles` (id indexing, rows per part, uid, Spark
 * version).
 *
 * @category node
 */
export type WriteSparkAlsModelOptions = SparkAlsModelFilesOptions;

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

function pathError(fn: string, path: string, detail: string): NextbestError {
  return new NextbestError("E_BAD_INPUT", `${fn}: path must ${detail}, got ${JSON.stringify(path)}`);
}

/** The names Spark's file index reads in a folder: all but those starting with "_" or "." (_SUCCESS, .crc files), sorted. */
async function partNames(fn: string, folder: string, what: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    throw pathError(fn, folder, `hold ${what}, which is missing`);
  }
  return names.filter((name) => !name.startsWith("_") && !name.startsWith(".")).sort();
}

/**
 * A ByteSource over an open file: each read is one positioned read into one reused buffer (valid until the next read,
 * as ByteSource allows), so a file is never read whole and a read leaves no garbage behind.
 */
function fileSource(handle: FileHandle, size: number): ByteSource {
  let buffer = new Uint8Array(0);
  return {
    byteLength: size,
    async read(start: number, end: number): Promise<Uint8Array> {
      const length = Math.max(0, end - start);
      if (buffer.byteLength < length) buffer = new Uint8Array(Math.max(length, 1 << 20));
      const bytes = buffer.subarray(0, length);
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, start + offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return offset === bytes.length ? bytes : bytes.subarray(0, offset);
    },
  };
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
  const metadataFolder = join(path, "metadata");
  const metadataNames = await partNames(fn, metadataFolder, "Spark's metadata folder (metadata/part-00000)");
  if (metadataNames.length === 0) throw pathError(fn, metadataFolder, "hold a metadata part file (part-00000), none found");
  const metadataName = join(metadataFolder, metadataNames[0]!);
  const metadata = await readFile(metadataName, "utf8");
  const handles: FileHandle[] = [];
  try {
    const parts = async (table: string): Promise<FactorPart[]> => {
      const folder = join(path, table);
      const names = await partNames(fn, folder, `the ${table} Parquet folder`);
      if (names.length === 0) throw pathError(fn, folder, "hold at least one Parquet part file, none found");
      const out: FactorPart[] = [];
      for (const name of names) {
        const file = join(folder, name);
        const handle = await open(file, "r");
        handles.push(handle);
        out.push({ name: file, source: fileSource(handle, (await handle.stat()).size) });
      }
      return out;
    };
    const userFactors = await parts("userFactors");
    const itemFactors = await parts("itemFactors");
    return await sparkAlsModelFromParts(
      fn,
      { metadata, metadataName, userFactors, itemFactors, userFolder: join(path, "userFactors"), itemFolder: join(path, "itemFactors") },
      options,
    );
  } finally {
    await Promise.all(handles.map((handle) => handle.close()));
  }
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
  if (typeof path !== "string" || path === "") throw new NextbestError("E_BAD_INPUT", `${fn}: path must be a directory path, got ${describeValue(path)}`);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists) throw new NextbestError("E_BAD_INPUT", `${fn}: path must not exist yet, got ${JSON.stringify(path)}`);
  const encoded = await sparkAlsModelBytes(fn, model, options);
  const files: string[] = [];
  const save = async (file: string, content: string | Uint8Array): Promise<void> => {
    await writeFile(join(path, file), content);
    files.push(file);
  };
  await mkdir(join(path, "metadata"), { recursive: true });
  await save("metadata/part-00000", encoded.metadata);
  await save("metadata/_SUCCESS", "");
  for (const [table, parts] of [
    ["userFactors", encoded.userFactors],
    ["itemFactors", encoded.itemFactors],
  ] as const) {
    await mkdir(join(path, table));
    for (const part of parts) await save(`${table}/${part.name}`, part.bytes);
    await save(`${table}/_SUCCESS`, "");
  }
  return { userLabels: encoded.userLabels, itemLabels: encoded.itemLabels, files };
}
