import type { RunContext } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { frobeniusDiff } from '@paperlab/core/linalg';
import type * as tf from '@tensorflow/tfjs-core';
import type { ImageSubset } from '../../data/imageSubset.js';
import { seedMeans } from '../../experiments/seedSummary.js';
import { argmaxAccuracy } from '../../util/argmaxAccuracy.js';
import type { Yang2020Config } from './experiment.js';
import { type KernelLimit, ntkKernelLimit } from './kernelLimit.js';
import { type MlpRun, type Parametrisation, trainMlp } from './parametrisedMlp.js';

/** The training data of every net, as tensors (one-hot targets centred), with the test labels. */
export interface MlpTensors {
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor2D;
  xTest: tf.Tensor2D;
  yTest: tf.Tensor2D;
  yTestLabels: Int32Array;
}

/** What the claims read from one trained net (its outputs stay out of the checkpoint). */
const summary = ({ f0Test, fTest, f0Train, ...r }: MlpRun, kernelGap = 0, linAccuracy = 0) => ({
  ...r,
  kernelGap,
  linAccuracy,
});

/** The nets of ntk/yang2020 and how to read them: SP and μP over width × η, the NTK parametrisation at η*. */
export interface ParametrisationSweep {
  widths: number[];
  lrs: number[];
  /** The base width n₀, where SP, NTK and μP coincide. */
  n0: number;
  /** μP's best η at the base width. */
  etaStar: number;
  /** The NTK-parametrised net's kernel limit at η*. */
  limit: KernelLimit;
  swept: Array<
    kit.CellResult<
      { p: Parametrisation; width: number; lr: number; seed: number },
      ReturnType<typeof summary>
    >
  >;
  ntk: Array<kit.CellResult<{ width: number; seed: number }, ReturnType<typeof summary>>>;
  /** The runs of every seed of one (parametrisation, width, η). */
  runs(p: Parametrisation, width: number, lr: number): Array<ReturnType<typeof summary>>;
  /** Seed means of test loss and accuracy of one (parametrisation, width, η), and whether any seed diverged. */
  at(
    p: Parametrisation,
    width: number,
    lr: number,
  ): { testLoss: number; testAccuracy: number; diverged: boolean };
  /** Index in `lrs` of the η with the lowest seed-mean test loss. */
  best(p: Parametrisation, width: number): number;
  /** The NTK-parametrised runs of every seed at one width. */
  ntkRuns(width: number): Array<ReturnType<typeof summary>>;
  /** Seed means of the NTK-parametrised runs at one width. */
  ntkAt(
    width: number,
  ): Record<'featureMove' | 'kernelGap' | 'testAccuracy' | 'linAccuracy' | 'testLoss', number>;
}

/**
 * Trains SP and μP over width × η × seed, picks η* (μP's best at the base width), then trains the NTK
 * parametrisation at η* over width × seed and compares each net with its kernel limit.
 */
export async function runParametrisationSweep(
  ctx: RunContext,
  cfg: Yang2020Config,
  data: ImageSubset,
  tensors: MlpTensors,
  C: number,
): Promise<ParametrisationSweep> {
  const widths = [...cfg.widths].sort((a, b) => a - b);
  const lrs = [...cfg.lrGrid].sort((a, b) => a - b);
  const n0 = widths[0]!;
  const seedList = kit.seeds(cfg.seeds);
  const tag = (seed: number) => (seed ? `-s${seed}` : '');
  const train = (p: Parametrisation, width: number, lr: number, keepOutputs: boolean, seed: number) => {
    const o = { parametrisation: p, width, baseWidth: n0, lr, steps: cfg.steps, keepOutputs };
    return trainMlp(ctx.rng.split(`net-${width}${tag(seed)}`), ctx.signal, tensors, o);
  };
  const swept = await kit.runCells(ctx, {
    label: 'parametrisation × width × η × seed',
    cells: kit.grid({ p: ['mup', 'sp'] as Parametrisation[], width: widths, lr: lrs, seed: seedList }),
    key: ({ p, width, lr, seed }) => `${p}-w${width}-lr${lr}${tag(seed)}`,
    run: ({ p, width, lr, seed }) => summary(train(p, width, lr, false, seed)),
    describe: ({ p, width, lr, seed }) => `${p}-w${width}-lr${lr}${tag(seed)}`,
  });
  // Per (parametrisation, width, η): the runs of every seed; the best η minimises the seed-mean test loss.
  const runs = (p: Parametrisation, width: number, lr: number) => kit.pick(swept, { p, width, lr });
  const at = (p: Parametrisation, width: number, lr: number) => {
    const list = runs(p, width, lr);
    return { ...seedMeans(list, ['testLoss', 'testAccuracy']), diverged: list.some((r) => r.diverged) };
  };
  const best = (p: Parametrisation, width: number) => {
    let bi = 0;
    lrs.forEach((lr, i) => {
      if (at(p, width, lr).testLoss < at(p, width, lrs[bi]!).testLoss) bi = i;
    });
    return bi;
  };
  const etaStar = lrs[best('mup', n0)]!;

  // NTK parametrisation at η* (= μP's best at the base width, where the two coincide), with its kernel limit.
  const limit = ntkKernelLimit(data, C, n0, etaStar, cfg.steps);
  const ntk = await kit.runCells(ctx, {
    label: 'NTK parametrisation × width × seed',
    cells: kit.grid({ width: widths, seed: seedList }),
    key: ({ width, seed }) => `ntk-w${width}${tag(seed)}`,
    run: ({ width, seed }) => {
      const r = train('ntk', width, etaStar, true, seed);
      const pred = limit.predict(Float64Array.from(r.f0Train), Float64Array.from(r.f0Test));
      return summary(
        r,
        frobeniusDiff(r.fTest, pred) / Math.max(frobeniusDiff(r.fTest, r.f0Test), 1e-12),
        argmaxAccuracy(pred, data.yTest, C),
      );
    },
    describe: ({ width, seed }) => `ntk w=${width}${tag(seed)}`,
  });
  const ntkRuns = (width: number) => kit.pick(ntk, { width });
  const ntkAt = (width: number) =>
    seedMeans(ntkRuns(width), ['featureMove', 'kernelGap', 'testAccuracy', 'linAccuracy', 'testLoss']);
  return { widths, lrs, n0, etaStar, limit, swept, ntk, runs, at, best, ntkRuns, ntkAt };
}
