/** How a paper names a model's training scalars: `summary` (`accuracySummary`) or per-cell means (`cells`). */
export type TrainingNaming = 'summary' | 'cells';

/** The keys of model `k`'s train accuracy, its spread over seeds, and the share of seeds that plateaued. */
function trainingKeys(k: string, naming: TrainingNaming): [acc: string, spread: string, plateau: string] {
  return naming === 'summary'
    ? [`train_acc_${k}`, `train_acc_${k}_sd`, `plateau_${k}`]
    : [`${k}_train`, `${k}_train_sem`, `${k}_plateau`];
}

/**
 * Scalars of models that trained alike (train accuracy 0.95, every seed plateaued; seed s.d. 0.01 in the naming
 * of `accuracySummary` (`summary`: `train_acc_<k>`, `train_acc_<k>_sd`, `plateau_<k>`), s.e. 0.005 in that of
 * per-cell means (`cells`: `<k>_train`, `<k>_train_sem`, `<k>_plateau`).
 */
export function trainedScalars(keys: readonly string[], naming: TrainingNaming): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) {
    const [acc, spread, plateau] = trainingKeys(k, naming);
    Object.assign(out, { [acc]: 0.95, [spread]: naming === 'summary' ? 0.01 : 0.005, [plateau]: 1 });
  }
  return out;
}

/**
 * Three ways model `k` did not train, each on top of `base`: its train accuracy `low.acc` (far below its twin's),
 * seeds disagreeing (spread `low.spread`), or only `low.plateau` of the seeds plateaued.
 */
export function untrainedCases<T extends Record<string, number>>(
  base: T,
  k: string,
  naming: TrainingNaming,
  low: { acc: number; spread: number; plateau: number },
): T[] {
  const [acc, spread, plateau] = trainingKeys(k, naming);
  return [
    { ...base, [acc]: low.acc },
    { ...base, [spread]: low.spread },
    { ...base, [plateau]: low.plateau },
  ];
}

/** The two runs too small for a claim, on top of `base`: one seed, or `trainSize` training examples. */
export function smallRuns<T extends Record<string, number>>(base: T, trainSize: number): T[] {
  return [
    { ...base, seeds: 1 },
    { ...base, train_size: trainSize },
  ];
}
