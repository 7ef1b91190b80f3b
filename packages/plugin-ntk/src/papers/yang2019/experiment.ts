import {
  type ClaimResult,
  defineExperiment,
  type ExperimentOutput,
  type Rng,
  type RunContext,
  type SeriesRow,
  throwIfAborted,
  z,
} from '@paperlab/core';
import { logLogFit, mean, sem } from '@paperlab/core/kit';
import { eigh, frobenius, frobeniusDiff } from '@paperlab/core/linalg';
import { linePlot } from '@paperlab/core/plots';
import * as tf from '@tensorflow/tfjs-core';
import { segmentDigits } from '../../data/segmentDigits.js';
import { type RnnKernelAttrs, rnnNngp } from '../../kernels/rnnKernel.js';
import { ksDistance, marchenkoPasturCdf, semicircleCdf } from '../../spectra/randomMatrixLaws.js';

const config = z.strictObject({
  widths: z
    .array(z.number().int().min(8))
    .min(2)
    .default([64, 128, 256, 512, 1024, 2048, 4096])
    .describe('hidden widths n of the random RNNs'),
  seeds: z.number().int().min(2).max(32).default(3).describe('independent random networks per width'),
  sequences: z
    .number()
    .int()
    .min(2)
    .max(256)
    .default(16)
    .describe('digit sequences (8 rows of 8 pixels each)'),
  activation: z.enum(['relu', 'erf']).default('relu'),
  sigmaW2: z.number().positive().default(1).describe('recurrent weight variance σw² (W_ij ~ N(0, σw²/n))'),
  sigmaU2: z.number().positive().default(1).describe('input weight variance σu² (U_ij ~ N(0, σu²/8))'),
  sigmaB2: z.number().min(0).default(0.1).describe('bias variance σb²'),
  noise: z.number().min(0).max(1).default(0.1).describe('pixel noise of the procedural digits'),
  spectra: z
    .strictObject({
      sizes: z.array(z.number().int().min(16).max(2048)).min(2).default([256, 1024]).describe('matrix sizes'),
      ratio: z.number().gt(0).max(1).default(0.5).describe('Marchenko–Pastur aspect ratio n/m'),
    })
    .default({ sizes: [256, 1024], ratio: 0.5 }),
});

/** Config of ntk/yang2019. */
export type Yang2019Config = z.infer<typeof config>;

const STEPS = 8;
const DIM = 8;

interface WidthCell {
  [key: string]: number;
  tied: number;
  untied: number;
  tiedVsUntied: number;
}

interface SpectrumCell {
  [key: string]: number | number[];
  ksSemicircle: number;
  ksSemicircleGaussian: number;
  ksMp: number;
  ksMpGaussian: number;
  wigner: number[];
  wishart: number[];
}

/** The finite RNN's empirical output kernel σv²·φ(g_T)·φ(g_T)ᵀ/n (the output covariance given the weights). */
function rnnEmpiricalKernel(
  rng: Rng,
  seqs: Float32Array,
  count: number,
  width: number,
  a: RnnKernelAttrs,
  tied: boolean,
): Float64Array {
  const U = tf.tensor2d(rng.split('U').normals(DIM * width, 0, Math.sqrt(a.sigmaU2 / DIM)), [DIM, width]);
  const b = tf.tensor1d(rng.split('b').normals(width, 0, Math.sqrt(a.sigmaB2)));
  const drawW = (label: string) =>
    tf.tensor2d(rng.split(label).normals(width * width, 0, Math.sqrt(a.sigmaW2 / width)), [width, width]);
  const Wtied = tied ? drawW('W') : null;
  const x = tf.tensor3d(seqs, [count, STEPS, DIM]);
  let h: tf.Tensor2D | null = null;
  for (let t = 0; t < STEPS; t++) {
    const W = t === 0 ? null : (Wtied ?? drawW(`W-${t}`));
    const next: tf.Tensor2D = tf.tidy(() => {
      const xt = tf.reshape(tf.slice(x, [0, t, 0], [count, 1, DIM]), [count, DIM]);
      let g = tf.add(tf.matMul(xt, U), b);
      if (h && W) g = tf.add(g, tf.matMul(h, W));
      return (a.activation === 'relu' ? tf.relu(g) : tf.erf(g)) as tf.Tensor2D;
    });
    h?.dispose();
    if (W && W !== Wtied) W.dispose();
    h = next;
  }
  const k = tf.tidy(() => tf.mul(tf.matMul(h!, h!, false, true), a.sigmaV2 / width));
  const out = Float64Array.from(k.dataSync());
  tf.dispose([k, h!, U, b, x, ...(Wtied ? [Wtied] : [])]);
  return out;
}

/** A symmetric n×n matrix with N(0, 1/n) entries off the diagonal (Wigner; semicircle on [−2, 2]). */
function wignerSpectrum(rng: Rng, n: number): number[] {
  const g = rng.normals(n * n, 0, 1 / Math.sqrt(n));
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = i === j ? Math.SQRT2 * g[i * n + i]! : g[i * n + j]!;
      data[i * n + j] = v;
      data[j * n + i] = v;
    }
  return Array.from(eigh({ rows: n, cols: n, data }).values);
}

/** Eigenvalues of X·Xᵀ/m for an n × m Gaussian X (Marchenko–Pastur with ratio n/m). */
function wishartSpectrum(rng: Rng, n: number, m: number): number[] {
  const s = tf.tidy(() => {
    const X = tf.tensor2d(rng.normals(n * m), [n, m]);
    return tf.div(tf.matMul(X, X, false, true), m);
  });
  const data = Float64Array.from(s.dataSync());
  s.dispose();
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (data[i * n + j]! + data[j * n + i]!);
      data[i * n + j] = v;
      data[j * n + i] = v;
    }
  return Array.from(eigh({ rows: n, cols: n, data }).values);
}

/** CDF of N(μ, σ²) (erf by Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function gaussianCdf(mu: number, sigma: number): (x: number) => number {
  return (x) => {
    const z = (x - mu) / (sigma * Math.SQRT2);
    const t = 1 / (1 + 0.3275911 * Math.abs(z));
    const y =
      1 -
      ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
        t *
        Math.exp(-z * z);
    return 0.5 * (1 + Math.sign(z) * y);
  };
}

function moments(xs: number[]): { mu: number; sigma: number } {
  const mu = mean(xs);
  return { mu, sigma: Math.sqrt(mean(xs.map((v) => (v - mu) ** 2))) };
}

function spectrumCell(rng: Rng, n: number, ratio: number): SpectrumCell {
  const wigner = wignerSpectrum(rng.split('wigner'), n);
  const wishart = wishartSpectrum(rng.split('wishart'), n, Math.round(n / ratio));
  const w = moments(wigner);
  const m = moments(wishart);
  return {
    ksSemicircle: ksDistance(wigner, (x) => semicircleCdf(x)),
    ksSemicircleGaussian: ksDistance(wigner, gaussianCdf(w.mu, w.sigma)),
    ksMp: ksDistance(wishart, (x) => marchenkoPasturCdf(x, ratio)),
    ksMpGaussian: ksDistance(wishart, gaussianCdf(m.mu, m.sigma)),
    wigner,
    wishart,
  };
}

function fmt(v: number | undefined, digits = 3): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);
}

function slopeClaim(out: ExperimentOutput, key: 'tied' | 'untied'): ClaimResult {
  const s = out.scalars;
  const expected = 'log-log slope of ‖K̂ − K‖/‖K‖ vs width in [−0.65, −0.35] (−1/2 expected)';
  const measured = `${key} weights: slope ${fmt(s[`${key}_slope`])} ± ${fmt(s[`${key}_slope_sem`])}; error ${fmt(s[`${key}_err_narrowest`])} at width ${s.width_min} → ${fmt(s[`${key}_err_widest`], 4)} at ${s.width_max}`;
  if ((s.n_widths ?? 0) < 3) return { verdict: 'inconclusive', measured, expected };
  const slope = s[`${key}_slope`]!;
  return { verdict: slope >= -0.65 && slope <= -0.35 ? 'reproduced' : 'not-reproduced', measured, expected };
}

function lawClaim(out: ExperimentOutput, law: 'semicircle' | 'mp'): ClaimResult {
  const s = out.scalars;
  const name = law === 'semicircle' ? 'semicircle' : 'Marchenko–Pastur';
  const ks = s[`ks_${law}_largest`]!;
  const ksSmall = s[`ks_${law}_smallest`]!;
  const wrong = s[`ks_${law}_gaussian_largest`]!;
  const expected = `KS distance to the ${name} law < 0.05 at n = ${s.spectrum_n_max}, smaller than at n = ${s.spectrum_n_min}, and < 1/4 of the KS distance to a Gaussian with the same mean and variance`;
  const measured = `KS ${fmt(ks, 4)} at n = ${s.spectrum_n_max} (${fmt(ksSmall, 4)} at n = ${s.spectrum_n_min}); vs Gaussian ${fmt(wrong, 4)}`;
  const ok = ks < 0.05 && ks < ksSmall && ks < wrong / 4;
  return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
}

/** Histogram density rows of a sample next to a law's density (finite differences of its CDF). */
function densityRows(xs: number[], cdf: (x: number) => number, label: string, bins: number): SeriesRow[] {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const w = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of xs) counts[Math.min(bins - 1, Math.floor((v - lo) / w))]!++;
  const rows: SeriesRow[] = [];
  for (let k = 0; k < bins; k++) {
    const x = lo + (k + 0.5) * w;
    rows.push({ x, density: counts[k]! / (xs.length * w), curve: `${label}: eigenvalues` });
    rows.push({ x, density: (cdf(lo + (k + 1) * w) - cdf(lo + k * w)) / w, curve: `${label}: law` });
  }
  return rows;
}

/** ntk/yang2019: Tensor Programs I — wide RNNs are Gaussian processes (Greg Yang, NeurIPS 2019). */
export const yang2019 = defineExperiment({
  id: 'ntk/yang2019',
  paper: {
    title:
      'Tensor Programs I: Wide Feedforward or Recurrent Neural Networks of Any Architecture are Gaussian Processes',
    authors: 'Greg Yang',
    year: 2019,
    url: 'https://arxiv.org/abs/1910.12478',
    venue: 'NeurIPS 2019',
  },
  summary:
    'A simple ReLU RNN h_t = φ(W·h_{t−1} + U·x_t + b) reads procedural 8×8 seven-segment digits row by row ' +
    '(length-8 sequences of 8-vectors). Its NNGP is computed by the Tensor-Programs recursion, which treats the ' +
    'reused recurrent matrix W as if it were fresh at every step. Random RNNs of widths 2⁶…2¹² with W tied across ' +
    'time and with an independent W per step give empirical output kernels whose distance to the recursion must ' +
    'fall as width^−1/2 in both cases (same limit). The same tensor-program reasoning gives the semicircle and ' +
    'Marchenko–Pastur laws, checked against the spectra of random Wigner and Wishart matrices.',
  config,
  presets: {
    smoke: { widths: [32, 64, 128], seeds: 2, sequences: 6, spectra: { sizes: [32, 96], ratio: 0.5 } },
    ci: { widths: [64, 256, 1024], seeds: 6, sequences: 10, spectra: { sizes: [128, 384], ratio: 0.5 } },
    paper: {},
  },
  claims: [
    {
      id: 'rnn-nngp-tied',
      statement:
        'With the recurrent matrix shared across time (tied), the empirical kernel of random RNNs converges to the NNGP recursion with error ∝ width^−1/2',
      check: (out) => slopeClaim(out, 'tied'),
    },
    {
      id: 'tied-equals-untied',
      statement:
        'Tied and untied recurrent weights give the same limit: the tied network’s error falls as fast as the untied one’s and is as small at the widest width',
      check: (out) => {
        const s = out.scalars;
        const ratio = s.tied_err_widest! / s.untied_err_widest!;
        const expected =
          'untied slope in [−0.65, −0.35] and tied/untied error ratio at the widest width in [0.5, 2] (a different limit would leave the tied error on a plateau)';
        const measured = `untied slope ${fmt(s.untied_slope)}; widest-width errors tied ${fmt(s.tied_err_widest, 4)} vs untied ${fmt(s.untied_err_widest, 4)} (ratio ${fmt(ratio, 2)}); tied–untied kernel distance ${fmt(s.tied_vs_untied_widest, 4)}`;
        if ((s.n_widths ?? 0) < 3) return { verdict: 'inconclusive', measured, expected };
        const ok = s.untied_slope! >= -0.65 && s.untied_slope! <= -0.35 && ratio >= 0.5 && ratio <= 2;
        return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
      },
    },
    {
      id: 'semicircle-law',
      statement: 'The eigenvalues of a random symmetric (Wigner) matrix follow the semicircle law',
      check: (out) => lawClaim(out, 'semicircle'),
    },
    {
      id: 'marchenko-pastur-law',
      statement: 'The eigenvalues of a random Wishart matrix X·Xᵀ/m follow the Marchenko–Pastur law',
      check: (out) => lawClaim(out, 'mp'),
    },
  ],
  async run(ctx: RunContext, cfg) {
    const attrs: RnnKernelAttrs = {
      sigmaW2: cfg.sigmaW2,
      sigmaU2: cfg.sigmaU2,
      sigmaB2: cfg.sigmaB2,
      sigmaV2: 1,
      activation: cfg.activation,
    };
    const digits = segmentDigits(ctx.rng.split('digits'), cfg.sequences, cfg.noise);
    const N = cfg.sequences;
    const K = rnnNngp(digits.images, N, digits.images, N, STEPS, DIM, attrs);
    const widths = [...cfg.widths].sort((a, b) => a - b);
    const rows: SeriesRow[] = [];
    const task = ctx.progress.task('width × seed', widths.length * cfg.seeds);
    for (const width of widths) {
      for (let seed = 0; seed < cfg.seeds; seed++) {
        throwIfAborted(ctx.signal);
        const cell = await ctx.checkpoint.cached(`w${width}-s${seed}`, async (): Promise<WidthCell> => {
          const r = ctx.rng.split(`rnn-w${width}-s${seed}`);
          const tied = rnnEmpiricalKernel(r.split('tied'), digits.images, N, width, attrs, true);
          const untied = rnnEmpiricalKernel(r.split('untied'), digits.images, N, width, attrs, false);
          return {
            tied: frobeniusDiff(tied, K) / frobenius(K),
            untied: frobeniusDiff(untied, K) / frobenius(K),
            tiedVsUntied: frobeniusDiff(tied, untied) / frobenius(K),
          };
        });
        rows.push({ width, seed, tied: cell.tied, untied: cell.untied, tied_vs_untied: cell.tiedVsUntied });
        ctx.log.scalars({ tied: cell.tied, untied: cell.untied }, width * 100 + seed);
        task.tick(1, `width ${width} seed ${seed}`);
      }
    }
    task.done();
    const scalars: Record<string, number> = {
      n_widths: widths.length,
      width_min: widths[0]!,
      width_max: widths[widths.length - 1]!,
      seeds: cfg.seeds,
    };
    const means: SeriesRow[] = [];
    const table: Array<Array<number | string>> = [];
    for (const width of widths) {
      const at = rows.filter((r) => r.width === width);
      const line: Array<number | string> = [width];
      for (const key of ['tied', 'untied', 'tied_vs_untied'] as const) {
        const v = at.map((r) => r[key] as number);
        line.push(Number(mean(v).toFixed(4)), Number(sem(v).toFixed(4)));
        if (key !== 'tied_vs_untied') means.push({ width, weights: key, error: mean(v), sem: sem(v) });
      }
      table.push(line);
    }
    for (const key of ['tied', 'untied'] as const) {
      const perWidth = widths.map((w) =>
        mean(rows.filter((r) => r.width === w).map((r) => r[key] as number)),
      );
      scalars[`${key}_slope`] = logLogFit(widths, perWidth).slope;
      scalars[`${key}_slope_sem`] = sem(
        Array.from(
          { length: cfg.seeds },
          (_, s) =>
            logLogFit(
              widths,
              widths.map((w) => rows.find((r) => r.width === w && r.seed === s)![key] as number),
            ).slope,
        ),
      );
      scalars[`${key}_err_narrowest`] = perWidth[0]!;
      scalars[`${key}_err_widest`] = perWidth[perWidth.length - 1]!;
    }
    scalars.tied_vs_untied_widest = mean(
      rows.filter((r) => r.width === widths[widths.length - 1]).map((r) => r.tied_vs_untied as number),
    );

    // Random-matrix spectra.
    const sizes = [...cfg.spectra.sizes].sort((a, b) => a - b);
    const spectra: SpectrumCell[] = [];
    const spec = ctx.progress.task('spectra', sizes.length);
    for (const n of sizes) {
      throwIfAborted(ctx.signal);
      spectra.push(
        await ctx.checkpoint.cached(`spectrum-${n}`, async () =>
          spectrumCell(ctx.rng.split(`spectrum-${n}`), n, cfg.spectra.ratio),
        ),
      );
      spec.tick(1, `n = ${n}`);
    }
    spec.done();
    const first = spectra[0]!;
    const last = spectra[spectra.length - 1]!;
    Object.assign(scalars, {
      spectrum_n_min: sizes[0]!,
      spectrum_n_max: sizes[sizes.length - 1]!,
      ks_semicircle_smallest: first.ksSemicircle,
      ks_semicircle_largest: last.ksSemicircle,
      ks_semicircle_gaussian_largest: last.ksSemicircleGaussian,
      ks_mp_smallest: first.ksMp,
      ks_mp_largest: last.ksMp,
      ks_mp_gaussian_largest: last.ksMpGaussian,
      mp_ratio: cfg.spectra.ratio,
    });
    const density = [
      ...densityRows(last.wigner, (x) => semicircleCdf(x), 'Wigner', 40),
      ...densityRows(last.wishart, (x) => marchenkoPasturCdf(x, cfg.spectra.ratio), 'Wishart', 40),
    ];
    return {
      scalars,
      series: { cells: rows, width_means: means, spectra: density },
      plots: [
        linePlot({
          id: 'kernel-convergence',
          title: 'RNN empirical kernel vs NNGP recursion (log-log; slope −1/2 expected)',
          series: 'width_means',
          x: 'width',
          y: 'error',
          color: 'weights',
          errorBar: 'sem',
          logX: true,
          logY: true,
          xTitle: 'hidden width n',
          yTitle: '‖K̂ − K‖_F / ‖K‖_F',
        }),
        linePlot({
          id: 'spectra',
          title: `Spectra at n = ${sizes[sizes.length - 1]}: semicircle and Marchenko–Pastur (λ = ${cfg.spectra.ratio})`,
          series: 'spectra',
          x: 'x',
          y: 'density',
          color: 'curve',
          points: false,
          xTitle: 'eigenvalue',
          yTitle: 'density',
        }),
      ],
      tables: [
        {
          id: 'per-width',
          title: 'Relative Frobenius distance to the NNGP recursion, mean ± standard error over seeds',
          columns: ['width', 'tied W', '±', 'untied W', '±', 'tied vs untied', '±'],
          rows: table,
        },
      ],
    };
  },
});
