import { type Claim, defineExperiment, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { int } from '../../util/fields.js';
import { plot } from '../../util/plots.js';
import { rounded } from '../../util/rounded.js';
import { KERNELS, type KernelName, runSeed, TARGETS, type Target } from './seedCurves.js';

const config = z.strictObject({
  filters: z
    .array(z.number().int().min(2).max(6))
    .min(2)
    .max(4)
    .default([2, 2, 2, 2])
    .describe(
      'filter sizes s₁…s_L of the hierarchical CNN (non-overlapping patches, stride = filter); d = Π s_l',
    ),
  firstFilters: z
    .array(z.number().int().min(2).max(6))
    .max(4)
    .refine((f) => f.length !== 1, 'firstFilters needs at least 2 filters (or none)')
    .default([3, 2, 2])
    .describe(
      'filters of the first design (d = 12, patches on the sphere S²), run beside for the revision; [] skips it',
    ),
  trainSizes: z
    .array(z.number().int().min(8).max(100_000))
    .min(2)
    .default([64, 128, 256, 512, 1024, 2048, 4096])
    .describe('training-set sizes P (nested subsets of one pool per seed)'),
  fitFrom: int(128, [8, 1 << 20], 'smallest P used in the exponent fit'),
  nTest: int(1024, [16, 8192], 'test points'),
  seeds: int(2, [1, 16], 'independent data sets and teachers'),
  teacherWidth: int(8192, [64, 1 << 16], 'hidden units of the ReLU NTK-field teacher'),
  fcDepth: int(4, [2, 8], 'dense layers of the fully-connected baseline'),
});

/** Config of ntk/cagnetta2022. */
export type Cagnetta2022Config = z.infer<typeof config>;

const TARGET_LABEL: Record<Target, string> = { patch: 'one patch', meta: 'meta-patch', full: 'full input' };

/** Scalars of the design in force ('') and of the first design ('first_', d = 12 on the sphere). */
type Design = '' | 'first_';
type Sizes = 'seeds' | 'p_max' | 'fit_p_min' | 'fit_points';
type PerDesign =
  | 'd'
  | 'max_jitter'
  | `d_eff_${Target}`
  | `beta_${KernelName}_${Target}${'' | '_sem'}`
  | `err_${KernelName}_${Target}_pmax`;
type Scalar = Sizes | `${Design}${PerDesign}`;

const claim = kit.claimsFor<Cagnetta2022Config, Scalar>();
/** Learning curves below P = 256, with fewer than 3 fitted sizes or 1 seed, are too short to decide. */
const longEnough = [
  claim.atLeast('fit_points', 3, 'fitted training-set sizes'),
  claim.atLeast('seeds', 2, 'seeds'),
  claim.atLeast('p_max', 256, '= largest P'),
];

const DESIGN_TEXT: Record<Design, string> = {
  first_: 'first design (filters 3-2-2, d = 12, patches on the sphere S²)',
  '': 'design in force (filters 2-2-2-2, d = 16, patches on the circle)',
};
/** Every claim was pre-registered on the first input design; the design changed after its paper run. */
const byDesign = (build: (p: Design) => Claim<Cagnetta2022Config, Scalar>) =>
  claim.revise(build('first_'), {
    date: '2026-11-23',
    reason:
      'input design changed after the first paper run (d = 12 on S²: CNN β 0.47 / 0.35 / 0.34, meta-patch and full not separated) to patches on the circle, d = 16, filters 2-2-2-2',
    revised: build(''),
  });

/** ntk/cagnetta2022: what wide CNNs can learn (Cagnetta, Favero, Wyart; arXiv 2022, ICML 2023). */
export const cagnetta2022 = defineExperiment({
  id: 'ntk/cagnetta2022',
  paper: {
    title: 'What Can Be Learnt With Wide Convolutional Neural Networks?',
    authors: 'Francesco Cagnetta, Alessandro Favero, Matthieu Wyart',
    year: 2022,
    url: 'https://arxiv.org/abs/2208.01003',
    venue: 'ICML 2023',
  },
  summary:
    'Ridgeless kernel regression with the NTK of an infinitely wide hierarchical CNN (non-overlapping patches, ' +
    'filters 2-2-2-2 on d = 16 inputs made of eight points on the unit circle) on Gaussian random targets that ' +
    'depend on one patch, one meta-patch (two patches) or the whole input. Learning curves P = 64…4096 give the decay exponent β ' +
    '(test error ∝ P^−β) per target; the same is done with the NTK of a fully-connected network as baseline. ' +
    'The paper shows deep CNNs adapt to the spatial scale of the target: β is set by the effective dimension of the ' +
    'smallest meta-patch the target depends on, while a fully-connected kernel sees the full dimension for all.',
  config,
  presets: {
    smoke: {
      filters: [2, 2, 2],
      trainSizes: [16, 32, 64],
      fitFrom: 16,
      nTest: 48,
      seeds: 2,
      teacherWidth: 256,
    },
    ci: {
      trainSizes: [64, 128, 256, 512, 1024],
      fitFrom: 128,
      nTest: 256,
      seeds: 2,
      teacherWidth: 4096,
      firstFilters: [],
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    byDesign((p) =>
      claim.custom({
        id: 'cnn-adapts-to-locality',
        kind: 'paper',
        statement:
          'With the hierarchical CNN kernel the learning-curve exponent is largest for a target of one patch, smaller for one meta-patch and smallest for the full input',
        source: {
          quote:
            'if the target function depends on low-dimensional subsets of adjacent input variables, then the decay of the error is controlled by the effective dimensionality of these subsets. Conversely, if the target function depends on the full set of input variables, then the error decay is controlled by the input dimension',
          where: 'abstract',
          restated: 'the ordering β(one patch) > β(meta-patch) > β(full input), not the values of β',
        },
        requires: longEnough,
        rule: {
          text: `${DESIGN_TEXT[p]}: CNN exponents ordered β(one patch) > β(meta-patch) > β(full input), each gap > 0.02 and > its standard error over seeds`,
          params: { minGap: 0.02, semK: 1 },
        },
        check: (s) => {
          const b = (t: Target) => s[`${p}beta_cnn_${t}`];
          const se = (t: Target) => s[`${p}beta_cnn_${t}_sem`];
          const gap = (a: Target, c: Target) => b(a) - b(c) > 0.02 && b(a) - b(c) > Math.hypot(se(a), se(c));
          return {
            verdict: kit.verdictOf(gap('patch', 'meta') && gap('meta', 'full')),
            measured: `d = ${s[`${p}d`]}, CNN β: ${TARGETS.map((t) => `${TARGET_LABEL[t]} ${kit.pm(b(t), se(t))}`).join(', ')} (P ${s.fit_p_min}–${s.p_max}, ${s.seeds} seeds)`,
          };
        },
      }),
    ),
    byDesign((p) =>
      claim.custom({
        id: 'fc-blind-to-locality',
        kind: 'control',
        statement:
          'The fully-connected NTK (baseline) gives about the same exponent for all three targets: it cannot exploit locality',
        requires: longEnough,
        rule: {
          text: `${DESIGN_TEXT[p]}: spread of the FC exponents max−min ≤ 1/3 of the CNN spread β(patch)−β(full), and CNN β(patch) > FC β(patch)`,
          params: { maxSpreadRatio: 1 / 3 },
        },
        check: (s) => {
          const fc = TARGETS.map((t) => s[`${p}beta_fc_${t}`]);
          const spread = Math.max(...fc) - Math.min(...fc);
          const cnnSpread = s[`${p}beta_cnn_patch`] - s[`${p}beta_cnn_full`];
          const ok = cnnSpread > 0 && spread <= cnnSpread / 3 && s[`${p}beta_cnn_patch`] > fc[0]!;
          return {
            verdict: kit.verdictOf(ok),
            measured: `d = ${s[`${p}d`]}, FC β: patch ${kit.fmt(fc[0])}, meta-patch ${kit.fmt(fc[1])}, full ${kit.fmt(fc[2])} (spread ${kit.fmt(spread)}); CNN spread ${kit.fmt(cnnSpread)}`,
          };
        },
      }),
    ),
    byDesign((p) =>
      claim.custom({
        id: 'cnn-beats-fc-on-local-targets',
        kind: 'control',
        statement:
          'On the one-patch target the CNN kernel generalises better than the fully-connected one at the largest P',
        requires: longEnough,
        rule: {
          text: `${DESIGN_TEXT[p]}: CNN test error < FC test error at the largest P for the one-patch target`,
        },
        check: (s) => ({
          verdict: kit.verdictOf(s[`${p}err_cnn_patch_pmax`] < s[`${p}err_fc_patch_pmax`]),
          measured: `d = ${s[`${p}d`]}, one-patch target at P = ${s.p_max}: CNN ${kit.fmt(s[`${p}err_cnn_patch_pmax`], 4)}, FC ${kit.fmt(s[`${p}err_fc_patch_pmax`], 4)}`,
        }),
      }),
    ),
  ],
  async run(ctx, cfg) {
    const sizes = [...cfg.trainSizes].sort((a, b) => a - b);
    const designs: Array<[Design, number[]]> = [['', cfg.filters]];
    if (cfg.firstFilters.length > 0) designs.push(['first_', cfg.firstFilters]);
    const done = await kit.runCells(ctx, {
      label: 'design × seed',
      cells: designs.flatMap(([design, filters]) =>
        kit.seeds(cfg.seeds).map((seed) => ({ design, filters, seed })),
      ),
      key: ({ design, seed }) => `${design}seed-${seed}`,
      run: ({ design, filters, seed }) => runSeed(ctx, cfg, filters, seed, design),
      describe: ({ design, seed }) => `${design ? 'first design, ' : ''}seed ${seed}`,
    });
    const fitted = sizes.flatMap((p, i) => (p >= cfg.fitFrom ? [i] : []));
    const fitSizes = fitted.map((i) => sizes[i]!);
    const scalars: Scalars<Scalar> = {
      seeds: cfg.seeds,
      p_max: sizes[sizes.length - 1]!,
      fit_p_min: sizes.find((p) => p >= cfg.fitFrom) ?? Number.NaN,
      fit_points: fitted.length,
    };
    const curves: SeriesRow[] = [];
    const rows: Array<Array<string | number>> = [];
    for (const [design, filters] of designs) {
      const results = done.filter((c) => c.cell.design === design).map((c) => c.result);
      const [d, s1] = [filters.reduce((a, b) => a * b, 1), filters[0]!];
      const dEff = { patch: s1 - 1, meta: (s1 - 1) * filters[1]!, full: ((s1 - 1) * d) / s1 };
      scalars[`${design}d`] = d;
      scalars[`${design}max_jitter`] = Math.max(...results.map((r) => r.jitter));
      for (const t of TARGETS) scalars[`${design}d_eff_${t}`] = dEff[t];
      const name = `filters ${filters.join('-')} (d = ${d})`;
      for (const k of KERNELS) {
        for (const [ti, t] of TARGETS.entries()) {
          // Per training-set size: the relative test MSE of every seed, then mean ± sem.
          const perSize = sizes.map((_, i) => results.map((r) => r[k][ti]![i]!));
          const err = perSize.map((e) => kit.meanSem(e));
          // β is minus the log-log slope of the seed-mean curve over P ≥ fitFrom; its error from per-seed fits.
          const fit = kit.logLogSlope(
            fitSizes,
            fitted.map((i) => perSize[i]!),
          );
          const beta = fitted.length >= 2 ? -fit.slope : Number.NaN;
          const errMax = err[err.length - 1]!.mean;
          scalars[`${design}beta_${k}_${t}`] = beta;
          scalars[`${design}beta_${k}_${t}_sem`] = fit.sem;
          scalars[`${design}err_${k}_${t}_pmax`] = errMax;
          const curve = `${design ? 'first design: ' : ''}${k.toUpperCase()} · ${TARGET_LABEL[t]}`;
          curves.push(...sizes.map((P, i) => ({ P, curve, error: err[i]!.mean, sem: err[i]!.sem })));
          const kernel = k === 'cnn' ? 'hierarchical CNN' : 'fully connected';
          rows.push([
            name,
            kernel,
            TARGET_LABEL[t],
            dEff[t],
            rounded(beta, 3),
            rounded(fit.sem, 3),
            rounded(errMax, 4),
          ]);
        }
      }
    }
    return {
      scalars,
      series: { learning_curves: curves },
      plots: [
        plot(
          'learning-curves',
          'Ridgeless NTK regression: test error vs training-set size',
          ['learning_curves', 'P', 'error', 'training points P', 'relative test MSE'],
          { color: 'curve', errorBar: 'sem', logX: true, logY: true },
        ),
      ],
      tables: [
        kit.table(
          'exponents',
          `Learning-curve exponents (fit over P ≥ ${cfg.fitFrom}; ± standard error over seeds)`,
          ['design', 'kernel', 'target', 'effective dimension', 'β', '±', `error at P = ${scalars.p_max}`],
          rows,
        ),
      ],
    };
  },
});
