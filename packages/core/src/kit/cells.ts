import type { RunContext } from '../contracts/runContext.js';
import type { JsonValue } from '../contracts/state.js';
import { throwIfAborted } from '../util/errors.js';
import { yieldToEventLoop } from '../util/yield.js';

/** The cartesian product of named axes, first axis outermost: `grid({ width: [8, 16], seed: [0, 1] })`. */
export function grid<A extends Record<string, readonly unknown[]>>(
  axes: A,
): Array<{ [P in keyof A]: A[P][number] }> {
  let cells: Array<Record<string, unknown>> = [{}];
  for (const [name, values] of Object.entries(axes))
    cells = cells.flatMap((cell) => values.map((v) => ({ ...cell, [name]: v })));
  return cells as Array<{ [P in keyof A]: A[P][number] }>;
}

/** `[0, 1, …, n − 1]`: the seeds of a sweep. */
export function seeds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** One finished cell: its coordinates and what it measured. */
export interface CellResult<P, R> {
  cell: P;
  result: R;
}

/** How a grid of cells is run: each cell computed once, checkpointed, ticked, logged. */
export interface CellRunSpec<P, R extends JsonValue> {
  /** Progress label, e.g. `width × seed`. */
  label: string;
  cells: readonly P[];
  /** Stable checkpoint key of a cell (a resumed run replays the cells finished before). */
  key(cell: P): string;
  /** Computes one cell; its result must be JSON (it is cached in the run's checkpoints). */
  run(cell: P, index: number): Promise<R> | R;
  /** Short progress status after a cell, e.g. `width 64 seed 1`. */
  describe?(cell: P, result: R): string;
  /** Scalars to log after a cell, and at which step (default: the cell's index). */
  log?(cell: P, result: R, index: number): { scalars: Record<string, number>; step?: number } | undefined;
}

/**
 * Runs every cell in order with checkpointing (resume skips finished cells), progress, abort checks between
 * cells and logging; returns the cells with their results, in order.
 */
export async function runCells<P, R extends JsonValue>(
  ctx: RunContext,
  spec: CellRunSpec<P, R>,
): Promise<Array<CellResult<P, R>>> {
  const out: Array<CellResult<P, R>> = [];
  const task = ctx.progress.task(spec.label, spec.cells.length);
  for (const [index, cell] of spec.cells.entries()) {
    await yieldToEventLoop(0);
    throwIfAborted(ctx.signal);
    const result = await ctx.checkpoint.cached(spec.key(cell), async () => spec.run(cell, index));
    out.push({ cell, result });
    const logged = spec.log?.(cell, result, index);
    if (logged) ctx.log.scalars(logged.scalars, logged.step ?? index);
    task.tick(1, spec.describe?.(cell, result));
  }
  task.done();
  return out;
}

/** The results of the cells matching `where` (every given coordinate equal), in run order. */
export function pick<P extends object, R>(cells: ReadonlyArray<CellResult<P, R>>, where: Partial<P>): R[] {
  const entries = Object.entries(where) as Array<[keyof P, unknown]>;
  return cells.filter((c) => entries.every(([k, v]) => c.cell[k] === v)).map((c) => c.result);
}

/** Options of {@link runSeeds}. */
export interface SeedRunSpec<R> {
  /** Checkpoint key of a seed (default `seed-<s>`). */
  key?(seed: number): string;
  /** Progress words after a seed, shown as `seed <s>: <words>`. */
  describe?(result: R): string;
  /** Scalars to log after a seed (at step = the seed). */
  log?(result: R): Record<string, number>;
}

/** One cell per seed 0…n − 1 ({@link runCells} with checkpoint, progress, abort and logging); in seed order. */
export function runSeeds<R extends JsonValue>(
  ctx: RunContext,
  n: number,
  run: (seed: number) => Promise<R> | R,
  spec: SeedRunSpec<R> = {},
): Promise<Array<CellResult<{ seed: number }, R>>> {
  const { describe, log } = spec;
  return runCells(ctx, {
    label: 'seed',
    cells: seeds(n).map((seed) => ({ seed })),
    key: ({ seed }) => spec.key?.(seed) ?? `seed-${seed}`,
    run: ({ seed }) => run(seed),
    ...(describe ? { describe: ({ seed }: { seed: number }, r: R) => `seed ${seed}: ${describe(r)}` } : {}),
    ...(log ? { log: ({ seed }: { seed: number }, r: R) => ({ scalars: log(r), step: seed }) } : {}),
  });
}
