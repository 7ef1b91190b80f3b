import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { onBackendWithoutLeaks } from '../testing/index.js';

describe('onBackendWithoutLeaks (per test)', () => {
  onBackendWithoutLeaks('cpu');
  it('runs the block on the named backend; a test that disposes what it makes passes the leak check', () => {
    expect(tf.getBackend()).toBe('cpu');
    // (A first draft returned the sum from tidy, which keeps it: the check failed that test, as it should.)
    tf.tidy(() => {
      tf.add(tf.ones([3]), 1);
    });
  });
});

describe('onBackendWithoutLeaks (per block)', () => {
  onBackendWithoutLeaks('wasm', 'block');
  let kept: tf.Tensor | undefined;
  it('a tensor may live across the tests of the block', () => {
    expect(tf.getBackend()).toBe('wasm');
    kept = tf.ones([2]);
  });
  it('as long as the block disposes it before it ends', () => {
    expect(kept!.shape).toEqual([2]);
    kept!.dispose();
  });
});
