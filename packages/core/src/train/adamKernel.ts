import * as tf from '@tensorflow/tfjs-core';
import { defineKernel, type HostTensor } from '../kernels/kernelSpec.js';

/** Inputs of {@link adamKernel}: a variable's value, its gradient and its two moment slots (one shape). */
export type AdamInputs = { x: tf.Tensor; g: tf.Tensor; m: tf.Tensor; v: tf.Tensor };

/** Attributes of {@link adamKernel}. */
export interface AdamAttrs {
  /** The signed step factor −lr (−lr·lrScale for a scaled variable). */
  step: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** β₁ᵗ and β₂ᵗ after this step's update (float32 running products). */
  beta1Power: number;
  beta2Power: number;
}

const f = Math.fround;

/** Name of the wasm kernel paperlab registers for {@link adamKernel}'s update (SIMD, in the backend's memory). */
export const ADAM_KERNEL = 'PaperlabAdam';

/** Host views of one update: inputs x, g, m, v and outputs xo, mo, vo (same length). */
export interface AdamArrays {
  x: Float32Array;
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
  xo: Float32Array;
  mo: Float32Array;
  vo: Float32Array;
}

/** β₁, β₂, 1−β₁, 1−β₂, 1−β₁ᵗ, 1−β₂ᵗ, ε, step as float32 values. */
export type AdamConstants = [number, number, number, number, number, number, number, number];

/** The float32 constants of one update, in the order the SIMD helper takes them. */
export function adamConstants(a: AdamAttrs): AdamConstants {
  return [
    f(a.beta1),
    f(a.beta2),
    f(1 - a.beta1),
    f(1 - a.beta2),
    f(1 - f(a.beta1Power)),
    f(1 - f(a.beta2Power)),
    f(a.epsilon),
    f(a.step),
  ];
}

/**
 * One Adam update of entries [from, to) on host arrays, every operation rounded to float32 in the order of the
 * reference's tfjs ops (double-precision `+ − × ÷ √` of float32 operands rounded once to float32 is the IEEE
 * float32 result), so it matches the reference bit for bit wherever the backend's elementwise ops are IEEE float32.
 */
export function adamRange(t: AdamArrays, a: AdamAttrs, from: number, to: number): void {
  const [b1, b2, c1, c2, d1, d2, eps, step] = adamConstants(a);
  const { x, g, m, v, xo, mo, vo } = t;
  for (let i = from; i < to; i++) {
    const gi = g[i]!;
    const m1 = f(f(m[i]! * b1) + f(gi * c1));
    const m2 = f(f(v[i]! * b2) + f(f(gi * gi) * c2));
    mo[i] = m1;
    vo[i] = m2;
    const den = f(f(Math.sqrt(f(m2 / d2))) + eps);
    xo[i] = f(f(f(f(m1 / d1) / den) * step) + x[i]!);
  }
}

function hostAdam(
  x: HostTensor,
  g: HostTensor,
  m: HostTensor,
  v: HostTensor,
  a: AdamAttrs,
): [HostTensor, HostTensor, HostTensor] {
  const n = x.values.length;
  for (const [name, t] of [
    ['g', g],
    ['m', m],
    ['v', v],
  ] as const)
    if (t.values.length !== n)
      throw new RangeError(`core/adam: '${name}' has ${t.values.length} values, the variable ${n}`);
  const out = { xo: new Float32Array(n), mo: new Float32Array(n), vo: new Float32Array(n) };
  adamRange({ x: x.values, g: g.values, m: m.values, v: v.values, ...out }, a, 0, n);
  const shape = [...x.shape];
  return [
    { shape, values: out.xo },
    { shape, values: out.mo },
    { shape, values: out.vo },
  ];
}

/**
 * {@link adamKernel}'s update on the wasm backend with paperlab's kernels installed: one SIMD pass in the backend's
 * memory (bitwise equal to the reference); null elsewhere.
 */
export function wasmAdam(inputs: AdamInputs, attrs: AdamAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] | null {
  if (tf.getBackend() !== 'wasm' || !tf.getKernel(ADAM_KERNEL, 'wasm')) return null;
  const { x, g, m, v } = inputs;
  return tf
    .engine()
    .runKernel(ADAM_KERNEL, { x, g, m, v }, attrs as unknown as tf.NamedAttrMap) as unknown as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
}

/**
 * One Adam step of one variable, fused: `[x', m', v']` from `x`, its gradient and both moments (Kingma & Ba, with
 * tfjs' arithmetic: `m' = β₁m + (1−β₁)g`, `v' = β₂v + (1−β₂)g²`,
 * `x' = x + step·(m'/(1−β₁ᵗ)) / (√(v'/(1−β₂ᵗ)) + ε)`). Reference: those ~12 tfjs ops; the typed-array
 * implementation does them in one pass, rounding as the ops do (bitwise equal on cpu and wasm); on wasm,
 * {@link wasmAdam} does the same pass with SIMD in the backend's memory.
 */
export const adamKernel = defineKernel({
  name: 'core/adam',
  description:
    'fused Adam update of one variable: x, gradient g, moments m, v → [x′, m′, v′] (tfjs Adam arithmetic)',
  reference: ({ x, g, m, v }: AdamInputs, a: AdamAttrs): tf.Tensor[] =>
    tf.tidy(() => {
      const m1 = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
      const m2 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
      const mHat = tf.div(m1, tf.sub(1, tf.scalar(a.beta1Power)));
      const vHat = tf.div(m2, tf.sub(1, tf.scalar(a.beta2Power)));
      const x1 = tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), a.epsilon)), a.step), x);
      return [x1, m1, m2];
    }),
  cpu: ({ x, g, m, v }, a) => hostAdam(x, g, m, v, a),
  examples: () => {
    const attrs = (t: number): AdamAttrs => ({
      step: -0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      beta1Power: 0.9 ** t,
      beta2Power: 0.999 ** t,
    });
    const vals = (n: number, phase: number, scale = 1) =>
      Float32Array.from({ length: n }, (_, i) => scale * Math.sin(1.7 * i + phase));
    return [
      {
        name: 'first step from zero moments, [3, 5]',
        inputs: () => ({
          x: tf.tensor2d(vals(15, 0), [3, 5]),
          g: tf.tensor2d(vals(15, 1, 0.3), [3, 5]),
          m: tf.zeros([3, 5]),
          v: tf.zeros([3, 5]),
        }),
        attrs: attrs(1),
      },
      {
        name: 'step 40 with nonzero moments and a zero gradient entry, [7]',
        inputs: () => ({
          x: tf.tensor1d(vals(7, 2)),
          g: tf.tensor1d([0.5, -0.25, 0, 1e-4, -3, 0.125, 2]),
          m: tf.tensor1d(vals(7, 3, 0.05)),
          v: tf.tensor1d(vals(7, 4, 0.01).map(Math.abs)),
        }),
        attrs: { ...attrs(40), step: -0.003, beta2: 0.99, beta2Power: 0.99 ** 40 },
      },
    ];
  },
});
