import type { Rng } from '@paperlab/core';
import { adam, initTensor, ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { gcnAdjacency } from '../../graph/graph.js';
import { fakeQuantize, quantizeValues } from '../../ops/quantize.js';
import { type SparseTensors, sparseTensors, spmm } from '../../ops/spmm.js';
import { gradientStep } from '../../train/gradientStep.js';
import { maskedCrossEntropy, predictClasses } from '../../train/metrics.js';
import type { Zhao2020Config } from './experiment.js';

/** Bit widths of the four quantised tensors of a 2-layer GCN: weights W1, W2, activations A0 (input), A1. */
export interface Bits {
  w1: number;
  w2: number;
  a0: number;
  a1: number;
}

/** Bit widths the search chooses from. */
const CHOICES = [2, 4, 8, 16] as const;

/**
 * A 2-layer GCN with fake-quantised weights, activations and adjacency: `Q(Â, A)·(Q(X, A0)·Q(W1, W1b))`, ReLU,
 * then the same with A1 and W2. `mix` replaces a fixed width by a softmax-weighted sum of quantisers (search).
 */
export class QuantGcn {
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;
  private readonly adj = new Map<number, SparseTensors>();

  constructor(
    rng: Rng,
    cfg: Zhao2020Config,
    private readonly csr: ReturnType<typeof gcnAdjacency>,
  ) {
    const { featureDim: f, hidden: h, classes: c } = cfg;
    this.w1 = ownedVariable(initTensor([f, h], 'glorot', rng.split('w1'), f, h));
    this.b1 = ownedVariable(tf.zeros([h]));
    this.w2 = ownedVariable(initTensor([h, c], 'glorot', rng.split('w2'), h, c));
    this.b2 = ownedVariable(tf.zeros([c]));
  }

  /** Â with its values quantised to `bits` (cached). */
  adjacency(bits: number): SparseTensors {
    let a = this.adj.get(bits);
    if (!a) {
      a = sparseTensors({ ...this.csr, values: quantizeValues(this.csr.values, bits) });
      this.adj.set(bits, a);
    }
    return a;
  }

  forward(x: tf.Tensor2D, q: { w1: Q; w2: Q; a0: Q; a1: Q }, adjBits: [number, number]): tf.Tensor2D {
    return tf.tidy(() => {
      const z1 = tf.add(
        spmm(this.adjacency(adjBits[0]), tf.matMul(q.a0(x), q.w1(this.w1 as tf.Tensor2D))),
        this.b1,
      );
      const h1 = tf.relu(z1) as tf.Tensor2D;
      return tf.add(
        spmm(this.adjacency(adjBits[1]), tf.matMul(q.a1(h1), q.w2(this.w2 as tf.Tensor2D))),
        this.b2,
      ) as tf.Tensor2D;
    });
  }

  variables(): tf.Variable[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  /** Weight storage in bits for the given widths (biases in float32). */
  sizeBits(b: Bits): number {
    return b.w1 * this.w1.size + b.w2 * this.w2.size + 32 * (this.b1.size + this.b2.size);
  }

  dispose(): void {
    tf.dispose(this.variables());
    for (const a of this.adj.values()) a.dispose();
  }
}

/** A quantiser of one tensor. */
type Q = (x: tf.Tensor2D) => tf.Tensor2D;
const fixed =
  (bits: number): Q =>
  (x) =>
    fakeQuantize(x, bits) as tf.Tensor2D;

/** Trains the model with fixed widths from its current weights; returns train/test accuracy. */
export function trainFixed(
  model: QuantGcn,
  b: Bits,
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
  mask: tf.Tensor1D,
  cfg: Zhao2020Config,
) {
  const q = { w1: fixed(b.w1), w2: fixed(b.w2), a0: fixed(b.a0), a1: fixed(b.a1) };
  const vars = model.variables();
  const opt = adam(cfg.lr);
  for (let e = 0; e < cfg.epochs; e++)
    gradientStep(vars, opt, () => maskedCrossEntropy(model.forward(x, q, [b.a0, b.a1]), labels, mask));
  opt.dispose();
  return predictClasses(() => model.forward(x, q, [b.a0, b.a1]));
}

/**
 * LPGNAS-style differentiable search of the four widths: each quantiser is a softmax(α)-weighted sum over
 * {2, 4, 8, 16} bits, trained jointly with the weights on cross-entropy + λ·E[weight size]/size(float32);
 * the arg-max width of each tensor is returned.
 */
export function searchBits(
  model: QuantGcn,
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
  mask: tf.Tensor1D,
  cfg: Zhao2020Config,
): Bits {
  const names = ['w1', 'w2', 'a0', 'a1'] as const;
  const alpha = Object.fromEntries(
    names.map((n) => [n, ownedVariable(tf.zeros([CHOICES.length]))]),
  ) as Record<(typeof names)[number], tf.Variable>;
  const mixed =
    (n: (typeof names)[number]): Q =>
    (t) =>
      tf.tidy(() => {
        const p = tf.softmax(alpha[n]);
        return tf.addN(CHOICES.map((b, i) => tf.mul(fakeQuantize(t, b), tf.gather(p, i)))) as tf.Tensor2D;
      });
  const q = { w1: mixed('w1'), w2: mixed('w2'), a0: mixed('a0'), a1: mixed('a1') };
  const full = 32 * (model.w1.size + model.w2.size);
  const expectedBits = (n: 'w1' | 'w2') =>
    tf.sum(tf.mul(tf.softmax(alpha[n]), tf.tensor1d(CHOICES as unknown as number[])));
  const vars = [...model.variables(), ...names.map((n) => alpha[n])];
  const opt = adam(cfg.lr);
  for (let e = 0; e < cfg.searchEpochs; e++)
    gradientStep(vars, opt, () =>
      tf.tidy(() => {
        const ce = maskedCrossEntropy(model.forward(x, q, [8, 8]), labels, mask);
        const size = tf.div(
          tf.add(tf.mul(expectedBits('w1'), model.w1.size), tf.mul(expectedBits('w2'), model.w2.size)),
          full,
        );
        return tf.add(ce, tf.mul(size, cfg.lambda)) as tf.Scalar;
      }),
    );
  opt.dispose();
  const pickBits = (n: (typeof names)[number]) => CHOICES[tf.tidy(() => tf.argMax(alpha[n]).dataSync()[0]!)]!;
  const out = { w1: pickBits('w1'), w2: pickBits('w2'), a0: pickBits('a0'), a1: pickBits('a1') };
  tf.dispose(Object.values(alpha));
  return out;
}
