import type { RunContext } from '@paperlab/core';
import { type CellResult, type CellRunSpec, grid, pick, runCells, seeds } from '@paperlab/core/kit';
import { seedCache } from '../util/seedCache.js';

/** A cell of a seed × model grid. */
export type ModelCell<M extends string> = { seed: number; model: M };

/** How every model is trained on every seed's data. */
export interface ModelCellsSpec<M extends string, D, R extends Record<string, number>>
  extends Pick<CellRunSpec<ModelCell<M>, R>, 'describe' | 'log'> {
  seeds: number;
  models: readonly M[];
  /** The data of one seed (made once per seed, one seed held at a time). */
  data(seed: number): D;
  /** Trains and scores one model on one seed's data. */
  run(data: D, cell: ModelCell<M>): Promise<R>;
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
 * Runs a seed × model grid (seed outermost) with checkpoints `cell-<model>-s<seed>`, progress, abort and
 * logging (kit.runCells), making each seed's data once.
 */
export async function runModelCells<M extends string, D, R extends Record<string, number>>(
  ctx: RunContext,
  spec: ModelCellsSpec<M, D, R>,
): Promise<ModelCells<M, D, R>> {
  const dataFor = seedCache(spec.data);
  const done = await runCells(ctx, {
    label: 'seed × model',
    cells: grid({ seed: seeds(spec.seeds), model: spec.models }),
    key: ({ seed, model }) => `cell-${model}-s${seed}`,
    run: (cell) => spec.run(dataFor(cell.seed), cell),
    ...(spec.describe ? { describe: spec.describe } : {}),
    ...(spec.log ? { log: spec.log } : {}),
  });
  const by = (model: M, key: keyof R) => pick(done, { model } as Partial<ModelCell<M>>).map((r) => r[key]!);
  return { done, by, dataFor };
}
