/**
 * Sample size and power of two-arm tests of proportions and of means, for planning an A/B test.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from "./distributions.ts";
import { openUnit, positive } from "./internal.ts";

/** The design of a two-sided test of two proportions. @category experiments */
export interface ProportionDesign {
  /** The control rate, in (0, 1). */
  baseline: number;
  /** The treatment rate the test should detect, in (0, 1) and not equal to the baseline. */
  treatment: number;
  /** The significance level α of the two-sided test, in (0, 1). @defaultValue 0.05 */
  alpha?: number;
  /** Treatment units per control unit. @defaultValue 1 */
  ratio?: number;
}

/** The design of a two-sided test of two means. @category experiments */
export interface MeanDesign {
  /** The difference in means the test should detect (treatment − control), non-zero. */
  difference: number;
  /** The standard deviation of one unit's value in each arm (assumed equal), > 0. */
  standardDeviation: number;
  /** The significance level α of the two-sided test, in (0, 1). @defaultValue 0.05 */
  alpha?: number;
  /** Treatment units per control unit. @defaultValue 1 */
  ratio?: number;
}

/** Options of {@link sampleSizeForProportions} and {@link sampleSizeForMeans}. @category experiments */
export interface SampleSizeOptions {
  /** The power 1 − β to reach, in (0, 1). @defaultValue 0.8 */
  power?: number;
}

/** Options of {@link powerForProportions} and {@link powerForMeans}. @category experiments */
export interface PowerOptions {
  /** Units in the control arm (the treatment arm has `ratio` times as many), > 1. */
  controlSize: number;
}

/** A required sample size. @category experiments */
export interface SampleSize {
  /** Units in the control arm, rounded up. */
  readonly control: number;
  /** Units in the treatment arm, rounded up. */
  readonly treatment: number;
  /** control + treatment. */
  readonly total: number;
  /** The unrounded control size that reaches the power exactly. */
  readonly exactControl: number;
}

interface Common {
  alpha: number;
  ratio: number;
}

function common(fn: string, design: unknown): Common {
  if (typeof design !== "object" || design === null) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: design must be an object, got ${describeValue(design)}`);
  }
  const d = design as { alpha?: unknown; ratio?: unknown };
  return { alpha: openUnit(fn, "design.alpha", d.alpha ?? 0.05), ratio: positive(fn, "design.ratio", d.ratio ?? 1) };
}

function proportionDesign(fn: string, design: ProportionDesign): Common & { pc: number; pt: number } {
  const base = common(fn, design);
  const pc = openUnit(fn, "design.baseline", design.baseline);
  const pt = openUnit(fn, "design.treatment", design.treatment);
  if (pc === pt) throw new NextbestError("E_BAD_INPUT", `${fn}: design.treatment must differ from design.baseline, got ${pt} for both`);
  return { ...base, pc, pt };
}

function meanDesign(fn: string, design: MeanDesign): Common & { delta: number; sd: number } {
  const base = common(fn, design);
  const delta = design.difference;
  if (typeof delta !== "number" || !Number.isFinite(delta) || delta === 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: design.difference must be a finite non-zero number, got ${describeValue(delta)}`);
  }
  return { ...base, delta, sd: positive(fn, "design.standardDeviation", design.standardDeviation) };
}

function powerOf(fn: string, options: unknown): number {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  return openUnit(fn, "options.power", (options as { power?: unknown }).power ?? 0.8);
}

function controlSizeOf(fn: string, options: unknown): number {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with controlSize, got ${describeValue(options)}`);
  }
  const n = (options as { controlSize?: unknown }).controlSize;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.controlSize must be a finite number > 1, got ${describeValue(n)}`);
  }
  return n;
}

// Standard deviations of the difference for one control unit (and `ratio` treatment units): under the null
// (pooled rate) and under the alternative.
function proportionSpreads(pc: number, pt: number, ratio: number): { null0: number; alternative: number } {
  const pooled = (pc + ratio * pt) / (1 + ratio);
  return {
    null0: Math.sqrt(pooled * (1 - pooled) * (1 + 1 / ratio)),
    alternative: Math.sqrt(pc * (1 - pc) + (pt * (1 - pt)) / ratio),
  };
}

/**
 * Checks that both arms together need at most Number.MAX_SAFE_INTEGER units (a difference of 1e-300 needs ~1e600, which
 * is ∞ in floating point): beyond it the sizes are not integers any more, and no experiment is that large.
 */
function checkUnits(fn: string, name: string, rule: string, exactControl: number, ratio: number): void {
  if (!(exactControl * (1 + ratio) <= Number.MAX_SAFE_INTEGER)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${name} must be ${rule} to detect with at most ${Number.MAX_SAFE_INTEGER} units in both arms, got a design needing ${exactControl * (1 + ratio)}`,
    );
  }
}

function sized(exactControl: number, ratio: number): SampleSize {
  const control = Math.ceil(exactControl - 1e-9);
  const treatment = Math.ceil(exactControl * ratio - 1e-9);
  return { control, treatment, total: control + treatment, exactControl };
}

/**
 * The sample size per arm for a two-sided z test of two proportions to reach a power: with the pooled variance under
 * the null and the unpooled one under the alternative (Fleiss, Levin & Paik 2003, eq. 4.14),
 * nc = (z(1−α/2)·σ0 + z(power)·σ1)² / (pt − pc)², nt = ratio · nc, ignoring the far rejection tail. With ratio 1 this
 * is R's `power.prop.test` (`strict = FALSE`).
 *
 * Complexity: O(1).
 *
 * @param design - baseline and treatment rates, α and the allocation ratio (see {@link ProportionDesign})
 * @param options - the power (see {@link SampleSizeOptions})
 * @returns the units per arm (see {@link SampleSize})
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when a rate, α or the power is outside (0, 1), the rates are equal,
 *   the ratio is not > 0, or the rates are so close that both arms would need more than Number.MAX_SAFE_INTEGER units
 * @example
 * ```ts
 * import { sampleSizeForProportions } from "nextbest/experiments";
 * // R: power.prop.test(p1 = .50, p2 = .75, power = .90)  # => n = 76.7
 * sampleSizeForProportions({ baseline: 0.5, treatment: 0.75 }, { power: 0.9 }).exactControl.toFixed(1); // => "76.7"
 * // Renewal rate 60% → 63% at 80% power:
 * sampleSizeForProportions({ baseline: 0.6, treatment: 0.63 }).control; // => 4129
 * ```
 * @category experiments
 */
export function sampleSizeForProportions(design: ProportionDesign, options: SampleSizeOptions = {}): SampleSize {
  const fn = "sampleSizeForProportions";
  const { pc, pt, alpha, ratio } = proportionDesign(fn, design);
  const power = powerOf(fn, options);
  const spread = proportionSpreads(pc, pt, ratio);
  const root = (normalQuantile(1 - alpha / 2) * spread.null0 + normalQuantile(power) * spread.alternative) / Math.abs(pt - pc);
  checkUnits(fn, "design.treatment", "far enough from design.baseline", root * root, ratio);
  return sized(root * root, ratio);
}

/**
 * The power of a two-sided z test of two proportions with `controlSize` control units (and ratio × as many treated):
 * Φ((|pt − pc|·√nc − z(1−α/2)·σ0) / σ1), the inverse of {@link sampleSizeForProportions} (the far tail ignored).
 *
 * Complexity: O(1).
 *
 * @param design - baseline and treatment rates, α and the allocation ratio (see {@link ProportionDesign})
 * @param options - the control arm size (see {@link PowerOptions})
 * @returns the power, in (0, 1)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an invalid design or a control size not > 1
 * @example
 * ```ts
 * import { powerForProportions } from "nextbest/experiments";
 * powerForProportions({ baseline: 0.5, treatment: 0.75 }, { controlSize: 76.7 }).toFixed(2); // => "0.90"
 * ```
 * @category experiments
 */
export function powerForProportions(design: ProportionDesign, options: PowerOptions): number {
  const fn = "powerForProportions";
  const { pc, pt, alpha, ratio } = proportionDesign(fn, design);
  const n = controlSizeOf(fn, options);
  const spread = proportionSpreads(pc, pt, ratio);
  return normalCdf((Math.abs(pt - pc) * Math.sqrt(n) - normalQuantile(1 - alpha / 2) * spread.null0) / spread.alternative);
}

// Power of the two-sample t test with nc control units, by the central-t approximation of the noncentral t:
// P(T_df > t(1−α/2, df) − |δ|/SE), df = nc + nt − 2.
function meanPower(delta: number, sd: number, alpha: number, ratio: number, nc: number): number {
  const df = nc * (1 + ratio) - 2;
  const se = sd * Math.sqrt(1 / nc + 1 / (nc * ratio));
  return 1 - studentTCdf(studentTQuantile(1 - alpha / 2, df) - Math.abs(delta) / se, df);
}

/**
 * The sample size per arm for a two-sided two-sample t test of means to reach a power, with equal standard
 * deviations: nc = (t(1−α/2, df) + t(power, df))² · σ² (1 + 1/ratio) / δ², iterated from the normal answer until df
 * = nc (1 + ratio) − 2 settles (Guenther 1981). It approximates the noncentral t of R's `power.t.test` to within a
 * fraction of a unit per arm.
 *
 * Complexity: O(iterations × quantile), a few dozen t-CDF evaluations.
 *
 * @param design - difference, standard deviation, α and the allocation ratio (see {@link MeanDesign})
 * @param options - the power (see {@link SampleSizeOptions})
 * @returns the units per arm (see {@link SampleSize})
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a zero difference, a standard deviation not > 0, α or power
 *   outside (0, 1), a ratio not > 0, or a difference so small against the standard deviation that both arms would
 *   need more than Number.MAX_SAFE_INTEGER units
 * @example
 * ```ts
 * import { sampleSizeForMeans } from "nextbest/experiments";
 * // R: power.t.test(delta = 1, sd = 1, power = .90)  # => n = 22.02110
 * sampleSizeForMeans({ difference: 1, standardDeviation: 1 }, { power: 0.9 }).control; // => 23
 * ```
 * @category experiments
 */
export function sampleSizeForMeans(design: MeanDesign, options: SampleSizeOptions = {}): SampleSize {
  const fn = "sampleSizeForMeans";
  const { delta, sd, alpha, ratio } = meanDesign(fn, design);
  const power = powerOf(fn, options);
  const scale = (sd * sd * (1 + 1 / ratio)) / (delta * delta);
  let n = (normalQuantile(1 - alpha / 2) + normalQuantile(power)) ** 2 * scale;
  checkUnits(fn, "design.difference", "large enough against design.standardDeviation", n, ratio);
  for (let i = 0; i < 50; i++) {
    const df = Math.max(1, n * (1 + ratio) - 2);
    const next = (studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df)) ** 2 * scale;
    const done = Math.abs(next - n) < 1e-9 * next;
    n = next;
    if (done) break;
  }
  checkUnits(fn, "design.difference", "large enough against design.standardDeviation", n, ratio);
  return sized(n, ratio);
}

/**
 * The power of a two-sided two-sample t test with `controlSize` control units (and ratio × as many treated), by the
 * central-t approximation of the noncentral t: P(T_df > t(1−α/2, df) − |δ|/SE), df = nc + nt − 2,
 * SE = σ √(1/nc + 1/nt). The far rejection tail is ignored.
 *
 * Complexity: O(quantile), a few dozen t-CDF evaluations.
 *
 * @param design - difference, standard deviation, α and the allocation ratio (see {@link MeanDesign})
 * @param options - the control arm size (see {@link PowerOptions})
 * @returns the power, in (0, 1)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for an invalid design or a control size not > 1
 * @example
 * ```ts
 * import { powerForMeans } from "nextbest/experiments";
 * // R: power.t.test(n = 20, delta = 1)  # => power = 0.8689528
 * powerForMeans({ difference: 1, standardDeviation: 1 }, { controlSize: 20 }).toFixed(2); // => "0.87"
 * ```
 * @category experiments
 */
export function powerForMeans(design: MeanDesign, options: PowerOptions): number {
  const fn = "powerForMeans";
  const { delta, sd, alpha, ratio } = meanDesign(fn, design);
  return meanPower(delta, sd, alpha, ratio, controlSizeOf(fn, options));
}
