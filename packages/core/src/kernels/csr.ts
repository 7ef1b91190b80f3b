import * as tf from '@tensorflow/tfjs-core';

/** Name of the CSR × dense kernel paperlab registers on the wasm backend (see {@link wasmCsrMatMul}). */
export const CSR_MATMUL_KERNEL = 'PaperlabCsrMatMul';

/**
 * `A·X` on host arrays: CSR `A` [rows, m] (`rp`, `ci`, `v`) times row-major `xv` [m, f]. Each output row is built
 * 4 (then 1) columns at a time in double-precision locals, so a row's stored entries are read once per column
 * block and nothing is rounded to float32 before the row's sum is complete. Monomorphic argument types (convert
 * index arrays to `Int32Array` first): V8 compiles one fast loop.
 */
export function csrTimesDense(
  rows: number,
  rp: Int32Array,
  ci: Int32Array,
  v: Float32Array,
  xv: Float32Array,
  f: number,
  out: Float32Array = new Float32Array(rows * f),
): Float32Array {
  for (let r = 0; r < rows; r++) {
    const k0 = rp[r]!;
    const k1 = rp[r + 1]!;
    const base = r * f;
    let j = 0;
    for (; j + 4 <= f; j += 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let k = k0; k < k1; k++) {
        const w = v[k]!;
        const o = ci[k]! * f + j;
        a0 += w * xv[o]!;
        a1 += w * xv[o + 1]!;
        a2 += w * xv[o + 2]!;
        a3 += w * xv[o + 3]!;
      }
      out[base + j] = a0;
      out[base + j + 1] = a1;
      out[base + j + 2] = a2;
      out[base + j + 3] = a3;
    }
    for (; j < f; j++) {
      let a = 0;
      for (let k = k0; k < k1; k++) a += v[k]! * xv[ci[k]! * f + j]!;
      out[base + j] = a;
    }
  }
  return out;
}

/** A CSR matrix on the device: int32 row pointers and column indices, float32 values. */
export interface CsrTensors {
  rowPtr: tf.Tensor1D;
  colIdx: tf.Tensor1D;
  values: tf.Tensor1D;
}

/**
 * `A·X` for a CSR `A` [rows, m] and a float32 `x` [m, f] on the wasm backend with paperlab's kernels installed:
 * one pass in the backend's memory (WebAssembly SIMD, 16 columns at a time in registers, where the engine has
 * SIMD; {@link csrTimesDense} on the heap otherwise), no copies. Null on other backends, so
 * callers keep their own path there. Not differentiable by itself.
 */
export function wasmCsrMatMul(a: CsrTensors, x: tf.Tensor2D): tf.Tensor2D | null {
  if (!wasmCsrMatMulAvailable()) return null;
  return tf
    .engine()
    .runKernel(
      CSR_MATMUL_KERNEL,
      { rowPtr: a.rowPtr, colIdx: a.colIdx, values: a.values, x } as unknown as tf.NamedTensorMap,
      {},
    ) as tf.Tensor2D;
}

/** Whether {@link wasmCsrMatMul} runs here: the active backend is wasm and paperlab's kernels are installed. */
export function wasmCsrMatMulAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(CSR_MATMUL_KERNEL, 'wasm') !== undefined;
}
