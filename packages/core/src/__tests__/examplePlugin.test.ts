// The worked example of packages/core/README.md ("Writing a plugin"), kept here so it is type-checked and run:
// a complete paper experiment — config schema, presets, tensors, progress, checkpoint-cached cells, a plot,
// and a claim against a baseline measured in the same run — passing the conformance suite every plugin runs.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { defineExperiment, definePlugin, type RunContext, runExperiment, z } from '../index.js';
import { mean, pm, sem } from '../kit/index.js';
import { matFrom, solveSPD } from '../linalg/index.js';
import { linePlot } from '../plots/index.js';
import { createTestEnvironment, describeConformance } from '../testing/index.js';

const config = z
  .object({
    /** Samples per design matrix. */
    n: z.number().int().min(4).default(40),
    /** Features. */
    p: z.number().int().min(2).default(10),
    /** Pairwise correlation of the features (how collinear the design is). */
    rho: z.number().min(0).max(0.999).default(0.95),
    /** Noise standard deviation. */
    noise: z.number().positive().default(1),
    /** Ridge penalties k swept (k = 0 is ordinary least squares, the baseline). */
    ks: z.array(z.number().min(0)).min(2).default([0, 0.03, 0.1, 0.3, 1, 3, 10]),
    /** Independent data sets per k. */
    trials: z.number().int().min(2).default(400),
  })
  .strict();
type Config = z.infer<typeof config>;

/** One trial: a collinear design X, y = Xβ + ε; returns ‖β̂_k − β‖² for every k. */
function trial(ctx: RunContext, c: Config, t: number): number[] {
  const rng = ctx.rng.split(`trial-${t}`);
  const beta = rng.normals(c.p);
  // Features share a common factor: corr(x_i, x_j) = rho.
  const common = tf.tensor2d(rng.normals(c.n), [c.n, 1]);
  const own = tf.tensor2d(rng.normals(c.n * c.p), [c.n, c.p]);
  const [gram, xty] = tf.tidy(() => {
    const X = common.mul(Math.sqrt(c.rho)).add(own.mul(Math.sqrt(1 - c.rho)));
    const y = X.matMul(tf.tensor2d(beta, [c.p, 1])).add(tf.tensor2d(rng.normals(c.n, 0, c.noise), [c.n, 1]));
    return [X.matMul(X, true, false).dataSync(), X.matMul(y, true, false).dataSync()];
  });
  tf.dispose([common, own]);
  return c.ks.map((k) => {
    const a = matFrom(c.p, c.p, gram);
    for (let i = 0; i < c.p; i++) a.data[i * c.p + i]! += k;
    const { X: b } = solveSPD(a, matFrom(c.p, 1, xty));
    let err = 0;
    for (let i = 0; i < c.p; i++) err += (b.data[i]! - beta[i]!) ** 2;
    return err;
  });
}

/** Hoerl & Kennard (1970): some ridge penalty k > 0 beats least squares in parameter MSE. */
export const hoerl1970 = defineExperiment<Config>({
  id: 'demo/hoerl1970',
  paper: {
    title: 'Ridge Regression: Biased Estimation for Nonorthogonal Problems',
    authors: 'Arthur E. Hoerl, Robert W. Kennard',
    year: 1970,
    url: 'https://doi.org/10.1080/00401706.1970.10488634',
    venue: 'Technometrics',
  },
  summary:
    'Collinear Gaussian designs: the mean squared error of the ridge estimator over a sweep of penalties k, ' +
    'against ordinary least squares (k = 0) on the same data sets.',
  config,
  presets: { smoke: { n: 20, p: 5, trials: 12, ks: [0, 0.3, 3] }, paper: {} },
  claims: [
    {
      id: 'ridge-beats-ols',
      statement: 'Some k > 0 has a lower parameter MSE than least squares (their existence theorem)',
      check(out) {
        const rows = out.series?.mse ?? [];
        const ols = rows.find((r) => r.k === 0);
        const best = rows.filter((r) => (r.k as number) > 0).sort((a, b) => +a.mse! - +b.mse!)[0];
        if (!ols || !best)
          return { verdict: 'inconclusive', measured: 'no k = 0 or k > 0 row', expected: '' };
        const gain = +ols.mse! - +best.mse!;
        const se = Math.hypot(+ols.sem!, +best.sem!);
        return {
          verdict:
            out.scalars.trials! < 50 ? 'inconclusive' : gain > 2 * se ? 'reproduced' : 'not-reproduced',
          measured: `OLS ${pm(+ols.mse!, +ols.sem!)}; best k = ${best.k}: ${pm(+best.mse!, +best.sem!)}`,
          expected: 'best ridge MSE below OLS by more than 2 s.e. (≥ 50 trials)',
        };
      },
    },
  ],
  async run(ctx, c) {
    const task = ctx.progress.task('trials', c.trials);
    const errs: number[][] = [];
    for (let t = 0; t < c.trials; t++) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      // A finished trial is replayed, not recomputed, when an interrupted run resumes.
      errs.push(await ctx.checkpoint.cached(`trial-${t}`, async () => trial(ctx, c, t)));
      task.tick();
    }
    task.done();
    const rows = c.ks.map((k, i) => {
      const e = errs.map((r) => r[i]!);
      return { k, mse: mean(e), sem: sem(e) };
    });
    ctx.log.scalars({ ols_mse: rows[0]!.mse }, c.trials);
    return {
      scalars: { trials: c.trials, ols_mse: rows[0]!.mse, best_mse: Math.min(...rows.map((r) => r.mse)) },
      series: { mse: rows },
      plots: [
        linePlot({
          id: 'mse-vs-k',
          title: 'Parameter MSE vs ridge penalty',
          series: 'mse',
          x: 'k',
          y: 'mse',
          errorBar: 'sem',
        }),
      ],
    };
  },
});

/** The plugin: a namespace, a version and `setup`, which registers; importing it does nothing. */
export const demoPlugin = definePlugin({
  name: 'demo',
  packageName: 'paperlab-plugin-demo',
  version: '0.0.0',
  core: '^0.1.0',
  description: 'The README example: ridge regression',
  setup(ctx) {
    ctx.experiment(hoerl1970);
  },
});

describeConformance(demoPlugin);

describe('the README example plugin', () => {
  it('reproduces Hoerl & Kennard at the paper preset, with the numbers', async () => {
    const env = await createTestEnvironment([demoPlugin]);
    const before = tf.memory().numTensors;
    const { header, result } = await runExperiment(env, {
      experiment: 'demo/hoerl1970',
      preset: 'paper',
      seed: 0,
    });
    expect(header.status, header.error?.message).toBe('completed');
    expect(tf.memory().numTensors).toBe(before);
    const claim = result!.claims[0]!;
    expect(claim.verdict, claim.measured).toBe('reproduced');
    expect(result!.scalars.best_mse).toBeLessThan(result!.scalars.ols_mse!);
  });

  it('a config error names the path and what was expected', async () => {
    const env = await createTestEnvironment([demoPlugin]);
    await expect(runExperiment(env, { experiment: 'demo/hoerl1970', overrides: ['rho=2'] })).rejects.toThrow(
      /rho.*(999|less than or equal)/s,
    );
  });
});
