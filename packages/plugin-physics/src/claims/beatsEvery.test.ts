import { describe, expect, it } from 'vitest';
import { beatsEvery } from './beatsEvery.js';

describe('beatsEvery', () => {
  const f = (v: number) => v.toFixed(1);
  const gaps = (a: number, b: number) => [
    { name: 'A', gap: a, sem: 0.1 },
    { name: 'B', gap: b, sem: 0.1 },
  ];

  it('reproduced when every gap clears 0 by 2 s.e.; not reproduced when one is below by 2 s.e.', () => {
    expect(beatsEvery(gaps(0.5, 0.3), f, '; ')).toEqual({
      verdict: 'reproduced',
      measured: 'A 0.5 ± 0.1; B 0.3 ± 0.1',
    });
    expect(beatsEvery(gaps(0.5, -0.3), f, ', ').verdict).toBe('not-reproduced');
  });

  it('inconclusive when a gap straddles 0 or is missing', () => {
    expect(beatsEvery(gaps(0.5, 0.1), f, '; ').verdict).toBe('inconclusive');
    expect(beatsEvery(gaps(0.5, Number.NaN), f, '; ').verdict).toBe('inconclusive');
    // Exactly 2 s.e. above 0 does not clear it; a loss elsewhere still decides against.
    expect(beatsEvery(gaps(0.5, 0.2), f, '; ').verdict).toBe('inconclusive');
    expect(beatsEvery(gaps(-0.5, Number.NaN), f, '; ').verdict).toBe('not-reproduced');
  });
});
