import { nodeBackendLoaders } from '@paperlab/core/node';
import { ensureBackend } from '@paperlab/core/runs';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';

/** Activates the wasm backend (the backend the papers run on). */
export async function useWasm(): Promise<void> {
  await ensureBackend('wasm', { backends: nodeBackendLoaders(), platform: 'node' });
}

/** In the enclosing `describe`: the wasm backend, and every test must end with the tensor count it started with. */
export function useWasmWithoutLeaks(): void {
  let start = 0;
  beforeAll(useWasm);
  beforeEach(() => {
    start = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(start));
}

/** A tensor's values; the tensor is disposed. */
export function readAndDispose(t: tf.Tensor): Float32Array {
  const v = Float32Array.from(t.dataSync());
  t.dispose();
  return v;
}
