// Deno and tsx checks, run by `npm run check:deno`:
//   1. jsr.json mirrors the package's exports (same subpaths, each pointing at src/<domain>/index.ts) and its version,
//   2. `deno check` type-checks every jsr export under Deno's own compiler settings,
//   3. every file in examples/ runs to completion under both `deno run` and `tsx`,
//   4. every notebook in examples/ runs under Deno (.ci/notebook.mjs --check), each displayed cell result carrying an
//      HTML or SVG display hook, with its stored outputs current.
// Exits non-zero on the first failed check, printing what failed.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const jsr = JSON.parse(readFileSync(join(root, "jsr.json"), "utf8"));
const bin = (name) => join(root, "node_modules", ".bin", name);
let failures = 0;
const fail = (message) => {
  failures++;
  console.error(`FAIL ${message}`);
};
const run = (command, args) =>
  execFileSync(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });

console.log("== jsr.json mirrors package.json");
const npmSubpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json").sort();
const jsrSubpaths = Object.keys(jsr.exports).sort();
if (JSON.stringify(npmSubpaths) !== JSON.stringify(jsrSubpaths)) fail(`jsr.json exports ${jsrSubpaths.join(", ")} differ from package.json exports ${npmSubpaths.join(", ")}`);
for (const [subpath, file] of Object.entries(jsr.exports)) {
  const expected = subpath === "." ? "./src/index.ts" : `./src/${subpath.slice(2)}/index.ts`;
  if (file !== expected) fail(`jsr.json exports ${subpath} as ${file}, expected ${expected}`);
}
if (jsr.version !== pkg.version) fail(`jsr.json version ${jsr.version} differs from package.json ${pkg.version}`);
console.log(`${jsrSubpaths.length} subpaths, version ${jsr.version}`);

console.log("\n== deno check (every jsr export)");
try {
  run(bin("deno"), ["check", ...Object.values(jsr.exports)]);
  console.log(`deno check: ${Object.keys(jsr.exports).length} entry points type-check`);
} catch (error) {
  fail(`deno check: ${error.stdout ?? ""}${error.stderr ?? ""}`);
}

console.log("\n== examples under deno run and tsx");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".ts") && !f.startsWith(".")).sort();
for (const example of examples) {
  for (const [runner, args] of [
    ["deno", ["run", "-A", `examples/${example}`]],
    ["tsx", [`examples/${example}`]],
  ]) {
    const started = performance.now();
    try {
      run(bin(runner), args);
      console.log(`${runner} examples/${example}: ok (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      fail(`${runner} examples/${example}: ${(error.stderr ?? error.message).split("\n").slice(-15).join("\n")}`);
    }
  }
}

console.log("\n== notebooks under deno (.ci/notebook.mjs: every cell runs, displayed results have HTML or SVG hooks, stored outputs current)");
for (const notebook of readdirSync(join(root, "examples")).filter((f) => f.endsWith(".ipynb")).sort()) {
  try {
    console.log(run(process.execPath, [join(root, ".ci", "notebook.mjs"), "--check", `examples/${notebook}`]).trim());
  } catch (error) {
    fail(`examples/${notebook}: ${(error.stderr ?? error.message).split("\n").slice(-15).join("\n")}`);
  }
}

if (failures > 0) {
  console.error(`\ncheck:deno: ${failures} check(s) failed`);
  process.exit(1);
}
console.log("\ncheck:deno: all checks passed");
