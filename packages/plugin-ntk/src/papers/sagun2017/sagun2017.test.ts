import { type RunEnvironment, runExperiment } from '@paperlab/core';
import { createTestEnvironment, expectSeedDeterminism, runChecked } from '@paperlab/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('ntk/sagun2017', () => {
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin]);
  });

  it('smoke: output shape, finite numbers, same seed gives the same numbers, no tensor leak', async () => {
    const r = await expectSeedDeterminism(env, 'ntk/sagun2017', { differs: 'max_lambda_min' });
    expect(r.series!.by_clusters).toHaveLength(2);
    expect(r.series!.by_width).toHaveLength(2);
    for (const k of ['min_near_zero_frac', 'min_gap', 'max_gn_rel_diff', 'max_lambda_min', 'max_asymmetry']) {
      expect(Number.isFinite(r.scalars[k]), k).toBe(true);
    }
    // float32 products: the assembled Hessian is symmetric to round-off.
    expect(r.scalars.max_asymmetry).toBeLessThan(1e-4);
    expect(r.claims.map((c) => c.id)).toEqual([
      'bulk-plus-outliers',
      'outliers-track-classes',
      'parameters-scale-bulk',
      'outliers-are-gauss-newton',
      'digits-outliers',
    ]);
  });

  it('ci preset (the paper’s mixtures and network, narrower): the mixture claims reproduce', async () => {
    const { result } = await runChecked(env, { experiment: 'ntk/sagun2017', preset: 'ci', seed: 0 });
    const verdicts = Object.fromEntries(result.claims.map((c) => [c.id, `${c.verdict}: ${c.measured}`]));
    for (const c of result.claims.filter((c) => c.id !== 'digits-outliers'))
      expect(c.verdict, JSON.stringify(verdicts, null, 2)).toBe('reproduced');
  });

  it('claims fail on doctored output', () => {
    const exp = env.lab.experiment('ntk/sagun2017');
    const track = exp.claims.find((c) => c.id === 'outliers-track-classes')!;
    const flat = {
      scalars: {},
      series: {
        by_clusters: [
          { k: 2, outliers: 3 },
          { k: 5, outliers: 3 },
          { k: 10, outliers: 3 },
        ],
      },
    };
    expect(track.check(flat, {}).verdict).toBe('not-reproduced');
    const bulk = exp.claims.find((c) => c.id === 'bulk-plus-outliers')!;
    const noGap = {
      scalars: {
        n_spectra: 3,
        min_near_zero_frac: 0.8,
        min_gap: 1.05,
        min_gap_contrast: 1.2,
        max_outlier_frac: 0.01,
      },
    };
    expect(bulk.check(noGap, {}).verdict).toBe('not-reproduced');
    const gn = exp.claims.find((c) => c.id === 'outliers-are-gauss-newton')!;
    expect(
      gn.check({ scalars: { n_spectra: 3, max_gn_rel_diff: 0.3, max_lambda_min: -0.01 } }, {}).verdict,
    ).toBe('not-reproduced');
  });

  it('a missing dataset is an error, not random data', async () => {
    const out = await runExperiment(
      {
        ...env,
        data: {
          open: async (name: string) => Promise.reject(new Error(`dataset ${name} not found`)),
          describe: () => [],
        },
      },
      {
        experiment: 'ntk/sagun2017',
        preset: 'smoke',
        seed: 0,
        backend: 'wasm',
        overrides: ['digits.dataset=mnist', 'clusters=[2]', 'widths=[]'],
      },
    );
    expect(out.header.status).toBe('failed');
    expect(out.header.error?.message).toMatch(/not found/);
  });
});
