import * as tf from '@tensorflow/tfjs-core';
import type { CurvatureKind, MlpClassifierParams, MlpClassifierSpec } from './hessian.js';
import { mlpCurvatureProducts, mlpParamCount } from './hessian.js';

/**
 * The MLP's Hessian (or Gauss-Newton matrix) as a matrix-free Float64 operator v ↦ M·v, for Lanczos and other
 * iterative solvers: the matrix is never formed.
 */
export function mlpCurvatureOperator(
  spec: MlpClassifierSpec,
  params: MlpClassifierParams,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  kind: CurvatureKind,
): (v: Float64Array) => Float64Array {
  const P = mlpParamCount(spec);
  return (v) => {
    const V = tf.tensor2d(Float32Array.from(v), [1, P]);
    const mv = mlpCurvatureProducts(spec, params, x, yOneHot, V, kind);
    const out = Float64Array.from(mv.dataSync());
    tf.dispose([V, mv]);
    return out;
  };
}
