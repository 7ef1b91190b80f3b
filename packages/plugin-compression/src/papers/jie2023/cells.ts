import type { RunContext } from '@paperlab/core';
import { type LabelledArrays, pickExamples } from '@paperlab/core/data';
import { CompressNet } from '../../nets/compressNet.js';
import { mlp, trainClassifier, trainInRun } from '../../nets/zoo.js';
import { accuracy } from '../../train/evaluate.js';
import { Adapters, adapterBytes, downstream, METHODS, type Method } from './adapters.js';
import type { Jie2023Config } from './experiment.js';

/** One seed of jie2023: accuracy and adapter bytes of each method, and the backbone's pretraining accuracy. */
export type Cell = Record<Method, { acc: number; bytes: number }> & { pretrainAcc: number };

/**
 * One seed of jie2023: a backbone pretrained on its classes, its frozen trunk, a few-shot draw of the downstream
 * classes, and every method tuned on it from the same adapter initialisation and batch order.
 */
export async function runSeed(
  ctx: RunContext,
  cfg: Jie2023Config,
  pre: { train: LabelledArrays; test: LabelledArrays },
  down: { train: LabelledArrays; test: LabelledArrays },
  seed: number,
): Promise<Cell> {
  const backbone = CompressNet.build(
    mlp(cfg.hidden, pre.train.classes),
    pre.train.shape,
    ctx.rng.split(`backbone-s${seed}`),
    'backbone',
  );
  const disposables: Array<{ dispose(): void }> = [backbone];
  try {
    const pretraining = { epochs: cfg.pretrainEpochs, batchSize: 100, lr: 1e-3 };
    await trainInRun(ctx, backbone, pre.train, pretraining, `pretrain-s${seed}`);
    const pretrainAcc = accuracy(backbone, pre.test);
    // The frozen trunk: every layer but the pretraining head.
    const w = backbone.weights();
    const trunk = CompressNet.fromWeights(
      backbone.specs.slice(0, -1),
      backbone.inputShape,
      w.slice(0, -1),
      'trunk',
    );
    disposables.push(trunk);
    // Few-shot draw: `shots` images per downstream class, different per seed.
    const perm = ctx.rng.split(`shots-s${seed}`).permutation(down.train.n);
    const taken = new Array<number>(down.train.classes).fill(0);
    const idx: number[] = [];
    for (const j of perm)
      if (taken[down.train.y[j]!]! < cfg.shots) {
        taken[down.train.y[j]!]!++;
        idx.push(j);
      }
    const shots = pickExamples(down.train, idx);
    const out = { pretrainAcc } as Cell;
    for (const method of METHODS) {
      const rank = method === 'lowrank' ? Math.max(1, Math.round(cfg.rank / 32)) : cfg.rank;
      const a = new Adapters(cfg.hidden, rank, down.train.classes, ctx.rng.split(`adapters-s${seed}`));
      disposables.push(a);
      const model = downstream(trunk, a, method);
      await trainClassifier(model, shots, {
        epochs: cfg.epochs,
        batchSize: cfg.batchSize,
        lr: cfg.lr,
        order: ctx.rng.split(`tune-s${seed}`),
        signal: ctx.signal,
      });
      out[method] = { acc: accuracy(model, down.test), bytes: adapterBytes(a, method) };
    }
    return out;
  } finally {
    for (const d of disposables) d.dispose();
  }
}
