import { describe, expect, it } from 'vitest';
import { logAddExp } from './logAddExp.js';

describe('logAddExp', () => {
  it('is log(eᵃ + eᵇ): exact on moderate values, finite where the exponentials over- or underflow', () => {
    for (const [a, b] of [
      [0, 0],
      [1.5, -2],
      [-3, 4],
    ] as const)
      expect(logAddExp(a, b)).toBeCloseTo(Math.log(Math.exp(a) + Math.exp(b)), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(-1000, -1001)).toBeCloseTo(-1000 + Math.log1p(Math.exp(-1)), 12);
    expect(logAddExp(800, -800)).toBe(800);
  });

  it('−∞ is a zero term, on either side', () => {
    expect(logAddExp(-Infinity, 2.5)).toBe(2.5);
    expect(logAddExp(-3, -Infinity)).toBe(-3);
    expect(logAddExp(-Infinity, -Infinity)).toBe(-Infinity);
  });
});
