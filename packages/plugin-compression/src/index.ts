import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { packedMatmulKernel } from './kernels/packedMatmul.js';
import { papers } from './papers/index.js';

export { conditionAndGapVerdict } from './claims/intervals.js';
export {
  CONFIG_LIMITS,
  countField,
  epochsField,
  lrField,
  seedsField,
  smallCnnConfig,
  type TrainingDefaults,
  trainingConfig,
  widthSchema,
  widthsField,
} from './config/fields.js';
export { type LayerBits, type LayerCost, type NetCost, netCost } from './cost/accounting.js';
export { type ImageDataOptions, imageDataConfig, loadImageData, SMOKE_IMAGES } from './data/images.js';
export {
  distillationLoss,
  expectedCalibrationError,
  progressiveAlpha,
  progressiveTargets,
  smoothedTargets,
  softTargetLoss,
} from './distill/losses.js';
export { type DistillTrainOptions, teacherLogits, trainDistilled } from './distill/train.js';
export { layerBlocks, layerHessianTraces, layerTopEigenvalues, netLoss } from './hessian/layerHessian.js';
export {
  type PackedMatmulAttrs,
  type PackedMatmulInputs,
  packedMatmulKernel,
} from './kernels/packedMatmul.js';
export {
  CompressNet,
  type ForwardHooks,
  kernelShape,
  type LayerWeights,
  layerOutShape,
  type NetLayer,
} from './nets/compressNet.js';
export { ElmanRnn } from './nets/rnn.js';
export { SelectiveSsm, type SsmSize } from './nets/selectiveSsm.js';
export {
  mlp,
  smallCnn,
  type TrainOptions,
  type TrainPhase,
  trainClassifier,
  trainInRun,
} from './nets/zoo.js';
export {
  activationMeanScores,
  activationRankScores,
  betaRankScores,
  geometricMedianScores,
  l1Scores,
  matrixRank,
  topUnits,
  type UnitScores,
} from './prune/criteria.js';
export { gateHooks, MaskPredictors, massMasks, trainMaskPredictors } from './prune/dynamic.js';
export {
  type AdjacencyKind,
  adjacency,
  latticeMask,
  magnitudeMaskOf,
  maskCount,
  meetIrreducible,
  randomMaskOf,
} from './prune/lattice.js';
export { softPruneStep, type WeightCriterion, weightScores, zeroUnits } from './prune/soft.js';
export {
  bakeMasks,
  consumerOf,
  kernelSparsity,
  type MaskHook,
  magnitudeMasks,
  maskHook,
  pruneUnits,
  type WeightMasks,
} from './prune/structured.js';
export {
  apotLevels,
  binarize,
  fakeQuantLevels,
  fakeQuantUniform,
  type LsqOptions,
  lsqFakeQuant,
  lsqInitialStep,
  lsqRange,
  powerOfTwoLevels,
  quantizerBits,
  quantizeWeight,
  snapToLevels,
  straightThrough,
  type UniformQuantOptions,
  uniformParams,
  uniformRange,
  type WeightQuantizer,
} from './quant/fakeQuant.js';
export {
  codesPerGroup,
  groupsPerColumn,
  type PackBits,
  type PackedLevels,
  type PackedSigns,
  type PackedTensors,
  type PackedWeights,
  packCodes,
  packedByteLength,
  packedGroups,
  packedSignsByteLength,
  packedTensors,
  packLevels,
  packSigns,
  packWeights,
  quantizeColumns,
  unpackCodes,
  unpackLevels,
  unpackSigns,
  unpackWeights,
} from './quant/packed.js';
export {
  flattenParams,
  type ProjectionKind,
  RandomSubspace,
  subspaceTrainee,
  unflatten,
} from './subspace/randomSubspace.js';
export { runMethodSeeds, runSeeds } from './train/cells.js';
export {
  accuracy,
  accuracyFromProbs,
  classBalancedScores,
  type Predictor,
  predictProbs,
} from './train/evaluate.js';
export { ranks, spearman } from './util/rankCorrelation.js';

/** The compression plugin: pruning, quantisation and distillation papers, and the packed low-bit matmul kernel. */
export default definePlugin({ name: 'compression', package: pkg, papers, kernels: [packedMatmulKernel] });
