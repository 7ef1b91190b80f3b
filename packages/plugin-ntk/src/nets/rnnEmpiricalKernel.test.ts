import { Rng } from '@paperlab/core';
import { frobenius, frobeniusDiff } from '@paperlab/core/linalg';
import { onBackendWithoutLeaks } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { type RnnKernelAttrs, rnnNngp } from '../kernels/rnnKernel.js';
import { momentMatchedGaussianCdf, wignerSpectrum, wishartSpectrum } from '../spectra/randomMatrices.js';
import { ksDistance, semicircleCdf } from '../spectra/randomMatrixLaws.js';
import { rnnEmpiricalKernel } from './rnnEmpiricalKernel.js';

describe('random RNN kernels and random-matrix spectra, leak-free', () => {
  onBackendWithoutLeaks('wasm');

  it('a wide random RNN’s empirical kernel is near the NNGP recursion, tied or not; no tensor leak', () => {
    const count = 4;
    const x = { seqs: Float32Array.from(new Rng(1).normals(count * 3 * 2)), count, steps: 3, dim: 2 };
    const a: RnnKernelAttrs = { sigmaW2: 1, sigmaU2: 1, sigmaB2: 0.1, sigmaV2: 1, activation: 'relu' };
    const K = rnnNngp(x.seqs, count, x.seqs, count, 3, 2, a);
    for (const tied of [true, false]) {
      const k = rnnEmpiricalKernel(new Rng(2), x, 2048, a, tied);
      expect(frobeniusDiff(k, K) / frobenius(K), `tied=${tied}`).toBeLessThan(0.15);
    }
  });

  it('Wigner and Wishart spectra: semicircle support and mean, a Gaussian fits the semicircle worse', () => {
    const w = wignerSpectrum(new Rng(3), 200);
    expect(Math.max(...w.map(Math.abs))).toBeLessThan(2.3);
    expect(ksDistance(w, (v) => semicircleCdf(v))).toBeLessThan(ksDistance(w, momentMatchedGaussianCdf(w)));
    const m = wishartSpectrum(new Rng(4), 100, 200);
    expect(m.reduce((s, v) => s + v, 0) / m.length).toBeCloseTo(1, 1);
    expect(Math.min(...m)).toBeGreaterThan(0);
  });
});
