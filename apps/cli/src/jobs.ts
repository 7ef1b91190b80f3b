import type { RunRequest } from '@paperlab/core';
import type { JobSource, RunHeader, RunOutcome } from '@paperlab/core/runs';
import { jobKeyOf, runJob } from '@paperlab/core/runs';
import type { Io } from './context.js';
import { defaultWorkers, type PoolResult, runPool } from './pool.js';
import { runQueued } from './queue.js';
import type { RunSession } from './session.js';
import type { FlagSpec } from './spec.js';
import { UsageError } from './spec.js';
import { style } from './ui/format.js';

/** `--workers N`: how many worker processes run jobs at once (commands that run many jobs). */
export const WORKERS_FLAG = {
  name: 'workers',
  type: 'number',
  value: 'n',
  description: 'run jobs in n worker processes at once (default 1: one after another in this process)',
} as const satisfies FlagSpec;

/** `--queue redis://host:port`: hand the jobs to `paperlab worker --queue` processes through Redis (BullMQ). */
export const QUEUE_FLAG = {
  name: 'queue',
  type: 'string',
  value: 'redis://host:port',
  description:
    "enqueue the jobs on this Redis for 'paperlab worker --queue' processes and collect their runs here",
} as const satisfies FlagSpec;

/** The most worker processes a command may start. */
export const MAX_WORKERS = 64;

/** Checks `--workers` (1..64); undefined means one after another in this process. */
export function workerCount(value: number | undefined, command: string): number {
  if (value === undefined) return 1;
  if (value < 1 || value > MAX_WORKERS)
    throw new UsageError(
      `--workers: expected 1 to ${MAX_WORKERS} (this machine has ${defaultWorkers()} cores), got ${value}.`,
      { command },
    );
  return value;
}

/** A job's outcome: the run, how it came about, or why there is none. */
export interface JobResult {
  request: RunRequest;
  job?: string;
  outcome?: RunOutcome;
  source?: JobSource;
  /** Why the job has no completed run (refused config, failed run, worker died). */
  error?: string;
}

/**
 * Runs requests as jobs into the session's store: one after another in this process, or in `workers` worker
 * processes. With `reuse`, a completed run of the same job is reused and an interrupted one resumed; a job is
 * never run twice into the store. A refused request or a failed run is reported for that job and the others go
 * on; an interrupt stops handing out jobs (those not started have neither outcome nor error). The results are
 * in the order of `requests`.
 */
export async function runJobs(
  io: Io,
  session: Pick<RunSession, 'store' | 'progress' | 'signal' | 'env'>,
  requests: readonly RunRequest[],
  o: {
    workers: number;
    reuse: boolean;
    quiet: boolean;
    queue?: string | undefined;
    label?: (i: number) => string;
    /**
     * A request refused before it ran (bad config, cost guard, missing dataset) ends the command with that error,
     * as a single run would: configs are checked for every request before any runs (reproduce). Without it the
     * refusal is that job's result and the others go on (sweep: a bad cell is listed as failed).
     */
    stopOnRefusal?: boolean;
  },
): Promise<JobResult[]> {
  const label = o.label ?? ((i: number) => requests[i]!.experiment);
  const say = (source: JobSource, i: number, earlier?: string) => {
    if (o.quiet) return;
    if (source === 'reused') io.err(`↺ ${label(i)}: reusing completed run ${earlier}`);
    else if (source === 'resumed') io.err(`▶ ${label(i)}: resuming interrupted run ${earlier}`);
    else io.err(`▶ ${label(i)}`);
  };
  if (o.stopOnRefusal) for (const request of requests) jobKeyOf(session.env.lab, request);
  const out: JobResult[] = requests.map((request) => ({ request }));
  if (o.workers <= 1 && !o.queue) {
    for (const [i, request] of requests.entries()) {
      if (session.signal.aborted) break;
      try {
        const r = await runJob(session.env, request, {
          reuse: o.reuse,
          onStart: (source, earlier: RunHeader | undefined) => say(source, i, earlier?.id),
        });
        session.progress.clear();
        out[i] = { request, job: r.job, outcome: r, source: r.source, ...failure(r.header) };
      } catch (err) {
        session.progress.clear();
        if (session.signal.aborted) break;
        if (o.stopOnRefusal) throw err;
        out[i] = { request, error: (err as Error).message };
        if (!o.quiet) io.err(style(`  ${label(i)}: ${(err as Error).message}`, 'red'));
      }
    }
    return out;
  }
  const jobs = requests.map((request) => ({ request, reuse: o.reuse }));
  const onDone = (i: number, r: PoolResult) => {
    if (!o.quiet && r.status !== 'completed')
      io.err(style(`  ${label(i)}: ${r.status}${r.error ? ` — ${r.error}` : ''}`, 'red'));
    else if (!o.quiet && o.queue) io.err(`${r.source === 'reused' ? '↺' : '✓'} ${label(i)}: run ${r.run}`);
  };
  const pooled = o.queue
    ? await runQueued(jobs, {
        url: o.queue,
        lab: session.env.lab,
        store: session.store,
        signal: session.signal,
        onDone,
        onProgress: (done, total, rate) => {
          if (!o.quiet) session.progress.onLog('info', `${done}/${total} jobs done (${rate.toFixed(1)}/min)`);
        },
      })
    : await runPool(jobs, {
        workers: o.workers,
        store: session.store.location,
        signal: session.signal,
        onStart: (i, source, run) => say(source, i, run),
        onDone,
      });
  for (const [i, r] of pooled.entries()) {
    const request = requests[i]!;
    if (r.status === 'not-started' && !r.error) continue;
    if (!r.run) {
      out[i] = { request, ...(r.job ? { job: r.job } : {}), error: r.error ?? r.status };
      continue;
    }
    const header = await session.store.readHeader(r.run);
    const result = await session.store.readResult(r.run).catch(() => undefined);
    const outcome: RunOutcome = result ? { header, result } : { header };
    out[i] = {
      request,
      ...(r.job ? { job: r.job } : {}),
      outcome,
      source: r.source ?? 'new',
      ...failure(header),
    };
  }
  return out;
}

function failure(h: RunHeader): { error?: string } {
  return h.status === 'completed' ? {} : { error: h.error?.message ?? h.status };
}
