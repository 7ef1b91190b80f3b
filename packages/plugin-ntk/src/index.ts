import { definePlugin } from '@paperlab/core';
import { fcKernelRecursion } from './kernels/fcKernel.js';
import { deb2023 } from './papers/deb2023/experiment.js';
import { jacot2018 } from './papers/jacot2018/experiment.js';
import { sagun2017 } from './papers/sagun2017/experiment.js';
import { tarzanagh2023 } from './papers/tarzanagh2023/experiment.js';

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
export { type GdMseInputs, type GdMsePrediction, gradientDescentMse } from './inference/gdMse.js';
export { type DualActivation, type DualValue, dualOf, erfDual, reluDual } from './kernels/dualActivations.js';
export { empiricalNtkJacobian } from './kernels/empiricalNtk.js';
export {
  type FcKernelAttrs,
  type FcKernelInputs,
  fcKernelEntry,
  fcKernelRecursion,
  fcKernels,
  fcKernelsHost,
} from './kernels/fcKernel.js';
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
export { type Deb2023Config, deb2023 } from './papers/deb2023/experiment.js';
export { type Jacot2018Config, jacot2018 } from './papers/jacot2018/experiment.js';
export { type Sagun2017Config, sagun2017 } from './papers/sagun2017/experiment.js';
export { type Tarzanagh2023Config, tarzanagh2023 } from './papers/tarzanagh2023/experiment.js';

/** @paperlab/plugin-ntk: infinite-width theory (NNGP/NTK kernels, inference, and papers). */
export default definePlugin({
  name: 'ntk',
  packageName: '@paperlab/plugin-ntk',
  version: '0.1.0',
  core: '^0.1.0',
  description:
    'Infinite-width theory: analytic NNGP/NTK kernels, empirical NTK, kernel inference, and the papers that use them',
  setup(ctx) {
    ctx.kernel(fcKernelRecursion);
    ctx.experiment(jacot2018);
    ctx.experiment(sagun2017);
    ctx.experiment(tarzanagh2023);
    ctx.experiment(deb2023);
  },
});
