import {
  chooseImpl,
  csrTimesDense,
  defineKernel,
  type HostTensor,
  runKernel,
  wasmCsrMatMul,
  wasmCsrMatMulAvailable,
} from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { type Csr, transposeCsr } from '../graph/graph.js';
import { unaryGrad } from './unaryGrad.js';

type SpmmInputs = { rowPtr: tf.Tensor1D; colIdx: tf.Tensor1D; values: tf.Tensor1D; x: tf.Tensor2D };

/** Row id of every stored entry, from the row pointers, with tensor ops (scatter of row starts + cumsum). */
function rowIdsOf(rowPtr: tf.Tensor1D, nnz: number): tf.Tensor1D {
  return tf.tidy(() => {
    const rows = rowPtr.shape[0] - 1;
    if (rows <= 1) return tf.zeros([nnz], 'int32') as tf.Tensor1D;
    const starts = tf.reshape(tf.slice(rowPtr, [1], [rows - 1]), [rows - 1, 1]);
    const marks = tf.scatterND(starts, tf.ones([rows - 1], 'int32'), [nnz + 1]);
    return tf.slice(tf.cumsum(marks), [0], [nnz]) as tf.Tensor1D;
  });
}

function hostSpmm(rowPtr: HostTensor, colIdx: HostTensor, values: HostTensor, x: HostTensor): HostTensor {
  const rows = rowPtr.shape[0]! - 1;
  const f = x.shape[1]!;
  return {
    shape: [rows, f],
    values: csrTimesDense(
      rows,
      Int32Array.from(rowPtr.values),
      Int32Array.from(colIdx.values),
      values.values,
      x.values,
      f,
    ),
  };
}

/**
 * Sparse (CSR) × dense matrix product `out = A·X`: the aggregation step of message passing with fixed edge
 * weights (GCN's Â·H, mean aggregation, LightGCN propagation). Reference: gather + scale + segment sum.
 */
export const spmmKernel = defineKernel({
  name: 'gnn/csr-spmm',
  description: 'CSR sparse matrix [rows, m] (rowPtr, colIdx, values) times dense x [m, f]: out [rows, f]',
  reference: ({ rowPtr, colIdx, values, x }: SpmmInputs) =>
    tf.tidy(() => {
      const nnz = colIdx.shape[0];
      const rows = rowPtr.shape[0] - 1;
      if (nnz === 0) return tf.zeros([rows, x.shape[1]]) as tf.Tensor2D;
      const msg = tf.mul(tf.gather(x, colIdx), tf.reshape(values, [nnz, 1]));
      return tf.unsortedSegmentSum(msg, rowIdsOf(rowPtr, nnz), rows) as tf.Tensor2D;
    }),
  cpu: ({ rowPtr, colIdx, values, x }) => hostSpmm(rowPtr, colIdx, values, x),
  webgpu: ({ rowPtr, colIdx, values, x }, _a, gpu) => {
    const rows = rowPtr.shape[0] - 1;
    const f = x.shape[1];
    return gpu.run(
      {
        key: 'gnn_csr_spmm',
        outputShape: [rows, f],
        variableNames: ['R', 'C', 'V', 'X'],
        uniforms: 'f : i32,',
        uniformData: [{ type: 'int32', data: [f] }],
        userCode: `
        fn main(index : i32) {
          if (index < uniforms.size) {
            let r = index / uniforms.f;
            let j = index % uniforms.f;
            var acc = 0.0;
            for (var k = R[r]; k < R[r + 1]; k = k + 1) {
              acc = acc + V[k] * X[C[k] * uniforms.f + j];
            }
            setOutputAtIndex(index, acc);
          }
        }`,
      },
      [rowPtr, colIdx, values, x],
    ) as tf.Tensor2D;
  },
  examples: () => [
    {
      name: '5×4 with an empty row, f = 3',
      inputs: () => ({
        rowPtr: tf.tensor1d([0, 2, 2, 5, 6, 8], 'int32'),
        colIdx: tf.tensor1d([0, 3, 1, 2, 3, 0, 1, 2], 'int32'),
        values: tf.tensor1d([0.5, -1, 2, 0.25, 1, 3, -0.5, 1.5]),
        x: tf.tensor2d(
          Float32Array.from({ length: 12 }, (_, i) => Math.cos(i)),
          [4, 3],
        ),
      }),
      attrs: {},
    },
    {
      name: '3×3 with a trailing empty row, f = 1',
      inputs: () => ({
        rowPtr: tf.tensor1d([0, 1, 3, 3], 'int32'),
        colIdx: tf.tensor1d([2, 0, 1], 'int32'),
        values: tf.tensor1d([1, 2, 3]),
        x: tf.tensor2d([1, 2, 3], [3, 1]),
      }),
      attrs: {},
    },
  ],
});

/** A CSR matrix on the device, with its transpose (for the gradient), built by {@link sparseTensors}. */
export interface SparseTensors {
  readonly rows: number;
  readonly cols: number;
  /** Host copy. */
  readonly csr: Csr;
  readonly rowPtr: tf.Tensor1D;
  readonly colIdx: tf.Tensor1D;
  readonly values: tf.Tensor1D;
  /** The transpose on the device (built on first use). */
  transposed(): Pick<SpmmInputs, 'rowPtr' | 'colIdx' | 'values'>;
  /** The transpose on the host (built on first use). */
  transposedCsr(): Csr;
  dispose(): void;
}

/** Uploads a CSR matrix for {@link spmm}. */
export function sparseTensors(csr: Csr): SparseTensors {
  // Kept: the transpose is built lazily, possibly inside a caller's tidy, and is owned by this object.
  const upload = (m: Csr) => ({
    rowPtr: tf.keep(tf.tensor1d(m.rowPtr, 'int32')),
    colIdx: tf.keep(tf.tensor1d(m.colIdx, 'int32')),
    values: tf.keep(tf.tensor1d(m.values, 'float32')),
  });
  const own = upload(csr);
  let t: ReturnType<typeof upload> | null = null;
  let tHost: Csr | null = null;
  const hostT = () => {
    if (!tHost) tHost = transposeCsr(csr);
    return tHost;
  };
  return {
    rows: csr.rows,
    cols: csr.cols,
    csr,
    ...own,
    transposed() {
      if (!t) t = upload(hostT());
      return t;
    },
    transposedCsr: hostT,
    dispose() {
      tf.dispose([own.rowPtr, own.colIdx, own.values]);
      if (t) tf.dispose([t.rowPtr, t.colIdx, t.values]);
      t = null;
    },
  };
}

/** Differentiable `A·X` for a fixed sparse `A` (gradient `Aᵀ·dY`, by the same kernel). */
export function spmm(a: SparseTensors, x: tf.Tensor2D): tf.Tensor2D {
  if (x.shape[0] !== a.cols)
    throw new RangeError(`spmm: the matrix has ${a.cols} columns but x has ${x.shape[0]} rows`);
  // On wasm, core's CSR kernel works in the backend's memory on the device CSR tensors (SIMD when the width is a
  // multiple of 4): no readback, no upload. Same product as the kernel's typed-array implementation, summed in
  // float32 instead of double.
  if (x.dtype === 'float32' && wasmCsrMatMulAvailable())
    return unaryGrad(
      x,
      (xi) => wasmCsrMatMul(a, xi as tf.Tensor2D)!,
      (dy) => wasmCsrMatMul(a.transposed(), dy as tf.Tensor2D)!,
    );
  // Where the typed-array implementation runs (cpu), it reads the host copy of the CSR arrays: no readback and
  // int → float conversion of the index tensors on every call (the same arithmetic as the kernel's cpu path).
  if (chooseImpl(spmmKernel) === 'cpu') {
    const onHost = (m: Csr, t: tf.Tensor2D) =>
      tf.tensor2d(
        csrTimesDense(m.rows, m.rowPtr, m.colIdx, m.values, t.dataSync() as Float32Array, t.shape[1]),
        [m.rows, t.shape[1]],
      );
    return unaryGrad(
      x,
      (xi) => onHost(a.csr, xi as tf.Tensor2D),
      (dy) => onHost(a.transposedCsr(), dy as tf.Tensor2D),
    );
  }
  return unaryGrad(
    x,
    (xi) => runKernel(spmmKernel, { rowPtr: a.rowPtr, colIdx: a.colIdx, values: a.values, x: xi }, {}),
    (dy) => runKernel(spmmKernel, { ...a.transposed(), x: dy }, {}),
  );
}
