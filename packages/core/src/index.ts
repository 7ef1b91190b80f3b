/**
 * @paperlab/core — what a paper author needs first: the contracts, `define*` helpers, the Lab and runner, the
 * seeded RNG, errors and `z`. Everything else lives in subpaths by audience: `/kit` (cells, summaries, claim
 * builders), `/train`, `/data`, `/linalg`, `/plots`, `/kernels`, `/runs` (apps), `/node`, `/testing`.
 * Isomorphic: nothing Node-only here.
 */

/** zod, re-exported so plugins build config schemas with the same instance (and registry) as core. */
export { z } from 'zod';
export type {
  Claim,
  ClaimKind,
  ClaimResult,
  ClaimRevision,
  ClaimRule,
  ClaimSource,
  ClaimVerdict,
  Verdict,
} from './contracts/claim.js';
export {
  type AnyExperiment,
  type CostGuard,
  type DeepPartial,
  defineExperiment,
  type Experiment,
  type ExperimentId,
  type PaperCard,
  type Presets,
  type ScalarKeys,
  scalarKeys,
} from './contracts/experiment.js';
export type {
  ClaimOutput,
  ExperimentOutput,
  PlotSpec,
  Scalars,
  SeriesRow,
  Table,
  VegaLiteSpec,
} from './contracts/output.js';
export {
  definePlugin,
  type PaperlabPlugin,
  type PluginContext,
  type PluginDefinition,
  type PluginPackageJson,
} from './contracts/plugin.js';
export type {
  ArtifactStore,
  BackendInfo,
  Checkpoint,
  Checkpointer,
  DataSources,
  DatasetFiles,
  Progress,
  ProgressTask,
  RunContext,
  RunLog,
} from './contracts/runContext.js';
export type { JsonValue, StateDict, Stateful, TensorData } from './contracts/state.js';
export { createLab, Lab, type LabOptions, type LoadedPlugin } from './registry/lab.js';
export { Rng, type RngState } from './rng/rng.js';
export { claimOutput } from './runs/claims.js';
export {
  type RunEnvironment,
  type RunRequest,
  resumeRun,
  runExperiment,
} from './runs/runner.js';
export {
  ConfigError,
  type ConfigIssue,
  DatasetNotFoundError,
  DuplicateIdError,
  MissingScalarError,
  PaperlabError,
  RunInterruptedError,
  throwIfAborted,
  UnknownIdError,
} from './util/errors.js';
export { CORE_VERSION } from './version.js';
