import type { ClaimVerdict } from '../contracts/claim.js';
import type { ExperimentId, PaperCard } from '../contracts/experiment.js';
import type { ExperimentOutput } from '../contracts/output.js';
import type { BackendInfo } from '../contracts/runContext.js';
import type { JsonValue } from '../contracts/state.js';
import type { VerdictCounts } from './claims.js';

/** Lifecycle of a run. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

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
}

/** One line of metrics.jsonl. */
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
