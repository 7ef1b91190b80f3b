import { defineExperiment, type Scalars, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { int, ints, reals } from '../../util/fields.js';
import { plot } from '../../util/plots.js';
import { errorRate } from './classifiers.js';
import { runConsistency } from './consistencyDraw.js';
import type { TaxonomyActivation as Act } from './deepDualKernel.js';
import { predictedSingularExponent, taxonomyDuals } from './deepDualKernel.js';
import type { DirichletTask } from './dirichletSphere.js';
import { bayesAndNnErrors, bayesErrorOn } from './dirichletSphere.js';
import { ACTS, CLASSIFIERS, type Cls, deepKernelTables, PREDICTED, runTaxonomy } from './taxonomyRuns.js';

const config = z
  .strictObject({
    alpha1: reals(
      [1, 2],
      'Dirichlet parameters of class +1 (length = input dimension d, 2 or 3)',
      1e4,
      [2, 3],
    ),
    alpha2: reals([2, 1], 'Dirichlet parameters of class −1 (same length as alpha1)', 1e4, [2, 3]),
    prior1: z.number().gt(0).lt(1).default(0.4).describe('prior probability of class +1'),
    taxonomy: z
      .strictObject({
        nTrain: int(400, [4, 2000], 'training points'),
        nTest: int(1000, [4, 20_000], 'test points'),
        depths: ints(
          [1, 3, 10, 30, 100, 1000, 1e4, 1e6, 1e9, 1e12],
          [0, 1e12],
          'network depths (hidden layers) at which the deep NTK classifier is compared',
        ),
      })
      .prefault({}),
    consistency: z
      .strictObject({
        sizes: ints([100, 300, 1000, 3000, 10_000], [4, 50_000], 'training-set sizes n'),
        nTest: int(5000, [4, 50_000], 'test points per draw'),
        seeds: int(
          4,
          [1, 32],
          'data draws at the largest n; a smaller n gets seeds·⌈√(n_max/n)⌉ (cheap, noisier draws)',
        ),
        depth: int(
          1e12,
          [1, 1e12],
          'depth standing in for L → ∞ (activations whose kernel overflows use their deepest)',
        ),
      })
      .prefault({}),
    gridPoints: int(8193, [257, 65_537], 'grid points in w = log((1−ρ)/ρ) on which the depth recursion runs'),
  })
  .refine((c) => c.alpha1.length === c.alpha2.length, {
    message: 'alpha1 and alpha2 must have the same length (the input dimension)',
    path: ['alpha2'],
  });

/** Config of ntk/radhakrishnan2022. */
export type Radhakrishnan2022Config = z.infer<typeof config>;

type Method = `ntk_${Act}` | Cls | 'bayes_rule';
const METHODS: Method[] = [
  ...ACTS.map((a) => `ntk_${a}` as const),
  'one_nn',
  'singular_kernel',
  'majority_vote',
  'bayes_rule',
];
type Fixed = 'bayes_error' | 'nn_asymptotic_error' | 'minority_rate' | 'max_cg_iterations';
type Scalar =
  | Fixed
  | `singular_exponent_${'target' | 'predicted'}`
  | `taxonomy_${'n_train' | 'n_test' | 'bayes_rule_error'}`
  | `taxonomy_error_${Cls}`
  | `${'shallowest' | 'deepest'}_depth_${Act}`
  | `taxonomy_error_ntk_${Act}_deepest`
  | `max_jitter_${Act}`
  | `agree_${Act}_${Cls}_${'shallowest' | 'deepest'}`
  | `n_${'sizes' | 'small' | 'large'}`
  | `${'err' | 'excess'}_${Method}_${'small' | 'large'}${'' | '_sem'}`
  | 'agree_ntk_singular_hilbert_large'
  | `consistency_depth${'' | `_${Act}`}`;

const claim = kit.claimsFor<Radhakrishnan2022Config, Scalar>();

const TAXONOMY_QUOTE =
  'we create a taxonomy of infinitely wide and deep networks and show that these models implement one of three ' +
  'well-known classifiers depending on the activation function used: 1-nearest neighbor, majority vote, or ' +
  'singular kernel classifiers';

function agreementClaim(act: Act, label: string, limit: string) {
  const cls = PREDICTED[act];
  return claim.custom({
    id: `deep-ntk-${act === 'nn' ? '1nn' : act}`,
    kind: 'paper',
    statement: `With the ${label} activation the infinitely deep NTK classifier becomes the ${limit} classifier: agreement → 100% with depth`,
    source: {
      quote: TAXONOMY_QUOTE,
      where: 'abstract; taxonomy theorem of the infinite-depth NTK',
      value: `${limit} in the limit L → ∞`,
      restated: `agreement of the depth-L kernel classifier with ${limit} on held-out points, at depths up to 10¹²`,
    },
    requires: [claim.atLeast('taxonomy_n_test', 100, 'test points')],
    rule: {
      text: 'agreement ≥ 0.99 at the deepest depth, and above its agreement with the two other classifiers',
      params: { minAgreement: 0.99 },
    },
    check: (s) => {
      const deep = s[`agree_${act}_${cls}_deepest`];
      const others = CLASSIFIERS.filter((c) => c !== cls).map((c) => s[`agree_${act}_${c}_deepest`]);
      return {
        verdict: kit.verdictOf(deep >= 0.99 && others.every((o) => deep > o)),
        measured: `agreement ${s[`agree_${act}_${cls}_shallowest`].toFixed(3)} at depth ${s[`shallowest_depth_${act}`]} → ${deep.toFixed(4)} at depth ${s[`deepest_depth_${act}`].toExponential(0)} (vs the other two: ${others.map((o) => o.toFixed(3)).join(', ')}; ${s.taxonomy_n_test} test points)`,
      };
    },
  });
}

/** ntk/radhakrishnan2022: infinitely wide and deep NTK classifiers (Radhakrishnan, Belkin, Uhler). */
export const radhakrishnan2022 = defineExperiment({
  id: 'ntk/radhakrishnan2022',
  paper: {
    title: 'Wide and deep neural networks achieve consistency for classification',
    authors: 'Adityanarayanan Radhakrishnan, Mikhail Belkin, Caroline Uhler',
    year: 2022,
    url: 'https://arxiv.org/abs/2204.14126',
    venue: 'PNAS 120(14), 2023 (arXiv 2022: "… achieve optimality for classification")',
  },
  summary:
    'Two classes on the sphere S^{d−1} (normalised Dirichlet draws, d = 2) with a known Bayes rule. The NTK of an ' +
    'infinitely wide, L-layer network on the sphere is a function of the cosine alone, obtained by iterating the ' +
    'normalised dual activation ξ; the recursion runs in log space on a fine grid (exact closed-form jumps make ' +
    'L = 10⁸ cheap). Kernel interpolation with it is the trained infinitely wide net. Three activations are ' +
    'compared: ξ = ρ² (predicted → 1-NN), ξ = ½ + ½ρ³ (→ majority vote) and ξ = ½ρ + ½ρ⁷ (→ the singular kernel ' +
    '‖x − x′‖^{−1}, the consistent Hilbert rule for d = 2). Agreement with the predicted classifier is measured ' +
    'against depth, and the test error of each deep NTK against n is compared with the exact Bayes error.',
  config,
  presets: {
    smoke: {
      taxonomy: { nTrain: 40, nTest: 60, depths: [1, 100, 1e6] },
      consistency: { sizes: [30, 60], nTest: 100, seeds: 1, depth: 1e6 },
      gridPoints: 2049,
    },
    ci: {
      taxonomy: { nTrain: 150, nTest: 400, depths: [1, 10, 100, 1e4, 1e12] },
      consistency: { sizes: [100, 1000], nTest: 1000, seeds: 1, depth: 1e12 },
      gridPoints: 4097,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    agreementClaim('nn', 'ξ = ρ²', '1-nearest-neighbour'),
    agreementClaim('majority', 'ξ = ½ + ½ρ³', 'majority-vote'),
    agreementClaim('singular', 'ξ = ½ρ + ½ρ^k', 'singular-kernel'),
    claim.custom({
      id: 'only-singular-approaches-bayes',
      kind: 'paper',
      statement:
        'Only the singular-kernel network approaches the Bayes error as n grows; the 1-NN network stays at the ' +
        '1-NN asymptote E[2η(1−η)] and the majority-vote network at the minority-class rate',
      source: {
        quote:
          'we provide explicit activation functions that can be used to construct networks that achieve consistency',
        where: 'abstract; consistency of the singular-kernel limit (Hilbert-kernel rule)',
        restated:
          'excess error over the exact Bayes rule on the same test points, n = 100 … 10⁴ (a trend, not an arrival)',
      },
      requires: [claim.atLeast('n_sizes', 2, 'sizes'), claim.atLeast('n_large', 1000, 'largest n')],
      rule: {
        text:
          'excess error over the Bayes rule (paired on the same test points) of the singular network falls from the ' +
          'smallest to the largest n by > 2 s.e. and is below the 1-NN and majority networks’ by > 2 s.e. there; those ' +
          'two stay within 0.03 of their own limits (Cover–Hart E[2η(1−η)], minority-class rate)',
        params: { k: 2, semFloor: 1e-3, limitTolerance: 0.03 },
      },
      check: (s) => {
        const exL = s.excess_ntk_singular_large;
        const seL = s.excess_ntk_singular_large_sem;
        const clear = (gap: number, se: number) => gap > 2 * Math.max(Math.hypot(se, seL), 1e-3);
        const falls = clear(s.excess_ntk_singular_small - exL, s.excess_ntk_singular_small_sem);
        const beatsNn = clear(s.excess_ntk_nn_large - exL, s.excess_ntk_nn_large_sem);
        const beatsMaj = clear(s.excess_ntk_majority_large - exL, s.excess_ntk_majority_large_sem);
        const nnStays = Math.abs(s.err_ntk_nn_large - s.nn_asymptotic_error) < 0.03;
        const majStays = Math.abs(s.err_ntk_majority_large - s.minority_rate) < 0.03;
        return {
          verdict: kit.verdictOf(falls && beatsNn && beatsMaj && nnStays && majStays),
          measured:
            `Bayes error ${kit.fmt(s.bayes_error, 4)}; singular NTK excess ${kit.fmt(s.excess_ntk_singular_small, 4)} (n=${s.n_small}) → ` +
            `${kit.pm(exL, seL, 4)} (n=${s.n_large}); 1-NN NTK error ${kit.fmt(s.err_ntk_nn_large, 4)} ` +
            `(asymptote ${kit.fmt(s.nn_asymptotic_error, 4)}), excess ${kit.fmt(s.excess_ntk_nn_large, 4)}; majority NTK ` +
            `error ${kit.fmt(s.err_ntk_majority_large, 4)} (minority rate ${kit.fmt(s.minority_rate, 4)})`,
        };
      },
    }),
  ],
  async run(ctx, cfg) {
    const task: DirichletTask = { alpha1: cfg.alpha1, alpha2: cfg.alpha2, prior1: cfg.prior1 };
    const duals = taxonomyDuals(cfg.alpha1.length);
    const beta = cfg.alpha1.length - 1;
    const { bayes, nn: nnAsym } = bayesAndNnErrors(task);
    const tables = deepKernelTables(ctx, cfg, duals);
    const { test, ref, taxRows } = await runTaxonomy(ctx, cfg, task, tables, beta);
    const { sizes, nSmall, nMax, drawsAt, consistency, deepIndex, at } = await runConsistency(
      ctx,
      cfg,
      task,
      tables,
      beta,
    );

    const scalars: Scalars<Scalar> = {
      bayes_error: bayes,
      nn_asymptotic_error: nnAsym,
      minority_rate: Math.min(cfg.prior1, 1 - cfg.prior1),
      singular_exponent_target: beta,
      singular_exponent_predicted: predictedSingularExponent(duals.singular),
      taxonomy_n_train: cfg.taxonomy.nTrain,
      taxonomy_n_test: cfg.taxonomy.nTest,
      taxonomy_bayes_rule_error: bayesErrorOn(task, test),
    };
    for (const c of CLASSIFIERS) scalars[`taxonomy_error_${c}`] = errorRate(ref[c], test.y);
    for (const act of ACTS) {
      const rows = taxRows(act);
      const [first, last] = [rows[0], rows[rows.length - 1]];
      if (!first || !last) continue;
      scalars[`shallowest_depth_${act}`] = first.depth;
      scalars[`deepest_depth_${act}`] = last.depth;
      scalars[`taxonomy_error_ntk_${act}_deepest`] = last.error;
      scalars[`max_jitter_${act}`] = Math.max(...rows.map((r) => r.jitter));
      for (const c of CLASSIFIERS) {
        scalars[`agree_${act}_${c}_shallowest`] = first[`agree_${c}`]!;
        scalars[`agree_${act}_${c}_deepest`] = last[`agree_${c}`]!;
      }
    }
    scalars.n_sizes = sizes.length;
    scalars.n_small = nSmall;
    scalars.n_large = nMax;
    for (const method of METHODS) {
      for (const tag of ['small', 'large'] as const) {
        const n = tag === 'small' ? nSmall : nMax;
        const err = at(n, (c) => c[method]);
        // Excess over the Bayes rule on the same test points: pairing removes the test-sampling noise.
        const excess = at(n, (c) => c[method] - c.bayes_rule);
        Object.assign(
          scalars,
          kit.withSem(`err_${method}_${tag}`, err),
          kit.withSem(`excess_${method}_${tag}`, excess),
        );
      }
    }
    scalars.agree_ntk_singular_hilbert_large = at(nMax, (c) => c.agree_singular).mean;
    scalars.max_cg_iterations = Math.max(...consistency.map((c) => c.result.max_cg_iterations));
    scalars.consistency_depth = cfg.consistency.depth;
    for (const a of ACTS) scalars[`consistency_depth_${a}`] = tables[a].depths[deepIndex(a)]!;

    const errors = sizes.flatMap((n) =>
      METHODS.map((method) => {
        const { mean, sem } = at(n, (c) => c[method]);
        return { n, method, mean, sem };
      }),
    );
    return {
      scalars,
      series: {
        taxonomy: ACTS.flatMap((act) =>
          taxRows(act).map((r) => ({
            activation: act,
            depth: r.depth,
            agreement: r[`agree_${PREDICTED[act]}`]!,
            error: r.error,
          })),
        ),
        consistency: [
          ...errors.map(({ n, method, mean, sem }) => ({ n, method, error: mean, sem })),
          ...sizes.map((n) => ({ n, method: 'Bayes (exact)', error: bayes, sem: 0 })),
        ],
      },
      plots: [
        plot(
          'agreement-vs-depth',
          'Agreement of the deep NTK classifier with its predicted limit',
          [
            'taxonomy',
            'depth',
            'agreement',
            'depth L (hidden layers)',
            'agreement with 1-NN / majority / singular kernel',
          ],
          { color: 'activation', logX: true },
        ),
        plot(
          'error-vs-n',
          'Test error of infinitely deep NTK classifiers vs n (Bayes error from the density)',
          ['consistency', 'n', 'error', 'training points n', 'test error'],
          { color: 'method', errorBar: 'sem', logX: true },
        ),
      ],
      tables: [
        kit.table(
          'taxonomy',
          `Agreement with the predicted classifier vs depth (n = ${cfg.taxonomy.nTrain})`,
          ['activation', 'depth', 'agree 1-NN', 'agree majority', 'agree singular', 'test error'],
          ACTS.flatMap((a) =>
            taxRows(a).map((r) => [
              a,
              r.depth,
              ...CLASSIFIERS.map((c) => kit.fmt(r[`agree_${c}`], 4)),
              kit.fmt(r.error, 4),
            ]),
          ),
        ),
        kit.table(
          'consistency',
          `Test error vs n (mean ± s.e. over ${sizes.map(drawsAt).join('/')} draws; Bayes error ${kit.fmt(bayes, 4)})`,
          [
            'n',
            'NTK ρ²',
            'NTK ½+½ρ³',
            'NTK singular',
            '1-NN',
            'Hilbert ‖·‖^{−(d−1)}',
            'majority vote',
            'Bayes rule (sample)',
            'agree singular NTK/Hilbert',
          ],
          sizes.map((n) => [
            n,
            ...errors.filter((e) => e.n === n).map((e) => kit.pm(e.mean, e.sem, 4)),
            kit.fmt(at(n, (c) => c.agree_singular).mean, 4),
          ]),
        ),
      ],
    };
  },
});
