import { defineKernel, type HostTensor, runKernel } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { unaryGrad } from './unaryGrad.js';

/**
 * A segmentation of rows (e.g. edges grouped by destination node): `ids[e]` is the segment of row `e`.
 * Holds the device tensors the segment ops need; build with {@link segments}, release with `dispose()`.
 */
export interface Segments {
  /** Number of segments. */
  readonly count: number;
  /** Host copy of the ids. */
  readonly hostIds: Int32Array;
  /** Segment id of every row (int32). */
  readonly ids: tf.Tensor1D;
  /** Rows per segment, as a float column `[count, 1]` (at least 1, so means of empty segments are 0). */
  readonly sizes: tf.Tensor2D;
  /** Padded layout `[count, maxSize]`: the rows of each segment, then the padding row index (= rows). */
  slots(): tf.Tensor2D;
  dispose(): void;
}

/** Builds the {@link Segments} of `ids` (values in `[0, count)`). */
export function segments(ids: ArrayLike<number>, count: number): Segments {
  const hostIds = Int32Array.from(ids);
  const sizes = new Float32Array(count);
  for (let e = 0; e < hostIds.length; e++) {
    const s = hostIds[e]!;
    if (s < 0 || s >= count)
      throw new RangeError(`segments: row ${e} has segment ${s} outside 0…${count - 1}`);
    sizes[s]!++;
  }
  const idTensor = tf.keep(tf.tensor1d(hostIds, 'int32'));
  const sizeTensor = tf.keep(
    tf.tensor2d(
      sizes.map((v) => Math.max(1, v)),
      [count, 1],
    ),
  );
  let slotTensor: tf.Tensor2D | null = null;
  return {
    count,
    hostIds,
    ids: idTensor,
    sizes: sizeTensor,
    slots() {
      if (!slotTensor) {
        const width = Math.max(1, ...Array.from(sizes));
        const pad = hostIds.length;
        const slots = new Int32Array(count * width).fill(pad);
        const fill = new Int32Array(count);
        for (let e = 0; e < hostIds.length; e++) {
          const s = hostIds[e]!;
          slots[s * width + fill[s]!++] = e;
        }
        // Kept: built lazily, possibly inside a caller's tidy, and owned by this object.
        slotTensor = tf.keep(tf.tensor2d(slots, [count, width], 'int32'));
      }
      return slotTensor;
    },
    dispose() {
      tf.dispose([idTensor, sizeTensor]);
      slotTensor?.dispose();
      slotTensor = null;
    },
  };
}

type SegmentInputs = { data: tf.Tensor2D; ids: tf.Tensor1D };

function hostSegmentSum(data: HostTensor, ids: HostTensor, count: number): HostTensor {
  const [rows, f] = data.shape as [number, number];
  const out = new Float32Array(count * f);
  const x = data.values;
  const s = ids.values;
  for (let e = 0; e < rows; e++) {
    const o = s[e]! * f;
    const i = e * f;
    for (let k = 0; k < f; k++) out[o + k]! += x[i + k]!;
  }
  return { shape: [count, f], values: out };
}

/**
 * Sum of the rows of each segment (TF's UnsortedSegmentSum). On the `cpu` backend, whose own kernel is slow,
 * a typed-array loop runs instead; `wasm` uses core's scatter-based kernel.
 */
export const segmentSumKernel = defineKernel({
  name: 'gnn/segment-sum',
  description: 'Sum of the rows of data [rows, f] per segment id: out [count, f]',
  reference: ({ data, ids }: SegmentInputs, a: { count: number }) =>
    tf.unsortedSegmentSum(data, ids, a.count) as tf.Tensor2D,
  cpu: ({ data, ids }, a) => hostSegmentSum(data, ids, a.count),
  cpuOn: ['cpu'],
  examples: () => [
    {
      name: '7 rows × 3, 4 segments (one empty)',
      inputs: () => ({
        data: tf.tensor2d(
          Float32Array.from({ length: 21 }, (_, i) => Math.sin(i)),
          [7, 3],
        ),
        ids: tf.tensor1d([0, 2, 2, 1, 0, 2, 1], 'int32'),
      }),
      attrs: { count: 4 },
    },
  ],
});

function hostSegmentMax(data: HostTensor, ids: HostTensor, count: number): HostTensor {
  const [rows, f] = data.shape as [number, number];
  const out = new Float32Array(count * f).fill(Number.NEGATIVE_INFINITY);
  const x = data.values;
  const s = ids.values;
  for (let e = 0; e < rows; e++) {
    const o = s[e]! * f;
    for (let k = 0; k < f; k++) if (x[e * f + k]! > out[o + k]!) out[o + k] = x[e * f + k]!;
  }
  for (let i = 0; i < out.length; i++) if (out[i] === Number.NEGATIVE_INFINITY) out[i] = 0;
  return { shape: [count, f], values: out };
}

/** Padded layout of `ids` built with tensor ops only (for the reference). */
function referenceSegmentMax(data: tf.Tensor2D, slots: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const f = data.shape[1];
    const padded = tf.concat([data, tf.fill([1, f], -3.4e38)], 0);
    const m = tf.max(tf.gather(padded, slots), 1) as tf.Tensor2D;
    return tf.where(tf.less(m, -3e38), tf.zerosLike(m), m);
  });
}

/**
 * Maximum of the rows of each segment (0 for an empty segment). The reference gathers a padded
 * `[count, maxSize, f]` layout; the typed-array version scans once.
 */
export const segmentMaxKernel = defineKernel({
  name: 'gnn/segment-max',
  description: 'Maximum of the rows of data [rows, f] per segment (0 where empty): out [count, f]',
  reference: (
    { data, slots }: { data: tf.Tensor2D; ids: tf.Tensor1D; slots: tf.Tensor2D },
    _a: { count: number },
  ) => referenceSegmentMax(data, slots),
  cpu: ({ data, ids }, a) => hostSegmentMax(data, ids, a.count),
  examples: () => [
    {
      name: '6 rows × 2, 3 segments (one empty)',
      inputs: () => ({
        data: tf.tensor2d([1, -2, 3, 0.5, -1, 4, 2, 2, -3, -3, 0, 1], [6, 2]),
        ids: tf.tensor1d([0, 0, 2, 2, 0, 2], 'int32'),
        slots: tf.tensor2d([0, 1, 4, 6, 6, 6, 2, 3, 5], [3, 3], 'int32'),
      }),
      attrs: { count: 3 },
    },
  ],
});

/** Differentiable segment sum: `out[s] = Σ_{e: ids[e] = s} data[e]` (gradient: gather). */
export function segmentSum(data: tf.Tensor2D, seg: Segments): tf.Tensor2D {
  return unaryGrad(
    data,
    (d) => runKernel(segmentSumKernel, { data: d, ids: seg.ids }, { count: seg.count }),
    (dy) => runKernel(gatherRowsKernel, { x: dy, ids: seg.ids }, {}),
  );
}

/** Differentiable segment mean (0 for an empty segment). */
export function segmentMean(data: tf.Tensor2D, seg: Segments): tf.Tensor2D {
  return tf.tidy(() => tf.div(segmentSum(data, seg), seg.sizes));
}

/**
 * Differentiable segment max (0 for an empty segment). The gradient goes to the maximal rows, split evenly
 * between ties, as TF's reduce-max does.
 */
export function segmentMax(data: tf.Tensor2D, seg: Segments): tf.Tensor2D {
  return unaryGrad(
    data,
    (d) => runKernel(segmentMaxKernel, { data: d, ids: seg.ids, slots: seg.slots() }, { count: seg.count }),
    (dy, x, m) =>
      tf.tidy(() => {
        const mask = tf.cast(tf.equal(x, runKernel(gatherRowsKernel, { x: m, ids: seg.ids }, {})), 'float32');
        const ties = tf.maximum(segmentSum(mask as tf.Tensor2D, seg), 1);
        return tf.mul(
          runKernel(gatherRowsKernel, { x: tf.div(dy, ties) as tf.Tensor2D, ids: seg.ids }, {}),
          mask,
        );
      }),
  );
}

function hostGather(x: HostTensor, ids: HostTensor): HostTensor {
  const f = x.shape[1]!;
  const rows = ids.values.length;
  const out = new Float32Array(rows * f);
  const xv = x.values;
  const iv = ids.values;
  for (let e = 0; e < rows; e++) {
    const src = iv[e]! * f;
    const dst = e * f;
    for (let k = 0; k < f; k++) out[dst + k] = xv[src + k]!;
  }
  return { shape: [rows, f], values: out };
}

/**
 * Rows `ids` of `x` (tfjs' GatherV2 on axis 0). tfjs' own gather is slow on the cpu and wasm backends
 * (measured 5× a typed-array loop at 33k × 64), so those run a typed-array copy.
 */
export const gatherRowsKernel = defineKernel({
  name: 'gnn/gather-rows',
  description: 'Rows ids [rows] of x [n, f]: out [rows, f]',
  reference: ({ x, ids }: { x: tf.Tensor2D; ids: tf.Tensor1D }) => tf.gather(x, ids) as tf.Tensor2D,
  cpu: ({ x, ids }) => hostGather(x, ids),
  examples: () => [
    {
      name: '5 rows of a 4 × 3 matrix (repeats)',
      inputs: () => ({
        x: tf.tensor2d(
          Float32Array.from({ length: 12 }, (_, i) => i - 5.5),
          [4, 3],
        ),
        ids: tf.tensor1d([3, 0, 0, 2, 1], 'int32'),
      }),
      attrs: {},
    },
  ],
});

/**
 * Differentiable gather of rows `seg.ids` of `x` — the message step of message passing (e.g. source
 * features of every edge, with `seg` the edges grouped by source); its gradient is the segment sum of `dy`.
 */
export function gatherRows(x: tf.Tensor2D, seg: Segments): tf.Tensor2D {
  if (x.shape[0] !== seg.count)
    throw new RangeError(`gatherRows: x has ${x.shape[0]} rows but the segments index ${seg.count}`);
  return unaryGrad(
    x,
    (xi) => runKernel(gatherRowsKernel, { x: xi, ids: seg.ids }, {}),
    (dy) => segmentSum(dy, seg),
  );
}

/**
 * Softmax of edge scores over each segment (e.g. the in-edges of a node): `scores` is `[rows, heads]`.
 * The per-segment maximum is subtracted for stability; softmax is shift-invariant, so its gradient through
 * that maximum is zero.
 */
export function segmentSoftmax(scores: tf.Tensor2D, seg: Segments): tf.Tensor2D {
  return tf.tidy(() => {
    const m = runKernel(
      segmentMaxKernel,
      { data: scores, ids: seg.ids, slots: seg.slots() },
      { count: seg.count },
    );
    const ex = tf.exp(tf.sub(scores, runKernel(gatherRowsKernel, { x: m, ids: seg.ids }, {}))) as tf.Tensor2D;
    return tf.div(ex, gatherRows(segmentSum(ex, seg), seg)) as tf.Tensor2D;
  });
}
