// Checks shared by the classifiers: feature matrices, labels, feature names and class weights. Not exported by the
// barrel except the ClassWeights type.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { DenseMatrix } from "../linalg/types.ts";

/**
 * Per-class weights of the training loss: explicit weights per class, or `"balanced"` (each class weighted
 * n / (classes · n_class), so rare outcomes such as churn count as much as common ones).
 *
 * @category classifiers
 */
export type ClassWeights = "balanced" | BinaryClassWeights | readonly number[];

/**
 * The weights of the two classes of a binary classifier.
 *
 * @category classifiers
 */
export interface BinaryClassWeights {
  /** The weight of class 0 (no event), > 0. */
  readonly negative: number;
  /** The weight of class 1 (the event), > 0. */
  readonly positive: number;
}

/** Throws unless `matrix` is a finite Float64 dense matrix with at least one row. */
export function checkFeatureMatrix(fn: string, name: string, matrix: unknown): asserts matrix is DenseMatrix {
  const m = matrix as Partial<DenseMatrix> | null;
  if (typeof m !== "object" || m === null || !(m.data instanceof Float64Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a Float64 DenseMatrix { rows, cols, data }, got ${describeValue(matrix)}`);
  }
  const rows = m.rows!;
  const cols = m.cols!;
  if (m.data.length !== rows * cols) throw new NextbestError("E_SHAPE", `${fn}: ${name}.data must hold rows × cols = ${rows * cols} values, got ${m.data.length}`);
  if (rows === 0) throw new NextbestError("E_EMPTY", `${fn}: ${name} must have at least one row, got 0`);
  const data = m.data;
  for (let p = 0; p < data.length; p++) {
    if (!Number.isFinite(data[p]!)) {
      throw new NextbestError("E_NON_FINITE", `${fn}: ${name} row ${Math.floor(p / cols)} column ${p % cols} must be finite, got ${describeValue(data[p])}`);
    }
  }
}

/** Checks 0/1 (or boolean) labels of length `rows` with both classes present; returns them as a Float64Array. */
export function checkBinaryLabels(fn: string, labels: unknown, rows: number): Float64Array {
  const l = labels as ArrayLike<unknown> | null;
  if (typeof l !== "object" || l === null || typeof l.length !== "number") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: labels must be an array of 0/1, got ${describeValue(labels)}`);
  }
  if (l.length !== rows) throw new NextbestError("E_SHAPE", `${fn}: labels must hold one label per row (${rows}), got ${l.length}`);
  const y = new Float64Array(rows);
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    const v = l[i];
    if (v === 1 || v === true) y[i] = 1;
    else if (v !== 0 && v !== false) throw new NextbestError("E_BAD_INPUT", `${fn}: labels[${i}] must be 0 or 1, got ${describeValue(v)}`);
    positives += y[i]!;
  }
  if (positives === 0 || positives === rows) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: labels must hold both classes, got only ${positives === 0 ? 0 : 1}`);
  }
  return y;
}

/** The feature names (given, or x0..x{d-1}), checked for count and non-emptiness. */
export function checkFeatureNames(fn: string, names: unknown, d: number): readonly string[] {
  if (names === undefined) return Array.from({ length: d }, (_, j) => `x${j}`);
  if (!Array.isArray(names) || names.length !== d || !names.every((n) => typeof n === "string" && n !== "")) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.featureNames must be ${d} non-empty strings (one per column), got ${describeValue(names)}`);
  }
  return names as string[];
}

/** The weight of each row from the class weights (labels are class indices 0..classes-1). */
export function resolveClassWeights(fn: string, weights: unknown, labels: ArrayLike<number>, classes = 2): Float64Array {
  const n = labels.length;
  const out = new Float64Array(n);
  let perClass: number[];
  if (weights === undefined) perClass = new Array<number>(classes).fill(1);
  else if (weights === "balanced") {
    const counts = new Array<number>(classes).fill(0);
    for (let i = 0; i < n; i++) counts[labels[i]!]!++;
    perClass = counts.map((c) => (c > 0 ? n / (classes * c) : 1));
  } else if (Array.isArray(weights)) {
    if (weights.length !== classes) throw new NextbestError("E_BAD_INPUT", `${fn}: options.classWeights must hold ${classes} weights, got ${weights.length}`);
    perClass = weights as number[];
  } else if (typeof weights === "object" && weights !== null && classes === 2) {
    const { negative, positive } = weights as { negative?: unknown; positive?: unknown };
    perClass = [negative as number, positive as number];
  } else {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.classWeights must be "balanced", { negative, positive } or one weight per class, got ${describeValue(weights)}`);
  }
  perClass.forEach((w, c) => {
    if (typeof w !== "number" || !Number.isFinite(w) || w <= 0) {
      throw new NextbestError("E_BAD_INPUT", `${fn}: options.classWeights for class ${c} must be a finite number > 0, got ${describeValue(w)}`);
    }
  });
  for (let i = 0; i < n; i++) out[i] = perClass[labels[i]!]!;
  return out;
}
