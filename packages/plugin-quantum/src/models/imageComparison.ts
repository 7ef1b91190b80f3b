import type { Rng, RunContext, SeriesRow } from '@paperlab/core';
import { grid, pct, runCells, seeds } from '@paperlab/core/kit';
import type { Model } from '@paperlab/core/train';
import type { LabelledImages } from '../attacks/adversarial.js';
import { fitAndScore, type ImageScore } from './imageTraining.js';
import { accuracySummary, byModel, type SeedResults } from './seeds.js';

/** What a seeded comparison of image classifiers trains and reports. */
export interface ImageComparisonOptions<K extends string> {
  /** Model key → label (table rows and loss curves), in table order. */
  labels: Record<K, string>;
  /** Builds one model; `init` is the same generator for every model of a seed, so shared parts start identical. */
  build(key: K, init: Rng, name: string): Model & { paramCount(): number };
  /** Prefix of the models' names. */
  tag: string;
  dataset: string;
  imageSize: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seeds: number;
  /** Also log each model's epoch loss as the scalar `loss_<key>`. */
  logLoss?: boolean;
}

/** A finished comparison: per-seed scores, seed-0 loss curves, accuracy scalars and the accuracy table. */
export interface ImageComparison {
  results: SeedResults<ImageScore>;
  curves: SeriesRow[];
  /** `train_size`, `test_size`, `image_size`, `seeds`, then {@link accuracySummary}'s figures per model. */
  scalars: Record<string, number>;
  /** Model, weights, test accuracy, s.e., train accuracy. */
  rows: Array<Array<string | number>>;
  /** Title of the accuracy table (data, image size, training set, epochs, seeds). */
  title: string;
}

/**
 * Trains every model for every seed on identical batches (init from `init-<seed>`, batch order from
 * `order-<seed>`; each cell cached for resume), and scores it on both splits.
 */
export async function compareImageModels<K extends string>(
  ctx: RunContext,
  data: { train: LabelledImages; test: LabelledImages },
  o: ImageComparisonOptions<K>,
): Promise<ImageComparison> {
  const curves: SeriesRow[] = [];
  const keys = Object.keys(o.labels) as K[];
  const done = await runCells(ctx, {
    label: 'models × seeds',
    cells: grid({ model: keys, seed: seeds(o.seeds) }),
    key: ({ model, seed }) => `${model}-s${seed}`,
    run: ({ model, seed }) =>
      fitAndScore(
        o.build(model, ctx.rng.split(`init-${seed}`), `${o.tag}-${ctx.runId}-${model}-${seed}`),
        data,
        {
          epochs: o.epochs,
          batchSize: o.batchSize,
          lr: o.lr,
          rng: ctx.rng.split(`order-${seed}`),
          signal: ctx.signal,
          onEpoch: (row) => {
            if (seed === 0) curves.push({ ...row, model: o.labels[model] });
            if (o.logLoss) ctx.log.scalars({ [`loss_${model}`]: row.loss as number }, row.epoch as number);
          },
        },
      ),
    describe: ({ model, seed }, r) => `${model} seed ${seed}: ${pct(r.testAcc)}`,
  });
  const results = byModel(done, keys);
  const scalars: Record<string, number> = {
    train_size: data.train.y.length,
    test_size: data.test.y.length,
    image_size: o.imageSize,
    seeds: o.seeds,
  };
  const rows = accuracySummary(results, o.labels, scalars);
  const title = `Test accuracy on ${data.test.y.length} ${o.dataset} images (${o.imageSize}×${o.imageSize}, ${data.train.y.length} training images, ${o.epochs} epochs, ${o.seeds} seeds)`;
  return { results, curves, scalars, rows, title };
}
