import type { Rng, RunContext } from '@paperlab/core';
import { type CellResult, type CellRunSpec, grid, pick, runCells, seeds } from '@paperlab/core/kit';
import { seedCache } from '../util/seedCache.js';

/** A cell of a seed × model grid. */
export type ModelCell<M extends string> = { seed: number; model: M };

/** A comparison of models trained on the same data of each seed. */
export interface ModelCellsSpec<C, M extends string, D, R extends Record<string, number>>
  extends Pick<CellRunSpec<ModelCell<M>, R>, 'describe' | 'log'> {
  models: readonly M[];
  /** The data of one seed, from the run's root generator (made once per seed, one seed held at a time). */
  data(cfg: C, root: Rng, seed: number): D;
  /** Trains and scores one model on one seed's data. */
  train(cfg: C, data: D, model: M, seed: number, root: Rng, signal: AbortSignal): Promise<R>;
}

/** The finished cells, a column of one measurement of one model over the seeds, and the seeds' data. */
export interface ModelCells<M extends string, D, R extends Record<string, number>> {
  done: Array<CellResult<ModelCell<M>, R>>;
  /** One measurement of one model, in seed order. */
  by(model: M, key: keyof R): number[];
  /** The data of a seed (the cached one when it was the last made). */
  dataFor(seed: number): D;
}

/**
 * Runs a seed × model grid (seed outermost, `cfg.seeds` seeds) with checkpoints `cell-<model>-s<seed>`,
 * progress, abort and logging (kit.runCells), making each seed's data once.
 */
export async function runModelCells<
  C extends { seeds: number },
  M extends string,
  D,
  R extends Record<string, number>,
>(ctx: RunContext, cfg: C, spec: ModelCellsSpec<C, M, D, R>): Promise<ModelCells<M, D, R>> {
  const dataFor = seedCache((seed) => spec.data(cfg, ctx.rng, seed));
  const done = await runCells(ctx, {
    label: 'seed × model',
    cells: grid({ seed: seeds(cfg.seeds), model: spec.models }),
    key: ({ seed, model }) => `cell-${model}-s${seed}`,
    run: ({ seed, model }) => spec.train(cfg, dataFor(seed), model, seed, ctx.rng, ctx.signal),
    ...(spec.describe ? { describe: spec.describe } : {}),
    ...(spec.log ? { log: spec.log } : {}),
  });
  const by = (model: M, key: keyof R) => pick(done, { model } as Partial<ModelCell<M>>).map((r) => r[key]!);
  return { done, by, dataFor };
}
