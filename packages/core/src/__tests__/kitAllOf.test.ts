import { describe, expect, it } from 'vitest';
import { allOf, barVerdict } from '../kit/index.js';

describe('allOf', () => {
  it('any part not reproduced fails; every part reproduced passes; anything else is inconclusive', () => {
    expect(allOf(['reproduced', 'reproduced'])).toBe('reproduced');
    expect(allOf(['reproduced', 'not-reproduced'])).toBe('not-reproduced');
    expect(allOf(['inconclusive', 'not-reproduced'])).toBe('not-reproduced');
    expect(allOf(['reproduced', 'inconclusive'])).toBe('inconclusive');
    expect(allOf(['inconclusive'])).toBe('inconclusive');
    // No parts: vacuously all reproduced (as ntk's and quantum's copies of this rule had it).
    expect(allOf([])).toBe('reproduced');
  });

  it('over barVerdicts: two means both at or above a bar by 2 s.e.', () => {
    const at = (m: number, e: number) => barVerdict(m, e, 0.9, { side: 'above', barCounts: 'above' });
    expect(allOf([at(0.98, 0.01), at(0.92, 0.01)])).toBe('reproduced');
    expect(allOf([at(0.98, 0.01), at(0.92, 0.02)])).toBe('inconclusive');
    expect(allOf([at(0.98, 0.01), at(0.8, 0.02)])).toBe('not-reproduced');
    expect(allOf([at(Number.NaN, 0.01), at(0.98, 0.01)])).toBe('inconclusive');
  });
});
