import { Rng } from '@paperlab/core';
import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { revisedOf } from '../../__tests__/claimCases.js';
import { xorSequences } from '../../data/sequences.js';
import plugin from '../../index.js';

describe('quantum/bausch2020', () => {
  const env = suiteEnvironment([plugin]);

  it("Elman's XOR stream: every third bit is the XOR of the two before, targets are the next bits", () => {
    const d = xorSequences(5, 4, new Rng(1));
    expect(d.steps).toBe(12);
    for (let s = 0; s < d.n; s++) {
      for (let t = 0; t + 2 < d.steps; t += 3) {
        const [a, b, c] = [d.x[s * 12 + t]!, d.x[s * 12 + t + 1]!, d.x[s * 12 + t + 2]!];
        expect(c).toBe(a ^ b);
      }
      for (let t = 0; t + 1 < d.steps; t++) expect(d.y[s * 12 + t]).toBe(d.x[s * 12 + t + 1]);
    }
  });

  it('smoke: output shape, same seed gives the same numbers, another seed differs, no tensor leak', async () => {
    const r = await expectSeedDeterminism(env, 'quantum/bausch2020', {
      seed: 5,
      otherSeed: 6,
      differs: 'xor_qrnn_log10_repetitions',
    });
    for (const task of ['xor', 'mnist']) {
      for (const m of ['qrnn', 'gru', 'lstm']) {
        expect(Number.isFinite(r.scalars[`${task}_${m}_acc`]), `${task}_${m}_acc`).toBe(true);
      }
      expect(r.scalars[`${task}_qrnn_log10_repetitions`]).toBeGreaterThan(0);
      expect(r.scalars[`${task}_qrnn_neuron_success`]).toBeGreaterThanOrEqual(0.5 - 1e-9);
      expect(r.scalars[`${task}_qrnn_neuron_success`]).toBeLessThanOrEqual(1);
    }
    // Parameter-matched baselines: within one hidden unit of the QRNN's budget.
    expect(Math.abs(r.scalars.xor_gru_params! - r.scalars.xor_qrnn_params!)).toBeLessThan(
      r.scalars.xor_qrnn_params!,
    );
    expect(r.series!.runs).toHaveLength(2 * 3);
  });

  it('each claim can fail: doctored outputs on both sides of its rule, and too small a run', () => {
    const exp = env.lab.experiment('quantum/bausch2020');
    const good = {
      xor_qrnn_acc: 0.95,
      xor_qrnn_random_acc: 0.5,
      xor_gru_acc: 0.97,
      xor_lstm_acc: 0.96,
      xor_qrnn_params: 42,
      xor_gru_params: 49,
      xor_lstm_params: 35,
      xor_test_bits: 600,
      mnist_qrnn_acc: 0.98,
      mnist_gru_acc: 0.98,
      mnist_lstm_acc: 0.99,
      mnist_qrnn_params: 48,
      mnist_gru_params: 58,
      mnist_lstm_params: 43,
      mnist_qubits: 9,
      mnist_test_size: 400,
      seeds: 3,
      xor_gap_qrnn_best: -0.02,
      xor_gap_qrnn_best_sem: 0.01,
      mnist_gap_qrnn_best: -0.01,
      mnist_gap_qrnn_best_sem: 0.005,
    };
    expectClaimCanFail(exp, 'xor-learned', {
      pass: good,
      fail: { ...good, xor_qrnn_acc: 0.6 },
      inconclusive: [{ ...good, xor_test_bits: 48 }],
    });
    // Predicting the random bits too would mean leakage, not learning.
    expectClaimCanFail(exp, 'xor-learned', { pass: good, fail: { ...good, xor_qrnn_random_acc: 0.9 } });
    expectClaimCanFail(exp, 'mnist-01', {
      pass: good,
      fail: { ...good, mnist_qrnn_acc: 0.9 },
      inconclusive: [{ ...good, mnist_test_size: 24 }],
    });
    expectClaimCanFail(exp, 'matches-classical-baselines', {
      pass: good,
      fail: { ...good, xor_qrnn_acc: 0.85 },
      inconclusive: [
        { ...good, xor_test_bits: 48 },
        { ...good, mnist_test_size: 24 },
      ],
    });
    expectClaimCanFail(exp, 'matches-classical-baselines', {
      pass: good,
      fail: { ...good, mnist_qrnn_acc: 0.9 },
    });
    // Revised: the paired gap over seeds ± 2 s.e. against −5 points; straddling it is inconclusive.
    expectClaimCanFail(revisedOf(exp), 'matches-classical-baselines', {
      pass: good,
      fail: { ...good, xor_gap_qrnn_best: -0.1 },
      inconclusive: [
        { ...good, xor_gap_qrnn_best: -0.06 },
        { ...good, seeds: 1 },
      ],
    });
  });
});
