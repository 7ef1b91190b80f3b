import { describe, expect, it } from 'vitest';
import { barVerdict } from '../experiments/barVerdict.js';
import { putMeanSem } from '../experiments/seedSummary.js';

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
