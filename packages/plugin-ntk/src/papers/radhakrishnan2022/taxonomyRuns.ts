import type { RunContext } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import {
  agreement,
  deepNtkPredictDense,
  errorRate,
  logitMatrix,
  majorityPredict,
  nearestNeighbourPredict,
  singularKernelPredict,
} from './classifiers.js';
import type { TaxonomyActivation as Act, DeepKernelTable, PolynomialDual } from './deepDualKernel.js';
import { tabulateDeepNtk } from './deepDualKernel.js';
import { type DirichletTask, sampleDirichletSphere } from './dirichletSphere.js';
import type { Radhakrishnan2022Config } from './experiment.js';

/** The three activations of the taxonomy. */
export const ACTS: Act[] = ['nn', 'majority', 'singular'];
/** The classifiers the deep NTKs tend to. */
export type Cls = 'one_nn' | 'majority_vote' | 'singular_kernel';
/** Every classifier of the taxonomy, in table order. */
export const CLASSIFIERS: Cls[] = ['one_nn', 'majority_vote', 'singular_kernel'];
/** The classifier each activation's deep NTK is predicted to become. */
export const PREDICTED: Record<Act, Cls> = {
  nn: 'one_nn',
  majority: 'majority_vote',
  singular: 'singular_kernel',
};

/** One deep NTK classifier at one depth: its test error, jitter, and agreement with each classifier. */
export interface TaxonomyRow {
  [key: string]: number;
  depth: number;
  error: number;
  jitter: number;
}

/** The deep NTK of each activation tabulated over the logit grid at every depth of both parts. */
export function deepKernelTables(
  ctx: RunContext,
  cfg: Radhakrishnan2022Config,
  duals: Record<Act, PolynomialDual>,
): Record<Act, DeepKernelTable> {
  const wGrid = { points: cfg.gridPoints, wMin: -70, wMax: 45 };
  const allDepths = [...new Set([...cfg.taxonomy.depths, cfg.consistency.depth])].sort((a, b) => a - b);
  const recursion = ctx.progress.task('depth recursion', ACTS.length);
  const tables = {} as Record<Act, DeepKernelTable>;
  for (const a of ACTS) {
    tables[a] = tabulateDeepNtk(duals[a], allDepths, wGrid);
    recursion.tick(1, a);
  }
  recursion.done();
  return tables;
}

/**
 * Part 1: agreement of the deep NTK classifier with 1-NN / majority vote / singular kernel as depth grows, on
 * one train/test draw; returns the test draw, the reference classifiers' predictions and the rows per activation.
 */
export async function runTaxonomy(
  ctx: RunContext,
  cfg: Radhakrishnan2022Config,
  task: DirichletTask,
  tables: Record<Act, DeepKernelTable>,
  beta: number,
) {
  const rng = ctx.rng.split('taxonomy');
  const train = sampleDirichletSphere(rng.split('train'), task, cfg.taxonomy.nTrain);
  const test = sampleDirichletSphere(rng.split('test'), task, cfg.taxonomy.nTest);
  const wTrain = logitMatrix(train, train);
  const wTest = logitMatrix(test, train);
  const ref: Record<Cls, Int8Array> = {
    one_nn: nearestNeighbourPredict(train, wTest, test.n),
    majority_vote: majorityPredict(train, test.n),
    singular_kernel: singularKernelPredict(train, wTest, test.n, beta),
  };
  const taxonomy = await kit.runCells(ctx, {
    label: 'taxonomy: activation × depth',
    cells: kit.grid({ act: ACTS, depth: [...cfg.taxonomy.depths].sort((a, b) => a - b) }),
    key: ({ act, depth }) => `taxonomy-${act}-L${depth}`,
    run: ({ act, depth }): TaxonomyRow | null => {
      const depthIndex = tables[act].depths.indexOf(depth);
      if (depthIndex < 0) return null; // overflowed float64 (ξ = ρ² beyond ~1000 layers)
      const k = { table: tables[act], depthIndex };
      const { pred, jitter } = deepNtkPredictDense(k, train, wTrain, wTest, test.n);
      const row: TaxonomyRow = { depth, error: errorRate(pred, test.y), jitter };
      for (const c of CLASSIFIERS) row[`agree_${c}`] = agreement(pred, ref[c]);
      return row;
    },
    describe: ({ act, depth }) => `${act} L=${depth}`,
  });
  const taxRows = (act: Act) => kit.pick(taxonomy, { act }).filter((r): r is TaxonomyRow => r !== null);
  return { test, ref, taxRows };
}
