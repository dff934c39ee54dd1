// Runs every TSDoc @example in src/ and checks each `expression; // => expected` line, so the documentation
// cannot drift from the code. Also checks that every exported function has an example, and that no file outside
// src/node touches Node built-ins (the library runs in browsers and Deno).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { transformSync } from "esbuild";
import * as mlMatrix from "ml-matrix";
import { describe, expect, it } from "vitest";
import * as root from "../src/index.ts";
import * as core from "../src/core/index.ts";
import * as linalg from "../src/linalg/index.ts";
import * as data from "../src/data/index.ts";
import * as recommendModule from "../src/recommend/index.ts";
import * as baselines from "../src/baselines/index.ts";
import * as metricsModule from "../src/metrics/index.ts";
import * as evaluationModule from "../src/evaluation/index.ts";
import * as neighborsModule from "../src/neighbors/index.ts";
import * as factorizationModule from "../src/factorization/index.ts";
import * as datasetsModule from "../src/datasets/index.ts";
import * as contentModule from "../src/content/index.ts";
import * as hybridModule from "../src/hybrid/index.ts";
import * as classifiersModule from "../src/classifiers/index.ts";
import * as accountsModule from "../src/accounts/index.ts";
import * as sequenceModule from "../src/sequence/index.ts";
import * as segmentsModule from "../src/segments/index.ts";
import * as driftModule from "../src/drift/index.ts";
import * as experimentsModule from "../src/experiments/index.ts";
import * as explainModule from "../src/explain/index.ts";
import * as repeatModule from "../src/repeat/index.ts";
import * as pipelineModule from "../src/pipeline/index.ts";
import * as interopModule from "../src/interop/index.ts";
import * as nodeModule from "../src/node/index.ts";

const repository = path.resolve(import.meta.dirname, "..");
const barrels: Record<string, Record<string, unknown>> = {
  "nextbest/core": core,
  "nextbest/linalg": linalg,
  "nextbest/data": data,
  "nextbest/recommend": recommendModule,
  "nextbest/baselines": baselines,
  "nextbest/metrics": metricsModule,
  "nextbest/evaluation": evaluationModule,
  "nextbest/neighbors": neighborsModule,
  "nextbest/factorization": factorizationModule,
  "nextbest/datasets": datasetsModule,
  "nextbest/content": contentModule,
  "nextbest/hybrid": hybridModule,
  "nextbest/classifiers": classifiersModule,
  "nextbest/accounts": accountsModule,
  "nextbest/sequence": sequenceModule,
  "nextbest/segments": segmentsModule,
  "nextbest/drift": driftModule,
  "nextbest/experiments": experimentsModule,
  "nextbest/explain": explainModule,
  "nextbest/repeat": repeatModule,
  "nextbest/pipeline": pipelineModule,
  "nextbest/interop": interopModule,
  "nextbest/node": nodeModule,
};
const modules: Record<string, unknown> = { nextbest: root, ...barrels, "ml-matrix": mlMatrix };
// Examples that read files by path name paths a reader has, not this repository; they are compiled, not run,
// and the same behaviour is tested on the real data in test/node.
const compileOnly = new Set(["src/node", "src/cli"]);

interface Example {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly documents: string;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(path.join(repository, directory), { recursive: true, withFileTypes: false })
    .map(String)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .map((name) => path.join(directory, name));
}

function examplesOf(file: string): Example[] {
  const text = readFileSync(path.join(repository, file), "utf8");
  const out: Example[] = [];
  const pattern = /\* @example\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g;
  for (const match of text.matchAll(pattern)) {
    const code = match[1]!
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""))
      .join("\n");
    const after = text.slice(match.index! + match[0].length);
    const documents = /export (?:async )?(?:function|class|interface|type|const) (\w+)/.exec(after)?.[1] ?? "?";
    out.push({ file, line: text.slice(0, match.index).split("\n").length, code, documents });
  }
  return out;
}

// Turns an example into runnable code. Supported result forms:
//   expression; // => expected
//   expression;
//   // => expected                       (a long result on its own line)
//   statement;
//   // throws NextbestError E_CODE: "message"   (the statement must throw exactly that)
// A result may continue on following lines that start with `//` and two or more spaces.
function toRunnable(code: string): string {
  const lines: string[] = [];
  for (const line of code.split("\n")) {
    const continuation = /^\s*\/\/ {2,}(\S.*)$/.exec(line);
    if (continuation && lines.length > 0 && lines[lines.length - 1]!.includes("// => ")) {
      lines[lines.length - 1] += ` ${continuation[1]}`;
    } else {
      lines.push(line);
    }
  }
  const out: string[] = [];
  for (const line of lines) {
    const imported = /^import \{([^}]*)\} from "([^"]+)";$/.exec(line);
    if (imported) {
      if (!(imported[2]! in modules)) throw new Error(`example imports ${imported[2]}, which this runner does not map`);
      const names = imported[1]!
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== "" && !name.startsWith("type "));
      out.push(`const { ${names.join(", ")} } = __modules[${JSON.stringify(imported[2])}];`);
      continue;
    }
    const ownLine = /^\s*\/\/ => (.*)$/.exec(line);
    const throws = /^\s*\/\/ throws NextbestError (E_[A-Z_]+)(?:: (".*"))?\s*$/.exec(line);
    if (ownLine || throws) {
      const previous = out.pop();
      if (previous === undefined) throw new Error(`result line with no statement before it: ${line}`);
      const statement = previous.replace(/;\s*$/, "");
      out.push(
        ownLine
          ? `__check(${statement}, ${ownLine[1]}, ${JSON.stringify(previous + " " + line.trim())});`
          : `__throws(() => { ${statement}; }, ${JSON.stringify(throws![1])}, ${throws![2] ?? "undefined"}, ${JSON.stringify(previous)});`,
      );
      continue;
    }
    const check = /^(.*?);?\s*\/\/ => (.*)$/.exec(line);
    if (check && check[1]!.trim() !== "") out.push(`__check(${check[1]}, ${check[2]}, ${JSON.stringify(line)});`);
    else out.push(line);
  }
  return transformSync(out.join("\n"), { loader: "ts" }).code;
}

type Check = (actual: unknown, expected: unknown, line: string) => void;
type Throws = (run: () => void, code: string, message: string | undefined, line: string) => void;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (
  check: Check,
  throws: Throws,
  modules: Record<string, unknown>,
) => Promise<void>;

const folders = readdirSync(path.join(repository, "src"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "internal")
  .map((entry) => `src/${entry.name}`);
const files = folders.flatMap(sourceFiles);
const examples = files.flatMap(examplesOf);

describe("TSDoc examples give the results they state", () => {
  it("finds examples in every public folder", () => {
    // The CLI is documented as shell usage (docs/cli.md, tested in test/cli), not as TypeScript examples.
    for (const folder of folders.filter((f) => f !== "src/cli")) expect(examples.some((e) => e.file.startsWith(folder)), folder).toBe(true);
  });

  it("every exported function of every subpath has an example", () => {
    const documented = new Set(examples.map((e) => e.documents));
    const missing = Object.entries(barrels).flatMap(([subpath, barrel]) =>
      Object.entries(barrel)
        .filter(([name, value]) => typeof value === "function" && !documented.has(name))
        .map(([name]) => `${subpath}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  for (const example of examples) {
    const runs = !compileOnly.has(path.dirname(example.file));
    it(`${example.file}:${example.line} (${example.documents})${runs ? "" : " compiles"}`, async () => {
      const runnable = toRunnable(example.code);
      if (!runs) {
        expect(example.code, "an example must state at least one `// =>` result").toMatch(/\/\/ (=>|throws) /);
        return;
      }
      let checks = 0;
      const run = new AsyncFunction("__check", "__throws", "__modules", runnable);
      await run(
        (actual, expected, line) => {
          checks++;
          expect(actual, line).toEqual(expected);
        },
        (body, code, message, line) => {
          checks++;
          let caught: unknown;
          try {
            body();
          } catch (error) {
            caught = error;
          }
          expect(caught, line).toBeInstanceOf(core.NextbestError);
          expect((caught as InstanceType<typeof core.NextbestError>).code, line).toBe(code);
          if (message !== undefined) expect((caught as Error).message, line).toBe(message);
        },
        modules,
      );
      expect(checks, "an example must state at least one `// =>` result").toBeGreaterThan(0);
    });
  }
});

describe("the library stays free of Node built-ins outside nextbest/node and the CLI", () => {
  const portable = [...files.filter((file) => !file.startsWith("src/node/") && !file.startsWith("src/cli/")), ...sourceFiles("src/internal"), "src/index.ts"];
  // The worker threads reach Node only through a guarded process.getBuiltinModule (no import any bundler follows) and
  // run single-threaded where it is missing; the Node worker's source is a string evaluated in the worker.
  const guardedNode = new Set(["src/linalg/wasm/threads.ts"]);
  for (const file of portable) {
    it(`${file} uses no Node module, Node global or Math.random`, () => {
      let text = readFileSync(path.join(repository, file), "utf8");
      if (guardedNode.has(file)) {
        expect(text).toMatch(/typeof process\.getBuiltinModule !== "function"\) return undefined;/);
        text = text.replace(/const NODE_WORKER_SOURCE = `[^`]*`;/, "").replace(/\bprocess\.getBuiltinModule\b/g, "");
      }
      expect(text).not.toMatch(/from\s+["']node:|from\s+["'](fs|path|os|crypto|url)["']|require\(|\bprocess\.|\bBuffer\.|Math\.random\(/);
    });
  }
});
