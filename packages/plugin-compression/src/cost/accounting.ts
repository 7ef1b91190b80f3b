import type { LayerSpec } from '@paperlab/core/train';
import { kernelShape, layerOutShape } from '../nets/compressNet.js';

/** Bit widths of one layer's weights and input activations (32 = float). */
export interface LayerBits {
  weight: number;
  activation: number;
}

/** Cost of one layer for one example. */
export interface LayerCost {
  layer: number;
  type: LayerSpec['type'];
  /** Kernel weights (biases counted apart). */
  weights: number;
  biases: number;
  /** Multiply-accumulates of the layer (dense/conv; 0 elsewhere). */
  macs: number;
  /** FLOPs = 2·MACs (a multiply and an add). */
  flops: number;
  /** Bit operations = MACs · weight bits · activation bits (Baskin et al.; the measure HAWQ and APoT report). */
  bops: number;
  /** Storage of the kernel at its weight bits plus float32 biases, in bytes (counted, not measured). */
  bytes: number;
}

/** Totals over the layers of a net. */
export interface NetCost {
  layers: LayerCost[];
  weights: number;
  macs: number;
  flops: number;
  bops: number;
  bytes: number;
}

/**
 * FLOPs, BOPs, parameters and counted bytes of a dense/conv stack for one example, with per-layer bit widths (a
 * layer index missing from `bits` is float32). Measured bytes of packed weights come from `packedByteLength`.
 */
export function netCost(
  specs: readonly LayerSpec[],
  inputShape: readonly number[],
  bits: ReadonlyMap<number, LayerBits> = new Map(),
): NetCost {
  const layers: LayerCost[] = [];
  let shape = [...inputShape];
  specs.forEach((spec, i) => {
    const out = layerOutShape(spec, shape, i);
    const k = kernelShape(spec, shape);
    const b = bits.get(i) ?? { weight: 32, activation: 32 };
    let weights = 0;
    let biases = 0;
    let macs = 0;
    if (k) {
      weights = k.reduce((a, v) => a * v, 1);
      biases = k[k.length - 1]!;
      const positions = spec.type === 'conv2d' ? out[0]! * out[1]! : 1;
      macs = weights * positions;
    }
    layers.push({
      layer: i,
      type: spec.type,
      weights,
      biases,
      macs,
      flops: 2 * macs,
      bops: macs * b.weight * b.activation,
      bytes: (weights * b.weight) / 8 + 4 * biases,
    });
    shape = out;
  });
  const sum = (key: 'weights' | 'macs' | 'flops' | 'bops' | 'bytes') =>
    layers.reduce((a, l) => a + l[key], 0);
  return {
    layers,
    weights: sum('weights'),
    macs: sum('macs'),
    flops: sum('flops'),
    bops: sum('bops'),
    bytes: sum('bytes'),
  };
}
