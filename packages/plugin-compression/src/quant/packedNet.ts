import { runKernel } from '@paperlab/core/kernels';
import type { Activation } from '@paperlab/core/train';
import { activate } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { packedMatmulKernel } from '../kernels/packedMatmul.js';
import type { CompressNet } from '../nets/compressNet.js';
import { type PackBits, type PackedWeights, packedByteLength, packedGroups, packWeights } from './packed.js';

/** A dense net whose kernels are stored packed: what a low-bit model really occupies and how it runs. */
export interface PackedNet {
  layers: Array<{ weights: PackedWeights; bias: Float32Array | null; activation: Activation }>;
}

/** Packs every kernel of a dense-only net (flatten/activation layers allowed) to `bits` bits per weight. */
export function packDenseNet(net: CompressNet, bits: PackBits, o: { symmetric?: boolean } = {}): PackedNet {
  const layers: PackedNet['layers'] = [];
  for (const [i, l] of net.layers.entries()) {
    const spec = l.spec;
    if (spec.type === 'flatten') continue;
    if (spec.type !== 'dense')
      throw new Error(`packDenseNet: layer ${i} is '${spec.type}'; only dense layers can be packed`);
    const [rows, cols] = l.kernel!.shape as [number, number];
    layers.push({
      weights: packWeights(l.kernel!.dataSync() as Float32Array, rows, cols, bits, o),
      bias: l.bias ? Float32Array.from(l.bias.dataSync()) : null,
      activation: spec.activation ?? 'linear',
    });
  }
  return { layers };
}

/** Measured bytes of a packed net: packed codes, per-channel scales and zero points, float32 biases. */
export function packedNetByteLength(p: PackedNet): number {
  return p.layers.reduce((s, l) => s + packedByteLength(l.weights) + (l.bias?.byteLength ?? 0), 0);
}

/** Runs a packed net on a batch [B, inputs]: every layer through the packed-matmul kernel (no float kernel is built). */
export function packedNetForward(p: PackedNet, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    let h = tf.reshape(x, [x.shape[0]!, -1]) as tf.Tensor2D;
    for (const l of p.layers) {
      const w = l.weights;
      const y = runKernel(
        packedMatmulKernel,
        {
          x: h,
          groups: tf.tensor1d(packedGroups(w), 'int32'),
          scale: tf.tensor1d(w.scale),
          zero: tf.tensor1d(w.zero),
        },
        { bits: w.bits, rows: w.rows },
      );
      h = activate(l.bias ? tf.add(y, tf.tensor1d(l.bias)) : y, l.activation) as tf.Tensor2D;
    }
    return h;
  });
}
