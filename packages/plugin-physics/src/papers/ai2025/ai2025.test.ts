import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/ai2025', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: four discriminators at two rates and two energy bands; deterministic; no leak', async () => {
    const r = await expectSeedDeterminism(env, 'physics/ai2025', { differs: 'acc_lin_low_full' });
    for (const k of [
      'acc_cc_low_full',
      'acc_fga_high_coarse',
      'acc_lin_low_coarse',
      'acc_mlp_high_full',
      'drop_gap',
    ])
      expect(Number.isFinite(r.scalars[k]), k).toBe(true);
    expect(r.claims.find((c) => c.id === 'spectrum-beats-classic-low')?.verdict).toBe('inconclusive');
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('physics/ai2025');
    const ok = { seeds: 3, coarse_factor: 8 };
    const gaps = { gap_cc: 0.05, gap_cc_sem: 0.01, gap_fga: 0.08, gap_fga_sem: 0.01 };
    expectClaimCanFail(exp, 'spectrum-beats-classic-low', {
      pass: { ...ok, ...gaps },
      fail: { ...ok, ...gaps, gap_fga: -0.05 },
      inconclusive: [
        { ...ok, ...gaps, gap_cc: 0.01 },
        { ...ok, seeds: 1, ...gaps },
      ],
    });
    expectClaimCanFail(exp, 'spectrum-degrades-least', {
      pass: { ...ok, drop_gap: 0.04, drop_gap_sem: 0.01 },
      fail: { ...ok, drop_gap: -0.04, drop_gap_sem: 0.01 },
      inconclusive: [{ ...ok, coarse_factor: 2, drop_gap: 0.04, drop_gap_sem: 0.01 }],
    });
    expectClaimCanFail(exp, 'high-energy-separable', { pass: { high_min: 0.99 }, fail: { high_min: 0.8 } });
  });
});
