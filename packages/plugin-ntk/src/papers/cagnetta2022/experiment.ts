import {
  type ClaimResult,
  defineExperiment,
  type ExperimentOutput,
  type Rng,
  type RunContext,
  type SeriesRow,
  throwIfAborted,
  z,
} from '@paperlab/core';
import { logLogFit, mean, sem } from '@paperlab/core/kit';
import type { Mat } from '@paperlab/core/linalg';
import { linePlot } from '@paperlab/core/plots';
import * as tf from '@tensorflow/tfjs-core';
import { kernelRidge } from '../../inference/kernelRidge.js';
import * as stax from '../../stax/index.js';

const config = z.strictObject({
  filters: z
    .array(z.number().int().min(2).max(6))
    .min(2)
    .max(4)
    .default([2, 2, 2, 2])
    .describe(
      'filter sizes s₁…s_L of the hierarchical CNN (non-overlapping patches, stride = filter); d = Π s_l',
    ),
  trainSizes: z
    .array(z.number().int().min(8))
    .min(2)
    .default([64, 128, 256, 512, 1024, 2048, 4096])
    .describe('training-set sizes P (nested subsets of one pool per seed)'),
  fitFrom: z.number().int().min(8).default(128).describe('smallest P used in the exponent fit'),
  nTest: z.number().int().min(16).max(8192).default(1024).describe('test points'),
  seeds: z.number().int().min(1).max(16).default(2).describe('independent data sets and teachers'),
  teacherWidth: z
    .number()
    .int()
    .min(64)
    .default(8192)
    .describe('hidden units of the random-feature teacher (a 2-layer ReLU NTK Gaussian field)'),
  fcDepth: z.number().int().min(2).max(8).default(4).describe('dense layers of the fully-connected baseline'),
});

/** Config of ntk/cagnetta2022. */
export type Cagnetta2022Config = z.infer<typeof config>;

const TARGETS = ['patch', 'meta', 'full'] as const;
type Target = (typeof TARGETS)[number];
const KERNELS = ['cnn', 'fc'] as const;
type KernelName = (typeof KERNELS)[number];

interface SeedResult {
  [key: string]: number | number[] | number[][];
  /** errors[kernel][target][size] (relative test MSE). */
  cnn: number[][];
  fc: number[][];
  jitter: number;
}

/** Inputs: d/s₁ patches, each uniform on the unit sphere S^{s₁−1}. */
function sphericalPatches(rng: Rng, n: number, d: number, s: number): Float32Array {
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d / s; p++) {
      const v = rng.normals(s);
      let norm = 0;
      for (const u of v) norm += u * u;
      norm = Math.sqrt(norm);
      for (let k = 0; k < s; k++) x[i * d + p * s + k] = v[k]! / norm;
    }
  }
  return x;
}

/**
 * A Gaussian random function of the first `k` coordinates whose covariance is the NTK of a 2-layer ReLU network
 * with M hidden units: f(x) = Σ_m [a_m·relu(w_m·x) + (b_m·x)·step(w_m·x)]/√M, all weights N(0, 1).
 * Its rank (M·(k + 1)) exceeds every training set, so it behaves like the infinite-width NTK field.
 */
function teacher(rng: Rng, x: Float32Array, n: number, d: number, k: number, M: number): Float64Array {
  const y = new Float64Array(n);
  const chunk = 1024;
  const xk = tf.tidy(() => tf.slice(tf.tensor2d(x, [n, d]), [0, 0], [n, k]));
  for (let c0 = 0; c0 < M; c0 += chunk) {
    const m = Math.min(chunk, M - c0);
    const r = rng.split(`units-${c0}`);
    const part = tf.tidy(() => {
      const W = tf.tensor2d(r.normals(k * m), [k, m]);
      const B = tf.tensor2d(r.normals(k * m), [k, m]);
      const a = tf.tensor2d(r.normals(m), [m, 1]);
      const h = tf.matMul(xk, W);
      const out = tf.add(tf.matMul(tf.relu(h), a), tf.sum(tf.mul(tf.matMul(xk, B), tf.step(h)), 1, true));
      return tf.reshape(out, [n]);
    });
    const v = part.dataSync();
    for (let i = 0; i < n; i++) y[i]! += v[i]! / Math.sqrt(M);
    part.dispose();
  }
  xk.dispose();
  let ss = 0;
  for (const v of y) ss += v * v;
  const scale = 1 / Math.sqrt(ss / n);
  for (let i = 0; i < n; i++) y[i]! *= scale;
  return y;
}

/** The hierarchical CNN of the paper: L × (conv with filter = stride s_l, ReLU), then a dense readout. */
function hierarchicalCnn(filters: readonly number[]): stax.Layer {
  return stax.serial(
    ...filters.flatMap((s) => [
      stax.conv(64, [s], { sigmaW2: 2, strides: s, padding: 'valid' }),
      stax.relu(),
    ]),
    stax.flatten(),
    stax.dense(1, { sigmaW2: 2 }),
  );
}

function fullyConnected(depth: number): stax.Layer {
  return stax.serial(
    ...Array.from({ length: depth - 1 }, () => [stax.dense(64, { sigmaW2: 2 }), stax.relu()]).flat(),
    stax.dense(1, { sigmaW2: 2 }),
  );
}

function block(src: Float64Array | Float32Array, cols: number, rows: number, take: number): Mat {
  const out = new Float64Array(rows * take);
  for (let i = 0; i < rows; i++) for (let j = 0; j < take; j++) out[i * take + j] = src[i * cols + j]!;
  return { rows, cols: take, data: out };
}

async function runSeed(ctx: RunContext, cfg: Cagnetta2022Config, seed: number): Promise<SeedResult> {
  const d = cfg.filters.reduce((a, b) => a * b, 1);
  const s1 = cfg.filters[0]!;
  const sizes = [...cfg.trainSizes].sort((a, b) => a - b);
  const pMax = sizes[sizes.length - 1]!;
  const n = pMax + cfg.nTest;
  const rng = ctx.rng.split(`seed-${seed}`);
  const x = sphericalPatches(rng.split('inputs'), n, d, s1);
  const dims: Record<Target, number> = { patch: s1, meta: s1 * cfg.filters[1]!, full: d };
  const ys = TARGETS.map((t) => teacher(rng.split(`teacher-${t}`), x, n, d, dims[t], cfg.teacherWidth));
  // The CNN sees a 1-channel signal of length d, the fully-connected net a vector of d features.
  const inputs = (name: KernelName, from: number, count: number) => ({
    values: x.subarray(from * d, (from + count) * d),
    shape: name === 'cnn' ? [count, d, 1] : [count, d],
  });
  const result: SeedResult = { cnn: [], fc: [], jitter: 0 };
  for (const name of KERNELS) {
    const net = name === 'cnn' ? hierarchicalCnn(cfg.filters) : fullyConnected(cfg.fcDepth);
    const task = ctx.progress.task(`seed ${seed}: ${name} kernel`, pMax * pMax + cfg.nTest * pMax);
    const onProgress = (done: number) => task.tick(0, `${done} entries`);
    const train = inputs(name, 0, pMax);
    const test = inputs(name, pMax, cfg.nTest);
    const trtr = await stax.kernelMatrix(net, train, null, {
      get: 'ntk',
      dtype: 'float64',
      signal: ctx.signal,
      onProgress,
    });
    const tetr = await stax.kernelMatrix(net, test, train, {
      get: 'ntk',
      dtype: 'float64',
      signal: ctx.signal,
      onProgress,
    });
    task.done();
    const errs: number[][] = TARGETS.map(() => []);
    for (const P of sizes) {
      throwIfAborted(ctx.signal);
      const Y = new Float64Array(P * TARGETS.length);
      for (let i = 0; i < P; i++)
        for (let t = 0; t < TARGETS.length; t++) Y[i * TARGETS.length + t] = ys[t]![i]!;
      const fit = kernelRidge({
        kTrainTrain: block(trtr.ntk!, pMax, P, P),
        kTestTrain: block(tetr.ntk!, pMax, cfg.nTest, P),
        yTrain: Y,
      });
      result.jitter = Math.max(result.jitter, fit.jitter);
      for (let t = 0; t < TARGETS.length; t++) {
        let se = 0;
        let ss = 0;
        for (let i = 0; i < cfg.nTest; i++) {
          const yt = ys[t]![pMax + i]!;
          se += (fit.predictions[i * TARGETS.length + t]! - yt) ** 2;
          ss += yt * yt;
        }
        errs[t]!.push(se / ss);
      }
      ctx.log.scalars(
        Object.fromEntries(TARGETS.map((t, i) => [`${name}_${t}`, errs[i]![errs[i]!.length - 1]!])),
        seed * 100_000 + P,
      );
    }
    result[name] = errs;
  }
  return result;
}

/** Decay exponent β (error ∝ P^−β) from a log-log fit over P ≥ fitFrom. */
function exponent(sizes: number[], errs: number[], fitFrom: number): number {
  const idx = sizes.map((p, i) => (p >= fitFrom ? i : -1)).filter((i) => i >= 0);
  return -logLogFit(
    idx.map((i) => sizes[i]!),
    idx.map((i) => errs[i]!),
  ).slope;
}

function fmt(v: number | undefined, digits = 3): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);
}

/** Learning curves below P = 256, with fewer than 3 fitted sizes or 1 seed, are too short to decide. */
function tooSmall(s: Record<string, number>): boolean {
  return (s.fit_points ?? 0) < 3 || (s.seeds ?? 0) < 2 || (s.p_max ?? 0) < 256;
}

function orderingClaim(out: ExperimentOutput): ClaimResult {
  const s = out.scalars;
  const expected =
    'CNN exponents ordered β(one patch) > β(meta-patch) > β(full input), each gap > 0.02 and > its standard error over seeds';
  const measured = `CNN β: patch ${fmt(s.beta_cnn_patch)} ± ${fmt(s.beta_cnn_patch_sem)}, meta-patch ${fmt(s.beta_cnn_meta)} ± ${fmt(s.beta_cnn_meta_sem)}, full ${fmt(s.beta_cnn_full)} ± ${fmt(s.beta_cnn_full_sem)} (P ${s.fit_p_min}–${s.p_max}, ${s.seeds} seeds)`;
  if (tooSmall(s)) return { verdict: 'inconclusive', measured, expected };
  const gap = (a: Target, b: Target) => {
    const g = s[`beta_cnn_${a}`]! - s[`beta_cnn_${b}`]!;
    const e = Math.hypot(s[`beta_cnn_${a}_sem`]!, s[`beta_cnn_${b}_sem`]!);
    return g > 0.02 && g > e;
  };
  return {
    verdict: gap('patch', 'meta') && gap('meta', 'full') ? 'reproduced' : 'not-reproduced',
    measured,
    expected,
  };
}

/** ntk/cagnetta2022: what wide CNNs can learn (Cagnetta, Favero, Wyart; arXiv 2022, ICML 2023). */
export const cagnetta2022 = defineExperiment({
  id: 'ntk/cagnetta2022',
  paper: {
    title: 'What Can Be Learnt With Wide Convolutional Neural Networks?',
    authors: 'Francesco Cagnetta, Alessandro Favero, Matthieu Wyart',
    year: 2022,
    url: 'https://arxiv.org/abs/2208.01003',
    venue: 'ICML 2023',
  },
  summary:
    'Ridgeless kernel regression with the NTK of an infinitely wide hierarchical CNN (non-overlapping patches, ' +
    'filters 2-2-2-2 on d = 16 inputs made of eight points on the unit circle) on Gaussian random targets that ' +
    'depend on one patch, one meta-patch (two patches) or the whole input. Learning curves P = 64…4096 give the decay exponent β ' +
    '(test error ∝ P^−β) per target; the same is done with the NTK of a fully-connected network as baseline. ' +
    'The paper shows deep CNNs adapt to the spatial scale of the target: β is set by the effective dimension of the ' +
    'smallest meta-patch the target depends on, while a fully-connected kernel sees the full dimension for all.',
  config,
  presets: {
    smoke: {
      filters: [2, 2, 2],
      trainSizes: [16, 32, 64],
      fitFrom: 16,
      nTest: 48,
      seeds: 2,
      teacherWidth: 256,
    },
    ci: { trainSizes: [64, 128, 256, 512, 1024], fitFrom: 128, nTest: 256, seeds: 2, teacherWidth: 4096 },
    paper: {},
  },
  claims: [
    {
      id: 'cnn-adapts-to-locality',
      statement:
        'With the hierarchical CNN kernel the learning-curve exponent is largest for a target of one patch, smaller for one meta-patch and smallest for the full input',
      check: orderingClaim,
    },
    {
      id: 'fc-blind-to-locality',
      statement:
        'The fully-connected NTK (baseline) gives about the same exponent for all three targets: it cannot exploit locality',
      check: (out) => {
        const s = out.scalars;
        const fc = TARGETS.map((t) => s[`beta_fc_${t}`]!);
        const spread = Math.max(...fc) - Math.min(...fc);
        const cnnSpread = s.beta_cnn_patch! - s.beta_cnn_full!;
        const expected =
          'spread of the FC exponents max−min ≤ 1/3 of the CNN spread β(patch)−β(full), and CNN β(patch) > FC β(patch)';
        const measured = `FC β: patch ${fmt(fc[0])}, meta-patch ${fmt(fc[1])}, full ${fmt(fc[2])} (spread ${fmt(spread)}); CNN spread ${fmt(cnnSpread)}`;
        if (tooSmall(s)) return { verdict: 'inconclusive', measured, expected };
        const ok = cnnSpread > 0 && spread <= cnnSpread / 3 && s.beta_cnn_patch! > s.beta_fc_patch!;
        return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
      },
    },
    {
      id: 'cnn-beats-fc-on-local-targets',
      statement:
        'On the one-patch target the CNN kernel generalises better than the fully-connected one at the largest P',
      check: (out) => {
        const s = out.scalars;
        const expected = 'CNN test error < FC test error at the largest P for the one-patch target';
        const measured = `one-patch target at P = ${s.p_max}: CNN ${fmt(s.err_cnn_patch_pmax, 4)}, FC ${fmt(s.err_fc_patch_pmax, 4)}`;
        if (tooSmall(s)) return { verdict: 'inconclusive', measured, expected };
        return {
          verdict: s.err_cnn_patch_pmax! < s.err_fc_patch_pmax! ? 'reproduced' : 'not-reproduced',
          measured,
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const d = cfg.filters.reduce((a, b) => a * b, 1);
    const sizes = [...cfg.trainSizes].sort((a, b) => a - b);
    const results: SeedResult[] = [];
    const task = ctx.progress.task('seeds', cfg.seeds);
    for (let seed = 0; seed < cfg.seeds; seed++) {
      throwIfAborted(ctx.signal);
      results.push(await ctx.checkpoint.cached(`seed-${seed}`, () => runSeed(ctx, cfg, seed)));
      task.tick(1, `seed ${seed}`);
    }
    task.done();
    const s1 = cfg.filters[0]!;
    const dEff: Record<Target, number> = {
      patch: s1 - 1,
      meta: (s1 - 1) * cfg.filters[1]!,
      full: ((s1 - 1) * d) / s1,
    };
    const scalars: Record<string, number> = {
      seeds: cfg.seeds,
      d,
      p_max: sizes[sizes.length - 1]!,
      fit_p_min: sizes.find((p) => p >= cfg.fitFrom) ?? Number.NaN,
      fit_points: sizes.filter((p) => p >= cfg.fitFrom).length,
      max_jitter: Math.max(...results.map((r) => r.jitter)),
    };
    const curves: SeriesRow[] = [];
    const table: Array<Array<string | number>> = [];
    for (const k of KERNELS) {
      for (const [ti, t] of TARGETS.entries()) {
        const meanErr = sizes.map((_, i) => mean(results.map((r) => r[k][ti]![i]!)));
        const perSeed = results.map((r) => exponent(sizes, r[k][ti]!, cfg.fitFrom));
        const beta = scalars.fit_points! >= 2 ? exponent(sizes, meanErr, cfg.fitFrom) : Number.NaN;
        scalars[`beta_${k}_${t}`] = beta;
        scalars[`beta_${k}_${t}_sem`] = sem(perSeed);
        scalars[`err_${k}_${t}_pmax`] = meanErr[meanErr.length - 1]!;
        sizes.forEach((P, i) => {
          curves.push({
            P,
            curve: `${k.toUpperCase()} · ${t === 'meta' ? 'meta-patch' : t === 'patch' ? 'one patch' : 'full input'}`,
            error: meanErr[i]!,
            sem: sem(results.map((r) => r[k][ti]![i]!)),
          });
        });
        table.push([
          k === 'cnn' ? 'hierarchical CNN' : 'fully connected',
          t === 'meta' ? 'meta-patch' : t === 'patch' ? 'one patch' : 'full input',
          dEff[t],
          Number(beta.toFixed(3)),
          Number(scalars[`beta_${k}_${t}_sem`]!.toFixed(3)),
          Number(meanErr[meanErr.length - 1]!.toFixed(4)),
        ]);
      }
    }
    for (const t of TARGETS) scalars[`d_eff_${t}`] = dEff[t];
    return {
      scalars,
      series: { learning_curves: curves },
      plots: [
        linePlot({
          id: 'learning-curves',
          title: 'Ridgeless NTK regression: test error vs training-set size',
          series: 'learning_curves',
          x: 'P',
          y: 'error',
          color: 'curve',
          errorBar: 'sem',
          logX: true,
          logY: true,
          xTitle: 'training points P',
          yTitle: 'relative test MSE',
        }),
      ],
      tables: [
        {
          id: 'exponents',
          title: `Learning-curve exponents (fit over P ≥ ${cfg.fitFrom}; ± standard error over seeds)`,
          columns: ['kernel', 'target', 'effective dimension', 'β', '±', `error at P = ${scalars.p_max}`],
          rows: table,
        },
      ],
    };
  },
});
