import { describe, expect, it } from 'vitest';
import { histogram } from './histogram.js';

describe('histogram', () => {
  it('counts in equal bins; a given range drops values outside it, the values’ own range keeps the maximum', () => {
    const open = histogram([-1, 0, 0.1, 0.24, 0.25, 0.5, 0.99, 1, 2], 4, { lo: 0, hi: 1 });
    expect(open.counts).toEqual([3, 1, 1, 1]);
    expect(open.centre(0)).toBeCloseTo(0.125, 12);
    const own = histogram([0, 1, 2, 3, 4], 2);
    expect(own.counts).toEqual([2, 3]);
    expect(own.width).toBe(2);
    expect(histogram([1, 2, 3], 3, { lo: 1, hi: 3, closed: true }).counts).toEqual([1, 1, 1]);
  });
});
