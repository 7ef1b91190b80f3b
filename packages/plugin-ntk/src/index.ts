import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { convKernelRecursion } from './kernels/convKernel.js';
import { fcKernelRecursion } from './kernels/fcKernel.js';
import { papers } from './papers/index.js';

export {
  type BanditPolicy,
  type BanditTrace,
  type ClassificationStream,
  fastCbProbabilities,
  LinUcb,
  type RegressionLoss,
  runBandit,
  squareCbProbabilities,
  WideArmNet,
  type WideArmNetOptions,
} from './bandits/neuralBandits.js';

export { type SegmentDigits, segmentDigits } from './data/segmentDigits.js';
export { type GdMseInputs, type GdMsePrediction, gradientDescentMse } from './inference/gdMse.js';
export {
  type GdMseEnsemble,
  type GdMseEnsembleInputs,
  gradientDescentMseEnsemble,
} from './inference/gdMseEnsemble.js';
export { type GpPosterior, type GpPosteriorInputs, gpPosterior } from './inference/gpPosterior.js';
export { type KernelRidgeInputs, type KernelRidgeResult, kernelRidge } from './inference/kernelRidge.js';
export { type KernelSvm, type KernelSvmInputs, kernelSvm, svmDecision } from './inference/kernelSvm.js';
export {
  type ConvKernelAttrs,
  type ConvKernelInputs,
  convKernelNetwork,
  convKernelRecursion,
} from './kernels/convKernel.js';
export {
  absDual,
  type DualActivation,
  type DualFn,
  type DualValue,
  dualOf,
  erfDual,
  leakyReluDual,
  reluDual,
} from './kernels/dualActivations.js';
export { empiricalNtkJacobian } from './kernels/empiricalNtk.js';
export {
  type FcKernelAttrs,
  type FcKernelInputs,
  type FcKernelsOptions,
  fcKernelEntry,
  fcKernelRecursion,
  fcKernels,
  fcKernelsHost,
  referenceDual,
  wgslDual,
} from './kernels/fcKernel.js';
export { type RnnKernelAttrs, rnnNngp } from './kernels/rnnKernel.js';
export {
  type CurvatureKind,
  type CurvatureMatrix,
  disposeMlpClassifier,
  initMlpClassifier,
  type MlpClassifierParams,
  type MlpClassifierSpec,
  mlpClassifierVariables,
  mlpCrossEntropy,
  mlpCurvatureMatrix,
  mlpCurvatureProducts,
  mlpLogits,
  mlpParamCount,
} from './nets/hessian.js';
export {
  disposeNtkMlp,
  empiricalNtkMlp,
  initNtkMlp,
  layerWidths,
  type NtkMlpParams,
  type NtkMlpSpec,
  ntkMlpForward,
  ntkMlpVariables,
} from './nets/ntkMlp.js';
export { type Cagnetta2022Config, cagnetta2022 } from './papers/cagnetta2022/experiment.js';
export { type Chen2021Config, chen2021 } from './papers/chen2021/experiment.js';
export { type Deb2023Config, deb2023 } from './papers/deb2023/experiment.js';
export { type Jacot2018Config, jacot2018 } from './papers/jacot2018/experiment.js';
export { type Lee2021Config, lee2021 } from './papers/lee2021/experiment.js';
export {
  type Radhakrishnan2022Config,
  radhakrishnan2022,
} from './papers/radhakrishnan2022/experiment.js';
export { type Sagun2017Config, sagun2017 } from './papers/sagun2017/experiment.js';
export { type Sclocchi2023Config, sclocchi2023 } from './papers/sclocchi2023/experiment.js';
export { type Tarzanagh2023Config, tarzanagh2023 } from './papers/tarzanagh2023/experiment.js';
export { type Yang2019Config, yang2019 } from './papers/yang2019/experiment.js';
export { type Yang2020Config, yang2020 } from './papers/yang2020/experiment.js';
export { ksDistance, marchenkoPasturCdf, semicircleCdf } from './spectra/randomMatrixLaws.js';
/** Composable infinite-width layers (neural-tangents' `stax`): finite nets and their analytic NNGP/NTK. */
export * as stax from './stax/index.js';

/** @paperlab/plugin-ntk: infinite-width theory (NNGP/NTK kernels, inference, and papers). */
export default definePlugin({
  name: 'ntk',
  package: pkg,
  kernels: [fcKernelRecursion, convKernelRecursion],
  papers,
});
