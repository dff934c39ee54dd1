import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createInteractions } from "../../src/data/index.ts";
import {
  alsFromSparkJsonLines,
  alsToSparkJsonLines,
  fitImplicitAls,
  foldInUser,
  implicitAlsFromJSON,
  implicitAlsRecommender,
  implicitAlsToJSON,
} from "../../src/factorization/index.ts";
import { recommend, scoreItems } from "../../src/recommend/index.ts";
import { expectError } from "../helpers.ts";

const fixtures = path.join(import.meta.dirname, "fixtures");
const userFactors = readFileSync(path.join(fixtures, "spark-als-userFactors.json"), "utf8");
const itemFactors = readFileSync(path.join(fixtures, "spark-als-itemFactors.json"), "utf8");

describe("alsFromSparkJsonLines", () => {
  it("reads the fixture tables in file order with their numeric ids and rank", () => {
    const model = alsFromSparkJsonLines({ userFactors, itemFactors });
    expect(model.users.ids).toEqual([1, 7, 3]);
    expect(model.items.ids).toEqual([100, 200, 300, 400]);
    expect(model.factors).toBe(3);
    expect([model.alpha, model.regularization]).toEqual([1, 0.1]);
    expect(Array.from(model.userFactors)).toEqual(Array.from(Float32Array.from([0.12, -0.5, 0.25, 0.9, 0.1, -0.3, -0.2, 0.4, 0.75])));
  });

  it("scores are the dot products of the Spark factors (hand-computed for user 7)", () => {
    const rec = implicitAlsRecommender(alsFromSparkJsonLines({ userFactors, itemFactors }));
    // user 7 = (0.9, 0.1, -0.3): item 100: 0.45+0.05-0.15 = 0.35; 200: 0.9-0.025 = 0.875; 300: -0.45-0.3 = -0.75; 400: -0.0375
    const scores = Array.from(scoreItems(rec, 7).scores);
    [0.35, 0.875, -0.75, -0.0375].forEach((expected, i) => expect(scores[i]).toBeCloseTo(expected, 6));
    expect(recommend(rec, 7, { k: 2 }).items.map((r) => r.item)).toEqual([200, 100]);
  });

  it("takes the seen items from the training interactions, ignoring ids outside the tables", () => {
    const interactions = createInteractions([
      { user: 7, item: 200 }, { user: 7, item: 100 }, { user: 1, item: 300 }, { user: 99, item: 100 }, { user: 3, item: 999 },
    ]);
    const model = alsFromSparkJsonLines({ userFactors, itemFactors, interactions, alpha: 40, regularization: 0.05 });
    const rec = implicitAlsRecommender(model);
    expect(Array.from(rec.seenItems(1))).toEqual([0, 1]);
    expect(Array.from(rec.seenItems(0))).toEqual([2]);
    expect(Array.from(rec.seenItems(2))).toEqual([]);
    expect(recommend(rec, 7, { k: 1 }).items[0]!.item).toBe(400);
    expect(foldInUser(model, [{ item: 200 }]).length).toBe(3);
    expect([model.alpha, model.regularization]).toEqual([40, 0.05]);
  });

  it("round-trips through alsToSparkJsonLines and the model JSON", () => {
    const model = alsFromSparkJsonLines({ userFactors, itemFactors });
    const again = alsFromSparkJsonLines(alsToSparkJsonLines(model));
    expect(Array.from(again.userFactors)).toEqual(Array.from(model.userFactors));
    expect(Array.from(again.itemFactors)).toEqual(Array.from(model.itemFactors));
    expect(again.users.ids).toEqual(model.users.ids);
    const restored = implicitAlsFromJSON(JSON.parse(JSON.stringify(implicitAlsToJSON(model))));
    expect(Array.from(restored.itemFactors)).toEqual(Array.from(model.itemFactors));
  });

  it("exports a fitted model line by line, exactly, and reads it back", () => {
    const data = createInteractions([{ user: 1, item: 10 }, { user: 1, item: 20 }, { user: 2, item: 20 }]);
    const model = fitImplicitAls(data, { factors: 4, iterations: 3 });
    const tables = alsToSparkJsonLines(model);
    const lines = tables.itemFactors.trim().split("\n").map((line) => JSON.parse(line) as { id: number; features: number[] });
    expect(lines.map((l) => l.id)).toEqual([10, 20]);
    expect(lines[1]!.features).toEqual(Array.from(model.itemFactors.subarray(4, 8)));
    const back = alsFromSparkJsonLines({ ...tables, interactions: data });
    expect(recommend(implicitAlsRecommender(back), 2)).toEqual(recommend(implicitAlsRecommender(model), 2));
  });

  it("rejects malformed tables naming the line", () => {
    expectError(() => alsFromSparkJsonLines({ userFactors: "{not json", itemFactors }), "E_BAD_INPUT", "alsFromSparkJsonLines: userFactors line 1 must be a JSON object");
    expectError(() => alsFromSparkJsonLines({ userFactors, itemFactors: `${itemFactors}{"id":5,"features":[1,2]}` }), "E_SHAPE", "itemFactors line 5.features must have the rank 3 of the first row, got length 2");
    expectError(() => alsFromSparkJsonLines({ userFactors: `${userFactors}{"id":7,"features":[1,2,3]}`, itemFactors }), "E_DUPLICATE", "userFactors ids must be unique, got 7 twice (row 3)");
    expectError(() => alsFromSparkJsonLines({ userFactors: '{"id":1,"features":[1,"x",3]}', itemFactors }), "E_BAD_INPUT", "userFactors line 1.features[1] must be a finite number");
    expectError(() => alsFromSparkJsonLines({ userFactors: '{"features":[1]}', itemFactors }), "E_BAD_INPUT", "userFactors line 1.id must be a number or a string");
    expectError(() => alsFromSparkJsonLines({ userFactors: "\n\n", itemFactors }), "E_EMPTY", "userFactors must hold at least one row");
    expectError(() => alsToSparkJsonLines({ kind: "bpr" } as never), "E_BAD_MODEL", "must be a version-1 implicit ALS model");
  });
});
