import { throwIfAborted } from '@paperlab/core';
import { block, type Mat } from '@paperlab/core/linalg';
import { kernelRidge } from './kernelRidge.js';

/** Relative test errors per target and training-set size, and the largest jitter the solves needed. */
export interface LearningCurves {
  /** errors[target][size]: Σ(ŷ − y)²/Σy² on the test points. */
  errors: number[][];
  jitter: number;
}

/**
 * Ridgeless kernel-regression learning curves on nested training sets: for each P in `sizes` (ascending), the
 * first P training points (the top-left P×P block of `kTrainTrain`, the first P columns of `kTestTrain`) fit every
 * target at once, and each target's relative test MSE is recorded. `yTrain[t]` holds target t on at least
 * max(sizes) training points, `yTest[t]` on the test points.
 */
export function ridgelessLearningCurves(
  kTrainTrain: Mat,
  kTestTrain: Mat,
  yTrain: ReadonlyArray<ArrayLike<number>>,
  yTest: ReadonlyArray<ArrayLike<number>>,
  sizes: readonly number[],
  signal?: AbortSignal,
): LearningCurves {
  const T = yTrain.length;
  const nTest = kTestTrain.rows;
  const errors: number[][] = yTrain.map(() => []);
  let jitter = 0;
  for (const P of sizes) {
    if (signal) throwIfAborted(signal);
    const Y = new Float64Array(P * T);
    for (let i = 0; i < P; i++) for (let t = 0; t < T; t++) Y[i * T + t] = yTrain[t]![i]!;
    const fit = kernelRidge({
      kTrainTrain: block(kTrainTrain, 0, P, 0, P),
      kTestTrain: block(kTestTrain, 0, nTest, 0, P),
      yTrain: Y,
    });
    jitter = Math.max(jitter, fit.jitter);
    for (let t = 0; t < T; t++) {
      let se = 0;
      let ss = 0;
      for (let i = 0; i < nTest; i++) {
        const yt = yTest[t]![i]!;
        se += (fit.predictions[i * T + t]! - yt) ** 2;
        ss += yt * yt;
      }
      errors[t]!.push(se / ss);
    }
  }
  return { errors, jitter };
}
