import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';

/** Weight initialisation schemes. */
export type InitScheme = 'he' | 'glorot' | 'lecun' | 'zeros' | { normal: number } | { uniform: number };

/** Draws an initial weight tensor from the run's RNG (backend-independent values). */
export function initTensor(
  shape: number[],
  scheme: InitScheme,
  rng: Rng,
  fanIn: number,
  fanOut: number,
): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  let values: Float32Array;
  if (scheme === 'zeros') values = new Float32Array(n);
  else if (scheme === 'he') values = rng.normals(n, 0, Math.sqrt(2 / fanIn));
  else if (scheme === 'lecun') values = rng.normals(n, 0, Math.sqrt(1 / fanIn));
  else if (scheme === 'glorot') {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    values = rng.uniforms(n, -limit, limit);
  } else if ('normal' in scheme) values = rng.normals(n, 0, scheme.normal);
  else values = rng.uniforms(n, -scheme.uniform, scheme.uniform);
  return tf.tensor(values, shape, 'float32');
}
