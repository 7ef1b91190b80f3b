import type { RunContext } from '@paperlab/core';
import { reluNtkField } from '../../data/reluNtkField.js';
import { sphericalPatches } from '../../data/sphericalPatches.js';
import { ridgelessLearningCurves } from '../../inference/learningCurves.js';
import * as stax from '../../stax/index.js';
import type { Cagnetta2022Config } from './experiment.js';
import { asMat, fullyConnected, hierarchicalCnn } from './networks.js';

// One seed of ntk/cagnetta2022: inputs on the sphere, the three teachers, the CNN and fully-connected NTKs, and
// their ridgeless learning curves.

/** The teachers: a function of one patch, of a meta-patch, or of the full input. */
export const TARGETS = ['patch', 'meta', 'full'] as const;
/** A teacher. */
export type Target = (typeof TARGETS)[number];
/** The two NTKs compared. */
export const KERNELS = ['cnn', 'fc'] as const;
/** One of the two NTKs. */
export type KernelName = (typeof KERNELS)[number];

/** errors[kernel][target][size] (relative test MSE) of one seed, and the largest ridge jitter needed. */
export type SeedResult = { cnn: number[][]; fc: number[][]; jitter: number };

/** One seed: inputs, the three teachers, both NTKs on the largest training set, and ridgeless learning curves. */
export async function runSeed(
  ctx: RunContext,
  cfg: Cagnetta2022Config,
  filters: number[],
  seed: number,
  design: '' | 'first_',
): Promise<SeedResult> {
  const d = filters.reduce((a, b) => a * b, 1);
  const s1 = filters[0]!;
  const sizes = [...cfg.trainSizes].sort((a, b) => a - b);
  const pMax = sizes[sizes.length - 1]!;
  const n = pMax + cfg.nTest;
  const rng = ctx.rng.split(`${design}seed-${seed}`);
  const x = sphericalPatches(rng.split('inputs'), n, d, s1);
  const dims: Record<Target, number> = { patch: s1, meta: s1 * filters[1]!, full: d };
  const ys = TARGETS.map((t) => reluNtkField(rng.split(`teacher-${t}`), x, n, d, dims[t], cfg.teacherWidth));
  const [trainYs, testYs] = [ys.map((y) => y.subarray(0, pMax)), ys.map((y) => y.subarray(pMax))];
  // The CNN sees a 1-channel signal of length d, the fully-connected net a vector of d features.
  const inputs = (name: KernelName, from: number, count: number) => ({
    values: x.subarray(from * d, (from + count) * d),
    shape: name === 'cnn' ? [count, d, 1] : [count, d],
  });
  const result: SeedResult = { cnn: [], fc: [], jitter: 0 };
  for (const name of KERNELS) {
    const net = name === 'cnn' ? hierarchicalCnn(filters) : fullyConnected(cfg.fcDepth);
    const task = ctx.progress.task(`${design}seed ${seed}: ${name} kernel`, pMax * pMax + cfg.nTest * pMax);
    const onProgress = (done: number) => task.tick(0, `${done} entries`);
    const opts = { get: 'ntk', dtype: 'float64', signal: ctx.signal, onProgress } as const;
    const train = inputs(name, 0, pMax);
    const trtr = asMat((await stax.kernelMatrix(net, train, null, opts)).ntk!, pMax, pMax);
    const test = inputs(name, pMax, cfg.nTest);
    const tetr = asMat((await stax.kernelMatrix(net, test, train, opts)).ntk!, cfg.nTest, pMax);
    task.done();
    const curves = ridgelessLearningCurves(trtr, tetr, trainYs, testYs, sizes, ctx.signal);
    result.jitter = Math.max(result.jitter, curves.jitter);
    sizes.forEach((P, i) => {
      const at = TARGETS.map((t, ti) => [`${name}_${t}`, curves.errors[ti]![i]!]);
      ctx.log.scalars(Object.fromEntries(at), (design ? 1e6 : 0) + seed * 100_000 + P);
    });
    result[name] = curves.errors;
  }
  return result;
}
