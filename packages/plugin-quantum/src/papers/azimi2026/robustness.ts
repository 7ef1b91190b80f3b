import type { PlotSpec, Scalars, SeriesRow, Table } from '@paperlab/core';
import { table } from '@paperlab/core/kit';
import { epsKey } from '../../attacks/adversarial.js';
import { byModelPlot } from '../../models/plots.js';
import type { CellMetric, Azimi2026Config as Cfg, Scalar } from './experiment.js';
import { KEYS, MODELS, type ModelKey } from './qshield.js';

// The report of quantum/azimi2026: the two attack sweeps as series and plots, and the robustness table, all read
// from the per-model means the run recorded.

const ASR = ['asr', 'attack success rate'] as const;

/** Model `k`'s mean over seeds of cell metric `m`. */
function meanOf(scalars: Scalars<Scalar>, k: ModelKey, m: CellMetric): number {
  return scalars[`${k}_${m}`]!;
}

/** The PGD-steps sweep at ε (`steps`) and the ε sweep (`eps`): one row per model and point with its mean ASR. */
export function sweepSeries(cfg: Cfg, scalars: Scalars<Scalar>): { steps: SeriesRow[]; eps: SeriesRow[] } {
  const steps = KEYS.flatMap((model) =>
    cfg.pgdSteps.map((steps) => ({ model, steps, asr: meanOf(scalars, model, `pgd${steps}_asr`) })),
  );
  const eps = KEYS.flatMap((model) =>
    cfg.epsSweep.map((eps) => ({ model, eps, asr: meanOf(scalars, model, `pgd_eps_${epsKey(eps)}_asr`) })),
  );
  return { steps, eps };
}

/** One row per model: clean and train accuracy, the fusion's circuit share, and every attack's success rate. */
export function robustnessTable(cfg: Cfg, scalars: Scalars<Scalar>, attackSize: number): Table {
  const v = (k: ModelKey, m: CellMetric) => meanOf(scalars, k, m);
  return table(
    'robustness',
    `Attack success rates on the first ${attackSize} ${cfg.dataset} test images (ε = ${cfg.eps}; noise p = ${cfg.noise.depolarizing}, γ = ${cfg.noise.amplitudeDamping}; ${cfg.seeds} seeds)`,
    [
      'model',
      'clean acc',
      'train acc',
      'fusion weight on circuit',
      'circuit branch alone',
      'FGSM ASR',
      ...cfg.pgdSteps.map((st) => `PGD-${st} ASR`),
      ...cfg.epsSweep.map((e) => `PGD-${cfg.sweepSteps} ASR ε=${e}`),
    ],
    KEYS.map((k) => [
      MODELS[k],
      v(k, 'clean'),
      v(k, 'train'),
      scalars[`${k}_quantum_weight`] ?? '—',
      scalars[`${k}_circuit_acc`] ?? '—',
      v(k, 'fgsm_asr'),
      ...cfg.pgdSteps.map((st) => v(k, `pgd${st}_asr`)),
      ...cfg.epsSweep.map((e) => v(k, `pgd_eps_${epsKey(e)}_asr`)),
    ]),
  );
}

/** The success rate of each model against the PGD steps (at ε) and against ε (the sweep). */
export function sweepPlots(cfg: Cfg): PlotSpec[] {
  return [
    byModelPlot(
      'azimi-pgd-steps',
      `PGD success rate vs steps (ε = ${cfg.eps})`,
      'steps',
      ['steps', 'PGD steps'],
      ASR,
    ),
    byModelPlot('azimi-eps', `PGD-${cfg.sweepSteps} success rate vs ε`, 'eps', ['eps', 'ε'], ASR),
  ];
}
