import type { Rng } from '@paperlab/core';
import type { LayerSpec } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { CompressNet, type LayerWeights } from '../nets/compressNet.js';

/** The weighted layer that consumes layer `i`'s units (next dense/conv), or -1 when `i` feeds the output. */
export function consumerOf(specs: readonly LayerSpec[], i: number): number {
  for (let j = i + 1; j < specs.length; j++)
    if (specs[j]!.type === 'dense' || specs[j]!.type === 'conv2d') return j;
  return -1;
}

/** Indices of `kernel`'s entries whose last-axis (output channel) index is in `keep`, row-major order. */
function keepOutputs(kernel: Float32Array, units: number, keep: readonly number[]): Float32Array {
  const fan = kernel.length / units;
  const out = new Float32Array(fan * keep.length);
  for (let r = 0; r < fan; r++)
    for (const [j, u] of keep.entries()) out[r * keep.length + j] = kernel[r * units + u]!;
  return out;
}

/**
 * Structured pruning of a chain net: removes the units (dense neurons / conv filters) of each layer not listed in
 * `keep` (layer index → kept unit indices), together with their biases and every weight that reads them in the
 * consuming layer — conv input channels, dense rows, or, after a flatten of [h, w, c] maps, the h·w rows per
 * channel. Returns a new, physically smaller net; the input net is untouched. The output layer cannot be pruned.
 */
export function pruneUnits(
  net: CompressNet,
  keep: ReadonlyMap<number, readonly number[]>,
  rng?: Rng,
): CompressNet {
  const specs = net.specs.map((s) => ({ ...s })) as LayerSpec[];
  const weights = net.weights();
  for (const [i, kept] of [...keep.entries()].sort((a, b) => a[0] - b[0])) {
    const layer = net.layers[i];
    const spec = specs[i]!;
    if (!layer?.kernel || (spec.type !== 'dense' && spec.type !== 'conv2d'))
      throw new Error(`pruneUnits: layer ${i} is not a dense or conv layer`);
    const consumer = consumerOf(specs, i);
    if (consumer < 0)
      throw new Error(`pruneUnits: layer ${i} is the output layer; its units cannot be removed`);
    const units = spec.type === 'dense' ? spec.units : spec.filters;
    const sorted = [...new Set(kept)].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted[0]! < 0 || sorted[sorted.length - 1]! >= units)
      throw new RangeError(`pruneUnits: layer ${i} keeps [${kept}] of ${units} units`);
    const w = weights[i]!;
    weights[i] = {
      kernel: keepOutputs(w.kernel, units, sorted),
      bias: w.bias ? Float32Array.from(sorted, (u) => w.bias![u]!) : null,
    };
    if (spec.type === 'dense') spec.units = sorted.length;
    else spec.filters = sorted.length;
    // Re-wire the consumer: keep only the input rows that read a surviving unit.
    const cw = weights[consumer]!;
    const cspec = specs[consumer]!;
    const cLayer = net.layers[consumer]!;
    const cUnits = cspec.type === 'dense' ? cspec.units : (cspec as { filters: number }).filters;
    const inShape = cLayer.inShape;
    let rowsKept: number[];
    if (cspec.type === 'conv2d') {
      const k = cspec.kernel;
      const cin = inShape[2]!;
      rowsKept = [];
      for (let a = 0; a < k * k; a++) for (const u of sorted) rowsKept.push(a * cin + u);
    } else if (inShape.length === 1 && inShape[0] === units) rowsKept = sorted;
    else {
      // Dense after flatten of [h, w, units] maps: row index = position·units + channel.
      const positions = inShape[0]! / units;
      if (!Number.isInteger(positions))
        throw new Error(
          `pruneUnits: cannot map layer ${i}'s ${units} units onto layer ${consumer}'s ${inShape[0]} inputs`,
        );
      rowsKept = [];
      for (let p = 0; p < positions; p++) for (const u of sorted) rowsKept.push(p * units + u);
    }
    const ck = new Float32Array(rowsKept.length * cUnits);
    for (const [j, r] of rowsKept.entries())
      ck.set(cw.kernel.subarray(r * cUnits, (r + 1) * cUnits), j * cUnits);
    weights[consumer] = { kernel: ck, bias: cw.bias };
  }
  return CompressNet.fromWeights(specs, net.inputShape, weights, `${net.name}-pruned`, rng);
}

/** Unstructured masks: layer index → 0/1 per kernel entry (same layout as the kernel). */
export type WeightMasks = Map<number, Float32Array>;

/**
 * Magnitude masks keeping the largest |w| of every weighted layer's kernel: `sparsity` is the fraction removed,
 * per layer (`scope: 'layer'`) or over all kernels at once (`'global'`). Biases are never masked.
 */
export function magnitudeMasks(
  net: CompressNet,
  sparsity: number,
  scope: 'layer' | 'global' = 'layer',
): WeightMasks {
  if (!(sparsity >= 0 && sparsity < 1))
    throw new RangeError(`magnitudeMasks: sparsity must be in [0, 1), got ${sparsity}`);
  const kernels = new Map<number, Float32Array>();
  for (const i of net.weightedLayers()) kernels.set(i, net.layers[i]!.kernel!.dataSync() as Float32Array);
  const threshold = (values: Float32Array[]): number => {
    const all = Float32Array.from(values.flatMap((v) => Array.from(v, Math.abs)));
    all.sort();
    const cut = Math.floor(sparsity * all.length);
    return cut === 0 ? -1 : all[cut - 1]!;
  };
  const global = scope === 'global' ? threshold([...kernels.values()]) : 0;
  const masks: WeightMasks = new Map();
  for (const [i, k] of kernels) {
    const t = scope === 'global' ? global : threshold([k]);
    // Ties at the threshold are removed in index order so exactly the requested count goes.
    const mask = new Float32Array(k.length);
    for (let j = 0; j < k.length; j++) mask[j] = Math.abs(k[j]!) > t ? 1 : 0;
    masks.set(i, mask);
  }
  return masks;
}

/** A weight hook that owns its mask tensors (call `dispose` when done). */
export type MaskHook = ((layer: number, kernel: tf.Tensor) => tf.Tensor) & { dispose(): void };

/** A weight hook multiplying each masked layer's kernel by its mask (masked weights get zero gradient too). */
export function maskHook(net: CompressNet, masks: WeightMasks): MaskHook {
  const tensors = new Map<number, tf.Tensor>();
  for (const [i, m] of masks) tensors.set(i, tf.tensor(m, net.layers[i]!.kernel!.shape));
  const hook = (layer: number, kernel: tf.Tensor) => {
    const m = tensors.get(layer);
    return m ? tf.mul(kernel, m) : kernel;
  };
  return Object.assign(hook, { dispose: () => tf.dispose([...tensors.values()]) });
}

/** Fraction of kernel weights that are exactly zero (after masks have been baked in). */
export function kernelSparsity(weights: readonly LayerWeights[]): number {
  let zeros = 0;
  let total = 0;
  for (const w of weights) {
    if (!w) continue;
    for (const v of w.kernel) if (v === 0) zeros++;
    total += w.kernel.length;
  }
  return total ? zeros / total : 0;
}

/** Multiplies masks into the net's kernels for good. */
export function bakeMasks(net: CompressNet, masks: WeightMasks): void {
  const w = net.weights();
  for (const [i, m] of masks) {
    const k = w[i]!.kernel;
    for (let j = 0; j < k.length; j++) k[j]! *= m[j]!;
  }
  net.setWeights(w);
}
