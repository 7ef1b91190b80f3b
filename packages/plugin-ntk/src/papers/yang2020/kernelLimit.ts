import { centredOneHot } from '../../data/centredOneHot.js';
import type { ImageSubset } from '../../data/imageSubset.js';
import { gradientDescentMse } from '../../inference/gdMse.js';
import { argmaxAccuracy } from '../../util/argmaxAccuracy.js';
import { analyticNtk } from './parametrisedMlp.js';

/** The NTK-parametrised net's kernel limit: gradient descent on the squared loss with its analytic NTK. */
export interface KernelLimit {
  /** Test outputs of `steps` GD steps on the analytic NTK from the net's initial outputs f₀ (train, test). */
  predict(f0Train: Float64Array, f0Test: Float64Array): Float64Array;
  /** Test accuracy of the infinite-width net (f₀ = 0 in expectation). */
  accuracy: number;
  /** Its test loss (half the mean squared error per image). */
  loss: number;
}

/** The kernel limit of the 1-hidden-layer net at base width `n0` and learning rate `eta` on `data`. */
export function ntkKernelLimit(
  data: ImageSubset,
  classes: number,
  n0: number,
  eta: number,
  steps: number,
): KernelLimit {
  const kTrainTrain = analyticNtk(data.xTrain, data.xTrain, data.d, n0, eta);
  const kTestTrain = analyticNtk(data.xTest, data.xTrain, data.d, n0, eta);
  const yTrain = Float64Array.from(centredOneHot(data.yTrain, classes, Float32Array));
  const predict = (f0Train: Float64Array, f0Test: Float64Array) =>
    gradientDescentMse({ kTrainTrain, kTestTrain, yTrain, f0Train, f0Test, lr: 1 }, { steps }).test;
  const limit = predict(new Float64Array(data.nTrain * classes), new Float64Array(data.nTest * classes));
  const yTest = centredOneHot(data.yTest, classes, Float32Array);
  let sq = 0;
  for (let i = 0; i < yTest.length; i++) sq += (limit[i]! - yTest[i]!) ** 2;
  return { predict, accuracy: argmaxAccuracy(limit, data.yTest, classes), loss: sq / (2 * data.nTest) };
}
