import * as tf from '@tensorflow/tfjs-core';
import type { Platform } from './select.js';

/**
 * tfjs-core registers no gradients by itself. In Node they come with the `@tensorflow/tfjs` bundle
 * (tfjs-core's own gradient modules are bundler-only ESM); in browsers the bundler loads tfjs-core's
 * `register_all_gradients`. Idempotent; called before any backend is activated.
 */
export async function registerGradients(platform: Platform): Promise<void> {
  if (tf.getGradient('Sum')) return;
  if (platform === 'node') await import('@tensorflow/tfjs');
  else await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  if (!tf.getGradient('Sum')) throw new Error('tfjs gradients could not be registered');
}
