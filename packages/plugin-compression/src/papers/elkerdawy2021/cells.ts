import type { RunContext } from '@paperlab/core';
import { headOf, type ImageSplits } from '@paperlab/core/data';
import { mean } from '@paperlab/core/kit';
import { netCost } from '../../cost/accounting.js';
import { CompressNet } from '../../nets/compressNet.js';
import { trainInRun } from '../../nets/zoo.js';
import { l1Scores, topUnits } from '../../prune/criteria.js';
import { gateHooks, MaskPredictors, trainMaskPredictors } from '../../prune/dynamic.js';
import { pruneUnits } from '../../prune/structured.js';
import { accuracy } from '../../train/evaluate.js';
import type { Elkerdawy2021Config } from './experiment.js';
import { dynamicFlops, ftwtCnn, GATED, headBalancedAccuracy } from './ftwtNet.js';

/** One seed of elkerdawy2021: accuracy and FLOPs of the four models, the heads' balanced accuracy, active shares. */
export type Cell = Record<`acc_${'full' | 'dynamic' | 'static' | 'narrow'}`, number> &
  Record<`flops_${'full' | 'dynamic' | 'static' | 'narrow'}`, number> & {
    headBalanced: number;
    active: number[];
  };

/**
 * One seed of elkerdawy2021: the full CNN pretrained, its mask predictors trained, then the dynamic (gated and
 * fine-tuned), static (L1-pruned to the same mean widths, same fine-tuning) and narrow-from-scratch models.
 */
export async function runSeed(
  ctx: RunContext,
  cfg: Elkerdawy2021Config,
  data: ImageSplits,
  seed: number,
): Promise<Cell> {
  const classes = data.train.classes;
  const train = (net: CompressNet, epochs: number, tag: string) =>
    trainInRun(ctx, net, data.train, { ...cfg, epochs }, `${tag}-s${seed}`);
  const net = CompressNet.build(
    ftwtCnn(cfg.filters, classes),
    data.train.shape,
    ctx.rng.split(`init-s${seed}`),
    'cnn',
  );
  const heads = MaskPredictors.build(net, GATED, ctx.rng.split(`heads-s${seed}`));
  const disposables: Array<{ dispose(): void }> = [net, heads];
  try {
    await train(net, cfg.epochs, 'pretrain');
    const accFull = accuracy(net, data.test);
    const flopsFull = netCost(net.specs, net.inputShape).flops;
    await trainMaskPredictors(net, heads, data.train, {
      tau: cfg.tau,
      epochs: cfg.headEpochs,
      batchSize: cfg.batchSize,
      lr: cfg.lr,
      order: ctx.rng.split(`heads-order-s${seed}`),
      signal: ctx.signal,
    });
    const headBalanced = headBalancedAccuracy(net, heads, headOf(data.test, 500), cfg.tau);
    // Dynamic: the backbone is fine-tuned with the heads' masks in place (heads frozen: FTWT's decoupled mode).
    const dyn = net.clone('dynamic');
    disposables.push(dyn);
    dyn.hooks = gateHooks(heads);
    await train(dyn, cfg.fineTuneEpochs, 'finetune');
    const counts = new Map<number, Int32Array>(GATED.map((l) => [l, new Int32Array(data.test.n)]));
    let offset = 0;
    dyn.hooks = gateHooks(heads, (l, mask, c) => {
      const rows = mask.length / c;
      const arr = counts.get(l)!;
      for (let i = 0; i < rows; i++)
        arr[offset + i] = mask.subarray(i * c, (i + 1) * c).reduce((s, v) => s + v, 0);
      if (l === GATED[GATED.length - 1]) offset += rows;
    });
    const accDynamic = accuracy(dyn, data.test);
    const flopsDynamic = dynamicFlops(dyn, counts, data.test.n);
    const active = GATED.map((l) => mean(counts.get(l)!));
    // Static: L1-norm filter pruning of the pretrained net to the dynamic net's mean widths, same fine-tuning.
    const keep = new Map(
      GATED.map((l, i) => {
        const k = net.layers[l]!.kernel!;
        const s = l1Scores(k.dataSync() as Float32Array, k.shape.at(-1)!);
        return [l, topUnits(s, Math.max(1, Math.round(active[i]!)))] as const;
      }),
    );
    const stat = pruneUnits(net, keep);
    disposables.push(stat);
    await train(stat, cfg.fineTuneEpochs, 'finetune');
    const accStatic = accuracy(stat, data.test);
    const flopsStatic = netCost(stat.specs, stat.inputShape).flops;
    // A dense net of the same (static) widths trained from scratch with the whole budget.
    const narrowF: [number, number, number] = [cfg.filters[0], keep.get(2)!.length, keep.get(4)!.length];
    const narrow = CompressNet.build(
      ftwtCnn(narrowF, classes),
      data.train.shape,
      ctx.rng.split(`narrow-s${seed}`),
      'narrow',
    );
    disposables.push(narrow);
    await train(narrow, cfg.epochs + cfg.fineTuneEpochs, 'pretrain');
    return {
      acc_full: accFull,
      acc_dynamic: accDynamic,
      acc_static: accStatic,
      acc_narrow: accuracy(narrow, data.test),
      flops_full: flopsFull,
      flops_dynamic: flopsDynamic,
      flops_static: flopsStatic,
      flops_narrow: netCost(narrow.specs, narrow.inputShape).flops,
      headBalanced,
      active: active.map((a, i) => a / net.layers[GATED[i]!]!.outShape[2]!),
    };
  } finally {
    for (const d of disposables) d.dispose();
  }
}
