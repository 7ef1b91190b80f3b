import { type RunContext, throwIfAborted } from '@paperlab/core';
import { mean, sem } from '@paperlab/core/kit';

/** Per-seed results of each model, keyed by model. */
export type SeedResults<R> = Record<string, R[]>;

/**
 * Trains/evaluates every (model, seed) cell once, caching each cell in the run's checkpoint store so an
 * interrupted run resumes from the completed cells. Cells run model by model, seed by seed.
 */
export async function runSeedCells<R extends Record<string, number>>(
  ctx: RunContext,
  keys: readonly string[],
  seeds: number,
  cell: (key: string, seed: number) => Promise<R> | R,
  describe: (key: string, seed: number, r: R) => string,
): Promise<SeedResults<R>> {
  const out: SeedResults<R> = {};
  const task = ctx.progress.task('models × seeds', keys.length * seeds);
  for (const key of keys) {
    out[key] = [];
    for (let seed = 0; seed < seeds; seed++) {
      throwIfAborted(ctx.signal);
      const r = await ctx.checkpoint.cached(`${key}-s${seed}`, async () => cell(key, seed));
      out[key]!.push(r);
      task.tick(1, describe(key, seed, r));
    }
  }
  task.done();
  return out;
}

/** Mean and standard error of the mean (0 for one value). */
export function meanSem(values: readonly number[]): { mean: number; sem: number } {
  return { mean: mean([...values]), sem: values.length > 1 ? sem([...values]) : 0 };
}

/** Paired difference a − b over seeds: mean and its standard error (0 for one seed). */
export function pairedGap(a: readonly number[], b: readonly number[]): { mean: number; sem: number } {
  const d = a.map((v, i) => v - b[i]!);
  return meanSem(d);
}

/** Formats a fraction as a percentage with one decimal. */
export function pct(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : `${(100 * v).toFixed(1)}%`;
}

/** Formats a fraction difference in percentage points with its standard error. */
export function points(v: number, se?: number): string {
  const s = `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;
  return se === undefined ? `${s} pts` : `${s} ± ${(100 * se).toFixed(1)} pts`;
}

/**
 * The per-model accuracy figures of a seeded comparison: scalars `acc_<key>`, `acc_<key>_sem`,
 * `train_acc_<key>` and `params_<key>`, and one table row per model (label, weights, mean, s.e., train).
 */
export function accuracySummary<K extends string>(
  results: SeedResults<{ testAcc: number; trainAcc: number; params: number }>,
  labels: Record<K, string>,
  scalars: Record<string, number>,
): Array<Array<string | number>> {
  return (Object.keys(labels) as K[]).map((key) => {
    const cells = results[key]!;
    const acc = meanSem(cells.map((c) => c.testAcc));
    const train = meanSem(cells.map((c) => c.trainAcc)).mean;
    scalars[`acc_${key}`] = acc.mean;
    scalars[`acc_${key}_sem`] = acc.sem;
    scalars[`train_acc_${key}`] = train;
    scalars[`params_${key}`] = cells[0]!.params;
    return [labels[key], cells[0]!.params, acc.mean, acc.sem, train];
  });
}

/** Records the paired test-accuracy gap a − b over seeds as scalars `gap_<name>` and `gap_<name>_sem`. */
export function recordGap(
  results: SeedResults<{ testAcc: number }>,
  scalars: Record<string, number>,
  name: string,
  a: string,
  b: string,
): void {
  const g = pairedGap(
    results[a]!.map((c) => c.testAcc),
    results[b]!.map((c) => c.testAcc),
  );
  scalars[`gap_${name}`] = g.mean;
  scalars[`gap_${name}_sem`] = g.sem;
}
