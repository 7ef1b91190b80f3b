import type { Rng } from '@paperlab/core';
import type { ParamLoss, TraceEstimate } from '@paperlab/core/train';
import { hutchinsonTrace, softmaxCrossEntropy, topHessianEigenvalues } from '@paperlab/core/train';
import type * as tf from '@tensorflow/tfjs-core';
import type { CompressNet } from '../nets/compressNet.js';

/** The net's mean cross-entropy on a batch as a function of its parameters (in `variables()` order). */
export function netLoss(net: CompressNet, x: tf.Tensor, labels: tf.Tensor): ParamLoss {
  return (params) => softmaxCrossEntropy(net.forwardParams(x, params, { training: false }), labels);
}

/** One block per weighted layer (its kernel and bias), in layer order. */
export function layerBlocks(net: CompressNet): { layers: number[]; blocks: number[][] } {
  const owner = net.variableLayers();
  const layers = net.weightedLayers();
  return { layers, blocks: layers.map((l) => owner.flatMap((o, i) => (o === l ? [i] : []))) };
}

/**
 * Hutchinson estimate of Tr(H_l) for every weighted layer l of the net (kernel and bias block of the Hessian of the
 * cross-entropy on `x`), HAWQ-V2's sensitivity: `samples` Rademacher probes over all layers at once, or (`per-block`)
 * inside each layer separately, which resolves small layers at one product per layer and sample.
 */
export function layerHessianTraces(
  net: CompressNet,
  x: tf.Tensor,
  labels: tf.Tensor,
  rng: Rng,
  samples: number,
  probe: 'joint' | 'per-block' = 'joint',
): TraceEstimate & { layers: number[] } {
  const { layers, blocks } = layerBlocks(net);
  const est = hutchinsonTrace(netLoss(net, x, labels), net.variables(), rng, { samples, blocks, probe });
  return { ...est, layers };
}

/** Top Hessian eigenvalue of every weighted layer's diagonal block (HAWQ-V1's sensitivity), by power iteration. */
export function layerTopEigenvalues(
  net: CompressNet,
  x: tf.Tensor,
  labels: tf.Tensor,
  rng: Rng,
  iterations = 20,
): { layers: number[]; values: number[] } {
  const { layers, blocks } = layerBlocks(net);
  const values = topHessianEigenvalues(netLoss(net, x, labels), net.variables(), rng, { iterations, blocks });
  return { layers, values };
}
