import type { Lab } from '@paperlab/core';
import { PaperlabError } from '@paperlab/core';
import type { JobSource, RunStore } from '@paperlab/core/runs';
import { importRun, jobId, jobIdOfHeader, jobKeyOf, readBundle } from '@paperlab/core/runs';
import type { PoolJob, PoolResult } from './pool.js';

/** The BullMQ queue paperlab jobs go through. */
export const QUEUE_NAME = 'paperlab-jobs';

/** What a queued job carries: the run request and whether a finished run of the job may be reused. */
export type QueueJobData = PoolJob;

/** What a worker returns for a job: how it ran, and the whole run as a bundle for the submitter's store. */
export interface QueueJobReturn {
  job: string;
  source: JobSource;
  run: string;
  status: string;
  error?: string;
  /** The run exported with `stringifyBundle` (header, result, metrics, plots). */
  bundle: string;
}

/** A Redis connection's options from `redis://[user:password@]host[:port][/db]`. */
export function parseRedisUrl(url: string): {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
} {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PaperlabError('E_QUEUE_URL', `--queue: expected redis://host:port, got '${url}'.`);
  }
  if (u.protocol !== 'redis:')
    throw new PaperlabError('E_QUEUE_URL', `--queue: expected a redis:// URL, got '${url}'.`);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0 || db > 15)
    throw new PaperlabError(
      'E_QUEUE_URL',
      `--queue: the database number must be 0–15, got '${u.pathname.slice(1)}'.`,
    );
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** Loads BullMQ (an optional dependency of the CLI), or says how to get it. */
export async function loadBullmq(): Promise<typeof import('bullmq')> {
  try {
    return await import('bullmq');
  } catch {
    throw new PaperlabError(
      'E_QUEUE_DEPS',
      "--queue needs the optional dependencies 'bullmq' and 'ioredis' next to @paperlab/cli: npm install bullmq ioredis",
    );
  }
}

/** Connection options BullMQ needs (workers block on Redis, so no per-request retry limit). */
export function connectionOf(url: string): Record<string, unknown> {
  return { ...parseRedisUrl(url), maxRetriesPerRequest: null, enableOfflineQueue: true };
}

/** Options of {@link runQueued}. */
export interface QueuedOptions {
  url: string;
  lab: Lab;
  /** The submitting machine's store: every finished job's run is imported here (once per job). */
  store: RunStore;
  signal?: AbortSignal;
  /** Attempts per job before it is failed (retries back off exponentially from 2 s). */
  attempts?: number;
  onDone?: (index: number, result: PoolResult) => void;
  /** Progress: jobs finished so far, of all, and the rate. */
  onProgress?: (done: number, total: number, perMinute: number) => void;
}

/**
 * Enqueues jobs on Redis (BullMQ) for `paperlab worker --queue` processes and waits for them. A job's queue id is
 * its content-derived job id, so re-issuing a command does not queue the same work twice and a job done earlier is
 * collected, not redone; retries back off exponentially; a job whose worker died (stalled) goes back to the queue.
 * Each finished run comes back as a bundle and is imported into `store` unless the store already holds a
 * completed run of that job — at-least-once delivery, exactly once in the store.
 */
export async function runQueued(jobs: readonly PoolJob[], o: QueuedOptions): Promise<PoolResult[]> {
  const { Queue, QueueEvents } = await loadBullmq();
  const connection = connectionOf(o.url);
  const queue = new Queue<QueueJobData, QueueJobReturn>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const results: PoolResult[] = jobs.map(() => ({ status: 'not-started' }));
  // One waiter per job listens on both (a sweep can wait on thousands).
  queue.setMaxListeners(jobs.length + 16);
  events.setMaxListeners(jobs.length + 16);
  try {
    await Promise.race([
      queue.waitUntilReady(),
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(
              new PaperlabError('E_QUEUE', `No Redis answering at ${o.url} (is redis-server running?).`),
            ),
          10_000,
        ).unref(),
      ),
    ]);
    await events.waitUntilReady();
    const ids = await Promise.all(jobs.map((j) => jobId(jobKeyOf(o.lab, j.request))));
    const attempts = o.attempts ?? 3;
    // A job finished in an earlier submission but failed for good is queued anew.
    for (const id of ids) {
      const old = await queue.getJob(id);
      if (old && (await old.isFailed())) await old.remove();
    }
    await queue.addBulk(
      jobs.map((data, i) => ({
        name: data.request.experiment,
        data,
        opts: {
          jobId: ids[i]!,
          attempts,
          backoff: { type: 'exponential', delay: 2_000 },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    const done = await completedJobs(o.store);
    const started = Date.now();
    let finished = 0;
    const stop = new Promise<'stopped'>((resolve) => {
      if (o.signal?.aborted) resolve('stopped');
      o.signal?.addEventListener('abort', () => resolve('stopped'), { once: true });
    });
    await Promise.all(
      ids.map(async (id, i) => {
        const job = await queue.getJob(id);
        if (!job) throw new PaperlabError('E_QUEUE', `Job ${id} vanished from the queue.`);
        let result: PoolResult;
        try {
          const back = await Promise.race([job.waitUntilFinished(events) as Promise<QueueJobReturn>, stop]);
          if (back === 'stopped') return; // the job stays queued; the same command collects it later
          result = await collect(o.store, done, id, back);
        } catch (err) {
          result = { job: id, status: 'failed', error: (err as Error).message };
        }
        results[i] = result;
        finished++;
        o.onDone?.(i, result);
        o.onProgress?.(finished, jobs.length, (finished / Math.max(Date.now() - started, 1)) * 60_000);
      }),
    );
    return results;
  } finally {
    await events.close().catch(() => {});
    await queue.close().catch(() => {});
  }
}

/** The completed run of each job in a store (the newest where a job ran more than once), read once. */
async function completedJobs(store: RunStore): Promise<Map<string, string>> {
  const done = new Map<string, string>();
  for (const h of await store.list())
    if (h.status === 'completed') {
      const id = await jobIdOfHeader(h);
      if (!done.has(id)) done.set(id, h.id);
    }
  return done;
}

/**
 * Imports a finished job's run into the store unless it already holds a completed run of the job (`done`: the
 * store's completed runs by job, kept up to date here, so the store is listed once per submission, not per job).
 */
async function collect(
  store: RunStore,
  done: Map<string, string>,
  id: string,
  back: QueueJobReturn,
): Promise<PoolResult> {
  const have = done.get(id);
  if (have) return { job: id, source: 'reused', run: have, status: 'completed' };
  const bundle = readBundle(back.bundle);
  const existing = await store.readHeader(bundle.header.id).catch(() => undefined);
  if (!existing) await importRun(store, bundle);
  if (bundle.header.status === 'completed') done.set(id, bundle.header.id);
  return {
    job: id,
    source: back.source,
    run: bundle.header.id,
    status: bundle.header.status,
    ...(back.error ? { error: back.error } : {}),
  };
}
