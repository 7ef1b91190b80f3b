import type { RunEnvironment } from '@paperlab/core';
import {
  createTestEnvironment,
  expectAllReproduced,
  expectSeedDeterminism,
  runChecked,
} from '@paperlab/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('ntk/yang2019', () => {
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin]);
  });

  it('smoke: output shape, finite numbers, same seed same numbers, other seed other numbers, no tensor leak', async () => {
    const r = await expectSeedDeterminism(env, 'ntk/yang2019', { differs: 'tied_err_widest' });
    expect(r.series!.cells).toHaveLength(3 * 2);
    for (const k of [
      'tied_slope',
      'untied_slope',
      'tied_err_widest',
      'ks_semicircle_largest',
      'ks_mp_largest',
    ])
      expect(Number.isFinite(r.scalars[k]), k).toBe(true);
    expect(r.claims.map((c) => c.id)).toEqual([
      'rnn-nngp-tied',
      'tied-equals-untied',
      'semicircle-law',
      'marchenko-pastur-law',
    ]);
  });

  it('ci preset (widths 64–1024, 6 seeds): every claim reproduces', async () => {
    const { result } = await runChecked(env, { experiment: 'ntk/yang2019', preset: 'ci', seed: 0 });
    expectAllReproduced(result);
  });

  it('claims fail on doctored outputs (a plateau, a different tied limit, a wrong spectral law)', () => {
    const exp = env.lab.experiment('ntk/yang2019');
    const out = {
      scalars: {
        n_widths: 7,
        width_min: 64,
        width_max: 4096,
        tied_slope: -0.1,
        tied_slope_sem: 0.02,
        untied_slope: -0.5,
        tied_err_narrowest: 0.3,
        tied_err_widest: 0.2,
        untied_err_narrowest: 0.3,
        untied_err_widest: 0.04,
        tied_vs_untied_widest: 0.2,
        spectrum_n_min: 256,
        spectrum_n_max: 1024,
        ks_semicircle_smallest: 0.02,
        ks_semicircle_largest: 0.03,
        ks_semicircle_gaussian_largest: 0.05,
        ks_mp_smallest: 0.02,
        ks_mp_largest: 0.08,
        ks_mp_gaussian_largest: 0.1,
      },
    };
    for (const c of exp.claims) expect(c.check(out, {}).verdict, c.id).toBe('not-reproduced');
  });
});
