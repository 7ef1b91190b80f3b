import {
  expectClaimCanFail,
  expectGapClaim,
  expectSmoke,
  expectThresholdClaims,
  suiteEnvironment,
} from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { zheng2023 } from './experiment.js';

const ok = { seeds: 3, grid_cells: 16, test_acc_min: 1 };

describe('gnn/zheng2023', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: runs, deterministic, a table row per edit cell', async () => {
    const r = await expectSmoke(env, 'gnn/zheng2023', {
      differs: 'fid_delta_gt',
      claims: [
        'robust-fidelity-monotone',
        'original-fidelity-not-monotone',
        'model-uses-motif',
        'model-trains',
      ],
    });
    expect(r.series!.grid).toHaveLength(4);
  });

  it('robust-fidelity-monotone: Spearman bar −0.8 with 2 s.e.; needs a trained model and a real grid', () => {
    expectGapClaim(zheng2023, 'robust-fidelity-monotone', {
      key: 'rho_robust',
      base: ok,
      pass: [-0.95, 0.02],
      fail: [-0.3, 0.08],
      straddle: [-0.8, 0.05],
      inconclusive: [{ test_acc_min: 0.6 }, { grid_cells: 4 }],
    });
  });

  it('original-fidelity-not-monotone: the original misses the same bar', () => {
    expectClaimCanFail(zheng2023, 'original-fidelity-not-monotone', {
      base: ok,
      pass: { rho_original: -0.1, rho_original_sem: 0.15, rho_robust: -0.3 },
      fail: { rho_original: -0.95, rho_original_sem: 0.02, rho_robust: -0.95 },
      inconclusive: [
        { rho_original: -0.75, rho_original_sem: 0.05, rho_robust: -0.9 },
        { seeds: 1, rho_original: -0.1, rho_original_sem: 0, rho_robust: -0.3 },
      ],
    });
  });

  it('controls: the model uses the motif; the model trains', () => {
    expectThresholdClaims(zheng2023, {
      'model-uses-motif': ['fid_plus_robust_gt', 0.2, 0],
      'model-trains': ['test_acc_min', 0.99, 0.5],
    });
  });
});
