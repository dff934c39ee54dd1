// Runs every ```ts block of the guides in docs/ (not docs/api/, the typedoc site, nor docs/cli.md, tested with the CLI),
// so a guide cannot drift from the library. Each guide becomes one module, run in its own child process with the
// repository's tsx, and the guides are also type-checked with the repository's strict compiler settings.
//
// Conventions for guide authors:
// - ```ts (or ```typescript) blocks run; any other fence (```sh, ```text, ```json) is illustration and does not.
// - The blocks of one guide run in order as ONE module: a block may use what an earlier block of the same guide
//   defined, and names must not be declared twice in one guide. Imports are hoisted to the top and merged, so two
//   blocks may import the same name.
// - Import exactly as a user does: `from "nextbest"` or `from "nextbest/<subpath>"` (rewritten here to the source
//   entry src/index.ts or src/<subpath>/index.ts); Node built-ins (`node:fs`, ...) as usual. Import types with `type`.
// - `expression; // => expected` checks a result: both sides are evaluated and their JSON.stringify must be equal
//   (Maps and Sets compare as arrays of their entries, typed arrays as plain arrays), otherwise the guide fails at that
//   line. A long expected value may continue on the following lines that start with `//` and two or more spaces; a
//   `// => expected` on its own line checks the single-line statement just before it. Round floats in the expression
//   (`Number(x.toFixed(3))`) so the expected value is stable.
// - A block preceded by the line `<!-- needs-data: NAME -->` reads ../shared/data/NAME and is left out (with its
//   checks) when that folder is absent, as on a fresh clone; such a block must not define what later blocks use.
// - Writing a guide: after a run, `NEXTBEST_DOCS_REPORT=1 node_modules/.bin/tsx .tmp/docs/<guide>.ts` prints every
//   mismatching `// =>` result instead of stopping at the first.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repository = path.resolve(import.meta.dirname, "..");
const docsDirectory = path.join(repository, "docs");
const sharedData = path.resolve(repository, "../shared/data");
const outDirectory = path.join(repository, ".tmp/docs");
const tsx = path.join(repository, "node_modules/.bin/tsx");
const tsc = path.join(repository, "node_modules/.bin/tsc");
const RUN_TIMEOUT_MS = 30_000;
// Guides other tests own: the CLI reference is exercised by test/cli.
const notHere = new Set(["cli.md"]);

interface Block {
  /** 1-based line of the opening fence in the guide. */
  readonly line: number;
  readonly code: string[];
  /** The ../shared/data folder the block needs, if any. */
  readonly needsData: string | undefined;
}

// The repository README's tour is a guide too (its blocks run in order as one module): named relative to docs/.
const ROOT_README = "../README.md";
/** A file name for a guide's generated module (the root README becomes "root-README"). */
const moduleName = (guide: string): string => guide.replace(/^\.\.\//, "root-").replace(/\.md$/, ".ts");

function guides(): string[] {
  if (!existsSync(docsDirectory)) return [ROOT_README];
  return [
    ...readdirSync(docsDirectory)
      .filter((name) => name.endsWith(".md") && !notHere.has(name))
      .sort(),
    ROOT_README,
  ];
}

/** The ```ts blocks of a Markdown text, with the line of each fence and its needs-data marker. */
function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const language = open[3]!.toLowerCase();
    let end = i + 1;
    while (end < lines.length && !lines[end]!.trimStart().startsWith(fence)) end++;
    if (language === "ts" || language === "typescript") {
      let previous = i - 1;
      while (previous >= 0 && lines[previous]!.trim() === "") previous--;
      const marker = previous >= 0 ? /^<!--\s*needs-data:\s*([\w.-]+)\s*-->$/.exec(lines[previous]!.trim()) : null;
      blocks.push({ line: i + 1, code: lines.slice(i + 1, end).map((l) => l.slice(open[1]!.length)), needsData: marker?.[1] });
    }
    i = end;
  }
  return blocks;
}

/** Where a `nextbest` import specifier points in the source tree. */
function resolveSpecifier(specifier: string, where: string): string {
  if (specifier === "nextbest") return path.join(repository, "src/index.ts");
  const sub = /^nextbest\/([\w-]+)$/.exec(specifier);
  if (!sub) return specifier;
  const entry = path.join(repository, "src", sub[1]!, "index.ts");
  if (!existsSync(entry)) throw new Error(`${where}: imports "${specifier}", which is not a nextbest subpath`);
  return entry;
}

interface Generated {
  readonly source: string;
  /** Guide line of each generated line (0 when the line is the harness's own). */
  readonly lineMap: number[];
  readonly skipped: Block[];
  readonly checks: number;
}

/** One guide as one module: hoisted, merged imports, then every block in order with its checks. */
function generateModule(guide: string, blocks: readonly Block[], hasData: (name: string) => boolean): Generated {
  const named = new Map<string, Set<string>>();
  const otherImports = new Set<string>();
  const body: { text: string; line: number }[] = [];
  const skipped: Block[] = [];
  let checks = 0;
  for (const block of blocks) {
    if (block.needsData !== undefined && !hasData(block.needsData)) {
      skipped.push(block);
      continue;
    }
    body.push({ text: `__docsBlock(${JSON.stringify(`docs/${guide}:${block.line}`)});`, line: block.line });
    // Join continuation lines of a `// =>` result.
    const lines: { text: string; line: number }[] = [];
    block.code.forEach((text, k) => {
      const line = block.line + 1 + k;
      const continuation = /^\s*\/\/ {2,}(\S.*)$/.exec(text);
      const last = lines[lines.length - 1];
      if (continuation && last !== undefined && last.text.includes("// => ")) last.text += ` ${continuation[1]}`;
      else lines.push({ text, line });
    });
    for (let k = 0; k < lines.length; k++) {
      const { text, line } = lines[k]!;
      const where = `docs/${guide}:${line}`;
      if (/^import[\s{*"']/.test(text)) {
        // An import statement, possibly over several lines.
        let statement = text;
        while (!/["'];?\s*$/.test(statement) && k + 1 < lines.length) statement += `\n${lines[++k]!.text}`;
        const braces = /^import\s+(type\s+)?\{([\s\S]*?)\}\s*from\s*["']([^"']+)["'];?\s*$/.exec(statement);
        if (braces) {
          const target = resolveSpecifier(braces[3]!, where);
          const names = named.get(target) ?? new Set<string>();
          for (const name of braces[2]!.split(",").map((n) => n.trim().replace(/\s+/g, " "))) {
            if (name !== "") names.add(braces[1] !== undefined && !name.startsWith("type ") ? `type ${name}` : name);
          }
          named.set(target, names);
        } else {
          otherImports.add(
            statement.replace(/(["'])([^"']+)\1(;?\s*)$/, (_, _quote: string, specifier: string, end: string) => `${JSON.stringify(resolveSpecifier(specifier, where))}${end}`),
          );
        }
        continue;
      }
      const ownLine = /^\s*\/\/ => (.*)$/.exec(text);
      if (ownLine) {
        const previous = body.pop();
        if (previous === undefined || /^\s*__docsBlock\(/.test(previous.text)) throw new Error(`${where}: a result line with no statement before it`);
        body.push({ text: `__docsCheck(${previous.text.replace(/;\s*$/, "")}, ${ownLine[1]}, ${JSON.stringify(where)});`, line: previous.line });
        checks++;
        continue;
      }
      const check = /^(\s*)(.*?);?\s*\/\/ => (.*)$/.exec(text);
      if (check && check[2]!.trim() !== "") {
        body.push({ text: `${check[1]}__docsCheck(${check[2]}, ${check[3]}, ${JSON.stringify(where)});`, line });
        checks++;
      } else {
        body.push({ text, line });
      }
    }
  }
  const header = [
    `// Generated by test/docs.test.ts from docs/${guide}: do not edit.`,
    ...[...named].map(([target, names]) => `import { ${[...names].join(", ")} } from ${JSON.stringify(target)};`),
    ...otherImports,
    HELPERS,
  ].join("\n");
  const headerLines = header.split("\n").length;
  const source = `${header}\n${body.map((b) => b.text).join("\n")}\n`;
  const lineMap = [...Array<number>(headerLines).fill(0), ...body.flatMap((b) => b.text.split("\n").map(() => b.line))];
  return { source, lineMap, skipped, checks };
}

// The harness's own code at the top of every generated module.
const HELPERS = [
  `let __docsCurrent = "";`,
  `function __docsBlock(where: string): void { __docsCurrent = where; }`,
  `process.on("uncaughtException", (error) => { console.error("[docs] failing block: " + (__docsCurrent || "(imports)")); console.error(error instanceof Error ? error.stack : error); process.exit(1); });`,
  `function __docsJson(value: unknown): string { return JSON.stringify(value, (_key, v: unknown) => v instanceof Map ? [...v] : v instanceof Set ? [...v] : ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v) ?? String(value); }`,
  `function __docsCheck(actual: unknown, expected: unknown, where: string): void { const a = __docsJson(actual), e = __docsJson(expected); if (a === e) return; if (process.env.NEXTBEST_DOCS_REPORT) console.error(where + ": expected " + e + ", got " + a); else throw new Error(where + ": expected " + e + ", got " + a); }`,
].join("\n");

/** Rewrites positions in the generated file (`.tmp/docs/x.ts:12:5`) to the guide's lines (`docs/x.md:40`). */
function mapPositions(text: string, guide: string, file: string, lineMap: readonly number[]): string {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`(?:file://)?${escaped}:(\\d+)(?::\\d+)?`, "g"), (whole, n: string) => {
    const line = lineMap[Number(n) - 1];
    return line === undefined || line === 0 ? whole : `docs/${guide}:${line}`;
  });
}

const hasData = (name: string): boolean => existsSync(path.join(sharedData, name));
const all = guides().map((guide) => {
  const blocks = codeBlocks(readFileSync(path.join(docsDirectory, guide), "utf8"));
  return { guide, blocks, generated: generateModule(guide, blocks, hasData) };
});

describe("the guides in docs/ run as written", () => {
  it("there are guides, and each has code blocks with checked results", () => {
    for (const name of ["getting-started.md", "b2b-walkthrough.md", "evaluation.md", "explanations.md", "performance.md"]) {
      expect(all.map((g) => g.guide), name).toContain(name);
    }
    for (const { guide, blocks, generated } of all) {
      if (guide === "README.md") continue;
      expect(blocks.length, `${guide} has ts blocks`).toBeGreaterThan(0);
      expect(generated.checks + generated.skipped.length, `${guide} states at least one // => result`).toBeGreaterThan(0);
    }
  });

  for (const { guide, blocks, generated } of all) {
    if (blocks.length === 0) continue;
    const skippedNote = generated.skipped.length === 0 ? "" : ` (${generated.skipped.length} block(s) skipped: ${[...new Set(generated.skipped.map((b) => b.needsData))].map((d) => `../shared/data/${d} absent`).join(", ")})`;
    it(`docs/${guide}: every ts block runs and its // => results hold${skippedNote}`, { timeout: RUN_TIMEOUT_MS + 30_000 }, () => {
      mkdirSync(outDirectory, { recursive: true });
      const file = path.join(outDirectory, moduleName(guide));
      writeFileSync(file, generated.source);
      const run = spawnSync(tsx, [file], { cwd: repository, encoding: "utf8", timeout: RUN_TIMEOUT_MS, env: { ...process.env, NO_COLOR: "1" } });
      if (run.status !== 0) {
        const stderr = mapPositions(run.stderr ?? "", guide, file, generated.lineMap);
        const failing = /\[docs\] failing block: (\S+)/.exec(stderr)?.[1];
        const reason = run.error !== undefined ? `${run.error.message} (timeout ${RUN_TIMEOUT_MS} ms)` : `exit code ${run.status}`;
        throw new Error(`docs/${guide}: ${failing ? `block at ${failing}` : "a block"} failed: ${reason}\n${stderr.slice(-4000)}`);
      }
    });
  }

  it("every guide type-checks with the repository's strict settings", { timeout: 120_000 }, () => {
    mkdirSync(outDirectory, { recursive: true });
    // Every block, including those that need data this machine lacks.
    const files = all.filter((g) => g.blocks.length > 0).map(({ guide, blocks }) => {
      const full = generateModule(guide, blocks, () => true);
      const file = path.join(outDirectory, `typecheck-${moduleName(guide)}`);
      writeFileSync(file, full.source);
      return { guide, file, lineMap: full.lineMap };
    });
    const config = path.join(outDirectory, "tsconfig.json");
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(repository, "tsconfig.json"),
        compilerOptions: { isolatedDeclarations: false, declaration: false, types: ["node"], lib: ["ES2022", "DOM"], noEmit: true },
        files: files.map((f) => f.file),
      }),
    );
    const run = spawnSync(tsc, ["-p", config, "--pretty", "false"], { cwd: repository, encoding: "utf8", timeout: 110_000 });
    expect(run.error, "tsc ran").toBeUndefined();
    // One chunk per diagnostic; the library's own errors are `npm run typecheck`'s business, the guides' are ours.
    const chunks = `${run.stdout ?? ""}${run.stderr ?? ""}`.split(/\n(?=\S)/).filter((chunk) => chunk.trim() !== "");
    const ours = chunks.flatMap((chunk) => {
      for (const f of files) {
        const relative = path.relative(repository, f.file);
        if (!chunk.startsWith(relative)) continue;
        return [chunk.replace(/^[^(]+\((\d+),\d+\)/, (whole, n: string) => (f.lineMap[Number(n) - 1] ? `docs/${f.guide}:${f.lineMap[Number(n) - 1]}` : whole))];
      }
      return [];
    });
    expect(ours.join("\n")).toBe("");
  });
});

// Remove generated files of guides that no longer exist (keeps .tmp/docs tidy across renames).
if (existsSync(outDirectory)) {
  const live = new Set(all.flatMap(({ guide }) => [moduleName(guide), `typecheck-${moduleName(guide)}`]));
  for (const name of readdirSync(outDirectory)) if (name.endsWith(".ts") && !live.has(name)) rmSync(path.join(outDirectory, name));
}
