import { expectGapClaim, expectThresholdClaims, itSmokes, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { rehemtulla2025 } from './experiment.js';

describe('astro/rehemtulla2025', () => {
  const env = suiteEnvironment([plugin]);

  itSmokes(env, 'astro/rehemtulla2025', {
    differs: 'pretrain_skill',
    claims: [
      ['galaxy-pretraining-helps-few', 'paper'],
      ['galaxy-pretraining-helps-many', 'paper'],
      ['scratch-learns', 'control'],
      ['pretraining-learns', 'control'],
    ],
    checks: (result) => {
      // 2 seeds × 2 budgets × 2 initialisations; gallery: 4 alerts × 3 channels of 16².
      expect(result.series!.cells!.length).toBe(8);
      expect(result.series!.gallery!.length).toBe(12 * 16 * 16);
    },
  });

  const ok = { seeds: 3, train_acc_min: 0.9, pretrain_skill: 0.4 };
  const accuracies = {
    acc_scratch_few: 0.8,
    acc_galaxy_few: 0.85,
    acc_scratch_many: 0.9,
    acc_galaxy_many: 0.9,
  };
  for (const [id, gap] of [
    ['galaxy-pretraining-helps-few', 'gain_few'],
    ['galaxy-pretraining-helps-many', 'gain_many'],
  ] as const)
    it(`${id}: a gain beyond 2 s.e. passes, a loss fails; straddle, few seeds, untrained or un-pretrained inconclusive`, () => {
      expectGapClaim(rehemtulla2025, id, {
        key: gap,
        base: { ...ok, ...accuracies },
        pass: [0.05, 0.01],
        straddle: [0.01, 0.01],
        inconclusive: [{ seeds: 2 }, { train_acc_min: 0.5 }, { pretrain_skill: 0.01 }],
      });
    });

  it('controls: scratch learns; pre-training learned', () => {
    expectThresholdClaims(rehemtulla2025, {
      'scratch-learns': ['acc_scratch_many', 0.9, 0.55],
      'pretraining-learns': ['pretrain_skill', 0.4, 0],
    });
  });

  it('refuses a label budget above the labelled pool, naming the path', () => {
    const r = rehemtulla2025.config.safeParse({ trainSize: 100, labels: [50, 200] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['labels']);
  });
});
