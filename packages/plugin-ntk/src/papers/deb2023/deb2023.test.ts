import { Rng, type RunEnvironment } from '@paperlab/core';
import {
  createTestEnvironment,
  expectClaimCanFail,
  expectSeedDeterminism,
  runChecked,
} from '@paperlab/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fastCbProbabilities,
  LinUcb,
  runBandit,
  squareCbProbabilities,
  WideArmNet,
} from '../../bandits/neuralBandits.js';
import plugin from '../../index.js';

describe('bandit building blocks', () => {
  it('inverse-gap weightings are distributions that favour the best arm; FastCB explores less when the best loss is small', () => {
    const r = Float64Array.from([0.1, 0.8, 0.3, 0.75]);
    for (const p of [squareCbProbabilities(r, 50), fastCbProbabilities(r, 50)]) {
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
      expect(p.indexOf(Math.max(...p))).toBe(1);
      // Closer arms get more mass (inverse gap).
      expect(p[3]!).toBeGreaterThan(p[2]!);
      expect(p[2]!).toBeGreaterThan(p[0]!);
    }
    const confident = fastCbProbabilities(Float64Array.from([0.1, 0.99, 0.3, 0.75]), 50);
    expect(1 - confident[1]!).toBeLessThan(1 - fastCbProbabilities(r, 50)[1]!);
    // γ = 0: SquareCB is uniform.
    for (const v of squareCbProbabilities(r, 0)) expect(v).toBeCloseTo(0.25, 12);
  });

  it('the network gradient step matches finite differences (squared and KL loss)', () => {
    for (const loss of ['squared', 'kl'] as const) {
      const o = { dim: 3, arms: 2, width: 5, lr: 1e-6, loss, perturbation: 0 };
      const x = Float64Array.from([0.5, -1.2, 0.8]);
      const net = new WideArmNet(o, new Rng(7));
      const p = net.predict(x)[1]!;
      const lossOf = (q: number) => (loss === 'kl' ? -(1 * Math.log(q)) : 0.5 * (q - 1) ** 2);
      const before = lossOf(p);
      net.update(x, 0, 1, 1, p);
      const after = lossOf(net.predict(x)[1]!);
      // A tiny step decreases the loss by ≈ lr·‖∇ℓ‖² > 0.
      expect(after).toBeLessThan(before);
      expect(before - after).toBeLessThan(1e-4);
    }
  });

  it('LinUCB learns a linear reward and beats random play on a linearly separable stream', () => {
    const rng = new Rng(2);
    const d = 4;
    const T = 600;
    const x = Float64Array.from(rng.normals(T * d));
    const labels = Int32Array.from({ length: T }, (_, t) => (x[t * d]! > 0 ? 1 : 0));
    const stream = { x, labels, dim: d, arms: 2 };
    const lin = runBandit(
      stream,
      { kind: 'linucb', alpha: 0.3, lambda: 1 },
      { rounds: T, width: 4, lr: 0.1, record: [T], rng },
    );
    const rand = runBandit(stream, { kind: 'random' }, { rounds: T, width: 4, lr: 0.1, record: [T], rng });
    expect(lin.regret[0]!).toBeLessThan(0.5 * rand.regret[0]!);
    expect(new LinUcb(2, d, 1, 1).choose(x)).toBeGreaterThanOrEqual(0);
  });
});

describe('ntk/deb2023', () => {
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin]);
  });

  it('smoke: output shape, finite numbers, same seed → same numbers, another seed → different', async () => {
    const r = await expectSeedDeterminism(env, 'ntk/deb2023', { differs: 'regret_neufastcb-kl' });
    for (const p of ['neufastcb-kl', 'neusquarecb-sq', 'egreedy-nn', 'linucb', 'random']) {
      expect(Number.isFinite(r.scalars[`regret_${p}`]), p).toBe(true);
      expect(Number.isFinite(r.scalars[`slope_${p}`]), p).toBe(true);
    }
    expect(r.scalars.regret_random).toBeGreaterThan(0);
    expect(r.claims.map((c) => c.id)).toEqual([
      'kl-beats-squared',
      'squared-beats-egreedy',
      'sublinear-regret',
      'neucb-beats-baselines',
    ]);
  });

  it('ci preset (T = 2000, 3 seeds): the KL learner beats the squared-loss one', async () => {
    const { result } = await runChecked(env, { experiment: 'ntk/deb2023', preset: 'ci', seed: 0 });
    const verdicts = Object.fromEntries(result.claims.map((c) => [c.id, `${c.verdict}: ${c.measured}`]));
    expect(verdicts['kl-beats-squared'], JSON.stringify(verdicts, null, 2)).toMatch(/^reproduced/);
  });

  it('every claim can fail: doctored scalars on both sides of its rule, and a single seed', () => {
    const exp = env.lab.experiment('ntk/deb2023');
    const s = {
      rounds: 3000,
      seeds: 5,
      'regret_neufastcb-kl': 1500,
      'regret_sem_neufastcb-kl': 30,
      'regret_neusquarecb-sq': 2100,
      'regret_sem_neusquarecb-sq': 100,
      'regret_egreedy-nn': 2000,
      'regret_sem_egreedy-nn': 35,
      regret_linucb: 900,
      regret_random: 2700,
      kl_wins_share: 1,
      sq_wins_share: 0.25,
      'slope_neufastcb-kl': 0.6,
      'slope_neusquarecb-sq': 0.75,
      slope_random: 1,
      slope_linucb: 0.6,
    };
    const oneSeed = { ...s, seeds: 1 };
    expectClaimCanFail(exp, 'kl-beats-squared', {
      pass: s,
      // The KL learner loses in most seeds.
      fail: { ...s, kl_wins_share: 0.4 },
      inconclusive: [oneSeed],
    });
    expectClaimCanFail(exp, 'squared-beats-egreedy', {
      pass: { ...s, 'regret_neusquarecb-sq': 1800, sq_wins_share: 0.8 },
      fail: s,
      inconclusive: [{ ...oneSeed, 'regret_neusquarecb-sq': 1800, sq_wins_share: 0.8 }],
    });
    // Linear growth of the KL learner's regret.
    expectClaimCanFail(exp, 'sublinear-regret', { pass: s, fail: { ...s, 'slope_neufastcb-kl': 0.98 } });
    expectClaimCanFail(exp, 'neucb-beats-baselines', { pass: { ...s, regret_linucb: 1600 }, fail: s });
  });
});
