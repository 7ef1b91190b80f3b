import { expectClaimCanFail, expectSmoke, gapClaims, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/pal2025', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: every case trains and is scored; hard constraints hold exactly; deterministic; no leak', async () => {
    const r = await expectSmoke(env, 'physics/pal2025', {
      differs: 'err_low',
      finite: ['err_pois', 'err_low', 'err_high', 'err_soft', 'gap_re', 'loss_drop_min'],
      // A smoke run is too small for the paper claims and for the Ghia check: inconclusive, not a verdict.
      verdicts: {
        'hard-bc-exact': 'reproduced',
        'cavity-low-re-agrees': 'inconclusive',
        'fd-matches-ghia': 'inconclusive',
      },
    });
    expect(r.scalars.bc_hard).toBeLessThan(1e-5);
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('physics/pal2025');
    const ok = { adam_steps: 2000, loss_drop_min: 3 };
    const small = { adam_steps: 100 };
    const untrained = { loss_drop_min: 0.5 };
    const gap = gapClaims(exp, ok);
    gap('cavity-low-re-agrees', 'err_low', {
      pass: [0.05, 0.005],
      fail: [0.3, 0.01],
      straddle: [0.095, 0.01],
      inconclusive: [small, untrained],
    });
    gap('degrades-with-re', 'gap_re', { pass: [0.5, 0.1], inconclusive: [small] });
    expectClaimCanFail(exp, 'errors-in-paper-range', {
      base: { ...ok, err_pois: 1e-3, err_low: 0.05, err_high: 0.2 },
      pass: {},
      fail: { err_high: 0.5 },
      inconclusive: [untrained],
    });
    gap('poiseuille-below-cavity', 'gap_pois', { pass: [1.6, 0.1], fail: [0.4, 0.1], inconclusive: [small] });
    gap('hard-beats-soft', 'gap_soft', { pass: [0.4, 0.1], straddle: [0.1, 0.1] });
    expectClaimCanFail(exp, 'hard-bc-exact', {
      base: { bc_soft: 0.02 },
      pass: { bc_hard: 1e-7 },
      fail: { bc_hard: 0.01 },
    });
    expectClaimCanFail(exp, 'fd-matches-ghia', {
      base: { fd_cells: 64, ghia_dev_low: 0.012, ghia_dev_high: 0.025 },
      pass: {},
      fail: { ghia_dev_high: 0.06 },
      inconclusive: [{ fd_cells: 16 }],
    });
  });
});
