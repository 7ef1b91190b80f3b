import type { Rng, RunContext } from '@paperlab/core';
import { fit, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { columnStandardiser } from '../../data/standardise.js';
import {
  chargeNormalise,
  DEFAULT_PULSES,
  downsample,
  frequencyGradient,
  simulatePulse,
  spectrumMagnitudes,
  tailToTotal,
} from '../../signals/pulses.js';
import type { Ai2025Config } from './experiment.js';

/** A discriminator: charge comparison, frequency gradient, linear and nonlinear models on the spectrum. */
export type Method = 'cc' | 'fga' | 'lin' | 'mlp';
/** The methods in table order. */
export const METHODS: readonly Method[] = ['cc', 'fga', 'lin', 'mlp'];
/** Display names of the methods. */
export const NAME: Record<Method, string> = {
  cc: 'charge comparison',
  fga: 'frequency gradient (FGA)',
  lin: 'linear on spectrum',
  mlp: 'nonlinear on spectrum',
};
/** A test energy band. */
export type Band = 'low' | 'high';

/** Simulated pulses with labels (1 = neutron). */
interface Pulses {
  x: Float64Array[];
  y: number[];
}

/** `n` simulated pulses, alternating gamma and neutron, at log-uniform energies in [lo, hi] keVee. */
function pulses(rng: Rng, n: number, [lo, hi]: readonly [number, number]): Pulses {
  const x: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const neutron = i % 2 === 1;
    // Log-uniform energies: as many low- as high-energy decades.
    const e = lo * (hi / lo) ** rng.uniform();
    x.push(simulatePulse(rng, neutron, e, DEFAULT_PULSES));
    y.push(Number(neutron));
  }
  return { x, y };
}

/** The best threshold (and direction) of a scalar discriminant on training data. */
function threshold(v: number[], y: number[]): (s: number) => number {
  const order = v.map((s, i) => [s, y[i]!] as const).sort((a, b) => a[0] - b[0]);
  const pos = y.reduce((a, b) => a + b, 0);
  let [best, cut, above] = [0, 0, true];
  let posBelow = 0;
  order.forEach(([s, label], i) => {
    posBelow += label;
    const negBelow = i + 1 - posBelow;
    // neutrons above the cut, or below it
    const accAbove = (negBelow + (pos - posBelow)) / y.length;
    const accBelow = (posBelow + (y.length - pos - negBelow)) / y.length;
    const next = order[i + 1]?.[0] ?? s + 1;
    if (accAbove > best) [best, cut, above] = [accAbove, (s + next) / 2, true];
    if (accBelow > best) [best, cut, above] = [accBelow, (s + next) / 2, false];
  });
  return (s) => Number(above ? s > cut : s <= cut);
}

const accuracy = (pred: number[], y: number[]) =>
  pred.reduce((a, p, i) => a + Number(p === y[i]), 0) / y.length;

/** Test accuracy of every method in both bands. */
export type CellResult = Record<`${Method}_${Band}`, number>;

/** Every method trained on the decimated training pulses and scored on both decimated test bands. */
export async function runCell(
  ctx: RunContext,
  cfg: Ai2025Config,
  factor: number,
  seed: number,
): Promise<CellResult> {
  const rng = ctx.rng.split(`seed${seed}`);
  const prep = (p: Pulses) => p.x.map((x) => chargeNormalise(downsample(x, factor)));
  const train = pulses(rng.split('train'), cfg.train, cfg.energy);
  const tests = {
    low: pulses(rng.split('low'), cfg.test, cfg.low),
    high: pulses(rng.split('high'), cfg.test, cfg.high),
  };
  const xtr = prep(train);
  const xte = { low: prep(tests.low), high: prep(tests.high) };
  const out = {} as CellResult;
  // Charge comparison: tail start (in ns) chosen on the training pulses with its threshold.
  let bestCc = { acc: -1, start: 0, rule: (_s: number) => 0 };
  for (const ns of [10, 20, 40, 80]) {
    const start = Math.max(1, Math.round(ns / factor));
    const v = xtr.map((x) => tailToTotal(x, start));
    const rule = threshold(v, train.y);
    const acc = accuracy(v.map(rule), train.y);
    if (acc > bestCc.acc) bestCc = { acc, start, rule };
  }
  const fgaRule = threshold(xtr.map(frequencyGradient), train.y);
  const feats = (xs: Float64Array[]) =>
    Float32Array.from(xs.flatMap((x) => Array.from(spectrumMagnitudes(x, cfg.bins))));
  const ftr = feats(xtr);
  const standard = columnStandardiser(ftr, cfg.bins);
  for (const m of ['lin', 'mlp'] as const) {
    const model = Sequential.build(
      m === 'lin'
        ? [{ type: 'dense', units: 1, init: 'glorot' }]
        : [
            { type: 'dense', units: 8, activation: 'tanh', init: 'glorot' },
            { type: 'dense', units: 1, init: 'glorot' },
          ],
      [cfg.bins],
      rng.split(`init-${m}`),
      m,
    );
    try {
      await fit({
        model,
        data: {
          x: standard(ftr),
          y: Float32Array.from(train.y),
          n: train.y.length,
          shape: [cfg.bins],
          targetShape: [1],
        },
        loss: 'sigmoid-ce',
        accuracy: false,
        optimizer: { type: 'adam', lr: cfg.lr },
        epochs: cfg.epochs,
        batchSize: 128,
        order: rng.split(`order-${m}`),
        recordEvery: cfg.epochs,
        signal: ctx.signal,
      });
      for (const b of ['low', 'high'] as const) {
        const logits = tf.tidy(() =>
          Array.from(
            model
              .forward(tf.tensor2d(standard(feats(xte[b])), [cfg.test, cfg.bins]), { training: false })
              .dataSync(),
          ),
        );
        out[`${m}_${b}`] = accuracy(
          logits.map((l) => Number(l > 0)),
          tests[b].y,
        );
      }
    } finally {
      model.dispose();
    }
  }
  for (const b of ['low', 'high'] as const) {
    out[`cc_${b}`] = accuracy(
      xte[b].map((x) => bestCc.rule(tailToTotal(x, bestCc.start))),
      tests[b].y,
    );
    out[`fga_${b}`] = accuracy(
      xte[b].map((x) => fgaRule(frequencyGradient(x))),
      tests[b].y,
    );
  }
  return out;
}
