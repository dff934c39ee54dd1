// Package hygiene checks, run by `npm run check:package` after `npm run build`:
//   1. publint --strict on the package,
//   2. @arethetypeswrong/cli on the packed tarball (node16 and bundler resolution, ESM and CJS),
//   3. the packed tarball imported from Node ESM, Node CJS, tsx and Deno, every subpath,
//   4. tree-shaking: `import "nextbest"` bundles to nothing, and `import { cosineSimilarity } from "nextbest"`
//      bundles small with no code of other domains or dependencies, and only blendByFormula pulls in mathjs,
//   5. a size budget per subpath (minified + gzip of the whole subpath).
// Exits non-zero on the first failed check, printing what failed.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, readFileSync, writeFileSync, symlinkSync, existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const work = join(root, ".tmp", "check-package");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const subpaths = Object.keys(pkg.exports).filter((key) => key !== "./package.json");

// Budgets in bytes, minified + gzip, for the whole subpath, our code only (dependencies external) (`import * as all from "nextbest/<subpath>"`).
const budgets = new Map([
  [".", 187_000], // + the WebAssembly SIMD kernels (one module: the worker-thread variant differs in one byte), the thread pool, the event-log protocol scorer and Arrow input (181.6 kB), the recency window of lstmEventLogModel (182.2 kB), gemm packing and many-user scoring in the kernels, scoreUsers (183.7 kB), the LSTM's matrix products and backward cell step in the kernels (+1.8 kB: 186.0 kB); parseEventLogCsv's quoting, delimiters, offsets and dateFormat (186.6 kB); bounded waits for the worker threads (186.8 kB)
  ["./core", 2_500],
  ["./linalg", 23_500], // + the WebAssembly SIMD kernels (an 11 kB module shipped as base64: top-k selection, spmm, the SPD inverse's gemm, gemm packing, many-user scoring, the LSTM's products) and the thread pool for Node and browser Web Workers (22.0 kB; 23.0 kB with the LSTM kernels; 23.4 kB with bounded waits for the workers)
  ["./data", 16_000], // + the full check of hand-built Interactions, date patterns, decimal commas, where/skip-invalid, createInteractionsFromArrow (15.7 kB)
  ["./recommend", 5_400], // + recommendForHistory (4.8 kB), recommendMany over scoreUsers blocks (5.2 kB)
  ["./baselines", 7_400], // + the hand-built Interactions check (7.1 kB)
  ["./metrics", 9000],
  ["./evaluation", 21_000], // + the hand-built Interactions check (20.1 kB)
  ["./neighbors", 30_300], // + the hand-built Interactions check, the fitted-table check, scoreHistory, onProgress, the WebAssembly kernels with the similarity pass and EASE's inverse, worker threads (28.7 kB; 29.8 kB with the LSTM kernels in the shared module; 30.2 kB with bounded waits for the workers)
  ["./factorization", 46_200], // + the WebAssembly SIMD kernels and the thread pool for ALS, scoreUsers on threads (44.4 kB; 45.5 kB with the LSTM kernels in the shared module; 45.9 kB with the unrolled ALS and MF loops and the polar draws)
  ["./datasets", 18_000],
  ["./content", 26_700], // + the WebAssembly kernels and worker threads through the neighbour similarity pass (25.4 kB; 26.4 kB with the LSTM kernels in the shared module)
  ["./hybrid", 20_600],
  ["./explain", 18_500], // narrateRecommendation tells ten model kinds and reuses the repeat explainer (17.3 kB)
  ["./experiments", 6000],
  ["./drift", 6000],
  ["./segments", 12000],
  ["./sequence", 29_800], // + the recency window, the time blend and the seed ensemble of lstmEventLogModel, fitLstm daysLoss (18.5 kB); fitLstm's matrix products on the WebAssembly SIMD kernels (+8.5 kB: the whole kernels module as base64 and its loader, 27.0 kB); parseEventLogCsv on the data module's RFC 4180 tokenizer, ISO 8601 and dateFormat parsers (+2.5 kB, 29.5 kB)
  ["./accounts", 21_000], // the HTML report (with the waterfall renderer) and fitAccountScorers (logistic regression): 19.7 kB
  ["./classifiers", 10000],
  ["./repeat", 12_000],
  ["./pipeline", 70_600], // + hybridModelToJSON/FromJSON, which read and write every model kind, and the WebAssembly SIMD kernels with the thread pool (69.1 kB; 70.3 kB with the LSTM kernels in the shared module)
  ["./interop", 9_200], // parseSparkAlsModel (Parquet pages decoded into Float32Arrays), sparkAlsModelToFiles and parseBigQueryMfWeights (8.8 kB; hyparquet and hyparquet-writer stay external, loaded on first use)
  ["./node", 26_000], // + strict UTF-8 with byte offsets, Latin-1, the CSV reader's new options, readFeatureTableFile with the feature encoder (19.7 kB), readSparkAlsModel / writeSparkAlsModel as file wrappers over nextbest/interop's Spark code (25.7 kB; hyparquet and hyparquet-writer stay external, loaded on first use)
]);
// Budget for `import { cosineSimilarity } from "nextbest"`, minified, not gzipped.
const cosineBudget = 3_000;

let failures = 0;
function fail(message) {
  failures++;
  console.error(`FAIL ${message}`);
}
function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", ...options });
}
function step(name) {
  console.log(`\n== ${name}`);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

step("publint --strict");
try {
  console.log(run("npx", ["--no-install", "publint", "--strict"]).trim());
} catch (error) {
  fail(`publint: ${error.stdout ?? ""}${error.stderr ?? ""}`);
}

step("npm pack");
const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work]))[0];
const tarball = join(work, packed.filename);
console.log(`${packed.filename}: ${packed.entryCount} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
for (const file of packed.files) {
  if (!/^(dist\/|package\.json$|README\.md$|LICENSE)/.test(file.path)) fail(`unexpected file in the tarball: ${file.path}`);
}

step("attw --pack (profile node16: node16 CJS/ESM and bundler resolution)");
try {
  console.log(run("npx", ["--no-install", "attw", tarball, "--profile", "node16", "--format", "table-flipped"]).trim());
} catch (error) {
  fail(`attw: ${error.stdout ?? ""}${error.stderr ?? ""}`);
}

// Install the tarball into a scratch project; dependencies come from the repo's node_modules.
const app = join(work, "app");
const installed = join(app, "node_modules", "nextbest");
mkdirSync(installed, { recursive: true });
// A package.json of its own, so "nextbest" resolves to the installed tarball, not to the repo by self-reference.
writeFileSync(join(app, "package.json"), JSON.stringify({ name: "check-package-app", private: true, type: "module" }));
run("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
for (const dependency of Object.keys(pkg.dependencies ?? {})) {
  symlinkSync(join(root, "node_modules", dependency), join(app, "node_modules", dependency), "dir");
}

step("import the packed package from Node ESM and CJS");
for (const subpath of subpaths) {
  const specifier = subpath === "." ? "nextbest" : `nextbest/${subpath.slice(2)}`;
  try {
    const esm = run("node", ["--input-type=module", "-e", `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).length);`], { cwd: app }).trim();
    const cjs = run("node", ["-e", `console.log(Object.keys(require(${JSON.stringify(specifier)})).length);`], { cwd: app }).trim();
    if (esm !== cjs || esm === "0") fail(`${specifier}: ESM exports ${esm}, CJS exports ${cjs}`);
    else console.log(`${specifier}: ${esm} exports in ESM and CJS`);
  } catch (error) {
    fail(`${specifier}: ${error.stderr ?? error.message}`);
  }
}

step("the nextbest CLI from the installed tarball");
try {
  const version = run("node", [join(installed, "dist", "cli", "bin.js"), "--version"], { cwd: app }).trim();
  if (!version.includes(pkg.version)) fail(`nextbest --version printed ${JSON.stringify(version)}, expected ${pkg.version}`);
  const help = run("node", [join(installed, "dist", "cli", "bin.cjs"), "recommend", "--help"], { cwd: app });
  if (!help.includes("--interactions")) fail("nextbest recommend --help (CJS build) does not describe --interactions");
  console.log(`nextbest --version: ${version}; recommend --help: ${help.split("\n").length} lines`);
} catch (error) {
  fail(`nextbest CLI: ${error.stderr ?? error.message}`);
}

step("import the packed package from tsx and Deno");
for (const [runner, args] of [
  ["tsx", ["-e"]],
  ["deno", ["eval"]],
]) {
  const counts = [];
  for (const subpath of subpaths) {
    const specifier = subpath === "." ? "nextbest" : `nextbest/${subpath.slice(2)}`;
    try {
      const out = run(join(root, "node_modules", ".bin", runner), [...args, `import(${JSON.stringify(specifier)}).then((m) => console.log(Object.keys(m).length));`], { cwd: app }).trim();
      if (out === "0" || out === "") fail(`${runner} ${specifier}: no exports`);
      counts.push(out);
    } catch (error) {
      fail(`${runner} ${specifier}: ${error.stderr ?? error.message}`);
    }
  }
  console.log(`${runner}: ${counts.length} subpaths import (${counts.join(", ")} exports)`);
}

async function bundle(name, source, { platform = "browser", external = [] } = {}) {
  const entry = join(app, `${name}.mjs`);
  writeFileSync(entry, source);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    write: false,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: app,
    external: ["node:*", ...external],
  });
  const text = result.outputFiles[0].text;
  // Inputs that contributed bytes to the output (the metafile also lists files parsed and then shaken away).
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs).filter(([, info]) => info.bytesInOutput > 0).map(([path]) => path);
  return { text, bytes: Buffer.byteLength(text), gzip: gzipSync(text).length, inputs };
}

step("tree-shaking");
const bare = await bundle("bare", 'import "nextbest";\n');
if (bare.text.trim().length > 0) fail(`import "nextbest" must bundle to nothing, got ${bare.bytes} bytes`);
else console.log('import "nextbest": 0 bytes');

const cosine = await bundle(
  "cosine",
  'import { cosineSimilarity } from "nextbest";\nconsole.log(cosineSimilarity(new Float64Array([1, 2]), new Float64Array([2, 1])));\n',
);
const fromDependencies = cosine.inputs.filter((input) => input.includes("node_modules/") && !input.includes("node_modules/nextbest/"));
if (fromDependencies.length > 0) fail(`cosineSimilarity pulls in dependencies: ${fromDependencies.join(", ")}`);
if (cosine.bytes > cosineBudget) fail(`cosineSimilarity bundle is ${cosine.bytes} bytes, budget ${cosineBudget}`);
// Every public function names itself in its error messages ("<function>: ..."); none but cosine's own may appear.
const rootExports = Object.keys(await import(join(installed, "dist", "index.js")));
const foreign = rootExports.filter(
  (name) => name !== "cosineSimilarity" && /^[a-z]/.test(name) && cosine.text.includes(`${name}:`),
);
if (foreign.length > 0) fail(`cosineSimilarity bundle contains code of: ${foreign.join(", ")}`);
// The WebAssembly kernels (base64 of "\0asm…" starts "AGFzbQ") belong only in bundles that use them.
if (cosine.text.includes("AGFzbQ")) fail("cosineSimilarity bundle contains the WebAssembly kernels");
console.log(`import { cosineSimilarity }: ${cosine.bytes} bytes minified (budget ${cosineBudget}), ${cosine.gzip} gzip`);

// mathjs serves only the formula blend: the rest of nextbest/hybrid must not pull it into a bundle.
const blendOnly = await bundle(
  "blend-only",
  'import { blendRecommenders } from "nextbest/hybrid";\nconsole.log(blendRecommenders);\n',
);
const formula = await bundle("formula", 'import { blendByFormula } from "nextbest/hybrid";\nconsole.log(blendByFormula);\n');
const usesMathjs = (b) => b.inputs.some((input) => input.includes("node_modules/mathjs/"));
if (usesMathjs(blendOnly)) fail("import { blendRecommenders } from nextbest/hybrid pulls in mathjs");
if (!usesMathjs(formula)) fail("import { blendByFormula } from nextbest/hybrid should bundle mathjs's parser (check the probe)");
console.log(
  `import { blendRecommenders }: ${blendOnly.gzip} bytes gzip, no mathjs; import { blendByFormula }: ${formula.gzip} bytes gzip with mathjs's parser`,
);

step("size budget per subpath (minified + gzip, whole subpath)");
const rows = [];
for (const subpath of subpaths) {
  const specifier = subpath === "." ? "nextbest" : `nextbest/${subpath.slice(2)}`;
  // Our own code only: dependencies are external here (their weight is reported once, below).
  const all = await bundle(
    `all-${subpath.replace(/[^a-z]/g, "") || "root"}`,
    `import * as all from ${JSON.stringify(specifier)};\nconsole.log(all);\n`,
    { platform: subpath === "./node" ? "node" : "browser", external: Object.keys(pkg.dependencies ?? {}).flatMap((d) => [d, `${d}/*`]) },
  );
  const budget = budgets.get(subpath);
  if (budget === undefined) fail(`no size budget for ${specifier}: add one in .ci/check-package.mjs`);
  else if (all.gzip > budget) fail(`${specifier} is ${all.gzip} bytes gzip, budget ${budget}`);
  rows.push({ subpath: specifier, minified: all.bytes, gzip: all.gzip, budget: budget ?? "none" });
}
console.table(rows);

if (existsSync(join(root, "dist"))) {
  const stray = readdirSync(join(root, "dist"), { recursive: true }).filter((file) => String(file).endsWith(".map"));
  if (stray.length > 0) fail(`source maps in dist: ${stray.join(", ")}`);
}

if (failures > 0) {
  console.error(`\ncheck:package: ${failures} check(s) failed`);
  process.exit(1);
}
console.log("\ncheck:package: all checks passed");
