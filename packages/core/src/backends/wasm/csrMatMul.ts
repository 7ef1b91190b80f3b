import type * as tf from '@tensorflow/tfjs-core';
import { CSR_MATMUL_KERNEL, csrTimesDense } from '../../kernels/csr.js';
import { wasmKernel } from './kernelCalls.js';
import { simdKernelsFor } from './simdKernels.js';

/**
 * CSR [rows, m] × dense float32 [m, f] (inputs rowPtr, colIdx int32; values, x float32): the SIMD helper on the
 * backend's memory (16, then 4 columns at a time, then one), the typed-array loop on heap views where the engine
 * has no WebAssembly SIMD.
 */
export const csrMatMulConfig: tf.KernelConfig = wasmKernel(CSR_MATMUL_KERNEL, ({ inputs }, wasm) => {
  const { rowPtr, colIdx, values, x } = inputs as Record<string, tf.TensorInfo>;
  const rows = (rowPtr!.shape[0] ?? 1) - 1;
  const [m, f] = x!.shape as [number, number];
  const nnz = colIdx!.shape[0] ?? 0;
  if (
    rowPtr!.dtype !== 'int32' ||
    colIdx!.dtype !== 'int32' ||
    values!.dtype !== 'float32' ||
    x!.dtype !== 'float32' ||
    x!.shape.length !== 2 ||
    values!.shape[0] !== nnz
  )
    throw new TypeError(
      `${CSR_MATMUL_KERNEL}: expected int32 rowPtr, colIdx [nnz], float32 values [nnz] and x [m, f]; got ` +
        `${rowPtr!.dtype} rowPtr, ${colIdx!.dtype} colIdx [${colIdx!.shape}], ${values!.dtype} values ` +
        `[${values!.shape}], ${x!.dtype} x [${x!.shape}] (m = ${m})`,
    );
  const out = wasm.makeOutput([rows, f], 'float32');
  // Views after the allocation: growing the wasm memory detaches older views.
  const rp = wasm.typedArrayFromHeap(rowPtr!) as Int32Array;
  const ci = wasm.typedArrayFromHeap(colIdx!) as Int32Array;
  const v = wasm.typedArrayFromHeap(values!) as Float32Array;
  const xv = wasm.typedArrayFromHeap(x!) as Float32Array;
  const ov = wasm.typedArrayFromHeap(out) as Float32Array;
  const simd = simdKernelsFor(wasm.wasm);
  if (simd)
    simd.csrMatMul(
      rp.byteOffset,
      ci.byteOffset,
      v.byteOffset,
      xv.byteOffset,
      ov.byteOffset,
      rows,
      f >> 2,
      f & 3,
    );
  else csrTimesDense(rows, rp, ci, v, xv, f, ov);
  return out;
});
