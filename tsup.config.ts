import { defineConfig } from "tsup";

/** One entry per public subpath: `nextbest` and `nextbest/<domain>`. Keep in sync with package.json "exports". */
export const entries: Record<string, string> = {
  index: "src/index.ts",
  "core/index": "src/core/index.ts",
  "linalg/index": "src/linalg/index.ts",
  "data/index": "src/data/index.ts",
  "recommend/index": "src/recommend/index.ts",
  "baselines/index": "src/baselines/index.ts",
  "metrics/index": "src/metrics/index.ts",
  "evaluation/index": "src/evaluation/index.ts",
  "neighbors/index": "src/neighbors/index.ts",
  "factorization/index": "src/factorization/index.ts",
  "datasets/index": "src/datasets/index.ts",
  "content/index": "src/content/index.ts",
  "hybrid/index": "src/hybrid/index.ts",
  "classifiers/index": "src/classifiers/index.ts",
  "accounts/index": "src/accounts/index.ts",
  "sequence/index": "src/sequence/index.ts",
  "segments/index": "src/segments/index.ts",
  "drift/index": "src/drift/index.ts",
  "experiments/index": "src/experiments/index.ts",
  "explain/index": "src/explain/index.ts",
  "repeat/index": "src/repeat/index.ts",
  "pipeline/index": "src/pipeline/index.ts",
  "interop/index": "src/interop/index.ts",
  "node/index": "src/node/index.ts",
};

export default defineConfig({
  // The CLI is a bin, not an exports subpath; shims make its import.meta work in the CJS copy.
  entry: { ...entries, "cli/bin": "src/cli/bin.ts" },
  shims: true,
  format: ["esm", "cjs"],
  dts: true,
  // ESM chunks per shared module set keep tree-shaking exact: an unused domain's chunk (and its imports) drops out.
  splitting: true,
  platform: "neutral",
  target: "es2022",
  sourcemap: false,
  clean: true,
  treeshake: true,
  // Keep "node:fs" as written: Deno and bundlers resolve the prefixed form, and it marks Node-only code plainly.
  removeNodeProtocol: false,
  external: [/^node:/, "ml-matrix", /^seedrandom/],
  outExtension({ format }) {
    return { js: format === "cjs" ? ".cjs" : ".js" };
  },
});
