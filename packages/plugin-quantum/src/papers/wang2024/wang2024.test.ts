import { expectClaimCanFail, itSmokes, suiteEnvironment, underRevisedRules } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { smallRuns, trainedScalars, untrainedCases } from '../../__tests__/claimCases.js';
import { quanvCircuit } from '../../circuits/ansatze.js';
import { zzRingReadout } from '../../circuits/observables.js';
import plugin from '../../index.js';

describe('quantum/wang2024', () => {
  const env = suiteEnvironment([plugin]);

  it('the level-2 head has 10 outputs and the second quanvolution reads 2×2×4 features', () => {
    expect(zzRingReadout(5)).toHaveLength(10);
    expect(() => zzRingReadout(4)).toThrow(/fewer than 10/);
    const c = quanvCircuit(16, 2, Math.PI / 2, true);
    expect(c.numInputs).toBe(16);
    expect(c.numParams).toBe(16);
  });

  const models = ['level0', 'level0Relu', 'level0Mlp', 'level1', 'level1Mlp', 'level2'];
  itSmokes(env, 'quantum/wang2024', {
    differs: 'acc_level0',
    finite: models.map((k) => `acc_${k}`),
    claims: [
      ['level1-keeps-accuracy', 'paper'],
      ['level2-gains', 'paper'],
      ['gain-is-nonlinearity', 'control'],
    ],
    checks: (r) => {
      // Level 0 and level 0 + ReLU have the same weights; the MLP head is matched to the linear head.
      expect(r.scalars.params_level0Relu).toBe(r.scalars.params_level0);
      expect(Math.abs(r.scalars.params_level0Mlp! - r.scalars.params_level0!)).toBeLessThan(80);
      expect(r.tables![0]!.rows).toHaveLength(6);
    },
  });

  it('every claim can fail: both rules on doctored outputs, too small a run, and models that did not train', () => {
    const exp = env.lab.experiment('quantum/wang2024');
    const revised = underRevisedRules(exp);
    const config = { tolerance: 0.015 };
    const base = {
      seeds: 3,
      train_size: 2000,
      ...trainedScalars(['level0', 'level1', 'level2', 'level1Mlp'], 'summary'),
      acc_level0: 0.92,
      acc_level1: 0.92,
      acc_level2: 0.97,
      acc_level1Mlp: 0.96,
      acc_level0Relu: 0.96,
      acc_level0Mlp: 0.95,
      gap_level1_level0: 0,
      gap_level1_level0_sem: 0.003,
      gap_level2_level1: 0.05,
      gap_level2_level1_sem: 0.003,
      gap_level1mlp_level2: -0.01,
      gap_level1mlp_level2_sem: 0.002,
    };
    const small = smallRuns(base, 100);
    const untrained = (k: string) =>
      untrainedCases(base, k, 'summary', { acc: 0.7, spread: 0.1, plateau: 2 / 3 });
    for (const e of [exp, revised]) {
      expectClaimCanFail(e, 'level1-keeps-accuracy', {
        pass: base,
        fail: { ...base, gap_level1_level0: -0.2 },
        inconclusive: [...small, ...untrained('level1'), ...untrained('level0')],
        config,
      });
      expectClaimCanFail(e, 'level2-gains', {
        pass: base,
        fail: { ...base, gap_level2_level1: -0.01 },
        inconclusive: [...small, ...untrained('level2')],
        config,
      });
      expectClaimCanFail(e, 'gain-is-nonlinearity', {
        pass: base,
        fail: { ...base, gap_level1mlp_level2: -0.05 },
        // Too small a run, a model that did not train, or no level-2 gain to explain.
        inconclusive: [
          ...small,
          ...untrained('level1Mlp'),
          { ...base, gap_level2_level1: -0.2, gap_level1mlp_level2: -0.05 },
        ],
        config,
      });
    }
    // First rule: within the tolerance, or within 2 s.e. however large, counts as unchanged.
    const noisy = { ...base, gap_level1_level0: -0.03, gap_level1_level0_sem: 0.02 };
    expectClaimCanFail(exp, 'level1-keeps-accuracy', {
      pass: noisy,
      fail: { ...noisy, gap_level1_level0_sem: 0.01 },
      config,
    });
    // Revised: the interval must lie inside ±tolerance; straddling its edge is inconclusive.
    expectClaimCanFail(revised, 'level1-keeps-accuracy', {
      pass: { ...base, gap_level1_level0: 0.005 },
      fail: { ...noisy, gap_level1_level0_sem: 0.005 },
      inconclusive: [noisy, { ...base, gap_level1_level0: 0.014 }],
      config,
    });
    expectClaimCanFail(revised, 'level2-gains', {
      pass: base,
      fail: { ...base, gap_level2_level1: 0.01, gap_level2_level1_sem: 0.001 },
      inconclusive: [{ ...base, gap_level2_level1: 0.02, gap_level2_level1_sem: 0.01 }],
      config,
    });
  });
});
