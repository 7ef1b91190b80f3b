import { Rng } from '@paperlab/core';
import { checkKernelAgreement, onBackendWithoutLeaks, useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedMatmulKernel } from '../kernels/packedMatmul.js';
import { CompressNet } from '../nets/compressNet.js';
import { mlp } from '../nets/zoo.js';
import {
  apotLevels,
  binarize,
  fakeQuantLevels,
  fakeQuantUniform,
  lsqFakeQuant,
  powerOfTwoLevels,
} from '../quant/fakeQuant.js';
import {
  packCodes,
  packedByteLength,
  packedSignsByteLength,
  packedTensors,
  packSigns,
  packWeights,
  unpackCodes,
  unpackSigns,
  unpackWeights,
} from '../quant/packed.js';
import { packDenseNet, packedNetByteLength, packedNetForward } from '../quant/packedNet.js';
import { readAndDispose } from './setup.js';

const distinct = (v: ArrayLike<number>) => new Set(Array.from(v)).size;

describe('fake quantisation (straight-through)', () => {
  onBackendWithoutLeaks();

  it('uniform symmetric 4-bit: ≤ 15 levels, error ≤ half a step, identity gradient', () => {
    const xs = new Rng(1).normals(500);
    const x = tf.tensor1d(xs);
    const y = fakeQuantUniform(x, { bits: 4 });
    const v = y.dataSync();
    const step = Math.max(...xs.map(Math.abs)) / 7;
    expect(distinct(v)).toBeLessThanOrEqual(15);
    for (let i = 0; i < xs.length; i++) expect(Math.abs(v[i]! - xs[i]!)).toBeLessThanOrEqual(step / 2 + 1e-6);
    const c = tf.tensor1d(Float32Array.from(xs, (_, i) => i % 5));
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(fakeQuantUniform(t, { bits: 4 }), c)))(x);
    expect(Array.from(g.dataSync())).toEqual(Array.from(c.dataSync()));
    tf.dispose([x, y, c, g]);
  });

  it('per-channel scales keep a small channel’s resolution; asymmetric grids map 0 to 0', () => {
    // Column 0 is 100× larger than column 1: a per-tensor scale would round column 1 to zero.
    const w = tf.tensor2d([100, 0.3, -80, -0.2, 50, 0.1, -20, 0.25], [4, 2]);
    const per = readAndDispose(fakeQuantUniform(w, { bits: 4, channelAxis: -1 }));
    const whole = readAndDispose(fakeQuantUniform(w, { bits: 4 }));
    expect(Math.abs(per[1]! - 0.3)).toBeLessThan(0.03);
    expect(whole[1]).toBe(0);
    const a = tf.tensor1d([0, 0.5, 1.7, 3.2, 0.01]);
    const qa = readAndDispose(fakeQuantUniform(a, { bits: 3, symmetric: false }));
    expect(qa[0]).toBe(0);
    expect(distinct(qa)).toBeLessThanOrEqual(8);
    tf.dispose([w, a]);
  });

  it('power-of-two and APoT level sets, and quantisation onto them', () => {
    expect(Array.from(powerOfTwoLevels(3))).toEqual([-1, -0.5, -0.25, 0, 0.25, 0.5, 1]);
    expect(Array.from(apotLevels(3))).toEqual(Array.from(powerOfTwoLevels(3)));
    const apot4 = apotLevels(4);
    expect(apot4.length).toBe(15);
    // APoT fills the gaps power-of-two leaves at the top of the range.
    expect(Array.from(apot4).filter((l) => l > 0.5).length).toBeGreaterThan(
      Array.from(powerOfTwoLevels(4)).filter((l) => l > 0.5).length,
    );
    const x = tf.tensor1d([0.9, -0.3, 0.05, -2, 0.6]);
    const q = readAndDispose(fakeQuantLevels(x, powerOfTwoLevels(3)));
    expect(Array.from(q)).toEqual([1, -0.5, 0, -2, 0.5]);
    x.dispose();
  });

  it('LSQ: values on the grid; the step gets LSQ’s gradient and out-of-range inputs none', () => {
    const x = tf.tensor1d([0.3, 2.0, -5]);
    const s = tf.scalar(1);
    const y = lsqFakeQuant(x, s, { bits: 2 });
    expect(Array.from(y.dataSync())).toEqual([0, 1, -2]);
    const [gx, gs] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(lsqFakeQuant(a, b, { bits: 2 })))([
      x,
      s,
    ]);
    expect(Array.from(gx!.dataSync())).toEqual([1, 0, 0]);
    // (round(0.3) − 0.3) + Qp + Qn = −0.3 + 1 − 2, scaled by 1/√(N·Qp) = 1/√3.
    expect(gs!.dataSync()[0]).toBeCloseTo(-1.3 / Math.sqrt(3), 5);
    tf.dispose([x, s, y, gx!, gs!]);
  });

  it('1-bit: ±mean|w| per channel, identity gradient', () => {
    const w = tf.tensor2d([1, -4, -3, 2, 0, 6], [3, 2]);
    const b = readAndDispose(binarize(w, { channelAxis: -1 }));
    expect(Array.from(b)).toEqual([4 / 3, -4, -4 / 3, 4, 4 / 3, 4].map(Math.fround));
    const g = tf.grad((t: tf.Tensor) => tf.sum(binarize(t)))(w);
    expect(Array.from(g.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    tf.dispose([w, g]);
  });
});

describe('packed low-bit weights', () => {
  beforeAll(useWasm);

  for (const bits of [1, 2, 4, 8] as const) {
    it(`${bits}-bit codes survive packing (odd sizes, column padding)`, () => {
      const rows = 29;
      const cols = 5;
      const rng = new Rng(bits);
      const codes = Uint8Array.from({ length: rows * cols }, () => rng.int(2 ** bits));
      const data = packCodes(codes, rows, cols, bits);
      const p = { bits, rows, cols, data, scale: new Float32Array(cols), zero: new Float32Array(cols) };
      expect(Array.from(unpackCodes(p))).toEqual(Array.from(codes));
      expect(data.byteLength).toBe(cols * 3 * Math.ceil(rows / (24 / bits)));
    });
  }

  it('sign packing: one α per matrix, bits along the longer axis, exact round trip', () => {
    const w = new Rng(9).normals(32 * 256);
    const p = packSigns(w, 32, 256);
    expect(p.transposed).toBe(true);
    expect(packedSignsByteLength(p)).toBe(32 * Math.ceil(256 / 24) * 3 + 4);
    const back = unpackSigns(p);
    const alpha = w.reduce((a, v) => a + Math.abs(v), 0) / w.length;
    for (let i = 0; i < w.length; i++) expect(back[i]).toBeCloseTo((w[i]! >= 0 ? 1 : -1) * alpha, 5);
  });

  it('dequantised packed weights equal per-channel symmetric fake quantisation', () => {
    const rows = 40;
    const cols = 6;
    const w = new Rng(3).normals(rows * cols);
    const p = packWeights(w, rows, cols, 4);
    const t = tf.tensor2d(w, [rows, cols]);
    const fq = fakeQuantUniform(t, { bits: 4, channelAxis: -1 });
    const want = fq.dataSync();
    const got = unpackWeights(p);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 5);
    tf.dispose([t, fq]);
  });

  it('measured bytes: a 4-bit 784×256 layer is ≤ 1/7 of its float32 size; 1-bit ≤ 1/28', () => {
    const w = new Rng(4).normals(784 * 256);
    const f32 = w.byteLength;
    expect(f32).toBe(784 * 256 * 4);
    expect(packedByteLength(packWeights(w, 784, 256, 4))).toBeLessThanOrEqual(f32 / 7);
    expect(packedByteLength(packWeights(w, 784, 256, 1))).toBeLessThanOrEqual(f32 / 28);
    // 1 bit is α·sign(w).
    const b = unpackWeights(packWeights(w.subarray(0, 20 * 3), 20, 3, 1));
    expect(distinct(b.filter((_, i) => i % 3 === 0))).toBe(2);
  });

  it('a packed 4-bit MLP: measured bytes ≤ 1/7 of float32, and it computes what fake quantisation computes', () => {
    const net = CompressNet.build(mlp([256, 256], 10), [784], new Rng(11));
    const f32 = net.variables().reduce((s, v) => s + 4 * v.size, 0);
    const packed = packDenseNet(net, 4);
    const bytes = packedNetByteLength(packed);
    console.info(
      `[packed 4-bit MLP 784-256-256-10] ${bytes} B vs float32 ${f32} B (ratio ${(f32 / bytes).toFixed(2)})`,
    );
    expect(bytes).toBeLessThanOrEqual(f32 / 7);
    const x = tf.tensor2d(new Rng(12).normals(5 * 784), [5, 784]);
    const got = packedNetForward(packed, x);
    const want = net.forwardWith(
      x,
      { weight: (_, k) => fakeQuantUniform(k, { bits: 4, channelAxis: -1 }) },
      false,
    );
    const a = got.dataSync();
    const b = want.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 3);
    tf.dispose([x, got, want]);
    net.dispose();
  });

  it('the packed matmul (typed-array and WGSL) agrees with dequantise-then-matmul', async () => {
    const examples = packedMatmulKernel.examples!();
    const { results, skipped } = await checkKernelAgreement(
      packedMatmulKernel,
      examples,
      packedMatmulKernel.tolerance,
    );
    if (skipped.length) console.info(`[packedMatmul agreement] skipped: ${skipped.join('; ')}`);
    expect(results.filter((r) => r.impl === 'cpu').length).toBeGreaterThan(0);
    if (!skipped.some((s) => s.startsWith('webgpu')))
      expect(results.filter((r) => r.impl === 'webgpu').length).toBe(examples.length);
    for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
    // The reference itself is checked against float32 matmul on the dequantised host weights.
    await useWasm();
    const p = packWeights(new Rng(5).normals(12 * 4), 12, 4, 2);
    const x = tf.tensor2d(new Rng(6).normals(3 * 12), [3, 12]);
    const t = packedTensors(p);
    const y = packedMatmulKernel.reference({ x, ...t }, { bits: 2, rows: 12 });
    const wd = tf.tensor2d(unpackWeights(p), [12, 4]);
    const want = tf.matMul(x, wd);
    const a = y.dataSync();
    const bb = want.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(bb[i]!, 4);
    tf.dispose([x, t.groups, t.scale, t.zero, y, wd, want]);
  });
});
