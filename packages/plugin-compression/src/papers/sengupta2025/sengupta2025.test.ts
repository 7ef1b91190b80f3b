import { expectClaimCanFail, expectThresholdClaims, gapClaims } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { latticeMask, magnitudeMaskOf, maskCount, meetIrreducible } from '../../prune/lattice.js';
import { sengupta2025 } from './experiment.js';

describe('compression/sengupta2025', () => {
  itRunsSmoke(
    'compression/sengupta2025',
    'acc_dense',
    [
      ['moderate-keeps-accuracy', 'paper'],
      ['aggressive-trades-accuracy', 'paper'],
      ['lattice-beats-magnitude-binary', 'paper'],
      ['lattice-beats-magnitude-continuous', 'paper'],
      ['magnitude-beats-random', 'control'],
      ['dense-trains', 'control'],
    ],
    (result) => {
      // Continuous adjacency keeps fewer connections than binary.
      expect(result.scalars.sparsity_continuous!).toBeGreaterThan(result.scalars.sparsity_binary!);
    },
  );

  it('meet-irreducible: a row equal to the meet of the rows above it is reducible; duplicates keep the first', () => {
    // Rows: a = {0,1}, b = {0,2}, c = {0} = a ∧ b (reducible), d = a (duplicate of a).
    const a = Float32Array.from([1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(meetIrreducible(a, 4))).toEqual([1, 1, 0, 0]);
    // An antichain: every neuron is irreducible.
    expect(Array.from(meetIrreducible(Float32Array.from([1, 0, 0, 1]), 2))).toEqual([1, 1]);
  });

  it('lattice masks drop the connections of reducible neurons; magnitude masks keep the largest weights', () => {
    const a = Float32Array.from([1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    // Neurons 2 and 3 are reducible: only 0→0, 0→1 and 1→0 survive.
    expect(Array.from(latticeMask(a, 4, 'binary'))).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const w = Float32Array.from([0.9, 0.8, 0.1, 0.1, 0.9, 0.05, 0.7, 0.02, 0.01]);
    expect(Array.from(magnitudeMaskOf(w, 3))).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect(maskCount(latticeMask(w, 3, 'continuous', 0.5))).toBe(4);
  });

  const ok = {
    seeds: 3,
    dense_acc_min: 0.95,
    acc_dense: 0.96,
    acc_binary_lattice: 0.955,
    acc_continuous_lattice: 0.9,
    sparsity_binary: 0.5,
    sparsity_continuous: 0.9,
    irreducible_binary: 1,
    irreducible_continuous: 1,
    overlap_binary: 1,
    overlap_continuous: 1,
    drop_binary: -0.003,
    drop_binary_sem: 0.001,
    drop_continuous: -0.05,
    drop_continuous_sem: 0.01,
  };
  const gapClaim = gapClaims(sengupta2025, ok);

  it('moderate-keeps-accuracy: a drop within 1 point passes, a large drop fails, few seeds / untrained are inconclusive', () => {
    gapClaim('moderate-keeps-accuracy', 'drop_binary', {
      pass: [-0.003, 0.001],
      fail: [-0.05, 0.001],
      straddle: [-0.01, 0.005],
      inconclusive: [{ seeds: 2 }, { dense_acc_min: 0.5 }],
    });
  });

  it('aggressive-trades-accuracy: sparser with a modest drop passes; not sparser or a large drop fails', () => {
    expectClaimCanFail(sengupta2025, 'aggressive-trades-accuracy', {
      base: ok,
      pass: {},
      fail: { sparsity_continuous: 0.6 },
      inconclusive: [{ drop_continuous: -0.1, drop_continuous_sem: 0.02 }, { seeds: 2 }],
    });
    expectClaimCanFail(sengupta2025, 'aggressive-trades-accuracy', {
      base: ok,
      pass: {},
      fail: { drop_continuous: -0.3 },
    });
  });

  for (const kind of ['binary', 'continuous'] as const)
    it(`lattice-beats-magnitude-${kind}: a gain passes, identical masks (gap 0 ± 0) or a loss fail`, () => {
      const [id, gap] = [`lattice-beats-magnitude-${kind}`, `vs_magnitude_${kind}`];
      gapClaim(id, gap, { pass: [0.02, 0.005], fail: [0, 0], straddle: [0.005, 0.005] });
      gapClaim(id, gap, { pass: [0.02, 0.005] });
    });

  it('controls: magnitude beats random; the dense RNN trains', () => {
    gapClaim('magnitude-beats-random', 'magnitude_vs_random_continuous', { pass: [0.2, 0.02] });
    expectThresholdClaims(sengupta2025, { 'dense-trains': ['dense_acc_min', 0.95, 0.5] });
  });
});
