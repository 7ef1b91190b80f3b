import type { RunContext } from '@paperlab/core';
import { mean } from '@paperlab/core/kit';
import { fit, predictInBatches } from '@paperlab/core/train';
import { relativeErrors, relativeL2Loss } from '../../operators/errors.js';
import { Fno, type FnoSpec, fnoShapes } from '../../operators/fno.js';
import { Mgno, type MgnoSpec, mgnoShapes } from '../../operators/multigrid.js';
import { countParams, matchWidth } from '../../operators/params.js';
import { UNet, type UNetSpec, unetShapes } from '../../operators/unet.js';
import type { He2023Config } from './experiment.js';
import type { Prepared } from './prepared.js';

/** The three operators compared, MgNO first. */
export const MODELS = ['mgno', 'fno', 'unet'] as const;
/** One of the compared operators. */
export type ModelName = (typeof MODELS)[number];
/** The baselines MgNO is compared against. */
export const BASELINES = ['fno', 'unet'] as const;
/** One of the baselines. */
export type Baseline = (typeof BASELINES)[number];
/** Display names of the models. */
export const LABEL: Record<ModelName, string> = { mgno: 'MgNO', fno: 'FNO', unet: 'U-Net' };

/** Widths of the two baselines matched to MgNO's parameter count. */
export function architectures(cfg: He2023Config): { mgno: MgnoSpec; fno: FnoSpec; unet: UNetSpec } {
  const s = cfg.grid;
  const mgno: MgnoSpec = { grid: s, ...cfg.mgno };
  const target = countParams(mgnoShapes(mgno));
  const fnoOf = (width: number): FnoSpec => ({ grid: s, width, ...cfg.fno });
  const fw = matchWidth((w) => countParams(fnoShapes(fnoOf(w))), target, 1, 256);
  const uw = matchWidth((w) => countParams(unetShapes({ width: w, depth: cfg.unet.depth })), target, 1, 256);
  return { mgno, fno: fnoOf(fw.width), unet: { width: uw.width, depth: cfg.unet.depth } };
}

/** One model's scores after training: mean relative errors, parameter count and final training loss. */
export interface ModelResult {
  [key: string]: number;
  test_l2: number;
  test_h1: number;
  train_l2: number;
  params: number;
  trainLoss: number;
}

/** Predicted fields [n, s, s] of a model on normalised inputs, 32 at a time. */
function predict(model: Mgno | Fno | UNet, x: Float32Array, n: number, s: number): Float32Array {
  return predictInBatches(model, x, [s, s, 1], { rows: n, batchSize: 32 });
}

/** Trains one model of one seed on the relative-L2 loss (the batch order shared by a seed's models) and scores it. */
export async function trainModel(
  ctx: RunContext,
  cfg: He2023Config,
  data: Prepared,
  name: ModelName,
  seed: number,
): Promise<ModelResult> {
  const arch = architectures(cfg);
  const rng = ctx.rng.split(`seed${seed}`);
  const init = rng.split(`init-${name}`);
  const model =
    name === 'mgno'
      ? new Mgno(arch.mgno, init)
      : name === 'fno'
        ? new Fno(arch.fno, init)
        : new UNet(arch.unet, init);
  const s = data.s;
  try {
    const r = await fit({
      model,
      data: { x: data.train.a, y: data.train.u, n: data.train.n, shape: [s, s, 1], targetShape: [s, s, 1] },
      loss: relativeL2Loss,
      optimizer: { type: 'adam', lr: cfg.lr },
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      // The same batch order for the three models of a seed.
      order: rng.split('order'),
      recordEvery: Math.max(1, Math.floor(cfg.epochs / 5)),
      signal: ctx.signal,
      label: `he2023 ${name} seed ${seed}`,
    });
    const tr = relativeErrors(predict(model, data.train.a, data.train.n, s), data.train.u, data.train.n, s);
    const te = relativeErrors(predict(model, data.test.a, data.test.n, s), data.test.u, data.test.n, s);
    return {
      test_l2: mean(te.l2),
      test_h1: mean(te.h1),
      train_l2: mean(tr.l2),
      params: model.paramCount(),
      trainLoss: r.loss,
    };
  } finally {
    model.dispose();
  }
}
