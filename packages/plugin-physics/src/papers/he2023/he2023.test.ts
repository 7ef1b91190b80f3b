import {
  expectClaimCanFail,
  expectGapClaim,
  expectSmoke,
  expectThresholdClaims,
  revisedClaim,
  suiteEnvironment,
} from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { he2023 } from './experiment.js';

describe('physics/he2023', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: Darcy data, MgNO, FNO and U-Net all train and are scored; deterministic; no leak', async () => {
    await expectSmoke(env, 'physics/he2023', {
      differs: 'test_l2_mgno',
      finite: ['test_l2_mgno', 'test_h1_fno', 'train_l2_unet', 'meanfield_l2', 'param_spread'],
      // One seed and 12 problems: too small for the paper claims.
      verdicts: { 'mgno-lowest-l2': 'inconclusive', 'solver-converged': 'reproduced' },
    });
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small or untrained runs', () => {
    const exp = env.lab.experiment('physics/he2023');
    const ok = {
      seeds: 3,
      train_size: 256,
      train_ratio_mgno: 0.1,
      train_ratio_fno: 0.2,
      train_ratio_unet: 0.3,
    };
    for (const [id, key, baselines] of [
      ['mgno-lowest-l2', 'l2', ['fno', 'unet']],
      ['mgno-lowest-h1', 'h1', ['fno', 'unet']],
      ['mgno-less-overfitting-than-fno', 'gap', ['fno']],
      ['mgno-trains-easier-than-unet', 'train', ['unet']],
    ] as const) {
      const adv = (g: number, e: number, other = g) =>
        Object.fromEntries(
          baselines.flatMap((b, i) => [
            [`${key}_adv_${b}`, i === 0 ? g : other],
            [`${key}_adv_${b}_sem`, e],
          ]),
        );
      expectClaimCanFail(exp, id, {
        base: ok,
        pass: adv(0.02, 0.005),
        fail: adv(-0.02, 0.005, 0.02),
        inconclusive: [
          adv(0.005, 0.005),
          { seeds: 2, ...adv(0.02, 0.005) },
          { train_ratio_fno: 0.8, ...adv(0.02, 0.005) },
        ],
      });
    }
    expectGapClaim(exp, 'all-beat-mean-field', {
      key: 'meanfield_margin',
      base: { seeds: 3 },
      pass: [0.15, 0.01],
      fail: [-0.1, 0.01],
      straddle: [0.01, 0.01],
      inconclusive: [{ seeds: 1 }],
    });
    expectClaimCanFail(exp, 'parameters-matched', {
      base: { params_mgno: 45094, params_unet: 45731 },
      pass: { param_spread: 0.05, params_fno: 47216 },
      fail: { param_spread: 0.4, params_fno: 63000 },
    });
    expectThresholdClaims(exp, { 'solver-converged': ['solver_residual', 1e-9, 1e-3] });
  });
  it('revisions (2026-12-03): the trained precondition covers only the compared models', () => {
    const ok = {
      seeds: 3,
      train_size: 192,
      train_ratio_mgno: 0.2,
      train_ratio_fno: 0.2,
      train_ratio_unet: 0.8,
    };
    const revised = (id: string, s: Record<string, number>) => {
      const rules = revisedClaim(he2023, id, '2026-12-03');
      return [rules.original(s), rules.revised(s)];
    };
    // An untrained U-Net blocks the original rules but not the revised ones.
    expect(
      revised('mgno-less-overfitting-than-fno', { ...ok, gap_adv_fno: 0.02, gap_adv_fno_sem: 0.005 }),
    ).toEqual(['inconclusive', 'reproduced']);
    expect(
      revised('mgno-trains-easier-than-unet', { ...ok, train_adv_unet: -0.05, train_adv_unet_sem: 0.01 }),
    ).toEqual(['inconclusive', 'not-reproduced']);
    // An untrained MgNO still blocks both.
    expect(
      revised('mgno-trains-easier-than-unet', {
        ...ok,
        train_ratio_mgno: 0.9,
        train_adv_unet: 0.05,
        train_adv_unet_sem: 0.01,
      }),
    ).toEqual(['inconclusive', 'inconclusive']);
  });
});
