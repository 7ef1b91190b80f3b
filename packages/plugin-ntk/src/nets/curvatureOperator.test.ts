import { Rng } from '@paperlab/core';
import { onBackendWithoutLeaks } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gaussianMixture } from '../data/gaussianMixture.js';
import { labelledTensors } from '../data/labelledTensors.js';
import { mlpCurvatureOperator } from './curvatureOperator.js';
import { heavyBallToTarget } from './heavyBall.js';
import {
  disposeMlpClassifier,
  initMlpClassifier,
  type MlpClassifierSpec,
  mlpClassifierVariables,
  mlpCrossEntropy,
  mlpCurvatureMatrix,
  mlpParamCount,
} from './hessian.js';

describe('matrix-free curvature operator and heavy-ball descent, leak-free', () => {
  onBackendWithoutLeaks('wasm');

  it('M·v from the operator equals the assembled matrix times v; descent stops at the loss target', () => {
    const task = gaussianMixture(24, 3, 3, 2, new Rng(5));
    expect(Array.from(task.labels.slice(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    const spec: MlpClassifierSpec = { layers: [3, 5, 3], activation: 'relu' };
    const P = mlpParamCount(spec);
    const { x, y } = labelledTensors(task);
    const params = initMlpClassifier(spec, new Rng(1));
    const loss = () => mlpCrossEntropy(spec, params, x, y);
    const before = tf.tidy(() => loss().dataSync()[0]!);
    const target = 0.8 * before;
    const signal = new AbortController().signal;
    const o = { lr: 0.05, momentum: 0.9, maxSteps: 500, target, signal };
    const steps = heavyBallToTarget(loss, mlpClassifierVariables(params), o);
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(500);
    expect(tf.tidy(() => loss().dataSync()[0]!)).toBeLessThanOrEqual(target * 1.2);
    for (const kind of ['hessian', 'gauss-newton'] as const) {
      const M = mlpCurvatureMatrix(spec, params, x, y, kind);
      const v = Float64Array.from(new Rng(2).normals(P));
      const mv = mlpCurvatureOperator(spec, params, x, y, kind)(v);
      for (let i = 0; i < P; i++) {
        let ref = 0;
        for (let j = 0; j < P; j++) ref += M.data[i * P + j]! * v[j]!;
        expect(Math.abs(mv[i]! - ref), `${kind} row ${i}`).toBeLessThan(1e-4 * (1 + Math.abs(ref)));
      }
    }
    disposeMlpClassifier(params);
    tf.dispose([x, y]);
  });
});
