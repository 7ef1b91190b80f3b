import { Rng } from '@paperlab/core';
import { runKernel } from '@paperlab/core/kernels';
import { imageGridPlot, renderPlotSvg } from '@paperlab/core/plots';
import { createTestContext, useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runModelCells } from '../experiments/modelCells.js';
import { symmetricResidualFeatures } from '../images/residuals.js';
import {
  choleskyGaussianNll,
  choleskyOutputs,
  GZ_OUTPUTS,
  galleryRows,
  mixtureMoments,
  moffatKernel,
  RandomForest,
  renderGalaxies,
  sampleGalaxies,
  splitAt,
  synthesizeAlerts,
  synthesizeGalaxies,
  transmissionSpectra,
  unpackCholesky,
  views16Kernel,
  volunteerVotes,
} from '../index.js';
import { completenessAtContamination, logitAccuracy, rocAuc } from '../metrics/classification.js';
import { convStages, smallCnn } from '../nets/smallCnn.js';

beforeAll(useWasm);

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('galaxy images', () => {
  it('renders each galaxy with its total flux (in frame), deterministically, without leaking tensors', () => {
    const start = tf.memory().numTensors;
    const p = sampleGalaxies(new Rng(1), 6, { size: 64, companions: 0, stars: 0, jitter: 0 });
    const img = renderGalaxies(p, 64);
    const values = img.dataSync();
    img.dispose();
    for (let i = 0; i < p.n; i++) {
      const flux = sum(values.subarray(i * 4096, (i + 1) * 4096));
      // Discs and bars spill a little light beyond the 64² frame; the arms only redistribute light.
      expect(flux / p.truth.hostFlux[i]!).toBeGreaterThan(0.8);
      expect(flux / p.truth.hostFlux[i]!).toBeLessThan(1.1);
    }
    const again = renderGalaxies(
      sampleGalaxies(new Rng(1), 6, { size: 64, companions: 0, stars: 0, jitter: 0 }),
      64,
    );
    expect(Array.from(again.dataSync())).toEqual(Array.from(values));
    again.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('tidal features add 2–4 mag fainter light; synthesis is seeded and stretched', () => {
    const start = tf.memory().numTensors;
    const p = sampleGalaxies(new Rng(2), 40, { size: 48, tidalProb: 1, companions: 0, stars: 0 });
    expect(new Set(p.truth.tidal)).toEqual(new Set([1, 2, 3]));
    for (const dm of p.truth.tidalDeltaMag) expect(dm >= 2 && dm <= 4).toBe(true);
    const o = {
      size: 48,
      sky: 200,
      readNoise: 5,
      psf: { fwhm: 2.5, beta: 3 },
      stretch: { softening: 40, scale: 4000 },
    };
    const a = synthesizeGalaxies(p, o, new Rng(3));
    const b = synthesizeGalaxies(p, o, new Rng(3));
    const c = synthesizeGalaxies(p, o, new Rng(4));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(Math.max(...a)).toBeLessThan(3);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('the Moffat PSF sums to 1 and has the asked FWHM', () => {
    const k = moffatKernel(4, 3, 21);
    expect(sum(k)).toBeCloseTo(1, 5);
    const centre = k[10 * 21 + 10]!;
    expect(k[10 * 21 + 12]! / centre).toBeCloseTo(0.5, 2);
  });
});

describe('volunteer votes', () => {
  it('weights fractions down the tree and follows the morphology', () => {
    const p = sampleGalaxies(new Rng(5), 300, { size: 32 });
    const v = volunteerVotes(p.truth, new Rng(6), { volunteers: 40 });
    let featuredDisc = 0;
    let featuredSmooth = 0;
    for (let i = 0; i < p.n; i++) {
      const r = v.subarray(i * GZ_OUTPUTS, (i + 1) * GZ_OUTPUTS);
      expect(r[0]! + r[1]!).toBeCloseTo(1, 6);
      expect(r[2]! + r[3]! + r[4]!).toBeCloseTo(r[0]!, 6);
      expect(r[5]! + r[6]!).toBeCloseTo(r[1]!, 6);
      expect(r[7]! + r[8]!).toBeCloseTo(r[6]!, 6);
      expect(r[9]! + r[10]!).toBeCloseTo(r[6]!, 6);
      if (p.truth.discFrac[i]! > 0) featuredDisc += r[1]!;
      else featuredSmooth += r[1]!;
    }
    const discs = Array.from(p.truth.discFrac).filter((d) => d > 0).length;
    expect(featuredDisc / discs).toBeGreaterThan(0.7);
    expect(featuredSmooth / (p.n - discs)).toBeLessThan(0.2);
  });
});

describe('alert triplets', () => {
  it('builds science/reference/difference stamps with real and bogus kinds', () => {
    const start = tf.memory().numTensors;
    const a = synthesizeAlerts(new Rng(7), 24, { size: 21 });
    expect(a.x.length).toBe(24 * 21 * 21 * 3);
    expect(new Set(a.kind).size).toBeGreaterThan(2);
    for (let i = 0; i < a.n; i++) expect(a.label[i]).toBe(a.kind[i] === 0 ? 1 : 0);
    expect(synthesizeAlerts(new Rng(7), 24, { size: 21 }).x).toEqual(a.x);
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('16 views', () => {
  it('puts the image centre at the anchor of every view; cpu agrees with the reference', () => {
    const size = 15;
    const img = new Float32Array(size * size);
    img[7 * size + 7] = 1;
    const x = tf.tensor4d(img, [1, size, size, 1]);
    const ref = runKernel(views16Kernel, { images: x }, { view: 10, margin: 2 }, { impl: 'reference' });
    const cpu = runKernel(views16Kernel, { images: x }, { view: 10, margin: 2 }, { impl: 'cpu' });
    expect(ref.shape).toEqual([16, 10, 10, 1]);
    const r = ref.dataSync();
    for (let k = 0; k < 16; k++) expect(r[k * 100 + 7 * 10 + 7]).toBeCloseTo(1, 5);
    const c = cpu.dataSync();
    for (let i = 0; i < r.length; i++) expect(Math.abs(r[i]! - c[i]!)).toBeLessThan(1e-6);
    tf.dispose([x, ref, cpu]);
  });
});

describe('transmission spectra', () => {
  it('deepens in the toy water bands with water, and swells with temperature', () => {
    const base = [1500, -8, -13, -13, -13];
    const wet = [1500, -3, -13, -13, -13];
    const hot = [2500, -8, -13, -13, -13];
    const s = transmissionSpectra(Float32Array.from([...base, ...wet, ...hot]));
    const bin14 = Math.floor((1.4 - 0.838) / ((1.666 - 0.838) / 13));
    const wetGain = s[13 + bin14]! - s[bin14]!;
    expect(wetGain).toBeGreaterThan(100);
    // Band contrast (in-band minus 1.25 μm continuum) grows with T through the scale height.
    const cont = Math.floor((1.27 - 0.838) / ((1.666 - 0.838) / 13));
    expect(s[26 + bin14]! - s[26 + cont]!).toBeGreaterThan(s[bin14]! - s[cont]!);
  });
});

describe('heteroscedastic loss and mixtures', () => {
  it('equals the Gaussian NLL with precision L·Lᵀ (up to the constant) and unpacks to its inverse', () => {
    const d = 3;
    const row = [0.1, -0.2, 0.3, 0.2, -0.1, 0.4, 0.5, -0.3, 0.2];
    expect(row.length).toBe(choleskyOutputs(d));
    const y = [0.4, 0.1, -0.2];
    const loss = choleskyGaussianNll(d)(tf.tensor2d([row]), tf.tensor2d([y]));
    const { mean, cov } = unpackCholesky(row, d);
    // Host check: ½ rᵀ Σ⁻¹ r − ½ log det Σ⁻¹, with Σ⁻¹ from the covariance by Gauss–Jordan.
    const inv = invert(Array.from(cov), d);
    const r = y.map((v, i) => v - mean[i]!);
    let quad = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) quad += r[i]! * inv[i * d + j]! * r[j]!;
    const logDetPrec = 2 * (row[3]! + row[4]! + row[5]!);
    expect(loss.dataSync()[0]).toBeCloseTo(0.5 * quad - 0.5 * logDetPrec, 4);
    loss.dispose();
    const mix = mixtureMoments([
      { mean: Float64Array.from([0]), cov: Float64Array.from([1]) },
      { mean: Float64Array.from([2]), cov: Float64Array.from([1]) },
    ]);
    expect(mix.mean[0]).toBeCloseTo(1);
    expect(mix.cov[0]).toBeCloseTo(2);
  });
});

function invert(a: number[], d: number): number[] {
  const m = a.map((v) => v);
  const inv = Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
  for (let c = 0; c < d; c++) {
    const p = m[c * d + c]!;
    for (let j = 0; j < d; j++) {
      m[c * d + j]! /= p;
      inv[c * d + j]! /= p;
    }
    for (let r = 0; r < d; r++)
      if (r !== c) {
        const f = m[r * d + c]!;
        for (let j = 0; j < d; j++) {
          m[r * d + j]! -= f * m[c * d + j]!;
          inv[r * d + j]! -= f * inv[c * d + j]!;
        }
      }
  }
  return inv;
}

describe('random forest', () => {
  it('fits a nonlinear function far better than the mean, seeded', () => {
    const rng = new Rng(8);
    const n = 600;
    const x = rng.uniforms(n * 3, -1, 1);
    const y = Float32Array.from({ length: n }, (_, i) => Math.sin(3 * x[i * 3]!) + x[i * 3 + 1]! ** 2);
    const forest = RandomForest.fit(
      x.subarray(0, 500 * 3),
      y.subarray(0, 500),
      500,
      { trees: 20, maxDepth: 8, minLeaf: 2 },
      new Rng(9),
    );
    const pred = forest.predict(x.subarray(500 * 3));
    const test = y.subarray(500);
    const m = sum(test) / 100;
    let sse = 0;
    let sst = 0;
    for (let i = 0; i < 100; i++) {
      sse += (pred[i]! - test[i]!) ** 2;
      sst += (test[i]! - m) ** 2;
    }
    expect(sse / sst).toBeLessThan(0.25);
    const again = RandomForest.fit(
      x.subarray(0, 1500),
      y.subarray(0, 500),
      500,
      { trees: 20, maxDepth: 8, minLeaf: 2 },
      new Rng(9),
    );
    expect(again.predict(x.subarray(1500))).toEqual(pred);
  });
});

describe('gallery', () => {
  it('renders a grid of images to SVG', async () => {
    const images = Float32Array.from({ length: 2 * 8 * 8 }, (_, i) => i % 7);
    const rows = galleryRows(images, 8, ['a', 'b']);
    expect(rows.length).toBe(128);
    const svg = await renderPlotSvg(imageGridPlot({ id: 'g', title: 'gallery', series: 's' }), rows);
    expect(svg).toContain('<svg');
  });
});

describe('classification metrics and residual features', () => {
  it('completeness at contamination and AUC on a known ranking', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const labels = [1, 1, 0, 1, 0, 0];
    // Top 2: no contamination, 2/3 complete; top 4: 1/4 contamination, 3/3 complete.
    expect(completenessAtContamination(scores, labels, 0.2)).toBeCloseTo(2 / 3);
    expect(completenessAtContamination(scores, labels, 0.25)).toBeCloseTo(1);
    expect(rocAuc(scores, labels)).toBeCloseTo(8 / 9);
  });

  it('a point-symmetric image has no residual; a one-sided arc has some', () => {
    const size = 9;
    const sym = Float32Array.from({ length: 81 }, (_, k) =>
      Math.exp(-((Math.floor(k / 9) - 4) ** 2 + ((k % 9) - 4) ** 2) / 4),
    );
    expect(symmetricResidualFeatures(sym, size)[8]).toBeCloseTo(0, 6);
    const arc = Float32Array.from(sym);
    arc[1 * 9 + 4]! += 0.5;
    expect(symmetricResidualFeatures(arc, size)[8]).toBeGreaterThan(0.05);
  });
});

describe('experiment scaffolding', () => {
  it('logit accuracy counts score > 0 against label > 0.5', () => {
    expect(logitAccuracy([2, -1, 0, 0.5], [1, 0, 1, 0])).toBe(0.5);
  });

  it('the small CNN: a conv + pool stage per filter count, flatten, hidden ReLU, dropout only when asked', () => {
    const out = { type: 'dense', units: 1 } as const;
    expect(convStages([4, 8]).map((l) => l.type)).toEqual(['conv2d', 'maxPool', 'conv2d', 'maxPool']);
    expect(smallCnn({ filters: [4], dense: 8 }, out).map((l) => l.type)).toEqual([
      'conv2d',
      'maxPool',
      'flatten',
      'dense',
      'dense',
    ]);
    expect(smallCnn({ filters: [4], dense: 8, dropout: 0.3 }, out)).toContainEqual({
      type: 'dropout',
      rate: 0.3,
    });
  });

  it("runModelCells runs seed × model, makes each seed's data once, and reads columns in seed order", async () => {
    const ctx = await createTestContext();
    const made: number[] = [];
    const { done, by, dataFor } = await runModelCells(
      ctx,
      { seeds: 2 },
      {
        models: ['a', 'b'] as const,
        data: (_cfg, _root, seed) => {
          made.push(seed);
          return 10 * seed;
        },
        train: async (_cfg, data, model) => ({ score: data + (model === 'a' ? 1 : 2) }),
      },
    );
    expect(done.map((d) => d.cell)).toEqual([
      { seed: 0, model: 'a' },
      { seed: 0, model: 'b' },
      { seed: 1, model: 'a' },
      { seed: 1, model: 'b' },
    ]);
    expect(made).toEqual([0, 1]);
    expect(by('b', 'score')).toEqual([2, 12]);
    expect(dataFor(1)).toBe(10);
    expect(made).toEqual([0, 1]);
  });
});

describe('train/test split', () => {
  it('views the first trainSize examples as training and the rest as test, on the same buffers', () => {
    const x = Float32Array.from({ length: 5 * 3 }, (_, i) => i);
    const y = Float32Array.from({ length: 5 * 2 }, (_, i) => 100 + i);
    const s = splitAt(x, y, 2, 3, 2);
    expect(Array.from(s.x)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(s.y)).toEqual([100, 101, 102, 103]);
    expect(Array.from(s.testX)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(Array.from(s.testY)).toEqual([104, 105, 106, 107, 108, 109]);
    expect(s.testX.buffer).toBe(x.buffer);
    expect(splitAt(x, Float32Array.from([0, 1, 0, 1, 1]), 5, 3).testY.length).toBe(0);
  });

  it('refuses examples and targets that do not pair, and a trainSize beyond the examples', () => {
    const x = new Float32Array(12);
    expect(() => splitAt(x, new Float32Array(5), 2, 3)).toThrow(/do not pair/);
    expect(() => splitAt(x, new Float32Array(7), 2, 3, 2)).toThrow(/do not pair/);
    expect(() => splitAt(x, new Float32Array(4), 5, 3)).toThrow(/trainSize 5 is outside 0 … 4/);
  });
});
