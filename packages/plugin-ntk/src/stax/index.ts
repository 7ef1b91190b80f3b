/**
 * Composable infinite-width layers in the spirit of neural-tangents' `stax`: each layer gives the finite
 * network (init/apply) and the analytic NNGP/NTK of the same architecture.
 */
export { abs, erf, leakyRelu, relu } from './activations.js';
export { type ConvOptions, conv, dense } from './affine.js';
export { fanInConcat, fanInSum, fanOut, identity, parallel, serial } from './combinators.js';
export {
  disposeParams,
  type EmpiricalNtkOptions,
  type EmpiricalNtkResult,
  empiricalNtk,
  flattenParams,
  type MonteCarloOptions,
  monteCarloKernels,
} from './empirical.js';
export type { Kernel, Padding } from './kernel.js';
export {
  type InputBatch,
  type KernelBlock,
  type KernelGet,
  type KernelMatrix,
  type KernelMatrixOptions,
  kernelFn,
  kernelMatrix,
} from './kernelFn.js';
export { flatten, globalAvgPool } from './pooling.js';
export type {
  AffineLayer,
  AffineOptions,
  Flow,
  KernelContext,
  Layer,
  Parametrization,
  Params,
  Shape,
  TangentFeatures,
  Tap,
} from './types.js';
