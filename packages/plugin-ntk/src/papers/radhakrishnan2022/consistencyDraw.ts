import type { Rng } from '@paperlab/core';
import type { KernelAtDepth } from './classifiers.js';
import { agreement, errorRate, majorityPredict, streamingPredict } from './classifiers.js';
import { bayesErrorOn, type DirichletTask, sampleDirichletSphere } from './dirichletSphere.js';

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
