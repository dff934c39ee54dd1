// Small dense symmetric solves for KernelSHAP's normal equations (n ≤ a few hundred): Cholesky, and a Jacobi
// eigen-decomposition pseudo-inverse when the system is singular (too few distinct coalitions), as shap falls back
// to numpy's pinv. Not exported by the barrel.

/** Solves A x = b for a symmetric n × n A (row-major, not changed); returns x. */
export function solveSymmetric(A: Float64Array, b: Float64Array, n: number): Float64Array {
  return choleskySolve(A, b, n) ?? pseudoInverseSolve(A, b, n);
}

function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, Math.abs(A[i * n + i]!));
  const tolerance = 1e-12 * Math.max(maxDiagonal, Number.MIN_VALUE);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(sum > tolerance)) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j]!;
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= L[i * n + k]! * y[k]!;
    y[i] = sum / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= L[k * n + i]! * x[k]!;
    x[i] = sum / L[i * n + i]!;
  }
  return x;
}

/** x = A⁺ b by cyclic Jacobi rotations (A = V D Vᵀ), dropping eigenvalues below 1e-10 · max |d|. */
function pseudoInverseSolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(A);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let maxEigen = 0;
  for (let i = 0; i < n; i++) maxEigen = Math.max(maxEigen, Math.abs(a[i * n + i]!));
  const x = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    const d = a[e * n + e]!;
    if (Math.abs(d) <= 1e-10 * maxEigen) continue;
    let projection = 0;
    for (let k = 0; k < n; k++) projection += V[k * n + e]! * b[k]!;
    const scale = projection / d;
    for (let k = 0; k < n; k++) x[k]! += scale * V[k * n + e]!;
  }
  return x;
}
