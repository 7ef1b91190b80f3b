import { defineExperiment, type SeriesRow, throwIfAborted, z } from '@paperlab/core';
import { linearFit, mean, sem } from '@paperlab/core/kit';
import { heatmapPlot, linePlot } from '@paperlab/core/plots';
import { loadImageSubset } from '../../data/imageSubset.js';
import { fcKernelsHost } from '../../kernels/fcKernel.js';
import { AlphaNet, type AlphaRun, trainAlphaNet } from './alphaNet.js';

const config = z.strictObject({
  alphas: z
    .array(z.number().positive())
    .min(1)
    .default([0.1, 1, 10, 100])
    .describe('output scales α of the phase diagram (α ≫ 1 lazy, α ≪ 1 feature learning)'),
  temperatures: z
    .array(z.number().positive())
    .min(1)
    .default([0.003, 0.01, 0.03, 0.1, 0.3, 1, 3])
    .describe('SGD temperatures T = η/B'),
  sizes: z
    .array(z.number().int().min(8))
    .min(1)
    .default([128, 256, 512, 1024])
    .describe('training-set sizes P for the T_c(P) sweep (in the lazy regime)'),
  phaseSize: z.number().int().min(8).default(512).describe('P of the (α, T) phase diagram'),
  lazyAlpha: z.number().positive().default(100).describe('α of the T_c(P) sweep (lazy regime)'),
  batch: z.number().int().min(1).default(16).describe('mini-batch size B (η = T·B)'),
  width: z.number().int().min(4).default(32).describe('hidden width h (2 hidden layers)'),
  nTest: z.number().int().min(10).max(10_000).default(2000).describe('MNIST test images'),
  seeds: z.number().int().min(1).max(16).default(2).describe('initialisations × batch orders per cell'),
  maxEpochs: z.number().int().min(1).default(2000).describe('epochs before a run counts as not fitted'),
  pool: z.number().int().min(1).max(4).default(4).describe('average-pool factor (4: 7×7 inputs)'),
});

/** Config of ntk/sclocchi2023. */
export type Sclocchi2023Config = z.infer<typeof config>;

interface Cell {
  [key: string]: number | boolean;
  testError: number;
  converged: boolean;
  diverged: boolean;
  epochs: number;
  time: number;
  weightChange: number;
}

/** First T where the weight change reaches `factor` × its lowest-T value (log-log interpolation); NaN if never. */
export function crossoverTemperature(ts: number[], changes: number[], factor: number): number {
  const base = changes[0]!;
  for (let i = 1; i < ts.length; i++) {
    if (changes[i]! >= factor * base) {
      const la = Math.log(changes[i - 1]! / base);
      const lb = Math.log(changes[i]! / base);
      const f = (Math.log(factor) - la) / Math.max(lb - la, 1e-12);
      return Math.exp(Math.log(ts[i - 1]!) + f * (Math.log(ts[i]!) - Math.log(ts[i - 1]!)));
    }
  }
  return Number.NaN;
}

/**
 * The α → ∞ limit: a kernel machine with the network's analytic NTK trained by full-batch gradient descent on
 * the hinge loss from zero until every training margin is ≥ 1 (no regulariser: the hinge gradient then vanishes).
 */
function ntkHingeMachine(
  K: Float64Array,
  kTest: Float64Array,
  y: Float64Array,
  yTest: Float64Array,
  lr: number,
  maxSteps: number,
): { testError: number; steps: number; fitted: boolean } {
  const n = y.length;
  const a = new Float64Array(n);
  const g = new Float64Array(n);
  let steps = 0;
  let fitted = false;
  for (; steps < maxSteps; steps++) {
    fitted = true;
    for (let i = 0; i < n; i++) if (y[i]! * g[i]! < 1) fitted = false;
    if (fitted) break;
    const active: number[] = [];
    for (let i = 0; i < n; i++) if (y[i]! * g[i]! < 1) active.push(i);
    for (const i of active) {
      const da = (lr / n) * y[i]!;
      a[i]! += da;
      for (let j = 0; j < n; j++) g[j]! += da * K[j * n + i]!;
    }
  }
  let errors = 0;
  const m = yTest.length;
  for (let t = 0; t < m; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += kTest[t * n + i]! * a[i]!;
    if (!(s * yTest[t]! > 0)) errors++;
  }
  return { testError: errors / m, steps, fitted };
}

/** ntk/sclocchi2023: dissecting the effects of SGD noise in lazy and feature-learning regimes. */
export const sclocchi2023 = defineExperiment<Sclocchi2023Config>({
  id: 'ntk/sclocchi2023',
  paper: {
    title: 'Dissecting the Effects of SGD Noise in Distinct Regimes of Deep Learning',
    authors: 'Antonio Sclocchi, Mario Geiger, Matthieu Wyart',
    year: 2023,
    url: 'https://arxiv.org/abs/2301.13703',
    venue: 'ICML 2023',
  },
  summary:
    'A small fully-connected ReLU net (2 hidden layers of 32, NTK parametrisation) classifies MNIST parity (7×7) with ' +
    'output f_α = α(f(w) − f(w₀)) and hinge loss (1/α²)·mean max(0, 1 − y f_α), trained by SGD until every training ' +
    'margin is ≥ 1. A phase diagram of test error over the scale α (lazy ≫ 1, feature ≪ 1) and the temperature T = η/B, ' +
    'and, in the lazy regime, the relative weight change against T for training-set sizes P = 128…1024, from which ' +
    'the crossover temperature T_c(P) (weights start to move because of the noise) is read. Baselines: full-batch ' +
    'gradient descent (T → 0) and the NTK hinge machine (α → ∞).',
  config,
  presets: {
    smoke: {
      alphas: [1, 100],
      temperatures: [0.1, 1],
      sizes: [32, 64],
      phaseSize: 64,
      width: 8,
      nTest: 100,
      seeds: 1,
      maxEpochs: 60,
    },
    ci: {
      alphas: [0.3, 100],
      temperatures: [0.03, 0.3, 3],
      sizes: [64, 128, 256],
      phaseSize: 128,
      width: 16,
      nTest: 500,
      seeds: 1,
      maxEpochs: 600,
    },
    paper: {},
  },
  claims: [
    {
      id: 'noise-vs-alpha-opposite',
      statement:
        'Escaping the lazy regime by more SGD noise and by a smaller α change the test error in opposite directions',
      check(out) {
        const s = out.scalars;
        const expected =
          'in the lazy regime err(T_max fitted) − err(T_min) and err(α_min) − err(α_lazy) (both at T_min) have opposite signs, each beyond 2 s.e.';
        if ((s.n_alphas ?? 0) < 2 || (s.n_temperatures ?? 0) < 3 || (s.phase_size ?? 0) < 256)
          return { verdict: 'inconclusive', measured: 'phase diagram too small', expected };
        const dT = s.lazy_noise_effect!;
        const dA = s.alpha_effect!;
        const ok =
          Math.sign(dT) !== Math.sign(dA) &&
          Math.abs(dT) > 2 * s.lazy_noise_effect_se! &&
          Math.abs(dA) > 2 * s.alpha_effect_se!;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `lazy regime (α=${s.lazy_alpha}): raising T ${s.t_min} → ${s.t_hot_lazy} changes the error by ${dT.toFixed(4)} ± ${s.lazy_noise_effect_se!.toFixed(4)}; lowering α ${s.lazy_alpha} → ${s.alpha_min} (T=${s.t_min}) by ${dA.toFixed(4)} ± ${s.alpha_effect_se!.toFixed(4)}`,
          expected,
        };
      },
    },
    {
      id: 'noise-helps-or-hurts-by-regime',
      statement: 'SGD noise is detrimental in one regime and useful in the other',
      check(out) {
        const s = out.scalars;
        const expected =
          'the best-T minus lowest-T error change and the highest-fitted-T minus lowest-T change: in one regime noise lowers the error (> 2 s.e.), in the other it raises it (> 2 s.e.)';
        if ((s.n_alphas ?? 0) < 2 || (s.n_temperatures ?? 0) < 3 || (s.phase_size ?? 0) < 256)
          return { verdict: 'inconclusive', measured: 'phase diagram too small', expected };
        const lazy = s.lazy_noise_effect!;
        const feat = s.feature_noise_effect!;
        const ok =
          Math.sign(lazy) !== Math.sign(feat) &&
          Math.abs(lazy) > 2 * s.lazy_noise_effect_se! &&
          Math.abs(feat) > 2 * s.feature_noise_effect_se!;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `error change from T=${s.t_min} to the hottest fitted T: lazy (α=${s.lazy_alpha}) ${lazy.toFixed(4)} ± ${s.lazy_noise_effect_se!.toFixed(4)}; feature (α=${s.alpha_min}, T→${s.t_hot_feature}) ${feat.toFixed(4)} ± ${s.feature_noise_effect_se!.toFixed(4)}`,
          expected,
        };
      },
    },
    {
      id: 'tc-power-law-in-p',
      statement:
        'The crossover temperature T_c where SGD noise starts moving the lazy net falls as a power of P',
      check(out) {
        const s = out.scalars;
        const expected =
          'T_c (noise-driven weight change reaching a fixed scale) defined at every P, log-log slope vs P < −0.2 and > 2 s.e. below 0';
        if ((s.n_sizes ?? 0) < 3)
          return { verdict: 'inconclusive', measured: 'fewer than 3 sizes', expected };
        if (!Number.isFinite(s.tc_slope))
          return {
            verdict: 'not-reproduced',
            measured: 'T_c not reached at some P within the T grid',
            expected,
          };
        const ok = s.tc_slope! < -0.2 && s.tc_slope! + 2 * s.tc_slope_se! < 0;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `T_c ${s.tc_smallest!.toFixed(4)} (P=${s.p_min}) → ${s.tc_largest!.toFixed(4)} (P=${s.p_max}); slope ${s.tc_slope!.toFixed(3)} ± ${s.tc_slope_se!.toFixed(3)} (scaling prediction −γ/δ = ${(s.tc_slope_predicted ?? Number.NaN).toFixed(3)}; T_c as the doubling of each P's own low-T change: slope ${(s.tc_relative_slope ?? Number.NaN).toFixed(3)})`,
          expected,
        };
      },
    },
    {
      id: 'low-noise-lazy-is-ntk',
      statement:
        'At low temperature the lazy net behaves as the NTK solution (and as full-batch gradient descent)',
      check(out) {
        const s = out.scalars;
        const expected =
          '|err(SGD, α_lazy, T_min) − err(hinge machine with the net’s own NTK)| ≤ 0.02 and likewise for full-batch GD';
        if ((s.phase_size ?? 0) < 256) return { verdict: 'inconclusive', measured: 'P too small', expected };
        const a = Math.abs(s.lazy_low_t_error! - s.ntk_error!);
        const b = Math.abs(s.gd_error! - s.ntk_error!);
        return {
          verdict: a <= 0.02 && b <= 0.02 ? 'reproduced' : 'not-reproduced',
          measured: `SGD (α=${s.lazy_alpha}, T=${s.t_min}) ${s.lazy_low_t_error!.toFixed(4)}, full-batch GD ${s.gd_error!.toFixed(4)}, NTK machine (empirical NTK at init) ${s.ntk_error!.toFixed(4)}; infinite-width NTK ${s.ntk_infinite_width_error!.toFixed(4)}`,
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const maxP = Math.max(...cfg.sizes, cfg.phaseSize);
    const data = await loadImageSubset(ctx.data, 'mnist', {
      trainLimit: maxP,
      testLimit: cfg.nTest,
      pool: cfg.pool,
    });
    const d = data.d;
    const parity = (y: Int32Array) => Float64Array.from(y, (v) => (v % 2 === 0 ? 1 : -1));
    const yAll = parity(data.yTrain);
    const yTest = parity(data.yTest);
    const xAll = Float64Array.from(data.xTrain);
    const xTest = Float64Array.from(data.xTest);
    const subset = (P: number) => ({
      x: xAll.subarray(0, P * d),
      y: yAll.subarray(0, P),
      n: P,
      xTest,
      yTest,
      nTest: data.nTest,
    });
    const ts = [...cfg.temperatures].sort((a, b) => a - b);
    const alphas = [...cfg.alphas].sort((a, b) => a - b);
    const sizes = [...cfg.sizes].sort((a, b) => a - b);
    const runCell = async (
      alpha: number,
      T: number,
      P: number,
      seed: number,
      batch = cfg.batch,
    ): Promise<Cell> =>
      ctx.checkpoint.cached(`a${alpha}-T${T}-P${P}-B${batch}-s${seed}`, async () => {
        const rng = ctx.rng.split(`seed-${seed}`);
        const net = new AlphaNet(rng.split('init'), d, cfg.width);
        const r: AlphaRun = trainAlphaNet(rng.split(`sgd-a${alpha}-T${T}-P${P}-B${batch}`), net, subset(P), {
          alpha,
          temperature: T,
          batch: Math.min(batch, P),
          maxEpochs: cfg.maxEpochs,
        });
        return { ...r };
      });
    const total = alphas.length * ts.length * cfg.seeds + sizes.length * ts.length * cfg.seeds + cfg.seeds;
    const task = ctx.progress.task('α × T × P × seed', total);
    const cells: Array<Cell & { alpha: number; T: number; P: number; seed: number }> = [];
    const add = async (alpha: number, T: number, P: number, seed: number) => {
      throwIfAborted(ctx.signal);
      const c = await runCell(alpha, T, P, seed);
      cells.push({ ...c, alpha, T, P, seed });
      task.tick(1, `α=${alpha} T=${T} P=${P}`);
    };
    for (const alpha of alphas)
      for (const T of ts) for (let s = 0; s < cfg.seeds; s++) await add(alpha, T, cfg.phaseSize, s);
    for (const P of sizes)
      for (const T of ts)
        for (let s = 0; s < cfg.seeds; s++)
          if (!(P === cfg.phaseSize && alphas.includes(cfg.lazyAlpha))) await add(cfg.lazyAlpha, T, P, s);
    // Full-batch gradient descent (T → 0 at fixed η = 1): B = P, T = 1/P.
    const gd: Cell[] = [];
    for (let s = 0; s < cfg.seeds; s++) {
      throwIfAborted(ctx.signal);
      gd.push(await runCell(cfg.lazyAlpha, 1 / cfg.phaseSize, cfg.phaseSize, s, cfg.phaseSize));
      task.tick(1, 'full-batch GD');
    }
    task.done();
    const gram = (A: Float64Array, na: number, B: Float64Array, nb: number, p: number) => {
      const out = new Float64Array(na * nb);
      for (let i = 0; i < na; i++)
        for (let j = 0; j < nb; j++) {
          let s = 0;
          const ra = i * p;
          const rb = j * p;
          for (let k = 0; k < p; k++) s += A[ra + k]! * B[rb + k]!;
          out[i * nb + j] = s;
        }
      return out;
    };
    const empirical: number[] = [];
    for (let s = 0; s < cfg.seeds; s++) {
      throwIfAborted(ctx.signal);
      const e = await ctx.checkpoint.cached(`empirical-ntk-s${s}`, async () => {
        const P = cfg.phaseSize;
        const net = new AlphaNet(ctx.rng.split(`seed-${s}`).split('init'), d, cfg.width);
        const p = net.W1.length + net.W2.length + net.w3.length;
        const Jtr = net.jacobian(xAll, P);
        const Jte = net.jacobian(xTest, data.nTest);
        return ntkHingeMachine(
          gram(Jtr, P, Jtr, P, p),
          gram(Jte, data.nTest, Jtr, P, p),
          yAll.subarray(0, P),
          yTest,
          1,
          20_000,
        );
      });
      empirical.push(e.testError);
    }
    const ntk = await ctx.checkpoint.cached('ntk-machine', async () => {
      const P = cfg.phaseSize;
      const attrs = { depth: 3, sigmaW2: 2, sigmaB2: 0, activation: 'relu' as const };
      const xs = Float32Array.from(xAll.subarray(0, P * d));
      const K = fcKernelsHost(xs, xs, d, attrs).ntk;
      const kTest = fcKernelsHost(Float32Array.from(xTest), xs, d, attrs).ntk;
      return ntkHingeMachine(K, kTest, yAll.subarray(0, P), yTest, 1, 20_000);
    });

    const at = (alpha: number, T: number, P: number) =>
      cells.filter((c) => c.alpha === alpha && c.T === T && c.P === P);
    const errStats = (list: Cell[]) => ({
      m: mean(list.map((c) => c.testError)),
      se: sem(list.map((c) => c.testError)),
    });
    const fitted = (list: Cell[]) => list.length > 0 && list.every((c) => c.converged);
    const tMin = ts[0]!;
    const aLazy = cfg.lazyAlpha;
    const aMin = alphas[0]!;
    const P0 = cfg.phaseSize;
    // Hottest temperature at which every seed still fitted the data, per α.
    const hottest = (alpha: number) => {
      let best = tMin;
      for (const T of ts) if (fitted(at(alpha, T, P0))) best = T;
      return best;
    };
    const diffStats = (a: Cell[], b: Cell[]) => {
      const ea = errStats(a);
      const eb = errStats(b);
      // Paired by seed (same initialisation): the difference's spread over seeds, floored by the binomial s.e.
      const pairs = a.map((c, i) => c.testError - (b[i]?.testError ?? Number.NaN));
      const binom = Math.sqrt((ea.m * (1 - ea.m) + eb.m * (1 - eb.m)) / (data.nTest * Math.max(1, a.length)));
      return { d: ea.m - eb.m, se: Math.max(pairs.length > 1 ? sem(pairs) : 0, binom) };
    };
    const scalars: Record<string, number> = {
      n_alphas: alphas.length,
      n_temperatures: ts.length,
      n_sizes: sizes.length,
      phase_size: P0,
      lazy_alpha: aLazy,
      alpha_min: aMin,
      t_min: tMin,
      p_min: sizes[0]!,
      p_max: sizes[sizes.length - 1]!,
      ntk_error: mean(empirical),
      ntk_infinite_width_error: ntk.testError,
      ntk_fitted: ntk.fitted ? 1 : 0,
      gd_error: errStats(gd).m,
      gd_time: mean(gd.map((c) => c.time)),
    };
    const hotLazy = hottest(aLazy);
    const hotFeat = hottest(aMin);
    scalars.t_hot_lazy = hotLazy;
    scalars.t_hot_feature = hotFeat;
    const lazyLow = at(aLazy, tMin, P0);
    scalars.lazy_low_t_error = errStats(lazyLow).m;
    const dLazy = diffStats(at(aLazy, hotLazy, P0), lazyLow);
    scalars.lazy_noise_effect = dLazy.d;
    scalars.lazy_noise_effect_se = dLazy.se;
    const dFeat = diffStats(at(aMin, hotFeat, P0), at(aMin, tMin, P0));
    scalars.feature_noise_effect = dFeat.d;
    scalars.feature_noise_effect_se = dFeat.se;
    const dAlpha = diffStats(at(aMin, tMin, P0), lazyLow);
    scalars.alpha_effect = dAlpha.d;
    scalars.alpha_effect_se = dAlpha.se;

    // T_c(P): the temperature at which the noise-driven weight change of the lazy net reaches a fixed scale,
    // 2 × the low-temperature change at the largest P (the paper's scaling argument T_c ~ P^(−γ/δ)).
    const tcRows: SeriesRow[] = [];
    const tcs: number[] = [];
    const relTcs: number[] = [];
    const changesAt = (P: number) => ts.map((T) => mean(at(aLazy, T, P).map((c) => c.weightChange)));
    const threshold = 2 * changesAt(sizes[sizes.length - 1]!)[0]!;
    for (const P of sizes) {
      const changes = changesAt(P);
      const tc = crossoverTemperature(ts, changes, threshold / changes[0]!);
      tcs.push(tc);
      relTcs.push(crossoverTemperature(ts, changes, 2));
      tcRows.push({ P, Tc: Number.isFinite(tc) ? tc : null });
    }
    scalars.tc_threshold = threshold;
    const relFit = relTcs.every(Number.isFinite)
      ? linearFit(sizes.map(Math.log), relTcs.map(Math.log)).slope
      : Number.NaN;
    scalars.tc_relative_slope = relFit;
    scalars.tc_smallest = tcs[0]!;
    scalars.tc_largest = tcs[tcs.length - 1]!;
    if (tcs.every(Number.isFinite) && sizes.length >= 2) {
      const fit = linearFit(sizes.map(Math.log), tcs.map(Math.log));
      scalars.tc_slope = fit.slope;
      scalars.tc_slope_se = Number.isFinite(fit.slopeStdErr) ? fit.slopeStdErr : 0;
    } else {
      scalars.tc_slope = Number.NaN;
      scalars.tc_slope_se = Number.NaN;
    }
    // Exponents of the noisy regime: Δw ~ T^δ (two hottest T, largest P) and ~ P^γ (hottest T).
    const pBig = sizes[sizes.length - 1]!;
    if (ts.length >= 2 && sizes.length >= 2) {
      const hot = ts.slice(-2);
      scalars.weight_change_delta = linearFit(
        hot.map(Math.log),
        hot.map((T) => Math.log(mean(at(aLazy, T, pBig).map((c) => c.weightChange)))),
      ).slope;
      const tHot = ts[ts.length - 1]!;
      scalars.weight_change_gamma = linearFit(
        sizes.map(Math.log),
        sizes.map((P) => Math.log(mean(at(aLazy, tHot, P).map((c) => c.weightChange)))),
      ).slope;
      scalars.tc_slope_predicted = -scalars.weight_change_gamma / scalars.weight_change_delta;
    }

    const phase: SeriesRow[] = [];
    const weight: SeriesRow[] = [];
    const table: Array<Array<number | string>> = [];
    for (const alpha of alphas) {
      const row: Array<number | string> = [alpha];
      for (const T of ts) {
        const list = at(alpha, T, P0);
        const e = errStats(list);
        const ok = fitted(list);
        phase.push({ alpha: String(alpha), T: String(T), test_error: ok ? e.m : null });
        row.push(
          ok
            ? `${e.m.toFixed(4)}`
            : list.some((c) => c.diverged)
              ? 'diverged'
              : `${e.m.toFixed(3)} (not fitted)`,
        );
      }
      table.push(row);
    }
    for (const P of sizes)
      for (const T of ts)
        weight.push({ P: `P=${P}`, T, weight_change: mean(at(aLazy, T, P).map((c) => c.weightChange)) });
    const tcTable = sizes.map((P, i) => [
      P,
      Number.isFinite(tcs[i]!) ? tcs[i]!.toFixed(4) : '—',
      ...ts.map((T) => mean(at(aLazy, T, P).map((c) => c.weightChange)).toExponential(2)),
    ]);
    return {
      scalars,
      series: { phase, weight_change: weight, tc: tcRows },
      plots: [
        heatmapPlot({
          id: 'phase-diagram',
          title: `Test error over (α, T), P = ${P0} (blank: not fitted / diverged)`,
          series: 'phase',
          x: 'T',
          y: 'alpha',
          value: 'test_error',
        }),
        linePlot({
          id: 'weight-change',
          title: `Lazy net (α = ${aLazy}): relative weight change vs T`,
          series: 'weight_change',
          x: 'T',
          y: 'weight_change',
          color: 'P',
          logX: true,
          logY: true,
          xTitle: 'T = η/B',
          yTitle: '‖w − w₀‖/‖w₀‖',
        }),
        linePlot({
          id: 'tc-vs-p',
          title: 'Crossover temperature T_c vs P',
          series: 'tc',
          x: 'P',
          y: 'Tc',
          logX: true,
          logY: true,
          xTitle: 'P',
          yTitle: 'T_c',
        }),
      ],
      tables: [
        {
          id: 'phase',
          title: `Test error (mean over ${cfg.seeds} seeds), P = ${P0}; NTK machine ${scalars.ntk_error!.toFixed(4)} (infinite width ${ntk.testError.toFixed(4)}), full-batch GD ${scalars.gd_error!.toFixed(4)}`,
          columns: ['α \\ T', ...ts.map(String)],
          rows: table,
        },
        {
          id: 'weight-change',
          title: `Lazy net α = ${aLazy}: T_c (weight change reaching ${threshold.toExponential(2)}) and ‖w − w₀‖/‖w₀‖ per T`,
          columns: ['P', 'T_c', ...ts.map((T) => `T=${T}`)],
          rows: tcTable,
        },
      ],
    };
  },
});
