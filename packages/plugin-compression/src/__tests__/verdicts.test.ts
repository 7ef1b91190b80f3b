import { describe, expect, it } from 'vitest';
import { conditionAndGapVerdict, intervalVerdict } from '../claims/intervals.js';
import { gapScalars, withSem } from '../util/scalars.js';

describe('scalars with standard errors', () => {
  it('withSem writes key and key_sem; gapScalars the paired gap a − b', () => {
    expect(withSem('gap', { mean: 0.5, sem: 0.1, n: 3 })).toEqual({ gap: 0.5, gap_sem: 0.1 });
    // Differences 0.1, 0.2, 0.3: mean 0.2, sd 0.1, s.e. 0.1/√3.
    const g = gapScalars('gain', [1.1, 1.2, 1.3], [1, 1, 1]);
    expect(Object.keys(g)).toEqual(['gain', 'gain_sem']);
    expect(g.gain).toBeCloseTo(0.2, 12);
    expect(g.gain_sem).toBeCloseTo(0.1 / Math.sqrt(3), 12);
    expect(() => gapScalars('gain', [1, 2], [1])).toThrow(/paired/);
  });
});

describe('interval verdicts', () => {
  it('value ± 2 s.e. inside reproduces, wholly outside does not, across an end is inconclusive', () => {
    expect(intervalVerdict(700, 50, 375, 1500)).toBe('reproduced');
    expect(intervalVerdict(200, 20, 375, 1500)).toBe('not-reproduced');
    expect(intervalVerdict(1800, 100, 375, 1500)).toBe('not-reproduced');
    expect(intervalVerdict(400, 50, 375, 1500)).toBe('inconclusive');
    // The ends belong to the range; k widens the interval.
    expect(intervalVerdict(0.74, 0.01, 0.72, Number.POSITIVE_INFINITY)).toBe('reproduced');
    expect(intervalVerdict(0.74, 0.01, 0.72, Number.POSITIVE_INFINITY, 3)).toBe('inconclusive');
    expect(intervalVerdict(Number.NaN, 0.01, 0, 1)).toBe('inconclusive');
  });

  it('a trade-off needs its condition and a gap above the margin by 2 s.e.', () => {
    expect(conditionAndGapVerdict(true, 0, 0.002, -0.01)).toBe('reproduced');
    expect(conditionAndGapVerdict(false, 0, 0.002, -0.01)).toBe('not-reproduced');
    expect(conditionAndGapVerdict(true, -0.05, 0.002, -0.01)).toBe('not-reproduced');
    expect(conditionAndGapVerdict(true, -0.009, 0.003, -0.01)).toBe('inconclusive');
    // Exactly on the margin with no spread: neither above nor below it.
    expect(conditionAndGapVerdict(true, -0.01, 0, -0.01)).toBe('inconclusive');
  });
});
