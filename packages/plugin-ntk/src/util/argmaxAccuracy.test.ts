import { describe, expect, it } from 'vitest';
import { argmaxAccuracy } from './argmaxAccuracy.js';

describe('argmaxAccuracy', () => {
  it('counts rows whose largest score is the label (first index on ties)', () => {
    const scores = [0.1, 0.9, 0, 0.5, 0.2, 0.3, 0.4, 0.4, 0.1];
    expect(argmaxAccuracy(scores, [1, 0, 0], 3)).toBe(1);
    expect(argmaxAccuracy(scores, [1, 2, 1], 3)).toBeCloseTo(1 / 3, 12);
  });
});
