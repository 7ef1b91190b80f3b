import type { Rng } from '@paperlab/core';
import { adam, fit } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { Graph } from '../../graph/graph.js';
import { batchGraphs, inducedSubgraph } from '../../graph/graph.js';
import { type GraphTensors, graphTensors } from '../../graph/graphTensors.js';
import { haloPartitions } from '../../graph/partition.js';
import type { MeshGraphNet } from '../../models/meshGraphNet.js';
import { flat } from './equivalence.js';
import type { FieldSample } from './field.js';

/** One piece of the graph a model runs on: its structure and which global nodes it holds (inner first). */
export interface Piece {
  graph: Graph;
  nodes: Int32Array;
  inner: number;
}

/** The whole graph as one piece. */
export function wholePiece(g: Graph): Piece[] {
  return [{ graph: g, nodes: Int32Array.from({ length: g.numNodes }, (_, i) => i), inner: g.numNodes }];
}

/** One piece per partition, each with its `hops`-hop in-neighbourhood as a halo. */
export function haloPieces(g: Graph, part: Int32Array, hops: number): Piece[] {
  return haloPartitions(g, part, hops).map((p) => ({ graph: p.graph, nodes: p.nodes, inner: p.inner }));
}

/** One piece per partition without halos: the subgraph induced by the partition's nodes. */
export function noHaloPieces(g: Graph, part: ArrayLike<number>, parts: number): Piece[] {
  return Array.from({ length: parts }, (_, p) => {
    const ids = Array.from({ length: g.numNodes }, (_, i) => i).filter((i) => part[i] === p);
    const sub = inducedSubgraph(g, ids);
    return { graph: sub.graph, nodes: sub.nodes, inner: ids.length };
  });
}

/**
 * A piece's structure replicated for `batch` samples (block-diagonal) on the device, with row indices that
 * pick the piece's nodes out of the samples' full node arrays.
 */
export interface DevicePiece {
  gt: GraphTensors;
  rows: tf.Tensor1D;
  inner: tf.Tensor1D;
  edgeAttr: tf.Tensor2D;
  piece: Piece;
}

/** Puts a piece on the device for batches of `batch` samples of `n` nodes each. */
export function devicePiece(piece: Piece, batch: number, n: number): DevicePiece {
  const g = batchGraphs(Array.from({ length: batch }, () => piece.graph));
  const rows = new Int32Array(batch * piece.nodes.length);
  const inner: number[] = [];
  for (let b = 0; b < batch; b++)
    piece.nodes.forEach((v, i) => {
      rows[b * piece.nodes.length + i] = b * n + v;
      if (i < piece.inner) inner.push(b * piece.nodes.length + i);
    });
  return {
    gt: graphTensors(g),
    rows: tf.tensor1d(rows, 'int32'),
    inner: tf.tensor1d(inner, 'int32'),
    edgeAttr: tf.tensor2d(g.edgeAttr!.data, [g.src.length, 4]),
    piece,
  };
}

/** Frees a {@link devicePiece}'s tensors. */
export function disposePiece(d: DevicePiece): void {
  d.gt.dispose();
  tf.dispose([d.rows, d.inner, d.edgeAttr]);
}

/** The samples `idx` of `set` as one batch on the device: node features `[idx·n, 3]` and targets `[idx·n]`. */
export function sampleBatch(set: readonly FieldSample[], idx: ArrayLike<number>, n: number) {
  return {
    x: tf.tensor2d(Float32Array.from(Array.from(idx).flatMap((i) => Array.from(set[i]!.x))), [
      idx.length * n,
      3,
    ]),
    y: tf.tensor1d(Float32Array.from(Array.from(idx).flatMap((i) => Array.from(set[i]!.y)))),
  };
}

/** Σ over the pieces' inner nodes of (prediction − target)², divided by all nodes of the batch: the full MSE. */
function pieceLoss(
  model: MeshGraphNet,
  d: DevicePiece,
  x: tf.Tensor2D,
  y: tf.Tensor1D,
  total: number,
): tf.Scalar {
  return tf.tidy(() => {
    const pred = tf.reshape(model.apply(d.gt, tf.gather(x, d.rows) as tf.Tensor2D, d.edgeAttr), [-1]);
    const err = tf.sub(tf.gather(pred, d.inner), tf.gather(tf.gather(y, d.rows), d.inner));
    return tf.div(tf.sum(tf.square(err)), total) as tf.Scalar;
  });
}

/** Loss and gradients summed over pieces (gradient accumulation); the caller frees the gradients. */
export function accumulate(
  model: MeshGraphNet,
  pieces: DevicePiece[],
  x: tf.Tensor2D,
  y: tf.Tensor1D,
  total: number,
) {
  const vars = model.variables();
  let loss = 0;
  let acc: tf.Tensor[] | null = null;
  for (const d of pieces) {
    const { value, grads } = tf.variableGrads(() => pieceLoss(model, d, x, y, total), vars);
    loss += value.dataSync()[0]!;
    value.dispose();
    const list = vars.map((v) => grads[v.name]!);
    if (!acc) acc = list;
    else {
      const next: tf.Tensor[] = acc.map((a, i) => tf.add(a, list[i]!));
      tf.dispose([...acc, ...list]);
      acc = next;
    }
  }
  return { loss, grads: acc! };
}

/** The model's output at every node of one sample `x [n, 3]`, each node taken from the piece that owns it. */
export function nodeOutputs(model: MeshGraphNet, pieces: readonly Piece[], x: tf.Tensor2D, n: number) {
  const out = new Float64Array(n);
  for (const piece of pieces) {
    const one = devicePiece(piece, 1, n);
    const p = tf.tidy(() => model.apply(one.gt, tf.gather(x, one.rows) as tf.Tensor2D, one.edgeAttr));
    const v = p.dataSync();
    for (let i = 0; i < piece.inner; i++) out[piece.nodes[i]!] = v[i]!;
    p.dispose();
    disposePiece(one);
  }
  return out;
}

/** Test MSE (standardised units) and per-node mean squared error, running the model on each piece. */
export function evaluate(
  model: MeshGraphNet,
  pieces: DevicePiece[],
  test: readonly FieldSample[],
  n: number,
) {
  const perNode = new Float64Array(n);
  for (const s of test) {
    const x = tf.tensor2d(s.x, [n, 3]);
    for (const d of pieces) {
      const pred = tf.tidy(() => model.apply(d.gt, tf.gather(x, d.rows) as tf.Tensor2D, d.edgeAttr));
      const p = pred.dataSync();
      pred.dispose();
      for (let i = 0; i < d.piece.inner; i++) {
        const v = d.piece.nodes[i]!;
        perNode[v]! += (p[i]! - s.y[v]!) ** 2 / test.length;
      }
    }
    x.dispose();
  }
  return { mse: perNode.reduce((a, b) => a + b, 0) / n, perNode };
}

/**
 * Loss, flat gradient and the first sample's node outputs of `model` on a batch of `size` samples, computed
 * piece by piece (gradients accumulated over pieces): what the equivalence check compares.
 */
export function probePieces(
  model: MeshGraphNet,
  pieces: readonly Piece[],
  batch: { x: tf.Tensor2D; y: tf.Tensor1D },
  size: number,
  n: number,
) {
  const dev = pieces.map((p) => devicePiece(p, size, n));
  const r = accumulate(model, dev, batch.x, batch.y, size * n);
  const g = flat(r.grads);
  tf.dispose(r.grads);
  const x0 = tf.slice(batch.x, [0, 0], [n, 3]) as tf.Tensor2D;
  const out = nodeOutputs(model, pieces, x0, n);
  x0.dispose();
  for (const d of dev) disposePiece(d);
  return { loss: r.loss, g, out };
}

/** Options of {@link trainOnPieces}. */
export interface PieceTraining {
  train: readonly FieldSample[];
  test: readonly FieldSample[];
  /** Nodes of every sample. */
  n: number;
  lr: number;
  /** Samples per step (incomplete batches are dropped). */
  batch: number;
  /** Optimizer steps (rounded up to whole epochs). */
  steps: number;
  /** Batch order, shared by every variant compared. */
  order: Rng;
  signal: AbortSignal;
  label: string;
}

/**
 * Trains `model` with Adam on the pieces (gradients accumulated over pieces, so one step sees the whole
 * batch), then returns its test MSE and per-node squared error, evaluated piece by piece.
 */
export async function trainOnPieces(
  model: MeshGraphNet,
  pieces: readonly Piece[],
  o: PieceTraining,
): Promise<{ mse: number; perNode: Float64Array }> {
  const opt = adam(o.lr);
  const dev = pieces.map((p) => devicePiece(p, o.batch, o.n));
  const vars = model.variables();
  try {
    const perEpoch = Math.ceil(o.train.length / o.batch);
    await fit({
      n: o.train.length,
      epochs: Math.ceil(o.steps / perEpoch),
      batchSize: o.batch,
      dropRemainder: true,
      order: o.order,
      signal: o.signal,
      label: o.label,
      step: (idx) => {
        const b = sampleBatch(o.train, idx, o.n);
        const r = accumulate(model, dev, b.x, b.y, idx.length * o.n);
        opt.apply(vars, r.grads);
        tf.dispose([...r.grads, b.x, b.y]);
        return r.loss;
      },
    });
    const evalPieces = pieces.map((p) => devicePiece(p, 1, o.n));
    const result = evaluate(model, evalPieces, o.test, o.n);
    for (const d of evalPieces) disposePiece(d);
    return result;
  } finally {
    opt.dispose();
    for (const d of dev) disposePiece(d);
  }
}
