import type { Rng } from '@paperlab/core';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { DualActivation } from '../kernels/dualActivations.js';

/** Architecture of a fully-connected network in NTK parametrisation. */
export interface NtkMlpSpec {
  inputDim: number;
  /** Hidden width (every hidden layer). */
  width: number;
  /** Dense layers including the readout (depth 4 = 3 hidden + readout). */
  depth: number;
  /** Output dimension (default 1). */
  outputDim?: number;
  sigmaW2: number;
  sigmaB2: number;
  activation: DualActivation;
}

/** Trainable parameters: W_l ~ N(0, 1) [fanIn, fanOut] and b_l ~ N(0, 1), scaled in the forward pass. */
export interface NtkMlpParams {
  weights: tf.Variable[];
  biases: tf.Variable[];
}

/** Layer widths n_0 … n_depth. */
export function layerWidths(spec: NtkMlpSpec): number[] {
  return [spec.inputDim, ...Array.from({ length: spec.depth - 1 }, () => spec.width), spec.outputDim ?? 1];
}

/** Draws parameters from the run's RNG (standard normal, as the NTK parametrisation prescribes). */
export function initNtkMlp(spec: NtkMlpSpec, rng: Rng): NtkMlpParams {
  const widths = layerWidths(spec);
  const weights: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let l = 0; l < spec.depth; l++) {
    const fanIn = widths[l]!;
    const fanOut = widths[l + 1]!;
    const r = rng.split(`layer-${l}`);
    weights.push(ownedVariable(tf.tensor2d(r.normals(fanIn * fanOut), [fanIn, fanOut])));
    biases.push(ownedVariable(tf.tensor1d(r.normals(fanOut))));
  }
  return { weights, biases };
}

/** Releases the parameters. */
export function disposeNtkMlp(params: NtkMlpParams): void {
  for (const v of [...params.weights, ...params.biases]) v.dispose();
}

function act(spec: NtkMlpSpec, h: tf.Tensor): tf.Tensor {
  return spec.activation === 'relu' ? tf.relu(h) : tf.erf(h);
}

function actDeriv(spec: NtkMlpSpec, h: tf.Tensor): tf.Tensor {
  return spec.activation === 'relu'
    ? tf.step(h)
    : tf.mul(2 / Math.sqrt(Math.PI), tf.exp(tf.neg(tf.square(h))));
}

/** Layer l's pre-activation (σw/√n_{l−1}) a W_l + σb b_l of its input `a` (fan-in n_{l−1}). */
function preActivation(
  spec: NtkMlpSpec,
  params: NtkMlpParams,
  a: tf.Tensor2D,
  l: number,
  fanIn: number,
): tf.Tensor2D {
  return tf.add(
    tf.mul(tf.matMul(a, params.weights[l]!), Math.sqrt(spec.sigmaW2 / fanIn)),
    tf.mul(params.biases[l]!, Math.sqrt(spec.sigmaB2)),
  ) as tf.Tensor2D;
}

/** Forward pass f(x) = h_depth with h_l = (σw/√n_{l−1}) a_{l−1} W_l + σb b_l. */
export function ntkMlpForward(spec: NtkMlpSpec, params: NtkMlpParams, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const widths = layerWidths(spec);
    let a: tf.Tensor2D = x;
    for (let l = 0; l < spec.depth; l++) {
      const h = preActivation(spec, params, a, l, widths[l]!);
      a = l < spec.depth - 1 ? (act(spec, h) as tf.Tensor2D) : h;
    }
    return a;
  });
}

/**
 * Empirical NTK Θ̂(x_i, x_j) of a scalar-output network by layer-wise factorisation: the gradient with
 * respect to W_l is an outer product of the layer input and the backprop signal, so
 * Θ̂ = Σ_l (σw²/n_{l−1} · A_{l−1}A_{l−1}ᵀ + σb²) ⊙ (Δ_l Δ_lᵀ) — exact, O(N²·width) memory-free of P.
 */
export function empiricalNtkMlp(spec: NtkMlpSpec, params: NtkMlpParams, x: tf.Tensor2D): tf.Tensor2D {
  if ((spec.outputDim ?? 1) !== 1) throw new Error('empiricalNtkMlp: scalar-output networks only');
  return tf.tidy(() => {
    const widths = layerWidths(spec);
    const acts: tf.Tensor2D[] = [x];
    const pre: tf.Tensor2D[] = [];
    let a: tf.Tensor2D = x;
    for (let l = 0; l < spec.depth; l++) {
      const h = preActivation(spec, params, a, l, widths[l]!);
      pre.push(h);
      if (l < spec.depth - 1) {
        a = act(spec, h) as tf.Tensor2D;
        acts.push(a);
      }
    }
    const n = x.shape[0];
    let delta: tf.Tensor2D = tf.ones([n, 1]);
    let theta: tf.Tensor2D = tf.zeros([n, n]);
    for (let l = spec.depth - 1; l >= 0; l--) {
      const gx = tf.add(
        tf.mul(tf.matMul(acts[l]!, acts[l]!, false, true), spec.sigmaW2 / widths[l]!),
        spec.sigmaB2,
      );
      const gd = tf.matMul(delta, delta, false, true);
      theta = tf.add(theta, tf.mul(gx, gd));
      if (l > 0) {
        const back = tf.mul(
          tf.matMul(delta, params.weights[l]!, false, true),
          Math.sqrt(spec.sigmaW2 / widths[l]!),
        );
        delta = tf.mul(back, actDeriv(spec, pre[l - 1]!)) as tf.Tensor2D;
      }
    }
    return theta;
  });
}

/** Trainable variables in a stable order. */
export function ntkMlpVariables(params: NtkMlpParams): tf.Variable[] {
  return [...params.weights, ...params.biases];
}
