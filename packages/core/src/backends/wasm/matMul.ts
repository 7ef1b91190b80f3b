import type * as tf from '@tensorflow/tfjs-core';
import { callWasm, release, swapLastTwo, wasmKernel } from './kernelCalls.js';

const size = (info: tf.TensorInfo) => info.shape.reduce((a, b) => a * b, 1);

/**
 * Wraps wasm's BatchMatMul / _FusedMatMul so no transposed operand reaches XNNPACK, whose transposed path is
 * 15–30× slower (and every matmul gradient takes it). Each case uses the cheaper of two identities, counted
 * in elements moved by the wasm Transpose kernel:
 *   A·Bᵀ: transpose B, or (B·Aᵀ)ᵀ — transpose A and the result (wins when B is a big weight matrix);
 *   Aᵀ·B: transpose A, or (Bᵀ·A)ᵀ;  Aᵀ·Bᵀ: transpose both, or (B·A)ᵀ.
 * Fused bias/activation only commute with the plain form, so _FusedMatMul always materialises operands.
 */
export function materialisedTransposeMatMul(
  name: 'BatchMatMul' | '_FusedMatMul',
  original: tf.KernelConfig,
): tf.KernelConfig {
  const config = wasmKernel(name, ({ inputs, backend, attrs }, wasm) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    const temps: tf.TensorInfo[] = [];
    const t = (x: tf.TensorInfo) => {
      const out = callWasm('Transpose', wasm, { x }, { perm: swapLastTwo(x.shape.length) });
      temps.push(out);
      return out;
    };
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const run = (x: tf.TensorInfo, y: tf.TensorInfo) =>
      original.kernelFunc({ inputs: { ...inputs, a: x, b: y }, backend, attrs: plain }) as tf.TensorInfo;
    const sameBatch =
      a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    const outRows = a.shape[a.shape.length - (transposeA ? 1 : 2)]!;
    const outCols = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
    const outSize =
      (size(a) / (a.shape[a.shape.length - 1]! * a.shape[a.shape.length - 2]!)) * outRows * outCols;
    const direct = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0);
    const swapped = (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + outSize;
    let out: tf.TensorInfo;
    if (name === 'BatchMatMul' && sameBatch && swapped < direct) {
      // (op(A)·op(B))ᵀ = op(B)ᵀ·op(A)ᵀ, and op(X)ᵀ is X itself when op transposes.
      const bt = transposeB ? b : t(b);
      const at = transposeA ? a : t(a);
      const prod = run(bt, at);
      temps.push(prod);
      out = callWasm('Transpose', wasm, { x: prod }, { perm: swapLastTwo(prod.shape.length) });
    } else {
      out = run(transposeA ? t(a) : a, transposeB ? t(b) : b);
    }
    for (const tmp of temps) release(wasm, tmp);
    return out;
  });
  if (original.setupFunc) config.setupFunc = original.setupFunc;
  if (original.disposeFunc) config.disposeFunc = original.disposeFunc;
  return config;
}
