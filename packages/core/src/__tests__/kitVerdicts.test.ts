import { describe, expect, it } from 'vitest';
import { barVerdict, gapScalars, intervalVerdict, putMeanSem, withSem } from '../kit/index.js';

// Moved from plugin-compression (withSem, gapScalars, intervalVerdict) and plugin-gnn (barVerdict, putMeanSem).
describe('scalars with standard errors', () => {
  it('withSem writes key and key_sem; gapScalars the paired gap a − b', () => {
    expect(withSem('gap', { mean: 0.5, sem: 0.1 })).toEqual({ gap: 0.5, gap_sem: 0.1 });
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
});

describe('barVerdict', () => {
  it('judges mean ± 2 s.e. against the bar on the claimed side', () => {
    expect(barVerdict(0.5, 0.1, 0, { side: 'above' })).toBe('reproduced');
    expect(barVerdict(-0.5, 0.1, 0, { side: 'above' })).toBe('not-reproduced');
    expect(barVerdict(0.1, 0.1, 0, { side: 'above' })).toBe('inconclusive');
    expect(barVerdict(-0.5, 0.1, 0, { side: 'below' })).toBe('reproduced');
    expect(barVerdict(0.5, 0.1, 0, { side: 'below' })).toBe('not-reproduced');
    expect(barVerdict(-0.1, 0.1, 0, { side: 'below' })).toBe('inconclusive');
    expect(barVerdict(0.25, 0.1, 0, { side: 'above', k: 3 })).toBe('inconclusive');
  });

  it('an interval ending exactly at the bar counts for the side named by barCounts, else is inconclusive', () => {
    // mean − 2 s.e. = 1 and mean + 2 s.e. = 1 (bar 1).
    expect(barVerdict(1.5, 0.25, 1, { side: 'above' })).toBe('inconclusive');
    expect(barVerdict(1.5, 0.25, 1, { side: 'above', barCounts: 'above' })).toBe('reproduced');
    expect(barVerdict(0.5, 0.25, 1, { side: 'above', barCounts: 'below' })).toBe('not-reproduced');
    expect(barVerdict(0.5, 0.25, 1, { side: 'below' })).toBe('inconclusive');
    expect(barVerdict(0.5, 0.25, 1, { side: 'below', barCounts: 'below' })).toBe('reproduced');
    expect(barVerdict(1.5, 0.25, 1, { side: 'below', barCounts: 'above' })).toBe('not-reproduced');
  });
});

describe('putMeanSem', () => {
  it('writes the mean under the key and the standard error under key_sem', () => {
    const scalars: { [K in 'gap' | 'gap_sem' | 'n']?: number } = { n: 3 };
    putMeanSem(scalars, 'gap', { mean: 0.25, sem: 0.05 });
    expect(scalars).toEqual({ n: 3, gap: 0.25, gap_sem: 0.05 });
  });
});
