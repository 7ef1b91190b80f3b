import { gapScalars, mean, meanSem, pick, std, withSem } from '@paperlab/core/kit';

/** Per-seed results of each model, keyed by model. */
export type SeedResults<R> = Record<string, R[]>;

/** Groups a model × seed run by model: `{ [model]: [result of seed 0, seed 1, …] }`. */
export function byModel<R>(
  done: ReadonlyArray<{ cell: { model: string; seed: number }; result: R }>,
  models: readonly string[],
): SeedResults<R> {
  return Object.fromEntries(models.map((model) => [model, pick(done, { model })]));
}

/** What {@link accuracySummary} reads from each seed's result. */
export interface AccuracyCell {
  trainAcc: number;
  params?: number;
  /** 1 when the training accuracy plateaued (see `TRAIN_PLATEAU`), else 0. */
  plateau?: number;
}

/**
 * The per-model accuracy figures of a seeded comparison: scalars `acc_<key>` and `acc_<key>_sem` (mean ± s.e.
 * of `score`, default `testAcc`), `train_acc_<key>` and its spread over seeds `train_acc_<key>_sd`, the fraction
 * of seeds whose training plateaued `plateau_<key>` (when recorded) and, unless `params: false`, `params_<key>`;
 * returns one table row per model: label, (weights,) mean, s.e., train accuracy.
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
    const trainAccs = cells.map((c) => c.trainAcc);
    const train = mean(trainAccs);
    Object.assign(scalars, withSem(`acc_${key}`, acc));
    scalars[`train_acc_${key}`] = train;
    scalars[`train_acc_${key}_sd`] = std(trainAccs);
    if (cells.every((c) => c.plateau !== undefined))
      scalars[`plateau_${key}`] = mean(cells.map((c) => c.plateau!));
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
  const gap = gapScalars(
    `gap_${name}`,
    results[a]!.map((c) => c[score]),
    results[b]!.map((c) => c[score]),
  );
  Object.assign(scalars, gap);
}
