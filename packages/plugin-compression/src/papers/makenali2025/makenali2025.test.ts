import { expectClaimCanFail, expectThresholdClaims, gapClaims } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { makenali2025 } from './experiment.js';

describe('compression/makenali2025', () => {
  itRunsSmoke(
    'compression/makenali2025',
    'acc_quant_only',
    [
      ['spq-minimal-loss', 'paper'],
      ['ppq-minimal-loss', 'paper'],
      ['combined-beats-single', 'paper'],
      ['compression-factors', 'control'],
      ['float-trains', 'control'],
    ],
    (result) => {
      // Pruned nets are physically smaller: fewer bytes and BOPs than the float model and the quantised-only one.
      const s = result.scalars;
      expect(s.bytes_spq!).toBeLessThan(s.bytes_quant_only!);
      expect(s.bops_prune_only!).toBeLessThan(s.bops_fp!);
    },
  );

  const ok = {
    seeds: 3,
    fp_acc_min: 0.88,
    acc_fp: 0.89,
    acc_spq: 0.885,
    acc_ppq: 0.886,
    size_ratio_spq: 12,
    bops_ratio_spq: 120,
    size_ratio_ppq: 12,
  };
  const gapClaim = gapClaims(makenali2025, ok);
  for (const m of ['spq', 'ppq'] as const)
    it(`${m}-minimal-loss: within a point passes, a 3-point loss fails, a straddle / small run / untrained float is inconclusive`, () => {
      gapClaim(`${m}-minimal-loss`, `${m}_loss`, {
        pass: [-0.002, 0.002],
        fail: [-0.03, 0.003],
        straddle: [-0.008, 0.003],
        inconclusive: [
          { seeds: 2, [`${m}_loss`]: 0, [`${m}_loss_sem`]: 0.001 },
          { fp_acc_min: 0.5, [`${m}_loss`]: 0, [`${m}_loss_sem`]: 0.001 },
        ],
      });
    });

  it('combined-beats-single: smaller at equal accuracy passes; not smaller, or clearly less accurate, fails', () => {
    const c = { ...ok, spq_vs_quant_bytes: 0.5, spq_vs_quant_acc: 0, spq_vs_quant_acc_sem: 0.002 };
    expectClaimCanFail(makenali2025, 'combined-beats-single', {
      base: c,
      pass: {},
      fail: { spq_vs_quant_bytes: 0.9 },
      inconclusive: [{ spq_vs_quant_acc: -0.009, spq_vs_quant_acc_sem: 0.003 }],
    });
    expectClaimCanFail(makenali2025, 'combined-beats-single', {
      base: c,
      pass: {},
      fail: { spq_vs_quant_acc: -0.05 },
    });
  });

  it('controls: compression factors; float model trains', () => {
    const f = { size_ratio_spq: 12, bops_ratio_spq: 120, size_ratio_ppq: 12, bops_ratio_ppq: 120 };
    expectClaimCanFail(makenali2025, 'compression-factors', { pass: f, fail: { ...f, size_ratio_ppq: 4 } });
    expectThresholdClaims(makenali2025, { 'float-trains': ['fp_acc_min', 0.85, 0.6] });
  });
});
