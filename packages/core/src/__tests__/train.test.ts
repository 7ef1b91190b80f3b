import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../testing/backends.js';
import { hingeLoss, meanSquaredError, softmaxCrossEntropy } from '../train/losses.js';
import { accuracyMetric, mseMetric } from '../train/metrics.js';

describe('losses and metrics', () => {
  beforeAll(useWasm);

  it('softmax cross-entropy is the same for labels, float one-hot and int one-hot targets', () => {
    const logits = tf.tensor2d([
      [2, 0, -1],
      [0.5, 0.1, 3],
    ]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const expected =
      -(
        Math.log(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-1))) +
        Math.log(Math.exp(3) / (Math.exp(0.5) + Math.exp(0.1) + Math.exp(3)))
      ) / 2;
    for (const t of [labels, tf.oneHot(labels, 3), tf.cast(tf.oneHot(labels, 3), 'float32')]) {
      expect(softmaxCrossEntropy(logits, t).dataSync()[0]).toBeCloseTo(expected, 5);
    }
  });

  it('hinge and MSE match hand computations', () => {
    const f = tf.tensor2d([[2], [-0.5], [0.3]]);
    const y = tf.tensor1d([1, -1, -1]);
    expect(hingeLoss(f, y).dataSync()[0]).toBeCloseTo((0 + 0.5 + 1.3) / 3, 6);
    expect(meanSquaredError(f, y).dataSync()[0]).toBeCloseTo((1 + 0.25 + 1.69) / 3, 6);
  });

  it('accuracy handles class scores with labels or one-hot, and single scores with {0,1} or {−1,+1} labels', () => {
    const acc = accuracyMetric();
    acc.update(
      tf.tensor2d([
        [1, 0],
        [0, 1],
        [1, 0],
      ]),
      tf.tensor1d([0, 1, 1], 'int32'),
    );
    expect(acc.compute()).toBeCloseTo(2 / 3, 9);
    acc.reset();
    acc.update(
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [1, 0],
        [1, 0],
      ]),
    );
    expect(acc.compute()).toBe(0.5);
    acc.reset();
    acc.update(tf.tensor2d([[0.7], [-0.2], [0.1]]), tf.tensor1d([1, -1, -1]));
    expect(acc.compute()).toBeCloseTo(2 / 3, 9);
    acc.reset();
    acc.update(tf.tensor2d([[0.7], [-0.2]]), tf.tensor2d([[1], [0]]));
    expect(acc.compute()).toBe(1);
    const mse = mseMetric();
    mse.update(tf.tensor1d([1, 2]), tf.tensor1d([1, 4]));
    expect(mse.compute()).toBe(2);
  });
});
