import type { Lab } from '@paperlab/core';
import { RunInterruptedError } from '@paperlab/core';
import { createNodeEnvironment } from '@paperlab/core/node';
import { exportRun, runJob, stringifyBundle } from '@paperlab/core/runs';
import { type Io, openStore } from '../context.js';
import type { FromWorker, ToWorker } from '../pool.js';
import { connectionOf, loadBullmq, QUEUE_NAME, type QueueJobData, type QueueJobReturn } from '../queue.js';
import { defineCommand, UsageError } from '../spec.js';

/** `paperlab worker`: a process that takes jobs and runs each at most once into the store. */
export const workerSpec = defineCommand({
  name: 'worker',
  summary: 'run jobs handed out by another paperlab process',
  description:
    'With --ipc the worker takes jobs from the paperlab process that started it (reproduce and sweep start ' +
    'such workers for --workers N); each job is run at most once into the store: a completed run of the same ' +
    'job is reused and an interrupted one resumed, under the job lock.',
  args: [],
  flags: [
    {
      name: 'queue',
      type: 'string',
      value: 'redis://host:port',
      description: 'take jobs from this Redis (BullMQ) queue, as submitted by reproduce/sweep --queue',
    },
    {
      name: 'concurrency',
      type: 'number',
      default: 1,
      description: 'jobs this worker runs at once (--queue; each run uses this process)',
    },
    {
      name: 'lock-ms',
      type: 'number',
      default: 30_000,
      description:
        'how long a job stays claimed without a heartbeat before another worker takes it over (--queue; 1000–600000)',
    },
    {
      name: 'ipc',
      type: 'boolean',
      description: 'take jobs from the parent process over its IPC channel (started by --workers)',
    },
  ],
  examples: [
    'paperlab worker --queue redis://127.0.0.1:6379',
    'paperlab worker --queue redis://10.0.0.5:6379 --store /data/paperlab-runs --concurrency 2',
  ],
  async run({ flags }, ctx) {
    if (flags.queue) {
      if (flags.ipc)
        throw new UsageError("'--queue' and '--ipc' are two ways to get jobs: give one.", {
          command: 'worker',
        });
      if (flags['lock-ms'] < 1000 || flags['lock-ms'] > 600_000)
        throw new UsageError(`--lock-ms: expected 1000 to 600000, got ${flags['lock-ms']}.`, {
          command: 'worker',
        });
      if (flags.concurrency < 1 || flags.concurrency > 64)
        throw new UsageError(`--concurrency: expected 1 to 64, got ${flags.concurrency}.`, {
          command: 'worker',
        });
      return serveQueue(await ctx.lab(), ctx.io, ctx.global.store, flags.queue, {
        concurrency: flags.concurrency,
        lockMs: flags['lock-ms'],
      });
    }
    if (!flags.ipc || !process.send)
      throw new UsageError(
        "'paperlab worker' needs --queue redis://host:port (or is started by --workers N on reproduce or sweep).",
        { command: 'worker' },
      );
    return serveIpc(await ctx.lab(), ctx.global.store);
  },
});

/**
 * Takes jobs from a BullMQ queue until Ctrl-C: each is run at most once into this worker's store (reused or
 * resumed under the job lock) and returned as a bundle; Ctrl-C interrupts the job in progress (it goes back to
 * the queue) and a second one quits at once.
 */
async function serveQueue(
  lab: Lab,
  io: Io,
  storeDir: string | undefined,
  url: string,
  o: { concurrency: number; lockMs: number },
): Promise<number> {
  const { Worker } = await loadBullmq();
  const controller = new AbortController();
  const store = openStore({ json: true, store: storeDir });
  const env = createNodeEnvironment({ lab, store, signal: controller.signal });
  const worker = new Worker<QueueJobData, QueueJobReturn>(
    QUEUE_NAME,
    async (job) => {
      const out = await runJob(env, job.data.request, { reuse: job.data.reuse });
      const h = out.header;
      io.err(
        `${h.status === 'completed' ? '✓' : '✗'} ${h.experiment} seed ${h.seed}: ${out.source} run ${h.id} (${h.status})`,
      );
      if (h.status !== 'completed')
        throw new Error(
          `run ${h.id} of ${h.experiment} ended ${h.status}${h.error ? `: ${h.error.message}` : ''}`,
        );
      return {
        job: out.job,
        source: out.source,
        run: h.id,
        status: h.status,
        bundle: stringifyBundle(await exportRun(store, h.id)),
      };
    },
    {
      connection: connectionOf(url),
      concurrency: o.concurrency,
      lockDuration: o.lockMs,
      stalledInterval: Math.max(500, Math.floor(o.lockMs / 2)),
      maxStalledCount: 3,
    },
  );
  await worker.waitUntilReady();
  io.err(`paperlab worker on ${url} (queue ${QUEUE_NAME}, store ${store.location}); Ctrl-C to stop.`);
  return new Promise<number>((resolve) => {
    let presses = 0;
    const stop = (sig: string) => {
      presses++;
      if (presses > 1) process.exit(130);
      io.err(
        `${sig}: stopping (the job in progress is interrupted and goes back to the queue; again to quit at once)…`,
      );
      controller.abort(new RunInterruptedError(`${sig} received`));
      worker.close().then(() => resolve(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

/** Takes jobs over IPC until told to stop (or the parent goes away); Ctrl-C interrupts the job in progress. */
async function serveIpc(lab: Lab, storeDir: string | undefined): Promise<number> {
  const send = (m: FromWorker) => process.send?.(m);
  const controller = new AbortController();
  const interrupt = (why: string) => controller.abort(new RunInterruptedError(why));
  process.on('SIGINT', () => interrupt('SIGINT received'));
  process.on('SIGTERM', () => interrupt('SIGTERM received'));
  const store = openStore({ json: true, store: storeDir });
  const env = createNodeEnvironment({ lab, store, signal: controller.signal });
  return new Promise<number>((resolve) => {
    let busy = Promise.resolve();
    process.on('disconnect', () => {
      interrupt('the parent process went away');
      busy.then(() => resolve(0));
    });
    process.on('message', (m: ToWorker) => {
      if (m.type === 'stop') {
        busy.then(() => {
          process.disconnect?.();
          resolve(0);
        });
        return;
      }
      busy = busy.then(async () => {
        try {
          const out = await runJob(env, m.job.request, {
            reuse: m.job.reuse,
            onStart: (source, earlier) =>
              send({ type: 'start', key: m.key, source, ...(earlier ? { run: earlier.id } : {}) }),
          });
          const h = out.header;
          send({
            type: 'done',
            key: m.key,
            job: out.job,
            source: out.source,
            run: h.id,
            status: h.status,
            ...(h.error ? { error: h.error.message } : {}),
          });
        } catch (err) {
          send({ type: 'done', key: m.key, status: 'failed', error: (err as Error).message });
        }
      });
    });
    send({ type: 'ready' });
  });
}
