/** @paperlab/core/runs — what apps need: config resolution, run records and stores, claims evaluation, reports. */
export {
  deepMerge,
  type JsonObject,
  parseOverrides,
  parseValue,
  type ResolvedConfig,
  resolveConfig,
} from '../config/resolve.js';
export { formatPath, formatZodIssues } from '../config/zodIssues.js';
export {
  type ComparedRun,
  type ConfigDifference,
  changeColumn,
  compareRunSet,
  compareRuns,
  MAX_COMPARED_RUNS,
  type RunComparison,
  type RunSetComparison,
  runLabel,
} from '../report/compare.js';
export {
  claimsByKind,
  claimsTable,
  formatNumber,
  htmlReport,
  markdownReport,
  markdownTable,
} from '../report/markdown.js';
export { closest } from '../util/errors.js';
export { sha256Hex } from '../util/sha256.js';
export { checkCoreRange } from '../version.js';
export { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec.js';
export { StoreCheckpointer, safeKey } from './checkpointer.js';
export { evaluateClaims, formatCounts, summarise, type VerdictCounts } from './claims.js';
export type { ProgressEvent, RunSink } from './events.js';
export {
  describeVerdictChanges,
  diffVerdicts,
  type ExpectedVerdicts,
  parseExpectedVerdicts,
  type VerdictChange,
  verdictTable,
} from './expectedVerdicts.js';
export { createHeadlessContext, type HeadlessContextOptions } from './headlessContext.js';
export {
  canonicalJson,
  findJobRun,
  type JobKey,
  jobId,
  jobIdOfHeader,
  jobKeyOf,
  jobKeyOfHeader,
} from './jobKey.js';
export { type JobOutcome, type JobSource, type RunJobOptions, runJob } from './jobs.js';
export { parseExact, restoreExact, stringifyExact } from './jsonCodec.js';
export {
  HEARTBEAT_MS,
  type Liveness,
  type LivenessProbe,
  runLiveness,
  STALE_MS,
  withDerivedStatus,
} from './liveness.js';
export { MemoryRunStore } from './memoryStore.js';
export {
  type MetricRow,
  RUN_SCHEMA,
  type RunBundle,
  type RunHeader,
  type RunLiveness,
  type RunResult,
  type RunStatus,
} from './record.js';
export { checkCost, checkDatasets, ensureBackend, type RunOutcome } from './runner.js';
export {
  CorruptRecordError,
  checkBundle,
  checkHeader,
  checkMetricRow,
  checkResult,
  isSafeRunId,
  metricRowSchema,
  runBundleSchema,
  runHeaderSchema,
  runResultSchema,
  unsafePathReason,
} from './schemas.js';
export {
  type CorruptRecord,
  exportRun,
  importRun,
  parseBundle,
  type RunLock,
  type RunStore,
  readBundle,
  resolveRunId,
  type StoreScan,
  scanStore,
  stringifyBundle,
} from './store.js';
export {
  checkSweep,
  parseGridFlag,
  parseSeeds,
  parseSweepFile,
  SWEEP_LIMITS,
  type SweepAxis,
  type SweepCell,
  type SweepCellSummary,
  type SweepClaimRow,
  type SweepJob,
  type SweepRun,
  type SweepSpec,
  summariseSweep,
  sweepCells,
  sweepClaims,
  sweepJobs,
  sweepPlots,
  sweepRows,
  toCsv,
} from './sweep.js';
