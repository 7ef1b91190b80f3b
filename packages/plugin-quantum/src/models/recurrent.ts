import type { Rng } from '@paperlab/core';
import { type FitEpochRow, fit, initTensor, ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** Classical recurrent cells used as baselines. */
export type RnnKind = 'gru' | 'lstm';

/** Trainable parameters of a GRU/LSTM with a linear read-out, for a given size. */
export function rnnParamCount(kind: RnnKind, inputDim: number, hidden: number, outputs: number): number {
  const gates = kind === 'gru' ? 3 : 4;
  return gates * (inputDim * hidden + hidden * hidden + hidden) + hidden * outputs + outputs;
}

/** The hidden size whose parameter count is closest to `target` (ties: the smaller). */
export function matchHiddenSize(kind: RnnKind, inputDim: number, outputs: number, target: number): number {
  let best = 1;
  for (let h = 1; h <= 256; h++) {
    if (
      Math.abs(rnnParamCount(kind, inputDim, h, outputs) - target) <
      Math.abs(rnnParamCount(kind, inputDim, best, outputs) - target)
    ) {
      best = h;
    }
  }
  return best;
}

/**
 * A GRU or LSTM over sequences `[batch, T, inputDim]` with a linear read-out at every step (logits
 * `[batch, T, outputs]`), written with tfjs ops (backprop through time by autodiff).
 */
export class RecurrentNet {
  readonly kind: RnnKind;
  readonly inputDim: number;
  readonly hidden: number;
  readonly outputs: number;
  private readonly W: tf.Variable;
  private readonly U: tf.Variable;
  private readonly b: tf.Variable;
  private readonly Wo: tf.Variable;
  private readonly bo: tf.Variable;

  constructor(kind: RnnKind, inputDim: number, hidden: number, outputs: number, rng: Rng, name: string) {
    this.kind = kind;
    this.inputDim = inputDim;
    this.hidden = hidden;
    this.outputs = outputs;
    const g = kind === 'gru' ? 3 : 4;
    this.W = ownedVariable(
      initTensor([inputDim, g * hidden], 'glorot', rng.split('W'), inputDim, hidden),
      `${name}/W`,
    );
    this.U = ownedVariable(
      initTensor([hidden, g * hidden], 'glorot', rng.split('U'), hidden, hidden),
      `${name}/U`,
    );
    const bias = new Float32Array(g * hidden);
    if (kind === 'lstm') bias.fill(1, hidden, 2 * hidden); // forget-gate bias 1
    this.b = ownedVariable(tf.tensor1d(bias), `${name}/b`);
    this.Wo = ownedVariable(
      initTensor([hidden, outputs], 'glorot', rng.split('Wo'), hidden, outputs),
      `${name}/Wo`,
    );
    this.bo = ownedVariable(tf.zeros([outputs]), `${name}/bo`);
  }

  /** Number of trainable scalars. */
  paramCount(): number {
    return this.variables().reduce((s, v) => s + v.size, 0);
  }

  /** Trainable variables. */
  variables(): tf.Variable[] {
    return [this.W, this.U, this.b, this.Wo, this.bo];
  }

  /** Logits `[batch, T, outputs]`. */
  forward(x: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T] = x.shape;
      const H = this.hidden;
      let h: tf.Tensor2D = tf.zeros([B, H]);
      let c: tf.Tensor2D = tf.zeros([B, H]);
      const outs: tf.Tensor2D[] = [];
      const steps = tf.unstack(x, 1) as tf.Tensor2D[];
      for (let t = 0; t < T; t++) {
        const xw = tf.add(tf.matMul(steps[t]!, this.W), this.b);
        const hu = tf.matMul(h, this.U);
        if (this.kind === 'gru') {
          const [xz, xr, xn] = [0, 1, 2].map((k) => tf.slice(xw, [0, k * H], [B, H]));
          const [hz, hr, hn] = [0, 1, 2].map((k) => tf.slice(hu, [0, k * H], [B, H]));
          const z = tf.sigmoid(tf.add(xz!, hz!));
          const r = tf.sigmoid(tf.add(xr!, hr!));
          const nn = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
          h = tf.add(tf.mul(tf.sub(1, z), nn), tf.mul(z, h)) as tf.Tensor2D;
        } else {
          const a = tf.add(xw, hu);
          const [gi, gf, gg, go] = [0, 1, 2, 3].map((k) => tf.slice(a, [0, k * H], [B, H]));
          c = tf.add(tf.mul(tf.sigmoid(gf!), c), tf.mul(tf.sigmoid(gi!), tf.tanh(gg!))) as tf.Tensor2D;
          h = tf.mul(tf.sigmoid(go!), tf.tanh(c)) as tf.Tensor2D;
        }
        outs.push(tf.add(tf.matMul(h, this.Wo), this.bo) as tf.Tensor2D);
      }
      return tf.stack(outs, 1) as tf.Tensor3D;
    });
  }

  /** Releases the variables. */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}

/** Binary sequence data: inputs `[N, T, d]`, 0/1 targets `[N, T]` and per-step loss weights `[T]`. */
export interface SequenceData {
  x: Float32Array;
  y: Float32Array;
  n: number;
  steps: number;
  dim: number;
  /** Weight of each step in the loss (e.g. only the last step for sequence classification). */
  weights: Float32Array;
}

/** Gathers sequences `idx` of `data` into one batch: inputs `[b, T, d]` and targets `[b, T]`. */
export function gatherSequences(
  data: SequenceData,
  idx: ArrayLike<number>,
): { x: Float32Array; y: Float32Array } {
  const { steps: T, dim: d } = data;
  const x = new Float32Array(idx.length * T * d);
  const y = new Float32Array(idx.length * T);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i]!;
    x.set(data.x.subarray(j * T * d, (j + 1) * T * d), i * T * d);
    y.set(data.y.subarray(j * T, (j + 1) * T), i * T);
  }
  return { x, y };
}

/** Options of a sequence training loop (see {@link sequenceEpochs}). */
export interface SequenceTrainingOptions {
  epochs: number;
  batchSize: number;
  /** Adam learning rate. */
  lr: number;
  /** Batch order: epoch e shuffles with `rng.split('epoch-e')`. */
  rng: Rng;
  signal?: AbortSignal;
}

/**
 * The training loop of the sequence models: core's `fit` with a host-side step over minibatches of sequences
 * (epoch e shuffles with `rng.split('epoch-e')`); `step` trains on one batch (inputs `[b, T, d]`, targets
 * `[b, T]`, the batch's indices) and returns its loss. A non-finite loss stops training. Per-epoch mean batch
 * losses.
 */
export async function sequenceEpochs(
  data: SequenceData,
  o: SequenceTrainingOptions,
  step: (batch: { x: Float32Array; y: Float32Array }, idx: Int32Array) => number,
  onEpoch?: (epoch: number, loss: number) => void,
): Promise<number[]> {
  const report = await fit({
    n: data.n,
    step: (idx) => step(gatherSequences(data, idx), idx),
    epochs: o.epochs,
    batchSize: o.batchSize,
    order: o.rng,
    signal: o.signal,
    divergence: { action: 'stop' },
    label: 'sequence model training',
    ...(onEpoch ? { onEpoch: (row: FitEpochRow) => onEpoch(row.epoch, row.loss) } : {}),
  });
  return report.history.map((h) => h.loss);
}

/** Trains a single-output RecurrentNet with Adam on weighted sigmoid cross-entropy; returns per-epoch losses. */
export async function fitRecurrent(
  net: RecurrentNet,
  data: SequenceData,
  o: SequenceTrainingOptions,
): Promise<number[]> {
  const opt = tf.train.adam(o.lr);
  const wsum = data.weights.reduce((a, b) => a + b, 0);
  const w = tf.tensor2d(data.weights, [1, data.steps]);
  try {
    return await sequenceEpochs(data, o, (b, idx) => {
      const x = tf.tensor3d(b.x, [idx.length, data.steps, data.dim]);
      const y = tf.tensor2d(b.y, [idx.length, data.steps]);
      const cost = opt.minimize(
        () => {
          const logits = tf.reshape(net.forward(x), [idx.length, data.steps]);
          // max(z, 0) − z·y + log(1 + e^{−|z|}), weighted per step
          const ce = tf.add(
            tf.sub(tf.relu(logits), tf.mul(logits, y)),
            tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
          );
          return tf.div(tf.sum(tf.mul(ce, w)), idx.length * wsum) as tf.Scalar;
        },
        true,
        net.variables(),
      );
      const loss = cost!.dataSync()[0]!;
      tf.dispose([x, y, cost!]);
      return loss;
    });
  } finally {
    opt.dispose();
    w.dispose();
  }
}

/** P(y = 1) at every step `[N, T]`. */
export function predictRecurrent(net: RecurrentNet, data: SequenceData, batchSize = 512): Float32Array {
  const out = new Float32Array(data.n * data.steps);
  for (let i = 0; i < data.n; i += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, data.n - i) }, (_, k) => i + k);
    const b = gatherSequences(data, idx);
    const x = tf.tensor3d(b.x, [idx.length, data.steps, data.dim]);
    const p = tf.tidy(() => tf.sigmoid(net.forward(x)));
    out.set(p.dataSync() as Float32Array, i * data.steps);
    tf.dispose([x, p]);
  }
  return out;
}

/** Options of {@link fitMatchedRecurrent}. */
export interface MatchedRecurrentOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Initialisation of the network. */
  init: Rng;
  /** Batch order. */
  rng: Rng;
  name: string;
  signal?: AbortSignal;
}

/**
 * A single-output GRU or LSTM whose parameter count is closest to `budget` (a parameter-matched baseline),
 * trained with {@link fitRecurrent} on `train`; returns its weights, per-epoch losses and its P(1) on `test`.
 */
export async function fitMatchedRecurrent(
  kind: RnnKind,
  train: SequenceData,
  test: SequenceData,
  budget: number,
  o: MatchedRecurrentOptions,
): Promise<{ params: number; losses: number[]; probs: Float32Array }> {
  const net = new RecurrentNet(
    kind,
    train.dim,
    matchHiddenSize(kind, train.dim, 1, budget),
    1,
    o.init,
    o.name,
  );
  try {
    const losses = await fitRecurrent(net, train, o);
    return { params: net.paramCount(), losses, probs: predictRecurrent(net, test) };
  } finally {
    net.dispose();
  }
}
