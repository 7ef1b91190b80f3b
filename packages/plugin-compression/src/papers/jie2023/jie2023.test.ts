import { expectThresholdClaims, gapClaims, revisedClaim } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { jie2023 } from './experiment.js';

describe('compression/jie2023', () => {
  itRunsSmoke(
    'compression/jie2023',
    'acc_binary',
    [
      ['one-bit-matches-fp32', 'paper'],
      ['one-bit-beats-equal-storage', 'paper'],
      ['adapters-help', 'control'],
      ['backbone-pretrained', 'control'],
    ],
    (result) => {
      // Measured storage: the 1-bit adapter is far smaller than the float32 one.
      expect(result.scalars.bytes_binary! * 4).toBeLessThan(result.scalars.bytes_fp32!);
    },
  );

  const ok = {
    seeds: 8,
    pretrain_acc_min: 0.95,
    acc_binary: 0.8,
    acc_fp32: 0.81,
    acc_lowrank: 0.76,
    bytes_fp32: 131072,
    bytes_binary: 4232,
    bytes_lowrank: 4096,
    lowrank_rank: 1,
  };
  const gapClaim = gapClaims(jie2023, ok);
  it('one-bit-matches-fp32: within 1.5 points passes, a large loss fails; straddle / few seeds / untrained backbone inconclusive', () => {
    gapClaim('one-bit-matches-fp32', 'gap_fp32', {
      pass: [-0.005, 0.003],
      fail: [-0.05, 0.005],
      straddle: [-0.012, 0.004],
      inconclusive: [
        { seeds: 3, gap_fp32: 0 },
        { pretrain_acc_min: 0.5, gap_fp32: 0 },
      ],
    });
  });

  it('one-bit-matches-fp32, revised: the same rule, inconclusive unless the adapters beat the probe by 2 s.e.', () => {
    const check = revisedClaim(jie2023, 'one-bit-matches-fp32', '2026-12-02').revised;
    const active = { ...ok, gap_probe: 0.05, gap_probe_sem: 0.01 };
    expect(check({ ...active, gap_fp32: -0.005, gap_fp32_sem: 0.003 })).toBe('reproduced');
    expect(check({ ...active, gap_fp32: -0.05, gap_fp32_sem: 0.005 })).toBe('not-reproduced');
    expect(
      check({ ...ok, gap_probe: 0.006, gap_probe_sem: 0.005, gap_fp32: -0.005, gap_fp32_sem: 0.003 }),
    ).toBe('inconclusive');
  });

  it('one-bit-beats-equal-storage: a gain passes, a loss fails', () => {
    gapClaim('one-bit-beats-equal-storage', 'gap_lowrank', { pass: [0.04, 0.01], straddle: [0.01, 0.01] });
  });

  it('controls: adapters help; backbone pretrained', () => {
    gapClaims(jie2023)('adapters-help', 'gap_probe', { pass: [0.05, 0.01], fail: [-0.02, 0.005] });
    expectThresholdClaims(jie2023, { 'backbone-pretrained': ['pretrain_acc_min', 0.92, 0.6] });
  });
});
