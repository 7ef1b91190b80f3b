import { definePlugin } from '@paperlab/core';
import { fcKernelRecursion } from './kernels/fcKernel.js';
import { chen2021 } from './papers/chen2021/experiment.js';
import { jacot2018 } from './papers/jacot2018/experiment.js';
import { lee2021 } from './papers/lee2021/experiment.js';
import { radhakrishnan2022 } from './papers/radhakrishnan2022/experiment.js';
import { sclocchi2023 } from './papers/sclocchi2023/experiment.js';
import { yang2020 } from './papers/yang2020/experiment.js';

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
  disposeNtkMlp,
  empiricalNtkMlp,
  initNtkMlp,
  layerWidths,
  type NtkMlpParams,
  type NtkMlpSpec,
  ntkMlpForward,
  ntkMlpVariables,
} from './nets/ntkMlp.js';
export { type Chen2021Config, chen2021 } from './papers/chen2021/experiment.js';
export { type Jacot2018Config, jacot2018 } from './papers/jacot2018/experiment.js';
export { type Lee2021Config, lee2021 } from './papers/lee2021/experiment.js';
export {
  type Radhakrishnan2022Config,
  radhakrishnan2022,
} from './papers/radhakrishnan2022/experiment.js';
export { type Sclocchi2023Config, sclocchi2023 } from './papers/sclocchi2023/experiment.js';
export { type Yang2020Config, yang2020 } from './papers/yang2020/experiment.js';

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
    ctx.experiment(radhakrishnan2022);
    ctx.experiment(chen2021);
    ctx.experiment(lee2021);
    ctx.experiment(yang2020);
    ctx.experiment(sclocchi2023);
  },
});
