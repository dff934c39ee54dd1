// Benchmark runner: `npx tsx bench/run.ts [suite...]` (the speed suites by default). Each suite prints a table and writes
// bench/results/<suite>.json in the common format.
import { printTable, sink, writeResults, type SuiteResult } from "./lib.ts";

const suites: Record<string, () => Promise<SuiteResult>> = {
  linalg: async () => (await import("./linalg.ts")).runLinalg(),
  metrics: async () => (await import("./metrics.ts")).runMetrics(),
  "cf-speed": async () => (await import("./cf-speed.ts")).runCfSpeed(),
  "accuracy-ml100k": async () => (await import("./accuracy-ml100k.ts")).runAccuracyMl100k(),
  hybrid: async () => (await import("./hybrid.ts")).runHybrid(),
  accounts: async () => (await import("./accounts.ts")).runAccounts(),
  sequence: async () => (await import("./sequence.ts")).runSequence(),
  analytics: async () => (await import("./analytics.ts")).runAnalytics(),
  explain: async () => (await import("./explain.ts")).runExplain(),
  b2b: async () => (await import("./b2b.ts")).runB2b(),
  defaults: async () => (await import("./choose-defaults.ts")).runChooseDefaults(),
  interop: async () => (await import("./interop.ts")).runInterop(),
};

// With no argument: the speed suites. The accuracy suite (real data, about 30 s) runs by name (npm run bench:accuracy),
// as does the choice of the rating models' defaults (npm run bench:defaults, several minutes).
const speedSuites = ["linalg", "metrics", "cf-speed", "analytics"];
const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : speedSuites;
const unknown = names.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`bench: unknown suite(s) ${unknown.join(", ")}; known: ${Object.keys(suites).join(", ")}`);
  process.exit(1);
}
for (const name of names) {
  console.log(`running ${name} ...`);
  const started = performance.now();
  const result = await suites[name]!();
  printTable(result);
  const path = writeResults(result);
  console.log(`\nwrote ${path} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
if (sink === 0.123456789) console.log(""); // keeps the sink observable
