import { describe, expect, it } from 'vitest';
import { intervalRule } from './claims.js';

// Values exact in binary, so that an interval end lands exactly on the margin (k = 2, s.e. 0.25, m = 0.5).
describe('intervalRule', () => {
  it('above: g − 2 s.e. > m reproduces, g + 2 s.e. ≤ m does not; an interval starting at m is inconclusive', () => {
    expect(intervalRule('above', 1.5, 0.25, 0.5, 2)).toBe('reproduced');
    expect(intervalRule('above', 1, 0.25, 0.5, 2)).toBe('inconclusive');
    expect(intervalRule('above', 0, 0.25, 0.5, 2)).toBe('not-reproduced');
    expect(intervalRule('above', 0.5, 0.25, 0.5, 2)).toBe('inconclusive');
    expect(intervalRule('above', 1, 0.25, 0.5, 1)).toBe('reproduced');
  });

  it('not-below: g − 2 s.e. ≥ −m reproduces, g + 2 s.e. < −m does not; an interval ending at −m is inconclusive', () => {
    expect(intervalRule('not-below', 0, 0.25, 0.5, 2)).toBe('reproduced');
    expect(intervalRule('not-below', -1, 0.25, 0.5, 2)).toBe('inconclusive');
    expect(intervalRule('not-below', -2, 0.25, 0.5, 2)).toBe('not-reproduced');
    expect(intervalRule('not-below', -0.5, 0.25, 0.5, 2)).toBe('inconclusive');
  });

  it('within: g ± 2 s.e. inside [−m, m] (ends included) reproduces, wholly outside does not, else inconclusive', () => {
    expect(intervalRule('within', 0, 0.25, 0.5, 2)).toBe('reproduced');
    expect(intervalRule('within', 1, 0.25, 0.5, 2)).toBe('inconclusive');
    expect(intervalRule('within', -1, 0.25, 0.5, 2)).toBe('inconclusive');
    expect(intervalRule('within', 1.5, 0.25, 0.5, 2)).toBe('not-reproduced');
    expect(intervalRule('within', -1.5, 0.25, 0.5, 2)).toBe('not-reproduced');
  });

  it('a NaN gap or s.e. is inconclusive under every sense', () => {
    for (const sense of ['above', 'not-below', 'within'] as const) {
      expect(intervalRule(sense, Number.NaN, 0.25, 0.5, 2)).toBe('inconclusive');
      expect(intervalRule(sense, 0, Number.NaN, 0.5, 2)).toBe('inconclusive');
    }
  });
});
