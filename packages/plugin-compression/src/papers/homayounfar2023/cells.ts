import type { RunContext } from '@paperlab/core';
import { type LabelledArrays, pickExamples } from '@paperlab/core/data';
import * as tf from '@tensorflow/tfjs-core';
import { netCost } from '../../cost/accounting.js';
import { CompressNet } from '../../nets/compressNet.js';
import { smallCnn, trainInRun } from '../../nets/zoo.js';
import type { UnitScores } from '../../prune/criteria.js';
import { activationRankScores, betaRankScores, l1Scores, topUnits } from '../../prune/criteria.js';
import { pruneUnits } from '../../prune/structured.js';
import { classBalancedScores, predictProbs } from '../../train/evaluate.js';
import type { Homayounfar2023Config } from './experiment.js';

/** The compared pruning criteria: β-rank, L1 norm, HRank. */
export const CRITERIA = ['beta', 'l1', 'hrank'] as const;
/** One pruning criterion. */
export type Criterion = (typeof CRITERIA)[number];

/** Class-imbalanced subset: class c keeps round(largest · imbalance^(−c/(k−1))) of its first images. */
export function imbalancedSubset(data: LabelledArrays, largest: number, imbalance: number): LabelledArrays {
  const k = data.classes;
  const want = Array.from({ length: k }, (_, c) =>
    Math.max(1, Math.round(largest * imbalance ** (-c / (k - 1)))),
  );
  const got = new Array<number>(k).fill(0);
  const idx: number[] = [];
  for (let i = 0; i < data.n; i++) {
    const c = data.y[i]!;
    if (got[c]! < want[c]!) {
      got[c]!++;
      idx.push(i);
    }
  }
  return pickExamples(data, idx);
}

/** One criterion on one seed: balanced accuracy and macro-F1 after fine-tuning, balanced accuracy before it. */
export type Cell = Record<'bacc' | 'f1' | 'baccRaw', number>;

/** One seed: the unpruned CNN, the FLOPs removed (the same for every criterion), and each criterion's cell. */
export type SeedResult = {
  base: { bacc: number; f1: number };
  flopsReduction: number;
  byCriterion: Record<Criterion, Cell>;
};

/** Scores of one conv layer's filters under a criterion (β-rank, L1 norm, HRank's average feature-map rank). */
function scoresOf(net: CompressNet, layer: number, criterion: Criterion, x: tf.Tensor): UnitScores {
  if (criterion === 'beta') return betaRankScores(net, layer, x);
  if (criterion === 'hrank') return activationRankScores(net, layer, x);
  const k = net.layers[layer]!.kernel!;
  return l1Scores(k.dataSync() as Float32Array, k.shape.at(-1)!);
}

/** Balanced accuracy and macro-F1 of a net on `test`. */
function balanced(net: CompressNet, test: LabelledArrays) {
  const s = classBalancedScores(predictProbs(net, test), test.y, test.classes);
  return { bacc: s.balancedAccuracy, f1: s.macroF1 };
}

/**
 * One seed of homayounfar2023: the CNN trained on the imbalanced subset, then pruned by each criterion (scored on
 * the same sampled training images) and fine-tuned identically.
 */
export async function runSeed(
  ctx: RunContext,
  cfg: Homayounfar2023Config,
  train: LabelledArrays,
  test: LabelledArrays,
  seed: number,
): Promise<SeedResult> {
  const specs = smallCnn({ filters: cfg.filters, hidden: cfg.hidden, classes: train.classes });
  const net = CompressNet.build(specs, train.shape, ctx.rng.split(`init-s${seed}`), 'cnn');
  try {
    await trainInRun(ctx, net, train, cfg, `order-s${seed}`);
    const base = balanced(net, test);
    const perm = ctx.rng
      .split(`rank-batch-s${seed}`)
      .permutation(train.n)
      .subarray(0, Math.min(cfg.rankBatch, train.n));
    const sample = pickExamples(train, perm);
    const x = tf.tensor(sample.x, [sample.n, ...sample.shape]);
    const convs = net.weightedLayers().filter((l) => net.specs[l]!.type === 'conv2d');
    const byCriterion = {} as Record<Criterion, Cell>;
    let flopsReduction = 0;
    try {
      for (const criterion of CRITERIA) {
        const keep = new Map(
          convs.map((l) => {
            const s = scoresOf(net, l, criterion, x);
            return [l, topUnits(s, Math.max(1, Math.round((1 - cfg.pruneRatio) * s.length)))] as const;
          }),
        );
        const small = pruneUnits(net, keep);
        try {
          const raw = balanced(small, test);
          flopsReduction =
            1 - netCost(small.specs, small.inputShape).flops / netCost(net.specs, net.inputShape).flops;
          // Identical fine-tuning for every criterion: same epochs, step and batch order.
          if (cfg.fineTuneEpochs > 0)
            await trainInRun(ctx, small, train, { ...cfg, epochs: cfg.fineTuneEpochs }, `finetune-s${seed}`);
          const tuned = balanced(small, test);
          byCriterion[criterion] = { bacc: tuned.bacc, f1: tuned.f1, baccRaw: raw.bacc };
        } finally {
          small.dispose();
        }
      }
    } finally {
      x.dispose();
    }
    return { base, flopsReduction, byCriterion };
  } finally {
    net.dispose();
  }
}
