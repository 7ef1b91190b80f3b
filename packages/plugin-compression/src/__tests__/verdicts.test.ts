import { describe, expect, it } from 'vitest';
import { conditionAndGapVerdict } from '../claims/intervals.js';

describe('trade-off verdicts', () => {
  it('a trade-off needs its condition and a gap above the margin by 2 s.e.', () => {
    expect(conditionAndGapVerdict(true, 0, 0.002, -0.01)).toBe('reproduced');
    expect(conditionAndGapVerdict(false, 0, 0.002, -0.01)).toBe('not-reproduced');
    expect(conditionAndGapVerdict(true, -0.05, 0.002, -0.01)).toBe('not-reproduced');
    expect(conditionAndGapVerdict(true, -0.009, 0.003, -0.01)).toBe('inconclusive');
    // Exactly on the margin with no spread: neither above nor below it.
    expect(conditionAndGapVerdict(true, -0.01, 0, -0.01)).toBe('inconclusive');
  });
});
