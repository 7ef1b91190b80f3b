/**
 * @paperlab/core — the kernel: experiment contracts, registry (Lab), config, seeded RNG, backends,
 * kernels, runs, data, plots, linear algebra and training utilities. Isomorphic: nothing Node-only here
 * (see `@paperlab/core/node`).
 */

/** zod, re-exported so plugins build config schemas with the same instance (and registry) as core. */
export { z } from 'zod';
export { type BrowserLoaderOptions, browserBackendLoaders } from './backends/browserLoaders.js';
export {
  BackendError,
  type BackendLoader,
  type BackendLoadResult,
  type Platform,
  selectBackend,
} from './backends/select.js';
export { installWasmKernels, WASM_STILL_MISSING, type WasmPatches } from './backends/wasm/install.js';
export {
  deepMerge,
  type JsonObject,
  parseOverrides,
  parseValue,
  type ResolvedConfig,
  resolveConfig,
} from './config/resolve.js';
export { formatPath, formatZodIssues } from './config/zodIssues.js';
export type { Claim, ClaimResult, ClaimVerdict, Verdict } from './contracts/claim.js';
export type {
  ComponentKind,
  ComponentKinds,
  ComponentRef,
  ComponentResolver,
  ComponentSpec,
} from './contracts/component.js';
export type { Batch, BatchOptions, Dataset, DatasetMeta, Split } from './contracts/dataset.js';
export {
  type AnyExperiment,
  type DeepPartial,
  defineExperiment,
  type Experiment,
  type ExperimentId,
  type PaperCard,
  type Presets,
} from './contracts/experiment.js';
export type { Metric } from './contracts/metric.js';
export type { Inputs, Model } from './contracts/model.js';
export type { ExperimentOutput, PlotSpec, SeriesRow, Table, VegaLiteSpec } from './contracts/output.js';
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
export type { FitOptions, FitResult, Trainer } from './contracts/trainer.js';
export { ArrayDataset, type ArrayDatasetOptions, type ArraySplit } from './data/arrayDataset.js';
export { KNOWN_DATASETS, type KnownDataset, type KnownFile, knownDataset } from './data/catalog.js';
export { encodeIdx, gunzip, type IdxArray, isGzip, parseIdx } from './data/idx.js';
export { type ImageDatasetOptions, loadIdxImageDataset } from './data/imageClassification.js';
export {
  type AnyKernelSpec,
  availableImpls,
  chooseImpl,
  defineKernel,
  fromHost,
  type HostInputs,
  type HostOutput,
  type HostTensor,
  type KernelImpl,
  type KernelSpec,
  type RunKernelOptions,
  runKernel,
  toHost,
  toTfjsProgram,
  type WebGPUKernelContext,
  type WgslProgram,
} from './kernels/kernelSpec.js';
export {
  type CholeskyResult,
  cholesky,
  solveLower,
  solveLU,
  solveSPD,
  solveUpperT,
} from './linalg/cholesky.js';
export { type EighResult, eigh, symmetricFunction } from './linalg/eigh.js';
export { symmetricEigenvalues } from './linalg/eigvalsh.js';
export { type CgResult, conjugateGradient, lanczos } from './linalg/iterative.js';
export {
  addDiagonal,
  at,
  block,
  eye,
  frobenius,
  frobeniusDiff,
  type Mat,
  matFrom,
  matFromRows,
  matmul,
  matvec,
  symmetrize,
  transpose,
  zeros,
} from './linalg/matrix.js';
export { type InitScheme, initTensor } from './models/init.js';
export { type Activation, activate, type LayerSpec, ownedVariable, Sequential } from './models/sequential.js';
export {
  assignVariables,
  optimizerState,
  restoreOptimizer,
  tensorData,
  variablesState,
} from './models/state.js';
export { renderPlotSvg, renderPlots } from './plots/render.js';
export { heatmapPlot, type LinePlotOptions, linePlot, scatterPlot, withData } from './plots/specs.js';
export { createLab, Lab, type LabOptions, type LoadedPlugin } from './registry/lab.js';
export { claimsTable, formatNumber, htmlReport, markdownReport, markdownTable } from './report/markdown.js';
export { Rng, type RngState } from './rng/rng.js';
export { decodeCheckpoint, encodeCheckpoint } from './runs/checkpointCodec.js';
export { StoreCheckpointer, safeKey } from './runs/checkpointer.js';
export type { ProgressEvent, RunSink } from './runs/events.js';
export { createHeadlessContext, type HeadlessContextOptions } from './runs/headlessContext.js';
export { MemoryRunStore } from './runs/memoryStore.js';
export {
  type MetricRow,
  RUN_SCHEMA,
  type RunBundle,
  type RunHeader,
  type RunResult,
  type RunStatus,
} from './runs/record.js';
export {
  ensureBackend,
  evaluateClaims,
  type RunEnvironment,
  type RunOutcome,
  type RunRequest,
  resumeRun,
  runExperiment,
  summarise,
} from './runs/runner.js';
export { exportRun, importRun, parseBundle, type RunStore, resolveRunId } from './runs/store.js';
export { hingeLoss, meanSquaredError, sigmoidCrossEntropy, softmaxCrossEntropy } from './train/losses.js';
export { accuracyMetric, lossMetric, mseMetric } from './train/metrics.js';
export { createOptimizer, type OptimizerConfig, optimizerSchema } from './train/optimizers.js';
export { evaluate, SupervisedTrainer } from './train/supervisedTrainer.js';
export {
  ConfigError,
  type ConfigIssue,
  closest,
  DatasetNotFoundError,
  DuplicateIdError,
  PaperlabError,
  RunInterruptedError,
  throwIfAborted,
  UnknownIdError,
} from './util/errors.js';
export { type LinearFit, linearFit, logLogFit, mean, pm, quantile, sem, std } from './util/stats.js';
export { CORE_VERSION, checkCoreRange } from './version.js';
