import { Rng } from '@paperlab/core';
import {
  expectClaimCanFail,
  itSmokes,
  runChecked,
  suiteEnvironment,
  underRevisedRules,
} from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { smallRuns } from '../../__tests__/claimCases.js';
import { classicalTwinProbabilities, sarkarCircuit } from '../../circuits/cascade.js';
import { probabilities } from '../../circuits/observables.js';
import plugin from '../../index.js';
import { QuantumLayer } from '../../layers/quantumLayer.js';

describe('quantum/sarkar2024', () => {
  const env = suiteEnvironment([plugin]);

  it('the classical twin formula equals the simulated circuit, and the circuit is entangling', () => {
    const n = 5;
    const angles = new Rng(1).uniforms(4 * n, -3, 3);
    const layer = new QuantumLayer({
      circuit: sarkarCircuit(n),
      observables: probabilities([0, 1, 2, 3, 4]),
      rng: new Rng(0),
    });
    const sim = tf.tidy(() => layer.apply(tf.tensor2d(angles, [4, n])).dataSync());
    layer.dispose();
    const twin = classicalTwinProbabilities(angles, n);
    for (let i = 0; i < twin.length; i++) expect(sim[i]).toBeCloseTo(twin[i]!, 6);
    // Not a product over the output bits: P(y) ≠ Π marginals for a generic input.
    const p = Array.from(twin.subarray(0, 32));
    const marg = (bit: number, v: number) =>
      p.reduce((s, q, y) => s + (((y >> (n - 1 - bit)) & 1) === v ? q : 0), 0);
    const product = p.map((_, y) =>
      Array.from({ length: n }, (_, b) => marg(b, (y >> (n - 1 - b)) & 1)).reduce((a, b) => a * b, 1),
    );
    expect(Math.max(...p.map((q, y) => Math.abs(q - product[y]!)))).toBeGreaterThan(1e-3);
  });

  itSmokes(env, 'quantum/sarkar2024', {
    differs: 'ae_recon_mse_train',
    finite: ['acc_hybrid', 'acc_twin', 'acc_pca', 'acc_latent', 'acc_control', 'twin_feature_max_err'],
    claims: ['hybrid-below-classical', 'classical-twin-matches', 'gap-from-encoding'],
    verdicts: { 'classical-twin-matches': 'reproduced' },
    checks: (r) => {
      expect(r.tables![0]!.rows).toHaveLength(5);
    },
  });

  it('ci preset: the hybrid is clearly below the classical model and the twin matches it', async () => {
    const { result } = await runChecked(env, { experiment: 'quantum/sarkar2024', preset: 'ci', seed: 0 });
    const verdicts = Object.fromEntries(result.claims.map((c) => [c.id, `${c.verdict}: ${c.measured}`]));
    for (const id of ['hybrid-below-classical', 'classical-twin-matches']) {
      expect(result.claims.find((c) => c.id === id)!.verdict, JSON.stringify(verdicts, null, 2)).toBe(
        'reproduced',
      );
    }
  }, 60_000);

  it('each claim can fail: doctored outputs on both sides of its rule, and the runs it cannot judge', () => {
    const exp = env.lab.experiment('quantum/sarkar2024');
    const config = { qubits: 5, margin: 0.03, controlRange: [-1.57, 1.57] };
    const base = {
      train_size: 10_000,
      seeds: 3,
      acc_hybrid: 0.4,
      acc_hybrid_sem: 0.005,
      acc_twin: 0.4,
      acc_pca: 0.66,
      acc_pca_sem: 0.005,
      acc_latent: 0.94,
      acc_control: 0.65,
      twin_feature_max_err: 1e-7,
    };
    expectClaimCanFail(exp, 'hybrid-below-classical', {
      pass: base,
      fail: { ...base, acc_hybrid: 0.65 },
      inconclusive: smallRuns(base, 500),
      config,
    });
    // A gap above the margin but within 2 s.e. is not "clearly lower".
    expectClaimCanFail(exp, 'hybrid-below-classical', {
      pass: base,
      fail: { ...base, acc_hybrid: 0.62, acc_hybrid_sem: 0.02, acc_pca_sem: 0.02 },
      config,
    });
    // Revised: the gap ± 2 s.e. against the margin; straddling it is inconclusive.
    expectClaimCanFail(underRevisedRules(exp), 'hybrid-below-classical', {
      pass: base,
      fail: { ...base, acc_hybrid: 0.65 },
      inconclusive: [
        { ...base, acc_hybrid: 0.62, acc_hybrid_sem: 0.02, acc_pca_sem: 0.02 },
        { ...base, seeds: 1 },
      ],
      config,
    });
    for (const fail of [{ acc_twin: 0.3 }, { twin_feature_max_err: 1e-3 }] as Array<Record<string, number>>)
      expectClaimCanFail(exp, 'classical-twin-matches', { base, pass: {}, fail, config });
    const { acc_control: _, ...noControl } = base;
    expectClaimCanFail(exp, 'gap-from-encoding', {
      pass: base,
      fail: { ...base, acc_control: 0.45 },
      inconclusive: [noControl, { ...base, train_size: 500 }, { ...base, acc_hybrid: 0.65 }],
      config,
    });
  });
});
