import type { RunContext } from '@paperlab/core';
import { grid, meanSem, pairedGap, pick, runCells, seeds } from '@paperlab/core/kit';

/**
 * @deprecated The kit's summaries and formatters, re-exported for papers not yet ported to the kit; import them
 * from `@paperlab/core/kit` instead.
 */
export { meanSem, pairedGap, pct, points } from '@paperlab/core/kit';

/** Per-seed results of each model, keyed by model. */
export type SeedResults<R> = Record<string, R[]>;

/** Groups a model × seed run by model: `{ [model]: [result of seed 0, seed 1, …] }`. */
export function byModel<R>(
  done: ReadonlyArray<{ cell: { model: string; seed: number }; result: R }>,
  models: readonly string[],
): SeedResults<R> {
  return Object.fromEntries(models.map((model) => [model, pick(done, { model })]));
}

/**
 * @deprecated Use the kit's `runCells` over `grid({ model: keys, seed: seeds(n) })` and {@link byModel}.
 * Runs every (model, seed) cell once (checkpoint key `<model>-s<seed>`), model by model, seed by seed.
 */
export async function runSeedCells<R extends Record<string, number>>(
  ctx: RunContext,
  keys: readonly string[],
  seedCount: number,
  cell: (key: string, seed: number) => Promise<R> | R,
  describe: (key: string, seed: number, r: R) => string,
): Promise<SeedResults<R>> {
  const done = await runCells(ctx, {
    label: 'models × seeds',
    cells: grid({ model: keys, seed: seeds(seedCount) }),
    key: ({ model, seed }) => `${model}-s${seed}`,
    run: ({ model, seed }) => cell(model, seed),
    describe: ({ model, seed }, r) => describe(model, seed, r),
  });
  return byModel(done, keys);
}

/** What {@link accuracySummary} reads from each seed's result. */
export interface AccuracyCell {
  trainAcc: number;
  params?: number;
}

/**
 * The per-model accuracy figures of a seeded comparison: scalars `acc_<key>` and `acc_<key>_sem` (mean ± s.e.
 * of `score`, default `testAcc`), `train_acc_<key>` and, unless `params: false`, `params_<key>`; returns one
 * table row per model: label, (weights,) mean, s.e., train accuracy.
 */
export function accuracySummary<K extends string, S extends string = 'testAcc'>(
  results: SeedResults<AccuracyCell & Record<S, number>>,
  labels: Record<K, string>,
  scalars: Record<string, number | undefined>,
  o: { score?: S; params?: boolean } = {},
): Array<Array<string | number>> {
  const score = o.score ?? ('testAcc' as S);
  return (Object.keys(labels) as K[]).map((key) => {
    const cells = results[key]!;
    const acc = meanSem(cells.map((c) => c[score]));
    const train = meanSem(cells.map((c) => c.trainAcc)).mean;
    scalars[`acc_${key}`] = acc.mean;
    scalars[`acc_${key}_sem`] = acc.sem;
    scalars[`train_acc_${key}`] = train;
    if (o.params === false) return [labels[key], acc.mean, acc.sem, train];
    const params = cells[0]!.params ?? Number.NaN;
    scalars[`params_${key}`] = params;
    return [labels[key], params, acc.mean, acc.sem, train];
  });
}

/** Records the paired gap of `score` (default `testAcc`) a − b over seeds as `gap_<name>` and `gap_<name>_sem`. */
export function recordGap<S extends string = 'testAcc'>(
  results: SeedResults<Record<S, number>>,
  scalars: Record<string, number | undefined>,
  name: string,
  a: string,
  b: string,
  score: S = 'testAcc' as S,
): void {
  const g = pairedGap(
    results[a]!.map((c) => c[score]),
    results[b]!.map((c) => c[score]),
  );
  scalars[`gap_${name}`] = g.mean;
  scalars[`gap_${name}_sem`] = g.sem;
}
