/** @paperlab/core/train — models, losses, metrics, optimizers and the training loop. */
export type { Metric } from '../contracts/metric.js';
export type { Inputs, Model } from '../contracts/model.js';
export type { FitOptions, FitResult, Trainer } from '../contracts/trainer.js';
export { type InitScheme, initTensor } from '../models/init.js';
export {
  type Activation,
  activate,
  applyFixedLayer,
  type FixedLayerSpec,
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
export {
  ADAM_KERNEL,
  type AdamArrays,
  type AdamAttrs,
  type AdamConstants,
  type AdamInputs,
  adamConstants,
  adamKernel,
  adamRange,
  wasmAdam,
} from './adamKernel.js';
export {
  type BatchOrder,
  type BatchSource,
  type EarlyStopOptions,
  type FitCheckpointOptions,
  type FitCommonOptions,
  type FitData,
  type FitEpochRow,
  type FitLoopOptions,
  type FitMonitor,
  type FitPlateauOptions,
  type FitReport,
  type FitStopReason,
  fit,
  type HostFitOptions,
  type LossFn,
  type LossName,
  type TensorFitOptions,
  type Trainee,
} from './fit.js';
export {
  adam,
  createFitOptimizer,
  type FitOptimizer,
  fromTfjsOptimizer,
  momentumSgd,
  type OptimizerOptions,
  type OptimizerSpec,
  sgd,
} from './fitOptimizer.js';
export {
  type HvpOptions,
  hessianVectorProduct,
  hutchinsonTrace,
  lossGradient,
  type ParamBlocks,
  type ParamLoss,
  rademacher,
  type TraceEstimate,
  topHessianEigenvalues,
} from './hessian.js';
export { hingeLoss, meanSquaredError, sigmoidCrossEntropy, softmaxCrossEntropy } from './losses.js';
export { accuracyMetric, correctCount, lossMetric, mseMetric } from './metrics.js';
export { createOptimizer, type OptimizerConfig, optimizerSchema } from './optimizers.js';
export { detectPlateau, type PlateauOptions, type PlateauVerdict } from './plateau.js';
export { type Forward, type PredictOptions, predictInBatches } from './predict.js';
export { evaluate, SupervisedTrainer } from './supervisedTrainer.js';
