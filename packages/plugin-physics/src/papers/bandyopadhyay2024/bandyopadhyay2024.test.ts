import { Rng } from '@paperlab/core';
import { expectClaimCanFail, expectSmoke, gapClaims, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { alloyDescriptors, ELEMENTS, proxyAlloy } from '../../data/alloys.js';
import plugin from '../../index.js';

describe('physics/bandyopadhyay2024', () => {
  const env = suiteEnvironment([plugin]);

  it('descriptors: an equiatomic quinary has ΔS = ln 5, a pure element has no mismatch; proxy labels are seeded', () => {
    const c = new Array<number>(ELEMENTS.length).fill(0);
    for (const i of [1, 2, 4, 5, 6]) c[i] = 0.2; // CoCrFeMnNi (Cantor)
    const d = alloyDescriptors(c);
    expect(d[0]).toBeCloseTo(Math.log(5), 12);
    expect(d[2]).toBeGreaterThan(0);
    expect(d[2]).toBeLessThan(6.6); // the Cantor alloy is a small-mismatch solid solution
    const pure = new Array<number>(ELEMENTS.length).fill(0);
    pure[4] = 1;
    expect(alloyDescriptors(pure)[2]).toBe(0);
    expect(proxyAlloy(new Rng(3))).toEqual(proxyAlloy(new Rng(3)));
  });

  it('smoke: KAN, matched MLP and the linear control train on both tasks; deterministic; no leak', async () => {
    const r = await expectSmoke(env, 'physics/bandyopadhyay2024', {
      differs: 'r2_kan',
      finite: ['f1_kan', 'f1_mlp', 'r2_kan', 'r2_mlp', 'gap_f1', 'hea_fraction'],
    });
    expect(r.scalars.hea_fraction).toBeGreaterThan(0.1);
    expect(r.scalars.hea_fraction).toBeLessThan(0.9);
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('physics/bandyopadhyay2024');
    const ok = { seeds: 3, epochs: 60 };
    const gap = gapClaims(exp, ok);
    gap('kan-matches-mlp-classification', 'gap_f1', {
      pass: [0, 0.005],
      fail: [-0.1, 0.01],
      straddle: [-0.015, 0.01],
      inconclusive: [{ seeds: 1, gap_f1_sem: 0 }],
    });
    gap('kan-matches-mlp-regression', 'gap_r2', {
      pass: [0.01, 0.005],
      fail: [-0.1, 0.01],
      inconclusive: [{ epochs: 2 }],
    });
    expectClaimCanFail(exp, 'tasks-discriminate', {
      base: { ...ok, control_f1: 0.1 },
      pass: { control_r2: 0.2 },
      fail: { control_r2: 0.0 },
    });
    expectClaimCanFail(exp, 'parameters-matched', {
      pass: { param_ratio: 0.03 },
      fail: { param_ratio: 0.5 },
    });
  });
});
