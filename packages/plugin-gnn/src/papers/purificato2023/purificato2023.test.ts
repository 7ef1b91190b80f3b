import { expectGapClaim, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { purificato2023 } from './experiment.js';

const ok = { seeds: 3, lift_lightgcn_pop: 1.5, map_deviation: 0.1 };

describe('gnn/purificato2023', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: runs, deterministic, a table row per ranker', async () => {
    const r = await expectSeedDeterminism(env, 'gnn/purificato2023', { differs: 'ndcg_sheaf' });
    expect(r.series!.models).toHaveLength(4);
    expect(r.scalars.map_deviation).toBeGreaterThan(0);
  });

  for (const m of ['f1', 'ndcg'] as const) {
    it(`sheaf-beats-lightgcn-${m}: relative gain > 0 by 2 s.e.; needs a trained LightGCN and active maps`, () => {
      expectGapClaim(purificato2023, `sheaf-beats-lightgcn-${m}`, {
        key: `gain_${m}`,
        base: ok,
        derived: (gain) => ({ [`${m}_sheaf`]: 0.1 * (1 + gain), [`${m}_lightgcn`]: 0.1 }),
        pass: [0.08, 0.01],
        fail: [-0.08, 0.01],
        straddle: [0.01, 0.02],
        inconclusive: [{ seeds: 1 }, { lift_lightgcn_pop: 0.9 }, { map_deviation: 0.001 }],
      });
    });
  }

  it('lightgcn-beats-popularity: NDCG gap > 0 by 2 s.e.', () => {
    expectGapClaim(purificato2023, 'lightgcn-beats-popularity', {
      key: 'gap_ndcg_lightgcn_pop',
      base: { seeds: 3 },
      pass: [0.05, 0.01],
      fail: [-0.05, 0.01],
    });
  });
});
