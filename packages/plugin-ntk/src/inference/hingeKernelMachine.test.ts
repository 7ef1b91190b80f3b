import { matFrom } from '@paperlab/core/linalg';
import { describe, expect, it } from 'vitest';
import { hingeKernelMachine } from './hingeKernelMachine.js';

describe('hingeKernelMachine', () => {
  it('fits separable data to margin 1 with a linear kernel and classifies held-out points; a step cap stops it', () => {
    const xs = [-2, -1.5, -1, 1, 1.5, 2];
    const y = xs.map(Math.sign);
    const xt = [-3, -0.5, 0.5, 3];
    const yt = xt.map(Math.sign);
    const lin = (a: number[], b: number[]) =>
      matFrom(
        a.length,
        b.length,
        a.flatMap((u) => b.map((v) => u * v)),
      );
    const inputs = { kTrainTrain: lin(xs, xs), kTestTrain: lin(xt, xs), yTrain: y, yTest: yt, lr: 1 };
    const done = hingeKernelMachine({ ...inputs, maxSteps: 1000 });
    expect(done.fitted).toBe(true);
    expect(done.testError).toBe(0);
    const capped = hingeKernelMachine({ ...inputs, maxSteps: 1 });
    expect(capped.fitted).toBe(false);
    expect(() => hingeKernelMachine({ ...inputs, yTrain: [1, -1], maxSteps: 1 })).toThrow(/K\(X,X\)/);
  });
});
