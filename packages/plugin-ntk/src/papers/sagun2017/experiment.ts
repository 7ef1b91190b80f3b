import {
  defineExperiment,
  type ExperimentOutput,
  type Rng,
  type RunContext,
  type SeriesRow,
  throwIfAborted,
  z,
} from '@paperlab/core';
import { loadIdxImageDataset } from '@paperlab/core/data';
import { lanczos, symmetricEigenvalues } from '@paperlab/core/linalg';
import { linePlot } from '@paperlab/core/plots';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

import {
  disposeMlpClassifier,
  initMlpClassifier,
  type MlpClassifierSpec,
  mlpClassifierVariables,
  mlpCrossEntropy,
  mlpCurvatureMatrix,
  mlpCurvatureProducts,
  mlpLogits,
} from '../../nets/hessian.js';

const config = z.strictObject({
  inputDim: z.number().int().min(2).max(256).default(20).describe('dimension of the Gaussian-mixture inputs'),
  samples: z.number().int().min(8).max(4096).default(400).describe('training points per mixture'),
  separation: z
    .number()
    .positive()
    .default(1.5)
    .describe('cluster centres ~ N(0, separation²/d·I); unit-variance isotropic noise around each'),
  clusters: z
    .array(z.number().int().min(2))
    .min(1)
    .default([2, 5, 10])
    .describe('numbers of clusters k (each cluster is a class)'),
  outputs: z
    .number()
    .int()
    .min(2)
    .default(10)
    .describe('logits of every network (≥ max k): the architecture is the same for every k'),
  hidden: z.number().int().min(2).default(28).describe('width of the hidden layers in the k sweep'),
  hiddenLayers: z.number().int().min(1).max(4).default(2).describe('number of hidden layers'),
  activation: z.enum(['relu', 'tanh']).default('relu'),
  widths: z
    .array(z.number().int().min(2))
    .default([20, 28, 36])
    .describe('hidden widths of the parameter-count sweep (data fixed)'),
  widthClusters: z.number().int().min(2).default(10).describe('k of the mixture used in the width sweep'),
  lr: z.number().positive().default(0.05).describe('full-batch gradient-descent step'),
  momentum: z.number().min(0).max(0.99).default(0.9),
  lossFraction: z
    .number()
    .positive()
    .max(1)
    .default(0.25)
    .describe('train until the cross-entropy is ≤ this fraction of chance level ln(k)'),
  maxSteps: z.number().int().min(1).default(3000).describe('cap on gradient-descent steps'),
  digits: z
    .strictObject({
      dataset: z
        .enum(['mnist', 'fashion-mnist', 'none'])
        .default('mnist')
        .describe('real 10-class task (none: skip it)'),
      samples: z.number().int().min(10).max(60000).default(1000).describe('first training images used'),
      pool: z.number().int().min(1).max(14).default(4).describe('average-pool factor (4: 28×28 → 7×7)'),
      hidden: z.number().int().min(2).default(24).describe('hidden width of the digits network'),
    })
    .default({ dataset: 'mnist', samples: 1000, pool: 4, hidden: 24 }),
  lanczosSteps: z
    .number()
    .int()
    .min(4)
    .default(40)
    .describe('Lanczos iterations for the Gauss-Newton outliers (from G·v products)'),
  maxOutliers: z
    .number()
    .int()
    .min(2)
    .default(30)
    .describe('the outlier/bulk gap is searched among the top ranks'),
  nearZero: z.number().positive().default(0.01).describe('|λ| ≤ nearZero·λ_max counts as "near zero"'),
});

/** Config of ntk/sagun2017. */
export type Sagun2017Config = z.infer<typeof config>;

interface Spectrum {
  [key: string]: number | number[];
  params: number;
  steps: number;
  loss: number;
  accuracy: number;
  /** Hessian eigenvalues, descending. */
  hessian: number[];
  /** Top Ritz values of the Gauss-Newton matrix, descending. */
  gaussNewton: number[];
  asymmetry: number;
}

interface Task {
  x: Float32Array;
  labels: Int32Array;
  dim: number;
  classes: number;
}

function gaussianMixture(n: number, d: number, k: number, sep: number, rng: Rng): Task {
  const centres = rng.split('centres').normals(k * d, 0, sep / Math.sqrt(d));
  const noise = rng.split('noise').normals(n * d);
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centres[c * d + j]! + noise[i * d + j]!;
  }
  return { x, labels, dim: d, classes: k };
}

async function digitsTask(ctx: RunContext, cfg: Sagun2017Config): Promise<Task> {
  const { dataset, samples, pool } = cfg.digits;
  const ds = await loadIdxImageDataset(ctx.data, dataset, { trainLimit: samples, testLimit: 1 });
  const { x: raw, y } = ds.arrays('train');
  const [h, w] = ds.meta.inputShape as [number, number];
  const ph = Math.floor(h / pool);
  const pw = Math.floor(w / pool);
  const d = ph * pw;
  const n = y.length;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < ph; r++)
      for (let c = 0; c < pw; c++) {
        let s = 0;
        for (let u = 0; u < pool; u++)
          for (let v = 0; v < pool; v++) s += raw[i * h * w + (r * pool + u) * w + c * pool + v]!;
        x[i * d + r * pw + c] = s / (pool * pool);
      }
  // Centre each pixel and scale to unit overall variance.
  let ss = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j]!;
    m /= n;
    for (let i = 0; i < n; i++) {
      x[i * d + j]! -= m;
      ss += x[i * d + j]! ** 2;
    }
  }
  const scale = 1 / Math.sqrt(ss / (n * d));
  for (let i = 0; i < n * d; i++) x[i]! *= scale;
  return { x, labels: Int32Array.from(y as Int32Array), dim: d, classes: 10 };
}

async function spectrumCell(
  ctx: RunContext,
  cfg: Sagun2017Config,
  task: Task,
  width: number,
  rng: Rng,
): Promise<Spectrum> {
  const outputs = Math.max(cfg.outputs, task.classes);
  const spec: MlpClassifierSpec = {
    layers: [task.dim, ...Array.from({ length: cfg.hiddenLayers }, () => width), outputs],
    activation: cfg.activation,
  };
  const n = task.labels.length;
  const x = tf.tensor2d(task.x, [n, task.dim]);
  const y = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.tensor1d(task.labels, 'int32'), outputs), 'float32'),
  ) as tf.Tensor2D;
  const params = initMlpClassifier(spec, rng.split('init'));
  // Heavy-ball GD written out (tfjs's MomentumOptimizer.dispose leaks its learning-rate scalar).
  const vars = mlpClassifierVariables(params);
  const velocity = vars.map((v) => ownedVariable(tf.zerosLike(v)));
  try {
    const target = cfg.lossFraction * Math.log(task.classes);
    let steps = 0;
    for (; steps < cfg.maxSteps; steps++) {
      if (steps % 16 === 0) throwIfAborted(ctx.signal);
      const { value, grads } = tf.variableGrads(() => mlpCrossEntropy(spec, params, x, y), vars);
      tf.tidy(() => {
        vars.forEach((v, i) => {
          const vel = velocity[i]!;
          vel.assign(tf.add(tf.mul(vel, cfg.momentum), grads[v.name]!));
          v.assign(tf.sub(v, tf.mul(vel, cfg.lr)));
        });
      });
      const loss = value.dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      if (loss <= target) break;
    }
    const loss = tf.tidy(() => mlpCrossEntropy(spec, params, x, y).dataSync()[0]!);
    const accuracy = tf.tidy(
      () =>
        tf
          .mean(tf.cast(tf.equal(tf.argMax(mlpLogits(spec, params, x), 1), tf.argMax(y, 1)), 'float32'))
          .dataSync()[0]!,
    );
    throwIfAborted(ctx.signal);
    const H = mlpCurvatureMatrix(spec, params, x, y, 'hessian');
    const P = H.size;
    throwIfAborted(ctx.signal);
    const eig = symmetricEigenvalues(H.data, P);
    const hessian = Array.from(eig).reverse();
    // The Gauss-Newton outliers from matrix-free products G·v, by Lanczos (G is never formed).
    const lz = lanczos(
      (v) => {
        const V = tf.tensor2d(Float32Array.from(v), [1, P]);
        const gv = mlpCurvatureProducts(spec, params, x, y, V, 'gauss-newton');
        const out = Float64Array.from(gv.dataSync());
        tf.dispose([V, gv]);
        return out;
      },
      P,
      cfg.lanczosSteps,
      rng.split('lanczos'),
    );
    const gaussNewton = Array.from(lz.values).reverse();
    return { params: P, steps, loss, accuracy, hessian, gaussNewton, asymmetry: H.asymmetry };
  } finally {
    tf.dispose(velocity);
    disposeMlpClassifier(params);
    tf.dispose([x, y]);
  }
}

/**
 * Outliers = the ranks above the largest ratio λ_i/λ_{i+1} among the top `maxOutliers` positive eigenvalues.
 * `contrast` compares that gap with the bulk's own spacing just below it: (gap − 1) over the median
 * (λ_i/λ_{i+1} − 1) of the next 20 ranks.
 */
function outlierSplit(desc: number[], maxOutliers: number): { count: number; gap: number; contrast: number } {
  let count = 0;
  let gap = 0;
  for (let i = 0; i < Math.min(maxOutliers, desc.length - 1); i++) {
    if (desc[i + 1]! <= 0) break;
    const r = desc[i]! / desc[i + 1]!;
    if (r > gap) {
      gap = r;
      count = i + 1;
    }
  }
  const spacings: number[] = [];
  for (let i = count; i < Math.min(count + 20, desc.length - 1); i++)
    if (desc[i + 1]! > 0) spacings.push(desc[i]! / desc[i + 1]! - 1);
  spacings.sort((a, b) => a - b);
  const typical = spacings.length ? spacings[Math.floor(spacings.length / 2)]! : Number.NaN;
  return { count, gap, contrast: (gap - 1) / typical };
}

interface Summary {
  label: string;
  classes: number;
  width: number;
  P: number;
  outliers: number;
  gap: number;
  contrast: number;
  nearZeroFrac: number;
  nearZeroCount: number;
  medianAbsRel: number;
  outlierMean: number;
  bulkEdge: number;
  lambdaMax: number;
  lambdaMin: number;
  gnRelDiff: number;
}

function summarise(
  label: string,
  classes: number,
  width: number,
  s: Spectrum,
  cfg: Sagun2017Config,
): Summary {
  const h = s.hessian;
  const P = h.length;
  const lmax = h[0]!;
  const { count, gap, contrast } = outlierSplit(h, cfg.maxOutliers);
  const abs = h.map(Math.abs).sort((a, b) => a - b);
  const nearZeroCount = h.filter((v) => Math.abs(v) <= cfg.nearZero * lmax).length;
  let gnRelDiff = 0;
  for (let i = 0; i < count; i++)
    gnRelDiff = Math.max(gnRelDiff, Math.abs(s.gaussNewton[i]! - h[i]!) / h[i]!);
  return {
    label,
    classes,
    width,
    P,
    outliers: count,
    gap,
    contrast,
    nearZeroFrac: nearZeroCount / P,
    nearZeroCount,
    medianAbsRel: abs[Math.floor(P / 2)]! / lmax,
    outlierMean: h.slice(0, count).reduce((a, b) => a + b, 0) / Math.max(count, 1),
    bulkEdge: h[count]!,
    lambdaMax: lmax,
    lambdaMin: h[P - 1]!,
    gnRelDiff,
  };
}

const fmt = (v: number | undefined, d = 3) => (v === undefined ? 'n/a' : v.toFixed(d));

/** ntk/sagun2017: the Hessian spectrum of over-parametrised networks — bulk near zero plus data-driven outliers. */
export const sagun2017 = defineExperiment({
  id: 'ntk/sagun2017',
  paper: {
    title: 'Empirical Analysis of the Hessian of Over-Parametrized Neural Networks',
    authors: 'Levent Sagun, Utku Evci, V. Uğur Güney, Yann Dauphin, Léon Bottou',
    year: 2017,
    url: 'https://arxiv.org/abs/1706.04454',
    venue: 'ICLR 2018 workshop',
  },
  summary:
    'Small ReLU MLPs (1–2.5k parameters, 10 logits) are trained by full-batch gradient descent with momentum on ' +
    'k-cluster Gaussian mixtures (k = 2, 5, 10) and on MNIST digits (7×7 average-pooled) until the ' +
    'cross-entropy falls to a quarter of chance level; then the exact Hessian of the training loss is built ' +
    'from Hessian-vector products (Pearlmutter’s R-operator, batched over basis directions) and fully ' +
    'diagonalised in Float64. Outliers are the ranks above the largest eigenvalue gap. The same network is ' +
    'used for every k, so only the data changes; a width sweep on fixed data changes only the parameter ' +
    'count. Baseline: the Gauss-Newton matrix JᵀH_ℓJ, whose top eigenvalues come from matrix-free Lanczos.',
  config,
  presets: {
    smoke: {
      inputDim: 6,
      samples: 48,
      clusters: [2, 4],
      outputs: 4,
      hidden: 8,
      widths: [6, 8],
      widthClusters: 4,
      maxSteps: 200,
      digits: { dataset: 'none', samples: 50, pool: 4, hidden: 8 },
      lanczosSteps: 12,
      maxOutliers: 8,
    },
    ci: {
      hidden: 20,
      widths: [16, 20],
      digits: { dataset: 'none', samples: 1000, pool: 4, hidden: 24 },
      lanczosSteps: 30,
    },
    paper: {},
  },
  claims: [
    {
      id: 'bulk-plus-outliers',
      statement:
        'The Hessian spectrum is a bulk concentrated near zero plus a few outliers separated from it by a gap',
      check: (out) => {
        const s = out.scalars;
        const expected =
          'on every spectrum: ≥ 50% of eigenvalues within ±1% of λ_max, ≤ 2% of them outliers, a gap λ_c/λ_{c+1} ≥ 1.25 and ≥ 3× the bulk’s own spacing below it';
        if (s.n_spectra === undefined) return { verdict: 'inconclusive', measured: 'no spectra', expected };
        const ok =
          s.min_near_zero_frac! >= 0.5 &&
          s.min_gap! >= 1.25 &&
          s.min_gap_contrast! >= 3 &&
          s.max_outlier_frac! <= 0.02;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `${s.n_spectra} spectra: near-zero fraction ≥ ${fmt(s.min_near_zero_frac)}, gap ≥ ${fmt(s.min_gap, 2)} (≥ ${fmt(s.min_gap_contrast, 1)}× the bulk spacing), outliers ≤ ${fmt(100 * s.max_outlier_frac!, 2)}% of parameters`,
          expected,
        };
      },
    },
    {
      id: 'outliers-track-classes',
      statement:
        'With the network fixed, the number of outliers follows the number of clusters k in the data (≈ k; k − 1 for the softmax)',
      check: (out) => {
        const rows = (out.series?.by_clusters ?? []) as Array<{ k: number; outliers: number }>;
        const expected = 'outliers ∈ {k − 1, k} for every k, increasing with k';
        if (rows.length < 2)
          return { verdict: 'inconclusive', measured: `${rows.length} values of k`, expected };
        const each = rows.every((r) => r.outliers === r.k - 1 || r.outliers === r.k);
        const inc = rows.every((r, i) => i === 0 || r.outliers > rows[i - 1]!.outliers);
        return {
          verdict: each && inc ? 'reproduced' : 'not-reproduced',
          measured: rows.map((r) => `k=${r.k}: ${r.outliers}`).join(', '),
          expected,
        };
      },
    },
    {
      id: 'parameters-scale-bulk',
      statement:
        'Fixing the data and adding parameters only grows the bulk: the outliers keep their number and size, the new eigenvalues land near zero',
      check: (out) => {
        const rows = (out.series?.by_width ?? []) as Array<{
          width: number;
          P: number;
          outliers: number;
          outlier_mean: number;
          near_zero_count: number;
        }>;
        const expected =
          'same outlier count at every width; outlier mean varies ≤ 30% (max/min ≤ 1.3) while P grows; ≥ 80% of the added parameters add near-zero eigenvalues';
        if (rows.length < 2) return { verdict: 'inconclusive', measured: `${rows.length} widths`, expected };
        const counts = rows.map((r) => r.outliers);
        const means = rows.map((r) => r.outlier_mean);
        const spread = Math.max(...means) / Math.min(...means);
        const first = rows[0]!;
        const last = rows[rows.length - 1]!;
        const share = (last.near_zero_count - first.near_zero_count) / (last.P - first.P);
        const ok = counts.every((c) => c === counts[0] && c > 0) && spread <= 1.3 && share >= 0.8;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `P ${first.P}→${last.P}: outliers ${counts.join('/')}, outlier mean ${means.map((m) => m.toFixed(2)).join('/')} (max/min ${spread.toFixed(2)}), ${(100 * share).toFixed(0)}% of added parameters near zero`,
          expected,
        };
      },
    },
    {
      id: 'outliers-are-gauss-newton',
      statement:
        'Baseline: the outliers are those of the Gauss-Newton matrix JᵀH_ℓJ; the residual term only reshapes the bulk (negative eigenvalues)',
      check: (out) => {
        const s = out.scalars;
        const expected =
          'top-c Hessian and Gauss-Newton eigenvalues agree within 5% on every spectrum, and λ_min(H) < 0 ≤ λ_min(G)';
        if (s.n_spectra === undefined) return { verdict: 'inconclusive', measured: 'no spectra', expected };
        const ok = s.max_gn_rel_diff! <= 0.05 && s.max_lambda_min! < 0;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `max relative difference ${fmt(100 * s.max_gn_rel_diff!, 2)}%; λ_min(H)/λ_max between ${fmt(s.min_lambda_min_rel, 4)} and ${fmt(s.max_lambda_min_rel, 4)}`,
          expected,
        };
      },
    },
    {
      id: 'digits-outliers',
      statement: 'On a real 10-class digits task the Hessian also shows about one outlier per class',
      check: (out) => {
        const c = out.scalars.digits_outliers;
        const expected = 'outliers ∈ {9, 10} with a gap ≥ 1.25 and ≥ 3× the bulk spacing';
        if (c === undefined) return { verdict: 'inconclusive', measured: 'digits task skipped', expected };
        const gap = out.scalars.digits_gap!;
        const contrast = out.scalars.digits_gap_contrast!;
        return {
          verdict: (c === 9 || c === 10) && gap >= 1.25 && contrast >= 3 ? 'reproduced' : 'not-reproduced',
          measured: `${c} outliers, gap ${gap.toFixed(2)} (${contrast.toFixed(1)}× the bulk spacing; P = ${out.scalars.digits_params})`,
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const maxK = Math.max(...cfg.clusters, cfg.widthClusters);
    if (cfg.outputs < maxK)
      throw new Error(
        `sagun2017: outputs (${cfg.outputs}) must be ≥ the largest k (${maxK}) so one network fits every mixture`,
      );
    const summaries: Summary[] = [];
    const spectra = new Map<string, Spectrum>();
    const mixture = (k: number) =>
      gaussianMixture(cfg.samples, cfg.inputDim, k, cfg.separation, ctx.rng.split(`mixture-k${k}`));
    const cells: Array<{ key: string; label: string; k: number; width: number; task: () => Promise<Task> }> =
      [];
    for (const k of [...cfg.clusters].sort((a, b) => a - b))
      cells.push({
        key: `k${k}-h${cfg.hidden}`,
        label: `k=${k}`,
        k,
        width: cfg.hidden,
        task: async () => mixture(k),
      });
    for (const w of [...cfg.widths].sort((a, b) => a - b)) {
      const key = `k${cfg.widthClusters}-h${w}`;
      if (!cells.some((c) => c.key === key))
        cells.push({
          key,
          label: `k=${cfg.widthClusters}`,
          k: cfg.widthClusters,
          width: w,
          task: async () => mixture(cfg.widthClusters),
        });
    }
    if (cfg.digits.dataset !== 'none')
      cells.push({
        key: `digits-${cfg.digits.dataset}-h${cfg.digits.hidden}`,
        label: cfg.digits.dataset,
        k: 10,
        width: cfg.digits.hidden,
        task: () => digitsTask(ctx, cfg),
      });
    const progress = ctx.progress.task('spectra', cells.length);
    for (const cell of cells) {
      throwIfAborted(ctx.signal);
      const spectrum = await ctx.checkpoint.cached(`spectrum-${cell.key}`, async () =>
        spectrumCell(ctx, cfg, await cell.task(), cell.width, ctx.rng.split(`net-${cell.key}`)),
      );
      spectra.set(cell.key, spectrum);
      const s = summarise(cell.label, cell.k, cell.width, spectrum, cfg);
      summaries.push(s);
      ctx.log.info(
        `${cell.key}: P=${s.P}, ${spectrum.steps} steps, loss ${spectrum.loss.toFixed(3)}, ${s.outliers} outliers (gap ${s.gap.toFixed(2)})`,
      );
      progress.tick(1, cell.key);
    }
    progress.done();

    const byClusters = cfg.clusters
      .map((k) => summaries.find((s) => s.label === `k=${k}` && s.width === cfg.hidden)!)
      .sort((a, b) => a.classes - b.classes)
      .map((s) => ({ k: s.classes, P: s.P, outliers: s.outliers, gap: s.gap, outlier_mean: s.outlierMean }));
    const byWidth = [...cfg.widths]
      .sort((a, b) => a - b)
      .map((w) => summaries.find((s) => s.label === `k=${cfg.widthClusters}` && s.width === w)!)
      .map((s) => ({
        width: s.width,
        P: s.P,
        outliers: s.outliers,
        outlier_mean: s.outlierMean,
        bulk_edge: s.bulkEdge,
        near_zero_count: s.nearZeroCount,
        near_zero_frac: s.nearZeroFrac,
      }));
    const scalars: Record<string, number> = {
      n_spectra: summaries.length,
      min_near_zero_frac: Math.min(...summaries.map((s) => s.nearZeroFrac)),
      min_gap: Math.min(...summaries.map((s) => s.gap)),
      min_gap_contrast: Math.min(...summaries.map((s) => s.contrast)),
      max_outlier_frac: Math.max(...summaries.map((s) => s.outliers / s.P)),
      max_gn_rel_diff: Math.max(...summaries.map((s) => s.gnRelDiff)),
      max_lambda_min: Math.max(...summaries.map((s) => s.lambdaMin)),
      min_lambda_min_rel: Math.min(...summaries.map((s) => s.lambdaMin / s.lambdaMax)),
      max_lambda_min_rel: Math.max(...summaries.map((s) => s.lambdaMin / s.lambdaMax)),
      max_asymmetry: Math.max(...[...spectra.values()].map((s) => s.asymmetry)),
    };
    for (const r of byClusters) scalars[`outliers_k${r.k}`] = r.outliers;
    for (const r of byWidth) scalars[`outliers_h${r.width}`] = r.outliers;
    const digits = summaries.find((s) => s.label === cfg.digits.dataset);
    if (digits) {
      scalars.digits_outliers = digits.outliers;
      scalars.digits_gap = digits.gap;
      scalars.digits_gap_contrast = digits.contrast;
      scalars.digits_params = digits.P;
    }

    const top: SeriesRow[] = [];
    const density: SeriesRow[] = [];
    summaries.forEach((s, idx) => {
      const sp = spectra.get(cells[idx]!.key)!;
      const name = `${s.label}, width ${s.width} (P=${s.P})`;
      for (let r = 0; r < Math.min(cfg.maxOutliers, sp.hessian.length); r++) {
        top.push({ spectrum: name, rank: r + 1, lambda: sp.hessian[r]!, matrix: 'Hessian' });
        if (r < sp.gaussNewton.length)
          top.push({
            spectrum: `${name} · Gauss-Newton`,
            rank: r + 1,
            lambda: sp.gaussNewton[r]!,
            matrix: 'Gauss-Newton',
          });
      }
      // Histogram of λ/λ_max on [−0.05, 0.25] (the bulk), 60 bins; outliers fall beyond.
      const bins = 60;
      const lo = -0.05;
      const hi = 0.25;
      const counts = new Array<number>(bins).fill(0);
      for (const v of sp.hessian) {
        const t = (v / s.lambdaMax - lo) / (hi - lo);
        if (t >= 0 && t < 1) counts[Math.floor(t * bins)]!++;
      }
      counts.forEach((c, b) => {
        density.push({ spectrum: name, lambda_rel: lo + ((b + 0.5) * (hi - lo)) / bins, fraction: c / s.P });
      });
    });
    const table = summaries.map((s, idx) => [
      s.label,
      s.width,
      s.P,
      spectra.get(cells[idx]!.key)!.steps,
      Number(spectra.get(cells[idx]!.key)!.loss.toFixed(3)),
      Number(spectra.get(cells[idx]!.key)!.accuracy.toFixed(3)),
      s.outliers,
      Number(s.gap.toFixed(2)),
      Number(s.contrast.toFixed(1)),
      Number(s.lambdaMax.toFixed(3)),
      Number(s.bulkEdge.toFixed(3)),
      Number(s.lambdaMin.toFixed(4)),
      Number(s.nearZeroFrac.toFixed(3)),
      Number((100 * s.gnRelDiff).toFixed(2)),
    ]);
    const output: ExperimentOutput = {
      scalars,
      series: { by_clusters: byClusters, by_width: byWidth, top_eigenvalues: top, bulk_density: density },
      plots: [
        linePlot({
          id: 'top-eigenvalues',
          title: 'Top Hessian and Gauss-Newton eigenvalues (outliers, then the bulk)',
          series: 'top_eigenvalues',
          x: 'rank',
          y: 'lambda',
          color: 'spectrum',
          logY: true,
          xTitle: 'rank',
          yTitle: 'eigenvalue',
        }),
        linePlot({
          id: 'bulk-density',
          title: 'Bulk of the Hessian spectrum (fraction of eigenvalues per bin of λ/λ_max)',
          series: 'bulk_density',
          x: 'lambda_rel',
          y: 'fraction',
          color: 'spectrum',
          points: false,
          xTitle: 'λ / λ_max',
          yTitle: 'fraction of eigenvalues',
        }),
      ],
      tables: [
        {
          id: 'spectra',
          title: 'Hessian spectra at the end of training',
          columns: [
            'data',
            'width',
            'P',
            'GD steps',
            'train loss',
            'train acc',
            'outliers',
            'gap',
            'gap / bulk spacing',
            'λ_max',
            'bulk edge',
            'λ_min',
            'near-zero fraction',
            'GN diff %',
          ],
          rows: table,
        },
      ],
    };
    return output;
  },
});
