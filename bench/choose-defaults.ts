// Chooses the defaults of fitMatrixFactorization and fitSvdPlusPlus on validation data carved from MovieLens 100K's
// training files only (issue 17, "Honest numbers"). For each official fold uK (K = 1..5) only uK.base is read; a
// seeded 20% of each user's ratings (splitByUser) becomes the validation part, every grid setting is fitted on the
// other 80% and scored by evaluateRatings' RMSE on the validation part. Where the best setting sits on an edge of the
// grid, one step beyond that edge is tried as well (edge probes, at most two rounds). The six best settings and the
// previous default are refitted with two more model seeds, and the best mean validation RMSE over folds and seeds
// wins, unless the previous default or a cheaper setting is within noise of it (chooseSetting says how). Only after both choices are
// fixed are the uK.test files opened, to report the chosen settings' test RMSE (protocol of
// bench/accuracy-ml100k.ts) for information; those rows never feed the choice.
//
// Run: npx tsx bench/choose-defaults.ts [--workers N]   (2 worker processes by default; about 10 minutes on 2 cores)
// or npm run bench:defaults. Writes bench/results/defaults.json.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createInteractions, splitByUser, type Interactions } from "../src/data/index.ts";
import { evaluateRatings } from "../src/evaluation/index.ts";
import {
  fitMatrixFactorization,
  fitSvdPlusPlus,
  matrixFactorizationRecommender,
  svdPlusPlusRecommender,
} from "../src/factorization/index.ts";
import { readMovieLens100k, readMovieLens100kSplit } from "../src/node/index.ts";
import type { Recommender } from "../src/recommend/index.ts";
import { printTable, writeResults, type BenchRow, type SuiteResult, movieLensDirectory, MOVIELENS_FOLDS } from "./lib.ts";

const FOLDS = MOVIELENS_FOLDS;
type Fold = (typeof FOLDS)[number];
/** Share of each user's training ratings held out for validation, and the seed of that draw. */
const VALIDATION_FRACTION = 0.2;
const VALIDATION_SEED = 1;
/** Rounds of edge probes after the grid. */
const PROBE_ROUNDS = 2;
/**
 * Model seeds: the grid and the probes are fitted with the first; the shortlist (the SHORTLIST best settings on that
 * seed, plus the previous default) is refitted with the others, so the final comparison sees how much a single fit's
 * RMSE moves with the seed alone.
 */
const MODEL_SEEDS = [0, 1, 2] as const;
const SHORTLIST = 6;

type ModelName = "mf" | "svdpp";
const PARAMETERS = ["factors", "epochs", "learningRate", "regularization"] as const;
type Parameter = (typeof PARAMETERS)[number];

/** One setting of the four searched options; every other option stays at the library default. */
type Setting = Readonly<Record<Parameter, number>>;

interface ModelGrid {
  readonly label: string;
  readonly grid: Readonly<Record<Parameter, readonly number[]>>;
  /**
   * The defaults before issue 17 (once chosen on the test folds): the incumbent of the rule, kept when the validation
   * data cannot tell it from the best. Fixed here, so a rerun reproduces the same choice.
   */
  readonly previous: Setting;
  /** Relative cost of a fit per factor and epoch (SVD++ also updates the implicit factors). */
  readonly costWeight: number;
}

// Small grids around the usual SGD settings (Surprise's SVD: 100 factors, 20 epochs, lr 0.005, reg 0.02; SVDpp: 20
// factors, 20 epochs, lr 0.007, reg 0.02) and the previous defaults, each value about double the one before.
const MODELS: Readonly<Record<ModelName, ModelGrid>> = {
  mf: {
    label: "fitMatrixFactorization",
    grid: { factors: [50, 100, 200], epochs: [20, 40, 80], learningRate: [0.005, 0.01], regularization: [0.02, 0.05, 0.1] },
    previous: { factors: 100, epochs: 40, learningRate: 0.005, regularization: 0.05 },
    costWeight: 1,
  },
  svdpp: {
    label: "fitSvdPlusPlus",
    grid: { factors: [20, 50, 100], epochs: [20, 40], learningRate: [0.005, 0.01], regularization: [0.05, 0.1, 0.2] },
    previous: { factors: 50, epochs: 40, learningRate: 0.01, regularization: 0.1 },
    costWeight: 3,
  },
};

function gridSettings(grid: ModelGrid["grid"]): Setting[] {
  const out: Setting[] = [];
  for (const factors of grid.factors)
    for (const epochs of grid.epochs)
      for (const learningRate of grid.learningRate) for (const regularization of grid.regularization) out.push({ factors, epochs, learningRate, regularization });
  return out;
}

/** The library's current defaults of the four searched options, read from a fit with no options. */
function libraryDefaults(model: ModelName): Setting {
  const tiny = createInteractions([{ user: "a", item: "x", value: 1 }]);
  const fitted = model === "mf" ? fitMatrixFactorization(tiny) : fitSvdPlusPlus(tiny);
  const { epochs, learningRate, regularization } = fitted.hyperparameters;
  return { factors: fitted.factors, epochs, learningRate, regularization };
}

function settingName(s: Setting): string {
  return `f${s.factors}-e${s.epochs}-lr${s.learningRate}-reg${s.regularization}`;
}

function fitModel(model: ModelName, train: Interactions, setting: Setting, seed: number): Recommender {
  return model === "mf"
    ? matrixFactorizationRecommender(fitMatrixFactorization(train, { ...setting, seed }))
    : svdPlusPlusRecommender(fitSvdPlusPlus(train, { ...setting, seed }));
}

// ---------------------------------------------------------------------------------------------------------------
// Jobs, run in worker processes. A validation job reads only uK.base; test jobs are sent only after the choice.

interface Job {
  readonly id: number;
  readonly phase: "validation" | "test";
  readonly model: ModelName;
  readonly fold: Fold;
  readonly setting: Setting;
  readonly seed: number;
}

interface JobResult {
  readonly id: number;
  readonly rmse: number;
  readonly seconds: number;
}

const splits = new Map<string, { train: Interactions; heldOut: Interactions }>();

async function splitFor(phase: Job["phase"], fold: Fold): Promise<{ train: Interactions; heldOut: Interactions }> {
  const key = `${phase}-${fold}`;
  let split = splits.get(key);
  if (split === undefined) {
    if (phase === "validation") {
      const base = await readMovieLens100k(movieLensDirectory, { file: `${fold}.base` });
      // coldStart "keep": a validation rating of a movie left without fit ratings stays and is scored as
      // bench/accuracy-ml100k.ts scores such test pairs, so validation mirrors the reported protocol.
      const { train, test } = splitByUser(base, { testFraction: VALIDATION_FRACTION, seed: VALIDATION_SEED, coldStart: "keep" });
      split = { train, heldOut: test };
    } else {
      const { train, test } = await readMovieLens100kSplit(movieLensDirectory, { split: fold, coldStart: "keep" });
      split = { train, heldOut: test };
    }
    splits.set(key, split);
  }
  return split;
}

async function runJob(job: Job): Promise<JobResult> {
  const { train, heldOut } = await splitFor(job.phase, job.fold);
  const started = performance.now();
  const recommender = fitModel(job.model, train, job.setting, job.seed);
  const seconds = (performance.now() - started) / 1000;
  const { rmse } = evaluateRatings(recommender, heldOut, { unpredictable: "global-mean", train });
  return { id: job.id, rmse, seconds };
}

function workerMain(): void {
  process.on("message", (job: Job) => {
    runJob(job).then(
      (result) => process.send!(result),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

/** Runs the jobs on the worker processes, costliest first; results by job id. */
async function runJobs(jobs: readonly Job[], workers: readonly ChildProcess[], cost: (job: Job) => number): Promise<Map<number, JobResult>> {
  const queue = [...jobs].sort((a, b) => cost(b) - cost(a));
  const results = new Map<number, JobResult>();
  if (jobs.length === 0) return results;
  return new Promise((resolve, reject) => {
    const next = (worker: ChildProcess): void => {
      const job = queue.shift();
      if (job !== undefined) worker.send(job);
    };
    for (const worker of workers) {
      worker.removeAllListeners("message");
      worker.removeAllListeners("exit");
      worker.on("message", (result: JobResult) => {
        results.set(result.id, result);
        if (results.size % 50 === 0 || results.size === jobs.length) console.log(`  ${results.size}/${jobs.length} fits`);
        if (results.size === jobs.length) resolve(results);
        else next(worker);
      });
      worker.on("exit", (code) => reject(new Error(`choose-defaults: a worker exited with code ${code}`)));
      next(worker);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The choice.

interface Evaluated {
  readonly setting: Setting;
  /** Whether it came from an edge probe rather than the grid. */
  readonly probe: boolean;
  /** Validation RMSE by model seed (index into MODEL_SEEDS), then by fold (FOLDS order). */
  readonly runs: number[][];
  /** Fit seconds of every run. */
  readonly fitSeconds: number[];
}

interface Scored {
  readonly entry: Evaluated;
  readonly setting: Setting;
  /** Mean validation RMSE over the folds and the first `seeds` model seeds. */
  readonly mean: number;
  /** Mean over the (seed, fold) pairs of (this setting's RMSE − the best setting's RMSE), and its standard error. */
  readonly gap: number;
  readonly gapStandardError: number;
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
const sameSetting = (a: Setting, b: Setting): boolean => PARAMETERS.every((p) => a[p] === b[p]);
const runsOf = (e: Evaluated, seeds: number): number[] => e.runs.slice(0, seeds).flat();

/** Scores the entries on their first `seeds` model seeds: means, and each one's paired gap to the best. */
function score(entries: readonly Evaluated[], seeds: number): Scored[] {
  const means = entries.map((e) => mean(runsOf(e, seeds)));
  let bestIndex = 0;
  for (let k = 1; k < means.length; k++) if (means[k]! < means[bestIndex]!) bestIndex = k;
  const bestRuns = runsOf(entries[bestIndex]!, seeds);
  return entries.map((entry, k) => {
    const differences = runsOf(entry, seeds).map((v, j) => v - bestRuns[j]!);
    const gap = mean(differences);
    const variance = differences.reduce((sum, d) => sum + (d - gap) ** 2, 0) / (differences.length - 1);
    return { entry, setting: entry.setting, mean: means[k]!, gap, gapStandardError: Math.sqrt(variance / differences.length) };
  });
}

const bestOf = (scored: readonly Scored[]): Scored => scored.reduce((best, s) => (s.mean < best.mean ? s : best));

/** The value one step beyond `value` when it is the smallest or largest of `tried` (the ratio of the two outermost values on that side), else undefined. */
function beyondEdge(parameter: Parameter, tried: readonly number[], value: number): number | undefined {
  const sorted = [...new Set(tried)].sort((a, b) => a - b);
  if (sorted.length < 2) return undefined;
  let next: number;
  if (value === sorted[sorted.length - 1]) next = value * (value / sorted[sorted.length - 2]!);
  else if (value === sorted[0]) next = value / (sorted[1]! / value);
  else return undefined;
  next = parameter === "factors" || parameter === "epochs" ? Math.max(1, Math.round(next)) : Number(next.toPrecision(6));
  return next === value ? undefined : next;
}

/** Parameters whose best value (on the first seed) is an edge of the values tried. */
function edgesOf(evaluated: readonly Evaluated[]): Parameter[] {
  const best = bestOf(score(evaluated, 1)).setting;
  return PARAMETERS.filter((p) => beyondEdge(p, evaluated.map((e) => e.setting[p]), best[p]) !== undefined);
}

function edgeProbes(evaluated: readonly Evaluated[]): Setting[] {
  const best = bestOf(score(evaluated, 1)).setting;
  const probes: Setting[] = [];
  for (const parameter of edgesOf(evaluated)) {
    const probe = { ...best, [parameter]: beyondEdge(parameter, evaluated.map((e) => e.setting[parameter]), best[parameter])! };
    if (!evaluated.some((e) => sameSetting(e.setting, probe))) probes.push(probe);
  }
  return probes;
}

/** The settings refitted with more seeds: the SHORTLIST best on the first seed, plus the previous default. */
function shortlist(model: ModelGrid, evaluated: readonly Evaluated[]): Evaluated[] {
  const top = score(evaluated, 1)
    .sort((a, b) => a.mean - b.mean)
    .slice(0, SHORTLIST)
    .map((s) => s.entry);
  const previous = evaluated.find((e) => sameSetting(e.setting, model.previous))!;
  return top.includes(previous) ? top : [...top, previous];
}

/**
 * How much a single fit's validation RMSE moves when only the model seed changes: the standard deviation over the
 * seeds of each (setting, fold), pooled over the shortlist and the folds.
 */
function seedStandardDeviation(finalists: readonly Evaluated[]): number {
  let squares = 0;
  let freedom = 0;
  for (const entry of finalists) {
    for (let fold = 0; fold < FOLDS.length; fold++) {
      const values = entry.runs.map((run) => run[fold]!);
      const m = mean(values);
      squares += values.reduce((sum, v) => sum + (v - m) ** 2, 0);
      freedom += values.length - 1;
    }
  }
  return Math.sqrt(squares / freedom);
}

interface Choice {
  /** Every setting on the first model seed. */
  readonly firstSeed: readonly Scored[];
  /** The shortlist on all model seeds. */
  readonly confirmed: readonly Scored[];
  readonly best: Scored;
  readonly chosen: Scored;
  /** The previous default on the first seed. */
  readonly previous: Scored;
  readonly reason: string;
  /** Parameters whose best value is still on an edge of the values tried. */
  readonly edges: readonly string[];
  /** The pooled seed standard deviation of a single fit (see seedStandardDeviation). */
  readonly seedStandardDeviation: number;
}

/** Within noise of the best: the gap is at most one standard error of the paired difference, or at most the seed standard deviation of a single fit. */
const withinNoise = (s: Scored, seedSd: number): boolean => s.gap <= Math.max(s.gapStandardError, seedSd);

/**
 * On the shortlist, scored over every fold and model seed: the best mean validation RMSE wins, except within noise.
 * A setting whose mean exceeds the best's by at most one standard error of the paired (seed, fold) difference (the
 * one-standard-error rule), or by at most what a single fit's RMSE moves with its seed alone, cannot be told apart
 * from it in practice. Among those the previous default is kept when it is one of them (stable defaults), else the
 * cheapest (fewest factors × epochs, then the lower mean).
 */
function chooseSetting(model: ModelGrid, evaluated: readonly Evaluated[], finalists: readonly Evaluated[]): Choice {
  const firstSeed = score(evaluated, 1);
  const confirmed = score(finalists, MODEL_SEEDS.length);
  const best = bestOf(confirmed);
  const previous = firstSeed.find((s) => sameSetting(s.setting, model.previous))!;
  const edges = edgesOf(evaluated).map((p) => `${p} ${bestOf(firstSeed).setting[p]}`);
  const seedSd = seedStandardDeviation(finalists);
  const previousConfirmed = confirmed.find((s) => sameSetting(s.setting, model.previous))!;
  if (withinNoise(previousConfirmed, seedSd)) {
    const reason =
      previousConfirmed === best
        ? "the previous default has the best mean validation RMSE"
        : `the previous default is within noise of the best, ${settingName(best.setting)}, so it is kept`;
    return { firstSeed, confirmed, best, chosen: previousConfirmed, previous, reason, edges, seedStandardDeviation: seedSd };
  }
  const cost = (s: Scored) => s.setting.factors * s.setting.epochs;
  const chosen = confirmed.filter((s) => withinNoise(s, seedSd)).sort((a, b) => cost(a) - cost(b) || a.mean - b.mean)[0]!;
  const reason =
    chosen === best
      ? "the best mean validation RMSE; no cheaper setting and not the previous default is within noise of it"
      : `the cheapest setting (factors x epochs) within noise of the best, ${settingName(best.setting)}; the previous default is not`;
  return { firstSeed, confirmed, best, chosen, previous, reason, edges, seedStandardDeviation: seedSd };
}

// ---------------------------------------------------------------------------------------------------------------

function workerCountFromArgs(): number {
  const flag = process.argv.indexOf("--workers");
  const count = flag >= 0 ? Number(process.argv[flag + 1]) : 2;
  if (!Number.isInteger(count) || count < 1) throw new Error(`choose-defaults: --workers must be a positive integer, got ${process.argv[flag + 1]}`);
  return count;
}

/** The suite: validation choice of both models' defaults, then the chosen settings' test RMSE for information. */
export async function runChooseDefaults(workerCount = 2): Promise<SuiteResult> {
  const started = performance.now();
  const rows: BenchRow[] = [];
  if (!existsSync(movieLensDirectory)) return { suite: "defaults", protocol: `skipped: ${movieLensDirectory} not found`, rows };
  const self = fileURLToPath(import.meta.url);
  const workers = Array.from({ length: workerCount }, () => fork(self, ["--worker"], { execArgv: process.execArgv, stdio: "inherit" }));
  const models = Object.keys(MODELS) as ModelName[];
  const cost = (job: Job) => job.setting.factors * job.setting.epochs * MODELS[job.model].costWeight;
  const choices = new Map<ModelName, Choice>();
  let nextId = 0;
  let validationFits = 0;
  try {
    // 1. Validation only: no job of this phase opens a uK.test file.
    const evaluated = new Map<ModelName, Evaluated[]>(models.map((m) => [m, []]));
    /** Fits the entries with the model seed of index `seedIndex` on every fold and records the runs. */
    const evaluate = async (entries: ReadonlyMap<ModelName, readonly Evaluated[]>, seedIndex: number, what: string): Promise<void> => {
      const jobs: Job[] = [];
      const owner = new Map<number, Evaluated>();
      for (const [model, list] of entries) {
        for (const entry of list) {
          entry.runs[seedIndex] = new Array<number>(FOLDS.length).fill(Number.NaN);
          for (const fold of FOLDS) {
            owner.set(nextId, entry);
            jobs.push({ id: nextId++, phase: "validation", model, fold, setting: entry.setting, seed: MODEL_SEEDS[seedIndex]! });
          }
        }
      }
      validationFits += jobs.length;
      console.log(`validation, ${what}: ${jobs.length} fits on ${workerCount} worker process(es)`);
      const results = await runJobs(jobs, workers, cost);
      for (const job of jobs) {
        const entry = owner.get(job.id)!;
        const result = results.get(job.id)!;
        entry.runs[seedIndex]![FOLDS.indexOf(job.fold)] = result.rmse;
        entry.fitSeconds.push(result.seconds);
      }
    };
    const newEntries = (settings: readonly Setting[], probe: boolean): Evaluated[] => settings.map((setting) => ({ setting, probe, runs: [], fitSeconds: [] }));
    const validationStarted = performance.now();
    const gridEntries = new Map(models.map((m) => [m, newEntries(gridSettings(MODELS[m].grid), false)]));
    for (const [m, list] of gridEntries) evaluated.get(m)!.push(...list);
    await evaluate(gridEntries, 0, "grid");
    for (let round = 0; round < PROBE_ROUNDS; round++) {
      const probes = new Map(models.map((m) => [m, newEntries(edgeProbes(evaluated.get(m)!), true)]));
      if ([...probes.values()].every((list) => list.length === 0)) break;
      for (const [m, list] of probes) evaluated.get(m)!.push(...list);
      await evaluate(probes, 0, `edge probes, round ${round + 1} (${[...probes].map(([m, list]) => `${m}: ${list.map((e) => settingName(e.setting)).join(", ") || "none"}`).join("; ")})`);
    }
    const finalists = new Map(models.map((m) => [m, shortlist(MODELS[m], evaluated.get(m)!)]));
    for (let seedIndex = 1; seedIndex < MODEL_SEEDS.length; seedIndex++) await evaluate(finalists, seedIndex, `shortlist, model seed ${MODEL_SEEDS[seedIndex]}`);
    const validationSeconds = (performance.now() - validationStarted) / 1000;
    for (const model of models) choices.set(model, chooseSetting(MODELS[model], evaluated.get(model)!, finalists.get(model)!));
    // The choice is fixed here, before any test file is read.
    const frozen = JSON.stringify([...choices].map(([, choice]) => choice.chosen.setting));

    for (const model of models) {
      const choice = choices.get(model)!;
      const fitSeconds = (s: Scored) => mean(s.entry.fitSeconds).toFixed(2);
      const ranked = [...choice.firstSeed].sort((a, b) => a.mean - b.mean);
      const onShortlist = new Set(finalists.get(model)!);
      console.log(
        `\n${MODELS[model].label}: the 12 best of ${ranked.length} settings by mean validation RMSE over u1..u5.base, model seed ${MODEL_SEEDS[0]} ` +
          "(gap: mean paired difference to the best ± its standard error)",
      );
      for (const s of ranked.slice(0, 12)) {
        const marks = [onShortlist.has(s.entry) ? "shortlist" : "", s === choice.previous ? "previous default" : "", s.entry.probe ? "edge probe" : ""].filter(Boolean).join(", ");
        console.log(`  ${settingName(s.setting).padEnd(28)} ${s.mean.toFixed(4)}  gap ${s.gap.toFixed(4)} ± ${s.gapStandardError.toFixed(4)}  fit ${fitSeconds(s)} s  ${marks}`);
      }
      const p = choice.previous;
      console.log(`  previous default ${settingName(p.setting)}: ${p.mean.toFixed(4)} (rank ${ranked.indexOf(p) + 1}), gap ${p.gap.toFixed(4)} ± ${p.gapStandardError.toFixed(4)}`);
      if (choice.edges.length > 0) console.log(`  note: the best value is still on an edge of the values tried for ${choice.edges.join(", ")}`);
      console.log(
        `  shortlist over model seeds ${MODEL_SEEDS.join(", ")} (${MODEL_SEEDS.length * FOLDS.length} runs each; a single fit's seed standard deviation ` +
          `${choice.seedStandardDeviation.toFixed(4)}):`,
      );
      for (const s of [...choice.confirmed].sort((a, b) => a.mean - b.mean)) {
        const marks = [s === choice.chosen ? "chosen" : "", s === choice.best ? "best" : "", withinNoise(s, choice.seedStandardDeviation) ? "within noise" : ""].filter(Boolean).join(", ");
        console.log(`  ${settingName(s.setting).padEnd(28)} ${s.mean.toFixed(4)}  gap ${s.gap.toFixed(4)} ± ${s.gapStandardError.toFixed(4)}  ${marks}`);
      }
      console.log(`  chosen ${settingName(choice.chosen.setting)}: ${choice.reason}`);
      for (const s of choice.firstSeed) {
        rows.push({ name: `${model}-validation-rmse-${settingName(s.setting)}`, value: s.mean, unit: `RMSE (mean validation, 5 folds, seed ${MODEL_SEEDS[0]}${s.entry.probe ? "; edge probe" : ""})` });
      }
      for (const s of choice.confirmed) {
        rows.push({ name: `${model}-shortlist-rmse-${settingName(s.setting)}`, value: s.mean, unit: `RMSE (mean validation, 5 folds x ${MODEL_SEEDS.length} seeds)` });
        rows.push({ name: `${model}-shortlist-gap-${settingName(s.setting)}`, value: s.gap, unit: `RMSE above the best (standard error ${s.gapStandardError.toPrecision(2)})` });
      }
      rows.push({ name: `${model}-validation-best`, value: choice.best.mean, unit: `RMSE (${settingName(choice.best.setting)}, ${MODEL_SEEDS.length} seeds)` });
      rows.push({ name: `${model}-validation-chosen`, value: choice.chosen.mean, unit: `RMSE (${settingName(choice.chosen.setting)}, ${MODEL_SEEDS.length} seeds)` });
      rows.push({ name: `${model}-validation-chosen-gap`, value: choice.chosen.gap, unit: "RMSE above the best (mean paired difference)" });
      rows.push({ name: `${model}-validation-chosen-gap-standard-error`, value: choice.chosen.gapStandardError, unit: "RMSE" });
      rows.push({ name: `${model}-validation-seed-standard-deviation`, value: choice.seedStandardDeviation, unit: "RMSE (one fit, seed alone; pooled over the shortlist and folds)" });
      rows.push({ name: `${model}-validation-previous-default`, value: p.mean, unit: `RMSE (${settingName(p.setting)}, seed ${MODEL_SEEDS[0]})` });
      rows.push({ name: `${model}-validation-previous-default-gap`, value: p.gap, unit: `RMSE above the best on seed ${MODEL_SEEDS[0]} (standard error ${p.gapStandardError.toPrecision(2)})` });
      for (const parameter of PARAMETERS) rows.push({ name: `${model}-chosen-${parameter}`, value: choice.chosen.setting[parameter], unit: parameter });
      const library = libraryDefaults(model);
      const matches = sameSetting(library, choice.chosen.setting);
      if (!matches) console.log(`  warning: ${MODELS[model].label}'s defaults in the source are ${settingName(library)}, not the chosen setting`);
      rows.push({ name: `${model}-library-defaults-match-chosen`, value: matches ? 1 : 0, unit: `1 = yes (source defaults ${settingName(library)})` });
      rows.push({ name: `${model}-chosen-fit-seconds`, value: mean(choice.chosen.entry.fitSeconds), unit: "s (mean per validation fit, 80% of uK.base)" });
    }

    // 2. For information only: the chosen settings fitted on all of uK.base (seed 0) and scored on every rating of uK.test.
    const testJobs: Job[] = [];
    for (const model of models) {
      for (const fold of FOLDS) testJobs.push({ id: nextId++, phase: "test", model, fold, setting: choices.get(model)!.chosen.setting, seed: MODEL_SEEDS[0] });
    }
    console.log(`\ntest (for information, after the choice): ${testJobs.length} fits`);
    const testResults = await runJobs(testJobs, workers, cost);
    if (JSON.stringify([...choices].map(([, choice]) => choice.chosen.setting)) !== frozen) throw new Error("choose-defaults: the choice changed after the test phase began");
    for (const model of models) {
      const values = testJobs.filter((job) => job.model === model).map((job) => testResults.get(job.id)!.rmse);
      FOLDS.forEach((fold, k) => rows.push({ name: `${model}-chosen-test-rmse-${fold}`, value: values[k]!, unit: `RMSE (${fold}.test, for information)` }));
      rows.push({ name: `${model}-chosen-test-rmse`, value: mean(values), unit: "RMSE (mean u1..u5.test, for information)" });
    }
    rows.push({ name: "validation-seconds", value: validationSeconds, unit: `s (${validationFits} fits, ${workerCount} worker processes)` });
    rows.push({ name: "total-seconds", value: (performance.now() - started) / 1000, unit: "s" });
  } finally {
    for (const worker of workers) {
      worker.removeAllListeners("exit");
      worker.kill();
    }
  }

  const list = (values: readonly number[]) => `{${values.join(", ")}}`;
  const gridText = (m: ModelName) => PARAMETERS.map((p) => `${p} ${list(MODELS[m].grid[p])}`).join(" x ");
  const choiceText = (m: ModelName) => {
    const choice = choices.get(m)!;
    const probes = choice.firstSeed.filter((s) => s.entry.probe).map((s) => settingName(s.setting));
    return (
      `${MODELS[m].label}: edge probes ${probes.length > 0 ? probes.join(", ") : "none"}` +
      (choice.edges.length > 0 ? ` (the best is still on an edge of the values tried for ${choice.edges.join(", ")})` : "") +
      `; shortlist ${choice.confirmed.map((s) => settingName(s.setting)).join(", ")}; a single fit's seed standard deviation ` +
      `${choice.seedStandardDeviation.toFixed(4)}; best ${settingName(choice.best.setting)}; ` +
      `chosen ${settingName(choice.chosen.setting)} (${choice.reason})`
    );
  };
  return {
    suite: "defaults",
    protocol:
      "Defaults of fitMatrixFactorization (mf) and fitSvdPlusPlus (svdpp) chosen on validation data carved from " +
      "training data only. MovieLens 100K (../shared/data/movielens-100k): for each official fold K = 1..5 only " +
      `uK.base is read; splitByUser holds out a seeded ${VALIDATION_FRACTION * 100}% of each user's ratings (seed ` +
      `${VALIDATION_SEED}, coldStart keep) as the validation part; a setting is fitted on the other ` +
      `${100 - VALIDATION_FRACTION * 100}% (every option not searched at its default) and scored by evaluateRatings' ` +
      "RMSE on the validation part (unpredictable: global-mean). Grids, model seed " +
      `${MODEL_SEEDS[0]}: mf ${gridText("mf")}; svdpp ${gridText("svdpp")}. Edge probes: where the best setting's ` +
      "value of a parameter is the smallest or largest tried, the best setting with that value one step further (by " +
      `the ratio of the two outermost values) is fitted too, up to ${PROBE_ROUNDS} rounds. Shortlist: the ${SHORTLIST} ` +
      `best settings and the previous default, refitted with model seeds ${MODEL_SEEDS.slice(1).join(" and ")}. Rule, on ` +
      `the shortlist over ${FOLDS.length} folds x ${MODEL_SEEDS.length} seeds: the best mean validation RMSE; a setting ` +
      "whose mean exceeds the best's by at most max(one standard error of the paired (seed, fold) difference, the " +
      "standard deviation of a single fit's RMSE over the seeds, pooled over the shortlist and folds) is within " +
      "noise; among those the previous default " +
      "(mf f100-e40-lr0.005-reg0.05, svdpp f50-e40-lr0.01-reg0.1, both once chosen on the test folds) is kept when it " +
      `is one of them, else the cheapest (factors x epochs). ${choiceText("mf")}. ${choiceText("svdpp")}. No ` +
      "u1..u5.test file is read for the choice: only after it is fixed, the *-chosen-test-rmse rows fit the chosen " +
      "setting (seed 0) on all of uK.base and score every rating of uK.test as bench/accuracy-ml100k.ts does, for " +
      "information. Seconds: wall clock, 2-core machine, fits spread over worker processes.",
    rows,
  };
}

if (process.argv.includes("--worker")) workerMain();
else if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const result = await runChooseDefaults(workerCountFromArgs());
  printTable(result);
  console.log(`\nwrote ${writeResults(result)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
