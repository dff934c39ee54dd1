import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { alsFromSparkJsonLines, implicitAlsRecommender } from "../../src/factorization/index.ts";
import { parseSparkAlsModel, sparkAlsModelToFiles, type SparkAlsModelFiles } from "../../src/interop/index.ts";
import { SPARK_FACTOR_SCHEMA } from "../../src/interop/spark-als-model.ts";
import { readSparkAlsModel } from "../../src/node/index.ts";
import { recommend } from "../../src/recommend/index.ts";
import { rejectionOf, sparkTables, sparkTablesModel } from "../helpers.ts";

// The fixtures of test/node/spark-als-model.test.ts (scripts/make-spark-fixture.mjs, Spark's ALSModel layout), read
// here as bytes; the .jsonl files beside them hold the same factors as JSON lines.
const fixtures = path.join(import.meta.dirname, "../fixtures");
const reference = alsFromSparkJsonLines({
  userFactors: readFileSync(path.join(fixtures, "spark-als-model.users.jsonl"), "utf8"),
  itemFactors: readFileSync(path.join(fixtures, "spark-als-model.items.jsonl"), "utf8"),
});

function filesOf(directory: string): SparkAlsModelFiles {
  const parts = (table: string): Uint8Array[] =>
    readdirSync(path.join(directory, table))
      .filter((name) => !name.startsWith("_") && !name.startsWith("."))
      .sort()
      .map((name) => readFileSync(path.join(directory, table, name)));
  return { metadata: readFileSync(path.join(directory, "metadata", "part-00000"), "utf8"), userFactors: parts("userFactors"), itemFactors: parts("itemFactors") };
}

// Spark's factor-table schema (3-level list), written by hyparquet-writer with whatever rows a test needs.
function part(ids: number[], features: (number[] | null)[], options: { pageSize?: number; rowGroupSize?: number } = {}): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({
      schema: SPARK_FACTOR_SCHEMA.map((element) => ({ ...element })) as never,
      columnData: [
        { name: "id", data: Int32Array.from(ids) },
        { name: "features", data: features as never },
      ],
      ...options,
    }),
  );
}
const metadata = (rank: number): string => `${JSON.stringify({ class: "org.apache.spark.ml.recommendation.ALSModel", rank, paramMap: {} })}\n`;
const items = { name: "items.parquet", bytes: part([7], [[1, 1]]) };

describe("parseSparkAlsModel", () => {
  it("reads the fixture directories' bytes into the factors readSparkAlsModel reads from disk, exactly", async () => {
    for (const directory of ["spark-als-model", "spark-als-model-legacy"]) {
      const model = await parseSparkAlsModel(filesOf(path.join(fixtures, directory)));
      expect(model.users.ids).toEqual(reference.users.ids);
      expect(model.items.ids).toEqual(reference.items.ids);
      expect(Array.from(model.userFactors)).toEqual(Array.from(reference.userFactors));
      expect(Array.from(model.itemFactors)).toEqual(Array.from(reference.itemFactors));
      const fromDisk = await readSparkAlsModel(path.join(fixtures, directory));
      expect({ ...model, hyperparameters: undefined }).toEqual({ ...fromDisk, hyperparameters: undefined });
    }
  });

  it("decodes dictionary-encoded features, lists that span pages and several row groups", async () => {
    // Values from a set of three: hyparquet-writer dictionary-encodes them; 16-byte pages split every list.
    const values = [0.5, -1, 2];
    const rows = Array.from({ length: 30 }, (_, r) => [values[r % 3]!, values[(r + 1) % 3]!, values[(r * 7) % 3]!]);
    const bytes = part(
      rows.map((_, r) => 100 + r),
      rows,
      { pageSize: 16, rowGroupSize: 8 },
    );
    const model = await parseSparkAlsModel({ metadata: metadata(3), userFactors: [bytes], itemFactors: [part([7], [[1, 1, 1]])] });
    expect(model.users.ids).toEqual(rows.map((_, r) => 100 + r));
    expect(Array.from(model.userFactors)).toEqual(rows.flat());
  });

  it("reads a part at any byte offset of a larger buffer (unaligned Float32 values are copied, not misread)", async () => {
    const files = await sparkAlsModelToFiles(reference);
    for (const offset of [1, 2, 3]) {
      const shifted = files.userFactors.map(({ bytes }) => {
        const buffer = new Uint8Array(bytes.length + offset);
        buffer.set(bytes, offset);
        return buffer.subarray(offset);
      });
      const model = await parseSparkAlsModel({ metadata: files.metadata, userFactors: shifted, itemFactors: files.itemFactors.map(({ bytes }) => bytes.slice().buffer) });
      expect(Array.from(model.userFactors)).toEqual(Array.from(reference.userFactors));
    }
  });

  it("names the part and row of a null features list, a short or long list, a NaN, and names malformed input", async () => {
    const users = (features: (number[] | null)[]): SparkAlsModelFiles => ({
      metadata: metadata(2),
      userFactors: [{ name: "users.parquet", bytes: part([1, 2, 3], [[1, 2], [3, 4], [5, 6]]) }, { name: "users-2.parquet", bytes: part(features.map((_, r) => 10 + r), features) }],
      itemFactors: [items],
    });
    const nullRow = await rejectionOf(parseSparkAlsModel(users([[1, 2], null])));
    expect([nullRow.code, nullRow.message]).toEqual(["E_BAD_INPUT", 'parseSparkAlsModel: userFactors row 1 features must be an array of 2 floats, got null in "users-2.parquet"']);
    const empty = await rejectionOf(parseSparkAlsModel(users([[1, 2], [3, 4], []])));
    expect([empty.code, empty.message]).toEqual(["E_SHAPE", 'parseSparkAlsModel: userFactors row 2 features must have the metadata rank 2, got 0 values in "users-2.parquet"']);
    const long = await rejectionOf(parseSparkAlsModel(users([[1, 2, 3]])));
    expect([long.code, long.message]).toEqual(["E_SHAPE", 'parseSparkAlsModel: userFactors row 0 features must have the metadata rank 2, got 3 values in "users-2.parquet"']);
    const nan = await rejectionOf(parseSparkAlsModel(users([[1, Number.NaN]])));
    expect([nan.code, nan.message]).toEqual(["E_NON_FINITE", 'parseSparkAlsModel: userFactors row 0 features[1] must be a finite number, got NaN in "users-2.parquet"']);

    const good = part([1], [[1, 2]]);
    const truncated = await rejectionOf(parseSparkAlsModel({ metadata: metadata(2), userFactors: [good.subarray(0, 40)], itemFactors: [items] }));
    expect(truncated.code).toBe("E_BAD_INPUT");
    expect(truncated.message).toMatch(/^parseSparkAlsModel: the userFactors part file must be a readable Parquet file \(.*\), got "userFactors\[0\]"$/);
    // A column chunk cut short: the footer reads, a page does not.
    const cut = good.slice();
    cut.fill(0, 4, 30);
    expect((await rejectionOf(parseSparkAlsModel({ metadata: metadata(2), userFactors: [cut], itemFactors: [items] }))).message).toContain('got "userFactors[0]"');
    expect((await rejectionOf(parseSparkAlsModel({ metadata: metadata(2), userFactors: ["bytes" as never], itemFactors: [items] }))).message).toBe(
      'parseSparkAlsModel: files.userFactors[0] must be an ArrayBuffer or a Uint8Array (or { name, bytes }), got "bytes"',
    );
    expect((await rejectionOf(parseSparkAlsModel({ metadata: metadata(2), userFactors: [], itemFactors: [items] }))).message).toBe(
      "parseSparkAlsModel: files.userFactors must hold at least one Parquet part file, got none",
    );
    expect((await rejectionOf(parseSparkAlsModel({ metadata: "{}", userFactors: [good], itemFactors: [items] }))).message).toBe(
      'parseSparkAlsModel: metadata class must be "org.apache.spark.ml.recommendation.ALSModel", got undefined in "metadata"',
    );
    const repeated = await rejectionOf(parseSparkAlsModel({ metadata: metadata(2), userFactors: [good, part([5, 1], [[0, 1], [1, 0]])], itemFactors: [items] }));
    expect([repeated.code, repeated.message]).toEqual(["E_DUPLICATE", "parseSparkAlsModel: files.userFactors ids must be unique, got 1 twice (row 2)"]);
    expect((await rejectionOf(parseSparkAlsModel(null as never))).code).toBe("E_BAD_INPUT");
  });

  it("property: sparkAlsModelToFiles then parseSparkAlsModel gives the model back bit for bit, with the same recommendations", async () => {
    await fc.assert(
      fc.asyncProperty(sparkTables, async (tables) => {
        const { userIds, rowsPerPart } = tables;
        const model = sparkTablesModel(tables, 3);
        const files = await sparkAlsModelToFiles(model, { rowsPerPart });
        expect(files.userFactors.length).toBe(Math.ceil(userIds.length / rowsPerPart));
        const again = await parseSparkAlsModel(files);
        expect(again.users.ids).toEqual(userIds);
        expect(Array.from(again.userFactors)).toEqual(Array.from(model.userFactors));
        expect(Array.from(again.itemFactors)).toEqual(Array.from(model.itemFactors));
        expect(again.alpha).toBe(3);
        const user = userIds[0]!;
        expect(recommend(implicitAlsRecommender(again), user, { k: 3 })).toEqual(recommend(implicitAlsRecommender(model), user, { k: 3 }));
      }),
      { seed: 18, numRuns: 30 },
    );
  });
});

describe("sparkAlsModelToFiles", () => {
  it("writes Spark's metadata fields and labels for string ids, and refuses string ids without indexIds", async () => {
    const named = alsFromSparkJsonLines({ userFactors: '{"id":"acme","features":[1]}\n{"id":"globex","features":[2]}', itemFactors: '{"id":"crm","features":[1]}' });
    const files = await sparkAlsModelToFiles(named, { indexIds: true, uid: "ALSModel_1", sparkVersion: "3.4.1" });
    const json = JSON.parse(files.metadata);
    expect([json.class, json.rank, json.uid, json.sparkVersion, json.paramMap]).toEqual(["org.apache.spark.ml.recommendation.ALSModel", 1, "ALSModel_1", "3.4.1", {}]);
    expect([files.userLabels, files.itemLabels]).toEqual([["acme", "globex"], ["crm"]]);
    const back = await parseSparkAlsModel(files, { userIds: files.userLabels!, itemIds: files.itemLabels! });
    expect(back.users.ids).toEqual(["acme", "globex"]);
    expect((await rejectionOf(sparkAlsModelToFiles(named))).message).toBe(
      'sparkAlsModelToFiles: model.users ids must be 32-bit integers for Spark (or set options.indexIds), got "acme" at row 0',
    );
    expect((await rejectionOf(sparkAlsModelToFiles(named, { rowsPerPart: 0 }))).code).toBe("E_BAD_INPUT");
    expect((await rejectionOf(sparkAlsModelToFiles({} as never))).code).toBe("E_BAD_MODEL");
  });
});
