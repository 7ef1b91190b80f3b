import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../testing/backends.js';
import { createFitOptimizer } from '../train/fitOptimizer.js';

describe('fit optimizers: the step count and state every kind shares', () => {
  beforeAll(useWasm);

  it('a wrapped tfjs optimizer counts steps, saves its slots with their order, and restores them', async () => {
    const w = tf.variable(tf.tensor1d([1, -2, 3]), true, 'fitOptimizerTest/w');
    const g = tf.tensor1d([0.5, 0.25, -1]);
    const opt = createFitOptimizer({ type: 'rmsprop', lr: 0.1 });
    expect(opt.label).toBe('tfjs:RMSProp');
    opt.apply([w], [g]);
    opt.apply([w], [g]);
    expect(opt.steps).toBe(2);
    const state = await opt.getState();
    const json = state.json as { order: string[]; steps: number };
    expect(json.steps).toBe(2);
    expect(json.order.length).toBeGreaterThan(0);
    expect(Object.keys(state.tensors).sort()).toEqual([...json.order].sort());
    const after2 = Float32Array.from(await w.data());
    opt.apply([w], [g]);
    const after3 = Float32Array.from(await w.data());

    const other = createFitOptimizer({ type: 'rmsprop', lr: 0.1 });
    await other.setState(state);
    expect(other.steps).toBe(2);
    w.assign(tf.tensor1d(after2));
    other.apply([w], [g]);
    expect(Float32Array.from(await w.data())).toEqual(after3);
    expect(() => other.apply([w], [])).toThrow(/tfjs:RMSProp: 0 gradients for 1 variables/);
    opt.dispose();
    other.dispose();
    // No tensor-count check here: tfjs's RMSProp keeps scalars of its own after dispose (see momentumSgd's doc).
    tf.dispose([w, g]);
  });

  it('core optimizers check lrScale against the variables and restore a missing step count as 0', async () => {
    const w = tf.variable(tf.tensor1d([1, 2]), true);
    const g = tf.tensor1d([1, 1]);
    const opt = createFitOptimizer({ type: 'adam', lr: 0.1, lrScale: [1, 2] });
    expect(() => opt.apply([w, w], [g, g, g])).toThrow(/3 gradients for 2 variables/);
    expect(() => opt.apply([w], [g])).toThrow(/lrScale has 2 factors for 1 variables/);
    expect(opt.steps).toBe(0);
    await opt.setState({ tensors: {} });
    expect(opt.steps).toBe(0);
    opt.dispose();
    tf.dispose([w, g]);
  });
});
