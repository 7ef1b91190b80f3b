import type { AnyExperiment } from '@paperlab/core';

/** The experiment as judged by its revised rules: each revised claim's check replaced by the revision's. */
export function revisedOf(experiment: AnyExperiment): AnyExperiment {
  return {
    ...experiment,
    claims: experiment.claims.map((c) =>
      c.revision ? { ...c, rule: c.revision.rule, check: c.revision.check } : c,
    ),
  } as AnyExperiment;
}

/**
 * Scalars of models that trained alike (train accuracy 0.95, seed s.d. 0.01, every seed plateaued), in the
 * naming of `accuracySummary` (`summary`: `train_acc_<k>`, `train_acc_<k>_sd`, `plateau_<k>`) or of per-cell
 * means (`cells`: `<k>_train`, `<k>_train_sem`, `<k>_plateau`).
 */
export function trainedScalars(keys: readonly string[], naming: 'summary' | 'cells'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) {
    if (naming === 'summary')
      Object.assign(out, { [`train_acc_${k}`]: 0.95, [`train_acc_${k}_sd`]: 0.01, [`plateau_${k}`]: 1 });
    else Object.assign(out, { [`${k}_train`]: 0.95, [`${k}_train_sem`]: 0.005, [`${k}_plateau`]: 1 });
  }
  return out;
}
