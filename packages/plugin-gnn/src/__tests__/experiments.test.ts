import { describe, expect, it } from 'vitest';
import { barVerdict } from '../experiments/barVerdict.js';
import { accuracyRow, putMeanSem } from '../experiments/seedSummary.js';

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

describe('accuracyRow', () => {
  it('gives the test mean with its standard error and the train mean', () => {
    const a = accuracyRow([
      { test: 0.5, train: 0.9 },
      { test: 0.7, train: 1 },
    ]);
    expect(a.test).toBeCloseTo(0.6, 12);
    expect(a.sem).toBeCloseTo(0.1, 12);
    expect(a.train).toBeCloseTo(0.95, 12);
  });
});
