import * as tf from '@tensorflow/tfjs-core';
import { callWasm, release, wasmKernel } from './kernelCalls.js';

const eu = tf.backend_util;

/**
 * Einsum from wasm's Transpose, Reshape, Multiply and Sum kernels: operands are aligned to a common
 * axis order, broadcast-multiplied, and summed dimension by dimension along tfjs' einsum compute path.
 */
export const einsumConfig: tf.KernelConfig = wasmKernel('Einsum', ({ inputs, attrs }, wasm) => {
  const { equation } = attrs as { equation: string };
  const tensors = inputs as unknown as tf.TensorInfo[];
  const { allDims, summedDims, idDims } = eu.decodeEinsumEquation(equation, tensors.length);
  eu.checkEinsumDimSizes(allDims.length, idDims, tensors as unknown as tf.Tensor[]);
  const { path, steps } = eu.getEinsumComputePath(summedDims, idDims);
  const temps: tf.TensorInfo[] = [];
  let out: tf.TensorInfo | null = null;
  let remaining = allDims.length;
  for (let i = 0; i < steps.length; i++) {
    for (const term of steps[i]!) {
      const { permutationIndices, expandDims } = eu.getEinsumPermutation(remaining, idDims[term]!);
      let x = tensors[term]!;
      if (!eu.isIdentityPermutation(permutationIndices)) {
        x = callWasm('Transpose', wasm, { x }, { perm: permutationIndices });
        temps.push(x);
      }
      const shape = [...x.shape];
      for (const k of expandDims) shape.splice(k, 0, 1);
      if (shape.length !== x.shape.length) {
        x = callWasm('Reshape', wasm, { x }, { shape });
        temps.push(x);
      }
      if (out === null) {
        out = x;
      } else {
        out = callWasm('Multiply', wasm, { a: out, b: x });
        temps.push(out);
      }
    }
    if (i < steps.length - 1 && out !== null) {
      if (path[i]! >= 0) {
        out = callWasm(
          'Sum',
          wasm,
          { x: out },
          { axis: path[i]! - (allDims.length - remaining), keepDims: false },
        );
        temps.push(out);
      }
      remaining--;
    }
  }
  if (out === null) throw new Error(`Einsum '${equation}' produced no output`);
  // Hand back a fresh reference so every temporary can be released uniformly.
  const result = callWasm('Identity', wasm, { x: out });
  for (const t of temps) release(wasm, t);
  return result;
});
