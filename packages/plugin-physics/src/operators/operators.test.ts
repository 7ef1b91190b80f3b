import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import { fit } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fft2 } from '../solvers/fft.js';
import { darcyDataset } from './darcyData.js';
import { relativeErrors, relativeL2Loss } from './errors.js';
import { Fno, fnoShapes } from './fno.js';
import { Mgno, mgnoShapes, prolongationConv, restrictionConv, smoothingConv } from './multigrid.js';
import { countParams, matchWidth } from './params.js';
import { dftMatrices, disposeDft, inverseTruncatedDft2, keptModes, truncatedDft2 } from './spectral.js';
import { UNet, unetShapes } from './unet.js';

function randomField(rng: Rng, n: number): Float64Array {
  return Float64Array.from(rng.normals(n * n, 0, 1));
}

/** Keeps the modes |k_x|, |k_y| < m of a real n × n field (by solvers/fft.ts): a band-limited real field. */
function lowPass(x: Float64Array, n: number, m: number): Float64Array {
  const re = Float64Array.from(x);
  const im = new Float64Array(n * n);
  fft2(re, im, n, n);
  const signed = (k: number) => (k < n / 2 ? k : k - n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (Math.abs(signed(i)) >= m || Math.abs(signed(j)) >= m) re[i * n + j] = im[i * n + j] = 0;
  fft2(re, im, n, n, true);
  return re;
}

describe('operator learning library', () => {
  beforeAll(useWasm);

  it('the truncated DFT as matmuls equals the kept modes of the radix-2 FFT (solvers/fft.ts)', () => {
    const [n, m, b, c] = [16, 4, 2, 3];
    const rng = new Rng(7);
    const fields = Array.from({ length: b * c }, () => randomField(rng, n));
    // NHWC: x[bi, i, j, ci] = fields[bi·c + ci][i·n + j].
    const x = new Float32Array(b * n * n * c);
    for (let bi = 0; bi < b; bi++)
      for (let ci = 0; ci < c; ci++)
        for (let q = 0; q < n * n; q++) x[((bi * n * n + q) * c + ci) | 0] = fields[bi * c + ci]![q]!;
    const d = dftMatrices(n, m);
    const start = tf.memory().numTensors;
    const input = tf.tensor4d(x, [b, n, n, c]);
    const { re, im } = truncatedDft2(input, d);
    const [gr, gi] = [re.dataSync(), im.dataSync()];
    const kx = keptModes(n, m);
    let worst = 0;
    for (let bi = 0; bi < b; bi++)
      for (let ci = 0; ci < c; ci++) {
        const fr = Float64Array.from(fields[bi * c + ci]!);
        const fi = new Float64Array(n * n);
        fft2(fr, fi, n, n);
        kx.forEach((k, r) => {
          for (let ky = 0; ky < m; ky++) {
            const at = ((r * m + ky) * b + bi) * c + ci;
            worst = Math.max(worst, Math.abs(gr[at]! - fr[k * n + ky]!), Math.abs(gi[at]! - fi[k * n + ky]!));
          }
        });
      }
    expect(worst).toBeLessThan(1e-4);
    tf.dispose([input, re, im]);
    expect(tf.memory().numTensors).toBe(start);
    disposeDft(d);
  });

  it('inverse ∘ forward is the identity on band-limited fields', () => {
    const [n, m] = [16, 5];
    const f = lowPass(randomField(new Rng(3), n), n, m);
    const d = dftMatrices(n, m);
    tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(f), [1, n, n, 1]);
      const { re, im } = truncatedDft2(x, d);
      const back = inverseTruncatedDft2(re, im, d).dataSync();
      const err = Array.from(back).reduce((a, v, i) => Math.max(a, Math.abs(v - f[i]!)), 0);
      expect(err).toBeLessThan(1e-4);
      // A mode outside the kept set is removed entirely.
      const hi = tf.tensor4d(
        Float32Array.from({ length: n * n }, (_, q) => Math.cos((2 * Math.PI * 7 * (q % n)) / n)),
        [1, n, n, 1],
      );
      const t = truncatedDft2(hi, d);
      expect(tf.max(tf.abs(inverseTruncatedDft2(t.re, t.im, d))).dataSync()[0]).toBeLessThan(1e-4);
    });
    disposeDft(d);
  });

  it('multigrid blocks: restriction halves, prolongation doubles and is the adjoint of a stride-2 conv', () => {
    tf.tidy(() => {
      const rng = new Rng(11);
      const x = tf.tensor4d(rng.normals(2 * 8 * 8 * 3, 0, 1), [2, 8, 8, 3]);
      const k = tf.tensor4d(rng.normals(9 * 3 * 5, 0, 1), [3, 3, 3, 5]);
      const rx = restrictionConv(x, k);
      expect(rx.shape).toEqual([2, 4, 4, 5]);
      const y = tf.tensor4d(rng.normals(2 * 4 * 4 * 5, 0, 1), [2, 4, 4, 5]);
      const py = prolongationConv(y, k);
      expect(py.shape).toEqual([2, 8, 8, 3]);
      const lhs = tf.sum(tf.mul(rx, y)).dataSync()[0]!;
      const rhs = tf.sum(tf.mul(x, py)).dataSync()[0]!;
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * Math.abs(lhs) + 1e-3);
      // A centred delta kernel smooths nothing away: identity.
      const delta = tf.tensor4d(
        Float32Array.from({ length: 9 * 9 }, (_, q) =>
          Math.floor(q / 9) === 4 && q % 9 === (q % 3) * 4 ? 1 : 0,
        ),
        [3, 3, 3, 3],
      );
      expect(tf.max(tf.abs(tf.sub(smoothingConv(x, delta), x))).dataSync()[0]).toBeLessThan(1e-6);
    });
  });

  it('a one-layer MgNO is a linear operator (a V-cycle of convolutions, zero bias at init)', () => {
    const net = new Mgno({ grid: 16, channels: 3, layers: 1, levels: 3, smoothing: 2 }, new Rng(5));
    tf.tidy(() => {
      const rng = new Rng(6);
      const a = tf.tensor4d(rng.normals(256, 0, 1), [1, 16, 16, 1]);
      const b = tf.tensor4d(rng.normals(256, 0, 1), [1, 16, 16, 1]);
      const lhs = net.forward(tf.add(tf.mul(a, 2), b), { training: false });
      const rhs = tf.add(tf.mul(net.forward(a, { training: false }), 2), net.forward(b, { training: false }));
      expect(tf.max(tf.abs(tf.sub(lhs, rhs))).dataSync()[0]).toBeLessThan(1e-4);
      expect(tf.max(tf.abs(lhs)).dataSync()[0]).toBeGreaterThan(1e-3);
    });
    net.dispose();
  });

  it('parameter counters equal the built models, and widths are matched to a target', () => {
    const mspec = { grid: 32, channels: 8, layers: 4, levels: 4, smoothing: 1 };
    const fspec = { grid: 32, width: 9, modes: 6, layers: 4, pad: 4 };
    const uspec = { width: 10, depth: 2 };
    const start = tf.memory().numTensors;
    const nets = [
      [new Mgno(mspec, new Rng(1)), countParams(mgnoShapes(mspec))],
      [new Fno(fspec, new Rng(1)), countParams(fnoShapes(fspec))],
      [new UNet(uspec, new Rng(1)), countParams(unetShapes(uspec))],
    ] as const;
    for (const [net, count] of nets) {
      expect(net.paramCount()).toBe(count);
      const y = tf.tidy(() => net.forward(tf.zeros([2, 32, 32, 1]), { training: false }));
      expect(y.shape).toEqual([2, 32, 32, 1]);
      y.dispose();
      net.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
    // The paper preset's three models: within 10% of MgNO's count.
    const target = countParams(mgnoShapes(mspec));
    const f = matchWidth((w) => countParams(fnoShapes({ ...fspec, width: w })), target, 1, 64);
    const u = matchWidth((w) => countParams(unetShapes({ width: w, depth: 2 })), target, 1, 64);
    expect(f.width).toBe(9);
    expect(u.width).toBe(10);
    for (const p of [f.params, u.params]) expect(Math.abs(p / target - 1)).toBeLessThan(0.1);
  });

  it('relative L2 and H1 errors: zero for the truth, the scale error for a scaled field, loss agrees', () => {
    const s = 8;
    const u = Float32Array.from({ length: 2 * s * s }, (_, q) => Math.sin(q / 5) + (q % s) / s);
    const scaled = u.map((v) => 1.1 * v);
    const zero = relativeErrors(u, u, 2, s);
    const tenth = relativeErrors(scaled, u, 2, s);
    for (let k = 0; k < 2; k++) {
      expect(zero.l2[k]).toBe(0);
      expect(tenth.l2[k]).toBeCloseTo(0.1, 5);
      expect(tenth.h1[k]).toBeCloseTo(0.1, 5);
    }
    const loss = tf.tidy(
      () => relativeL2Loss(tf.tensor4d(scaled, [2, s, s, 1]), tf.tensor4d(u, [2, s, s, 1])).dataSync()[0],
    );
    expect(loss).toBeCloseTo(0.1, 4);
    // H1 weighs gradients: an error that oscillates on the grid costs more in H1 than in L2.
    const wiggle = u.map((v, q) => v + 0.01 * (q % 2 ? 1 : -1));
    const w = relativeErrors(wiggle, u, 2, s);
    expect(w.h1[0]).toBeGreaterThan(w.l2[0]!);
  });

  it('Darcy data: seeded, piecewise-constant coefficients, zero boundary, converged solves', () => {
    const s = 16;
    const d1 = darcyDataset(new Rng(9), 3, s);
    const d2 = darcyDataset(new Rng(9), 3, s);
    expect(d2.u).toEqual(d1.u);
    expect(new Set(d1.a)).toEqual(new Set([3, 12]));
    for (let k = 0; k < 3; k++)
      for (let i = 0; i < s; i++) {
        const o = k * s * s;
        expect([d1.u[o + i], d1.u[o + (s - 1) * s + i], d1.u[o + i * s], d1.u[o + i * s + s - 1]]).toEqual([
          0, 0, 0, 0,
        ]);
      }
    expect(d1.maxResidual).toBeLessThan(1e-7);
    expect(Math.max(...d1.u)).toBeGreaterThan(0);
  });

  it('each model trains on a few Darcy problems without leaking tensors', async () => {
    const s = 16;
    const d = darcyDataset(new Rng(2), 8, s);
    const a = d.a.map((v) => (v - 7.5) / 4.5);
    const u = d.u.map((v) => v * 100);
    const start = tf.memory().numTensors;
    const nets = [
      new Mgno({ grid: s, channels: 4, layers: 2, levels: 3, smoothing: 1 }, new Rng(1)),
      new Fno({ grid: s, width: 6, modes: 4, layers: 2, pad: 2 }, new Rng(1)),
      new UNet({ width: 4, depth: 1 }, new Rng(1)),
    ];
    for (const net of nets) {
      const r = await fit({
        model: net,
        data: { x: a, y: u, n: 8, shape: [s, s, 1], targetShape: [s, s, 1] },
        loss: relativeL2Loss,
        optimizer: { type: 'adam', lr: 3e-3 },
        epochs: 30,
      });
      expect(r.history.at(-1)!.loss).toBeLessThan(0.7 * r.history[0]!.loss);
      net.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });
});
