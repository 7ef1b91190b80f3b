import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../models/sequential.js';
import { Rng } from '../rng/rng.js';
import { onBackendWithoutLeaks } from '../testing/backends.js';
import { predictInBatches } from '../train/predict.js';

describe('predictInBatches', () => {
  onBackendWithoutLeaks('cpu');
  const rows = (n: number, d: number) => Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.37));

  it('gives the one-pass forward of every row, for batches that do and do not divide n', () => {
    const model = Sequential.build(
      [
        { type: 'dense', units: 5, activation: 'tanh' },
        { type: 'dense', units: 3 },
      ],
      [4],
      new Rng(1),
    );
    const x = rows(10, 4);
    const whole = tf.tidy(() => model.forward(tf.tensor2d(x, [10, 4]), { training: false }).dataSync());
    for (const batchSize of [1, 3, 10, 256]) {
      const got = predictInBatches(model, x, [4], { batchSize });
      expect(got).toHaveLength(30);
      for (let i = 0; i < 30; i++) expect(got[i]).toBeCloseTo(whole[i]!, 6);
    }
    const probs = predictInBatches(model, x, [4], { batchSize: 4, map: (y) => tf.softmax(y) });
    for (let r = 0; r < 10; r++)
      expect(probs[r * 3]! + probs[r * 3 + 1]! + probs[r * 3 + 2]!).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('passes the training flag, takes rows of any shape, and an empty input is an empty output', () => {
    const seen: boolean[] = [];
    const probe = {
      forward(x: tf.Tensor, { training }: { training: boolean }) {
        seen.push(training);
        expect(x.shape.slice(1)).toEqual([2, 2, 1]);
        return tf.expandDims(tf.sum(x, [1, 2, 3]), 1);
      },
    };
    const x = rows(5, 4);
    const sums = predictInBatches(probe, x, [2, 2, 1], { batchSize: 2, training: true });
    expect(seen).toEqual([true, true, true]);
    for (let r = 0; r < 5; r++)
      expect(sums[r]).toBeCloseTo(x[r * 4]! + x[r * 4 + 1]! + x[r * 4 + 2]! + x[r * 4 + 3]!, 5);
    expect(predictInBatches(probe, new Float32Array(0), [2, 2, 1])).toEqual(new Float32Array(0));
  });

  it('predicts the first `rows` rows, and refuses more rows than x holds', () => {
    const probe = { forward: (x: tf.Tensor) => tf.sum(x, 1, true) };
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(predictInBatches(probe, x, [2], { rows: 3, batchSize: 2 }))).toEqual([3, 7, 11]);
    expect(() => predictInBatches(probe, x, [2], { rows: 4 })).toThrow(/at most 3\), got 4/);
  });

  it('refuses a partial row or a bad batch size, naming the numbers', () => {
    const probe = { forward: (x: tf.Tensor) => tf.clone(x) };
    expect(() => predictInBatches(probe, new Float32Array(7), [2, 2])).toThrow(
      /7 values are not whole rows of \[2, 2\]/,
    );
    expect(() => predictInBatches(probe, new Float32Array(8), [2, 2], { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer, got 0/,
    );
  });
});
