import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { jetActivationGradKernel, jetActivationKernel } from './autodiff/jetActivationKernel.js';
import { bsplineBasisKernel } from './kan/bspline.js';
import { papers } from './papers/index.js';

export {
  type ActivationDerivatives,
  coordinateJet,
  type Jet,
  jetActivate,
  jetAdd,
  jetColumn,
  jetMap,
  jetMul,
  jetOfField,
  jetOrder,
  jetTensors,
  sinDerivatives,
  tanhDerivatives,
} from './autodiff/jet.js';
export {
  type JetActivationAttrs,
  type JetActivationName,
  jetActivationGradInto,
  jetActivationGradKernel,
  jetActivationInto,
  jetActivationKernel,
  stackedBlocks,
  tanhRational,
  unstackJet,
} from './autodiff/jetActivationKernel.js';
export { type MultiIndex, type PointwiseField, partial, partials } from './autodiff/partials.js';
export { tanhHO } from './autodiff/tanh.js';
export { svgdDirection } from './bayes/svgd.js';
export {
  fitSwingPinn,
  type SwingData,
  type SwingPinnOptions,
  type SwingPinnResult,
} from './bayes/swingPinn.js';
export { beatsEvery, everyAboveZero, type NamedGap } from './claims/beatsEvery.js';
export {
  countField,
  learningRateField,
  minibatchTrainingFields,
  positiveField,
  seedsField,
} from './config.js';
export {
  ALLOY_DESCRIPTORS,
  alloyDescriptors,
  ELEMENTS,
  type ProxyAlloy,
  proxyAlloy,
  proxyPairEnthalpy,
} from './data/alloys.js';
export { besselJ0, FITTING_TASKS, type FittingTask } from './data/fittingTasks.js';
export { GHIA_1982, GHIA_1982_SUSPECT, type GhiaCentrelines } from './data/ghia1982.js';
export {
  type KdvDesign,
  type KdvSample,
  kdvFeatures,
  kdvLeastSquares,
  kdvTrajectory,
} from './data/kdvInverse.js';
export { columnStandardiser } from './data/standardise.js';
export { TETRIS } from './data/tetris.js';
export { complexClebschGordan, realClebschGordan } from './equivariance/clebschGordan.js';
export {
  embedPoints,
  type InvariantNet,
  invariantNet,
  type ProductKind,
  threeBodyInvariants,
} from './equivariance/invariants.js';
export {
  complexSphericalHarmonics,
  gaussLegendre,
  realBasisChange,
  type SphereGrid,
  shCount,
  sphereGrid,
  sphericalHarmonics,
} from './equivariance/sphericalHarmonics.js';
export {
  cgTensorProduct,
  type GauntGrid,
  gauntGrid,
  gauntTensorProduct,
  type TpPath,
  tpPaths,
} from './equivariance/tensorProducts.js';
export {
  eulerRotation,
  matmul3,
  type Rotation,
  rotate,
  rotateFeatures,
  wignerD,
} from './equivariance/wigner.js';
export { type BasisFamily, type BasisSpec, basisCount, evaluateBasis } from './kan/bases.js';
export { type BsplineAttrs, bsplineBasis, bsplineBasisKernel } from './kan/bspline.js';
export { Kan, KanLayer, SelectableKanLayer } from './kan/kanLayer.js';
export { EnsembleMlp } from './nets/ensembleMlp.js';
export {
  fixedTimesWeights,
  jetActivationDense,
  stackedCoordinates,
  weightGradient,
} from './nets/jetDense.js';
export {
  type MatchedHidden,
  Mlp,
  type MlpActivation,
  type MlpSpec,
  matchedMlp,
  matchedMlpWidth,
  twoHiddenMlpParams,
} from './nets/mlp.js';
export { type DarcyData, type DarcyDataOptions, darcyDataset } from './operators/darcyData.js';
export { type RelativeErrors, relativeErrors, relativeL2Loss } from './operators/errors.js';
export { Fno, type FnoSpec, fnoShapes } from './operators/fno.js';
export {
  Mgno,
  type MgnoSpec,
  mgnoShapes,
  prolongationConv,
  restrictionConv,
  smoothingConv,
} from './operators/multigrid.js';
export {
  convShape,
  countParams,
  matchWidth,
  OperatorNet,
  ParamSet,
  type ParamShape,
  zerosShape,
} from './operators/params.js';
export {
  type DftMatrices,
  dftMatrices,
  disposeDft,
  inverseTruncatedDft2,
  keptModes,
  spectralConv2d,
  truncatedDft2,
} from './operators/spectral.js';
export { UNet, type UNetSpec, unetShapes } from './operators/unet.js';
export { type LbfgsOptions, type LbfgsResult, lbfgs, lbfgsVariables, type Objective } from './optim/lbfgs.js';
export { boundaryPoints2d, gridPoints2d, latinHypercube, uniformPoints } from './pinn/collocation.js';
export { type Box, boxDistance } from './pinn/distance.js';
export {
  type BcMode,
  boundaryViolation,
  cavityProblem,
  type FlowPinn,
  type FlowProblem,
  flowPinn,
  poiseuilleProblem,
  velocityError,
} from './pinn/flows.js';
export { hardConstrained, hardConstrainedJet } from './pinn/hardBc.js';
export { navierStokesResiduals, splitVelocityPressure } from './pinn/navierStokes.js';
export { type PinnTrainOptions, type PinnTrainResult, trainPinn } from './pinn/train.js';
export {
  chargeNormalise,
  DEFAULT_PULSES,
  downsample,
  frequencyGradient,
  type PulseModel,
  simulatePulse,
  spectrumMagnitudes,
  tailToTotal,
} from './signals/pulses.js';
export { finiteDifference, type StlsqResult, stlsq } from './sindy/stlsq.js';
export {
  type CavityFlow,
  type CavityOptions,
  type LidProfile,
  lidVelocity,
  sampleGrid,
  solveCavity,
} from './solvers/cavity.js';
export {
  type DarcySolution,
  gaussianRandomField,
  solveDarcy,
  thresholdCoefficient,
} from './solvers/darcy.js';
export { fft, fft2, spectralDerivative, wavenumbers } from './solvers/fft.js';
export { type KdvOptions, type KdvSolution, kdvSoliton, solveKdv } from './solvers/kdv.js';
export { type OdeRhs, rk4 } from './solvers/ode.js';
export { poiseuille } from './solvers/poiseuille.js';
export { type SwingParams, simulateSwing, swingRhs } from './solvers/swing.js';

/** @paperlab/plugin-physics: scientific ML — PINNs, reference solvers, KANs, equivariant products, and their papers. */
export default definePlugin({
  name: 'physics',
  package: pkg,
  kernels: [bsplineBasisKernel, jetActivationKernel, jetActivationGradKernel],
  papers,
});
