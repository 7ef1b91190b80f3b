import type { LabelledArrays } from '@paperlab/core/data';
import type { LayerSpec } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { netCost } from '../../cost/accounting.js';
import type { CompressNet } from '../../nets/compressNet.js';
import { type MaskPredictors, massMasks } from '../../prune/dynamic.js';

/** The CNN: conv → pool → conv → pool → conv → global average pool → dense; the 2nd and 3rd convs are gated. */
export function ftwtCnn(f: readonly [number, number, number], classes: number): LayerSpec[] {
  return [
    { type: 'conv2d', filters: f[0], kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'conv2d', filters: f[1], kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'conv2d', filters: f[2], kernel: 3, activation: 'relu' },
    { type: 'globalAvgPool' },
    { type: 'dense', units: classes },
  ];
}

/** The gated layers (2nd and 3rd convs). */
export const GATED = [2, 4] as const;

/**
 * Mean FLOPs of the gated net per test input: gated conv l computes a_l(x) filters, reading only the a_{l−1}(x)
 * active channels of a gated predecessor; the heads (C_in × C_out each) are added. `active` maps layer → per-input counts.
 */
export function dynamicFlops(net: CompressNet, active: Map<number, Int32Array>, n: number): number {
  const full = netCost(net.specs, net.inputShape);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let macs = 0;
    for (const c of full.layers) {
      const layer = net.layers[c.layer]!;
      if (!layer.kernel) continue;
      const out = layer.kernel.shape.at(-1)!;
      const inCh = layer.spec.type === 'conv2d' ? layer.inShape[2]! : layer.inShape[0]!;
      const aOut = active.get(c.layer)?.[i] ?? out;
      const prev = [...active.keys()].filter((g) => g < c.layer).pop();
      const aIn = prev !== undefined ? active.get(prev)![i]! : inCh;
      macs += c.macs * (aOut / out) * (aIn / inCh);
    }
    total += macs;
  }
  let heads = 0;
  for (const l of active.keys()) heads += net.layers[l]!.inShape[2]! * net.layers[l]!.outShape[2]!;
  return 2 * (total / n + heads);
}

/** Balanced accuracy of the heads' keep/drop decisions against the τ-mass targets on `data`. */
export function headBalancedAccuracy(
  net: CompressNet,
  heads: MaskPredictors,
  data: LabelledArrays,
  tau: number,
): number {
  const x = tf.tensor(data.x, [data.n, ...data.shape]);
  const acts = net.activations(x);
  let tp = 0;
  let tn = 0;
  let p = 0;
  let q = 0;
  for (const l of heads.heads.keys()) {
    const target = massMasks(acts[l]!, tau);
    const logits = heads.logits(l, acts[l - 1]!);
    const z = logits.dataSync();
    logits.dispose();
    for (let i = 0; i < target.length; i++) {
      if (target[i] === 1) {
        p++;
        if (z[i]! > 0) tp++;
      } else {
        q++;
        if (z[i]! <= 0) tn++;
      }
    }
  }
  tf.dispose([x, ...acts]);
  return ((p ? tp / p : 1) + (q ? tn / q : 1)) / 2;
}
