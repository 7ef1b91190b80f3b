import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

/** Config schema of an optimizer, for experiments' zod configs. */
export const optimizerSchema = z.strictObject({
  type: z.enum(['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad']).default('adam'),
  lr: z.number().positive().default(1e-3),
  momentum: z.number().min(0).max(1).default(0.9),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
});

/** An optimizer config. */
export type OptimizerConfig = z.infer<typeof optimizerSchema>;

/** Builds a tfjs optimizer from a config. */
export function createOptimizer(
  config: Partial<OptimizerConfig> & { type: OptimizerConfig['type']; lr: number },
): tf.Optimizer {
  switch (config.type) {
    case 'sgd':
      return tf.train.sgd(config.lr);
    case 'momentum':
      return tf.train.momentum(config.lr, config.momentum ?? 0.9);
    case 'adam':
      return tf.train.adam(config.lr, config.beta1 ?? 0.9, config.beta2 ?? 0.999);
    case 'rmsprop':
      return tf.train.rmsprop(config.lr);
    case 'adagrad':
      return tf.train.adagrad(config.lr);
  }
}
