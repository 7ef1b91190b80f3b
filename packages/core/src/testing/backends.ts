import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { nodeBackendLoaders } from '../node/backends.js';
import { ensureBackend } from '../runs/runner.js';

/** Activates a tfjs backend in Node with core's loaders. */
export async function useBackend(backend: 'cpu' | 'wasm'): Promise<void> {
  await ensureBackend(backend, { backends: nodeBackendLoaders(), platform: 'node' });
}

/** Activates the wasm backend (the backend the papers run on); takes no argument, so it can be a vitest hook. */
export function useWasm(): Promise<void> {
  return useBackend('wasm');
}

/**
 * In the enclosing `describe`: runs its tests on `backend` and expects no tensor left behind — by each test
 * (`per: 'test'`) or by the block as a whole (`per: 'block'`, for blocks whose tests share tensors).
 */
export function onBackendWithoutLeaks(
  backend: 'cpu' | 'wasm' = 'wasm',
  per: 'test' | 'block' = 'test',
): void {
  let start = 0;
  const mark = () => {
    start = tf.memory().numTensors;
  };
  const check = () => expect(tf.memory().numTensors, `tensors left on ${backend}`).toBe(start);
  beforeAll(async () => {
    await useBackend(backend);
    if (per === 'block') mark();
  });
  if (per === 'test') {
    beforeEach(mark);
    afterEach(check);
  } else afterAll(check);
}
