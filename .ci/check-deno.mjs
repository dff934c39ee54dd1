// Deno and tsx checks, run by `npm run check:deno`:
//   1. jsr.json mirrors the package's exports (same subpaths, each pointing at src/<domain>/index.ts) and its version,
//   2. `deno check` type-checks every jsr export under Deno's own compiler settings,
//   3. every file in examples/ runs to completion under both `deno run` and `tsx`,
//   4. every notebook in examples/ runs under Deno, each displayed cell result carrying an HTML or SVG display hook.
// Exits non-zero on the first failed check, printing what failed.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

console.log("\n== notebooks under deno (the last expression of a cell must have a Jupyter display hook)");
for (const notebook of readdirSync(join(root, "examples")).filter((f) => f.endsWith(".ipynb")).sort()) {
  const cells = JSON.parse(readFileSync(join(root, "examples", notebook), "utf8")).cells.filter((c) => c.cell_type === "code");
  // Emulate the kernel: a cell whose last line is a bare expression is displayed through Symbol.for("Jupyter.display").
  const show = `const __show = (value, cell) => { const hook = value?.[Symbol.for("Jupyter.display")]; if (typeof hook !== "function") throw new Error(\`cell \${cell}: no Jupyter display hook\`); const bundle = hook.call(value); const types = Object.keys(bundle); if (!types.some((t) => t === "text/html" || t === "image/svg+xml")) throw new Error(\`cell \${cell}: no HTML or SVG\`); console.log(\`cell \${cell}: \${types.join(", ")}, \${Object.values(bundle).join("").length} characters\`); };`;
  const body = cells.map((cell, c) => {
    const lines = cell.source.join("").trimEnd().split("\n");
    const last = lines[lines.length - 1].trim();
    const bare = last !== "" && !/[;{}]$/.test(last) && !/^(const|let|var|import|export|function|class|\/\/)/.test(last);
    if (bare) lines[lines.length - 1] = `__show(${last}, ${c + 1});`;
    return `// cell ${c + 1}\n${lines.filter((l) => !l.startsWith("import ")).join("\n")}`;
  });
  const imports = cells.flatMap((cell) => cell.source.join("").split("\n").filter((l) => l.startsWith("import ")));
  // Cells share one module scope in a notebook: imports first, then the cells in order.
  const script = [...imports, show, ...body].join("\n");
  const file = join(root, "examples", `.notebook-${notebook.replace(/\.ipynb$/, "")}.ts`);
  writeFileSync(file, script);
  try {
    const out = run(bin("deno"), ["run", "-A", file]);
    console.log(`deno examples/${notebook}: ok\n${out.trim()}`);
  } catch (error) {
    fail(`deno examples/${notebook}: ${(error.stderr ?? error.message).split("\n").slice(-15).join("\n")}`);
  } finally {
    rmSync(file, { force: true });
  }
}

if (failures > 0) {
  console.error(`\ncheck:deno: ${failures} check(s) failed`);
  process.exit(1);
}
console.log("\ncheck:deno: all checks passed");
