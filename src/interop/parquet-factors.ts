/**
 * Decoding Spark's factor tables (`id: int`, `features: array<float>`) from Parquet straight into a Float32Array.
 *
 * hyparquet's row reader assembles every list row into a JavaScript array (a million arrays for a million users);
 * here hyparquet only parses the footer, page headers and page bodies (decompression, levels, plain or dictionary
 * values), and the list rows are assembled from the repetition and definition levels by this file, for the one schema
 * Spark writes: each `rep = 0` starts a row, each `def = max` is a value written at `row · rank + k`. One row group's
 * column chunk is decoded at a time, read in windows of about 1 MB. No `node:` import: the bytes come from a {@link ByteSource}.
 *
 * Levels (Dremel): `features` is an optional LIST, so with the standard 3-level layout
 * (`optional group features (LIST) { repeated group list { required float element } }`) `def = 0` is a null list,
 * `def = 1` an empty list and `def = 2` a value; the legacy layouts of `spark.sql.parquet.writeLegacyFormat` add one
 * level for an optional element (`def = 2` a null element, `def = 3` a value). The level of a null list and of an empty
 * list are read from the schema, so every layout is checked the same way.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id } from "../core/id-index.ts";

/** Where a part file's bytes come from: an open file (positioned reads) or bytes in memory. */
export interface ByteSource {
  readonly byteLength: number;
  /** Bytes `[start, end)`: a view or a copy, valid until the next read (a file source reuses one buffer). */
  read(start: number, end: number): Promise<Uint8Array> | Uint8Array;
}

/** A factor table read from its part files: ids in file order, factors row-major (ids × rank). */
export interface FactorTable {
  ids: Id[];
  data: Float32Array;
  rank: number;
}

/** One part file of a factor table: the name errors give, and its bytes. */
export interface FactorPart {
  readonly name: string;
  readonly source: ByteSource;
}

type Metadata = import("hyparquet").FileMetaData;
type SchemaTree = import("hyparquet").SchemaTree;
type ColumnMeta = import("hyparquet").ColumnMetaData;
type DecodedArray = import("hyparquet").DecodedArray;

interface ParquetDecoder {
  metadata: typeof import("hyparquet/src/metadata.js");
  column: typeof import("hyparquet/src/column.js");
  datapage: typeof import("hyparquet/src/datapage.js");
  plain: typeof import("hyparquet/src/plain.js");
  schema: typeof import("hyparquet/src/schema.js");
  encoding: typeof import("hyparquet/src/encoding.js");
  snappy: typeof import("hyparquet/src/snappy.js");
}

let decoder: Promise<ParquetDecoder> | undefined;

/** hyparquet's parsing modules, imported on first use only (bundles that never read Parquet do not carry them). */
export async function loadParquetDecoder(fn: string): Promise<ParquetDecoder> {
  decoder ??= Promise.all([
    import("hyparquet/src/metadata.js"),
    import("hyparquet/src/column.js"),
    import("hyparquet/src/datapage.js"),
    import("hyparquet/src/plain.js"),
    import("hyparquet/src/schema.js"),
    import("hyparquet/src/encoding.js"),
    import("hyparquet/src/snappy.js"),
  ]).then(([metadata, column, datapage, plain, schema, encoding, snappy]) => ({ metadata, column, datapage, plain, schema, encoding, snappy }));
  try {
    return await decoder;
  } catch (error) {
    decoder = undefined;
    throw new NextbestError("E_BAD_INPUT", `${fn}: reading Parquet needs the package "hyparquet" (a dependency of nextbest), got ${describeValue(String(error))}`);
  }
}

/** A ByteSource over bytes in memory (views, no copies). */
export function bytesSource(bytes: ArrayBuffer | Uint8Array): ByteSource {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return { byteLength: view.byteLength, read: (start, end) => view.subarray(start, end) };
}

function unreadable(fn: string, table: string, name: string, error: unknown): NextbestError {
  if (error instanceof NextbestError) return error;
  return new NextbestError("E_BAD_INPUT", `${fn}: the ${table} part file must be a readable Parquet file (${error instanceof Error ? error.message : String(error)}), got ${JSON.stringify(name)}`);
}

interface OpenPart {
  name: string;
  source: ByteSource;
  metadata: Metadata;
  rows: number;
}

async function openPart(fn: string, parquet: ParquetDecoder, table: string, part: FactorPart): Promise<OpenPart> {
  const { name, source } = part;
  let metadata: Metadata;
  try {
    metadata = await parquet.metadata.parquetMetadataAsync({
      byteLength: source.byteLength,
      slice: async (start: number, end?: number) => {
        const bytes = await source.read(Math.max(0, start), Math.min(end ?? source.byteLength, source.byteLength));
        // A copy of the footer's few bytes: a Node Buffer's slice() is a view of a shared pool, so never use `.buffer` of a view.
        const copy = new Uint8Array(bytes.byteLength);
        copy.set(bytes);
        return copy.buffer;
      },
    });
  } catch (error) {
    throw unreadable(fn, table, name, error);
  }
  const columns = parquet.metadata.parquetSchema(metadata).children.map((child) => child.element.name);
  if (!columns.includes("id") || !columns.includes("features")) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: the ${table} part file must have the columns id and features, got [${columns.join(", ")}] in ${JSON.stringify(name)}`);
  }
  return { name, source, metadata, rows: Number(metadata.num_rows) };
}

/**
 * Reads a factor table from its part files, in order: footers first (to size the output once), then one row group's
 * `id` and `features` column chunks at a time, decoded into the ids array and the Float32Array.
 */
export async function readFactorParts(
  fn: string,
  table: "userFactors" | "itemFactors",
  folder: string,
  parts: readonly FactorPart[],
  rank: number,
  mapId: (id: number, where: string) => Id,
): Promise<FactorTable> {
  const parquet = await loadParquetDecoder(fn);
  const open: OpenPart[] = [];
  for (const part of parts) open.push(await openPart(fn, parquet, table, part));
  const rows = open.reduce((sum, part) => sum + part.rows, 0);
  if (rows === 0) throw new NextbestError("E_EMPTY", `${fn}: ${table} must hold at least one factor row, got none in ${JSON.stringify(folder)}`);
  if (rows * rank > 2 ** 31) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${table} must hold at most 2^31 factor values, got ${rows} rows × rank ${rank} in ${JSON.stringify(folder)}`);
  }
  const ids = new Array<Id>(rows);
  const data = new Float32Array(rows * rank);
  let base = 0;
  for (const part of open) {
    const target: Target = { fn, table, name: part.name, rank, ids, data, base, mapId };
    try {
      let groupStart = 0;
      for (const group of part.metadata.row_groups) {
        const groupRows = Number(group.num_rows);
        // Rows are written where the footers put them: a row group past the footer's count would spill into the next part.
        if (groupStart + groupRows > part.rows) throw new Error(`row groups hold more than the footer's ${part.rows} rows`);
        for (const column of ["id", "features"] as const) {
          const chunk = group.columns.find((c) => c.meta_data?.path_in_schema[0] === column);
          if (chunk?.meta_data === undefined) throw new Error(`row group without a ${column} column chunk`);
          const path = parquet.schema.getSchemaPath(part.metadata.schema, chunk.meta_data.path_in_schema);
          const decoded = await readColumnChunk(parquet, part.source, chunk.meta_data, path, column === "id" ? idSink(target, path, groupStart) : featuresSink(target, path, groupStart));
          if (decoded !== groupRows) throw new Error(`row group of ${groupRows} rows holds ${decoded} ${column} values`);
        }
        groupStart += groupRows;
      }
      if (groupStart !== part.rows) throw new Error(`row groups hold ${groupStart} rows, the footer says ${part.rows}`);
    } catch (error) {
      throw unreadable(fn, table, part.name, error);
    }
    base += part.rows;
  }
  return { ids, data, rank };
}

interface Target {
  fn: string;
  table: string;
  name: string;
  rank: number;
  ids: Id[];
  data: Float32Array;
  base: number;
  mapId: (id: number, where: string) => Id;
}

/**
 * Receives one data page: `count` level pairs (`definitionLevels` undefined when every entry holds a value,
 * `repetitionLevels` undefined for a flat column) and the values of the entries that hold one.
 */
interface Sink {
  page(definitionLevels: Levels | undefined, repetitionLevels: Levels | undefined, values: ArrayLike<unknown>, count: number): void;
  /** Ends the chunk; returns the number of rows it held. */
  end(): number;
}

function idSink(t: Target, path: SchemaTree[], groupStart: number): Sink {
  const element = path[path.length - 1]!.element;
  if (path.length !== 2 || (element.type !== "INT32" && element.type !== "INT64")) {
    throw new NextbestError("E_BAD_INPUT", `${t.fn}: ${t.table} column id must be an int, got ${describeValue(element.type)} (${path.map((p) => p.element.name).join(".")}) in ${JSON.stringify(t.name)}`);
  }
  const maxDef = element.repetition_type === "REQUIRED" ? 0 : 1;
  let r = groupStart;
  return {
    page(definitionLevels, _repetitionLevels, values, count) {
      let v = 0;
      for (let i = 0; i < count; i++, r++) {
        const defined = maxDef === 0 || definitionLevels === undefined || definitionLevels[i] === maxDef;
        const value: unknown = defined ? values[v++] : null;
        const id = typeof value === "bigint" && value >= -9_007_199_254_740_991n && value <= 9_007_199_254_740_991n ? Number(value) : value;
        if (typeof id !== "number" || !Number.isInteger(id)) {
          throw new NextbestError("E_BAD_INPUT", `${t.fn}: ${t.table} row ${r} id must be an integer, got ${describeValue(id)} in ${JSON.stringify(t.name)}`);
        }
        t.ids[t.base + r] = t.mapId(id, `${t.name} row ${r}`);
      }
    },
    end: () => r - groupStart,
  };
}

function featuresSink(t: Target, path: SchemaTree[], groupStart: number): Sink {
  const { fn, table, name, rank, data } = t;
  const element = path[path.length - 1]!.element;
  const features = path[1]!.element;
  if (path.length < 3 || features.name !== "features" || (element.type !== "FLOAT" && element.type !== "DOUBLE")) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${table} column features must be an array<float>, got ${describeValue(element.type)} at ${path.slice(1).map((p) => p.element.name).join(".")} in ${JSON.stringify(name)}`);
  }
  // Definition levels: below `listDef` the list is null, at `listDef` it is empty, between it and `maxDef` an element
  // is null, at `maxDef` a value is present.
  const listDef = features.repetition_type === "REQUIRED" ? 0 : 1;
  let maxDef = 0;
  for (const node of path.slice(1)) if (node.element.repetition_type !== "REQUIRED") maxDef++;
  let r = groupStart - 1; // the row being filled (within the part file)
  let k = 0; // values in it so far
  const endRow = (): void => {
    if (r >= groupStart && k !== rank) {
      throw new NextbestError("E_SHAPE", `${fn}: ${table} row ${r} features must have the metadata rank ${rank}, got ${k} values in ${JSON.stringify(name)}`);
    }
  };
  return {
    page(definitionLevels, repetitionLevels, values, count) {
      if (repetitionLevels === undefined) throw new Error("features column without repetition levels");
      const allDefined = definitionLevels === undefined;
      let v = 0;
      for (let i = 0; i < count; i++) {
        if (repetitionLevels[i] === 0) {
          endRow();
          r++;
          k = 0;
        }
        const def = allDefined ? maxDef : definitionLevels[i]!;
        if (def === maxDef) {
          const value = values[v++] as number;
          if (value - value !== 0) {
            throw new NextbestError("E_NON_FINITE", `${fn}: ${table} row ${r} features[${k}] must be a finite number, got ${describeValue(value)} in ${JSON.stringify(name)}`);
          }
          if (k < rank) data[(t.base + r) * rank + k] = value;
          k++;
        } else if (def < listDef) {
          throw new NextbestError("E_BAD_INPUT", `${fn}: ${table} row ${r} features must be an array of ${rank} floats, got null in ${JSON.stringify(name)}`);
        } else if (def > listDef) {
          throw new NextbestError("E_BAD_INPUT", `${fn}: ${table} row ${r} features[${k}] must be a finite number, got null in ${JSON.stringify(name)}`);
        } // def === listDef: an empty list, whose length endRow reports
      }
    },
    end() {
      endRow();
      return r + 1 - groupStart;
    },
  };
}

type Levels = Uint8Array;

/** A growable buffer reused from page to page, so a read does not leave a megabyte of garbage per page. */
class Scratch {
  private buffer = new Uint8Array(0);
  take(length: number): Uint8Array {
    if (this.buffer.byteLength < length) this.buffer = new Uint8Array(Math.max(length, this.buffer.byteLength * 2));
    return this.buffer.subarray(0, length);
  }
}

function bitWidth(value: number): number {
  return 32 - Math.clz32(value);
}

/**
 * Levels of `count` entries in the RLE / bit-packed hybrid encoding, decoded into bytes (levels here are < 256), in
 * `scratch` when it is large enough (the levels are used before the next page is read).
 */
function readLevels(parquet: ParquetDecoder, bytes: Uint8Array, offset: number, length: number, max: number, count: number, scratch: Scratch): Levels {
  if (offset + length > bytes.byteLength) throw new Error("levels run past the page");
  const out = scratch.take(count);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset + offset, length), offset: 0 };
  parquet.encoding.readRleBitPackedHybrid(reader, bitWidth(max), out, length);
  return out;
}

/** Undefined when every level is `max` (no nulls, no empty lists: the common case, checked once per page). */
function unlessAll(levels: Levels, max: number): Levels | undefined {
  for (let i = 0; i < levels.length; i++) if (levels[i] !== max) return levels;
  return undefined;
}

/** Reads a column chunk through windows of about 1 MB: a row group's chunk is never in memory whole. */
function chunkWindow(source: ByteSource, end: number): { bytes(position: number, length: number): Promise<Uint8Array> } {
  let windowStart = 0;
  let window: Uint8Array = new Uint8Array(0);
  return {
    async bytes(position, length) {
      if (position < windowStart || position + length > windowStart + window.byteLength) {
        window = await source.read(position, Math.min(end, position + Math.max(length, 1 << 20)));
        windowStart = position;
      }
      return window.subarray(position - windowStart, position - windowStart + length);
    },
  };
}

/** A page header at `position` and its length in bytes (headers are small; one with large statistics is read again whole). */
async function pageHeader(parquet: ParquetDecoder, window: ReturnType<typeof chunkWindow>, position: number, end: number): Promise<{ header: ReturnType<ParquetDecoder["column"]["parquetHeader"]>; length: number }> {
  for (const size of [1 << 14, end - position]) {
    const bytes = await window.bytes(position, Math.min(size, end - position));
    const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
    try {
      return { header: parquet.column.parquetHeader(reader), length: reader.offset };
    } catch (error) {
      if (!(error instanceof RangeError) || bytes.byteLength === end - position) throw error;
    }
  }
  throw new Error("unreachable");
}

/**
 * Walks one column chunk's pages (dictionary, data v1 and v2), decompressing each and handing its levels and values
 * to `sink`. Levels are decoded here into byte arrays (hyparquet's page readers fill a JavaScript array per page, the
 * slow part of a read); values are hyparquet's (plain values are a typed-array view of the page). Returns the number
 * of rows the sink saw.
 */
async function readColumnChunk(parquet: ParquetDecoder, source: ByteSource, meta: ColumnMeta, schemaPath: SchemaTree[], sink: Sink): Promise<number> {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  if (!(start >= 0 && end <= source.byteLength)) throw new Error(`column chunk [${start}, ${end}) beyond the file's ${source.byteLength} bytes`);
  const window = chunkWindow(source, end);
  const element = schemaPath[schemaPath.length - 1]!.element;
  const columnDecoder = { pathInSchema: meta.path_in_schema, type: meta.type, element, schemaPath, codec: meta.codec, parsers: undefined as never };
  const maxRep = parquet.schema.getMaxRepetitionLevel(schemaPath);
  const maxDef = parquet.schema.getMaxDefinitionLevel(schemaPath);
  if (maxRep > 1 || maxDef > 255) throw new Error(`column ${meta.path_in_schema.join(".")} nests deeper than a list of numbers`);
  let dictionary: DecodedArray | undefined;
  const [repScratch, defScratch, pageScratch] = [new Scratch(), new Scratch(), new Scratch()];
  // Data pages are decompressed into one reused buffer: their values are copied out before the next page.
  const decompress = (compressed: Uint8Array, size: number): Uint8Array => {
    if (meta.codec === "UNCOMPRESSED") return compressed;
    if (meta.codec !== "SNAPPY") return parquet.datapage.decompressPage(compressed, size, meta.codec, undefined);
    const out = pageScratch.take(size);
    parquet.snappy.snappyUncompress(compressed, out);
    return out;
  };
  let position = start;
  while (position < end) {
    const { header, length } = await pageHeader(parquet, window, position, end);
    position += length;
    const body = await window.bytes(position, header.compressed_page_size);
    if (body.byteLength !== header.compressed_page_size) throw new Error(`page of ${header.compressed_page_size} bytes runs past the column chunk`);
    position += header.compressed_page_size;
    if (header.type === "DICTIONARY_PAGE") {
      const plain = parquet.datapage.decompressPage(body, header.uncompressed_page_size, meta.codec, undefined);
      const dictionaryReader = { view: new DataView(plain.buffer, plain.byteOffset, plain.byteLength), offset: 0 };
      // A copy: plain values may be a view of the page, and an uncompressed page is a view of the read window.
      dictionary = parquet.plain.readPlain(dictionaryReader, meta.type, header.dictionary_page_header!.num_values, element.type_length).slice();
      continue;
    }
    let rep: Levels | undefined;
    let def: Levels | undefined;
    let valueBytes: Uint8Array;
    let count: number;
    let encoding: string;
    if (header.type === "DATA_PAGE") {
      const daph = header.data_page_header!;
      count = daph.num_values;
      encoding = daph.encoding;
      const page = decompress(body, header.uncompressed_page_size);
      const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
      let offset = 0;
      // v1: each level block is preceded by its byte length (4 bytes, little-endian).
      if (maxRep > 0) {
        const length = view.getUint32(offset, true);
        rep = readLevels(parquet, page, offset + 4, length, maxRep, count, repScratch);
        offset += 4 + length;
      }
      if (maxDef > 0) {
        const length = view.getUint32(offset, true);
        def = unlessAll(readLevels(parquet, page, offset + 4, length, maxDef, count, defScratch), maxDef);
        offset += 4 + length;
      }
      valueBytes = page.subarray(offset);
    } else if (header.type === "DATA_PAGE_V2") {
      const daph2 = header.data_page_header_v2!;
      count = daph2.num_values;
      encoding = daph2.encoding;
      const repLength = daph2.repetition_levels_byte_length;
      const defLength = daph2.definition_levels_byte_length;
      // v2: the levels are never compressed and carry no length prefix (the header has their lengths).
      if (maxRep > 0) rep = readLevels(parquet, body, 0, repLength, maxRep, count, repScratch);
      if (maxDef > 0) def = unlessAll(readLevels(parquet, body, repLength, defLength, maxDef, count, defScratch), maxDef);
      const size = header.uncompressed_page_size - repLength - defLength;
      const compressed = body.subarray(repLength + defLength);
      valueBytes = daph2.is_compressed !== false && size > 0 ? decompress(compressed, size) : compressed;
    } else {
      continue; // index pages carry no values
    }
    let present = count;
    if (def !== undefined) {
      present = 0;
      for (let i = 0; i < count; i++) if (def[i] === maxDef) present++;
    }
    const valueReader = { view: new DataView(valueBytes.buffer, valueBytes.byteOffset, valueBytes.byteLength), offset: 0 };
    let values: ArrayLike<unknown>;
    if (encoding === "PLAIN") {
      values = parquet.plain.readPlain(valueReader, meta.type, present, element.type_length);
    } else if (encoding === "PLAIN_DICTIONARY" || encoding === "RLE_DICTIONARY") {
      if (dictionary === undefined) throw new Error("dictionary-encoded page without a dictionary page");
      const width = valueReader.view.getUint8(valueReader.offset++);
      const indices = new Int32Array(present);
      if (width > 0) parquet.encoding.readRleBitPackedHybrid(valueReader, width, indices, valueBytes.byteLength - 1);
      const looked = new Array<unknown>(present);
      for (let i = 0; i < present; i++) looked[i] = dictionary[indices[i]!];
      values = looked;
    } else {
      // Other value encodings (BYTE_STREAM_SPLIT, DELTA_*, ALP): hyparquet's page readers decode the whole page.
      const page =
        header.type === "DATA_PAGE"
          ? parquet.datapage.readDataPage(parquet.datapage.decompressPage(body, header.uncompressed_page_size, meta.codec, undefined), header.data_page_header!, columnDecoder)
          : parquet.datapage.readDataPageV2(body, header, columnDecoder);
      values = page.dataPage;
    }
    if (values.length < present) throw new Error(`page of ${count} entries holds ${values.length} values, ${present} expected`);
    sink.page(def, rep, values, count);
  }
  return sink.end();
}
