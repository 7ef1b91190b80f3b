import type { ClaimVerdict } from '../contracts/claim.js';
import type { ExperimentId, PaperCard } from '../contracts/experiment.js';
import type { ExperimentOutput } from '../contracts/output.js';
import type { BackendInfo } from '../contracts/runContext.js';
import type { JsonValue } from '../contracts/state.js';
import type { VerdictCounts } from './claims.js';

/**
 * Lifecycle of a run. `crashed` is never written by a run itself: stores derive it when a `running` record's
 * process is gone or its heartbeat is stale (killed, power loss), and such a run can be resumed.
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted' | 'crashed';

/** Who is running a run, while it runs: process, machine and the last sign of life. */
export interface RunLiveness {
  /** Process id of the runner (absent in browsers). */
  pid?: number;
  /** Machine the runner is on (absent in browsers). */
  hostname?: string;
  /** ISO time of the last heartbeat. */
  heartbeatAt: string;
}

/** Schema tag of run.json. */
export const RUN_SCHEMA = 'paperlab.run/1';

/** run.json: everything needed to know what ran and to run it again. */
export interface RunHeader {
  schema: typeof RUN_SCHEMA;
  id: string;
  experiment: ExperimentId;
  paper: PaperCard;
  plugin: { name: string; packageName: string; version: string };
  preset: string | null;
  overrides: { [key: string]: JsonValue };
  /** The resolved, validated config the run used. */
  config: { [key: string]: JsonValue };
  seed: number;
  backend: BackendInfo;
  versions: Record<string, string>;
  host: { platform: string; userAgent?: string; cpus?: number };
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  /** Wall time of the last attempt (ms). */
  durationMs?: number;
  /** How many times the run was started (1 + resumes). */
  attempts: number;
  error?: { name: string; message: string; stack?: string };
  /** Set while the run is running (removed when it ends); stale or dead means `crashed`. */
  live?: RunLiveness;
  /** The job this run does (hash of experiment, plugin version, resolved config, seed, requested backend). */
  job?: string;
}

/** result.json: the experiment's output plus the claim verdicts. */
export interface RunResult extends ExperimentOutput {
  claims: ClaimVerdict[];
  /** All claims, then paper claims and controls apart (the two are absent in records from before claim kinds). */
  summary: {
    reproduced: number;
    notReproduced: number;
    inconclusive: number;
    total: number;
    paper?: VerdictCounts;
    control?: VerdictCounts;
  };
  /** Things the reader must know about these numbers (e.g. scalars that are NaN or infinite). */
  warnings?: string[];
}

/**
 * One line of metrics.jsonl. Rows also carry `attempt` (1 + resumes: which attempt logged them), except rows
 * from before resume bookkeeping; a (key, step) pair appears once, however often the run was resumed.
 */
export interface MetricRow {
  step: number;
  /** Milliseconds since the attempt started. */
  t: number;
  [name: string]: number;
}

/** One JSON bundle holding a whole run (export/import between the CLI and the web app). */
export interface RunBundle {
  format: 'paperlab.bundle/1';
  header: RunHeader;
  result?: RunResult;
  metrics: MetricRow[];
  /** Files beside the record (plots, artifacts), base64-encoded; checkpoints are left out. */
  files: Record<string, string>;
}
