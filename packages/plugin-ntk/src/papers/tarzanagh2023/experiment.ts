import { defineExperiment, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import { claimsFor, fmt, grid, mean, quantile, runCells, seeds, table, verdictOf } from '@paperlab/core/kit';
import { int, ints, real } from '../../util/fields.js';
import { plot } from '../../util/plots.js';
import { rounded } from '../../util/rounded.js';
import { type Cell, runCell } from './datasetCell.js';

const config = z.strictObject({
  sequences: int(6, [1, 64], 'n: sequences in the dataset'),
  tokens: int(4, [2, 32], 'T: tokens per sequence'),
  dims: ints([4, 8, 16], [2, 32], 'embedding dimensions d (W is d×d)'),
  instances: int(16, [1, 256], 'random datasets per dimension'),
  steps: int(10_000, [10, 100_000], 'normalised-GD steps'),
  eta: real(0.1, 'normalised-GD step size', { max: 1e3 }),
  initW: real(0.01, 'std of the initial W entries (W-parametrisation)', [0, 100]),
  initKQ: real(0.1, 'std of the initial K, Q entries (W = KQᵀ, K, Q ∈ ℝ^{d×d})', { max: 100 }),
  svmTolerance: real(1e-6, 'relative duality gap at which the SVM solver stops', { max: 1 }),
});

/** Config of ntk/tarzanagh2023. */
export type Tarzanagh2023Config = z.infer<typeof config>;

type Scalar =
  | 'steps'
  | 'instances'
  | `w_cos_f_${'median' | 'min' | 'median_100'}`
  | 'w_cos_n_median'
  | 'w_norm_ratio_median'
  | `kq_cos_n_${'median' | 'min'}`
  | 'kq_cos_f_median'
  | 'kq_prefers_nuclear'
  | 'w_prefers_frobenius'
  | 'svm_cos_fn_median'
  | 'random_cos_mean'
  | `${'kq' | 'svm'}_nuclear_ratio_median`
  | `${'w' | 'kq'}_global_share`
  | 'svm_max_gap'
  | 'svm_min_qp_cos'
  | `w_global_d${number}`;

const claim = claimsFor<Tarzanagh2023Config, Scalar>();
const ABSTRACT = 'abstract (implicit bias of 1-layer attention optimised by gradient descent)';

const median = (xs: number[]) => quantile(xs, 0.5);
const CURVES = [
  ['W-GD vs Frobenius SVM', 'wCosF'],
  ['W-GD vs nuclear SVM', 'wCosN'],
  ['KQ-GD vs nuclear SVM', 'kqCosN'],
  ['KQ-GD vs Frobenius SVM', 'kqCosF'],
] as const;

/** ntk/tarzanagh2023: attention trained by gradient descent converges in direction to a max-margin token SVM. */
export const tarzanagh2023 = defineExperiment({
  id: 'ntk/tarzanagh2023',
  paper: {
    title: 'Transformers as Support Vector Machines',
    authors: 'Davoud Ataee Tarzanagh, Yingcong Li, Christos Thrampoulidis, Samet Oymak',
    year: 2023,
    url: 'https://arxiv.org/abs/2308.16898',
    venue: 'arXiv 2023; NeurIPS 2023 M3L workshop',
  },
  summary:
    'A one-layer attention model f(X) = vᵀXᵀsoftmax(XWz) with a fixed head v is trained on random sequences ' +
    '(tokens and queries on the unit sphere, ±1 labels, logistic loss) by normalised gradient descent for 10⁴ ' +
    'steps, either on W directly or on W = KQᵀ. The attention SVM — min ‖W‖ subject to (x_{iα_i} − x_it)ᵀWz_i ≥ 1 ' +
    'for the selected tokens α — is solved in both the Frobenius and the nuclear norm by linearised ADMM with a ' +
    'duality certificate. W/‖W‖ is compared with the SVM directions as ‖W‖ grows, against a random direction ' +
    'and against the other norm’s SVM; a sweep over d measures how often GD selects the globally optimal tokens.',
  config,
  presets: {
    smoke: { dims: [4, 8], instances: 2, steps: 300 },
    ci: { dims: [4, 8, 16], instances: 4, steps: 3000 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'w-gd-frobenius-svm',
      kind: 'paper',
      statement:
        'GD on W converges in direction to the Frobenius-norm attention SVM of the tokens it selects (cosine → 1) while ‖W‖ grows without bound',
      source: {
        quote:
          'directly parameterizing by W minimizes a Frobenius norm objective … it can occur toward locally-optimal directions rather than global ones',
        where: ABSTRACT,
        value: 'correlation of W/‖W‖ with W^mm → 1 (figures)',
      },
      rule: {
        text: 'median final cos(W, W_F^mm) ≥ 0.99 and rising from step 100, ‖W_T‖ ≥ 0.9·ηT (norm grows linearly); random-direction |cos| far below',
        params: { minCos: 0.99, minNormRatio: 0.9, maxRandomCos: 0.5 },
      },
      check: (s) => ({
        verdict: verdictOf(
          s.w_cos_f_median >= 0.99 &&
            s.w_cos_f_median > s.w_cos_f_median_100 &&
            s.w_norm_ratio_median >= 0.9 &&
            s.random_cos_mean < 0.5,
        ),
        measured: `median cos ${fmt(s.w_cos_f_median_100, 3)} at step 100 → ${fmt(s.w_cos_f_median, 4)} at step ${s.steps} (min ${fmt(s.w_cos_f_min, 3)}); ‖W_T‖/(ηT) = ${fmt(s.w_norm_ratio_median, 3)}; random |cos| ${fmt(s.random_cos_mean, 3)}`,
      }),
    }),
    claim.custom({
      id: 'kq-gd-nuclear-svm',
      kind: 'paper',
      statement:
        'With W = KQᵀ, GD converges in direction to the nuclear-norm SVM instead of the Frobenius one (and GD on W to the Frobenius one, not the nuclear)',
      source: {
        quote:
          'Optimizing the attention layer with vanishing regularization, parameterized by (K,Q), converges in direction to an SVM solution minimizing the nuclear norm of the combined parameter W=KQᵀ',
        where: ABSTRACT,
        restated:
          'normalised GD on (K, Q) rather than the regularisation path; the Frobenius SVM as the wrong-norm baseline',
      },
      rule: {
        text: 'median final cos(KQᵀ, W_*^mm) ≥ 0.98; KQᵀ closer to W_*^mm than to W_F^mm and W closer to W_F^mm than to W_*^mm in ≥ 90% of instances',
        params: { minCos: 0.98, minShare: 0.9 },
      },
      check: (s) => ({
        verdict: verdictOf(
          s.kq_cos_n_median >= 0.98 && s.kq_prefers_nuclear >= 0.9 && s.w_prefers_frobenius >= 0.9,
        ),
        measured: `KQ: cos with nuclear SVM ${fmt(s.kq_cos_n_median, 4)} vs Frobenius ${fmt(s.kq_cos_f_median, 3)} (median), closer to nuclear in ${fmt(100 * s.kq_prefers_nuclear, 0)}%; W: cos with Frobenius ${fmt(s.w_cos_f_median, 4)} vs nuclear ${fmt(s.w_cos_n_median, 3)}, closer to Frobenius in ${fmt(100 * s.w_prefers_frobenius, 0)}%; the two SVMs' cos ${fmt(s.svm_cos_fn_median, 3)}`,
      }),
    }),
    claim.custom({
      id: 'overparametrisation-global',
      kind: 'paper',
      statement:
        'Over-parameterisation catalyses global convergence: the share of runs in which GD on W selects the highest-score token of every sequence grows with d',
      source: {
        quote:
          'over-parameterization catalyzes global convergence by ensuring the feasibility of the SVM problem and by guaranteeing a benign optimization landscape',
        where: ABSTRACT,
      },
      requires: [claim.atLeast((_s, _c, out) => out.series.global_by_dim?.length ?? 0, 2, 'dimensions')],
      rule: {
        text: 'global share non-decreasing in d and ≥ 0.9 at the largest d, above the smallest d',
        params: { minShare: 0.9 },
      },
      check: (_s, _c, out) => {
        const rows = out.series.global_by_dim as Array<{ d: number; w_global: number }>;
        const shares = rows.map((r) => r.w_global);
        const mono = shares.every((v, i) => i === 0 || v >= shares[i - 1]! - 1e-12);
        const last = shares[shares.length - 1]!;
        return {
          verdict: verdictOf(mono && last >= 0.9 && last > shares[0]!),
          measured: rows.map((r) => `d=${r.d}: ${fmt(100 * r.w_global, 0)}%`).join(', '),
        };
      },
    }),
  ],
  async run(ctx, cfg) {
    const dims = [...cfg.dims].sort((a, b) => a - b);
    const done = await runCells(ctx, {
      label: 'dimension × instance',
      cells: grid({ d: dims, k: seeds(cfg.instances) }),
      key: ({ d, k }) => `cell-d${d}-i${k}`,
      run: ({ d, k }) => runCell(ctx, cfg, d, ctx.rng.split(`d${d}-instance${k}`)),
      describe: ({ d, k }) => `d=${d} #${k}`,
      log: ({ d, k }, c) => ({
        scalars: { d, w_cos_f: c.wCosF[c.wCosF.length - 1]!, kq_cos_n: c.kqCosN[c.kqCosN.length - 1]! },
        step: d * 1000 + k,
      }),
    });
    const cells = done.map((c) => c.result);
    const last = (xs: number[]) => xs[xs.length - 1]!;
    const at = (c: Cell, xs: number[], step: number) => {
      const i = c.steps.indexOf(step);
      return i >= 0 ? xs[i]! : Number.NaN;
    };
    const wF = cells.map((c) => last(c.wCosF));
    const wN = cells.map((c) => last(c.wCosN));
    const kqN = cells.map((c) => last(c.kqCosN));
    const kqF = cells.map((c) => last(c.kqCosF));
    const scalars: Scalars<Scalar> = {
      steps: cfg.steps,
      instances: cells.length,
      w_cos_f_median: median(wF),
      w_cos_f_min: Math.min(...wF),
      w_cos_f_median_100: median(cells.map((c) => at(c, c.wCosF, 100)).filter(Number.isFinite)),
      w_cos_n_median: median(wN),
      w_norm_ratio_median: median(cells.map((c) => last(c.wNorm) / (cfg.eta * cfg.steps))),
      kq_cos_n_median: median(kqN),
      kq_cos_n_min: Math.min(...kqN),
      kq_cos_f_median: median(kqF),
      kq_prefers_nuclear: mean(kqN.map((v, i) => (v > kqF[i]! ? 1 : 0))),
      w_prefers_frobenius: mean(wF.map((v, i) => (v > wN[i]! ? 1 : 0))),
      svm_cos_fn_median: median(cells.map((c) => c.svmCosFN)),
      random_cos_mean: mean(cells.map((c) => c.randomCos)),
      kq_nuclear_ratio_median: median(cells.map((c) => c.kqNuclearRatio)),
      svm_nuclear_ratio_median: median(cells.map((c) => c.svmNuclearRatio)),
      w_global_share: mean(cells.map((c) => c.wGlobal)),
      kq_global_share: mean(cells.map((c) => c.kqGlobal)),
      svm_max_gap: Math.max(...cells.map((c) => c.svmGap)),
      svm_min_qp_cos: Math.min(...cells.map((c) => c.svmQpCos)),
    };
    // Convergence curves: median over instances per (d, parametrisation, reference SVM).
    const curves: SeriesRow[] = [];
    const stepsList = cells[0]!.steps;
    for (const d of dims) {
      const cs = cells.filter((c) => c.d === d);
      stepsList.forEach((step, i) => {
        for (const [label, key] of CURVES)
          curves.push({ d, step, curve: `d=${d}: ${label}`, cos: median(cs.map((c) => c[key][i]!)) });
      });
    }
    const norms: SeriesRow[] = [];
    stepsList.forEach((step, i) => {
      norms.push({ step, parametrisation: 'W', norm: median(cells.map((c) => c.wNorm[i]!)) });
      norms.push({ step, parametrisation: 'W = KQᵀ', norm: median(cells.map((c) => c.kqNorm[i]!)) });
    });
    const globalByDim = dims.map((d) => {
      const cs = cells.filter((c) => c.d === d);
      return {
        d,
        w_global: mean(cs.map((c) => c.wGlobal)),
        kq_global: mean(cs.map((c) => c.kqGlobal)),
        w_cos_f: median(cs.map((c) => last(c.wCosF))),
        w_cos_n: median(cs.map((c) => last(c.wCosN))),
        kq_cos_n: median(cs.map((c) => last(c.kqCosN))),
        kq_cos_f: median(cs.map((c) => last(c.kqCosF))),
        svm_cos_fn: median(cs.map((c) => c.svmCosFN)),
        random_cos: mean(cs.map((c) => c.randomCos)),
      };
    });
    for (const r of globalByDim) scalars[`w_global_d${r.d}`] = r.w_global;
    return {
      scalars,
      series: { convergence: curves, norms, global_by_dim: globalByDim },
      plots: [
        plot(
          'directional-convergence',
          'cos(W_t, W^mm) along normalised GD (median over instances)',
          ['convergence', 'step', 'cos', 'GD step', 'cosine with the SVM direction'],
          { color: 'curve', logX: true, points: false },
        ),
        plot(
          'norm-growth',
          '‖W_t‖_F along normalised GD (median)',
          ['norms', 'step', 'norm', 'GD step', '‖W‖_F'],
          { color: 'parametrisation', logX: true, logY: true },
        ),
      ],
      tables: [
        table(
          'by-dimension',
          'Final cosines (median over instances) and share of globally optimal token selection',
          [
            'd',
            'W-GD · Frobenius SVM',
            'W-GD · nuclear SVM',
            'KQ-GD · nuclear SVM',
            'KQ-GD · Frobenius SVM',
            'cos(SVM_F, SVM_*)',
            'random |cos|',
            'global share (W)',
            'global share (KQ)',
          ],
          globalByDim.map((r) => [
            r.d,
            ...[r.w_cos_f, r.w_cos_n, r.kq_cos_n, r.kq_cos_f].map((v) => rounded(v, 4)),
            ...[r.svm_cos_fn, r.random_cos, r.w_global, r.kq_global].map((v) => rounded(v, 3)),
          ]),
        ),
      ],
    };
  },
});
