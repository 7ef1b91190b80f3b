import { nodeBackendLoaders } from '@paperlab/core/node';
import { ensureBackend } from '@paperlab/core/runs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect } from 'vitest';

/**
 * Runs the enclosing `describe` block on a tfjs backend (wasm, the one the papers run on, unless named) and
 * checks that the block leaves no tensor behind.
 */
export function onBackend(backend: 'cpu' | 'wasm' = 'wasm'): void {
  let start = 0;
  beforeAll(async () => {
    await ensureBackend(backend, { backends: nodeBackendLoaders(), platform: 'node' });
    start = tf.memory().numTensors;
  });
  afterAll(() => expect(tf.memory().numTensors, `tensors left on ${backend}`).toBe(start));
}
