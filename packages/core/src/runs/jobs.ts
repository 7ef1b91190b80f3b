import { PaperlabError } from '../util/errors.js';
import { findJobRun, jobId, jobKeyOf } from './jobKey.js';
import { HEARTBEAT_MS } from './liveness.js';
import type { RunHeader, RunResult } from './record.js';
import type { RunEnvironment, RunOutcome, RunRequest } from './runner.js';
import { resumeRun, runExperiment } from './runner.js';
import type { RunLock } from './store.js';

/** How a job's outcome was obtained: a finished run reused, an interrupted one resumed, or a new run. */
export type JobSource = 'new' | 'reused' | 'resumed';

/** A finished job: its id, the run that holds it, and how that run came about. */
export interface JobOutcome extends RunOutcome {
  job: string;
  source: JobSource;
}

/** Options of {@link runJob}. */
export interface RunJobOptions {
  /** Reuse a completed run of the same job and resume an interrupted one (default true); false always runs anew. */
  reuse?: boolean;
  /** Told before the run starts how the job will be obtained (for progress lines). */
  onStart?: (source: JobSource, earlier: RunHeader | undefined) => void;
}

/** How long {@link runJob} waits for another process holding the same job before giving up (ms). */
const JOB_WAIT_MS = 24 * 3600_000;

async function lockJob(env: RunEnvironment, id: string): Promise<RunLock | undefined> {
  if (!env.store.lockJob) return undefined;
  const started = Date.now();
  for (let wait = 200; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      return await env.store.lockJob(id);
    } catch (err) {
      if (
        !(err instanceof PaperlabError) ||
        err.code !== 'E_JOB_LOCKED' ||
        Date.now() - started > JOB_WAIT_MS
      )
        throw err;
    }
    env.signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, wait));
  }
}

/**
 * Runs a job at most once into the store: takes the job's lock (where the store has job locks, another process
 * doing the same job is waited for), then reuses the store's completed run of it, resumes an interrupted one,
 * or starts a new run. At-least-once delivery (a queue handing a job out twice) therefore stays exactly-once in
 * the store.
 */
export async function runJob(
  env: RunEnvironment,
  request: RunRequest,
  options: RunJobOptions = {},
): Promise<JobOutcome> {
  const id = await jobId(jobKeyOf(env.lab, request));
  const lock = await lockJob(env, id);
  const beat = lock ? setInterval(() => void lock.refresh(), HEARTBEAT_MS) : undefined;
  try {
    const earlier = options.reuse === false ? undefined : await findJobRun(await env.store.list(), id);
    if (earlier?.status === 'completed') {
      let result: RunResult | undefined;
      try {
        result = await env.store.readResult(earlier.id);
      } catch {
        result = undefined; // an unreadable result: the job runs again
      }
      if (result) {
        options.onStart?.('reused', earlier);
        return { job: id, source: 'reused', header: earlier, result };
      }
    }
    if (earlier && earlier.status !== 'completed') {
      options.onStart?.('resumed', earlier);
      return { job: id, source: 'resumed', ...(await resumeRun(env, earlier.id)) };
    }
    options.onStart?.('new', undefined);
    return { job: id, source: 'new', ...(await runExperiment(env, request)) };
  } finally {
    clearInterval(beat);
    await lock?.release();
  }
}
