import {
  type ClaimResult,
  defineExperiment,
  type ExperimentOutput,
  type SeriesRow,
  throwIfAborted,
  z,
} from '@paperlab/core';
import { mean, sem } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import {
  agreement,
  deepNtkPredictDense,
  errorRate,
  type KernelAtDepth,
  logitMatrix,
  majorityPredict,
  nearestNeighbourPredict,
  singularKernelPredict,
  streamingPredict,
} from './classifiers.js';
import { dualSlopeAtOne, type PolynomialDual, tabulateDeepNtk } from './deepDualKernel.js';
import {
  bayesAndNnErrors,
  bayesPredict,
  type DirichletTask,
  type SphereSample,
  sampleDirichletSphere,
} from './dirichletSphere.js';

const config = z
  .strictObject({
    alpha1: z
      .array(z.number().positive())
      .min(2)
      .max(3)
      .default([1, 2])
      .describe('Dirichlet parameters of class +1 (length = input dimension d, 2 or 3)'),
    alpha2: z
      .array(z.number().positive())
      .min(2)
      .max(3)
      .default([2, 1])
      .describe('Dirichlet parameters of class −1 (same length as alpha1)'),
    prior1: z.number().gt(0).lt(1).default(0.4).describe('prior probability of class +1'),
    taxonomy: z
      .strictObject({
        nTrain: z.number().int().min(4).max(2000).default(400).describe('training points'),
        nTest: z.number().int().min(4).max(20_000).default(1000).describe('test points'),
        depths: z
          .array(z.number().int().min(0).max(1e12))
          .min(1)
          .default([1, 3, 10, 30, 100, 1000, 1e4, 1e6, 1e9, 1e12])
          .describe('network depths (hidden layers) at which the deep NTK classifier is compared'),
      })
      .default({ nTrain: 400, nTest: 1000, depths: [1, 3, 10, 30, 100, 1000, 1e4, 1e6, 1e9, 1e12] }),
    consistency: z
      .strictObject({
        sizes: z
          .array(z.number().int().min(4).max(50_000))
          .min(1)
          .default([100, 300, 1000, 3000, 10_000])
          .describe('training-set sizes n'),
        nTest: z.number().int().min(4).max(50_000).default(5000).describe('test points per draw'),
        seeds: z
          .number()
          .int()
          .min(1)
          .max(32)
          .default(4)
          .describe(
            'data draws at the largest n; a smaller n gets seeds·⌈√(n_max/n)⌉ (cheap, noisier draws)',
          ),
        depth: z
          .number()
          .int()
          .min(1)
          .max(1e12)
          .default(1e12)
          .describe('depth standing in for L → ∞ (activations whose kernel overflows use their deepest)'),
      })
      .default({ sizes: [100, 300, 1000, 3000, 10_000], nTest: 5000, seeds: 4, depth: 1e12 }),
    gridPoints: z
      .number()
      .int()
      .min(257)
      .max(65_537)
      .default(8193)
      .describe('grid points in w = log((1−ρ)/ρ) on which the depth recursion runs'),
  })
  .refine((c) => c.alpha1.length === c.alpha2.length, {
    message: 'alpha1 and alpha2 must have the same length (the input dimension)',
    path: ['alpha2'],
  });

/** Config of ntk/radhakrishnan2022. */
export type Radhakrishnan2022Config = z.infer<typeof config>;

type ActName = 'nn' | 'majority' | 'singular';
const ACTS: ActName[] = ['nn', 'majority', 'singular'];
type ClsName = 'one_nn' | 'majority_vote' | 'singular_kernel';
const CLASSIFIERS: ClsName[] = ['one_nn', 'majority_vote', 'singular_kernel'];
const PREDICTED: Record<ActName, ClsName> = {
  nn: 'one_nn',
  majority: 'majority_vote',
  singular: 'singular_kernel',
};

/**
 * The three dual activations of the taxonomy. ρ² (Hermite-2: ξ(0) = ξ'(0) = 0) → 1-NN; ½ + ½ρ³ (ξ(0) > 0,
 * ξ'(1) > 1: an attracting fixed point ρ* < 1) → majority vote; ½ρ + ½ρ^k (ξ(0) = 0 < ξ'(0) < 1 < ξ'(1)) → a
 * singular kernel ‖x − x'‖^{−β} with β = 2·log(1/ξ'(0))/log ξ'(1); k = 2·4^{1/(d−1)} − 1 makes β = d − 1,
 * the exponent of the consistent Hilbert-kernel rule on S^{d−1} (k = 7 for d = 2, k = 3 for d = 3).
 */
export function taxonomyDuals(dim: number): Record<ActName, PolynomialDual> {
  const k = Math.round(2 * 4 ** (1 / (dim - 1)) - 1);
  const singular = new Array<number>(k + 1).fill(0);
  singular[1] = 0.5;
  singular[k] = 0.5;
  return {
    nn: { coeffs: [0, 0, 1] },
    majority: { coeffs: [0.5, 0, 0, 0.5] },
    singular: { coeffs: singular },
  };
}

/** Singular exponent β predicted for a dual with c_0 = 0 < c_1: ‖x − x'‖^{−2 log(1/c_1)/log ξ'(1)}. */
export function predictedSingularExponent(dual: PolynomialDual): number {
  return (2 * Math.log(1 / dual.coeffs[1]!)) / Math.log(dualSlopeAtOne(dual));
}

interface TaxonomyRow {
  [key: string]: number;
  depth: number;
  agree_one_nn: number;
  agree_majority_vote: number;
  agree_singular_kernel: number;
  error: number;
  jitter: number;
}

interface ConsistencyCell {
  [key: string]: number;
  ntk_nn: number;
  ntk_majority: number;
  ntk_singular: number;
  one_nn: number;
  singular_kernel: number;
  majority_vote: number;
  bayes_rule: number;
  agree_singular: number;
  max_cg_iterations: number;
}

function bayesErrorOn(task: DirichletTask, s: SphereSample): number {
  let e = 0;
  for (let i = 0; i < s.n; i++) if (bayesPredict(task, s.x, i * s.d) !== s.y[i]) e++;
  return e / s.n;
}

function agreementClaim(act: ActName, label: string) {
  return {
    id: `deep-ntk-${act === 'nn' ? '1nn' : act}`,
    statement: `With the ${label} activation the infinitely deep NTK classifier becomes the ${
      act === 'nn' ? '1-nearest-neighbour' : act === 'majority' ? 'majority-vote' : 'singular-kernel'
    } classifier: agreement → 100% with depth`,
    check(out: ExperimentOutput): ClaimResult {
      const s = out.scalars;
      const cls = PREDICTED[act];
      const deep = s[`agree_${act}_${cls}_deepest`];
      const shallow = s[`agree_${act}_${cls}_shallowest`];
      const others = CLASSIFIERS.filter((c) => c !== cls).map(
        (c) => s[`agree_${act}_${c}_deepest`] ?? Number.NaN,
      );
      const expected =
        'agreement ≥ 0.99 at the deepest depth, and above its agreement with the two other classifiers';
      if (deep === undefined || shallow === undefined)
        return { verdict: 'inconclusive', measured: 'no taxonomy results', expected };
      const measured = `agreement ${shallow.toFixed(3)} at depth ${s[`shallowest_depth_${act}`]} → ${deep.toFixed(4)} at depth ${s[`deepest_depth_${act}`]!.toExponential(0)} (vs the other two: ${others.map((o) => o.toFixed(3)).join(', ')}; ${s.taxonomy_n_test} test points)`;
      if ((s.taxonomy_n_test ?? 0) < 100) return { verdict: 'inconclusive', measured, expected };
      const ok = deep >= 0.99 && others.every((o) => deep > o);
      return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
    },
  };
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
  claims: [
    agreementClaim('nn', 'ξ = ρ²'),
    agreementClaim('majority', 'ξ = ½ + ½ρ³'),
    agreementClaim('singular', 'ξ = ½ρ + ½ρ^k'),
    {
      id: 'only-singular-approaches-bayes',
      statement:
        'Only the singular-kernel network approaches the Bayes error as n grows; the 1-NN network stays at the ' +
        '1-NN asymptote E[2η(1−η)] and the majority-vote network at the minority-class rate',
      check(out) {
        const s = out.scalars;
        const expected =
          'excess error over the Bayes rule (paired on the same test points) of the singular network falls from the ' +
          'smallest to the largest n by > 2 s.e. and is below the 1-NN and majority networks’ by > 2 s.e. there; those ' +
          'two stay within 0.03 of their own limits (Cover–Hart E[2η(1−η)], minority-class rate)';
        if ((s.n_sizes ?? 0) < 2 || (s.n_large ?? 0) < 1000)
          return {
            verdict: 'inconclusive',
            measured: `${s.n_sizes} sizes up to n = ${s.n_large}: too small to judge consistency`,
            expected,
          };
        const exS = s.excess_ntk_singular_small!;
        const exL = s.excess_ntk_singular_large!;
        const seL = s.excess_ntk_singular_large_sem!;
        const floor = 1e-3;
        const falls = exS - exL > 2 * Math.max(Math.hypot(s.excess_ntk_singular_small_sem!, seL), floor);
        const beatsNn =
          s.excess_ntk_nn_large! - exL > 2 * Math.max(Math.hypot(s.excess_ntk_nn_large_sem!, seL), floor);
        const beatsMaj =
          s.excess_ntk_majority_large! - exL >
          2 * Math.max(Math.hypot(s.excess_ntk_majority_large_sem!, seL), floor);
        const nnStays = Math.abs(s.err_ntk_nn_large! - s.nn_asymptotic_error!) < 0.03;
        const majStays = Math.abs(s.err_ntk_majority_large! - s.minority_rate!) < 0.03;
        return {
          verdict: falls && beatsNn && beatsMaj && nnStays && majStays ? 'reproduced' : 'not-reproduced',
          measured:
            `Bayes error ${s.bayes_error!.toFixed(4)}; singular NTK excess ${exS.toFixed(4)} (n=${s.n_small}) → ` +
            `${exL.toFixed(4)} ± ${seL.toFixed(4)} (n=${s.n_large}); 1-NN NTK error ${s.err_ntk_nn_large!.toFixed(4)} ` +
            `(asymptote ${s.nn_asymptotic_error!.toFixed(4)}), excess ${s.excess_ntk_nn_large!.toFixed(4)}; majority NTK ` +
            `error ${s.err_ntk_majority_large!.toFixed(4)} (minority rate ${s.minority_rate!.toFixed(4)})`,
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const d = cfg.alpha1.length;
    const task: DirichletTask = { alpha1: cfg.alpha1, alpha2: cfg.alpha2, prior1: cfg.prior1 };
    const duals = taxonomyDuals(d);
    const beta = d - 1;
    const { bayes, nn: nnAsym } = bayesAndNnErrors(task);
    const grid = { points: cfg.gridPoints, wMin: -70, wMax: 45 };
    const allDepths = [...new Set([...cfg.taxonomy.depths, cfg.consistency.depth])].sort((a, b) => a - b);
    const tableTask = ctx.progress.task('depth recursion', ACTS.length);
    const tables = Object.fromEntries(
      ACTS.map((a) => {
        const t = tabulateDeepNtk(duals[a], allDepths, grid);
        tableTask.tick(1, a);
        return [a, t];
      }),
    ) as Record<ActName, ReturnType<typeof tabulateDeepNtk>>;
    tableTask.done();

    // Part 1: agreement with 1-NN / majority vote / singular kernel as depth grows.
    const tax = await ctx.checkpoint.cached('taxonomy', async () => {
      const rng = ctx.rng.split('taxonomy');
      const train = sampleDirichletSphere(rng.split('train'), task, cfg.taxonomy.nTrain);
      const test = sampleDirichletSphere(rng.split('test'), task, cfg.taxonomy.nTest);
      const wTrain = logitMatrix(train, train);
      const wTest = logitMatrix(test, train);
      const m = test.n;
      const ref: Record<ClsName, Int8Array> = {
        one_nn: nearestNeighbourPredict(train, wTest, m),
        majority_vote: majorityPredict(train, m),
        singular_kernel: singularKernelPredict(train, wTest, m, beta),
      };
      const refErrors = Object.fromEntries(CLASSIFIERS.map((c) => [c, errorRate(ref[c], test.y)]));
      const rows: Record<string, TaxonomyRow[]> = {};
      const task2 = ctx.progress.task(
        'taxonomy: activation × depth',
        ACTS.length * cfg.taxonomy.depths.length,
      );
      for (const act of ACTS) {
        rows[act] = [];
        const table = tables[act];
        for (const depth of [...cfg.taxonomy.depths].sort((a, b) => a - b)) {
          throwIfAborted(ctx.signal);
          const depthIndex = table.depths.indexOf(depth);
          task2.tick(1, `${act} L=${depth}`);
          if (depthIndex < 0) continue; // overflowed float64 (ξ = ρ² beyond ~1000 layers)
          const k: KernelAtDepth = { table, depthIndex };
          const { pred, jitter } = deepNtkPredictDense(k, train, wTrain, wTest, m);
          rows[act]!.push({
            depth,
            agree_one_nn: agreement(pred, ref.one_nn),
            agree_majority_vote: agreement(pred, ref.majority_vote),
            agree_singular_kernel: agreement(pred, ref.singular_kernel),
            error: errorRate(pred, test.y),
            jitter,
          });
        }
      }
      task2.done();
      return { rows, refErrors, bayesRule: bayesErrorOn(task, test) };
    });

    // Part 2: test error against n at (effectively) infinite depth.
    const cells: Array<ConsistencyCell & { n: number; seed: number }> = [];
    const sizes = [...cfg.consistency.sizes].sort((a, b) => a - b);
    const deepIndex = (a: ActName) => {
      const t = tables[a];
      const i = t.depths.indexOf(cfg.consistency.depth);
      return i >= 0 ? i : t.depths.length - 1;
    };
    const kernels = ACTS.map((a) => ({ table: tables[a], depthIndex: deepIndex(a) }));
    const nMax = sizes[sizes.length - 1]!;
    const drawsAt = (n: number) => cfg.consistency.seeds * Math.ceil(Math.sqrt(nMax / n) - 1e-9);
    const task3 = ctx.progress.task(
      'consistency: n × draw',
      sizes.reduce((a, n) => a + drawsAt(n), 0),
    );
    for (const n of sizes) {
      for (let seed = 0; seed < drawsAt(n); seed++) {
        throwIfAborted(ctx.signal);
        const cell = await ctx.checkpoint.cached(`cons-n${n}-s${seed}`, async () => {
          const rng = ctx.rng.split(`consistency-n${n}-s${seed}`);
          const train = sampleDirichletSphere(rng.split('train'), task, n);
          const test = sampleDirichletSphere(rng.split('test'), task, cfg.consistency.nTest);
          const r = streamingPredict(kernels, train, test, beta);
          const c: ConsistencyCell = {
            ntk_nn: errorRate(r.ntk[0]!, test.y),
            ntk_majority: errorRate(r.ntk[1]!, test.y),
            ntk_singular: errorRate(r.ntk[2]!, test.y),
            one_nn: errorRate(r.nearest, test.y),
            singular_kernel: errorRate(r.singular, test.y),
            majority_vote: errorRate(majorityPredict(train, test.n), test.y),
            bayes_rule: bayesErrorOn(task, test),
            agree_singular: agreement(r.ntk[2]!, r.singular),
            max_cg_iterations: Math.max(...r.solver.map((s) => s.iterations)),
          };
          return c;
        });
        cells.push({ ...cell, n, seed });
        ctx.log.scalars({ ntk_singular: cell.ntk_singular, ntk_nn: cell.ntk_nn }, n * 100 + seed);
        task3.tick(1, `n=${n} seed ${seed}`);
      }
    }
    task3.done();

    const scalars: Record<string, number> = {
      bayes_error: bayes,
      nn_asymptotic_error: nnAsym,
      minority_rate: Math.min(cfg.prior1, 1 - cfg.prior1),
      singular_exponent_target: beta,
      singular_exponent_predicted: predictedSingularExponent(duals.singular),
      taxonomy_n_train: cfg.taxonomy.nTrain,
      taxonomy_n_test: cfg.taxonomy.nTest,
      taxonomy_bayes_rule_error: tax.bayesRule,
    };
    for (const c of CLASSIFIERS) scalars[`taxonomy_error_${c}`] = tax.refErrors[c]!;
    const taxSeries: SeriesRow[] = [];
    for (const act of ACTS) {
      const rows = tax.rows[act]!;
      if (rows.length === 0) continue;
      const first = rows[0]!;
      const last = rows[rows.length - 1]!;
      scalars[`shallowest_depth_${act}`] = first.depth;
      scalars[`deepest_depth_${act}`] = last.depth;
      scalars[`taxonomy_error_ntk_${act}_deepest`] = last.error;
      scalars[`max_jitter_${act}`] = Math.max(...rows.map((r) => r.jitter));
      for (const c of CLASSIFIERS) {
        scalars[`agree_${act}_${c}_shallowest`] = first[`agree_${c}`]!;
        scalars[`agree_${act}_${c}_deepest`] = last[`agree_${c}`]!;
      }
      for (const r of rows)
        taxSeries.push({
          activation: act,
          depth: r.depth,
          agreement: r[`agree_${PREDICTED[act]}`]!,
          error: r.error,
        });
    }

    const methods = [
      'ntk_nn',
      'ntk_majority',
      'ntk_singular',
      'one_nn',
      'singular_kernel',
      'majority_vote',
      'bayes_rule',
    ] as const;
    const consSeries: SeriesRow[] = [];
    const table: Array<Array<number | string>> = [];
    for (const n of sizes) {
      const at = cells.filter((c) => c.n === n);
      const row: Array<number | string> = [n];
      for (const m of methods) {
        const v = at.map((c) => c[m]);
        consSeries.push({ n, method: m, error: mean(v), sem: sem(v) });
        row.push(`${mean(v).toFixed(4)} ± ${sem(v).toFixed(4)}`);
      }
      row.push(mean(at.map((c) => c.agree_singular)).toFixed(4));
      table.push(row);
    }
    consSeries.push(...sizes.map((n) => ({ n, method: 'Bayes (exact)', error: bayes, sem: 0 })));
    const nSmall = sizes[0]!;
    const nLarge = sizes[sizes.length - 1]!;
    scalars.n_sizes = sizes.length;
    scalars.n_small = nSmall;
    scalars.n_large = nLarge;
    for (const m of methods) {
      for (const [tag, n] of [
        ['small', nSmall],
        ['large', nLarge],
      ] as const) {
        const at = cells.filter((c) => c.n === n);
        const v = at.map((c) => c[m]);
        // Excess over the Bayes rule on the same test points: pairing removes the test-sampling noise.
        const ex = at.map((c) => c[m] - c.bayes_rule);
        scalars[`err_${m}_${tag}`] = mean(v);
        scalars[`err_${m}_${tag}_sem`] = sem(v);
        scalars[`excess_${m}_${tag}`] = mean(ex);
        scalars[`excess_${m}_${tag}_sem`] = sem(ex);
      }
    }
    scalars.agree_ntk_singular_hilbert_large = mean(
      cells.filter((c) => c.n === nLarge).map((c) => c.agree_singular),
    );
    scalars.max_cg_iterations = Math.max(...cells.map((c) => c.max_cg_iterations));
    scalars.consistency_depth = cfg.consistency.depth;
    for (const a of ACTS) scalars[`consistency_depth_${a}`] = tables[a].depths[deepIndex(a)]!;

    return {
      scalars,
      series: { taxonomy: taxSeries, consistency: consSeries },
      plots: [
        linePlot({
          id: 'agreement-vs-depth',
          title: 'Agreement of the deep NTK classifier with its predicted limit',
          series: 'taxonomy',
          x: 'depth',
          y: 'agreement',
          color: 'activation',
          logX: true,
          xTitle: 'depth L (hidden layers)',
          yTitle: 'agreement with 1-NN / majority / singular kernel',
        }),
        linePlot({
          id: 'error-vs-n',
          title: 'Test error of infinitely deep NTK classifiers vs n (Bayes error from the density)',
          series: 'consistency',
          x: 'n',
          y: 'error',
          color: 'method',
          errorBar: 'sem',
          logX: true,
          xTitle: 'training points n',
          yTitle: 'test error',
        }),
      ],
      tables: [
        {
          id: 'taxonomy',
          title: `Agreement with the predicted classifier vs depth (n = ${cfg.taxonomy.nTrain})`,
          columns: ['activation', 'depth', 'agree 1-NN', 'agree majority', 'agree singular', 'test error'],
          rows: ACTS.flatMap((a) =>
            tax.rows[a]!.map((r) => [
              a,
              r.depth,
              r.agree_one_nn.toFixed(4),
              r.agree_majority_vote.toFixed(4),
              r.agree_singular_kernel.toFixed(4),
              r.error.toFixed(4),
            ]),
          ),
        },
        {
          id: 'consistency',
          title: `Test error vs n (mean ± s.e. over ${sizes.map(drawsAt).join('/')} draws; Bayes error ${bayes.toFixed(4)})`,
          columns: [
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
          rows: table,
        },
      ],
    };
  },
});
