// Regenerates README's speed tables, and the kernel and CF speed tables of docs/performance.md, from
// bench/results/{cf-speed,linalg,metrics}.json (one run each), so that every figure they claim is one a benchmark run
// wrote (the hand-written paragraph on the spread between runs, after the CF table, is kept). Run from the
// repository root after `npm run bench`:
//   node scripts/readme-speed.mjs
import { readFileSync, writeFileSync } from "node:fs";
const load = (suite) => JSON.parse(readFileSync(`bench/results/${suite}.json`, "utf8"));
const cf = load("cf-speed"), la = load("linalg"), me = load("metrics");
const row = (d, name) => { const r = d.rows.find((x) => x.name === name); if (!r) throw new Error(name); return r; };
const num = (v, unit) => unit.startsWith("ms") ? `${v.toFixed(1)} ms` : unit.startsWith("s") ? `${v < 1 ? v.toFixed(3) : v.toFixed(2)} s` : unit === "GFLOP/s" ? `${v.toFixed(1)} GFLOP/s` : unit === "µs" ? `${v.toFixed(0)} µs` : v.toFixed(3);
// A cf-speed row; a -2-threads row without a peer of its own borrows its 1-thread twin's (the peer ran once, on 1 thread).
const withPeer = (name) => {
  const found = row(cf, name);
  const single = name.endsWith("-2-threads") && found.peer === undefined ? row(cf, name.replace("-2-threads", "")) : undefined;
  return single === undefined ? found : { ...found, peer: single.peer, peerValue: single.peerValue };
};
const cpu = cf.protocol.match(/\(([^)]*cores)\)/)?.[1] ?? "this machine";
const lines = [
  `Speed (\`npm run bench\`, suites \`cf-speed\`, \`linalg\` and \`metrics\`; ${cpu}; peers run in the same benchmark run, one`,
  "evaluator for both sides, medians of alternated runs; ratio = nextbest's time / the peer's, below 1 is faster). nextbest",
  "runs its WebAssembly SIMD kernels (the default where the runtime has them) and, where a row says so, two worker threads:",
  "",
  "| row | nextbest | peer, same run | ratio |",
  "| --- | --- | --- | --- |",
];
for (const [name, what] of [
  ["mf-fit-seconds-per-fold", "(100 factors, 20 epochs, both sides)"],
  ["mf-default-rmse-u1", "(each side's defaults)"],
  ["als-ml100k-fit-seconds", "(64 factors, 15 iterations, same settings, 1 thread)"],
  ["als-ml100k-fit-seconds-2-threads", "(nextbest on 2 threads, implicit on 1)"],
  ["als-ml100k-default-ndcg10-u1", "(each side's defaults)"],
  ["item-knn-fit-seconds", "(cosine, K 20, 1 thread)"],
  ["item-knn-fit-seconds-2-threads", "(nextbest on 2 threads, implicit on 1)"],
  ["topk-all-users-ml100k-ms", "(943 users, seen items excluded)"],
  ["evaluate-ranking-ml100k-ms", "(`evaluateRanking` vs implicit's `ranking_metrics_at_k`, same factors, 1 thread)"],
  ["evaluate-ranking-ml100k-ms-2-threads", "(nextbest on 2 threads, implicit on 1)"],
  ["topk-10k-users-100k-items-seconds", "(64 float32 factors, 1 thread)"],
  ["topk-10k-users-100k-items-seconds-2-threads", "(nextbest's scoring on 2 threads, numpy on 1)"],
  ["als-10m-seconds-per-iteration", "(10M non-zeros, 64 factors, 1 thread)"],
  ["als-10m-seconds-per-iteration-2-threads", "(nextbest on 2 threads, implicit on 1)"],
  ["als-10m-seconds-per-iteration-2-threads-both", "(both on 2 threads)"],
]) {
  const r = withPeer(name);
  const timing = /seconds|-ms$|-ms-/.test(name);
  lines.push(`| \`${name}\` ${what} | ${num(r.value, r.unit)} | ${r.peer.replace(/ \((same settings|its defaults)\)$/, "")}: ${num(r.peerValue, r.unit)} | ${timing ? `${(r.value / r.peerValue).toFixed(2)}×` : ""} |`);
}
const m = row(me, "metrics-100000-users-k20");
lines.push(`| \`metrics-100000-users-k20\` | ${num(m.value, m.unit)} | the per-user functions one by one: ${num(m.peerValue, m.unit)} | |`);
// The paragraph on how the ratios moved between runs is written by hand; it is kept as it stands.
const spread = readFileSync("README.md", "utf8").match(/\nThese machines' timings move[\s\S]*?\n(?=\n)/)?.[0];
if (spread !== undefined) lines.push("", spread.trim());
lines.push("", "Linear algebra (`npm run bench -- linalg`):", "", "| row | ours | peer in the same run |", "| --- | --- | --- |");
const m512 = row(la, "matmul-f64-512"), np = row(la, "matmul-f64-512-vs-numpy");
lines.push(`| \`matmul-f64-512\` | ${num(m512.value, m512.unit)} | ml-matrix \`mmul\` ${num(m512.peerValue, m512.unit)}; numpy (OpenBLAS, 1 thread, \`matmul-f64-512-vs-numpy\`, timed alternately: ours ${num(np.value, np.unit)}) ${num(np.peerValue, np.unit)} |`);
const m1024 = row(la, "matmul-f64-1024");
lines.push(`| \`matmul-f64-1024\` | ${num(m1024.value, m1024.unit)} | ml-matrix \`mmul\` ${num(m1024.peerValue, m1024.unit)} |`);
const ch = row(la, "cholesky-64");
lines.push(`| \`cholesky-64\` (factor + solve) | ${num(ch.value, ch.unit)} | ml-matrix \`CholeskyDecomposition\` ${num(ch.peerValue, ch.unit)} |`);
const tk = row(la, "topk-100000-k10");
lines.push(`| \`topk-100000-k10\` | ${tk.value.toFixed(2)} ms | full sort ${tk.peerValue.toFixed(0)} ms |`);
const sp = la.rows.find((r) => r.name.startsWith("spmm-"));
lines.push(`| \`${sp.name}\` (CSR × dense) | ${sp.value.toFixed(1)} ms | dense matmul ${sp.peerValue.toFixed(0)} ms |`);
const pr = row(la, "score-one-user-prepared-f32-100000x64");
lines.push(`| \`score-one-user-prepared-f32-100000x64\` (\`prepareFactorScoring\`, scores + top-10) | ${pr.value.toFixed(2)} ms | JavaScript's sum over the same bytes ${pr.peerValue.toFixed(2)} ms (${(pr.value / pr.peerValue).toFixed(2)}×) |`);
const s1 = row(la, "score-one-user-100000x64");
lines.push(`| \`score-one-user-100000x64\` (float64 table read in place, scores + top-10) | ${s1.value.toFixed(1)} ms | JavaScript's sum over the same bytes ${s1.peerValue.toFixed(1)} ms (${(s1.value / s1.peerValue).toFixed(1)}×) |`);
const sa = row(la, "score-all-users-943x1682x64");
lines.push(`| \`score-all-users-943x1682x64\` (top-10 each) | ${sa.value.toFixed(0)} ms | one user at a time ${sa.peerValue.toFixed(0)} ms |`);
const rb = row(la, "read-bandwidth");
lines.push(`| \`read-bandwidth\` (sum of a 51 MB Float64Array) | ${rb.value.toFixed(1)} GB/s | |`, "");
const readme = readFileSync("README.md", "utf8");
const start = readme.indexOf("Speed (`npm run bench`");
const end = readme.indexOf("## Development");
writeFileSync("README.md", readme.slice(0, start) + lines.join("\n") + "\n" + readme.slice(end));
console.log(lines.join("\n"));

// docs/performance.md: the kernel table (linalg.json) and the CF speed table (cf-speed.json), from their headings to
// the next bold heading.
const perf = ["**Kernels** (`linalg.json`):", "", "| row | value | peer |", "|---|---|---|"];
const np512 = row(la, "matmul-f64-512-vs-numpy");
perf.push(`| \`matmul-f64-512\` | ${num(m512.value, m512.unit)} | ml-matrix ${num(m512.peerValue, m512.unit)} |`);
perf.push(`| \`matmul-f64-512-vs-numpy\` | ${num(np512.value, np512.unit)} | numpy (OpenBLAS, one thread) ${num(np512.peerValue, np512.unit)} |`);
perf.push(`| \`topk-100000-k10\` | ${tk.value.toFixed(3)} ms | full sort ${tk.peerValue.toFixed(1)} ms |`);
perf.push(`| \`${sp.name}\` | ${sp.value.toFixed(1)} ms | dense matmul ${sp.peerValue.toFixed(1)} ms |`);
perf.push(`| \`cholesky-64\` | ${num(ch.value, ch.unit)} | ml-matrix ${num(ch.peerValue, ch.unit)} |`);
perf.push(`| \`score-one-user-prepared-f32-100000x64\` | ${pr.value.toFixed(3)} ms | bandwidth floor ${pr.peerValue.toFixed(1)} ms |`);
perf.push(`| \`score-one-user-100000x64\` | ${s1.value.toFixed(1)} ms | bandwidth floor ${s1.peerValue.toFixed(1)} ms |`);
perf.push(`| \`score-all-users-943x1682x64\` | ${sa.value.toFixed(1)} ms | per-user loop ${sa.peerValue.toFixed(1)} ms |`, "");
perf.push(
  "**Collaborative filtering speed** (`cf-speed.json`; peers in the same run, one thread each, alternated; nextbest on one",
  "thread except the `-2-threads` rows; every timing row has a `-cpu` twin with process CPU time):",
  "",
  "| row | value | peer |",
  "|---|---|---|",
);
for (const [name, what] of [
  ["als-ml100k-fit-seconds", " (64 factors, 15 iterations, 1 thread)"],
  ["als-ml100k-fit-seconds-2-threads", " (2 threads)"],
  ["als-ml100k-first-fit-seconds", " (the first fit in the process, before V8 has optimized the kernels)"],
  ["als-ml100k-default-fit-seconds", ""],
  ["als-ml100k-cholesky-fit-seconds", ""],
  ["mf-fit-seconds-per-fold", ""],
  ["item-knn-fit-seconds", " (1 thread)"],
  ["item-knn-fit-seconds-2-threads", " (2 threads)"],
  ["topk-all-users-ml100k-ms", ""],
  ["evaluate-ranking-ml100k-ms", " (1 thread)"],
  ["evaluate-ranking-ml100k-ms-2-threads", " (2 threads)"],
  ["topk-10k-users-100k-items-seconds", " (1 thread)"],
  ["topk-10k-users-100k-items-seconds-2-threads", " (2 threads)"],
  ["als-10m-seconds-per-iteration", " (1 thread)"],
  ["als-10m-seconds-per-iteration-2-threads", " (2 threads)"],
]) {
  const r = withPeer(name);
  const peer = r.peer === undefined ? (name === "als-ml100k-cholesky-fit-seconds" ? "(the conjugate-gradient default above)" : "") : `${r.peer}: ${num(r.peerValue, r.unit)}`;
  perf.push(`| \`${name}\` | ${num(r.value, r.unit)}${what} | ${peer} |`);
}
const guide = readFileSync("docs/performance.md", "utf8");
const from = guide.indexOf("**Kernels** (`linalg.json`):");
const to = guide.indexOf("**Accuracy** (`accuracy-ml100k.json`");
if (from < 0 || to < from) throw new Error("docs/performance.md: the kernel or accuracy heading moved");
writeFileSync("docs/performance.md", guide.slice(0, from) + perf.join("\n") + "\n\n" + guide.slice(to));
