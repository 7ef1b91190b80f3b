// NTK Gram-matrix throughput: the analytic fully-connected kernel (depth 5) per implementation.
import { Rng, runKernel } from '@paperlab/core';
import { fcKernelRecursion } from '@paperlab/plugin-ntk';
import * as tf from '@tensorflow/tfjs-core';
import { measure } from '../harness.mjs';

/** @param {{ use(b: string): Promise<void>, variants: string[] }} env */
export async function ntkGramSuite(env) {
  const rows = [];
  const attrs = { depth: 5, sigmaW2: 2, sigmaB2: 0.05, activation: 'relu' };
  const n = 512;
  const d = 32;
  const X = new Rng(9).normals(n * d);
  const impls = [];
  for (const variant of env.variants) {
    if (variant === 'wasm (stock tfjs)') continue;
    if (variant.startsWith('wasm')) impls.push([variant, 'reference'], [variant, 'cpu']);
    else if (variant.startsWith('webgpu')) impls.push([variant, 'reference'], [variant, 'webgpu']);
    else impls.push([variant, 'reference']);
  }
  for (const [variant, impl] of impls) {
    await env.use(variant);
    const x = tf.tensor2d(X, [n, d]);
    const inputs = {
      gram: tf.div(tf.matMul(x, x, false, true), d),
      diagX: tf.div(tf.sum(tf.square(x), 1), d),
      diagY: tf.div(tf.sum(tf.square(x), 1), d),
    };
    const timing = await measure(
      async () => {
        const out = runKernel(fcKernelRecursion, inputs, attrs, { impl });
        await out.data();
        out.dispose();
      },
      { samples: variant.startsWith('webgpu') ? 2 : 5 },
    );
    rows.push({
      suite: 'ntk-gram',
      case: `FC ReLU NTK+NNGP depth 5, ${n}×${n} Gram`,
      variant: `${variant} · ${impl}`,
      timing,
      work: n * n,
      unit: ' entries',
      baseline: variant.startsWith('wasm') && impl === 'reference',
    });
    tf.dispose([x, ...Object.values(inputs)]);
  }
  return rows;
}
