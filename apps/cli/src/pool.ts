import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RunRequest } from '@paperlab/core';
import type { JobSource, RunStatus } from '@paperlab/core/runs';

/** One unit of work for the pool: a run request, and whether a finished run of the same job may be reused. */
export interface PoolJob {
  request: RunRequest;
  reuse: boolean;
}

/** What became of a pool job (in the order the jobs were given). */
export interface PoolResult {
  /** The job's content-derived id (absent when the request was refused before it became a job). */
  job?: string;
  source?: JobSource;
  /** The run that holds the job's result. */
  run?: string;
  status: RunStatus | 'not-started';
  /** Why the job failed or was refused. */
  error?: string;
}

/** Messages from the parent to a worker process. */
export type ToWorker = { type: 'job'; key: number; job: PoolJob } | { type: 'stop' };

/** Messages from a worker process to the parent. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'start'; key: number; source: JobSource; run?: string }
  | ({ type: 'done'; key: number } & PoolResult);

/** Options of {@link runPool}. */
export interface PoolOptions {
  /** Worker processes (capped at the number of jobs). */
  workers: number;
  /** Run store directory every worker writes into. */
  store: string;
  /** Stops handing out jobs; running ones are interrupted by the workers' own signal handling. */
  signal?: AbortSignal;
  /**
   * How often a job whose worker died is handed out again (default 1): the next worker resumes the dead one's
   * run under the job lock, so the job still ends up once in the store.
   */
  retries?: number;
  /** Called when a worker starts a job. */
  onStart?: (index: number, source: JobSource, run: string | undefined) => void;
  /** Called when a job ends. */
  onDone?: (index: number, result: PoolResult) => void;
}

/** The default number of workers: the machine's cores. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** The built CLI's entry point (a worker is the CLI running `paperlab worker --ipc`). */
function cliBin(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? fileURLToPath(new URL('../dist/bin.js', import.meta.url))
    : fileURLToPath(new URL('./bin.js', import.meta.url));
}

/**
 * Runs jobs in parallel worker processes (each with its own backend) that write into one store. Each job goes to
 * the next idle worker. A worker that dies is replaced and its job handed out again (the next worker resumes the
 * crashed run under the job lock); after `retries` such deaths the job is failed and the others go on. Results
 * come back in the order of `jobs`. Same jobs, same seeds, same backend: the same numbers as one after another.
 */
export async function runPool(jobs: readonly PoolJob[], options: PoolOptions): Promise<PoolResult[]> {
  const results: PoolResult[] = jobs.map(() => ({ status: 'not-started' }));
  if (jobs.length === 0) return results;
  const count = Math.max(1, Math.min(options.workers, jobs.length));
  // Jobs handed back after their worker died (retried once each, then failed).
  const again: number[] = [];
  const tries = jobs.map(() => 0);
  let next = 0;
  const remaining = () => again.length > 0 || next < jobs.length;
  // Workers that die are replaced while jobs remain, up to a limit (a worker that cannot start at all must not loop).
  let replacements = 2 * count;
  const bin = cliBin();

  const worker = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const child: ChildProcess = fork(bin, ['worker', '--ipc', '--store', options.store], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      let held: number | undefined;
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
      });
      const give = () => {
        if (options.signal?.aborted || !remaining()) {
          held = undefined;
          child.send({ type: 'stop' } satisfies ToWorker);
          return;
        }
        held = again.length ? again.shift()! : next++;
        tries[held]!++;
        child.send({ type: 'job', key: held, job: jobs[held]! } satisfies ToWorker);
      };
      child.on('message', (m: FromWorker) => {
        if (m.type === 'ready') give();
        else if (m.type === 'start') options.onStart?.(m.key, m.source, m.run);
        else if (m.type === 'done') {
          const { type: _t, key, ...result } = m;
          results[key] = result;
          options.onDone?.(key, result);
          give();
        }
      });
      child.on('exit', (code, sig) => {
        if (held !== undefined && results[held]!.status === 'not-started') {
          if (tries[held]! <= (options.retries ?? 1) && !options.signal?.aborted) again.push(held);
          else {
            const last = stderr.trim().split('\n').slice(-3).join(' ');
            results[held] = {
              status: 'failed',
              error: `worker process ended (${sig ?? `exit ${code}`}) during the job${last ? `: ${last}` : ''}`,
            };
            options.onDone?.(held, results[held]!);
          }
        }
        const abnormal = code !== 0 || sig !== null;
        if (abnormal && remaining() && !options.signal?.aborted && replacements-- > 0) worker().then(resolve);
        else resolve();
      });
    });

  await Promise.all(Array.from({ length: count }, worker));
  return results;
}
