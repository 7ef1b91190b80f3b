import type { Rng, RngState } from '../rng/rng.js';
import type { JsonValue, StateDict } from './state.js';

/** The tensor backend a run actually used, recorded with the run. */
export interface BackendInfo {
  /** Active tfjs backend: `tensorflow`, `wasm`, `cpu`, `webgpu`, `webgl`. */
  name: string;
  /** What was asked for (`auto` or a backend name). */
  requested: string;
  /** Backends tried before `name`, with the reason each was skipped. */
  fallbacks: Array<{ backend: string; reason: string }>;
  /** Kernel patches paperlab installed (e.g. wasm kernels added or replaced). */
  patches: string[];
  platform: 'node' | 'browser';
  /** Threads the backend uses (wasm), when known. */
  threads?: number;
  /** Extra facts (SIMD, adapter name, tfjs version). */
  details?: Record<string, string | number | boolean>;
}

/** Log sink of a run. */
export interface RunLog {
  /** Records scalars at a step (to metrics.jsonl and live views). */
  scalars(values: Record<string, number>, step: number): void;
  info(message: string): void;
  warn(message: string): void;
}

/** One unit of tracked work. */
export interface ProgressTask {
  /** Advances by `n` (default 1), optionally with a short status. */
  tick(n?: number, status?: string): void;
  /** Marks the task finished. */
  done(): void;
}

/** Drives CLI progress bars and the web progress view. */
export interface Progress {
  /** Starts a task; `total` may be unknown. */
  task(label: string, total?: number): ProgressTask;
}

/** A saved training position: states of the stateful parts, RNG, step and anything else. */
export interface Checkpoint {
  step: number;
  states: Record<string, StateDict>;
  rng?: RngState;
  json?: JsonValue;
}

/** Saves and restores checkpoints so interrupted runs can resume. */
export interface Checkpointer {
  /** True when this run continues an interrupted one. */
  readonly resuming: boolean;
  /** Atomically stores a checkpoint under `key` (overwrites the previous one). */
  save(key: string, checkpoint: Checkpoint): Promise<void>;
  /** Loads the checkpoint under `key`, if any. */
  load(key: string): Promise<Checkpoint | undefined>;
  /** Memoises a finished unit of work (e.g. one sweep cell): computed once, replayed on resume. */
  cached<T extends JsonValue>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** Files stored next to the run record. */
export interface ArtifactStore {
  write(name: string, data: string | Uint8Array): Promise<void>;
  read(name: string): Promise<Uint8Array | undefined>;
  list(): Promise<string[]>;
}

/** Files of a located dataset. */
export interface DatasetFiles {
  /** Dataset name, e.g. `fashion-mnist`. */
  name: string;
  /** Where the files were found (directory, package, URL). */
  origin: string;
  /** Reads one file by its canonical name (e.g. `train-images-idx3-ubyte`), decompressed. */
  read(file: string): Promise<Uint8Array>;
}

/** Where real datasets are found (PAPERLAB_DATA, cache dir, system paths, packages, a web server). */
export interface DataSources {
  /** Finds a dataset or throws `DatasetNotFoundError` saying how to get it. */
  open(name: string): Promise<DatasetFiles>;
  /** Every place searched, for error messages and `paperlab data`. */
  describe(): string[];
}

/** Everything an experiment may use while it runs. */
export interface RunContext {
  runId: string;
  /** Seeded; the only source of randomness. */
  rng: Rng;
  backend: BackendInfo;
  log: RunLog;
  progress: Progress;
  /** Aborted by Ctrl-C or the Stop button; check it between steps. */
  signal: AbortSignal;
  checkpoint: Checkpointer;
  artifacts: ArtifactStore;
  data: DataSources;
}
