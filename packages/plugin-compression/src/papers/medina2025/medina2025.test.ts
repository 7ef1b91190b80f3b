import { Rng } from '@paperlab/core';
import {
  expectClaimCanFail,
  expectThresholdClaims,
  gapClaims,
  revisedClaim,
  useWasm,
} from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { itRunsSmoke } from '../../__tests__/paperSmoke.js';
import { SelectiveSsm } from '../../nets/selectiveSsm.js';
import { medina2025 } from './experiment.js';

describe('compression/medina2025', () => {
  itRunsSmoke(
    'compression/medina2025',
    'acc_teacher',
    [
      ['weak-student-accuracy', 'paper'],
      ['students-approximate-teacher', 'paper'],
      ['teacher-trains', 'control'],
    ],
    (result) => {
      // The chain shrinks: the smallest student costs less than the ensemble, which costs less than the teacher.
      expect(result.scalars.flops_ratio_smallest!).toBeLessThan(result.scalars.flops_ratio_ensemble!);
      expect(result.scalars.flops_ratio_ensemble!).toBeLessThan(1);
    },
  );

  beforeAll(useWasm);

  it('the S6 scan gives finite logits of the right shape, counts its parameters and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const net = SelectiveSsm.build([5, 3, 1], { channels: 4, state: 2 }, 3, new Rng(1));
    const x = tf.tensor4d(new Rng(2).normals(2 * 15), [2, 5, 3, 1]);
    const y = net.forward(x);
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expect(net.paramCount()).toBe(3 * 4 * 2 + 4 + 3 * 2 * 2 + 4 * 2 + 4 + 4 * 3 + 3);
    tf.dispose([x, y]);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // FLOPs grow with the width.
    expect(SelectiveSsm.flops(14, 14, { channels: 8, state: 4 }, 10)).toBeGreaterThan(
      SelectiveSsm.flops(14, 14, { channels: 4, state: 4 }, 10),
    );
  });

  const ok = {
    seeds: 3,
    teacher_acc_min: 0.98,
    acc_teacher: 0.985,
    acc_smallest: 0.8,
    acc_smallest_sem: 0.01,
    flops_ratio_smallest: 0.015,
    acc_ensemble: 0.98,
    flops_ratio_ensemble: 0.16,
    ensemble_gap: -0.003,
    ensemble_gap_sem: 0.002,
  };
  const gapClaim = gapClaims(medina2025, ok);

  it('weak-student-accuracy: ≥ 72% by 2 s.e. passes, below fails, a straddle / too many FLOPs / untrained teacher are inconclusive', () => {
    expectClaimCanFail(medina2025, 'weak-student-accuracy', {
      base: ok,
      pass: {},
      fail: { acc_smallest: 0.6 },
      inconclusive: [
        { acc_smallest: 0.72, acc_smallest_sem: 0.01 },
        { flops_ratio_smallest: 0.05 },
        { teacher_acc_min: 0.9 },
        { seeds: 2 },
      ],
    });
  });

  it('students-approximate-teacher: within 1 point passes, a large gap fails, a straddle is inconclusive', () => {
    gapClaim('students-approximate-teacher', 'ensemble_gap', {
      pass: [-0.003, 0.002],
      fail: [-0.05, 0.002],
      straddle: [-0.01, 0.005],
    });
  });

  it('control: the teacher trains', () => {
    expectThresholdClaims(medina2025, { 'teacher-trains': ['teacher_acc_min', 0.98, 0.9] });
  });

  it('revised (teacher floor 97% → 95%): a 96.6% teacher lets the claims judge; below 95% they stay inconclusive', () => {
    for (const id of ['weak-student-accuracy', 'students-approximate-teacher', 'teacher-trains']) {
      const { revised: check, original } = revisedClaim(medina2025, id, '2026-12-02');
      const teacher966 = { ...ok, teacher_acc_min: 0.966 };
      expect(check(teacher966), id).toBe('reproduced');
      expect(original(teacher966), id).not.toBe('reproduced');
      if (id !== 'teacher-trains') expect(check({ ...ok, teacher_acc_min: 0.94 }), id).toBe('inconclusive');
    }
  });
});
