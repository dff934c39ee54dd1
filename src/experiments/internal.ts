// Boundary checks shared by the experiment functions.
import { NextbestError, describeValue } from "../core/errors.ts";

/** Reads `options.confidence` (default 0.95), which must be in (0, 1). */
export function confidenceOf(fn: string, options: unknown, name = "options.confidence"): number {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const value = (options as { confidence?: unknown }).confidence ?? 0.95;
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a number in (0, 1), got ${describeValue(value)}`);
  }
  return value;
}

/** Throws E_BAD_INPUT unless `value` is a number strictly inside (0, 1). */
export function openUnit(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a number in (0, 1), got ${describeValue(value)}`);
  }
  return value;
}

/** Throws E_BAD_INPUT unless `value` is a finite number > 0. */
export function positive(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new NextbestError(
      typeof value === "number" && Number.isNaN(value) ? "E_NON_FINITE" : "E_BAD_INPUT",
      `${fn}: ${name} must be a finite number > 0, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * The relative lift t / c − 1 with a delta-method interval on the log ratio (Katz et al. 1978): the log of a ratio
 * of two independent estimates has variance ≈ varT / t² + varC / c². NaN bounds when either estimate is ≤ 0.
 */
export function logRatioLift(
  treatment: number,
  control: number,
  varianceTreatment: number,
  varianceControl: number,
  z: number,
): { lift: number; lower: number; upper: number } {
  const lift = control === 0 ? Number.NaN : treatment / control - 1;
  if (!(treatment > 0 && control > 0)) return { lift, lower: Number.NaN, upper: Number.NaN };
  const logRatio = Math.log(treatment / control);
  const se = Math.sqrt(varianceTreatment / (treatment * treatment) + varianceControl / (control * control));
  return { lift, lower: Math.expm1(logRatio - z * se), upper: Math.expm1(logRatio + z * se) };
}
