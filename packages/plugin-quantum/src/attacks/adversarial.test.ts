import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import { Sequential, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelledImages, LogitsFn } from './adversarial.js';
import { evaluateAttack, fgsm, logitsOf, pgd, pgdCurve } from './adversarial.js';

describe('adversarial attacks', () => {
  let model: Sequential;
  let f: LogitsFn;
  beforeAll(async () => {
    await useWasm();
    model = Sequential.build(
      [{ type: 'flatten' }, { type: 'dense', units: 3, init: 'glorot' }],
      [2, 2, 1],
      new Rng(1),
      'attack-test',
    );
    f = logitsOf(model);
  });
  afterAll(() => model.dispose());
  const data: LabelledImages = {
    x: new Rng(2).uniforms(6 * 4, 0.2, 0.8),
    y: Int32Array.from([0, 1, 2, 0, 1, 2]),
    shape: [2, 2, 1],
  };

  it('FGSM and PGD stay in the ε-ball and the pixel range, and PGD is at least as strong as FGSM', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor(data.x, [6, 2, 2, 1]);
    const y = tf.tensor1d(data.y, 'int32');
    const a1 = fgsm(f, x, y, { eps: 0.3 });
    const a2 = pgd(f, x, y, { eps: 0.3, steps: 10, rng: new Rng(3) });
    for (const a of [a1, a2]) {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, x))).dataSync()[0]!);
      expect(d).toBeLessThanOrEqual(0.3 + 1e-6);
      const [lo, hi] = tf.tidy(() => [tf.min(a).dataSync()[0]!, tf.max(a).dataSync()[0]!]);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
    }
    const loss = (a: tf.Tensor) => tf.tidy(() => softmaxCrossEntropy(f(a), y).dataSync()[0]!);
    expect(loss(a2)).toBeGreaterThanOrEqual(loss(a1) - 1e-6);
    expect(loss(a1)).toBeGreaterThan(loss(x));
    tf.dispose([x, y, a1, a2]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the PGD curve agrees with separate PGD runs of the same start, and success rates are consistent', () => {
    const curve = pgdCurve(f, data, { eps: 0.2, steps: 6, checkpoints: [2, 6], rng: new Rng(5) });
    const direct = evaluateAttack(
      data,
      (x, y) => pgd(f, x, y, { eps: 0.2, steps: 6, stepSize: (2.5 * 0.2) / 6, rng: new Rng(5) }),
      [f],
    )[0]!;
    expect(curve.robust[1]).toBeCloseTo(direct.robust, 10);
    expect(curve.successRate[1]).toBeCloseTo(direct.successRate, 10);
    expect(curve.robust[1]!).toBeLessThanOrEqual(curve.clean);
  });
});
