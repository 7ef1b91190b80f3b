import type { CompressNet } from '../nets/compressNet.js';
import { geometricMedianScores, l1Scores, topUnits, type UnitScores } from './criteria.js';

/** A weight-only pruning criterion by name. */
export type WeightCriterion = 'l1' | 'geometric-median';

/** Scores of the units of weighted layer `layer` under a weight criterion. */
export function weightScores(net: CompressNet, layer: number, criterion: WeightCriterion): UnitScores {
  const l = net.layers[layer]!;
  const k = l.kernel!.dataSync() as Float32Array;
  const units = l.kernel!.shape[l.kernel!.shape.length - 1]!;
  return criterion === 'l1' ? l1Scores(k, units) : geometricMedianScores(k, units);
}

/** Sets the incoming weights and bias of the given units of a layer to zero (the net keeps its shape). */
export function zeroUnits(net: CompressNet, layer: number, units: readonly number[]): void {
  const w = net.weights();
  const lw = w[layer]!;
  const n = net.layers[layer]!.kernel!.shape.at(-1)!;
  const drop = new Set(units);
  for (let i = 0; i < lw.kernel.length; i++) if (drop.has(i % n)) lw.kernel[i] = 0;
  if (lw.bias) for (const u of drop) lw.bias[u] = 0;
  net.setWeights(w);
}

/**
 * One step of soft filter pruning (He et al. 2018/2019, the schedule FPGM uses): in each listed layer, the units
 * outside the top (1 − ratio) by `criterion` are zeroed but stay trainable. Returns the kept units per layer — the
 * structure to remove for good with `pruneUnits` after the last step.
 */
export function softPruneStep(
  net: CompressNet,
  layers: readonly number[],
  ratio: number,
  criterion: WeightCriterion,
): Map<number, number[]> {
  if (!(ratio >= 0 && ratio < 1))
    throw new RangeError(`softPruneStep: ratio must be in [0, 1), got ${ratio}`);
  const kept = new Map<number, number[]>();
  for (const l of layers) {
    const scores = weightScores(net, l, criterion);
    const keep = topUnits(scores, Math.max(1, Math.round((1 - ratio) * scores.length)));
    const set = new Set(keep);
    zeroUnits(
      net,
      l,
      Array.from({ length: scores.length }, (_, u) => u).filter((u) => !set.has(u)),
    );
    kept.set(l, keep);
  }
  return kept;
}
