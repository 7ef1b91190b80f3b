import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as stax from '../stax/index.js';
import { type ConvKernelAttrs, convKernelRecursion } from './convKernel.js';
import { type FcKernelAttrs, fcKernels, fcKernelsHost } from './fcKernel.js';

/*
 * Precision of the analytic fully-connected ReLU kernels at d = 784 (more features than any small-input shortcut),
 * against an independent Float64 recursion written here: plain JS numbers, the Gram in Float64 and the arc-cosine
 * formulas with sin θ; the identical-input closed form (E[relu²] = q/2) gives the scales and the expected value at
 * duplicates. The inputs include duplicates and
 * antipodal points (x and −x), where cos θ = ±1 and the arc-cosine turns a 1e-7 error in cos θ into 5e-4 in θ.
 *
 * Errors are measured against the scale of each entry, √(K(x,x)·K(y,y)) (its Cauchy–Schwarz bound), which
 * stays meaningful where K(x, −x) ≈ 0; except on the all-Float32 path, entries ≥ 1e-3 of that scale are also
 * held to the same bound elementwise. Measured on wasm (2026-12), depth 1–5, with and without bias:
 *   - Float64 paths (fcKernelsHost, stax.kernelFn, kernelMatrix 'float64'): ≤ 6.4e-15 (asserted: 1e-10);
 *   - result rounded to Float32 (fcKernels on cpu/wasm, kernelMatrix 'float32'): ≤ 5.8e-8 (asserted: 1e-6);
 *   - all-Float32 tfjs ops (fcKernels through the reference implementation, what webgpu/webgl/tensorflow run:
 *     one Float32 matmul, Float32 recursion): ≤ 1.1e-6 of the scale (asserted: 3e-6).
 * Before the fix (cross Gram from a Float32 matmul, norms in Float64 for C > 64) stax.kernelFn/kernelMatrix were
 * off by up to 7.4e-4 at depth 5 and fcKernels (Float32 matmul against Float32 row sums) by up to 2.7e-5.
 */

const D = 784;
const F64_TOL = 1e-10;
const F32_OUT_TOL = 1e-6;
/** What the all-Float32 reference path achieves (measured ≤ 1.1e-6 of the scale). */
const F32_PATH_TOL = 3e-6;

/** Rows: 8 Gaussian, 6 uniform in [0, 1) (all-positive, image-like), 3 duplicates, 3 antipodes, 1 doubled. */
function pointSet(seed: number): {
  X: Float32Array;
  n: number;
  dup: Array<[number, number]>;
  anti: Array<[number, number]>;
} {
  const rng = new Rng(seed);
  const rows: Float32Array[] = [];
  for (let i = 0; i < 8; i++) rows.push(rng.split(`g${i}`).normals(D));
  for (let i = 0; i < 6; i++) rows.push(rng.split(`u${i}`).uniforms(D));
  const dup: Array<[number, number]> = [];
  const anti: Array<[number, number]> = [];
  for (const src of [0, 9, 3]) {
    dup.push([src, rows.length]);
    rows.push(rows[src]!.slice());
  }
  for (const src of [1, 4, 10]) {
    anti.push([src, rows.length]);
    rows.push(rows[src]!.map((v) => -v));
  }
  rows.push(rows[2]!.map((v) => 2 * v));
  const X = new Float32Array(rows.length * D);
  for (const [i, r] of rows.entries()) X.set(r, i * D);
  return { X, n: rows.length, dup, anti };
}

/** Second set for cross kernels: copies and negatives of some rows of the first set, and fresh rows. */
function crossSet(
  X: Float32Array,
  seed: number,
): { Y: Float32Array; m: number; same: Array<[number, number]>; opp: Array<[number, number]> } {
  const rng = new Rng(seed);
  const rows: Float32Array[] = [];
  const same: Array<[number, number]> = [];
  const opp: Array<[number, number]> = [];
  for (const i of [5, 11, 0]) {
    same.push([i, rows.length]);
    rows.push(X.slice(i * D, (i + 1) * D));
  }
  for (const i of [2, 12]) {
    opp.push([i, rows.length]);
    rows.push(X.slice(i * D, (i + 1) * D).map((v) => -v));
  }
  for (let i = 0; i < 4; i++)
    rows.push(i % 2 ? rng.split(`c${i}`).uniforms(D) : rng.split(`c${i}`).normals(D));
  const Y = new Float32Array(rows.length * D);
  for (const [i, r] of rows.entries()) Y.set(r, i * D);
  return { Y, m: rows.length, same, opp };
}

interface Ref {
  nngp: Float64Array;
  ntk: Float64Array;
  /** Scale of each entry: √(K(x,x)K(y,y)) for the NNGP and the NTK. */
  sN: Float64Array;
  sT: Float64Array;
}

/** Identical inputs with |x|²/d = q: cos θ = 1 at every layer, so E[relu²] = q/2 and E[step²] = 1/2. */
function identical(q: number, a: FcKernelAttrs): [number, number] {
  let k = a.sigmaW2 * q + a.sigmaB2;
  let t = k;
  for (let l = 1; l < a.depth; l++) {
    k = (a.sigmaW2 * k) / 2 + a.sigmaB2;
    t = k + (a.sigmaW2 / 2) * t;
  }
  return [k, t];
}

/** E[relu(u)relu(v)] and E[step(u)step(v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]) (Cho & Saul 2009). */
function arcCos(k11: number, k22: number, k12: number): [number, number] {
  const norm = Math.sqrt(k11 * k22);
  const c = Math.max(-1, Math.min(1, k12 / norm));
  const th = Math.acos(c);
  return [(norm * (Math.sin(th) + (Math.PI - th) * c)) / (2 * Math.PI), (Math.PI - th) / (2 * Math.PI)];
}

/** NNGP and NTK of one pair from g = x·y/d, qx = |x|²/d, qy = |y|²/d (Jacot et al. 2018, NTK parametrisation). */
function pair(g: number, qx: number, qy: number, a: FcKernelAttrs): [number, number] {
  let q1 = a.sigmaW2 * qx + a.sigmaB2;
  let q2 = a.sigmaW2 * qy + a.sigmaB2;
  let k = a.sigmaW2 * g + a.sigmaB2;
  let t = k;
  for (let l = 1; l < a.depth; l++) {
    const [e, ed] = arcCos(q1, q2, k);
    k = a.sigmaW2 * e + a.sigmaB2;
    t = k + a.sigmaW2 * ed * t;
    // The norms go through the same formula (not the closed form q/2): a 1-ulp mismatch between k and √(q1q2)
    // would put θ at ~1e-8 for identical inputs, an error of this reference's own.
    q1 = a.sigmaW2 * arcCos(q1, q1, q1)[0] + a.sigmaB2;
    q2 = a.sigmaW2 * arcCos(q2, q2, q2)[0] + a.sigmaB2;
  }
  return [k, t];
}

/** x against −x: the recursion entered with cos θ = −1 exactly. */
function antipodal(q: number, a: FcKernelAttrs): [number, number] {
  return pair(-q, q, q, a);
}

/** The textbook Float64 recursion, entry by entry, with the Gram in Float64. */
function reference(X: ArrayLike<number>, n: number, Y: ArrayLike<number>, m: number, a: FcKernelAttrs): Ref {
  const dot = (A: ArrayLike<number>, i: number, B: ArrayLike<number>, j: number) => {
    let s = 0;
    for (let k = 0; k < D; k++) s += A[i * D + k]! * B[j * D + k]!;
    return s / D;
  };
  const out: Ref = {
    nngp: new Float64Array(n * m),
    ntk: new Float64Array(n * m),
    sN: new Float64Array(n * m),
    sT: new Float64Array(n * m),
  };
  for (let i = 0; i < n; i++) {
    const qx = dot(X, i, X, i);
    const [kx, tx] = identical(qx, a);
    for (let j = 0; j < m; j++) {
      const qy = dot(Y, j, Y, j);
      const [ky, ty] = identical(qy, a);
      const [k, t] = pair(dot(X, i, Y, j), qx, qy, a);
      out.nngp[i * m + j] = k;
      out.ntk[i * m + j] = t;
      out.sN[i * m + j] = Math.sqrt(kx * ky);
      out.sT[i * m + j] = Math.sqrt(tx * ty);
    }
  }
  return out;
}

/**
 * Largest error relative to the entry's scale and, with `elementwise`, also relative to the entry itself
 * where it is ≥ 1e-3 of its scale.
 */
function maxErr(
  got: ArrayLike<number>,
  want: Float64Array,
  scale: Float64Array,
  elementwise: boolean,
): number {
  let worst = 0;
  for (let q = 0; q < want.length; q++) {
    const e = Math.abs(got[q]! - want[q]!);
    worst = Math.max(worst, e / scale[q]!);
    if (elementwise && Math.abs(want[q]!) >= 1e-3 * scale[q]!)
      worst = Math.max(worst, e / Math.abs(want[q]!));
  }
  return worst;
}

function fcNet(a: FcKernelAttrs): stax.Layer {
  const w = { sigmaW2: a.sigmaW2, sigmaB2: a.sigmaB2 };
  const layers: stax.Layer[] = [];
  for (let l = 1; l < a.depth; l++) layers.push(stax.dense(512, w), stax.relu());
  return stax.serial(...layers, stax.dense(1, w));
}

const configs: FcKernelAttrs[] = [];
for (const sigmaB2 of [0, 0.1])
  for (let depth = 1; depth <= 5; depth++) configs.push({ depth, sigmaW2: 2, sigmaB2, activation: 'relu' });
const label = (a: FcKernelAttrs) => `depth ${a.depth}, ${a.sigmaB2 ? 'bias' : 'no bias'}`;

const P = pointSet(1);
const C = crossSet(P.X, 2);

/** Identical inputs: the entry equals the self entry bit for bit and the closed form; x vs −x: cos θ = −1. */
function checkSpecialPairs(
  K: { nngp: ArrayLike<number>; ntk: ArrayLike<number> },
  a: FcKernelAttrs,
  cols: number,
  dup: Array<[number, number]>,
  anti: Array<[number, number]>,
  selfOf: (i: number) => number,
  tol: number,
): void {
  for (const [i, j] of dup) {
    expect(K.ntk[i * cols + j]).toBe(K.ntk[i * cols + selfOf(i)]);
    expect(K.nngp[i * cols + j]).toBe(K.nngp[i * cols + selfOf(i)]);
    const [k, t] = identical(selfDot(i), a);
    expect(Math.abs(K.ntk[i * cols + j]! - t) / t).toBeLessThanOrEqual(tol);
    expect(Math.abs(K.nngp[i * cols + j]! - k) / k).toBeLessThanOrEqual(tol);
  }
  if (a.sigmaB2 === 0) {
    for (const [i, j] of anti) {
      const [k, t] = antipodal(selfDot(i), a);
      const [sk, st] = identical(selfDot(i), a);
      expect(Math.abs(K.ntk[i * cols + j]! - t) / st).toBeLessThanOrEqual(tol);
      expect(Math.abs(K.nngp[i * cols + j]! - k) / sk).toBeLessThanOrEqual(tol);
    }
  }
}

function selfDot(i: number): number {
  let s = 0;
  for (let k = 0; k < D; k++) s += P.X[i * D + k]! * P.X[i * D + k]!;
  return s / D;
}

beforeAll(useWasm);

describe('fully-connected ReLU kernels at d = 784 against an independent Float64 recursion', () => {
  for (const a of configs) {
    it(`fcKernelsHost, fcKernels and stax agree (${label(a)})`, async () => {
      const refSelf = reference(P.X, P.n, P.X, P.n, a);
      const refCross = reference(P.X, P.n, C.Y, C.m, a);
      const check = (got: { nngp: ArrayLike<number>; ntk: ArrayLike<number> }, ref: Ref, tol: number) => {
        const each = tol !== F32_PATH_TOL;
        const e = Math.max(maxErr(got.nngp, ref.nngp, ref.sN, each), maxErr(got.ntk, ref.ntk, ref.sT, each));
        expect(e).toBeLessThanOrEqual(tol);
        return e;
      };
      const self = (i: number) => i;
      const errors: Record<string, number> = {};

      // Float64 on the host.
      const h = fcKernelsHost(P.X, P.X, D, a);
      errors.fcKernelsHost = check(h, refSelf, F64_TOL);
      checkSpecialPairs(h, a, P.n, P.dup, P.anti, self, 1e-12);
      errors['fcKernelsHost cross'] = check(fcKernelsHost(P.X, C.Y, D, a), refCross, F64_TOL);

      const before = tf.memory().numTensors;
      const x = tf.tensor2d(P.X, [P.n, D]);
      const y = tf.tensor2d(C.Y, [C.m, D]);
      const read = (k: { nngp: tf.Tensor; ntk: tf.Tensor }) => {
        const out = { nngp: k.nngp.dataSync().slice(), ntk: k.ntk.dataSync().slice() };
        tf.dispose([k.nngp, k.ntk]);
        return out;
      };
      // fcKernels on wasm: Float64 on the host, the result rounded to Float32.
      const fs = read(fcKernels(x, x, a));
      errors.fcKernels = check(fs, refSelf, F32_OUT_TOL);
      checkSpecialPairs(fs, a, P.n, P.dup, P.anti, self, 1e-7);
      errors['fcKernels cross'] = check(read(fcKernels(x, y, a)), refCross, F32_OUT_TOL);
      // The tfjs-ops reference (what non-host backends run): Float32 throughout, one matmul for Gram and norms.
      const fr = read(fcKernels(x, x, a, { impl: 'reference' }));
      errors['fcKernels reference (Float32)'] = check(fr, refSelf, F32_PATH_TOL);
      checkSpecialPairs(fr, a, P.n, P.dup, P.anti, self, F32_PATH_TOL);
      const frc = read(fcKernels(x, y, a, { impl: 'reference' }));
      errors['fcKernels reference cross (Float32)'] = check(frc, refCross, F32_PATH_TOL);

      // stax, inputs as tensors (read as Float32 values) and as host arrays.
      const net = fcNet(a);
      const ks = stax.kernelFn(net, x);
      errors['stax.kernelFn'] = check({ nngp: ks.nngp, ntk: ks.ntk! }, refSelf, F64_TOL);
      checkSpecialPairs({ nngp: ks.nngp, ntk: ks.ntk! }, a, P.n, P.dup, P.anti, self, 1e-12);
      const kc = stax.kernelFn(net, x, y);
      errors['stax.kernelFn cross'] = check({ nngp: kc.nngp, ntk: kc.ntk! }, refCross, F64_TOL);
      tf.dispose([x, y]);
      expect(tf.memory().numTensors).toBe(before);

      const hx = { values: P.X, shape: [P.n, D] };
      const hy = { values: C.Y, shape: [C.m, D] };
      // Blocks of 4 rows: duplicates and antipodes land in off-diagonal blocks, whose norms are computed apart.
      for (const dtype of ['float64', 'float32'] as const) {
        const tol = dtype === 'float64' ? F64_TOL : F32_OUT_TOL;
        const km = await stax.kernelMatrix(net, hx, null, { dtype, blockSize: 4 });
        const kmK = { nngp: km.nngp!, ntk: km.ntk! };
        errors[`kernelMatrix ${dtype}`] = check(kmK, refSelf, tol);
        checkSpecialPairs(kmK, a, P.n, P.dup, P.anti, self, dtype === 'float64' ? 1e-12 : 1e-7);
        const kx = await stax.kernelMatrix(net, hx, hy, { dtype, blockSize: 4 });
        errors[`kernelMatrix ${dtype} cross`] = check({ nngp: kx.nngp!, ntk: kx.ntk! }, refCross, tol);
        for (const [i, j] of C.same) {
          expect(kx.ntk![i * C.m + j]).toBe(km.ntk![i * P.n + i]);
          expect(kx.nngp![i * C.m + j]).toBe(km.nngp![i * P.n + i]);
        }
        if (a.sigmaB2 === 0 && a.depth === 2)
          for (const [i, j] of C.opp) expect(Math.abs(kx.ntk![i * C.m + j]!)).toBe(0);
      }
      console.info(
        `[precision d=${D}, ${label(a)}] max error ${Object.entries(errors)
          .map(([k, v]) => `${k} ${v.toExponential(1)}`)
          .join(', ')}`,
      );
    });
  }

  it('kernelFn on Float64 inputs is Float64 through the input layer (no Float32 rounding of x)', () => {
    const rng = new Rng(7);
    const n = 6;
    const X = Float64Array.from({ length: n * D }, () => rng.normal());
    // Row 5 = −row 0 and row 4 = row 1, in Float64 values that Float32 cannot hold.
    for (let k = 0; k < D; k++) {
      X[5 * D + k] = -X[k]!;
      X[4 * D + k] = X[D + k]!;
    }
    for (const a of [configs[0]!, configs[3]!, configs[9]!]) {
      const ref = reference(X, n, X, n, a);
      const k = stax.kernelFn(fcNet(a), { values: X, shape: [n, D] });
      const e = Math.max(maxErr(k.nngp, ref.nngp, ref.sN, true), maxErr(k.ntk!, ref.ntk, ref.sT, true));
      // Rounding x to Float32 alone would cost ~1e-8 here; the Float64 path is at rounding level.
      expect(e).toBeLessThan(1e-12);
      expect(k.ntk![1 * n + 4]).toBe(k.ntk![1 * n + 1]);
    }
  });
});

describe('conv kernel: identical and opposite images at C = 96 channels', () => {
  it('the tfjs-ops reference and the Float64 typed-array implementation agree; duplicates are exact', () => {
    const rng = new Rng(3);
    const S = 5;
    const Cc = 96;
    const n = 4;
    const X = rng.normals(n * S * Cc);
    // Image 3 = image 0; the second set holds image 1, −image 2 and a fresh one.
    X.set(X.subarray(0, S * Cc), 3 * S * Cc);
    const Y = new Float32Array(3 * S * Cc);
    Y.set(X.subarray(S * Cc, 2 * S * Cc), 0);
    Y.set(
      X.subarray(2 * S * Cc, 3 * S * Cc).map((v) => -v),
      S * Cc,
    );
    Y.set(rng.normals(S * Cc), 2 * S * Cc);
    const attrs: ConvKernelAttrs = {
      spatial: [S],
      filter: 3,
      depth: 3,
      sigmaW2: 2,
      sigmaB2: 0,
      activation: 'relu',
      readout: 'gap',
    };
    const before = tf.memory().numTensors;
    const x = tf.tensor3d(X, [n, S, Cc]);
    const y = tf.tensor3d(Y, [3, S, Cc]);
    const host = convKernelRecursion.cpu!(
      { x: { shape: [n, S, Cc], values: X }, y: { shape: [3, S, Cc], values: Y } },
      attrs,
    ).values;
    const hostSelf = convKernelRecursion.cpu!(
      { x: { shape: [n, S, Cc], values: X }, y: { shape: [n, S, Cc], values: X } },
      attrs,
    ).values;
    const refT = convKernelRecursion.reference({ x, y }, attrs);
    const ref = refT.dataSync().slice();
    const refSelfT = convKernelRecursion.reference({ x, y: x }, attrs);
    const refSelf = refSelfT.dataSync().slice();
    tf.dispose([x, y, refT, refSelfT]);
    expect(tf.memory().numTensors).toBe(before);
    // Identical images: the cross entry is the self entry (NTK block at offset n·m).
    expect(hostSelf[n * n + 0 * n + 3]).toBe(hostSelf[n * n + 0]);
    expect(refSelf[n * n + 0 * n + 3]).toBe(refSelf[n * n + 0]);
    expect(host[n * 3 + 1 * 3 + 0]).toBe(hostSelf[n * n + 1 * n + 1]);
    // Float32 tfjs ops against Float64 host, relative to the largest entry of each kernel (NNGP, NTK).
    let worst = 0;
    for (const block of [0, 1]) {
      const part = host.subarray(block * n * 3, (block + 1) * n * 3);
      const top = Math.max(...Array.from(part, Math.abs));
      part.forEach((v, q) => {
        worst = Math.max(worst, Math.abs(v - ref[block * n * 3 + q]!) / top);
      });
    }
    console.info(`[precision conv C=${Cc}] reference vs typed-array max error ${worst.toExponential(1)}`);
    expect(worst).toBeLessThan(F32_PATH_TOL);
  });
});
