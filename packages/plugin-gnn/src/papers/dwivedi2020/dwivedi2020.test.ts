import {
  expectClaimCanFail,
  expectGapClaim,
  expectSeedDeterminism,
  suiteEnvironment,
} from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { dwivedi2020 } from './experiment.js';

describe('gnn/dwivedi2020', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: runs, deterministic; plain message passing sits exactly at chance', async () => {
    const r = await expectSeedDeterminism(env, 'gnn/dwivedi2020', { differs: 'pe_eigenvalue_gap_min' });
    expect(r.scalars.acc_gcn_plain).toBeCloseTo(0.1, 10);
    expect(r.scalars.acc_gatedgcn_plain).toBeCloseTo(0.1, 10);
    expect(r.series!.models).toHaveLength(4);
  });

  it('csl-chance-without-pe: both plain models inside [5 %, 15 %]', () => {
    expectClaimCanFail(dwivedi2020, 'csl-chance-without-pe', {
      pass: { folds: 5, acc_gcn_plain: 0.1, acc_gatedgcn_plain: 0.1 },
      fail: { folds: 5, acc_gcn_plain: 0.1, acc_gatedgcn_plain: 0.4 },
      inconclusive: [{ folds: 1, acc_gcn_plain: 0.1, acc_gatedgcn_plain: 0.1 }],
    });
  });

  it('csl-pe-lifts: both PE models ≥ 90 % with 2 s.e.', () => {
    // Both models at the same accuracy: the judged key is GatedGCN-PE, GCN-PE follows it.
    expectGapClaim(dwivedi2020, 'csl-pe-lifts', {
      key: 'acc_gatedgcn_pe',
      base: { folds: 5 },
      derived: (m, e) => ({ acc_gcn_pe: m, acc_gcn_pe_sem: e }),
      pass: [0.98, 0.01],
      fail: [0.6, 0.05],
      straddle: [0.92, 0.03],
      inconclusive: [{ folds: 2 }],
    });
    // Each model is judged on its own: one failing model fails the claim, one straddling model leaves it open.
    expectClaimCanFail(dwivedi2020, 'csl-pe-lifts', {
      base: {
        folds: 5,
        acc_gcn_pe: 0.98,
        acc_gcn_pe_sem: 0.01,
        acc_gatedgcn_pe: 0.97,
        acc_gatedgcn_pe_sem: 0.01,
      },
      pass: {},
      fail: { acc_gcn_pe: 0.6, acc_gcn_pe_sem: 0.05 },
      inconclusive: [{ acc_gatedgcn_pe: 0.92, acc_gatedgcn_pe_sem: 0.03 }],
    });
  });

  it('pe-carries-the-class: a positive spectral gap between classes', () => {
    expectClaimCanFail(dwivedi2020, 'pe-carries-the-class', {
      pass: { pe_eigenvalue_gap_min: 0.05 },
      fail: { pe_eigenvalue_gap_min: 0 },
    });
  });
});
