import type { HostTensor, KernelImpl, WgslProgram } from '@paperlab/core/kernels';
import { chooseImpl, defineKernel, runKernel, wgslUniforms } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { type DualActivation, dualOf } from './dualActivations.js';
import { gramInto, jointGramTf, selfDots } from './gram.js';

/** Hyper-parameters of a fully-connected network's kernel (NTK parametrisation). */
export interface FcKernelAttrs {
  /** Number of dense layers, readout included (depth 4 = 3 hidden layers + readout). */
  depth: number;
  /** Weight variance σw². */
  sigmaW2: number;
  /** Bias variance σb². */
  sigmaB2: number;
  activation: DualActivation;
}

/** Inputs: scaled Gram matrix x·y/d [n, m] and scaled squared norms |x|²/d [n], |y|²/d [m]. */
export type FcKernelInputs = { gram: tf.Tensor2D; diagX: tf.Tensor1D; diagY: tf.Tensor1D };

/** Host (Float64) recursion for one pair; returns [nngp, ntk]. */
export function fcKernelEntry(gram: number, qx: number, qy: number, a: FcKernelAttrs): [number, number] {
  const dual = dualOf(a.activation);
  let k12 = a.sigmaW2 * gram + a.sigmaB2;
  let k11 = a.sigmaW2 * qx + a.sigmaB2;
  let k22 = a.sigmaW2 * qy + a.sigmaB2;
  let ntk = k12;
  for (let l = 1; l < a.depth; l++) {
    const d = dual(k11, k22, k12);
    const kdot = a.sigmaW2 * d.kdot;
    k12 = a.sigmaW2 * d.k + a.sigmaB2;
    k11 = a.sigmaW2 * dual(k11, k11, k11).k + a.sigmaB2;
    k22 = a.sigmaW2 * dual(k22, k22, k22).k + a.sigmaB2;
    ntk = k12 + ntk * kdot;
  }
  return [k12, ntk];
}

/** The dual activation in tfjs ops (E[φφ] and E[φ'φ'] elementwise), shared by the kernel references. */
export function referenceDual(
  act: DualActivation,
  k11: tf.Tensor,
  k22: tf.Tensor,
  k12: tf.Tensor,
): { k: tf.Tensor; kdot: tf.Tensor } {
  if (act === 'relu') {
    const norm = tf.sqrt(tf.mul(k11, k22));
    const c = tf.clipByValue(tf.div(k12, tf.maximum(norm, 1e-30)), -1, 1);
    const theta = tf.acos(c);
    const piMinus = tf.sub(Math.PI, theta);
    return {
      k: tf.div(tf.mul(norm, tf.add(tf.sin(theta), tf.mul(piMinus, c))), 2 * Math.PI),
      kdot: tf.div(piMinus, 2 * Math.PI),
    };
  }
  const a = tf.mul(tf.add(1, tf.mul(2, k11)), tf.add(1, tf.mul(2, k22)));
  const s = tf.clipByValue(tf.div(tf.mul(2, k12), tf.sqrt(a)), -1, 1);
  return {
    k: tf.mul(2 / Math.PI, tf.asin(s)),
    kdot: tf.div(4 / Math.PI, tf.sqrt(tf.maximum(tf.sub(a, tf.mul(4, tf.square(k12))), 1e-30))),
  };
}

/** WGSL source of `fn dualK(k11, k22, k12) -> vec2<f32>` (E[φφ], E[φ'φ']) for an activation. */
export function wgslDual(act: DualActivation): string {
  if (act === 'relu') {
    return `
      fn dualK(k11 : f32, k22 : f32, k12 : f32) -> vec2<f32> {
        let nrm = sqrt(k11 * k22);
        let c = clamp(k12 / max(nrm, 1e-30), -1.0, 1.0);
        let th = acos(c);
        let pm = 3.14159265358979 - th;
        return vec2<f32>(nrm * (sin(th) + pm * c) / 6.28318530717959, pm / 6.28318530717959);
      }`;
  }
  return `
      fn dualK(k11 : f32, k22 : f32, k12 : f32) -> vec2<f32> {
        let a = (1.0 + 2.0 * k11) * (1.0 + 2.0 * k22);
        let s = clamp(2.0 * k12 / sqrt(a), -1.0, 1.0);
        return vec2<f32>(0.636619772367581 * asin(s), 1.27323954473516 / sqrt(max(a - 4.0 * k12 * k12, 1e-30)));
      }`;
}

/**
 * The analytic NNGP and NTK of a fully-connected network, whole depth in one op. Output [2, n, m]:
 * index 0 is the NNGP Σ^L, index 1 the NTK Θ^L. Reference in tfjs ops, Float64 typed-array CPU version,
 * and one fused WGSL pass over the Gram matrix (each thread runs the full recursion for one entry).
 */
export const fcKernelRecursion = defineKernel<FcKernelInputs, FcKernelAttrs, tf.Tensor3D>({
  name: 'ntk/fc-kernel-recursion',
  description:
    'Analytic NNGP and NTK of a fully-connected ReLU/erf network (layer recursion, whole depth fused)',
  reference({ gram, diagX, diagY }, a) {
    return tf.tidy(() => {
      const n = gram.shape[0];
      const m = gram.shape[1];
      let k12: tf.Tensor = tf.add(tf.mul(a.sigmaW2, gram), a.sigmaB2);
      let q1: tf.Tensor = tf.add(tf.mul(a.sigmaW2, diagX), a.sigmaB2);
      let q2: tf.Tensor = tf.add(tf.mul(a.sigmaW2, diagY), a.sigmaB2);
      let ntk: tf.Tensor = k12;
      for (let l = 1; l < a.depth; l++) {
        const k11 = tf.broadcastTo(tf.reshape(q1, [n, 1]), [n, m]);
        const k22 = tf.broadcastTo(tf.reshape(q2, [1, m]), [n, m]);
        const d = referenceDual(a.activation, k11, k22, k12);
        k12 = tf.add(tf.mul(a.sigmaW2, d.k), a.sigmaB2);
        ntk = tf.add(k12, tf.mul(ntk, tf.mul(a.sigmaW2, d.kdot)));
        q1 = tf.add(tf.mul(a.sigmaW2, referenceDual(a.activation, q1, q1, q1).k), a.sigmaB2);
        q2 = tf.add(tf.mul(a.sigmaW2, referenceDual(a.activation, q2, q2, q2).k), a.sigmaB2);
      }
      return tf.stack([k12, ntk]) as tf.Tensor3D;
    });
  },
  cpu({ gram, diagX, diagY }, a): HostTensor {
    const [n, m] = gram.shape as [number, number];
    const out = new Float32Array(2 * n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const [nngp, ntk] = fcKernelEntry(gram.values[i * m + j]!, diagX.values[i]!, diagY.values[j]!, a);
        out[i * m + j] = nngp;
        out[n * m + i * m + j] = ntk;
      }
    }
    return { shape: [2, n, m], values: out };
  },
  webgpu({ gram, diagX, diagY }, a, gpu) {
    const [n, m] = gram.shape;
    const program: WgslProgram = {
      key: `ntk_fc_${a.activation}`,
      outputShape: [2, n, m],
      variableNames: ['G', 'DX', 'DY'],
      ...wgslUniforms({
        depth: ['i32', a.depth],
        sw2: ['f32', a.sigmaW2],
        sb2: ['f32', a.sigmaB2],
        cols: ['i32', m],
        cells: ['i32', n * m],
      }),
      userCode: `
        ${wgslDual(a.activation)}
        fn main(index : i32) {
          if (index < uniforms.size) {
            let cell = index % uniforms.cells;
            let which = index / uniforms.cells;
            let i = cell / uniforms.cols;
            let j = cell % uniforms.cols;
            var k12 = uniforms.sw2 * G[cell] + uniforms.sb2;
            var q1 = uniforms.sw2 * DX[i] + uniforms.sb2;
            var q2 = uniforms.sw2 * DY[j] + uniforms.sb2;
            var ntk = k12;
            for (var l = 1; l < uniforms.depth; l = l + 1) {
              let d = dualK(q1, q2, k12);
              k12 = uniforms.sw2 * d.x + uniforms.sb2;
              ntk = k12 + ntk * uniforms.sw2 * d.y;
              q1 = uniforms.sw2 * dualK(q1, q1, q1).x + uniforms.sb2;
              q2 = uniforms.sw2 * dualK(q2, q2, q2).x + uniforms.sb2;
            }
            if (which == 0) {
              setOutputAtIndex(index, k12);
            } else {
              setOutputAtIndex(index, ntk);
            }
          }
        }`,
    };
    return gpu.run(program, [gram, diagX, diagY]) as tf.Tensor3D;
  },
  tolerance: { atol: 2e-5, rtol: 2e-4 },
  examples() {
    const cases: Array<[number, number, number, FcKernelAttrs['activation']]> = [
      [7, 5, 3, 'relu'],
      [6, 9, 8, 'erf'],
    ];
    return cases.map(([n, m, d, activation], c) => {
      const point = (i: number) => Array.from({ length: d }, (_, k) => Math.sin(1.7 * i + 0.9 * k + c));
      const xs = Array.from({ length: n }, (_, i) => point(i));
      const ys = Array.from({ length: m }, (_, i) => point(i + 0.5));
      const dot = (a: number[], b: number[]) => a.reduce((t, v, k) => t + v * b[k]!, 0);
      const gram = Float32Array.from({ length: n * m }, (_, k) => dot(xs[Math.floor(k / m)]!, ys[k % m]!));
      return {
        name: `${n}×${m}, d = ${d}, ${activation}`,
        inputs: () => ({
          gram: tf.tensor2d(gram, [n, m]),
          diagX: tf.tensor1d(xs.map((x) => dot(x, x))),
          diagY: tf.tensor1d(ys.map((y) => dot(y, y))),
        }),
        attrs: { depth: 4, sigmaW2: activation === 'relu' ? 2 : 1.5, sigmaB2: 0.05, activation },
      };
    });
  },
});

/** Rows of X per Gram block in {@link fcKernelsHost} (bounds the Float64 scratch to 64·m entries). */
const HOST_BLOCK_ROWS = 64;

/**
 * Host Float64 NNGP and NTK matrices between row sets X [n, d] and Y [m, d]. The Gram and the squared norms
 * are the same Float64 dot products (gram.ts), so identical rows give cos θ = 1 and opposite rows cos θ = −1
 * exactly. With Y = X (the same array) only the lower triangle is computed and mirrored (exactly symmetric).
 */
export function fcKernelsHost(
  X: Float64Array | Float32Array,
  Y: Float64Array | Float32Array,
  d: number,
  attrs: FcKernelAttrs,
): { nngp: Float64Array; ntk: Float64Array; n: number; m: number } {
  const n = X.length / d;
  const m = Y.length / d;
  const sym = X === Y;
  const nngp = new Float64Array(n * m);
  const ntk = new Float64Array(n * m);
  const qx = selfDots({ values: X, offset: 0, stride: d, rows: n }, d, d);
  const qy = sym ? qx : selfDots({ values: Y, offset: 0, stride: d, rows: m }, d, d);
  const block = new Float64Array(Math.min(n, HOST_BLOCK_ROWS) * m);
  for (let r0 = 0; r0 < n; r0 += HOST_BLOCK_ROWS) {
    const rows = Math.min(HOST_BLOCK_ROWS, n - r0);
    const width = sym ? r0 + rows : m;
    gramInto(
      { values: X, offset: r0 * d, stride: d, rows },
      { values: Y, offset: 0, stride: d, rows: width },
      d,
      d,
      block,
      { offset: 0, rowStride: width, colStride: 1 },
    );
    for (let r = 0; r < rows; r++) {
      const i = r0 + r;
      for (let j = 0; j < (sym ? i + 1 : m); j++) {
        const [k, t] = fcKernelEntry(block[r * width + j]!, qx[i]!, qy[j]!, attrs);
        nngp[i * m + j] = k;
        ntk[i * m + j] = t;
        if (sym) {
          nngp[j * m + i] = k;
          ntk[j * m + i] = t;
        }
      }
    }
  }
  return { nngp, ntk, n, m };
}

/** Options of {@link fcKernels}. */
export interface FcKernelsOptions {
  /** Force an implementation of `ntk/fc-kernel-recursion` (default: the active backend's best). */
  impl?: KernelImpl;
}

/**
 * NNGP and NTK between two batches of inputs on the active backend. Where the typed-array implementation
 * would run (cpu, wasm) the whole computation is Float64 on the host ({@link fcKernelsHost}: the Gram and
 * the norms as one kind of Float64 dot product) and only the result is rounded to Float32. Elsewhere (webgpu,
 * or the tfjs-ops reference) the Gram and the norms come from one Float32 matmul ({@link jointGramTf}), so
 * identical inputs still give cos θ = 1 exactly; other entries carry Float32 rounding (~1e-6 of the scale).
 */
export function fcKernels(
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  attrs: FcKernelAttrs,
  options: FcKernelsOptions = {},
): { nngp: tf.Tensor2D; ntk: tf.Tensor2D } {
  const [n, d] = x.shape;
  const m = y.shape[0];
  if (y.shape[1] !== d)
    throw new Error(`fcKernels: x has ${d} features and y ${y.shape[1]}; pass inputs of the same width`);
  const impl = chooseImpl(fcKernelRecursion, options);
  if (impl === 'cpu') {
    const X = x.dataSync() as Float32Array;
    const h = fcKernelsHost(X, y === x ? X : (y.dataSync() as Float32Array), d, attrs);
    return {
      nngp: tf.tensor2d(Float32Array.from(h.nngp), [n, m]),
      ntk: tf.tensor2d(Float32Array.from(h.ntk), [n, m]),
    };
  }
  const joint = tf.tidy(() => {
    const g = jointGramTf(tf.reshape(x, [n, 1, d]), y === x ? null : tf.reshape(y, [m, 1, d]), d);
    return {
      gram: tf.reshape(g.cross, [n, m]) as tf.Tensor2D,
      diagX: tf.reshape(g.selfX, [n]) as tf.Tensor1D,
      diagY: tf.reshape(g.selfY, [m]) as tf.Tensor1D,
    };
  });
  const both = runKernel(fcKernelRecursion, joint, attrs, { impl });
  tf.dispose(Object.values(joint));
  const [nngp, ntk] = tf.unstack(both) as [tf.Tensor2D, tf.Tensor2D];
  both.dispose();
  return { nngp, ntk };
}
