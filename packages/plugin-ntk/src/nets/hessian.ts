import type { Rng } from '@paperlab/core';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** A fully-connected softmax classifier in standard parametrisation (weights ~ N(0, gain²/fan-in), zero biases). */
export interface MlpClassifierSpec {
  /** Layer sizes [input, hidden…, classes]. */
  layers: number[];
  activation: 'relu' | 'tanh';
}

/** Parameters of an {@link MlpClassifierSpec}: W_l [fanIn, fanOut] and b_l [fanOut]. */
export interface MlpClassifierParams {
  weights: tf.Variable[];
  biases: tf.Variable[];
}

/** What {@link mlpCurvatureProducts} multiplies by: the loss Hessian or its Gauss-Newton part JᵀH_ℓJ. */
export type CurvatureKind = 'hessian' | 'gauss-newton';

/** Number of parameters (weights and biases). */
export function mlpParamCount(spec: MlpClassifierSpec): number {
  let p = 0;
  for (let l = 1; l < spec.layers.length; l++) p += (spec.layers[l - 1]! + 1) * spec.layers[l]!;
  return p;
}

/** Draws He (ReLU) or LeCun (tanh) normal weights from the RNG; biases start at zero. */
export function initMlpClassifier(spec: MlpClassifierSpec, rng: Rng): MlpClassifierParams {
  if (spec.layers.length < 2) throw new Error('initMlpClassifier: need at least [input, classes]');
  const gain2 = spec.activation === 'relu' ? 2 : 1;
  const weights: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let l = 1; l < spec.layers.length; l++) {
    const fanIn = spec.layers[l - 1]!;
    const fanOut = spec.layers[l]!;
    const w = rng.split(`layer-${l}`).normals(fanIn * fanOut, 0, Math.sqrt(gain2 / fanIn));
    weights.push(ownedVariable(tf.tensor2d(w, [fanIn, fanOut])));
    biases.push(ownedVariable(tf.zeros([fanOut])));
  }
  return { weights, biases };
}

/** Releases the parameters. */
export function disposeMlpClassifier(params: MlpClassifierParams): void {
  for (const v of [...params.weights, ...params.biases]) v.dispose();
}

/** Trainable variables in the flattening order used by the curvature routines (W_1, b_1, W_2, b_2, …). */
export function mlpClassifierVariables(params: MlpClassifierParams): tf.Variable[] {
  return params.weights.flatMap((w, l) => [w, params.biases[l]!]);
}

function act(spec: MlpClassifierSpec, z: tf.Tensor): tf.Tensor {
  return spec.activation === 'relu' ? tf.relu(z) : tf.tanh(z);
}

function actDeriv(spec: MlpClassifierSpec, z: tf.Tensor): tf.Tensor {
  if (spec.activation === 'relu') return tf.step(z);
  return tf.sub(1, tf.square(tf.tanh(z)));
}

/** σ''(z); zero for ReLU (almost everywhere). */
function actSecond(spec: MlpClassifierSpec, z: tf.Tensor): tf.Tensor | null {
  if (spec.activation === 'relu') return null;
  const t = tf.tanh(z);
  return tf.mul(-2, tf.mul(t, tf.sub(1, tf.square(t))));
}

/** Logits [N, classes]. */
export function mlpLogits(spec: MlpClassifierSpec, params: MlpClassifierParams, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    let a: tf.Tensor2D = x;
    const L = params.weights.length;
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(a, params.weights[l]!), params.biases[l]!) as tf.Tensor2D;
      a = l < L - 1 ? (act(spec, z) as tf.Tensor2D) : z;
    }
    return a;
  });
}

/** Mean softmax cross-entropy over the rows (labels one-hot). */
export function mlpCrossEntropy(
  spec: MlpClassifierSpec,
  params: MlpClassifierParams,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const logits = mlpLogits(spec, params, x);
    return tf.neg(tf.mean(tf.sum(tf.mul(yOneHot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}

/** [N, in] × [m, in, out] → [m, N, out]: one input batch times m different weight matrices. */
function inputTimesDirections(a: tf.Tensor2D, vw: tf.Tensor3D): tf.Tensor3D {
  const [m, fin, fout] = vw.shape;
  const n = a.shape[0];
  const flat = tf.reshape(tf.transpose(vw, [1, 0, 2]), [fin, m * fout]);
  return tf.transpose(tf.reshape(tf.matMul(a, flat), [n, m, fout]), [1, 0, 2]);
}

/** [m, N, in] × [in, out] → [m, N, out]. */
function batchTimesWeight(ra: tf.Tensor3D, w: tf.Tensor, transposeW = false): tf.Tensor3D {
  const [m, n, fin] = ra.shape;
  const out = (transposeW ? w.shape[0] : w.shape[1])!;
  return tf.reshape(tf.matMul(tf.reshape(ra, [m * n, fin]), w, false, transposeW), [m, n, out]);
}

/**
 * Curvature-vector products of the mean softmax cross-entropy of an MLP, for m directions at once:
 * rows of V [m, P] (flattened W_1, b_1, W_2, b_2, …) → rows of H·v or G·v [m, P]. Exact: Pearlmutter's
 * R-operator (forward-mode over reverse-mode) written out layer by layer, so every step is a batched matmul.
 * The Gauss-Newton product G·v = Jᵀ H_ℓ J v drops the terms that carry the residual p − y.
 */
export function mlpCurvatureProducts(
  spec: MlpClassifierSpec,
  params: MlpClassifierParams,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  V: tf.Tensor2D,
  kind: CurvatureKind,
): tf.Tensor2D {
  const P = mlpParamCount(spec);
  if (V.shape[1] !== P)
    throw new Error(`mlpCurvatureProducts: directions have ${V.shape[1]} entries, net has ${P}`);
  const hessian = kind === 'hessian';
  return tf.tidy(() => {
    const L = params.weights.length;
    const n = x.shape[0];
    const m = V.shape[0];
    // Forward pass.
    const a: tf.Tensor2D[] = [x];
    const z: tf.Tensor2D[] = [];
    for (let l = 0; l < L; l++) {
      const zl = tf.add(tf.matMul(a[l]!, params.weights[l]!), params.biases[l]!) as tf.Tensor2D;
      z.push(zl);
      if (l < L - 1) a.push(act(spec, zl) as tf.Tensor2D);
    }
    const p = tf.softmax(z[L - 1]!) as tf.Tensor2D;
    // Backward pass: δ_l = ∂L/∂z_l, δa_l = ∂L/∂a_l.
    const delta: tf.Tensor2D[] = new Array(L);
    const deltaA: tf.Tensor2D[] = new Array(L);
    delta[L - 1] = tf.div(tf.sub(p, yOneHot), n) as tf.Tensor2D;
    for (let l = L - 1; l > 0; l--) {
      deltaA[l - 1] = tf.matMul(delta[l]!, params.weights[l]!, false, true);
      delta[l - 1] = tf.mul(deltaA[l - 1]!, actDeriv(spec, z[l - 1]!)) as tf.Tensor2D;
    }
    // Split the directions per layer.
    const vw: tf.Tensor3D[] = [];
    const vb: tf.Tensor2D[] = [];
    let off = 0;
    for (let l = 0; l < L; l++) {
      const fin = spec.layers[l]!;
      const fout = spec.layers[l + 1]!;
      vw.push(tf.reshape(tf.slice(V, [0, off], [m, fin * fout]), [m, fin, fout]));
      off += fin * fout;
      vb.push(tf.slice(V, [0, off], [m, fout]) as tf.Tensor2D);
      off += fout;
    }
    // R-forward: Rz_l = R(a_{l−1}) W_l + a_{l−1} V_W + V_b; R(a_l) = σ'(z_l) R(z_l).
    const Rz: tf.Tensor3D[] = [];
    const Ra: Array<tf.Tensor3D | null> = [null];
    for (let l = 0; l < L; l++) {
      let r = tf.add(inputTimesDirections(a[l]!, vw[l]!), tf.expandDims(vb[l]!, 1)) as tf.Tensor3D;
      const prev = Ra[l];
      if (prev) r = tf.add(r, batchTimesWeight(prev, params.weights[l]!));
      Rz.push(r);
      if (l < L - 1) Ra.push(tf.mul(r, actDeriv(spec, z[l]!)) as tf.Tensor3D);
    }
    // R(δ_L) = H_ℓ·R(f)/N with the softmax Hessian H_ℓ = diag(p) − ppᵀ.
    const Rf = Rz[L - 1]!;
    let Rdelta = tf.div(tf.mul(p, tf.sub(Rf, tf.sum(tf.mul(p, Rf), -1, true))), n) as tf.Tensor3D;
    const gradsW: tf.Tensor2D[] = new Array(L);
    const gradsB: tf.Tensor2D[] = new Array(L);
    for (let l = L - 1; l >= 0; l--) {
      const fin = spec.layers[l]!;
      const fout = spec.layers[l + 1]!;
      // R(∂L/∂W_l) = R(a_{l−1})ᵀ δ_l + a_{l−1}ᵀ R(δ_l).
      const aT = tf.matMul(a[l]!, tf.reshape(tf.transpose(Rdelta, [1, 0, 2]), [n, m * fout]), true, false);
      let gw = tf.transpose(tf.reshape(aT, [fin, m, fout]), [1, 0, 2]) as tf.Tensor3D;
      const prev = Ra[l];
      if (hessian && prev) {
        const t = tf.matMul(tf.reshape(tf.transpose(prev, [0, 2, 1]), [m * fin, n]), delta[l]!);
        gw = tf.add(gw, tf.reshape(t, [m, fin, fout]));
      }
      gradsW[l] = tf.reshape(gw, [m, fin * fout]);
      gradsB[l] = tf.sum(Rdelta, 1) as tf.Tensor2D;
      if (l > 0) {
        // R(δa_{l−1}) = R(δ_l) W_lᵀ + δ_l V_Wᵀ; R(δ_{l−1}) = σ'·R(δa) + σ''·R(z)·δa.
        let rda = batchTimesWeight(Rdelta, params.weights[l]!, true);
        if (hessian) {
          const flat = tf.reshape(tf.transpose(vw[l]!, [2, 0, 1]), [fout, m * fin]);
          const t = tf.transpose(tf.reshape(tf.matMul(delta[l]!, flat), [n, m, fin]), [1, 0, 2]);
          rda = tf.add(rda, t);
        }
        let rd = tf.mul(rda, actDeriv(spec, z[l - 1]!)) as tf.Tensor3D;
        const s2 = hessian ? actSecond(spec, z[l - 1]!) : null;
        if (s2) rd = tf.add(rd, tf.mul(Rz[l - 1]!, tf.mul(s2, deltaA[l - 1]!)));
        Rdelta = rd;
      }
    }
    return tf.concat(
      gradsW.flatMap((g, l) => [g, gradsB[l]!]),
      1,
    ) as tf.Tensor2D;
  });
}

/** Result of {@link mlpCurvatureMatrix}. */
export interface CurvatureMatrix {
  /** P×P row-major, symmetrised (M + Mᵀ)/2, Float64. */
  data: Float64Array;
  size: number;
  /** ‖M − Mᵀ‖_F/‖M‖_F before symmetrising: float32 round-off (an error in the products would show here). */
  asymmetry: number;
}

/** The full Hessian (or Gauss-Newton matrix) of the mean cross-entropy, built from blocks of basis directions. */
export function mlpCurvatureMatrix(
  spec: MlpClassifierSpec,
  params: MlpClassifierParams,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  kind: CurvatureKind,
  blockSize = 128,
): CurvatureMatrix {
  const P = mlpParamCount(spec);
  const M = new Float64Array(P * P);
  for (let s = 0; s < P; s += blockSize) {
    const m = Math.min(blockSize, P - s);
    const basis = new Float32Array(m * P);
    for (let j = 0; j < m; j++) basis[j * P + s + j] = 1;
    const V = tf.tensor2d(basis, [m, P]);
    const prod = mlpCurvatureProducts(spec, params, x, yOneHot, V, kind);
    M.set(prod.dataSync(), s * P);
    tf.dispose([V, prod]);
  }
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < P; i++) {
    for (let j = i + 1; j < P; j++) {
      const u = M[i * P + j]!;
      const v = M[j * P + i]!;
      diff += 2 * (u - v) ** 2;
      norm += u * u + v * v;
      const avg = (u + v) / 2;
      M[i * P + j] = avg;
      M[j * P + i] = avg;
    }
    norm += M[i * P + i]! ** 2;
  }
  return { data: M, size: P, asymmetry: Math.sqrt(diff / Math.max(norm, 1e-300)) };
}
