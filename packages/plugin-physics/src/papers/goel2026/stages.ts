import type { Rng, RunContext } from '@paperlab/core';
import { meanSem } from '@paperlab/core/kit';
import { adam, fit, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { KdvDesign } from '../../data/kdvInverse.js';
import type { Goel2026Config } from './experiment.js';
import {
  cleanLeastSquaresErrors,
  makeSplit,
  SPLITS,
  type Split,
  type SplitData,
  standardise,
} from './splits.js';

/** A way of estimating δ: supervised, two-stage (tailored), least squares, supervised on u only. */
export type Method = 'sup' | 'tt' | 'ls' | 'plain';

/** The CNN encoder: three 3×3 convolutions over (time, space), the last two with stride 2, global average pooling, an MLP head to log δ. */
function encoder(cfg: Goel2026Config, channels: number, rng: Rng): Sequential {
  const f = cfg.filters;
  return Sequential.build(
    [
      { type: 'conv2d', filters: f, kernel: 3, activation: 'relu' },
      { type: 'conv2d', filters: 2 * f, kernel: 3, stride: 2, activation: 'relu' },
      { type: 'conv2d', filters: 2 * f, kernel: 3, stride: 2, activation: 'relu' },
      { type: 'globalAvgPool' },
      { type: 'dense', units: 32, activation: 'relu' },
      { type: 'dense', units: 1, init: 'glorot' },
    ],
    [cfg.design.nt - 2, cfg.design.nx, channels],
    rng,
    'kdv-encoder',
  );
}

function relErrors(pred: ArrayLike<number>, delta: readonly number[]): number {
  return delta.reduce((s, d, i) => s + Math.abs(pred[i]! - d) / d, 0) / delta.length;
}

function predictDelta(model: Sequential, x: Float32Array, n: number, shape: number[]): Float32Array {
  return tf.tidy(
    () => tf.exp(model.forward(tf.tensor(x, [n, ...shape]), { training: false })).dataSync() as Float32Array,
  );
}

/**
 * Stage 2, test-time tailoring: fine-tune the whole encoder on one split's PDE residual ‖a + δ̂²·b‖²/‖a‖² (no
 * labels), then predict; the weights are restored afterwards.
 */
function tailor(model: Sequential, s: SplitData, shape: number[], cfg: Goel2026Config): Float32Array {
  const vars = model.variables();
  const saved = vars.map((v) => tf.clone(v));
  const m = shape[0]! * shape[1]!;
  const [x, a, b] = [tf.tensor(s.x, [s.n, ...shape]), tf.tensor2d(s.a, [s.n, m]), tf.tensor2d(s.b, [s.n, m])];
  const aNorm = tf.tidy(() => tf.sum(tf.square(a), 1));
  const opt = adam(cfg.tailorLr);
  try {
    for (let step = 0; step < cfg.tailorSteps; step++)
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const d2 = tf.exp(tf.mul(2, model.forward(x, { training: false })));
          const r = tf.add(a, tf.mul(d2, b));
          return tf.mean(tf.div(tf.sum(tf.square(r), 1), aNorm)) as tf.Scalar;
        }, vars);
        opt.apply(
          vars,
          vars.map((v) => grads[v.name]!),
        );
      });
    return predictDelta(model, s.x, s.n, shape);
  } finally {
    opt.dispose();
    vars.forEach((v, i) => {
      v.assign(saved[i]!);
    });
    tf.dispose([...saved, x, a, b, aNorm]);
  }
}

/** One seed's mean relative δ errors per method and split, the final training loss and the clean LS control. */
export type SeedResult = Record<`${Method}_${Split}`, number> & { trainLoss: number; lsClean: number };

/**
 * One seed: draw the splits, train the derivative-feature encoder (stage 1) and its u-only twin, tailor the
 * former on each test split (stage 2), and score every method.
 */
export async function runSeed(ctx: RunContext, cfg: Goel2026Config, seed: number): Promise<SeedResult> {
  const rng = ctx.rng.split(`seed${seed}`);
  const d: KdvDesign = cfg.design;
  const train = makeSplit(rng.split('train'), 'id', cfg.trainSize, d);
  const tests = Object.fromEntries(
    SPLITS.map((s) => [s, makeSplit(rng.split(`test-${s}`), s, cfg.testSize, d)]),
  ) as Record<Split, SplitData>;
  // Control: least squares on clean data recovers δ (solver, derivatives and residual agree).
  const clean = cleanLeastSquaresErrors(rng, d);
  standardise(train.x, 4, [train.x, ...SPLITS.map((s) => tests[s].x)]);
  standardise(train.xu, 1, [train.xu, ...SPLITS.map((s) => tests[s].xu)]);
  const shape4 = [d.nt - 2, d.nx, 4];
  const shape1 = [d.nt - 2, d.nx, 1];
  const out = { lsClean: meanSem(clean).mean } as SeedResult;
  for (const [name, channels, xs] of [
    ['deriv', 4, train.x],
    ['plain', 1, train.xu],
  ] as const) {
    const model = encoder(cfg, channels, rng.split(`init-${name}`));
    const shape = channels === 4 ? shape4 : shape1;
    try {
      const r = await fit({
        model,
        data: { x: xs, y: train.logDelta, n: train.n, shape, targetShape: [1] },
        loss: 'mse',
        optimizer: { type: 'adam', lr: cfg.lr },
        epochs: cfg.epochs,
        batchSize: cfg.batchSize,
        order: rng.split(`order-${name}`),
        recordEvery: cfg.epochs,
        signal: ctx.signal,
      });
      for (const s of SPLITS) {
        const t = tests[s];
        if (name === 'plain') {
          out[`plain_${s}`] = relErrors(predictDelta(model, t.xu, t.n, shape), t.delta);
          continue;
        }
        out.trainLoss = r.loss;
        out[`sup_${s}`] = relErrors(predictDelta(model, t.x, t.n, shape), t.delta);
        out[`tt_${s}`] = relErrors(tailor(model, t, shape, cfg), t.delta);
        out[`ls_${s}`] = relErrors(t.ls, t.delta);
      }
    } finally {
      model.dispose();
    }
  }
  return out;
}
