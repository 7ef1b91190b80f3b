import type { Rng, RunContext, SeriesRow } from '@paperlab/core';
import {
  attackOn,
  epsKey,
  fgsmOn,
  imageAccuracy,
  type LogitsFn,
  logitsOf,
  meanGradientNorm,
  pgdOn,
  transferMatrix,
} from '../../attacks/adversarial.js';
import { ryRingAnsatz } from '../../circuits/templates.js';
import { headOf, type ImageSplits } from '../../data/images.js';
import { circuitStage, cnnFront, denseTwin, linearHead } from '../../layers/blocks.js';
import { Stack, sequentialStage } from '../../layers/stack.js';
import { fitImages } from '../../models/imageTraining.js';
import { seedZeroCurve } from '../../models/plots.js';
import type { Shahzad2025Config as Cfg } from './experiment.js';

// The models of quantum/shahzad2025 (a CNN, its hybrid with a 4-qubit circuit, a classical twin) and one
// dataset-and-seed cell: the three trained from one initialisation, then attacked.

/** Every compared model, in table order. */
export const KEYS = ['classical', 'hybrid', 'twin'] as const;
/** A compared model. */
export type ModelKey = (typeof KEYS)[number];
/** The compared models' names. */
export const MODELS: Record<ModelKey, string> = {
  classical: 'classical: CNN → dense(4, tanh) → head',
  hybrid: 'hybrid: CNN → dense(4, tanh) → 4-qubit VQC → head',
  twin: 'classical twin: CNN → dense(4, tanh) → dense(4→4, tanh) → head',
};

/** What one cell measured. */
export type Cell = Record<string, number>;
/** One cell: a dataset and a seed. */
export type Pos = { ds: Cfg['datasets'][number]; seed: number };

/** One model: the shared CNN backbone and head, with the circuit or its dense twin between them (not the CNN). */
export function buildModel(key: ModelKey, cfg: Cfg, rng: Rng, name: string): Stack {
  const q = cfg.qubits;
  // Identical backbone (same init under one seed) for all three models.
  const backbone = sequentialStage(
    cnnFront(cfg.imageSize, cfg.conv, q, rng.split('backbone'), `${name}/backbone`),
  );
  const head = sequentialStage(linearHead([q], rng.split('head'), `${name}/head`));
  if (key === 'classical') return new Stack([backbone, head]);
  const middle =
    key === 'hybrid'
      ? circuitStage(ryRingAnsatz(q, cfg.layers, cfg.inputScale), rng.split('vqc'), `${name}/vqc`)
      : sequentialStage(denseTwin(q, rng.split('dense'), `${name}/dense`));
  return new Stack([backbone, middle, head]);
}

/** The FGSM budgets measured: the sweep and the headline ε, ascending. */
export const sweepOf = (cfg: Cfg) => [...new Set([...cfg.epsSweep, cfg.eps])].sort((a, b) => a - b);

/**
 * One dataset and seed: the three models trained from one initialisation and batch order; clean accuracy,
 * input-gradient norm, the FGSM sweep, PGD at a large ε, and PGD crafted on each model run on all three.
 */
export async function trainAndAttack(
  ctx: RunContext,
  cfg: Cfg,
  { ds, seed }: Pos,
  data: ImageSplits,
  curves: SeriesRow[],
) {
  const attackSet = headOf(data.test, cfg.attackSize);
  const init = ctx.rng.split(`${ds}-init-${seed}`);
  const models = KEYS.map((k) => buildModel(k, cfg, init, `shahzad-${ctx.runId}-${ds}-${k}-${seed}`));
  const pgdOf = (tag: string, eps: number) => ({ eps, steps: cfg.pgdSteps, rng: ctx.rng.split(tag) });
  try {
    const out: Cell = {};
    const fs: LogitsFn[] = [];
    for (const [i, m] of models.entries()) {
      const key = KEYS[i]!;
      const fitted = await fitImages(m, data.train, {
        epochs: cfg.epochs,
        batchSize: cfg.batchSize,
        lr: cfg.lr,
        rng: ctx.rng.split(`${ds}-order-${seed}`),
        signal: ctx.signal,
        onEpoch: seedZeroCurve(curves, seed, `${ds}: ${MODELS[key]}`),
      });
      const f = logitsOf(m);
      out[`${key}_clean`] = imageAccuracy(f, data.test);
      out[`${key}_train`] = imageAccuracy(f, data.train);
      out[`${key}_plateau`] = Number(fitted.plateaued);
      out[`${key}_gradnorm`] = meanGradientNorm(f, attackSet);
      for (const e of sweepOf(cfg)) {
        const r = attackOn(f, attackSet, fgsmOn(f, { eps: e }), ctx.signal);
        [out[`${key}_fgsm_${epsKey(e)}`], out[`${key}_fgsm_${epsKey(e)}_asr`]] = [r.robust, r.successRate];
      }
      const large = pgdOn(f, pgdOf(`${ds}-pgdL-${seed}-${key}`, cfg.largeEps));
      out[`${key}_pgd_large`] = attackOn(f, attackSet, large, ctx.signal).robust;
      fs.push(f);
    }
    // PGD crafted on each model, evaluated on all three: white-box on the diagonal, transfer elsewhere.
    const craft = (f: LogitsFn, i: number) => pgdOn(f, pgdOf(`${ds}-pgd-${seed}-${KEYS[i]}`, cfg.eps));
    const res = transferMatrix(fs, attackSet, craft, ctx.signal);
    for (const [i, src] of KEYS.entries())
      for (const [j, dst] of KEYS.entries()) {
        const r = res[i]![j]!;
        if (src !== dst) out[`transfer_${src}_to_${dst}`] = r.robust;
        else [out[`${dst}_pgd`], out[`${dst}_pgd_asr`]] = [r.robust, r.successRate];
      }
    return out;
  } finally {
    for (const m of models) m.dispose();
  }
}
