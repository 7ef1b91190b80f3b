import type { JsonValue, RunContext } from '@paperlab/core';
import { type CellResult, runCells, seeds } from '@paperlab/core/kit';

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
  return runCells(ctx, {
    label: 'seed',
    cells: seeds(n).map((seed) => ({ seed })),
    key: ({ seed }) => `cell-s${seed}`,
    run: ({ seed }) => run(seed),
    describe: ({ seed }, r) => `seed ${seed}: ${describe(r)}`,
  });
}
