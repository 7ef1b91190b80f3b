import { Rng } from '@paperlab/core';
import { checkKernelAgreement, onBackendWithoutLeaks } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  gatherRows,
  gatherRowsKernel,
  makeGraph,
  segmentMax,
  segmentMaxKernel,
  segmentMean,
  segmentSoftmax,
  segmentSum,
  segmentSumKernel,
  segments,
  sparseTensors,
  spmm,
  spmmKernel,
  toCsr,
} from '../index.js';

function randomGraph(rng: Rng, n: number, m: number) {
  const src = Int32Array.from({ length: m }, () => rng.int(n));
  const dst = Int32Array.from({ length: m }, () => rng.int(n));
  return makeGraph(n, src, dst);
}

/** Dense reference of A·X for a CSR matrix. */
function denseOf(csr: ReturnType<typeof toCsr>): number[][] {
  const d = Array.from({ length: csr.rows }, () => new Array<number>(csr.cols).fill(0));
  for (let r = 0; r < csr.rows; r++)
    for (let k = csr.rowPtr[r]!; k < csr.rowPtr[r + 1]!; k++) d[r]![csr.colIdx[k]!]! += csr.values[k]!;
  return d;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`message-passing ops on ${backend}`, () => {
    onBackendWithoutLeaks(backend, 'block');

    it('segment sum / mean / max equal a naive loop, with correct gradients', () =>
      tf.tidy(() => {
        const rng = new Rng(7);
        const ids = Int32Array.from({ length: 40 }, () => rng.int(9)).map((v) => (v === 4 ? 5 : v));
        const data = rng.normals(40 * 3);
        const seg = segments(ids, 9);
        const x = tf.tensor2d(data, [40, 3]);
        const sum = segmentSum(x, seg).arraySync();
        const mean = segmentMean(x, seg).arraySync();
        const max = segmentMax(x, seg).arraySync();
        for (let s = 0; s < 9; s++)
          for (let f = 0; f < 3; f++) {
            const members = Array.from(ids.keys()).filter((e) => ids[e] === s);
            const vals = members.map((e) => data[e * 3 + f]!);
            const tot = vals.reduce((a, b) => a + b, 0);
            expect(sum[s]![f]).toBeCloseTo(tot, 5);
            expect(mean[s]![f]).toBeCloseTo(vals.length ? tot / vals.length : 0, 5);
            expect(max[s]![f]).toBeCloseTo(vals.length ? Math.max(...vals) : 0, 5);
          }
        // Gradients against tfjs autodiff of the same functions written with dense one-hot matrices.
        const onehot = tf.transpose(tf.oneHot(tf.tensor1d(ids, 'int32'), 9)) as tf.Tensor2D;
        const w = tf.tensor2d(rng.normals(9 * 3), [9, 3]);
        const gSum = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(segmentSum(t as tf.Tensor2D, seg), w)))(x);
        const gRef = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.matMul(onehot, t as tf.Tensor2D), w)))(x);
        expect(tf.max(tf.abs(tf.sub(gSum, gRef))).dataSync()[0]).toBeLessThan(1e-5);
        const gMax = tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(segmentMax(t as tf.Tensor2D, seg), w)))(x)
          .arraySync() as number[][];
        const wv = w.arraySync();
        for (let e = 0; e < 40; e++)
          for (let f = 0; f < 3; f++) {
            const isMax = Math.abs(max[ids[e]!]![f]! - data[e * 3 + f]!) < 1e-7;
            expect(gMax[e]![f]).toBeCloseTo(isMax ? wv[ids[e]!]![f]! : 0, 5);
          }
        seg.dispose();
      }));

    it('gatherRows copies rows; its gradient is the segment sum of dY', () =>
      tf.tidy(() => {
        const ids = Int32Array.from([2, 0, 2, 1, 2]);
        const seg = segments(ids, 3);
        const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
        expect(Array.from(gatherRows(x, seg).dataSync())).toEqual([5, 6, 1, 2, 5, 6, 3, 4, 5, 6]);
        const w = tf.tensor2d([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], [5, 2]);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRows(t as tf.Tensor2D, seg), w)))(x);
        expect(Array.from(g.dataSync())).toEqual([2, 2, 4, 4, 9, 9]);
        expect(() => gatherRows(tf.zeros([4, 2]) as tf.Tensor2D, seg)).toThrow(
          /4 rows but the segments index 3/,
        );
        seg.dispose();
      }));

    it('segment softmax sums to one per segment', () =>
      tf.tidy(() => {
        const ids = Int32Array.from([0, 0, 1, 2, 2, 2]);
        const seg = segments(ids, 3);
        const s = tf.tensor2d([1, 2, 3, 100, 101, 99], [6, 1]);
        const a = segmentSoftmax(s, seg).dataSync();
        expect(a[0]! + a[1]!).toBeCloseTo(1, 6);
        expect(a[2]).toBeCloseTo(1, 6);
        expect(a[3]! + a[4]! + a[5]!).toBeCloseTo(1, 6);
        expect(a[4]).toBeCloseTo(Math.exp(1) / (1 + Math.exp(1) + Math.exp(-1)), 5);
        seg.dispose();
      }));

    it('spmm equals the dense product; its gradient is Aᵀ·dY', () =>
      tf.tidy(() => {
        const rng = new Rng(3);
        const g = randomGraph(rng, 30, 120);
        const csr = toCsr(g, rng.normals(120));
        const A = sparseTensors(csr);
        const dense = tf.tensor2d(denseOf(csr));
        const x = tf.tensor2d(rng.normals(30 * 4), [30, 4]);
        const y = spmm(A, x);
        const ref = tf.matMul(dense, x);
        expect(tf.max(tf.abs(tf.sub(y, ref))).dataSync()[0]).toBeLessThan(1e-4);
        const w = tf.tensor2d(rng.normals(30 * 4), [30, 4]);
        const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(spmm(A, t as tf.Tensor2D), w)))(x);
        const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.matMul(dense, t as tf.Tensor2D), w)))(x);
        expect(tf.max(tf.abs(tf.sub(g1, g2))).dataSync()[0]).toBeLessThan(1e-4);
        A.dispose();
        expect(() => spmm(A, tf.zeros([3, 1]) as tf.Tensor2D)).toThrow(/30 columns but x has 3 rows/);
      }));
  });
}

describe('kernels agree with their tfjs references', () => {
  onBackendWithoutLeaks('wasm', 'block');
  for (const spec of [spmmKernel, gatherRowsKernel, segmentSumKernel, segmentMaxKernel]) {
    it(`${spec.name} (wasm, cpu, and webgpu when an adapter exists)`, async () => {
      const rng = new Rng(11);
      const extra =
        spec.name === 'gnn/csr-spmm'
          ? [
              {
                name: 'random 200×150, 900 entries, f = 17',
                inputs: () => {
                  const csr = toCsr(randomGraph(rng.split('g'), 200, 900), rng.split('v').normals(900));
                  return {
                    rowPtr: tf.tensor1d(csr.rowPtr, 'int32'),
                    colIdx: tf.tensor1d(csr.colIdx, 'int32'),
                    values: tf.tensor1d(csr.values),
                    x: tf.tensor2d(rng.split('x').normals(200 * 17), [200, 17]),
                  };
                },
                attrs: {},
              },
            ]
          : [];
      // biome-ignore lint/suspicious/noExplicitAny: the cases are the kernel's own examples.
      const cases = [...(spec.examples?.() ?? []), ...extra] as any[];
      const { results, skipped } = await checkKernelAgreement(spec, cases, { atol: 1e-5, rtol: 1e-4 });
      if (skipped.length) console.info(`[kernel agreement] skipped: ${skipped.join('; ')}`);
      console.info(
        `[kernel agreement] ${spec.name}: ${[...new Set(results.map((r) => `${r.impl}@${r.backend}`))].join(', ')}`,
      );
      expect(results.some((r) => r.impl === 'cpu')).toBe(true);
      if (spec.webgpu && !skipped.some((s) => s.startsWith('webgpu')))
        expect(results.some((r) => r.impl === 'webgpu')).toBe(true);
      for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
    });
  }
});
