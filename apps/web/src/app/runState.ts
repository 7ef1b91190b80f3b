import type { ProgressEvent, RunHeader, RunResult } from '@paperlab/core/runs';

/** Points kept per live scalar; older points are thinned out beyond this. */
const MAX_POINTS = 2000;

/** What the page knows about the run in progress (or the last one). */
export interface LiveRun {
  experiment: string;
  header?: RunHeader;
  tasks: ProgressEvent[];
  scalars: Record<string, Array<[number, number]>>;
  logs: Array<{ level: 'info' | 'warn' | 'error'; message: string }>;
  result?: RunResult;
  error?: string;
  /** Start time on the page clock (ms). */
  startedAt: number;
  running: boolean;
  stopping: boolean;
}

/** A fresh live run of an experiment. */
export function newLiveRun(experiment: string): LiveRun {
  return {
    experiment,
    tasks: [],
    scalars: {},
    logs: [],
    startedAt: performance.now(),
    running: true,
    stopping: false,
  };
}

/** Folds one progress event into the task list (one entry per task id). */
export function applyProgress(run: LiveRun, event: ProgressEvent): void {
  const i = run.tasks.findIndex((t) => t.task === event.task);
  if (i >= 0) run.tasks[i] = event;
  else run.tasks.push(event);
}

/** Appends logged scalars to their series (thinning long ones to every other point). */
export function applyScalars(run: LiveRun, values: Record<string, number>, step: number): void {
  for (const [k, v] of Object.entries(values)) {
    let series = run.scalars[k];
    if (!series) {
      series = [];
      run.scalars[k] = series;
    }
    series.push([step, v]);
    if (series.length > MAX_POINTS)
      run.scalars[k] = series.filter((_, j) => j % 2 === 0 || j === series.length - 1);
  }
}
