import type { RunEnvironment } from '@paperlab/core';
import {
  createTestEnvironment,
  expectAllReproduced,
  expectSeedDeterminism,
  runChecked,
} from '@paperlab/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('ntk/cagnetta2022', () => {
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin]);
  });

  it('smoke: output shape, finite numbers, same seed same numbers, other seed other numbers, no tensor leak', async () => {
    const r = await expectSeedDeterminism(env, 'ntk/cagnetta2022', { differs: 'beta_cnn_patch' });
    expect(r.series!.learning_curves).toHaveLength(2 * 3 * 3);
    for (const k of ['cnn', 'fc'])
      for (const t of ['patch', 'meta', 'full']) {
        expect(Number.isFinite(r.scalars[`beta_${k}_${t}`]), `${k} ${t}`).toBe(true);
        expect(r.scalars[`err_${k}_${t}_pmax`]).toBeGreaterThan(0);
      }
    expect(r.claims.map((c) => [c.id, c.verdict])).toEqual([
      ['cnn-adapts-to-locality', 'inconclusive'],
      ['fc-blind-to-locality', 'inconclusive'],
      ['cnn-beats-fc-on-local-targets', 'inconclusive'],
    ]);
  });

  it('ci preset (P ≤ 1024): the CNN exponents are ordered by locality and the CNN beats the FC kernel', async () => {
    const { result } = await runChecked(env, { experiment: 'ntk/cagnetta2022', preset: 'ci', seed: 0 });
    expectAllReproduced(result);
  });

  it('claims fail on doctored outputs (no ordering; FC as adaptive as the CNN; FC better)', () => {
    const exp = env.lab.experiment('ntk/cagnetta2022');
    const base = {
      seeds: 2,
      fit_points: 5,
      p_max: 4096,
      fit_p_min: 128,
      beta_cnn_patch: 0.5,
      beta_cnn_patch_sem: 0.01,
      beta_cnn_meta: 0.52,
      beta_cnn_meta_sem: 0.01,
      beta_cnn_full: 0.3,
      beta_cnn_full_sem: 0.01,
      beta_fc_patch: 0.6,
      beta_fc_meta: 0.4,
      beta_fc_full: 0.3,
      err_cnn_patch_pmax: 0.05,
      err_fc_patch_pmax: 0.04,
    };
    for (const c of exp.claims) expect(c.check({ scalars: base }, {}).verdict, c.id).toBe('not-reproduced');
  });
});
