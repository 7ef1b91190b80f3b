import { describe, expect, it } from 'vitest';
import { logSpacedSteps } from './logSpacedSteps.js';

describe('logSpacedSteps', () => {
  it('gives 1·10ᵉ and 3·10ᵉ from the minimum, and always the last step', () => {
    expect(logSpacedSteps(300, 10)).toEqual([10, 30, 100, 300]);
    expect(logSpacedSteps(10_000, 10)).toEqual([10, 30, 100, 300, 1000, 3000, 10_000]);
    expect(logSpacedSteps(50)).toEqual([1, 3, 10, 30, 50]);
  });
});
