import { claimOutput } from '@paperlab/core';
import { expectClaimCanFail } from '@paperlab/core/testing';
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
  it('one-bit-matches-fp32: within 1.5 points passes, a large loss fails; straddle / few seeds / untrained backbone inconclusive', () => {
    expectClaimCanFail(jie2023, 'one-bit-matches-fp32', {
      pass: { ...ok, gap_fp32: -0.005, gap_fp32_sem: 0.003 },
      fail: { ...ok, gap_fp32: -0.05, gap_fp32_sem: 0.005 },
      inconclusive: [
        { ...ok, gap_fp32: -0.012, gap_fp32_sem: 0.004 },
        { ...ok, seeds: 3, gap_fp32: 0, gap_fp32_sem: 0.003 },
        { ...ok, pretrain_acc_min: 0.5, gap_fp32: 0, gap_fp32_sem: 0.003 },
      ],
    });
  });

  it('one-bit-matches-fp32, revised: the same rule, inconclusive unless the adapters beat the probe by 2 s.e.', () => {
    const c = jie2023.claims.find((x) => x.id === 'one-bit-matches-fp32')!;
    expect(c.revision?.date).toBe('2026-12-02');
    const check = (s: Record<string, number>) =>
      c.revision!.check(claimOutput({ scalars: s }), {} as never).verdict;
    const active = { ...ok, gap_probe: 0.05, gap_probe_sem: 0.01 };
    expect(check({ ...active, gap_fp32: -0.005, gap_fp32_sem: 0.003 })).toBe('reproduced');
    expect(check({ ...active, gap_fp32: -0.05, gap_fp32_sem: 0.005 })).toBe('not-reproduced');
    expect(
      check({ ...ok, gap_probe: 0.006, gap_probe_sem: 0.005, gap_fp32: -0.005, gap_fp32_sem: 0.003 }),
    ).toBe('inconclusive');
  });

  it('one-bit-beats-equal-storage: a gain passes, a loss fails', () => {
    expectClaimCanFail(jie2023, 'one-bit-beats-equal-storage', {
      pass: { ...ok, gap_lowrank: 0.04, gap_lowrank_sem: 0.01 },
      fail: { ...ok, gap_lowrank: -0.04, gap_lowrank_sem: 0.01 },
      inconclusive: [{ ...ok, gap_lowrank: 0.01, gap_lowrank_sem: 0.01 }],
    });
  });

  it('controls: adapters help; backbone pretrained', () => {
    expectClaimCanFail(jie2023, 'adapters-help', {
      pass: { gap_probe: 0.05, gap_probe_sem: 0.01 },
      fail: { gap_probe: -0.02, gap_probe_sem: 0.005 },
    });
    expectClaimCanFail(jie2023, 'backbone-pretrained', {
      pass: { pretrain_acc_min: 0.92 },
      fail: { pretrain_acc_min: 0.6 },
    });
  });
});
