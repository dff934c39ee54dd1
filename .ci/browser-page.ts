// The page script of `npm run check:browser`: the ESM build (dist/) bundled for the browser computes recommendations
// and an explanation; the result is left on window.__nextbest for the check to read.
import { createInteractions, fitItemItemImplicit, itemItemImplicitRecommender, fitPopularity, popularityRecommender, blendRecommenders, explainBlend, recommend, simdAvailable, fitImplicitAls } from "../dist/index.js";
import { parseBigQueryMfWeights, parseSparkAlsModel, sparkAlsModelToFiles } from "../dist/interop/index.js";

declare global {
  interface Window {
    __nextbest?: unknown;
  }
}

try {
  const purchases = createInteractions([
    { user: "acme", item: "crm" },
    { user: "acme", item: "analytics" },
    { user: "globex", item: "crm" },
    { user: "globex", item: "support" },
    { user: "initech", item: "crm" },
    { user: "initech", item: "analytics" },
    { user: "hooli", item: "support" },
  ]);
  const cf = itemItemImplicitRecommender(fitItemItemImplicit(purchases));
  const popularity = popularityRecommender(fitPopularity(purchases));
  const hybrid = blendRecommenders(
    [
      { name: "cf", recommender: cf, weight: 0.7 },
      { name: "popularity", recommender: popularity, weight: 0.3 },
    ],
    { normalization: "min-max" },
  );
  const list = recommend(hybrid, "globex", { k: 2 });
  const why = explainBlend(hybrid, "globex", list.items[0]!.item);
  // The WebAssembly SIMD kernels load in the browser (synchronous compile on the main thread) and agree with the
  // JavaScript kernels; ALS runs on one thread here (the main thread may not block on workers).
  const alsOf = (kernels: "webassembly" | "javascript") => fitImplicitAls(purchases, { factors: 3, iterations: 5, kernels });
  const wasmAls = simdAvailable() ? alsOf("webassembly") : undefined;
  const jsAls = alsOf("javascript");
  const alsDifference = wasmAls === undefined ? Number.NaN : Math.max(...Array.from(wasmAls.userFactors, (v, q) => Math.abs(v - jsAls.userFactors[q]!)));
  // nextbest/interop in the browser: the ALS model as a Spark ALSModel directory's bytes (snappy Parquet) and back, and
  // a BigQuery ML weights export.
  const sparkFiles = await sparkAlsModelToFiles(jsAls, { indexIds: true });
  const fromSpark = await parseSparkAlsModel(
    { metadata: sparkFiles.metadata, userFactors: sparkFiles.userFactors.map((part) => part.bytes.slice().buffer), itemFactors: sparkFiles.itemFactors },
    { userIds: sparkFiles.userLabels!, itemIds: sparkFiles.itemLabels! },
  );
  const fromBigQuery = parseBigQueryMfWeights('{"processed_input":"user","feature":"acme","factor_weights":[{"factor":1,"weight":2}],"intercept":1}\n{"processed_input":"item","feature":"crm","factor_weights":[{"factor":1,"weight":3}],"intercept":0.5}');
  const interop = {
    sparkSame: fromSpark.users.ids.join() === jsAls.users.ids.join() && Array.from(fromSpark.userFactors).every((v, q) => v === jsAls.userFactors[q]) && Array.from(fromSpark.itemFactors).every((v, q) => v === jsAls.itemFactors[q]),
    bigQueryScore: Array.from(fromBigQuery.userFactors).reduce((sum, v, q) => sum + v * fromBigQuery.itemFactors[q]!, 0),
  };
  // Worker threads: inside a Web Worker of this cross-origin-isolated page, nextbest starts its own nested workers.
  const worker = await new Promise((resolve) => {
    const thread = new Worker("/worker.js", { type: "module" });
    thread.onmessage = (event) => resolve(event.data);
    thread.onerror = (event) => resolve({ error: event.message });
  });
  window.__nextbest = {
    worker,
    interop,
    simd: simdAvailable(),
    alsDifference,
    userAgent: navigator.userAgent,
    items: list.items.map((entry) => entry.item),
    score: list.items[0]!.score,
    parts: why.base + why.contributions.reduce((sum, c) => sum + c.contribution, 0),
    contributions: why.contributions.map((c) => c.name),
  };
  document.body.textContent = `nextbest in the browser: ${list.items.map((entry) => entry.item).join(", ")}`;
} catch (error) {
  window.__nextbest = { error: String((error as Error).stack ?? error) };
}
