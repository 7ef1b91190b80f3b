import type { RunContext } from '@paperlab/core';
import type { LabelledArrays } from '@paperlab/core/data';
import type { LayerSpec } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { CompressNet } from '../../nets/compressNet.js';
import { type TrainOptions, trainClassifier } from '../../nets/zoo.js';
import { RandomSubspace, subspaceTrainee } from '../../subspace/randomSubspace.js';
import { accuracy } from '../../train/evaluate.js';

/** One training run of li2018: its accuracy on the scored data, final loss, and regeneration gap (when checked). */
export type Cell = { acc: number; loss: number; regen: number | null };

/** What the cells of li2018 read from its config. */
export interface SubspaceSettings {
  depth: number;
  lr: number;
  baselineLr: number;
  projection: 'sparse' | 'dense';
}

/** The data a cell trains on and is scored on, with its training length. */
export interface CellData {
  data: LabelledArrays;
  evalOn: LabelledArrays;
  epochs: number;
  batchSize: number;
}

/** The FC net of the paper: `depth` ReLU layers of `width`, softmax readout over 10 digits. */
const fcNet = (width: number, depth: number): LayerSpec[] => [
  ...Array.from({ length: depth }, () => ({
    type: 'dense' as const,
    units: width,
    activation: 'relu' as const,
  })),
  { type: 'dense', units: 10 },
];

/** A fresh net, its training data, and the epochs, batch size and batch order of its training. */
interface Trainable {
  net: CompressNet;
  data: LabelledArrays;
  phase: Pick<TrainOptions, 'epochs' | 'batchSize' | 'order'>;
}

/** Trains in a random d-subspace around the net's weights; returns the trained trainee's accuracy on `evalOn`. */
async function trainSubspace(
  t: Trainable,
  cfg: SubspaceSettings,
  d: number,
  subSeed: number,
  evalOn: LabelledArrays,
  signal: AbortSignal,
) {
  const sub = RandomSubspace.generate(t.net.paramCount(), d, subSeed, cfg.projection);
  const trainee = subspaceTrainee(t.net, sub);
  try {
    const r = await trainClassifier(trainee, t.data, { ...t.phase, lr: cfg.lr, signal });
    const theta = Float32Array.from(trainee.thetaD.dataSync());
    return { acc: accuracy(trainee, evalOn), loss: r.loss, theta, probe: probeLogits(trainee, evalOn) };
  } finally {
    trainee.dispose();
    sub.dispose();
  }
}

/** Full-parameter training of the same net (the baseline d = D). */
async function trainFull(
  t: Trainable,
  cfg: SubspaceSettings,
  evalOn: LabelledArrays,
  signal: AbortSignal,
): Promise<Cell> {
  const r = await trainClassifier(t.net, t.data, { ...t.phase, lr: cfg.baselineLr, signal });
  return { acc: accuracy(t.net, evalOn), loss: r.loss, regen: null };
}

/** Logits of a model on the first (up to) 200 examples, for the regeneration check. */
function probeLogits(
  model: { forward(x: tf.Tensor, o: { training: boolean }): tf.Tensor },
  data: LabelledArrays,
): Float32Array {
  const m = Math.min(200, data.n);
  const x = tf.tensor2d(data.x.subarray(0, m * data.shape[0]!), [m, data.shape[0]!]);
  const y = model.forward(x, { training: false });
  const out = Float32Array.from(y.dataSync());
  tf.dispose([x, y]);
  return out;
}

/** Regenerates θ₀ and P from their seeds, loads the stored θ_d, and returns the largest logit difference to `probe`. */
function regenerationGap(
  fresh: CompressNet,
  sub: RandomSubspace,
  theta: Float32Array,
  probe: Float32Array,
  test: LabelledArrays,
): number {
  const trainee = subspaceTrainee(fresh, sub);
  try {
    tf.tidy(() => trainee.thetaD.assign(tf.tensor1d(theta)));
    const again = probeLogits(trainee, test);
    return again.reduce((m, v, i) => Math.max(m, Math.abs(v - probe[i]!)), 0);
  } finally {
    trainee.dispose();
    sub.dispose();
    fresh.dispose();
  }
}

/**
 * The cells of li2018 on inputs of `inputs` shape: `build` makes the net of a (width, seed) from its seeded θ₀;
 * `trainCell` runs full-parameter training (d = 0) or training in a d-subspace of a fresh net, scored on
 * `evalOn`; with `regenerate`, the subspace solution is also rebuilt from its seeds and compared.
 */
export function subspaceCells(ctx: RunContext, cfg: SubspaceSettings, inputs: number[]) {
  const theta0 = (width: number, seed: number) => ctx.rng.split(`theta0-w${width}-s${seed}`);
  const subSeed = (width: number, seed: number) => ctx.rng.split(`P-w${width}-s${seed}`).seedInt();
  const order = (width: number, seed: number) => ctx.rng.split(`order-w${width}-s${seed}`);
  const build = (width: number, seed: number) =>
    CompressNet.build(fcNet(width, cfg.depth), inputs, theta0(width, seed), `fc${width}`);
  const trainCell = async (
    width: number,
    seed: number,
    d: number,
    p: CellData,
    regenerate: boolean,
  ): Promise<Cell> => {
    const net = build(width, seed);
    const phase = { epochs: p.epochs, batchSize: p.batchSize, order: order(width, seed) };
    const t = { net, data: p.data, phase };
    try {
      if (d === 0) return await trainFull(t, cfg, p.evalOn, ctx.signal);
      const r = await trainSubspace(t, cfg, d, subSeed(width, seed), p.evalOn, ctx.signal);
      const regen = regenerate
        ? regenerationGap(
            build(width, seed),
            RandomSubspace.generate(net.paramCount(), d, subSeed(width, seed), cfg.projection),
            r.theta,
            r.probe,
            p.evalOn,
          )
        : null;
      return { acc: r.acc, loss: r.loss, regen };
    } finally {
      net.dispose();
    }
  };
  /** Parameter count D of the net of each width. */
  const paramCounts = (widths: readonly number[]) =>
    widths.map((w) => {
      const n = build(w, 0);
      const p = n.paramCount();
      n.dispose();
      return p;
    });
  return { trainCell, paramCounts };
}
