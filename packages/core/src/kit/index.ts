/**
 * @paperlab/core/kit — the shape most papers share, held once: cells × seeds run with checkpoint, progress,
 * abort and logging; summaries (mean ± sem, paired gaps, slopes with per-seed errors); claim builders with
 * preconditions; formatters and tables. A paper's experiment.ts keeps only its science.
 */

export { type LinearFit, linearFit, logLogFit, mean, quantile, sem, std } from '../util/stats.js';
/** Several claim conditions together: any not reproduced, all reproduced, else inconclusive. */
export { allOf } from './allOf.js';
export {
  type CellResult,
  type CellRunSpec,
  grid,
  pick,
  runCells,
  runSeeds,
  type SeedRunSpec,
  seeds,
} from './cells.js';
export {
  active,
  atLeast,
  type BarRule,
  type BeatsSpec,
  barVerdict,
  beats,
  type ClaimBase,
  type ClaimValue,
  type CustomSpec,
  claimsFor,
  custom,
  inRange,
  intervalVerdict,
  type Precondition,
  type RangeSpec,
  revise,
  type ScalarView,
  type SlopeSpec,
  slopeWithin,
  trained,
  verdictOf,
} from './claims.js';
export { fmt, interval, pct, pctPm, pm, points } from './format.js';
export { ranks, spearman } from './rankCorrelation.js';
export { gapScalars, type KeyWithSem, putMeanSem, type WithSem, withSem } from './scalars.js';
export { groupMeans, logLogSlope, type MeanSem, meanSem, pairedGap, type SlopeFit } from './summaries.js';
export { table, tableFromRows } from './tables.js';
