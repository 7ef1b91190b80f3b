import { defineExperiment, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { frobenius, frobeniusDiff } from '@paperlab/core/linalg';
import { segmentDigits } from '../../data/segmentDigits.js';
import { meanSemAt } from '../../experiments/seedSummary.js';
import * as widthSweep from '../../experiments/widthSweep.js';
import { type RnnKernelAttrs, rnnNngp } from '../../kernels/rnnKernel.js';
import { rnnEmpiricalKernel } from '../../nets/rnnEmpiricalKernel.js';
import { densityRows, lawFit } from '../../spectra/lawFit.js';
import { marchenkoPasturCdf, semicircleCdf } from '../../spectra/randomMatrixLaws.js';
import { bySeedSpread } from '../../util/claims.js';
import { int, ints, real } from '../../util/fields.js';
import { plot } from '../../util/plots.js';
import { rounded } from '../../util/rounded.js';

const config = z.strictObject({
  widths: ints([64, 128, 256, 512, 1024, 2048, 4096], [8, 1 << 16], 'hidden widths n of the random RNNs', 2),
  seeds: int(3, [2, 32], 'independent random networks per width'),
  sequences: int(16, [2, 256], 'digit sequences (8 rows of 8 pixels each)'),
  activation: z.enum(['relu', 'erf']).default('relu'),
  sigmaW2: real(1, 'recurrent weight variance σw² (W_ij ~ N(0, σw²/n))', { max: 100 }),
  sigmaU2: real(1, 'input weight variance σu² (U_ij ~ N(0, σu²/8))', { max: 100 }),
  sigmaB2: real(0.1, 'bias variance σb²', [0, 100]),
  noise: real(0.1, 'pixel noise of the procedural digits', [0, 1]),
  spectra: z
    .strictObject({
      sizes: ints([256, 1024], [16, 2048], 'matrix sizes', 2),
      ratio: z.number().gt(0).max(1).default(0.5).describe('Marchenko–Pastur aspect ratio n/m'),
    })
    .prefault({}),
});

/** Config of ntk/yang2019. */
export type Yang2019Config = z.infer<typeof config>;

type Weights = 'tied' | 'untied';
type Law = 'semicircle' | 'mp';
type Scalar =
  | 'n_widths'
  | `width_${'min' | 'max'}`
  | 'seeds'
  | `${Weights}_${'slope' | 'slope_sem' | 'err_narrowest' | 'err_widest'}`
  | 'tied_vs_untied_widest'
  | `log_ratio_widest${'' | '_sem'}`
  | `spectrum_n_${'min' | 'max'}`
  | `ks_${Law}_${'smallest' | 'largest' | 'gaussian_largest'}`
  | 'mp_ratio';

const claim = kit.claimsFor<Yang2019Config, Scalar>();
const STEPS = 8;
const DIM = 8;
const KINDS = ['tied', 'untied', 'tied_vs_untied'] as const;
const SLOPE = { range: [-0.65, -0.35], note: '−1/2 expected' } as const;
const threeWidths = [claim.atLeast('n_widths', 3, 'widths')];
const GP_QUOTE = {
  quote:
    'this Neural Network-Gaussian Process correspondence surprisingly extends to all modern feedforward or recurrent neural networks',
  where: 'abstract; simple-RNN kernel of the GP4A code (empirical kernels of random RNNs vs the recursion)',
  value: 'relative Frobenius error ~ width^−1/2',
};

/** Kolmogorov–Smirnov distances of a Wigner and a Wishart spectrum to their laws and to moment-matched Gaussians. */
function lawClaim(law: Law, id: string, statement: string) {
  const name = law === 'semicircle' ? 'semicircle' : 'Marchenko–Pastur';
  return claim.custom({
    id,
    kind: 'control',
    statement,
    rule: {
      text: `KS distance to the ${name} law < 0.05 at the largest n, smaller than at the smallest n, and < 1/4 of the KS distance to a Gaussian with the same mean and variance`,
      params: { maxKs: 0.05, gaussianFactor: 4 },
    },
    check: (s: kit.ScalarView<Scalar>) => {
      const ks = s[`ks_${law}_largest`];
      const ksSmall = s[`ks_${law}_smallest`];
      const wrong = s[`ks_${law}_gaussian_largest`];
      return {
        verdict: kit.verdictOf(ks < 0.05 && ks < ksSmall && ks < wrong / 4),
        measured: `KS ${kit.fmt(ks, 4)} at n = ${s.spectrum_n_max} (${kit.fmt(ksSmall, 4)} at n = ${s.spectrum_n_min}); vs Gaussian ${kit.fmt(wrong, 4)}`,
      };
    },
  });
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
  scalars: scalarKeys<Scalar>(),
  claims: [
    bySeedSpread((k) =>
      claim.slopeWithin({
        id: 'rnn-nngp-tied',
        kind: 'paper',
        statement:
          'With the recurrent matrix shared across time (tied), the empirical kernel of random RNNs converges to the NNGP recursion with error ∝ width^−1/2',
        source: GP_QUOTE,
        requires: threeWidths,
        slope: 'tied_slope',
        sem: 'tied_slope_sem',
        what: 'tied-weight kernel error',
        ...SLOPE,
        k,
        detail: (s) =>
          `error ${kit.fmt(s.tied_err_narrowest)} at width ${s.width_min} → ${kit.fmt(s.tied_err_widest, 4)} at ${s.width_max}`,
      }),
    ),
    bySeedSpread((k) =>
      claim.custom({
        id: 'tied-equals-untied',
        kind: 'paper',
        statement:
          'Tied and untied recurrent weights give the same limit: the tied network’s error falls as fast as the untied one’s and is as small at the widest width',
        source: {
          ...GP_QUOTE,
          restated:
            'the recursion treats every use of the shared W as a fresh matrix, so tied and untied RNNs share one limit',
        },
        requires: threeWidths,
        rule: {
          text: `untied slope in [−0.65, −0.35] and tied/untied error ratio at the widest width in [0.5, 2]${k ? ` (each ± ${k} s.e. over seeds; the ratio as the mean per-seed log ratio)` : ''} (a different limit would leave the tied error on a plateau)`,
          params: { slopeLo: -0.65, slopeHi: -0.35, ratioLo: 0.5, ratioHi: 2, k },
        },
        check: (s) => {
          const ratio = s.tied_err_widest / s.untied_err_widest;
          const logRatio = k ? s.log_ratio_widest : Math.log(ratio);
          return {
            verdict: kit.allOf([
              kit.intervalVerdict(s.untied_slope, s.untied_slope_sem, SLOPE.range[0], SLOPE.range[1], k),
              kit.intervalVerdict(logRatio, s.log_ratio_widest_sem, Math.log(0.5), Math.log(2), k),
            ]),
            measured: `untied slope ${kit.pm(s.untied_slope, s.untied_slope_sem)}; widest-width errors tied ${kit.fmt(s.tied_err_widest, 4)} vs untied ${kit.fmt(s.untied_err_widest, 4)} (ratio ${kit.fmt(ratio, 2)}, per-seed ratio ${kit.fmt(Math.exp(s.log_ratio_widest), 2)} ×/÷ ${kit.fmt(Math.exp(s.log_ratio_widest_sem), 2)}, ${s.seeds} seeds); tied–untied kernel distance ${kit.fmt(s.tied_vs_untied_widest, 4)}`,
          };
        },
      }),
    ),
    lawClaim(
      'semicircle',
      'semicircle-law',
      'Control: the eigenvalues of a random symmetric (Wigner) matrix follow the semicircle law',
    ),
    lawClaim(
      'mp',
      'marchenko-pastur-law',
      'Control: the eigenvalues of a random Wishart matrix X·Xᵀ/m follow the Marchenko–Pastur law',
    ),
  ],
  async run(ctx, cfg) {
    const attrs: RnnKernelAttrs = { ...cfg, sigmaV2: 1 };
    const digits = segmentDigits(ctx.rng.split('digits'), cfg.sequences, cfg.noise);
    const N = cfg.sequences;
    const x = { seqs: digits.images, count: N, steps: STEPS, dim: DIM };
    const K = rnnNngp(digits.images, N, digits.images, N, STEPS, DIM, attrs);
    const { widths, done } = await widthSweep.runWidthSweep(ctx, {
      widths: cfg.widths,
      seeds: cfg.seeds,
      keyPrefix: '',
      run: ({ width, seed }) => {
        const r = ctx.rng.split(`rnn-w${width}-s${seed}`);
        const tied = rnnEmpiricalKernel(r.split('tied'), x, width, attrs, true);
        const untied = rnnEmpiricalKernel(r.split('untied'), x, width, attrs, false);
        return {
          tied: frobeniusDiff(tied, K) / frobenius(K),
          untied: frobeniusDiff(untied, K) / frobenius(K),
          tied_vs_untied: frobeniusDiff(tied, untied) / frobenius(K),
        };
      },
      log: (c) => ({ tied: c.tied, untied: c.untied }),
    });
    const rows: SeriesRow[] = done.map(({ cell, result }) => ({ ...cell, ...result }));
    const scalars: Scalars<Scalar> = { ...widthSweep.sweepScalars(widths), seeds: cfg.seeds };
    const at = (width: number, key: (typeof KINDS)[number]) => meanSemAt(done, { width }, (r) => r[key]);
    const means: SeriesRow[] = [];
    for (const width of widths)
      for (const weights of ['tied', 'untied'] as const) {
        const m = at(width, weights);
        means.push({ width, weights, error: m.mean, sem: m.sem });
      }
    for (const key of ['tied', 'untied'] as const) {
      const fit = widthSweep.widthSlope(done, widths, (r) => r[key]);
      Object.assign(
        scalars,
        widthSweep.slopeScalars(key, fit),
        widthSweep.endScalars(`${key}_err`, fit.means),
      );
    }
    const widest = kit.pick(done, { width: widths[widths.length - 1]! });
    scalars.tied_vs_untied_widest = kit.mean(widest.map((r) => r.tied_vs_untied));
    const logRatio = kit.meanSem(widest.map((r) => Math.log(r.tied / r.untied)));
    Object.assign(scalars, kit.withSem('log_ratio_widest', logRatio));

    // Random-matrix spectra.
    const sizes = [...cfg.spectra.sizes].sort((a, b) => a - b);
    const spectra = await kit.runCells(ctx, {
      label: 'spectra',
      cells: sizes,
      key: (n) => `spectrum-${n}`,
      run: (n) => lawFit(ctx.rng.split(`spectrum-${n}`), n, cfg.spectra.ratio),
      describe: (n) => `n = ${n}`,
    });
    const first = spectra[0]!.result;
    const last = spectra[spectra.length - 1]!.result;
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
        widthSweep.widthMeansPlot(
          'kernel-convergence',
          'RNN empirical kernel vs NNGP recursion (log-log; slope −1/2 expected)',
          ['error', 'hidden width n', '‖K̂ − K‖_F / ‖K‖_F'],
          'weights',
        ),
        plot(
          'spectra',
          `Spectra at n = ${sizes[sizes.length - 1]}: semicircle and Marchenko–Pastur (λ = ${cfg.spectra.ratio})`,
          ['spectra', 'x', 'density', 'eigenvalue', 'density'],
          { color: 'curve', points: false },
        ),
      ],
      tables: [
        widthSweep.widthMeansTable(
          'Relative Frobenius distance to the NNGP recursion, mean ± standard error over seeds',
          ['tied W', 'untied W', 'tied vs untied'],
          widths,
          (width) => KINDS.map((key) => at(width, key)).map((m) => [rounded(m.mean, 4), rounded(m.sem, 4)]),
        ),
      ],
    };
  },
});
