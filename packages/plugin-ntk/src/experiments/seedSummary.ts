import * as kit from '@paperlab/core/kit';

/** Mean ± standard error over seeds of one value of the cells matching `where`. */
export function meanSemAt<P extends object, R>(
  cells: ReadonlyArray<kit.CellResult<P, R>>,
  where: Partial<P>,
  value: (result: R) => number,
): kit.MeanSem {
  return kit.meanSem(kit.pick(cells, where).map(value));
}

/** The mean over seeds of each named field of the results. */
export function seedMeans<R, F extends keyof R & string>(
  results: readonly R[],
  fields: readonly F[],
): Record<F, number> {
  const means = fields.map((f) => [f, kit.meanSem(results.map((r) => r[f] as number)).mean] as const);
  return Object.fromEntries(means) as Record<F, number>;
}
