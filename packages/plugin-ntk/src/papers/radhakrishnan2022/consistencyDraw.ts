import type { Rng, RunContext } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { meanSemAt } from '../../experiments/seedSummary.js';
import type { KernelAtDepth } from './classifiers.js';
import { agreement, errorRate, majorityPredict, streamingPredict } from './classifiers.js';
import type { TaxonomyActivation as Act, DeepKernelTable } from './deepDualKernel.js';
import { bayesErrorOn, type DirichletTask, sampleDirichletSphere } from './dirichletSphere.js';
import type { Radhakrishnan2022Config } from './experiment.js';
import { ACTS } from './taxonomyRuns.js';

/** Test error of each classifier on one draw: the infinitely deep NTKs, their limits, and the Bayes rule. */
export type ConsistencyDraw = Record<
  | `ntk_${'nn' | 'majority' | 'singular'}`
  | 'one_nn'
  | 'singular_kernel'
  | 'majority_vote'
  | 'bayes_rule'
  | 'agree_singular'
  | 'max_cg_iterations',
  number
>;

/**
 * One draw of the consistency sweep: `n` training and `nTest` test points of the task, the deep NTKs (nn,
 * majority, singular activations, in that order) against 1-NN, majority vote, the singular kernel and the Bayes
 * rule; also how often the singular-activation NTK agrees with the singular kernel, and the solver's iterations.
 */
export function consistencyDraw(
  kernels: KernelAtDepth[],
  task: DirichletTask,
  n: number,
  nTest: number,
  beta: number,
  draw: Rng,
): ConsistencyDraw {
  const tr = sampleDirichletSphere(draw.split('train'), task, n);
  const te = sampleDirichletSphere(draw.split('test'), task, nTest);
  const r = streamingPredict(kernels, tr, te, beta);
  return {
    ntk_nn: errorRate(r.ntk[0]!, te.y),
    ntk_majority: errorRate(r.ntk[1]!, te.y),
    ntk_singular: errorRate(r.ntk[2]!, te.y),
    one_nn: errorRate(r.nearest, te.y),
    singular_kernel: errorRate(r.singular, te.y),
    majority_vote: errorRate(majorityPredict(tr, te.n), te.y),
    bayes_rule: bayesErrorOn(task, te),
    agree_singular: agreement(r.ntk[2]!, r.singular),
    max_cg_iterations: Math.max(...r.solver.map((x) => x.iterations)),
  };
}

/**
 * Part 2: test error against n at (effectively) infinite depth, seeds × ⌈√(n_max/n)⌉ draws per n (checkpointed);
 * returns the sizes, the draws, the depth index used per activation and a mean ± s.e. reader per n.
 */
export async function runConsistency(
  ctx: RunContext,
  cfg: Radhakrishnan2022Config,
  task: DirichletTask,
  tables: Record<Act, DeepKernelTable>,
  beta: number,
) {
  const sizes = [...cfg.consistency.sizes].sort((a, b) => a - b);
  const deepIndex = (a: Act) => {
    const i = tables[a].depths.indexOf(cfg.consistency.depth);
    return i >= 0 ? i : tables[a].depths.length - 1;
  };
  const kernels = ACTS.map((a) => ({ table: tables[a], depthIndex: deepIndex(a) }));
  const nSmall = sizes[0]!;
  const nMax = sizes[sizes.length - 1]!;
  const drawsAt = (n: number) => cfg.consistency.seeds * Math.ceil(Math.sqrt(nMax / n) - 1e-9);
  const consistency = await kit.runCells(ctx, {
    label: 'consistency: n × draw',
    cells: sizes.flatMap((n) => kit.seeds(drawsAt(n)).map((seed) => ({ n, seed }))),
    key: ({ n, seed }) => `cons-n${n}-s${seed}`,
    run: ({ n, seed }) =>
      consistencyDraw(
        kernels,
        task,
        n,
        cfg.consistency.nTest,
        beta,
        ctx.rng.split(`consistency-n${n}-s${seed}`),
      ),
    describe: ({ n, seed }) => `n=${n} seed ${seed}`,
    log: ({ n, seed }, c) => ({
      scalars: { ntk_singular: c.ntk_singular, ntk_nn: c.ntk_nn },
      step: n * 100 + seed,
    }),
  });
  const at = (n: number, value: (c: ConsistencyDraw) => number) => meanSemAt(consistency, { n }, value);
  return { sizes, nSmall, nMax, drawsAt, consistency, deepIndex, at };
}
