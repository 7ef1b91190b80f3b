import {
  expectClaimCanFail,
  expectGapClaim,
  expectSeedDeterminism,
  suiteEnvironment,
} from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { park2024 } from './experiment.js';

const ok = { seeds: 3, acc_bp: 0.95 };

describe('gnn/park2024', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: runs, deterministic, one row per method, memory measured', async () => {
    const r = await expectSeedDeterminism(env, 'gnn/park2024', { differs: 'acc_ff' });
    expect(r.series!.methods).toHaveLength(4);
    expect(r.scalars.mem_bp).toBeGreaterThan(0);
  });

  for (const [id, k] of [
    ['forward-close-to-backprop', 'ff'],
    ['topdown-close-to-backprop', 'fftd'],
  ] as const) {
    it(`${id}: gap to backprop below 3 points with 2 s.e.; needs a trained backprop model`, () => {
      expectGapClaim(park2024, id, {
        key: `gap_bp_${k}`,
        base: ok,
        derived: (gap) => ({ [`acc_${k}`]: 0.95 - gap }),
        pass: [0.01, 0.005],
        fail: [0.1, 0.01],
        straddle: [0.025, 0.01],
        inconclusive: [{ acc_bp: 0.3 }, { seeds: 1 }],
      });
    });
  }

  it('memory-about-one-layer: forward / backprop step memory ≤ 0.5', () => {
    expectClaimCanFail(park2024, 'memory-about-one-layer', {
      pass: { mem_ratio: 0.35, mem_ff: 3e6, mem_bp: 9e6 },
      fail: { mem_ratio: 0.9, mem_ff: 8e6, mem_bp: 9e6 },
    });
  });

  it('graph-matters: GCN beats the MLP by 5 points', () => {
    expectGapClaim(park2024, 'graph-matters', {
      key: 'gap_gcn_mlp',
      base: { seeds: 3 },
      pass: [0.5, 0.02],
      fail: [0.0, 0.01],
    });
  });
});
