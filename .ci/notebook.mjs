// Runs a Deno notebook (examples/*.ipynb) the way Deno's Jupyter kernel would, without Jupyter:
//   node .ci/notebook.mjs --write examples/notebook.ipynb   executes it and stores every cell's outputs in the file
//   node .ci/notebook.mjs --check examples/notebook.ipynb   executes it; fails when a cell throws, when a displayed
//                                                           result has no HTML/SVG display hook, or when the stored
//                                                           outputs are missing or of other kinds than a fresh run's
// Kernel emulation: the cells share one module scope (imports hoisted), run in order with the notebook's folder as the
// working directory; console output becomes the cell's stream output, and a cell ending in a bare expression displays
// that value through its Symbol.for("Jupyter.display") hook (a MIME bundle), as the kernel does.
// Imports are written as users write them ("nextbest/data"): in the repository they resolve to the built package
// (run `npm run build` first); `npm run notebook` does both.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const [mode, file] = process.argv.slice(2);
if ((mode !== "--write" && mode !== "--check") || file === undefined) {
  console.error("usage: node .ci/notebook.mjs --write|--check <notebook.ipynb>");
  process.exit(2);
}
const path = resolve(file);
const notebook = JSON.parse(readFileSync(path, "utf8"));
const codeCells = notebook.cells.filter((cell) => cell.cell_type === "code");
const MARK = "\u001eNB";

const source = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const show = `const __show = (value, cell) => {
  const hook = value?.[Symbol.for("Jupyter.display")];
  if (typeof hook !== "function") throw new Error(\`cell \${cell}: the displayed value has no Jupyter display hook\`);
  const bundle = hook.call(value);
  if (!Object.keys(bundle).some((type) => type === "text/html" || type === "image/svg+xml")) throw new Error(\`cell \${cell}: no HTML or SVG in the display bundle\`);
  console.log("${MARK}display " + JSON.stringify(bundle));
};`;
// The line where the cell's last statement starts: the last line that begins at bracket depth 0 right after a line
// that closed a statement (ends with ";" or "}" at depth 0, or is blank or a comment). Brackets inside strings are
// rare in notebook cells; a cell that confuses this shows up as a syntax error in --check.
function lastStatementStart(lines) {
  let depth = 0;
  let start = 0;
  let closed = true;
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (depth === 0 && closed && trimmed !== "" && !trimmed.startsWith("//")) start = index;
    for (const character of line.replace(/\/\/.*$/, "")) {
      if ("([{".includes(character)) depth++;
      else if (")]}".includes(character)) depth--;
    }
    closed = depth === 0 && (trimmed === "" || trimmed.startsWith("//") || /[;}]$/.test(trimmed));
  });
  return start;
}
const body = codeCells.map((cell, index) => {
  const lines = source(cell).trimEnd().split("\n").filter((line) => !line.startsWith("import "));
  const start = lastStatementStart(lines);
  const statement = lines.slice(start).join("\n").trim();
  const bare = statement !== "" && !statement.endsWith(";") && !statement.endsWith("}") && !/^(const|let|var|export|function|class|for|if|while|\/\/)\b/.test(statement);
  const code = bare ? [...lines.slice(0, start), `__show((${statement}), ${index + 1});`] : lines;
  return `console.log("${MARK}cell ${index}");\n${code.join("\n")}`;
});
const imports = codeCells.flatMap((cell) => source(cell).split("\n").filter((line) => line.startsWith("import ")));
const script = [...imports, show, ...body, `console.log("${MARK}end");`].join("\n");
const scratch = join(dirname(path), `.notebook-${basename(path, ".ipynb")}.ts`);
writeFileSync(scratch, script);
let stdout;
const started = performance.now();
try {
  stdout = execFileSync(join(root, "node_modules", ".bin", "deno"), ["run", "-A", basename(scratch)], {
    cwd: dirname(path),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 900_000,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
} catch (error) {
  const ran = String(error.stdout ?? "").split(`${MARK}cell `).length - 1;
  console.error(`notebook ${file}: cell ${ran} failed\n${String(error.stderr ?? error.message).split("\n").slice(-20).join("\n")}`);
  process.exit(1);
} finally {
  rmSync(scratch, { force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);

// Split stdout into per-cell outputs: plain lines are the cell's stream, display lines its display_data.
const fresh = codeCells.map(() => []);
let current = -1;
let text = "";
const flush = () => {
  if (current >= 0 && text !== "") fresh[current].push({ output_type: "stream", name: "stdout", text: text.split(/(?<=\n)/) });
  text = "";
};
for (const line of stdout.split("\n")) {
  if (line.startsWith(`${MARK}cell `)) {
    flush();
    current = Number(line.slice(MARK.length + 5));
  } else if (line.startsWith(`${MARK}display `)) {
    flush();
    const bundle = JSON.parse(line.slice(MARK.length + 8));
    const data = Object.fromEntries(Object.entries(bundle).map(([type, content]) => [type, String(content).split(/(?<=\n)/)]));
    fresh[current].push({ output_type: "display_data", data, metadata: {} });
  } else if (line === `${MARK}end`) {
    flush();
    current = -1;
  } else if (current >= 0) {
    text += `${line}\n`;
  }
}

if (mode === "--write") {
  codeCells.forEach((cell, index) => {
    cell.outputs = fresh[index];
    cell.execution_count = index + 1;
  });
  writeFileSync(path, JSON.stringify(notebook, null, 1) + "\n");
  console.log(`notebook ${file}: ${codeCells.length} cells run in ${seconds} s, outputs stored`);
} else {
  const kinds = (outputs) => (outputs ?? []).map((o) => (o.output_type === "display_data" ? `display(${Object.keys(o.data).sort().join(",")})` : o.output_type)).join(" ");
  const stale = codeCells.flatMap((cell, index) => (kinds(cell.outputs) === kinds(fresh[index]) ? [] : [index + 1]));
  if (stale.length > 0) {
    console.error(`notebook ${file}: stored outputs of code cell(s) ${stale.join(", ")} are missing or differ in kind from a fresh run; run npm run notebook`);
    process.exit(1);
  }
  console.log(`notebook ${file}: ${codeCells.length} cells run in ${seconds} s; stored outputs match a fresh run's kinds`);
}
