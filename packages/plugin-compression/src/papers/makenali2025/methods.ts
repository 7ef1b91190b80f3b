import type { Rng, RunContext } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
import { createFitOptimizer } from '@paperlab/core/train';
import { type LayerBits, netCost } from '../../cost/accounting.js';
import { CompressNet, type ForwardHooks } from '../../nets/compressNet.js';
import { smallCnn, trainClassifier } from '../../nets/zoo.js';
import { softPruneStep, type WeightCriterion } from '../../prune/soft.js';
import { pruneUnits } from '../../prune/structured.js';
import { apotLevels, fakeQuantUniform, quantizeWeight, type WeightQuantizer } from '../../quant/fakeQuant.js';
import { packedByteLength, packLevels, packWeights } from '../../quant/packed.js';
import { accuracy } from '../../train/evaluate.js';
import type { Makenali2025Config } from './experiment.js';

/** The compared methods: float32, SPQ, PPQ, SPQ's ablations, and each technique alone. */
export const METHODS = ['fp', 'spq', 'ppq', 'spq-l1', 'spq-uniform', 'prune-only', 'quant-only'] as const;
/** One compared method. */
export type Method = (typeof METHODS)[number];

/** What each method does: pruning criterion (or none), weight quantiser (or none), and the schedule. */
function recipe(
  m: Method,
  bits: number,
): { prune: WeightCriterion | null; quant: WeightQuantizer | null; sequential: boolean } {
  const apot: WeightQuantizer = { kind: 'apot', bits, perChannel: true };
  const uniform: WeightQuantizer = { kind: 'uniform', bits, perChannel: true };
  switch (m) {
    case 'fp':
      return { prune: null, quant: null, sequential: false };
    case 'spq':
      return { prune: 'geometric-median', quant: apot, sequential: false };
    case 'ppq':
      return { prune: 'geometric-median', quant: apot, sequential: true };
    case 'spq-l1':
      return { prune: 'l1', quant: apot, sequential: false };
    case 'spq-uniform':
      return { prune: 'geometric-median', quant: uniform, sequential: false };
    case 'prune-only':
      return { prune: 'geometric-median', quant: null, sequential: false };
    case 'quant-only':
      return { prune: null, quant: apot, sequential: false };
  }
}

/** Quantisation-aware hooks: weights through `q`, the ReLU outputs of every weighted layer but the last through b-bit uniform (per-batch range). */
function qatHooks(net: CompressNet, q: WeightQuantizer, bits: number): ForwardHooks {
  const weighted = net.weightedLayers();
  const inner = new Set(weighted.slice(0, -1));
  return {
    weight: (_, k) => quantizeWeight(k, q),
    output: (l, y) => (inner.has(l) ? fakeQuantUniform(y, { bits, symmetric: false }) : y),
  };
}

/** Packed bytes of the net's weights under quantiser `q` (codes + per-channel scales) plus float32 biases. */
function measuredBytes(net: CompressNet, q: WeightQuantizer | null): number {
  let bytes = 0;
  for (const l of net.weightedLayers()) {
    const k = net.layers[l]!.kernel!;
    const cols = k.shape.at(-1)!;
    const rows = k.size / cols;
    const w = k.dataSync() as Float32Array;
    if (!q) bytes += w.byteLength;
    else if (q.kind === 'apot') bytes += packedByteLength(packLevels(w, rows, cols, apotLevels(q.bits)));
    else bytes += packedByteLength(packWeights(w, rows, cols, q.kind === 'uniform' ? (q.bits as 2 | 4) : 4));
    bytes += 4 * (net.layers[l]!.bias?.size ?? 0);
  }
  return bytes;
}

/** One method on one seed: test accuracy, packed bytes, counted BOPs, parameters of the pruned net. */
export type Cell = { acc: number; bytes: number; bops: number; params: number };

/** Trains one method on one seed (same init, same batches for all), prunes for good, and measures it. */
export async function runMethod(
  ctx: RunContext,
  cfg: Makenali2025Config,
  data: ImageSplits,
  m: Method,
  seed: number,
): Promise<Cell> {
  const r = recipe(m, cfg.bits);
  const specs = smallCnn({ filters: cfg.filters, hidden: cfg.hidden, classes: data.train.classes });
  let net = CompressNet.build(specs, data.train.shape, ctx.rng.split(`init-s${seed}`), 'cnn');
  const convs = net.weightedLayers().filter((l) => net.specs[l]!.type === 'conv2d');
  const order: Rng = ctx.rng.split(`order-s${seed}`);
  const pruneEpochs = r.sequential ? cfg.epochs - cfg.quantEpochs : cfg.epochs;
  let optimizer = createFitOptimizer({ type: 'adam', lr: cfg.lr });
  let kept: Map<number, number[]> | null = null;
  try {
    if (r.quant && !r.sequential) net.hooks = qatHooks(net, r.quant, cfg.bits);
    for (let t = 0; t < cfg.epochs; t++) {
      if (r.sequential && t === pruneEpochs) {
        // PPQ: the pruned float model is cut down for good, then fine-tuned with quantisation.
        const small = pruneUnits(net, kept!);
        net.dispose();
        net = small;
        kept = null;
        optimizer.dispose();
        optimizer = createFitOptimizer({ type: 'adam', lr: cfg.lr });
        net.hooks = qatHooks(net, r.quant!, cfg.bits);
      }
      await trainClassifier(net, data.train, {
        epochs: 1,
        batchSize: cfg.batchSize,
        lr: cfg.lr,
        order: order.split(`epoch-${t}`),
        signal: ctx.signal,
        optimizer,
      });
      if (r.prune && t < pruneEpochs) kept = softPruneStep(net, convs, cfg.pruneRatio, r.prune);
    }
    if (kept) {
      const hooks = net.hooks;
      const small = pruneUnits(net, kept);
      net.dispose();
      net = small;
      net.hooks = r.quant ? qatHooks(net, r.quant, cfg.bits) : hooks;
    }
    const weighted = net.weightedLayers();
    const bits = new Map<number, LayerBits>(
      weighted.map((l, i) => [
        l,
        r.quant ? { weight: cfg.bits, activation: i === 0 ? 8 : cfg.bits } : { weight: 32, activation: 32 },
      ]),
    );
    const cost = netCost(net.specs, net.inputShape, bits);
    return {
      acc: accuracy(net, data.test),
      bytes: measuredBytes(net, r.quant),
      bops: cost.bops,
      params: net.paramCount(),
    };
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}
