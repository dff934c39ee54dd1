// Errors that named the wrong thing (issue 15): a public function that delegates to another public function let the
// inner one's name and argument through (`fitContentRecommender` with a repeated id said `createIdIndex: ids must be
// unique`; `segmentRows` said `fitKMeans` or `fitFeatureEncoder`; `blendFromSpec` said `blendRecommenders`;
// `fitFirmographicProjection` said `choleskyFactor`; `b2bPurchaseInteractions` said `createInteractions: rows[0]`;
// `readWholesaleCustomers` said `parseWholesaleCustomers`). Every message now names the function the user called and
// the argument path they passed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIdIndex } from "../../src/core/index.ts";
import { createInteractions, splitTemporalWindow } from "../../src/data/index.ts";
import { csrFromTriplets, denseFromRows, topK } from "../../src/linalg/index.ts";
import { contentRecommender, fitContentRecommender, fitFirmographicProjection, fitIntentModel, fitLookAlikeModel } from "../../src/content/index.ts";
import { blendFromSpec } from "../../src/hybrid/index.ts";
import type { Recommender } from "../../src/recommend/index.ts";
import { assignSegments, kMeansElbow, segmentRows } from "../../src/segments/index.ts";
import { b2bPurchaseInteractions } from "../../src/datasets/index.ts";
import { readCrmSalesOpportunities, readWholesaleCustomers } from "../../src/node/index.ts";
import { fitPopularity, popularityRecommender } from "../../src/baselines/index.ts";
import { evaluateNextPurchases } from "../../src/evaluation/index.ts";
import { fitNextBestProducts, recommendNextBestProducts } from "../../src/pipeline/index.ts";
import { errorOf, rejectionOf } from "../helpers.ts";

const purchases = createInteractions([{ user: "m1", item: "crm" }, { user: "r1", item: "erp" }]);
const catalog = { ids: ["crm", "erp"], features: denseFromRows([[1, 0], [0, 1]]) };

function expectNamed(run: () => unknown, code: string, message: string): void {
  const error = errorOf(run);
  expect(error.code).toBe(code);
  expect(error.message).toBe(message);
}

describe("repeated ids name the function called and the ids' argument path", () => {
  it("fitContentRecommender: catalog.ids", () => {
    expectNamed(
      () => fitContentRecommender(purchases, { ids: ["crm", "erp", "crm"], features: denseFromRows([[1, 0], [0, 1], [1, 1]]) }),
      "E_DUPLICATE",
      'fitContentRecommender: catalog.ids[2] must be unique, got "crm", which repeats catalog.ids[0]',
    );
  });

  it("fitLookAlikeModel: accounts.ids", () => {
    expectNamed(
      () => fitLookAlikeModel(purchases, { ids: ["m1", "r1", "r1"], features: denseFromRows([[1, 0], [0, 1], [1, 1]]) }),
      "E_DUPLICATE",
      'fitLookAlikeModel: accounts.ids[2] must be unique, got "r1", which repeats accounts.ids[1]',
    );
  });

  it("fitFirmographicProjection: accounts.ids", () => {
    const model = fitContentRecommender(purchases, catalog);
    expectNamed(
      () => fitFirmographicProjection(model, { ids: ["m1", "m1"], features: denseFromRows([[1, 0], [0, 1]]) }),
      "E_DUPLICATE",
      'fitFirmographicProjection: accounts.ids[1] must be unique, got "m1", which repeats accounts.ids[0]',
    );
  });

  it("contentRecommender: options.accounts.ids", () => {
    const model = fitContentRecommender(purchases, catalog);
    const accounts = { ids: [7, 7], features: denseFromRows([[1, 0], [0, 1]]) };
    expectNamed(
      () => contentRecommender(model, { accounts, projection: denseFromRows([[1, 0], [0, 1]]) }),
      "E_DUPLICATE",
      "contentRecommender: options.accounts.ids[1] must be unique, got 7, which repeats options.accounts.ids[0]",
    );
  });

  it("fitIntentModel: catalog.ids", () => {
    expectNamed(
      () => fitIntentModel([], { ids: ["crm", "crm"], topics: [["sales"], ["sales"]] }),
      "E_DUPLICATE",
      'fitIntentModel: catalog.ids[1] must be unique, got "crm", which repeats catalog.ids[0]',
    );
  });

  it("an invalid id is named by its path too", () => {
    expectNamed(
      () => fitContentRecommender(purchases, { ids: ["crm", Number.NaN], features: denseFromRows([[1, 0], [0, 1]]) }),
      "E_NON_FINITE",
      "fitContentRecommender: catalog.ids[1] must be a string or a finite number, got NaN",
    );
  });

  it("property: the message names the first repeat and the position it repeats", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 8 }), fc.nat(), (unique, from) => {
        const first = from % unique.length;
        const at = unique.length;
        const ids = [...unique, unique[first]!];
        const features = denseFromRows(ids.map(() => [1, 0]));
        const error = errorOf(() => fitContentRecommender(purchases, { ids, features }));
        expect(error.code).toBe("E_DUPLICATE");
        expect(error.message).toBe(
          `fitContentRecommender: catalog.ids[${at}] must be unique, got ${JSON.stringify(unique[first]!.length > 60 ? `${unique[first]!.slice(0, 57)}...` : unique[first])}, which repeats catalog.ids[${first}]`,
        );
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("fitFirmographicProjection names itself, not choleskyFactor", () => {
  const model = fitContentRecommender(purchases, catalog);

  it("features so large that AᵀA overflows", () => {
    const error = errorOf(() => fitFirmographicProjection(model, { ids: ["m1", "r1"], features: denseFromRows([[1e200, 0], [0, 1]]) }));
    expect(error.code).toBe("E_NON_FINITE");
    expect(error.message).toBe(
      "fitFirmographicProjection: accounts.features must be small enough for a finite Gram matrix AᵀA, got Infinity for columns 0 and 0 (rescale the features)",
    );
  });

  it("collinear features with a ridge too small to help", () => {
    const error = errorOf(() =>
      fitFirmographicProjection(model, { ids: ["m1", "r1"], features: denseFromRows([[1, 2], [2, 4]]) }, { ridge: 1e-300 }),
    );
    expect(error.code).toBe("E_NOT_CONVERGED");
    expect(error.message).toBe(
      "fitFirmographicProjection: options.ridge must make AᵀA + ridge·I positive definite (accounts.features column 1 is collinear with earlier ones to working precision), got 1e-300; raise it",
    );
  });
});

describe("blendFromSpec names itself and the spec's paths, not blendRecommenders", () => {
  const cf: Recommender = {
    name: "cf",
    users: createIdIndex(["acme"]),
    items: createIdIndex(["a", "b"]),
    scoreUser(_user, out) {
      out.set([1, 2]);
    },
    seenItems() {
      return [];
    },
  };
  const spec = (overrides: Record<string, unknown>) =>
    ({ kind: "blend", version: 1, name: "hybrid", normalization: "min-max", missing: "min", components: [{ name: "cf", weight: 1 }], ...overrides }) as never;

  it("a non-finite weight", () => {
    expectNamed(
      () => blendFromSpec(spec({ components: [{ name: "cf", weight: Number.NaN }] }), new Map([["cf", cf]])),
      "E_NON_FINITE",
      "blendFromSpec: spec.components[0].weight must be finite, got NaN",
    );
  });

  it("a repeated component name", () => {
    expectNamed(
      () => blendFromSpec(spec({ components: [{ name: "cf", weight: 1 }, { name: "cf", weight: 2 }] }), new Map([["cf", cf]])),
      "E_DUPLICATE",
      'blendFromSpec: spec.components[1].name must be unique, got "cf" again',
    );
  });

  it("an unknown normalization", () => {
    const error = errorOf(() => blendFromSpec(spec({ normalization: "softmax" }), new Map([["cf", cf]])));
    expect(error.message).toMatch(/^blendFromSpec: spec\.normalization must be one of /);
  });

  it("a malformed recommender in the map", () => {
    const broken = { ...cf, scoreUser: 1 } as unknown as Recommender;
    const error = errorOf(() => blendFromSpec(spec({}), new Map([["cf", broken]])));
    expect(error.message).toBe('blendFromSpec: recommenders.get("cf"): recommender.scoreUser must be a function, got 1');
  });
});

describe("segmentRows, kMeansElbow and assignSegments name themselves, not fitKMeans, fitFeatureEncoder or encodeRows", () => {
  const schema = [{ field: "seats", kind: "numeric" as const }];

  it("a malformed schema entry is options.schema[i]", () => {
    expectNamed(
      () => segmentRows([{ seats: 1 }, { seats: 2 }], { schema: [{ name: "seats" }] as never, k: 2 }),
      "E_BAD_INPUT",
      "segmentRows: options.schema[0] must be an object with a string field, got an object",
    );
  });

  it("a bad value is rows[r].field", () => {
    expectNamed(
      () => segmentRows([{ seats: 1 }, { seats: Number.NaN }], { schema, k: 2 }),
      "E_NON_FINITE",
      "segmentRows: rows[1].seats must be a finite number, got NaN",
    );
  });

  it("k and restarts are segmentRows' own options", () => {
    expectNamed(() => segmentRows([{ seats: 1 }, { seats: 2 }], { schema, k: 3 }), "E_BAD_INPUT", "segmentRows: options.k must be an integer in [1, 2], got 3");
    expectNamed(
      () => segmentRows([{ seats: 1 }, { seats: 2 }], { schema, k: 2, restarts: 0 }),
      "E_BAD_INPUT",
      "segmentRows: options.restarts must be an integer in [1, 1000], got 0",
    );
  });

  it("profile fields and profile options are options.profile[i] and options.profileOptions", () => {
    const rows = [{ seats: 1 }, { seats: 2 }];
    expectNamed(
      () => segmentRows(rows, { schema, k: 2, profile: [{ kind: "numeric" }] as never }),
      "E_BAD_INPUT",
      "segmentRows: options.profile[0] must be an object with a string field, got an object",
    );
    expectNamed(
      () => segmentRows(rows, { schema, k: 2, profileOptions: { maxHighlights: -1 } }),
      "E_BAD_INPUT",
      "segmentRows: options.profileOptions.maxHighlights must be an integer >= 0, got -1",
    );
  });

  it("kMeansElbow checks restarts and the silhouette sample itself", () => {
    expectNamed(() => kMeansElbow([[0], [1], [5]], { restarts: 0 }), "E_BAD_INPUT", "kMeansElbow: options.restarts must be an integer in [1, 1000], got 0");
    expectNamed(
      () => kMeansElbow([[0], [1], [5]], { silhouetteSampleSize: 0 }),
      "E_BAD_INPUT",
      "kMeansElbow: options.silhouetteSampleSize must be an integer >= 1, got 0",
    );
  });

  it("assignSegments names its segmentation and its rows", () => {
    const segmentation = segmentRows([{ seats: 1 }, { seats: 100 }], { schema, k: 2 });
    expectNamed(() => assignSegments(segmentation, [{ seats: "many" }] as never), "E_BAD_INPUT", 'assignSegments: rows[0].seats must be a finite number, got "many"');
    expect(errorOf(() => assignSegments({} as never, [{ seats: 1 }])).message).toMatch(/^assignSegments: segmentation must be the output of segmentRows/);
    expect(Array.from(assignSegments(segmentation, [{ seats: 90 }, { seats: 2 }]))).toEqual(Array.from(segmentation.model.labels).reverse());
  });
});

describe("b2bPurchaseInteractions names itself and purchases[k], not createInteractions and rows[k]", () => {
  it("a NaN timestamp, a NaN account, a missing amount", () => {
    expectNamed(
      () => b2bPurchaseInteractions([{ account: "a", product: "x", amount: 1, timestamp: 1 }, { account: "a", product: "y", amount: 1, timestamp: Number.NaN }]),
      "E_NON_FINITE",
      "b2bPurchaseInteractions: purchases[1].timestamp must be a finite number, got NaN",
    );
    expectNamed(
      () => b2bPurchaseInteractions([{ account: Number.NaN as never, product: "x", amount: 1, timestamp: 1 }]),
      "E_NON_FINITE",
      "b2bPurchaseInteractions: purchases[0].account must be a string or a finite number, got NaN",
    );
    expectNamed(
      () => b2bPurchaseInteractions([{ account: "a", product: "x", timestamp: 1 } as never], { value: "amount" }),
      "E_BAD_INPUT",
      "b2bPurchaseInteractions: purchases[0].amount must be a number, got undefined",
    );
  });

  it("the strict createInteractions options name the purchases", () => {
    const repeated = [
      { account: "a", product: "x", amount: 1, timestamp: 1 },
      { account: "b", product: "x", amount: 1, timestamp: 2 },
      { account: "a", product: "x", amount: 1, timestamp: 3 },
    ];
    const duplicate = errorOf(() => b2bPurchaseInteractions(repeated, { duplicates: "error" }));
    expect(duplicate.code).toBe("E_DUPLICATE");
    expect(duplicate.message).toBe(
      'b2bPurchaseInteractions: a (user, item) pair must not repeat under duplicates "error", got user "a", item "x" at purchases[0] and purchases[2]',
    );
    expectNamed(
      () => b2bPurchaseInteractions(repeated, { users: createIdIndex(["a"]), unknownIds: "error" }),
      "E_UNKNOWN_ID",
      'b2bPurchaseInteractions: purchases[1].account must be a user of options.users (options.unknownIds is "error"), got "b"',
    );
    expect(errorOf(() => b2bPurchaseInteractions(repeated, { duplicates: "first" as never })).message).toMatch(/^b2bPurchaseInteractions: options\.duplicates must be /);
  });

  it("builds the same interactions as before: accounts × products, summed, latest timestamp", () => {
    const data = b2bPurchaseInteractions(
      [
        { account: "acme", product: "crm", amount: 500, timestamp: 1 },
        { account: "acme", product: "crm", amount: 700, timestamp: 5 },
        { account: "bolt", product: "erp", amount: 300, timestamp: 2 },
      ],
      { value: "amount" },
    );
    expect(data.users.ids).toEqual(["acme", "bolt"]);
    expect(data.items.ids).toEqual(["crm", "erp"]);
    expect(Array.from(data.byUser.values)).toEqual([1200, 300]);
    expect(Array.from(data.timestamps!)).toEqual([5, 2]);
  });
});

describe("the Node readers name themselves, not the parser they use", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "nextbest-error-names-"));

  it("readWholesaleCustomers", async () => {
    const file = path.join(folder, "wholesale.csv");
    writeFileSync(file, "Channel,Region,Fresh,Milk,Grocery,Frozen,Detergents_Paper,Delicassen\n4,3,1,1,1,1,1,1\n");
    const error = await rejectionOf(readWholesaleCustomers(file));
    expect(error.message).toBe(`readWholesaleCustomers: line 2, column "Channel" must be 1 (horeca) or 2 (retail), got "4" (in ${JSON.stringify(file)})`);
  });

  it("readCrmSalesOpportunities", async () => {
    const crm = mkdtempSync(path.join(folder, "crm-"));
    writeFileSync(path.join(crm, "accounts.csv"), "account,sector,year_established,revenue,employees,office_location,subsidiary_of\nAcme,retail,1990,lots,10,US,\n");
    writeFileSync(path.join(crm, "products.csv"), "product,series,sales_price\nGTX Basic,GTX,550\n");
    writeFileSync(path.join(crm, "sales_pipeline.csv"), "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n");
    const error = await rejectionOf(readCrmSalesOpportunities(crm));
    expect(error.message.startsWith("readCrmSalesOpportunities: line 2, column \"revenue\"")).toBe(true);
    expect(error.message).not.toContain("parseCrmAccounts");
  });
});

describe("composite evaluations and the pipeline name themselves", () => {
  const data = createInteractions([
    { user: "acme", item: "tea", timestamp: 1 },
    { user: "bolt", item: "tea", timestamp: 2 },
    { user: "acme", item: "tea", timestamp: 12 },
    { user: "bolt", item: "mug", timestamp: 13 },
  ]);
  const split = splitTemporalWindow(data, { cutoff: 10 });
  const model = popularityRecommender(fitPopularity(split.train));

  it("evaluateNextPurchases: k, metrics and the bootstrap (were evaluateRanking and bootstrapConfidenceInterval)", () => {
    expectNamed(() => evaluateNextPurchases(model, split, { task: "new-products", k: 0, bootstrap: false }), "E_BAD_INPUT", "evaluateNextPurchases: options.k must be a positive integer, got 0");
    expect(errorOf(() => evaluateNextPurchases(model, split, { task: "new-products", metrics: ["bogus" as never], bootstrap: false })).message).toMatch(
      /^evaluateNextPurchases: options\.metrics\[0\] must be one of /,
    );
    expectNamed(
      () => evaluateNextPurchases(model, split, { task: "all-products", bootstrap: { resamples: 1e9, seed: 1 } }),
      "E_BAD_INPUT",
      "evaluateNextPurchases: options.bootstrap.resamples must be an integer in [1, 1000000], got 1000000000",
    );
    expectNamed(
      () => evaluateNextPurchases(model, split, { task: "all-products", bootstrap: { resamples: 10 } as never }),
      "E_BAD_INPUT",
      "evaluateNextPurchases: options.bootstrap.seed must be a finite number or a string, got undefined",
    );
  });

  it("recommendNextBestProducts: the account id (was recommend: user)", () => {
    const history = createInteractions(Array.from({ length: 400 }, (_, i) => ({ user: `a${i % 20}`, item: `p${(i * 7) % 13}`, timestamp: i * 86400 })));
    expectNamed(
      () => recommendNextBestProducts(fitNextBestProducts(history), Number.NaN),
      "E_NON_FINITE",
      "recommendNextBestProducts: account must be a string or a finite number, got NaN",
    );
  });
});

describe("linalg entry points name themselves instead of throwing TypeErrors", () => {
  it("topK without options, csrFromTriplets without triplets or with a missing array", () => {
    expectNamed(() => topK([1, 2], undefined as never), "E_BAD_INPUT", "topK: options must be an object with k, got undefined");
    expectNamed(
      () => csrFromTriplets(undefined as never),
      "E_BAD_INPUT",
      "csrFromTriplets: triplets must be { rows, cols, rowIndices, colIndices, values }, got undefined",
    );
    expectNamed(
      () => csrFromTriplets({ rows: 1, cols: 1, rowIndices: [0], colIndices: [0] } as never),
      "E_BAD_INPUT",
      "csrFromTriplets: triplets.values must be an array of numbers, got undefined",
    );
  });
});
