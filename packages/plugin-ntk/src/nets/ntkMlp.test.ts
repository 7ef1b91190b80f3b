import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { empiricalNtkJacobian } from '../kernels/empiricalNtk.js';
import { disposeNtkMlp, empiricalNtkMlp, initNtkMlp, ntkMlpForward, ntkMlpVariables } from './ntkMlp.js';

describe('NTK-parametrised MLP', () => {
  beforeAll(useWasm);

  for (const activation of ['relu', 'erf'] as const) {
    it(`layer-wise empirical NTK equals J·Jᵀ from per-example Jacobians (${activation})`, () => {
      const spec = { inputDim: 3, width: 24, depth: 4, sigmaW2: 2, sigmaB2: 0.1, activation };
      const params = initNtkMlp(spec, new Rng(5));
      const x = tf.tensor2d(new Rng(6).normals(7 * 3), [7, 3]);
      const a = empiricalNtkMlp(spec, params, x);
      const b = empiricalNtkJacobian((xi) => ntkMlpForward(spec, params, xi), ntkMlpVariables(params), x);
      const diff = tf.tidy(
        () => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / tf.max(tf.abs(b)).dataSync()[0]!,
      );
      expect(diff).toBeLessThan(1e-4);
      tf.dispose([a, b, x]);
      disposeNtkMlp(params);
    });
  }
});
