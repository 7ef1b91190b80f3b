import { describe, expect, it } from 'vitest';
import { fmt, interval, pct, pctPm, pm, points } from '../kit/index.js';

describe('kit: formatters', () => {
  it('print fixed digits and say n/a for a missing or non-finite number', () => {
    expect(fmt(1 / 3)).toBe('0.333');
    expect(fmt(2, 1)).toBe('2.0');
    expect(fmt(undefined)).toBe('n/a');
    expect(fmt(Number.NaN)).toBe('n/a');
    expect(pct(0.1234)).toBe('12.3%');
    expect(pct(Number.POSITIVE_INFINITY)).toBe('n/a');
  });

  it('print a value with its error in one unit', () => {
    expect(pm(0.5, 0.0123, 2)).toBe('0.50 ± 0.01');
    expect(pctPm(0.8766, 0.0123)).toBe('87.7% ± 1.2%');
    expect(pctPm(0.8766, 0.0123, 2)).toBe('87.66% ± 1.23%');
    expect(pctPm(0.5, Number.NaN)).toBe('50.0% ± n/a');
    expect(points(-0.0123, 0.004)).toBe('-1.2 ± 0.4 pts');
    expect(points(0.02)).toBe('+2.0 pts');
  });

  it('print intervals with infinite ends', () => {
    expect(interval(0, 1)).toBe('[0, 1]');
    expect(interval(Number.NEGATIVE_INFINITY, 0.25, 2)).toBe('[−∞, 0.25]');
    expect(interval(0.5, Number.POSITIVE_INFINITY)).toBe('[0.5, ∞]');
  });
});
