import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';

describe('physics/pal2025', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: every case trains and is scored; hard constraints hold exactly; deterministic; no leak', async () => {
    const r = await expectSeedDeterminism(env, 'physics/pal2025', { differs: 'err_low' });
    for (const k of ['err_pois', 'err_low', 'err_high', 'err_soft', 'gap_re', 'loss_drop_min'])
      expect(Number.isFinite(r.scalars[k]), k).toBe(true);
    expect(r.scalars.bc_hard).toBeLessThan(1e-5);
    const verdict = (id: string) => r.claims.find((c) => c.id === id)?.verdict;
    expect(verdict('hard-bc-exact')).toBe('reproduced');
    // A smoke run is too small for the paper claims and for the Ghia check: inconclusive, not a verdict.
    expect(verdict('cavity-low-re-agrees')).toBe('inconclusive');
    expect(verdict('fd-matches-ghia')).toBe('inconclusive');
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('physics/pal2025');
    const ok = { adam_steps: 2000, loss_drop_min: 3 };
    const small = { adam_steps: 100, loss_drop_min: 3 };
    const untrained = { adam_steps: 2000, loss_drop_min: 0.5 };
    const low = { err_low: 0.05, err_low_sem: 0.005 };
    expectClaimCanFail(exp, 'cavity-low-re-agrees', {
      pass: { ...ok, ...low },
      fail: { ...ok, err_low: 0.3, err_low_sem: 0.01 },
      inconclusive: [
        { ...small, ...low },
        { ...untrained, ...low },
        { ...ok, err_low: 0.095, err_low_sem: 0.01 },
      ],
    });
    expectClaimCanFail(exp, 'degrades-with-re', {
      pass: { ...ok, gap_re: 0.5, gap_re_sem: 0.1 },
      fail: { ...ok, gap_re: -0.5, gap_re_sem: 0.1 },
      inconclusive: [{ ...small, gap_re: 0.5, gap_re_sem: 0.1 }],
    });
    const errs = { err_pois: 1e-3, err_low: 0.05, err_high: 0.2 };
    expectClaimCanFail(exp, 'errors-in-paper-range', {
      pass: { ...ok, ...errs },
      fail: { ...ok, ...errs, err_high: 0.5 },
      inconclusive: [{ ...untrained, ...errs }],
    });
    expectClaimCanFail(exp, 'poiseuille-below-cavity', {
      pass: { ...ok, gap_pois: 1.6, gap_pois_sem: 0.1 },
      fail: { ...ok, gap_pois: 0.4, gap_pois_sem: 0.1 },
      inconclusive: [{ ...small, gap_pois: 1.6, gap_pois_sem: 0.1 }],
    });
    expectClaimCanFail(exp, 'hard-beats-soft', {
      pass: { ...ok, gap_soft: 0.4, gap_soft_sem: 0.1 },
      fail: { ...ok, gap_soft: -0.4, gap_soft_sem: 0.1 },
      inconclusive: [{ ...ok, gap_soft: 0.1, gap_soft_sem: 0.1 }],
    });
    expectClaimCanFail(exp, 'hard-bc-exact', {
      pass: { bc_hard: 1e-7, bc_soft: 0.02 },
      fail: { bc_hard: 0.01, bc_soft: 0.02 },
    });
    expectClaimCanFail(exp, 'fd-matches-ghia', {
      pass: { fd_cells: 64, ghia_dev_low: 0.012, ghia_dev_high: 0.025 },
      fail: { fd_cells: 64, ghia_dev_low: 0.012, ghia_dev_high: 0.06 },
      inconclusive: [{ fd_cells: 16, ghia_dev_low: 0.012, ghia_dev_high: 0.025 }],
    });
  });
});
