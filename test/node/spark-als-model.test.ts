import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createInteractions } from "../../src/data/index.ts";
import { alsFromSparkJsonLines, fitImplicitAls, implicitAlsRecommender } from "../../src/factorization/index.ts";
import { readSparkAlsModel, writeSparkAlsModel } from "../../src/node/index.ts";
import { recommend } from "../../src/recommend/index.ts";
import { rejectionOf, sparkTables, sparkTablesModel } from "../helpers.ts";

// Fixtures written by scripts/make-spark-fixture.mjs in Spark's ALSModel layout; the .jsonl files beside them hold the
// same factors as JSON lines, the reference the Parquet read is compared with.
const fixtures = path.join(import.meta.dirname, "../fixtures");
const standard = path.join(fixtures, "spark-als-model");
const legacy = path.join(fixtures, "spark-als-model-legacy");
const reference = alsFromSparkJsonLines({
  userFactors: readFileSync(path.join(fixtures, "spark-als-model.users.jsonl"), "utf8"),
  itemFactors: readFileSync(path.join(fixtures, "spark-als-model.items.jsonl"), "utf8"),
});
const scratch = mkdtempSync(path.join(tmpdir(), "nextbest-spark-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let copies = 0;
function copyOf(source: string): string {
  const target = path.join(scratch, `copy-${copies++}`);
  cpSync(source, target, { recursive: true });
  return target;
}
describe("readSparkAlsModel", () => {
  it("reads a directory with three snappy user parts and two item parts, several row groups each, exactly", async () => {
    expect(readdirSync(path.join(standard, "userFactors")).filter((name) => name.endsWith(".snappy.parquet")).length).toBe(3);
    const model = await readSparkAlsModel(standard);
    expect(model.factors).toBe(8);
    expect(model.users.ids).toEqual(reference.users.ids);
    expect(model.items.ids).toEqual(reference.items.ids);
    expect(Array.from(model.userFactors)).toEqual(Array.from(reference.userFactors));
    expect(Array.from(model.itemFactors)).toEqual(Array.from(reference.itemFactors));
    expect([model.alpha, model.regularization]).toEqual([1, 0.1]);
  });

  it("reads the legacy list layout (bag/array) and an uncompressed part the same", async () => {
    const model = await readSparkAlsModel(legacy);
    expect(Array.from(model.userFactors)).toEqual(Array.from(reference.userFactors));
    expect(Array.from(model.itemFactors)).toEqual(Array.from(reference.itemFactors));
  });

  it("maps Spark's integer ids through a labels array or a Map, and fills seen items from interactions", async () => {
    const userLabels: string[] = [];
    for (let id = 0; id <= 81; id++) userLabels.push(`account-${id}`);
    const itemMap = new Map<number, string>(reference.items.ids.map((id) => [id as number, `sku-${id}`]));
    const interactions = createInteractions([{ user: "account-3", item: "sku-100" }, { user: "account-3", item: "sku-104" }]);
    const model = await readSparkAlsModel(standard, { userIds: userLabels, itemIds: itemMap, interactions, alpha: 40 });
    expect(model.users.ids[0]).toBe("account-3");
    expect(model.items.ids[4]).toBe("sku-104");
    expect(Array.from(implicitAlsRecommender(model).seenItems(0))).toEqual([0, 4]);
    expect(model.alpha).toBe(40);
    const unmapped = await rejectionOf(readSparkAlsModel(standard, { userIds: ["only-one"] }));
    expect(unmapped.message).toMatch(/options\.userIds must map every Spark id, got no entry for 3/);
  });

  it("names the path for a missing part, a malformed part, a wrong rank and a non-ALS class", async () => {
    const missing = copyOf(standard);
    for (const name of readdirSync(path.join(missing, "itemFactors"))) rmSync(path.join(missing, "itemFactors", name));
    const noParts = await rejectionOf(readSparkAlsModel(missing));
    expect(noParts.code).toBe("E_BAD_INPUT");
    expect(noParts.message).toContain(JSON.stringify(path.join(missing, "itemFactors")));

    const noFolder = copyOf(standard);
    rmSync(path.join(noFolder, "userFactors"), { recursive: true });
    expect((await rejectionOf(readSparkAlsModel(noFolder))).message).toContain(JSON.stringify(path.join(noFolder, "userFactors")));

    const malformed = copyOf(standard);
    const part = path.join(malformed, "userFactors", readdirSync(path.join(malformed, "userFactors")).sort()[1]!);
    truncateSync(part, 200);
    const broken = await rejectionOf(readSparkAlsModel(malformed));
    expect(broken.code).toBe("E_BAD_INPUT");
    expect(broken.message).toContain(JSON.stringify(part));

    const wrongRank = copyOf(standard);
    const metadataFile = path.join(wrongRank, "metadata", "part-00000");
    writeFileSync(metadataFile, readFileSync(metadataFile, "utf8").replace('"rank":8', '"rank":9'));
    const shape = await rejectionOf(readSparkAlsModel(wrongRank));
    expect(shape.code).toBe("E_SHAPE");
    expect(shape.message).toMatch(/userFactors row 0 features must have the metadata rank 9, got 8 values in ".*part-00000-6f1c2a4e-fixture-c000\.snappy\.parquet"/);

    const notAls = copyOf(standard);
    const notAlsFile = path.join(notAls, "metadata", "part-00000");
    writeFileSync(notAlsFile, readFileSync(notAlsFile, "utf8").replace("recommendation.ALSModel", "classification.LogisticRegressionModel"));
    const wrongClass = await rejectionOf(readSparkAlsModel(notAls));
    expect(wrongClass.message).toContain('metadata class must be "org.apache.spark.ml.recommendation.ALSModel", got "org.apache.spark.ml.classification.LogisticRegressionModel"');
    expect(wrongClass.message).toContain(JSON.stringify(notAlsFile));

    const badJson = copyOf(standard);
    writeFileSync(path.join(badJson, "metadata", "part-00000"), "{not json\n");
    expect((await rejectionOf(readSparkAlsModel(badJson))).message).toContain("the metadata file must hold one JSON line");
  });
});

describe("writeSparkAlsModel", () => {
  it("round-trips a fitted model with string ids: identical factors and identical recommendations", async () => {
    const records = [];
    for (let u = 0; u < 30; u++) for (let i = 0; i < 12; i++) if ((u * 7 + i * 3) % 5 < 2) records.push({ user: `acct-${u}`, item: `sku-${i}`, value: 1 + ((u + i) % 3) });
    const interactions = createInteractions(records);
    const model = fitImplicitAls(interactions, { factors: 6, iterations: 4, seed: 7 });
    const target = path.join(scratch, "round-trip");
    const written = await writeSparkAlsModel(model, target, { indexIds: true, rowsPerPart: 8 });
    expect(written.files.filter((file) => file.startsWith("userFactors/part-")).length).toBe(4);
    const metadata = JSON.parse(readFileSync(path.join(target, "metadata", "part-00000"), "utf8"));
    expect([metadata.class, metadata.rank, typeof metadata.timestamp, metadata.paramMap]).toEqual(["org.apache.spark.ml.recommendation.ALSModel", 6, "number", {}]);
    const again = await readSparkAlsModel(target, { userIds: written.userLabels!, itemIds: written.itemLabels!, interactions });
    expect(again.users.ids).toEqual(model.users.ids);
    expect(Array.from(again.userFactors)).toEqual(Array.from(model.userFactors));
    expect(Array.from(again.itemFactors)).toEqual(Array.from(model.itemFactors));
    expect([again.alpha, again.regularization]).toEqual([model.alpha, model.regularization]);
    const before = implicitAlsRecommender(model);
    const after = implicitAlsRecommender(again);
    for (const user of model.users.ids) expect(recommend(after, user, { k: 5 })).toEqual(recommend(before, user, { k: 5 }));
  });

  it("keeps integer ids as Spark ids, and refuses string ids without indexIds or an existing path", async () => {
    const target = path.join(scratch, "integer-ids");
    const written = await writeSparkAlsModel(reference, target);
    expect(written.userLabels).toBeUndefined();
    expect((await readSparkAlsModel(target)).users.ids).toEqual(reference.users.ids);
    const existing = await rejectionOf(writeSparkAlsModel(reference, target));
    expect(existing.message).toContain("path must not exist yet");
    const named = alsFromSparkJsonLines({ userFactors: '{"id":"acme","features":[1]}', itemFactors: '{"id":1,"features":[1]}' });
    const refused = await rejectionOf(writeSparkAlsModel(named, path.join(scratch, "named")));
    expect(refused.message).toContain('model.users ids must be 32-bit integers for Spark (or set options.indexIds), got "acme" at row 0');
  });

  it("property: any factor tables with integer ids come back bit for bit", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(sparkTables, async (tables) => {
        const { userIds, itemIds, rowsPerPart } = tables;
        const model = sparkTablesModel(tables);
        const target = path.join(scratch, `property-${run++}`);
        await writeSparkAlsModel(model, target, { rowsPerPart });
        const again = await readSparkAlsModel(target);
        expect(again.users.ids).toEqual(userIds);
        expect(again.items.ids).toEqual(itemIds);
        expect(Array.from(again.userFactors)).toEqual(Array.from(model.userFactors));
        expect(Array.from(again.itemFactors)).toEqual(Array.from(model.itemFactors));
      }),
      { seed: 18, numRuns: 25 },
    );
  });
});
