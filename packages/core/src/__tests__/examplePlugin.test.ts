// The worked example of packages/core/README.md ("Writing a plugin"), kept here so it is type-checked and run:
// a complete paper experiment on the kit — config schema, presets, typed scalars, checkpointed cells, a paired
// comparison against the baseline measured in the same run, a plot, and a paper claim with its source and rule —
// passing the conformance suite every plugin runs.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { defineExperiment, definePlugin, type RunContext, runExperiment, scalarKeys, z } from '../index.js';
import { claimsFor, meanSem, pairedGap, runCells, seeds } from '../kit/index.js';
import { matFrom, solveSPD } from '../linalg/index.js';
import { linePlot } from '../plots/index.js';
import {
  createTestEnvironment,
  describeConformance,
  expectClaimCanFail,
  expectGapClaim,
  expectSmoke,
  expectThresholdClaims,
  gapClaims,
  suiteEnvironment,
} from '../testing/index.js';

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
    const X = tf.add(tf.mul(common, Math.sqrt(c.rho)), tf.mul(own, Math.sqrt(1 - c.rho)));
    const y = tf.add(
      tf.matMul(X, tf.tensor2d(beta, [c.p, 1])),
      tf.tensor2d(rng.normals(c.n, 0, c.noise), [c.n, 1]),
    );
    return [tf.matMul(X, X, true, false).dataSync(), tf.matMul(X, y, true, false).dataSync()];
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

type Scalar = 'trials' | 'ols_mse' | 'best_mse' | 'best_k' | 'gain' | 'gain_sem';
const claim = claimsFor<Config, Scalar>();

/** Hoerl & Kennard (1970): some ridge penalty k > 0 beats least squares in parameter MSE. */
export const hoerl1970 = defineExperiment({
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
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'ridge-beats-ols',
      kind: 'paper',
      statement: 'Some k > 0 has a lower parameter MSE than least squares',
      source: {
        quote: 'there always exists a k > 0 such that the ridge estimator has smaller MSE',
        where: '§4, Theorem 4.3',
      },
      requires: [claim.atLeast('trials', 50, 'trials')],
      gap: 'gain',
      sem: 'gain_sem',
      a: 'OLS',
      b: 'best ridge',
      what: 'parameter MSE',
    }),
  ],
  async run(ctx, c) {
    // One cell per trial: checkpointed (replayed on resume), ticked, abortable between cells.
    const done = await runCells(ctx, {
      label: 'trials',
      cells: seeds(c.trials),
      key: (t) => `trial-${t}`,
      run: (t) => trial(ctx, c, t),
    });
    const errs = done.map((d) => d.result);
    const rows = c.ks.map((k, i) => ({ k, ...meanSem(errs.map((e) => e[i]!)) }));
    const bestIndex = rows.reduce((best, r, i) => (i > 0 && r.mean < rows[best]!.mean ? i : best), 1);
    const gap = pairedGap(
      errs.map((e) => e[0]!),
      errs.map((e) => e[bestIndex]!),
    );
    return {
      scalars: {
        trials: c.trials,
        ols_mse: rows[0]!.mean,
        best_mse: rows[bestIndex]!.mean,
        best_k: rows[bestIndex]!.k,
        gain: gap.mean,
        gain_sem: gap.sem,
      },
      series: { mse: rows },
      plots: [
        linePlot({
          id: 'mse-vs-k',
          title: 'Parameter MSE vs ridge penalty',
          series: 'mse',
          x: 'k',
          y: 'mean',
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
  papers: [hoerl1970],
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
    expect(result!.summary.paper).toMatchObject({ reproduced: 1, total: 1 });
  });

  it('the claim can fail: no gain, or too few trials, is not a reproduction', () => {
    expectClaimCanFail(hoerl1970, 'ridge-beats-ols', {
      pass: { trials: 400, gain: 2, gain_sem: 0.2 },
      fail: { trials: 400, gain: -1, gain_sem: 0.2 },
      inconclusive: [
        { trials: 12, gain: 2, gain_sem: 0.2 },
        { trials: 400, gain: 0.1, gain_sem: 0.2 },
      ],
    });
  });

  it('the claim can fail, written from a base of scalars each case overrides', () => {
    expectClaimCanFail(hoerl1970, 'ridge-beats-ols', {
      base: { trials: 400, gain_sem: 0.2 },
      pass: { gain: 2 },
      fail: { gain: -1 },
      inconclusive: [{ trials: 12, gain: 2 }, { gain: 0.1 }],
    });
    // A base cannot hide a case that does not match: the same cases without the trials fail the helper.
    expect(() =>
      expectClaimCanFail(hoerl1970, 'ridge-beats-ols', {
        base: { trials: 12, gain_sem: 0.2 },
        pass: { gain: 2 },
        fail: { gain: -1 },
      }),
    ).toThrow(/passing case/);
  });

  it('gapClaims: a beats claim over shared scalars, and it fails when the cases are wrong', () => {
    expectGapClaim(hoerl1970, 'ridge-beats-ols', {
      key: 'gain',
      base: { trials: 400 },
      pass: [2, 0.2],
      straddle: [0.1, 0.2],
      inconclusive: [{ trials: 12 }],
    });
    const check = gapClaims(hoerl1970, { trials: 400 });
    check('ridge-beats-ols', 'gain', {
      pass: [2, 0.2],
      straddle: [0.1, 0.2],
      inconclusive: [{ trials: 12 }],
    });
    // Too few trials is inconclusive, not a pass: the same case given as passing fails the helper.
    expect(() => gapClaims(hoerl1970, { trials: 12 })('ridge-beats-ols', 'gain', { pass: [2, 0.2] })).toThrow(
      /passing case/,
    );
    expect(() => check('ridge-beats-ols', 'gain', { pass: [2, 0.2], straddle: [3, 0.2] })).toThrow(
      /inconclusive/,
    );
  });

  it('expectThresholdClaims: a passing and a failing value per claim', () => {
    const threshold = defineExperiment({
      ...hoerl1970,
      id: 'demo/threshold',
      claims: [
        claim.inRange({
          id: 'ols-finite',
          kind: 'control',
          statement: 'Control: the least-squares error is below 10',
          value: 'ols_mse',
          range: [0, 10],
          label: 'OLS MSE',
        }),
      ],
    });
    expectThresholdClaims(threshold, { 'ols-finite': ['ols_mse', 1, 20] });
    expect(() => expectThresholdClaims(threshold, { 'ols-finite': ['ols_mse', 20, 1] })).toThrow(
      /passing case/,
    );
  });

  describe('expectSmoke', () => {
    const env = suiteEnvironment([demoPlugin]);
    it('checks determinism, finite scalars, the claim list and verdicts in one call', async () => {
      const r = await expectSmoke(env, 'demo/hoerl1970', {
        differs: 'ols_mse',
        finite: 'all',
        claims: [['ridge-beats-ols', 'paper']],
        verdicts: { 'ridge-beats-ols': 'inconclusive' },
      });
      expect(r.scalars.trials).toBe(12);
    });
    it('fails on a wrong claim list, a wrong verdict or a missing scalar', async () => {
      await expect(
        expectSmoke(env, 'demo/hoerl1970', { differs: 'ols_mse', claims: ['ridge-beats-ols', 'other'] }),
      ).rejects.toThrow(/claims in order/);
      await expect(
        expectSmoke(env, 'demo/hoerl1970', {
          differs: 'ols_mse',
          verdicts: { 'ridge-beats-ols': 'reproduced' },
        }),
      ).rejects.toThrow(/ridge-beats-ols/);
      await expect(
        expectSmoke(env, 'demo/hoerl1970', { differs: 'ols_mse', finite: ['nope'] }),
      ).rejects.toThrow(/scalar nope/);
    });
  });

  it('a config error names the path and what was expected', async () => {
    const env = await createTestEnvironment([demoPlugin]);
    await expect(runExperiment(env, { experiment: 'demo/hoerl1970', overrides: ['rho=2'] })).rejects.toThrow(
      /rho.*(999|less than or equal)/s,
    );
  });
});
