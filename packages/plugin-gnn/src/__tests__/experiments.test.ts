import { describe, expect, it } from 'vitest';
import { accuracyRow } from '../experiments/seedSummary.js';

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
