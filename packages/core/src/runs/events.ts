import type { RunHeader } from './record.js';

/** A progress update of one task of a run. */
export interface ProgressEvent {
  task: number;
  label: string;
  current: number;
  total?: number;
  status?: string;
  done: boolean;
}

/** Receives a run's live events (CLI bars, web views, tests). All optional. */
export interface RunSink {
  /** A task advanced. */
  onProgress?(event: ProgressEvent): void;
  /** Scalars were logged at a step. */
  onScalars?(values: Record<string, number>, step: number): void;
  /** A log line. */
  onLog?(level: 'info' | 'warn', message: string): void;
  /** The run header changed (created, status). */
  onHeader?(header: RunHeader): void;
}
