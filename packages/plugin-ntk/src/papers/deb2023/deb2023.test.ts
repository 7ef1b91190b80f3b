import { Rng } from '@paperlab/core';
import { expectClaimCanFail, itSmokes, suiteEnvironment, underRevisedRules } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { expectBothRulesCanFail, expectVerdict } from '../../__tests__/claimCases.js';
import { itRunsCi } from '../../__tests__/paperRuns.js';
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

  it('NeuralUCB/TS confidence: Σ g²/Z from the cached activations matches finite differences of f; playing shrinks it', () => {
    const o = { dim: 3, arms: 2, width: 5, lr: 0.1, loss: 'squared' as const, perturbation: 0 };
    const x = Float64Array.from([0.5, -1.2, 0.8]);
    const net = new WideArmNet(o, new Rng(3));
    const f = (a: number) => net.scores(x)[a]!;
    // With Z = I the quadratic is ‖∇_θ f(x, a)‖²: compare with central differences over every parameter.
    const z = new Float64Array(net.size).fill(1);
    let fd = 0;
    const h = 1e-6;
    for (const [arr, n] of [
      [net.W, net.W.length],
      [net.v, net.v.length],
    ] as const)
      for (let k = 0; k < n; k++) {
        const keep = arr[k]!;
        arr[k] = keep + h;
        const up = f(1);
        arr[k] = keep - h;
        const down = f(1);
        arr[k] = keep;
        fd += ((up - down) / (2 * h)) ** 2;
      }
    net.scores(x);
    const q = net.gradientSquares(x, 0, 1, z, 'quad');
    expect(q).toBeCloseTo(fd, 6);
    net.gradientSquares(x, 0, 1, z, 'add');
    expect(net.gradientSquares(x, 0, 1, z, 'quad')).toBeLessThan(q);
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
  const env = suiteEnvironment([plugin]);

  const policies = [
    'neufastcb-kl',
    'neusquarecb-sq',
    'egreedy-nn',
    'neuralucb',
    'neuralts',
    'linucb',
    'random',
  ];
  itSmokes(env, 'ntk/deb2023', {
    differs: 'regret_neufastcb-kl',
    finite: policies.flatMap((p) => [`regret_${p}`, `slope_${p}`]),
    claims: [
      ['kl-beats-squared', 'paper'],
      ['neucbs-beat-neural-ucb-ts', 'paper'],
      ['sublinear-regret', 'paper'],
      ['squared-beats-egreedy', 'control'],
      ['neucb-beats-baselines', 'control'],
    ],
    checks: (r) => expect(r.scalars.regret_random).toBeGreaterThan(0),
  });

  itRunsCi(
    env,
    'ntk/deb2023',
    ' (T = 2000, 3 seeds): the KL learner beats the squared-loss one (both rules)',
    ({ claim }) => {
      const kl = claim('kl-beats-squared');
      expect(kl.verdict, kl.measured).toBe('reproduced');
      expect(kl.original?.verdict, kl.original?.measured).toBe('reproduced');
    },
  );

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
      regret_neuralucb: 2300,
      regret_neuralts: 2200,
      kl_wins_share: 1,
      sq_wins_share: 0.25,
      'slope_neufastcb-kl': 0.6,
      'slope_sem_neufastcb-kl': 0.01,
      'slope_neusquarecb-sq': 0.75,
      'slope_sem_neusquarecb-sq': 0.02,
      slope_random: 1,
      slope_linucb: 0.6,
      sq_over_kl: 600,
      sq_over_kl_sem: 80,
      ucb_over_kl: 800,
      ucb_over_kl_sem: 60,
      ts_over_kl: 700,
      ts_over_kl_sem: 60,
      ucb_over_sq: 200,
      ucb_over_sq_sem: 60,
      ts_over_sq: 100,
      ts_over_sq_sem: 40,
    };
    const revised = underRevisedRules(exp);
    const oneSeed = { ...s, seeds: 1 };
    // The KL learner loses in most seeds.
    expectClaimCanFail(exp, 'kl-beats-squared', {
      base: s,
      pass: {},
      fail: { kl_wins_share: 0.4 },
      inconclusive: [oneSeed],
    });
    expectClaimCanFail(revised, 'kl-beats-squared', {
      base: s,
      pass: {},
      fail: { sq_over_kl: -300 },
      // A gap within 2 s.e. of zero.
      inconclusive: [oneSeed, { sq_over_kl: 100 }],
    });
    expectClaimCanFail(exp, 'neucbs-beat-neural-ucb-ts', {
      base: s,
      pass: {},
      // NeuralTS beats the squared-loss NeuCB.
      fail: { ts_over_sq: -200 },
      inconclusive: [oneSeed, { ts_over_sq: 50 }],
    });
    expectClaimCanFail(exp, 'squared-beats-egreedy', {
      base: s,
      pass: { 'regret_neusquarecb-sq': 1800, sq_wins_share: 0.8 },
      fail: {},
      inconclusive: [{ seeds: 1, 'regret_neusquarecb-sq': 1800, sq_wins_share: 0.8 }],
    });
    // Linear growth of the KL learner's regret.
    expectBothRulesCanFail(exp, 'sublinear-regret', {
      base: s,
      pass: {},
      fail: { 'slope_neufastcb-kl': 0.98 },
    });
    const near = { ...s, 'slope_neusquarecb-sq': 0.79 };
    expectVerdict(exp, 'sublinear-regret', near, 'reproduced');
    expectVerdict(revised, 'sublinear-regret', near, 'inconclusive');
    expectClaimCanFail(exp, 'neucb-beats-baselines', { base: s, pass: { regret_linucb: 1600 }, fail: {} });
  });
});
