import { describe, expect, it } from 'vitest';
import { columnStandardiser } from './standardise.js';

describe('columnStandardiser', () => {
  it('maps the training columns to mean 0 and std 1; a constant column is only centred', () => {
    const x = [1, 5, 3, 5, 5, 5];
    const z = columnStandardiser(x, 2)(x);
    expect(Array.from(z.filter((_, q) => q % 2 === 0))).toEqual(
      [-1.224744871391589, 0, 1.224744871391589].map(Math.fround),
    );
    expect(Array.from(z.filter((_, q) => q % 2 === 1))).toEqual([0, 0, 0]);
  });

  it('applies the training statistics to other rows', () => {
    const std = columnStandardiser([0, 2], 1);
    expect(Array.from(std([1, 3, -1]))).toEqual([0, 2, -2]);
  });
});
