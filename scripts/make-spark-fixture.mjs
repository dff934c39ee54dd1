// Writes the Spark ALSModel fixtures under test/fixtures/ in exactly the layout Spark's ALSModel.save produces
// (apache/spark mllib ml/recommendation/ALS.scala ALSModelWriter, ml/util/ReadWrite.scala DefaultParamsWriter):
//   metadata/part-00000 (one JSON line) + metadata/_SUCCESS,
//   userFactors/ and itemFactors/: Parquet part files (id: required INT32, features: optional LIST of required FLOAT)
//   named part-<partition>-<uuid>-c000.snappy.parquet, plus _SUCCESS.
// Written with hyparquet-writer directly (not nextbest's writeSparkAlsModel), so the reader is tested against an
// independent writer. Two directories:
//   spark-als-model/         standard 3-level list (repeated group list { required float element }), snappy,
//                            users in 3 part files, items in 2, row groups of 7 rows (several per part)
//   spark-als-model-legacy/  the legacy list names of spark.sql.parquet.writeLegacyFormat (repeated group bag
//                            { optional float array }), one part uncompressed
// Factors come from a fixed-seed linear congruential generator, so the files are the same on every run.
// Run: node scripts/make-spark-fixture.mjs
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";

const root = resolve(import.meta.dirname, "../test/fixtures");
const rank = 8;
const users = 40;
const items = 25;
let state = 20_261_205;
function next() {
  state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
  return state / 2 ** 32 - 0.5;
}
function table(count, firstId, step) {
  const ids = Int32Array.from({ length: count }, (_, i) => firstId + i * step);
  const features = Array.from({ length: count }, () => Float32Array.from({ length: rank }, () => next()));
  return { ids, features };
}
const userTable = table(users, 3, 2); // Spark ids are whatever the int columns held: 3, 5, 7, ...
const itemTable = table(items, 100, 1);

function schema(legacy) {
  return [
    { name: "spark_schema", num_children: 2 },
    { name: "id", type: "INT32", repetition_type: "REQUIRED" },
    { name: "features", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
    { name: legacy ? "bag" : "list", repetition_type: "REPEATED", num_children: 1 },
    legacy ? { name: "array", type: "FLOAT", repetition_type: "OPTIONAL" } : { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
  ];
}
const rowMetadata = JSON.stringify({
  type: "struct",
  fields: [
    { name: "id", type: "integer", nullable: false, metadata: {} },
    { name: "features", type: { type: "array", elementType: "float", containsNull: false }, nullable: true, metadata: {} },
  ],
});

function writeFolder(dir, name, { ids, features }, splits, legacy, codecs) {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  let start = 0;
  splits.forEach((size, part) => {
    const bytes = parquetWriteBuffer({
      schema: schema(legacy),
      columnData: [
        { name: "id", data: ids.slice(start, start + size) },
        { name: "features", data: features.slice(start, start + size).map((row) => Array.from(row)) },
      ],
      codec: codecs[part],
      rowGroupSize: 7,
      kvMetadata: [
        { key: "org.apache.spark.version", value: "3.5.1" },
        { key: "org.apache.spark.sql.parquet.row.metadata", value: rowMetadata },
      ],
    });
    const suffix = codecs[part] === "SNAPPY" ? "snappy." : "";
    writeFileSync(join(folder, `part-${String(part).padStart(5, "0")}-6f1c2a4e-fixture-c000.${suffix}parquet`), new Uint8Array(bytes));
    start += size;
  });
  writeFileSync(join(folder, "_SUCCESS"), "");
}

function writeModel(name, legacy) {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "metadata"), { recursive: true });
  // The metadata line of a model saved by Spark 3.5 after `new ALS().setRank(8).setImplicitPrefs(true)
  // .setColdStartStrategy("drop").fit(df)`: ALSModel's own params only, rank as extra metadata.
  const metadata = {
    class: "org.apache.spark.ml.recommendation.ALSModel",
    timestamp: 1_764_950_400_000,
    sparkVersion: "3.5.1",
    uid: "ALS_5c7f1e2b9a3d",
    paramMap: { userCol: "user", itemCol: "item", coldStartStrategy: "drop", predictionCol: "prediction", blockSize: 4096 },
    defaultParamMap: { userCol: "user", itemCol: "item", coldStartStrategy: "nan", predictionCol: "prediction", blockSize: 4096 },
    rank,
  };
  writeFileSync(join(dir, "metadata", "part-00000"), `${JSON.stringify(metadata)}\n`);
  writeFileSync(join(dir, "metadata", "_SUCCESS"), "");
  writeFolder(dir, "userFactors", userTable, legacy ? [users] : [15, 15, 10], legacy, legacy ? ["UNCOMPRESSED"] : ["SNAPPY", "SNAPPY", "SNAPPY"]);
  writeFolder(dir, "itemFactors", itemTable, legacy ? [items] : [12, 13], legacy, legacy ? ["SNAPPY"] : ["SNAPPY", "SNAPPY"]);
  // The same factors as JSON lines, the reference the tests compare the Parquet read with.
  const lines = (t) => Array.from(t.ids, (id, i) => `{"id":${id},"features":[${Array.from(t.features[i]).join(",")}]}\n`).join("");
  writeFileSync(join(dir, "..", `${name}.users.jsonl`), lines(userTable));
  writeFileSync(join(dir, "..", `${name}.items.jsonl`), lines(itemTable));
}

writeModel("spark-als-model", false);
writeModel("spark-als-model-legacy", true);
console.log(`wrote ${join(root, "spark-als-model")} and ${join(root, "spark-als-model-legacy")}`);
