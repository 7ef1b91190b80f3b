import { Rng } from '@paperlab/core';
import { expectClaimCanFail, itSmokes, suiteEnvironment, underRevisedRules } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { smallRuns, trainedScalars, untrainedCases } from '../../__tests__/claimCases.js';
import { Z } from '../../circuits/observables.js';
import { ryRingAnsatz } from '../../circuits/templates.js';
import plugin from '../../index.js';
import { QuantumLayer } from '../../layers/quantumLayer.js';
import { Quanvolution } from '../../layers/quanvolution.js';

describe('quantum/senokosov2023', () => {
  const env = suiteEnvironment([plugin]);

  it('the quanvolution applies one circuit to every 2×2 patch, and gradients reach the pixels', () => {
    const circuit = ryRingAnsatz(4, 1, Math.PI);
    const quanv = new Quanvolution({
      kernel: 2,
      channels: 1,
      circuit,
      observables: [0, 1, 2, 3].map((q) => Z(q)),
      rng: new Rng(1),
      name: 'test-quanv',
    });
    const single = new QuantumLayer({
      circuit: ryRingAnsatz(4, 1, Math.PI),
      observables: [0, 1, 2, 3].map((q) => Z(q)),
      rng: new Rng(1),
      name: 'test-single',
    });
    const img = new Rng(2).uniforms(16, 0, 1);
    const before = tf.memory().numTensors;
    const [out, ref, grad] = tf.tidy(() => {
      const x = tf.tensor4d(img, [1, 4, 4, 1]);
      const o = quanv.forward(x);
      // Patch (row 1, col 0) of the 2×2 output = pixels (2,0), (2,1), (3,0), (3,1).
      const patch = tf.tensor2d([img[8]!, img[9]!, img[12]!, img[13]!], [1, 4]);
      const r = single.apply(patch);
      const g = tf.grad((xx: tf.Tensor) => tf.sum(quanv.forward(xx)))(x);
      return [o.arraySync() as number[][][][], r.arraySync() as number[][], g.arraySync() as number[][][][]];
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(out[0]!.length).toBe(2);
    for (let k = 0; k < 4; k++) expect(out[0]![1]![0]![k]).toBeCloseTo(ref[0]![k]!, 5);
    expect(grad.flat(3).some((v) => Math.abs(v) > 1e-4)).toBe(true);
    quanv.dispose();
    single.dispose();
  });

  itSmokes(env, 'quantum/senokosov2023', {
    differs: 'acc_parallel',
    finite: [
      'acc_parallel',
      'acc_parallelTwin',
      'acc_quanv',
      'acc_quanvTwin',
      'acc_quanvWide',
      'gap_parallel',
    ],
    claims: ['parallel-not-worse', 'quanv-not-worse', 'quantum-layers-help'],
    checks: (r) => {
      // Smoke uses one circuit layer (8 weights per circuit vs 16 in each classical block; 2 layers match).
      expect(r.scalars.params_parallelTwin).toBe(r.scalars.params_parallel! + 40);
      expect(r.tables![0]!.rows).toHaveLength(5);
    },
  });

  it('each claim can fail: both rules on doctored outputs, too small a run, and models that did not train', () => {
    const exp = env.lab.experiment('quantum/senokosov2023');
    const revised = underRevisedRules(exp);
    const config = { tolerance: 0.01 };
    const base = {
      seeds: 5,
      train_size: 2000,
      ...trainedScalars(['parallel', 'parallelTwin', 'quanv', 'quanvTwin', 'quanvWide'], 'summary'),
      acc_parallel: 0.9,
      acc_parallelTwin: 0.905,
      params_parallel: 4438,
      params_parallelTwin: 4438,
      gap_parallel: -0.005,
      gap_parallel_sem: 0.002,
      acc_quanv: 0.85,
      acc_quanvTwin: 0.85,
      acc_quanvWide: 0.86,
      params_quanv: 1986,
      params_quanvTwin: 1990,
      params_quanvWide: 7930,
      gap_quanv: 0.0,
      gap_quanv_sem: 0.003,
      gap_quanv_wide: -0.002,
      gap_quanv_wide_sem: 0.003,
    };
    const untrained = (k: string) =>
      untrainedCases(base, k, 'summary', { acc: 0.8, spread: 0.1, plateau: 0.6 });
    const small = smallRuns(base, 200);
    for (const e of [exp, revised])
      expectClaimCanFail(e, 'parallel-not-worse', {
        pass: base,
        fail: { ...base, gap_parallel: -0.03 },
        inconclusive: [...small, ...untrained('parallel'), ...untrained('parallelTwin')],
        config,
      });
    // First rule: a deficit within the noise counted as "not worse"; revised: the interval straddles → inconclusive.
    const noisy = { ...base, gap_parallel: -0.03, gap_parallel_sem: 0.02 };
    expectClaimCanFail(exp, 'parallel-not-worse', {
      pass: noisy,
      fail: { ...noisy, gap_parallel_sem: 0.01 },
      config,
    });
    expectClaimCanFail(revised, 'parallel-not-worse', {
      pass: base,
      fail: { ...noisy, gap_parallel_sem: 0.005 },
      inconclusive: [noisy],
      config,
    });
    // First rule against the equal-weight twin; revised against the 4× larger counterpart.
    expectClaimCanFail(exp, 'quanv-not-worse', {
      pass: { ...base, gap_quanv_wide: -0.2 },
      fail: { ...base, gap_quanv: -0.05 },
      inconclusive: [...small, ...untrained('quanv'), { ...base, plateau_quanvWide: 0 }],
      config,
    });
    expectClaimCanFail(revised, 'quanv-not-worse', {
      pass: { ...base, gap_quanv: -0.2 },
      fail: { ...base, gap_quanv_wide: -0.05 },
      inconclusive: [{ ...base, gap_quanv_wide: -0.01, gap_quanv_wide_sem: 0.01 }, ...untrained('quanv')],
      config,
    });
    const helps = { ...base, gap_parallel: 0.02, gap_quanv: 0.02 };
    expectClaimCanFail(exp, 'quantum-layers-help', {
      pass: helps,
      fail: { ...helps, gap_parallel: -0.02 },
      inconclusive: [...small, ...untrained('quanvTwin')],
      config,
    });
    // Revised: HQNN-Quanv only, straddling 0 ± 2 s.e. is inconclusive.
    expectClaimCanFail(revised, 'quantum-layers-help', {
      pass: { ...helps, gap_parallel: -0.02 },
      fail: { ...helps, gap_quanv: -0.02 },
      inconclusive: [{ ...helps, gap_quanv: 0.004 }, ...untrained('quanv')],
      config,
    });
  });
});
