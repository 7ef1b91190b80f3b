import { describe, expect, it } from 'vitest';
import { int, ints, real, reals } from './fields.js';
import { plot } from './plots.js';

describe('config fields and plots', () => {
  it('int/real/ints/reals keep their bounds, defaults and descriptions', () => {
    const n = int(5, [2, 64], 'seeds');
    expect(n.parse(undefined)).toBe(5);
    expect(n.description).toBe('seeds');
    for (const bad of [1, 65, 2.5]) expect(n.safeParse(bad).success, String(bad)).toBe(false);
    expect(int(3, [1, 1000], 'bounded above').safeParse(1e9).success).toBe(false);
    expect(real(1, 'step', { max: 10 }).safeParse(0).success).toBe(false);
    expect(real(1, 'step', { max: 10 }).safeParse(11).success).toBe(false);
    expect(real(0.1, 'noise', [0, 1]).safeParse(0).success).toBe(true);
    expect(real(0.1, 'noise', [0, 1]).safeParse(1.5).success).toBe(false);
    const list = ints([64, 128], [4, 4096], 'widths', 2);
    expect(list.parse(undefined)).toEqual([64, 128]);
    expect(list.safeParse([64]).success).toBe(false);
    expect(list.safeParse([2, 64]).success).toBe(false);
    expect(list.safeParse([64, 8192]).success).toBe(false);
    expect(reals([0.1], 'temperatures', 10).safeParse([-1]).success).toBe(false);
    expect(reals([0.1], 'temperatures', 10).safeParse([11]).success).toBe(false);
    const pair = reals([1, 2], 'Dirichlet parameters', 1e4, [2, 3]);
    expect(pair.parse(undefined)).toEqual([1, 2]);
    for (const bad of [[1], [1, 2, 3, 4], [1, 0]])
      expect(pair.safeParse(bad).success, String(bad)).toBe(false);
    expect(pair.safeParse([1, 2, 3]).success).toBe(true);
  });

  it('plot passes axes, titles and options through to the line plot', () => {
    const spec = JSON.stringify(plot('p', 'Title', ['s', 'w', 'e', 'width', 'error'], { logX: true }));
    for (const part of ['"title":"width"', '"title":"error"', '"type":"log"', 'Title'])
      expect(spec).toContain(part);
  });
});
