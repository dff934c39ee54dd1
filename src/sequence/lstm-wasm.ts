// The LSTM's matrix products and its backward step through the cell on the WebAssembly SIMD kernels (kernels.wat:
// lstmMatVecF64, lstmOuterF64, lstmCellBackwardF64), bit for bit the JavaScript loops of lstm-kernel.ts. Not exported
// by the barrel; fitLstm uses it under `kernels: "auto"` and `"webassembly"`.
//
// Everything the kernels touch lives in their memory, as Float64Array views: the parameters, the gradient, the
// interleaved copy of the weight matrices the forward pass multiplies by, the workspace and the packed features. A
// call then passes byte offsets and copies nothing. Gate activations and softmax (Math.exp and Math.tanh: called from
// WebAssembly they were slower, 28 against 17 ns for tanh), loss, the heads' vector products and Adam stay in
// JavaScript on those views.
//
// The forward product z += W·x runs lanes over rows (a lane per row, so each row's sum keeps the JavaScript order
// over k); for that the kernel reads W interleaved in blocks of 8 rows, column k of a block its 8 doubles side by
// side. The weights change only in the Adam step after each batch, so `refresh` rebuilds the copy then.
import { createKernelArena, type KernelExports } from "../linalg/wasm/simd.ts";
import { createWorkspace, type LstmLayout, type LstmProducts, type LstmShape, type LstmWorkspace, type PackedSequences } from "./lstm-kernel.ts";

/** A fit's arrays in the kernels' memory, with a workspace whose products run there. */
export interface LstmKernelFit {
  /** The parameters (a view: copy them out before the fit returns). */
  readonly parameters: Float64Array;
  readonly gradient: Float64Array;
  /** The packed sequences with their features in the kernels' memory. */
  readonly data: PackedSequences;
  readonly ws: LstmWorkspace;
  /** Rebuilds the interleaved weights from the parameters; call after every change of the parameters. */
  refresh(): void;
}

/** A weight matrix the forward pass multiplies by: its offset in the parameters and its shape. */
interface Matrix {
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

/** The matrices of addMatVec's calls in forwardSequence (layer 1's input weights only when there are features). */
function forwardMatrices(shape: LstmShape, layout: LstmLayout): Matrix[] {
  const { stageCount: S, featureCount: F, hiddenSize: H, layers } = shape;
  const matrices: Matrix[] = [];
  for (let l = 0; l < layers; l++) {
    const inputs = l === 0 ? F : H;
    if (inputs > 0) matrices.push({ offset: layout.inputWeights[l]!, rows: 4 * H, cols: inputs });
    matrices.push({ offset: layout.recurrentWeights[l]!, rows: 4 * H, cols: H });
  }
  matrices.push({ offset: layout.nextWeights, rows: S, cols: H });
  return matrices;
}

/** Doubles of a matrix's interleaved copy: its rows rounded up to a multiple of 8. */
function interleavedLength(matrix: Matrix): number {
  return Math.ceil(matrix.rows / 8) * 8 * matrix.cols;
}

/** Doubles of an array rounded up to a whole number of 16-byte vectors (every array starts 16-byte aligned). */
function aligned(length: number): number {
  return (length + 1) & ~1;
}

/**
 * Lays out a fit in a fresh kernels instance, copying in `parameters` and the data's features, or undefined where the
 * kernels cannot run (no WebAssembly SIMD, or more than WebAssembly's 4 GiB).
 */
export function createLstmKernelFit(
  shape: LstmShape,
  layout: LstmLayout,
  parameters: Float64Array,
  data: PackedSequences,
): LstmKernelFit | undefined {
  const matrices = forwardMatrices(shape, layout);
  let workspaceLength = 0;
  const empty = new Float64Array(0);
  createWorkspace(shape, data.maxLength, (length) => {
    workspaceLength += aligned(length);
    return empty;
  });
  const arena = createKernelArena(
    new Map([
      ["parameters", 8 * layout.size],
      ["gradient", 8 * layout.size],
      ["interleaved", 8 * matrices.reduce((sum, m) => sum + interleavedLength(m), 0)],
      ["features", 8 * data.features.length],
      ["workspace", 8 * workspaceLength],
    ]),
  );
  if (arena === undefined) return undefined;
  const kernels = arena.kernels;
  const P = arena.f64("parameters");
  P.set(parameters);
  const features = arena.f64("features");
  features.set(data.features);
  const interleaved = arena.f64("interleaved");
  // Byte offset of each forward matrix's interleaved copy, by its offset in the parameters.
  const copies = new Map<number, number>();
  let at = 0;
  for (const matrix of matrices) {
    copies.set(matrix.offset, interleaved.byteOffset + 8 * at);
    at += interleavedLength(matrix);
  }
  const workspace = arena.f64("workspace");
  let used = 0;
  const allocate = (length: number): Float64Array => {
    const view = workspace.subarray(used, used + length);
    used += aligned(length);
    return view;
  };
  const products = wasmProducts(kernels, copies);
  return {
    parameters: P,
    gradient: arena.f64("gradient"),
    data: { ...data, features },
    ws: createWorkspace(shape, data.maxLength, allocate, products),
    refresh() {
      let base = 0;
      for (const { offset, rows, cols } of matrices) {
        // Block b, column k, lane r: row 8b + r (zero past the last row).
        for (let b = 0; b * 8 < rows; b++) {
          for (let k = 0; k < cols; k++) {
            const to = base + (b * cols + k) * 8;
            for (let r = 0; r < 8; r++) {
              const row = b * 8 + r;
              interleaved[to + r] = row < rows ? P[offset + row * cols + k]! : 0;
            }
          }
        }
        base += interleavedLength({ offset, rows, cols });
      }
    },
  };
}

/** The products on the kernels: every array a view onto their memory, the forward weights read from `copies`. */
function wasmProducts(kernels: KernelExports, copies: ReadonlyMap<number, number>): LstmProducts {
  return {
    matVec(_P, w, rows, cols, x, xo, z, zo) {
      kernels.lstmMatVecF64(copies.get(w)!, rows, cols, x.byteOffset + 8 * xo, z.byteOffset + 8 * zo);
    },
    outer(P, grad, w, rows, cols, d, x, xo, dx, dxo) {
      kernels.lstmOuterF64(
        P.byteOffset + 8 * w,
        grad.byteOffset + 8 * w,
        rows,
        cols,
        d.byteOffset,
        x.byteOffset + 8 * xo,
        dx === null ? 0 : dx.byteOffset + 8 * dxo,
      );
    },
    cell(H, gates, zo, cells, hp, tanhCells, fromAbove, ho, dhNext, dcNext, dz, grad, b, E) {
      kernels.lstmCellBackwardF64(
        H,
        gates.byteOffset + 8 * zo,
        hp >= 0 ? cells.byteOffset + 8 * hp : 0,
        tanhCells.byteOffset + 8 * ho,
        fromAbove.byteOffset + 8 * ho,
        dhNext.byteOffset,
        dcNext.byteOffset,
        dz.byteOffset,
        grad.byteOffset + 8 * b,
        E >= 0 ? grad.byteOffset + 8 * E : 0,
      );
    },
  };
}
