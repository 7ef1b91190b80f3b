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
  claimsByKind,
  claimsTable,
  formatNumber,
  htmlReport,
  markdownReport,
  markdownTable,
} from '../report/markdown.js';
export { closest } from '../util/errors.js';
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
export { MemoryRunStore } from './memoryStore.js';
export {
  type MetricRow,
  RUN_SCHEMA,
  type RunBundle,
  type RunHeader,
  type RunResult,
  type RunStatus,
} from './record.js';
export { ensureBackend, type RunOutcome } from './runner.js';
export { exportRun, importRun, parseBundle, type RunStore, resolveRunId } from './store.js';
