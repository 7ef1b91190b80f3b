import type { JsonValue, RunContext } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
import { type CellResult, grid, runSeeds as kitRunSeeds, runCells, seeds } from '@paperlab/core/kit';
import { type ImageDataOptions, loadImageData } from '../data/images.js';

/**
 * Runs `run` once per seed 0..n−1 as checkpointed cells (keys `cell-s<seed>`, so a resumed run skips finished
 * seeds), with progress lines `seed <s>: <describe(result)>`; returns the cells in seed order.
 */
export function runSeeds<R extends JsonValue>(
  ctx: RunContext,
  n: number,
  run: (seed: number) => Promise<R>,
  describe: (result: R) => string,
): Promise<Array<CellResult<{ seed: number }, R>>> {
  return kitRunSeeds(ctx, n, run, { key: (seed) => `cell-s${seed}`, describe });
}

/** Loads the config's image data (see {@link loadImageData}), then runs `run(data, seed)` once per seed ({@link runSeeds}). */
export async function runImageSeeds<R extends JsonValue>(
  ctx: RunContext,
  cfg: ImageDataOptions & { seeds: number },
  run: (data: ImageSplits, seed: number) => Promise<R>,
  describe: (result: R) => string,
): Promise<Array<CellResult<{ seed: number }, R>>> {
  const data = await loadImageData(ctx.data, cfg);
  return runSeeds(ctx, cfg.seeds, (seed) => run(data, seed), describe);
}

/**
 * Runs `run` for every seed × method (seeds outer) as checkpointed cells keyed `cell-<method>-s<seed>`, with
 * progress lines `<method> seed <s>: <describe(result)>` and `logged(result)` written to the run's scalar log;
 * returns the cells in run order.
 */
export function runMethodSeeds<M extends string, R extends JsonValue>(
  ctx: RunContext,
  n: number,
  methods: readonly M[],
  run: (method: M, seed: number) => Promise<R>,
  describe: (result: R) => string,
  logged: (result: R) => Record<string, number>,
): Promise<Array<CellResult<{ seed: number; method: M }, R>>> {
  return runCells(ctx, {
    label: 'seed × method',
    cells: grid({ seed: seeds(n), method: methods }),
    key: ({ seed, method }) => `cell-${method}-s${seed}`,
    run: ({ seed, method }) => run(method, seed),
    describe: ({ seed, method }, r) => `${method} seed ${seed}: ${describe(r)}`,
    log: (_, r, i) => ({ scalars: logged(r), step: i }),
  });
}
