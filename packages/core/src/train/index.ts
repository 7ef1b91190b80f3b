/** @paperlab/core/train — models, losses, metrics, optimizers and the training loop. */
export type { Metric } from '../contracts/metric.js';
export type { Inputs, Model } from '../contracts/model.js';
export type { FitOptions, FitResult, Trainer } from '../contracts/trainer.js';
export { type InitScheme, initTensor } from '../models/init.js';
export {
  type Activation,
  activate,
  type LayerSpec,
  ownedVariable,
  Sequential,
} from '../models/sequential.js';
export {
  assignVariables,
  optimizerState,
  restoreOptimizer,
  tensorData,
  variablesState,
} from '../models/state.js';
export { hingeLoss, meanSquaredError, sigmoidCrossEntropy, softmaxCrossEntropy } from './losses.js';
export { accuracyMetric, lossMetric, mseMetric } from './metrics.js';
export { createOptimizer, type OptimizerConfig, optimizerSchema } from './optimizers.js';
export { evaluate, SupervisedTrainer } from './supervisedTrainer.js';
