import type { Rng, RunContext } from '@paperlab/core';
import type { LabelledArrays } from '@paperlab/core/data';
import { type FitOptimizer, type FitReport, fit, type LayerSpec, type Trainee } from '@paperlab/core/train';
import type { CompressNet } from './compressNet.js';

/**
 * The small CNN of this plugin's image papers: conv(f₁, 3×3) → max-pool 2 → conv(f₂, 3×3) → max-pool 2 → flatten →
 * dense(hidden) → dense(classes), ReLU throughout (four weighted layers).
 */
export function smallCnn(o: { filters: [number, number]; hidden: number; classes: number }): LayerSpec[] {
  return [
    { type: 'conv2d', filters: o.filters[0], kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'conv2d', filters: o.filters[1], kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: o.hidden, activation: 'relu' },
    { type: 'dense', units: o.classes },
  ];
}

/** A ReLU MLP: hidden widths, then a linear readout over `classes`. */
export function mlp(hidden: readonly number[], classes: number): LayerSpec[] {
  return [
    ...hidden.map((units) => ({ type: 'dense' as const, units, activation: 'relu' as const })),
    { type: 'dense', units: classes },
  ];
}

/** Options of {@link trainClassifier}. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Batch order (the same Rng gives the same batches to every model trained with it). */
  order: Rng;
  signal?: AbortSignal;
  /** Continue with this optimizer (its moments carry over between calls); default: a fresh Adam(lr). */
  optimizer?: FitOptimizer;
  /** Clip each step's global gradient norm to this (default: no clipping). */
  clipNorm?: number;
}

/**
 * Adam on softmax cross-entropy over labelled arrays, the loss recorded once at the end; `model` is a net (its hooks —
 * quantisers, masks — stay in force) or any other trainee (a subspace, adapters on a frozen trunk).
 */
export function trainClassifier(model: Trainee, data: LabelledArrays, o: TrainOptions): Promise<FitReport> {
  return fit({
    model,
    data,
    loss: 'softmax-ce',
    optimizer: o.optimizer ?? { type: 'adam', lr: o.lr },
    epochs: o.epochs,
    batchSize: o.batchSize,
    order: o.order,
    signal: o.signal,
    recordEvery: o.epochs,
    clipNorm: o.clipNorm,
  });
}

/** The epochs, batch size and step of one training phase. */
export type TrainPhase = Pick<TrainOptions, 'epochs' | 'batchSize' | 'lr'>;

/**
 * {@link trainClassifier} inside a run: one phase's epochs, batch size and Adam step, the batch order drawn from the
 * run's RNG under `orderLabel` (one label, one order), stopped by the run's abort signal.
 */
export function trainInRun(
  ctx: Pick<RunContext, 'rng' | 'signal'>,
  net: CompressNet,
  data: LabelledArrays,
  phase: TrainPhase,
  orderLabel: string,
): Promise<FitReport> {
  const { epochs, batchSize, lr } = phase;
  return trainClassifier(net, data, {
    epochs,
    batchSize,
    lr,
    order: ctx.rng.split(orderLabel),
    signal: ctx.signal,
  });
}
