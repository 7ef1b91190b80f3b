import type * as tf from '@tensorflow/tfjs-core';
import { callWasm, release, wasmKernel } from './kernelCalls.js';

/**
 * UnsortedSegmentSum via wasm's ScatterNd, which accumulates duplicate indices: the aggregation behind
 * embeddings' gradients and message passing on graphs. Ids outside [0, numSegments) are dropped, as in TF.
 */
export const unsortedSegmentSumConfig: tf.KernelConfig = wasmKernel(
  'UnsortedSegmentSum',
  ({ inputs, attrs }, wasm) => {
    const x = inputs.x as tf.TensorInfo;
    const segmentIds = inputs.segmentIds as tf.TensorInfo;
    const { numSegments } = attrs as { numSegments: number };
    const idRank = segmentIds.shape.length;
    const n = segmentIds.shape.reduce((a, b) => a * b, 1);
    const sliceShape = x.shape.slice(idRank);
    const temps: tf.TensorInfo[] = [];
    const ids = wasm.readSync(segmentIds.dataId) as Int32Array;
    let valid = true;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (id < 0 || id >= numSegments) {
        valid = false;
        break;
      }
    }
    let updates = callWasm('Reshape', wasm, { x }, { shape: [n, ...sliceShape] });
    temps.push(updates);
    let indices: tf.TensorInfo;
    if (valid) {
      indices = callWasm('Reshape', wasm, { x: segmentIds }, { shape: [n, 1] });
    } else {
      // Keep only in-range ids.
      const keep: number[] = [];
      for (let i = 0; i < n; i++) if (ids[i]! >= 0 && ids[i]! < numSegments) keep.push(i);
      const keepInfo = wasm.makeOutput([keep.length], 'int32');
      (wasm.typedArrayFromHeap(keepInfo) as Int32Array).set(keep);
      temps.push(keepInfo);
      const gathered = callWasm(
        'GatherV2',
        wasm,
        { x: updates, indices: keepInfo },
        { axis: 0, batchDims: 0 },
      );
      temps.push(gathered);
      updates = gathered;
      indices = wasm.makeOutput([keep.length, 1], 'int32');
      const iv = wasm.typedArrayFromHeap(indices) as Int32Array;
      for (let k = 0; k < keep.length; k++) iv[k] = ids[keep[k]!]!;
    }
    temps.push(indices);
    const out = callWasm('ScatterNd', wasm, { indices, updates }, { shape: [numSegments, ...sliceShape] });
    for (const t of temps) release(wasm, t);
    return out;
  },
);
