import type { Rng } from '@paperlab/core';
import { adam } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { type Graph, makeGraph } from '../../graph/graph.js';
import { graphTensors } from '../../graph/graphTensors.js';
import { GcnConv } from '../../layers/conv.js';
import { Linear } from '../../layers/linear.js';
import { gradientStep } from '../../train/gradientStep.js';
import { argmaxRows, maskedCrossEntropy, predictClasses } from '../../train/metrics.js';
import type { Park2024Config } from './experiment.js';

/** Peak bytes of tensors alive at the end of a step's forward pass, above the step's start (updated in place). */
export interface PeakBytes {
  v: number;
}

/** Measures the tensor bytes alive at the end of `f` (the activations kept for the backward pass). */
function kept(start: number, peak: PeakBytes): void {
  peak.v = Math.max(peak.v, tf.memory().numBytes - start);
}

/** Logits of nodes against the class (virtual-node) embeddings: scaled dot products or cosines. */
function similarityLogits(
  h: tf.Tensor2D,
  classEmb: tf.Tensor2D,
  temperature: number,
  kind: 'dot' | 'cosine',
): tf.Tensor2D {
  return tf.tidy(() => {
    if (kind === 'dot')
      return tf.div(tf.matMul(h, classEmb, false, true), temperature * Math.sqrt(h.shape[1])) as tf.Tensor2D;
    const a = tf.div(h, tf.add(tf.norm(h, 'euclidean', 1, true), 1e-8));
    const b = tf.div(classEmb, tf.add(tf.norm(classEmb, 'euclidean', 1, true), 1e-8));
    return tf.div(tf.matMul(a, b, false, true), temperature) as tf.Tensor2D;
  });
}

/** Every row scaled to unit length (zero rows stay zero). */
function unitRows(h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(h, tf.add(tf.norm(h, 'euclidean', 1, true), 1e-8)) as tf.Tensor2D);
}

/**
 * The graph with one virtual node per class, linked both ways to the training nodes of that class
 * (ForwardGNN's label-as-node trick); virtual nodes start from their class's mean training features.
 */
function withVirtualNodes(g: Graph, labels: Int32Array, train: Int32Array, classes: number): Graph {
  const n = g.numNodes;
  const src = Array.from(g.src);
  const dst = Array.from(g.dst);
  for (const i of train) {
    src.push(i, n + labels[i]!);
    dst.push(n + labels[i]!, i);
  }
  const dim = g.x!.dim;
  const x = new Float32Array((n + classes) * dim);
  x.set(g.x!.data);
  const count = new Float32Array(classes);
  for (const i of train) {
    count[labels[i]!]!++;
    for (let f = 0; f < dim; f++) x[(n + labels[i]!) * dim + f]! += g.x!.data[i * dim + f]!;
  }
  for (let c = 0; c < classes; c++)
    for (let f = 0; f < dim; f++) x[(n + c) * dim + f]! /= Math.max(1, count[c]!);
  return makeGraph(n + classes, src, dst, { x: { data: x, dim } });
}

/**
 * End-to-end training with backpropagation: L GCN layers (or dense layers for the MLP), the last mapping to
 * classes; returns the predicted class of every node.
 */
export function trainEndToEnd(
  cfg: Park2024Config,
  method: 'mlp' | 'backprop',
  graph: Graph,
  labels: tf.Tensor1D,
  trainMask: tf.Tensor1D,
  init: Rng,
  peak: PeakBytes,
): Int32Array {
  const C = cfg.classes;
  const gt = graphTensors(graph);
  const dims = [cfg.featureDim, ...new Array<number>(cfg.layers - 1).fill(cfg.hidden), C];
  const layers = dims
    .slice(1)
    .map((d, l) =>
      method === 'mlp'
        ? new Linear(init.split(`l${l}`), dims[l]!, d)
        : new GcnConv(init.split(`l${l}`), dims[l]!, d),
    );
  const forward = () => {
    let h = gt.x!;
    layers.forEach((layer, l) => {
      h = layer instanceof Linear ? layer.apply(h) : layer.apply(gt, h);
      if (l < layers.length - 1) h = tf.relu(h) as tf.Tensor2D;
    });
    return h;
  };
  const vars = layers.flatMap((l) => l.variables());
  const opt = adam(cfg.lr);
  for (let e = 0; e < cfg.epochs; e++) {
    const start = tf.memory().numBytes;
    gradientStep(vars, opt, () => {
      const loss = maskedCrossEntropy(forward(), labels, trainMask);
      kept(start, peak);
      return loss;
    });
  }
  const pred = predictClasses(forward);
  opt.dispose();
  for (const l of layers) l.dispose();
  gt.dispose();
  return pred;
}

/**
 * Forward learning (ForwardGNN-SF): each layer trained by its own loss on its detached input, in one forward
 * sweep per epoch; the labels enter as virtual class nodes (no negative samples). With `topDown` each layer
 * also sees the layer above from the previous sweep. Returns the predicted class of every node.
 */
export function trainForward(
  cfg: Park2024Config,
  topDown: boolean,
  data: { graph: Graph; labels: Int32Array },
  train: Int32Array,
  init: Rng,
  peak: PeakBytes,
): Int32Array {
  const n = cfg.nodes;
  const C = cfg.classes;
  const aug = withVirtualNodes(data.graph, data.labels, train, C);
  const gt = graphTensors(aug);
  const d = cfg.hidden;
  const layers = Array.from(
    { length: cfg.layers },
    (_, l) =>
      new GcnConv(
        init.split(`f${l}`),
        (l === 0 ? cfg.featureDim : d) + (topDown && l < cfg.layers - 1 ? d : 0),
        d,
      ),
  );
  const opts = layers.map(() => adam(cfg.lr));
  const trainIdx = tf.tensor1d(train, 'int32');
  const virtIdx = tf.tensor1d(
    Int32Array.from({ length: C }, (_, c) => n + c),
    'int32',
  );
  const trainLabels = tf.tensor1d(
    Int32Array.from(train, (i) => data.labels[i]!),
    'int32',
  );
  // Top-down signal: the layer above's output from the previous sweep (zeros at first).
  let upper: tf.Tensor2D[] = layers.map(() => tf.zeros([aug.numNodes, d]) as tf.Tensor2D);
  const layerInput = (l: number, below: tf.Tensor2D) =>
    topDown && l < cfg.layers - 1 ? (tf.concat([below, upper[l + 1]!], 1) as tf.Tensor2D) : below;
  const sweep = (trainStep: boolean): tf.Tensor2D[] => {
    const outs: tf.Tensor2D[] = [];
    let below = gt.x!;
    layers.forEach((layer, l) => {
      const input = layerInput(l, below);
      if (trainStep) {
        const start = tf.memory().numBytes;
        gradientStep(layer.variables(), opts[l]!, () => {
          const h = tf.relu(layer.apply(gt, input)) as tf.Tensor2D;
          const logits = similarityLogits(
            tf.gather(h, trainIdx) as tf.Tensor2D,
            tf.gather(h, virtIdx) as tf.Tensor2D,
            cfg.temperature,
            cfg.similarity,
          );
          const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(trainLabels, C), logits) as tf.Scalar;
          kept(start, peak);
          return loss;
        });
      }
      // Rows are L2-normalised before they go up: the cosine loss does not fix the scale, which would
      // otherwise drift with training (as in forward-forward learning).
      const out = tf.tidy(() => unitRows(tf.relu(layer.apply(gt, input)) as tf.Tensor2D));
      if (input !== below) input.dispose();
      outs.push(out);
      below = out;
    });
    return outs;
  };
  for (let e = 0; e < cfg.epochs; e++) {
    const outs = sweep(true);
    tf.dispose(upper);
    upper = outs;
  }
  // Inference: one more sweep (with the last top-down signals), then the similarity to the class nodes,
  // summed over layers.
  const outs = sweep(false);
  const score = tf.tidy(() =>
    tf.addN(
      outs.map((h) =>
        similarityLogits(
          tf.slice(h, [0, 0], [n, d]) as tf.Tensor2D,
          tf.gather(h, virtIdx) as tf.Tensor2D,
          1,
          cfg.similarity,
        ),
      ),
    ),
  );
  const pred = argmaxRows(score.dataSync(), C);
  tf.dispose([score, ...outs, ...upper, trainIdx, virtIdx, trainLabels]);
  for (const o of opts) o.dispose();
  for (const l of layers) l.dispose();
  gt.dispose();
  return pred;
}
