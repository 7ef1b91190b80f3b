import { defineKernel, type HostTensor, type WgslProgram } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { erf as erfLayer, relu as reluLayer } from '../stax/activations.js';
import { conv, dense } from '../stax/affine.js';
import { serial } from '../stax/combinators.js';
import { kernelFn } from '../stax/kernelFn.js';
import { flatten, globalAvgPool } from '../stax/pooling.js';
import type { Layer } from '../stax/types.js';
import type { DualActivation } from './dualActivations.js';
import { referenceDual, wgslDual } from './fcKernel.js';
import { jointGramTf } from './gram.js';

/** A homogeneous CNN: `depth` × (conv with zero 'same' padding, stride 1 → activation), then readout. */
export interface ConvKernelAttrs {
  /** Spatial shape of the inputs: [L] (1-D) or [H, W] (2-D). */
  spatial: number[];
  /** Filter size along every spatial axis. */
  filter: number;
  /** Convolution + activation layers before the readout. */
  depth: number;
  /** Weight variance σw² (every layer, readout included). */
  sigmaW2: number;
  /** Bias variance σb². */
  sigmaB2: number;
  activation: DualActivation;
  /** 'gap': global average pooling (needs all pixel pairs); 'flatten': vectorisation (same-pixel pairs only). */
  readout: 'gap' | 'flatten';
}

/** Inputs: x [n, S, C] and y [m, S, C] with S = Π spatial, channels last. */
export type ConvKernelInputs = { x: tf.Tensor3D; y: tf.Tensor3D };

/** The stax network whose kernel this op computes (its typed-array implementation). */
export function convKernelNetwork(a: ConvKernelAttrs): Layer {
  const r = a.spatial.length;
  const layers: Layer[] = [];
  for (let l = 0; l < a.depth; l++) {
    layers.push(
      conv(
        1,
        Array.from({ length: r }, () => a.filter),
        { sigmaW2: a.sigmaW2, sigmaB2: a.sigmaB2 },
      ),
    );
    layers.push(a.activation === 'relu' ? reluLayer() : erfLayer());
  }
  layers.push(
    a.readout === 'gap' ? globalAvgPool() : flatten(),
    dense(1, { sigmaW2: a.sigmaW2, sigmaB2: a.sigmaB2 }),
  );
  return serial(...layers);
}

function check(a: ConvKernelAttrs): void {
  if (a.spatial.length < 1 || a.spatial.length > 2)
    throw new Error('ntk/conv-kernel-recursion: 1 or 2 spatial axes');
  if (!(a.filter >= 1 && a.depth >= 1))
    throw new Error('ntk/conv-kernel-recursion: filter and depth must be ≥ 1');
}

/** Filter of the covariance convolution along one pair of axes: the identity over filter offsets, / f. */
function diagonalFilter(f: number): tf.Tensor4D {
  const v = new Float32Array(f * f);
  for (let d = 0; d < f; d++) v[d * f + d] = 1 / f;
  return tf.tensor4d(v, [f, f, 1, 1]);
}

/** Σ'[p1, p2] = (1/K)·Σ_δ Σ[p1 + δ, p2 + δ] over slabs [B, S, S], as 2-D convolutions with a diagonal filter. */
function convCovReference(t: tf.Tensor, spatial: number[], filter: tf.Tensor4D): tf.Tensor {
  const B = t.shape[0]!;
  if (spatial.length === 1) {
    const L = spatial[0]!;
    return tf.reshape(tf.conv2d(tf.reshape(t, [B, L, L, 1]) as tf.Tensor4D, filter, 1, 'same'), [B, L * L]);
  }
  const [H, W] = spatial as [number, number];
  let u = tf.reshape(t, [B, H, W, H, W]);
  // Axis pair (h1, h2): bring them last.
  u = tf.transpose(u, [0, 2, 4, 1, 3]);
  u = tf.reshape(tf.conv2d(tf.reshape(u, [B * W * W, H, H, 1]) as tf.Tensor4D, filter, 1, 'same'), [
    B,
    W,
    W,
    H,
    H,
  ]);
  u = tf.transpose(u, [0, 3, 1, 4, 2]);
  // Axis pair (w1, w2).
  u = tf.transpose(u, [0, 1, 3, 2, 4]);
  u = tf.reshape(tf.conv2d(tf.reshape(u, [B * H * H, W, W, 1]) as tf.Tensor4D, filter, 1, 'same'), [
    B,
    H,
    H,
    W,
    W,
  ]);
  u = tf.transpose(u, [0, 1, 3, 2, 4]);
  return tf.reshape(u, [B, H * W * H * W]);
}

/**
 * Analytic NNGP and NTK of a CNN (convolutions with zero 'same' padding, ReLU/erf, then global average pooling
 * or flatten, then a dense readout), whole depth as one op. Output [2, n, m]: NNGP, NTK. Keeps the covariance
 * of every pixel pair (S² per input pair) — what pooling needs. Reference in tfjs ops (covariance convolution =
 * 2-D convolution with a diagonal filter), typed-array implementation (stax, Float64) and a WGSL one (two
 * passes per layer: convolution + affine, then the dual activation; a final pooling + readout pass).
 */
export const convKernelRecursion = defineKernel<ConvKernelInputs, ConvKernelAttrs, tf.Tensor3D>({
  name: 'ntk/conv-kernel-recursion',
  description: 'Analytic NNGP and NTK of a CNN with pooling or flatten readout (all pixel-pair covariances)',
  reference({ x, y }, a) {
    check(a);
    return tf.tidy(() => {
      const [n, S, C] = x.shape;
      const m = y.shape[0];
      const filter = diagonalFilter(a.filter);
      // One matmul for the cross and the self covariances: identical images give identical entries.
      const g = jointGramTf(x, y, C);
      const cross0 = tf.reshape(g.cross, [n * m, S * S]);
      let cross: tf.Tensor = cross0;
      let selfX: tf.Tensor = tf.reshape(g.selfX, [n, S * S]);
      let selfY: tf.Tensor = tf.reshape(g.selfY, [m, S * S]);
      let ntk: tf.Tensor = tf.zerosLike(cross0);
      const eye = tf.reshape(tf.eye(S), [1, S * S]);
      const diag = (t: tf.Tensor, rows: number) => tf.sum(tf.reshape(tf.mul(t, eye), [rows, S, S]), 2);
      const affine = (t: tf.Tensor) => tf.add(tf.mul(a.sigmaW2, t), a.sigmaB2);
      for (let l = 0; l < a.depth; l++) {
        cross = affine(convCovReference(cross, a.spatial, filter));
        ntk = tf.add(cross, tf.mul(a.sigmaW2, convCovReference(ntk, a.spatial, filter)));
        selfX = affine(convCovReference(selfX, a.spatial, filter));
        selfY = affine(convCovReference(selfY, a.spatial, filter));
        const dx = diag(selfX, n);
        const dy = diag(selfY, m);
        const c = referenceDual(
          a.activation,
          tf.reshape(tf.broadcastTo(tf.reshape(dx, [n, 1, S, 1]), [n, m, S, S]), [n * m, S * S]),
          tf.reshape(tf.broadcastTo(tf.reshape(dy, [1, m, 1, S]), [n, m, S, S]), [n * m, S * S]),
          cross,
        );
        ntk = tf.mul(ntk, c.kdot);
        cross = c.k;
        const selfDual = (t: tf.Tensor, d: tf.Tensor, rows: number) =>
          referenceDual(
            a.activation,
            tf.reshape(tf.broadcastTo(tf.reshape(d, [rows, S, 1]), [rows, S, S]), [rows, S * S]),
            tf.reshape(tf.broadcastTo(tf.reshape(d, [rows, 1, S]), [rows, S, S]), [rows, S * S]),
            t,
          ).k;
        selfX = selfDual(selfX, dx, n);
        selfY = selfDual(selfY, dy, m);
      }
      const pool = (t: tf.Tensor) =>
        a.readout === 'gap' ? tf.mean(t, 1) : tf.div(tf.sum(tf.mul(t, eye), 1), S);
      const nngpOut = affine(pool(cross));
      const ntkOut = tf.add(nngpOut, tf.mul(a.sigmaW2, pool(ntk)));
      return tf.reshape(tf.stack([nngpOut, ntkOut]), [2, n, m]) as tf.Tensor3D;
    });
  },
  cpu({ x, y }, a): HostTensor {
    check(a);
    const [n, S, C] = x.shape as [number, number, number];
    const m = y.shape[0]!;
    if (S !== a.spatial.reduce((p, q) => p * q, 1))
      throw new Error('ntk/conv-kernel-recursion: S ≠ Π spatial');
    const k = kernelFn(
      convKernelNetwork(a),
      { values: x.values, shape: [n, ...a.spatial, C] },
      { values: y.values, shape: [m, ...a.spatial, C] },
    );
    const out = new Float32Array(2 * n * m);
    out.set(k.nngp);
    out.set(k.ntk!, n * m);
    return { shape: [2, n, m], values: out };
  },
  webgpu({ x, y }, a, gpu) {
    check(a);
    const [n, S, C] = x.shape;
    const m = y.shape[0];
    const B = n * m + n + m;
    const H = a.spatial[0]!;
    const W = a.spatial.length === 2 ? a.spatial[1]! : 1;
    const fw = a.spatial.length === 2 ? a.filter : 1;
    const pad = (f: number) => Math.floor((f - 1) / 2);
    let T = tf.tidy(() => {
      const g = jointGramTf(x, y, C);
      const t0 = tf.concat([tf.reshape(g.cross, [n * m, S, S]), g.selfX, g.selfY], 0);
      return tf.stack([t0, tf.zerosLike(t0)]);
    });
    const common = [
      { type: 'int32' as const, data: [B] },
      { type: 'int32' as const, data: [S] },
      { type: 'int32' as const, data: [n] },
      { type: 'int32' as const, data: [m] },
    ];
    const header = 'pairs : i32, S : i32, n : i32, m : i32,';
    const decode = `
      let bss = uniforms.pairs * uniforms.S * uniforms.S;
      let w = index / bss;
      let rem = index % bss;
      let b = rem / (uniforms.S * uniforms.S);
      let p1 = (rem / uniforms.S) % uniforms.S;
      let p2 = rem % uniforms.S;`;
    const affineProgram: WgslProgram = {
      key: 'ntk_conv_affine',
      outputShape: [2, B, S, S],
      variableNames: ['T'],
      uniforms: `${header} H : i32, W : i32, fh : i32, fw : i32, ph : i32, pw : i32, sw2 : f32, sb2 : f32,`,
      uniformData: [
        ...common,
        { type: 'int32', data: [H] },
        { type: 'int32', data: [W] },
        { type: 'int32', data: [a.filter] },
        { type: 'int32', data: [fw] },
        { type: 'int32', data: [pad(a.filter)] },
        { type: 'int32', data: [pad(fw)] },
        { type: 'float32', data: [a.sigmaW2] },
        { type: 'float32', data: [a.sigmaB2] },
      ],
      userCode: `
        fn main(index : i32) {
          if (index < uniforms.size) {
            ${decode}
            let h1 = p1 / uniforms.W;
            let w1 = p1 % uniforms.W;
            let h2 = p2 / uniforms.W;
            let w2 = p2 % uniforms.W;
            var sN = 0.0;
            var sT = 0.0;
            for (var dh = 0; dh < uniforms.fh; dh = dh + 1) {
              let a1 = h1 + dh - uniforms.ph;
              let a2 = h2 + dh - uniforms.ph;
              if (a1 < 0 || a1 >= uniforms.H || a2 < 0 || a2 >= uniforms.H) { continue; }
              for (var dw = 0; dw < uniforms.fw; dw = dw + 1) {
                let c1 = w1 + dw - uniforms.pw;
                let c2 = w2 + dw - uniforms.pw;
                if (c1 < 0 || c1 >= uniforms.W || c2 < 0 || c2 >= uniforms.W) { continue; }
                let q = (b * uniforms.S + a1 * uniforms.W + c1) * uniforms.S + a2 * uniforms.W + c2;
                sN = sN + T[q];
                sT = sT + T[bss + q];
              }
            }
            let inv = 1.0 / f32(uniforms.fh * uniforms.fw);
            let nn = uniforms.sw2 * sN * inv + uniforms.sb2;
            if (w == 0) {
              setOutputAtIndex(index, nn);
            } else {
              setOutputAtIndex(index, nn + uniforms.sw2 * sT * inv);
            }
          }
        }`,
    };
    const activationProgram: WgslProgram = {
      key: `ntk_conv_act_${a.activation}`,
      outputShape: [2, B, S, S],
      variableNames: ['T'],
      uniforms: header,
      uniformData: common,
      userCode: `
        ${wgslDual(a.activation)}
        fn main(index : i32) {
          if (index < uniforms.size) {
            ${decode}
            let cross = uniforms.n * uniforms.m;
            var L = b;
            var R = b;
            if (b < cross) {
              L = cross + b / uniforms.m;
              R = cross + uniforms.n + b % uniforms.m;
            }
            let q = (b * uniforms.S + p1) * uniforms.S + p2;
            let d = dualK(T[(L * uniforms.S + p1) * uniforms.S + p1], T[(R * uniforms.S + p2) * uniforms.S + p2], T[q]);
            if (w == 0) {
              setOutputAtIndex(index, d.x);
            } else {
              setOutputAtIndex(index, T[bss + q] * d.y);
            }
          }
        }`,
    };
    const readoutProgram: WgslProgram = {
      key: 'ntk_conv_readout',
      outputShape: [2, n, m],
      variableNames: ['T'],
      uniforms: `${header} gap : i32, sw2 : f32, sb2 : f32,`,
      uniformData: [
        ...common,
        { type: 'int32', data: [a.readout === 'gap' ? 1 : 0] },
        { type: 'float32', data: [a.sigmaW2] },
        { type: 'float32', data: [a.sigmaB2] },
      ],
      userCode: `
        fn main(index : i32) {
          if (index < uniforms.size) {
            let nm = uniforms.n * uniforms.m;
            let w = index / nm;
            let b = index % nm;
            let S = uniforms.S;
            let bss = uniforms.pairs * S * S;
            var sN = 0.0;
            var sT = 0.0;
            var scale = 1.0 / f32(S);
            if (uniforms.gap == 1) {
              for (var q = 0; q < S * S; q = q + 1) {
                sN = sN + T[b * S * S + q];
                sT = sT + T[bss + b * S * S + q];
              }
              scale = 1.0 / f32(S * S);
            } else {
              for (var p = 0; p < S; p = p + 1) {
                sN = sN + T[(b * S + p) * S + p];
                sT = sT + T[bss + (b * S + p) * S + p];
              }
            }
            let nn = uniforms.sw2 * sN * scale + uniforms.sb2;
            if (w == 0) {
              setOutputAtIndex(index, nn);
            } else {
              setOutputAtIndex(index, nn + uniforms.sw2 * sT * scale);
            }
          }
        }`,
    };
    for (let l = 0; l < a.depth; l++) {
      const t1 = gpu.run(affineProgram, [T]);
      T.dispose();
      T = gpu.run(activationProgram, [t1]);
      t1.dispose();
    }
    const out = gpu.run(readoutProgram, [T]) as tf.Tensor3D;
    T.dispose();
    return out;
  },
  tolerance: { atol: 2e-5, rtol: 2e-4 },
  examples() {
    const cases: Array<{ attrs: ConvKernelAttrs; n: number; m: number; c: number }> = [
      {
        attrs: {
          spatial: [6],
          filter: 2,
          depth: 2,
          sigmaW2: 1.5,
          sigmaB2: 0.1,
          activation: 'erf',
          readout: 'flatten',
        },
        n: 3,
        m: 4,
        c: 3,
      },
      {
        attrs: {
          spatial: [4, 5],
          filter: 3,
          depth: 2,
          sigmaW2: 2,
          sigmaB2: 0.05,
          activation: 'relu',
          readout: 'gap',
        },
        n: 2,
        m: 3,
        c: 2,
      },
    ];
    return cases.map(({ attrs, n, m, c }, k) => {
      const s = attrs.spatial.reduce((a, b) => a * b, 1);
      const values = (rows: number, shift: number) =>
        Float32Array.from({ length: rows * s * c }, (_, i) => Math.sin(0.37 * i + shift + k));
      const x = values(n, 0);
      const y = values(m, 1.3);
      return {
        name: `${attrs.spatial.join('×')}, filter ${attrs.filter}, ${attrs.readout}, ${attrs.activation}`,
        inputs: () => ({ x: tf.tensor3d(x, [n, s, c]), y: tf.tensor3d(y, [m, s, c]) }),
        attrs,
      };
    });
  },
});
