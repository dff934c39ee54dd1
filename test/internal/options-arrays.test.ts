// Options given as an array were accepted (e.g. `fitPopularity(data, [])`, read as "no options"): every public
// function that takes an options object now rejects an array, naming itself.
import { describe, expect, it } from "vitest";
import { createInteractions, splitTemporal } from "../../src/data/index.ts";
import { fitPopularity, fitRandom } from "../../src/baselines/index.ts";
import { fitImplicitAls } from "../../src/factorization/index.ts";
import { fitEase, fitItemItemImplicit } from "../../src/neighbors/index.ts";
import { ndcgAtK } from "../../src/metrics/index.ts";
import { fitBuyAgain } from "../../src/repeat/index.ts";
import { fitNextBestProducts } from "../../src/pipeline/index.ts";
import { fitKMeans } from "../../src/segments/index.ts";

const data = createInteractions([
  { user: "a", item: "x", timestamp: 1 },
  { user: "b", item: "y", timestamp: 2 },
  { user: "a", item: "y", timestamp: 3 },
]);

describe("options must be objects, not arrays", () => {
  const cases: [string, () => unknown][] = [
    ["fitPopularity", () => fitPopularity(data, [] as never)],
    ["fitRandom", () => fitRandom(data, [] as never)],
    ["fitImplicitAls", () => fitImplicitAls(data, [] as never)],
    ["fitEase", () => fitEase(data, [] as never)],
    ["fitItemItemImplicit", () => fitItemItemImplicit(data, [] as never)],
    ["splitTemporal", () => splitTemporal(data, [] as never)],
    ["createInteractions", () => createInteractions([{ user: "a", item: "x" }], [] as never)],
    ["ndcgAtK", () => ndcgAtK(["x"], ["x"], [] as never)],
    ["fitBuyAgain", () => fitBuyAgain(data, [] as never)],
    ["fitNextBestProducts", () => fitNextBestProducts(data, [] as never)],
    ["fitKMeans", () => fitKMeans([[0], [1]], [] as never)],
  ];
  for (const [name, call] of cases) {
    it(`${name} rejects an array`, () => {
      expect(call).toThrow(`${name}: options must be an object`);
    });
  }
});
