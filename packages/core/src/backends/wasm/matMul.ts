import * as tf from '@tensorflow/tfjs-core';
import { callWasm, release, swapLastTwo, type WasmBackendLike } from './kernelCalls.js';

/**
 * Wraps wasm's BatchMatMul / _FusedMatMul so transposed operands are materialised by the wasm Transpose
 * kernel first: XNNPACK's transposed path is ~15-30x slower, and every matmul gradient takes it.
 */
export function materialisedTransposeMatMul(name: 'BatchMatMul' | '_FusedMatMul', original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackendLike;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    const temps: tf.TensorInfo[] = [];
    const newInputs = { ...inputs };
    if (transposeA) {
      const at = callWasm('Transpose', wasm, { x: a }, { perm: swapLastTwo(a.shape.length) });
      temps.push(at);
      newInputs.a = at;
    }
    if (transposeB) {
      const bt = callWasm('Transpose', wasm, { x: b }, { perm: swapLastTwo(b.shape.length) });
      temps.push(bt);
      newInputs.b = bt;
    }
    const out = original.kernelFunc({
      inputs: newInputs,
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    for (const t of temps) release(wasm, t);
    return out;
  };
  const config: tf.KernelConfig = { kernelName: name, backendName: 'wasm', kernelFunc };
  if (original.setupFunc) config.setupFunc = original.setupFunc;
  if (original.disposeFunc) config.disposeFunc = original.disposeFunc;
  return config;
}
