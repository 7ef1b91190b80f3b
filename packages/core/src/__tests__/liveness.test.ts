import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveConfig } from '../config/resolve.js';
import { defineExperiment } from '../contracts/experiment.js';
import { definePlugin } from '../contracts/plugin.js';
import { runCells } from '../kit/cells.js';
import { nodeBackendLoaders } from '../node/backends.js';
import { FsRunStore, nodeLivenessProbe } from '../node/fsRunStore.js';
import { createLab } from '../registry/lab.js';
import { runLiveness, withDerivedStatus } from '../runs/liveness.js';
import { MemoryRunStore } from '../runs/memoryStore.js';
import { RUN_SCHEMA, type RunHeader } from '../runs/record.js';
import { ensureBackend, type RunEnvironment, resumeRun, runExperiment } from '../runs/runner.js';
import { ConfigError, throwIfAborted } from '../util/errors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Busy-waits: a synchronous step no timer or signal handler can interrupt. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** Hooks the tests set per run. */
const hooks: { afterCell?: (i: number) => void; cellMs: number } = { cellMs: 0 };

const cellsConfig = z.strictObject({
  cells: z.number().int().min(1).max(1000).default(6),
  nonFinite: z.boolean().default(false),
  badOutput: z.boolean().default(false),
  tickOnly: z.boolean().default(false),
});

/** Cells with exact (also non-finite) results, checkpointed by the kit; hooks let tests stop it anywhere. */
const cellsExperiment = defineExperiment({
  id: 'live/cells2026',
  paper: { title: 'Cells', authors: 'A. Tester', year: 2026, url: 'https://example.org' },
  summary: 'Deterministic cells for liveness and resume tests.',
  config: cellsConfig,
  presets: { smoke: {}, paper: {} },
  cost: { estimate: (c) => c.cells, limit: 100, unit: 'cells' },
  claims: [
    {
      id: 'finite',
      statement: 'the total is finite',
      check: (out) => ({
        verdict: (out.scalars.total ?? 0) > 0 ? 'reproduced' : 'not-reproduced',
        measured: `${out.scalars.total}`,
        expected: '> 0',
      }),
    },
  ],
  async run(ctx, cfg) {
    if (cfg.badOutput) return { scalars: { total: 'many' as unknown as number } };
    if (cfg.tickOnly) {
      // A loop that never checks the signal itself: only the progress tick can stop it.
      const task = ctx.progress.task('ticks', 1000);
      for (let i = 0; i < 1000; i++) {
        await sleep(5);
        task.tick();
      }
      return { scalars: { total: 1 } };
    }
    const rng = ctx.rng.split('cells');
    const cells = await runCells(ctx, {
      label: 'cell',
      cells: Array.from({ length: cfg.cells }, (_, i) => i),
      key: (i) => `cell-${i}`,
      run: (i) => {
        busy(hooks.cellMs);
        const v = rng.split(`c${i}`).normal(0, 1);
        const special =
          cfg.nonFinite && i % 3 === 1 ? [Number.NaN, Number.POSITIVE_INFINITY, -0][((i - 1) / 3) % 3]! : v;
        return { value: special, square: v * v };
      },
      log: (_i, r) => ({ scalars: { value: r.value, square: r.square } }),
      describe: (i) => `cell ${i}`,
    });
    for (const [i] of cells.entries()) hooks.afterCell?.(i);
    const total = cells.reduce((a, c) => a + c.result.square, 0);
    const out: Record<string, number> = { total };
    for (const c of cells) out[`v${c.cell}`] = c.result.value;
    return { scalars: out };
  },
});

const plugin = definePlugin({
  name: 'live',
  packageName: 'live-plugin',
  version: '1.0.0',
  core: '^0.1.0',
  description: 'liveness tests',
  setup: (ctx) => ctx.experiment(cellsExperiment),
});

function runningHeader(id: string, live: RunHeader['live'], updatedAt = new Date().toISOString()): RunHeader {
  return {
    schema: RUN_SCHEMA,
    id,
    experiment: 'live/cells2026',
    paper: cellsExperiment.paper,
    plugin: { name: 'live', packageName: 'live-plugin', version: '1.0.0' },
    preset: 'smoke',
    overrides: {},
    config: { cells: 3, nonFinite: false, badOutput: false, tickOnly: false },
    seed: 0,
    backend: { name: 'cpu', requested: 'cpu', fallbacks: [], patches: [], platform: 'node' },
    versions: {},
    host: { platform: 'linux' },
    status: 'running',
    createdAt: updatedAt,
    updatedAt,
    attempts: 1,
    ...(live ? { live } : {}),
  };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

function sameBits(a: Record<string, number>, b: Record<string, number>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) expect(Object.is(a[k], b[k]), `${k}: ${a[k]} vs ${b[k]}`).toBe(true);
}

describe('liveness: running records know their process', () => {
  it('judges a record by pid on this machine and by heartbeat elsewhere', async () => {
    const now = Date.parse('2026-01-01T00:10:00.000Z');
    const probe = { hostname: 'here', isAlive: (pid: number) => pid === 1, now, staleMs: 60_000 };
    const fresh = '2026-01-01T00:09:30.000Z';
    const old = '2026-01-01T00:00:00.000Z';
    const h = (live: RunHeader['live'], updated = fresh) => runningHeader('r', live, updated);
    expect(runLiveness(h({ pid: 1, hostname: 'here', heartbeatAt: old }), probe).alive).toBe(true);
    expect(runLiveness(h({ pid: 2, hostname: 'here', heartbeatAt: fresh }), probe).alive).toBe(false);
    expect(runLiveness(h({ pid: 2, hostname: 'there', heartbeatAt: fresh }), probe).alive).toBe(true);
    expect(runLiveness(h({ pid: 2, hostname: 'there', heartbeatAt: old }), probe).alive).toBe(false);
    expect(runLiveness(h(undefined, old), probe).alive).toBe(false);
    expect(withDerivedStatus(h({ pid: 2, hostname: 'here', heartbeatAt: fresh }), probe).status).toBe(
      'crashed',
    );
    expect(withDerivedStatus({ ...h(undefined, old), status: 'failed' }, probe).status).toBe('failed');
    expect(runLiveness(h({ pid: 2, hostname: 'there', heartbeatAt: old }), probe).detail).toMatch(
      /pid 2 on there, last heartbeat 600 s ago/,
    );
  });
});

describe('runner: liveness, locks, resume, metrics, warnings, cost', () => {
  let dir: string;
  let env: RunEnvironment;
  let store: FsRunStore;
  const logs: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperlab-live-'));
    store = new FsRunStore(join(dir, 'runs'));
    env = {
      lab: await createLab({ plugins: [plugin] }),
      store,
      data: { open: async () => Promise.reject(new Error('no data')), describe: () => [] },
      backends: nodeBackendLoaders(),
      platform: 'node',
      process: { pid: process.pid, hostname: hostname() },
      probe: nodeLivenessProbe(),
      sink: { onLog: (level, m) => logs.push(`${level}: ${m}`) },
    };
    await ensureBackend('cpu', env);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a running record whose process is gone reads as crashed; one whose process lives reads as running', async () => {
    const dead = await deadPid();
    await store.writeHeader(
      runningHeader('gone', { pid: dead, hostname: hostname(), heartbeatAt: new Date().toISOString() }),
    );
    await store.writeHeader(
      runningHeader('alive', {
        pid: process.pid,
        hostname: hostname(),
        heartbeatAt: new Date().toISOString(),
      }),
    );
    expect((await store.readHeader('gone')).status).toBe('crashed');
    expect((await store.readHeader('alive')).status).toBe('running');
    const listed = Object.fromEntries((await store.list()).map((h) => [h.id, h.status]));
    expect(listed).toMatchObject({ gone: 'crashed', alive: 'running' });
  });

  it('resume refuses a live run and takes a crashed one; a second concurrent resume is refused', async () => {
    await expect(resumeRun(env, 'alive')).rejects.toThrow(/still running \(pid \d+ on .*\).*Stop it first/);
    const resumed = await resumeRun(env, 'gone');
    expect(resumed.header.status).toBe('completed');
    expect(resumed.header.attempts).toBe(2);
    expect(resumed.header.live).toBeUndefined();
    expect(logs.some((l) => /had crashed/.test(l))).toBe(true);

    const ac = new AbortController();
    hooks.cellMs = 20;
    const stopped = await runExperiment(
      { ...env, signal: ac.signal, sink: { onProgress: (e) => e.current === 2 && ac.abort() } },
      { experiment: 'live/cells2026', preset: 'smoke', backend: 'cpu' },
    );
    expect(stopped.header.status).toBe('interrupted');
    const both = await Promise.allSettled([
      resumeRun(env, stopped.header.id),
      resumeRun(env, stopped.header.id),
    ]);
    hooks.cellMs = 0;
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/still running|is in use by pid/);
    expect((await store.readHeader(stopped.header.id)).attempts).toBe(2);
  });

  it('the lock refuses a live holder and takes over a dead one', async () => {
    await store.writeHeader(runningHeader('locky', undefined));
    const held = await store.lock('locky');
    await expect(store.lock('locky')).rejects.toThrow(/in use by pid \d+ on .*kill \d+/);
    await held.release();
    const again = await store.lock('locky');
    await again.release();
    await writeFile(
      join(dir, 'runs', 'locky', 'run.lock'),
      JSON.stringify({ pid: await deadPid(), hostname: hostname(), token: 't', at: 'then' }),
    );
    const taken = await store.lock('locky');
    expect(JSON.parse(await readFile(join(dir, 'runs', 'locky', 'run.lock'), 'utf8')).pid).toBe(process.pid);
    await taken.release();
  });

  it('a running run records pid, host and a heartbeat; the final record drops them', async () => {
    hooks.cellMs = 30;
    const seen: RunHeader[] = [];
    const out = await runExperiment(
      { ...env, heartbeatMs: 20, sink: { onHeader: (h) => seen.push(h) } },
      { experiment: 'live/cells2026', preset: 'smoke', overrides: ['cells=8'], backend: 'cpu' },
    );
    hooks.cellMs = 0;
    expect(seen[0]!.live).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(out.header.status).toBe('completed');
    expect(out.header.live).toBeUndefined();
    const onDisk = JSON.parse(await readFile(join(dir, 'runs', out.header.id, 'run.json'), 'utf8'));
    expect(onDisk.live).toBeUndefined();
    expect(onDisk.status).toBe('completed');
  });

  it('heartbeats are written while the run runs', async () => {
    hooks.cellMs = 40;
    let id = '';
    const beats = new Set<string>();
    const poll = setInterval(async () => {
      if (!id) return;
      const h = JSON.parse(await readFile(join(dir, 'runs', id, 'run.json'), 'utf8').catch(() => '{}'));
      if (h.live?.heartbeatAt) beats.add(h.live.heartbeatAt);
    }, 15);
    await runExperiment(
      {
        ...env,
        heartbeatMs: 25,
        sink: {
          onHeader: (h) => {
            id = h.id;
          },
        },
      },
      { experiment: 'live/cells2026', preset: 'smoke', overrides: ['cells=10'], backend: 'cpu' },
    );
    clearInterval(poll);
    hooks.cellMs = 0;
    expect(beats.size).toBeGreaterThan(2);
  });

  it('an abort stops a loop of synchronous cells at the next cell (the kit yields), well within a second', async () => {
    hooks.cellMs = 100;
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 150);
    // An in-memory store does no I/O, so only the kit's own yield lets the timer (or a signal handler) run.
    const out = await runExperiment(
      { ...env, store: new MemoryRunStore(), signal: ac.signal },
      { experiment: 'live/cells2026', preset: 'smoke', overrides: ['cells=40'], backend: 'cpu' },
    );
    hooks.cellMs = 0;
    expect(out.header.status).toBe('interrupted');
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a loop that never checks the signal is stopped by its progress tick', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    const out = await runExperiment(
      { ...env, signal: ac.signal },
      { experiment: 'live/cells2026', preset: 'smoke', overrides: ['tickOnly=true'], backend: 'cpu' },
    );
    expect(out.header.status).toBe('interrupted');
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('resume is exact for non-finite cells, recomputes a corrupt cached cell, and never repeats a (key, step) row', async () => {
    const req = {
      experiment: 'live/cells2026',
      preset: 'smoke',
      overrides: ['nonFinite=true', 'cells=9'],
      backend: 'cpu',
      seed: 4,
    };
    const full = await runExperiment(env, req);
    expect(full.header.status).toBe('completed');
    expect(Number.isNaN(full.result!.scalars.v1!)).toBe(true);
    expect(full.result!.scalars.v4).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(full.result!.scalars.v7, -0)).toBe(true);
    // Completed, with the non-finite scalars named in a warning recorded with the result.
    expect(full.result!.warnings?.[0]).toMatch(/scalars are not finite \(v1 = NaN, v4 = Infinity/);
    expect((await store.readResult(full.header.id))!.warnings).toEqual(full.result!.warnings);

    const ac = new AbortController();
    const stopped = await runExperiment(
      { ...env, signal: ac.signal, sink: { onProgress: (e) => e.current === 5 && ac.abort() } },
      req,
    );
    expect(stopped.header.status).toBe('interrupted');
    const done = join(dir, 'runs', stopped.header.id, 'checkpoints', 'done');
    await writeFile(join(done, 'cell-2.json'), '');
    logs.length = 0;
    const resumed = await resumeRun(env, stopped.header.id);
    expect(resumed.header.status).toBe('completed');
    expect(
      logs.some((l) => /cell-2\.json .* unreadable \(the file is empty\); recomputing 'cell-2'/.test(l)),
    ).toBe(true);
    sameBits(resumed.result!.scalars, full.result!.scalars);

    const rows = await store.readMetrics(stopped.header.id);
    const pairs = rows.flatMap((r) =>
      Object.keys(r)
        .filter((k) => k !== 'step' && k !== 't' && k !== 'attempt')
        .map((k) => `${k}@${r.step}`),
    );
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(new Set(pairs).size).toBe(9 * 2);
    expect(new Set(rows.map((r) => r.attempt))).toEqual(new Set([1, 2]));
    expect(Number.isNaN(rows.find((r) => r.step === 1)!.value)).toBe(true);
  });

  it('an output that is not a valid result fails the run, naming what is wrong', async () => {
    const out = await runExperiment(env, {
      experiment: 'live/cells2026',
      preset: 'smoke',
      overrides: ['badOutput=true'],
      backend: 'cpu',
    });
    expect(out.header.status).toBe('failed');
    expect(out.header.error?.message).toMatch(/not a valid result: scalars\.total: expected number/);
  });

  it('the cost guard refuses a config above the limit unless forced', async () => {
    const req = { experiment: 'live/cells2026', preset: 'smoke', overrides: ['cells=150'], backend: 'cpu' };
    const err = await runExperiment(env, req).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      /\(cost\): expected an estimated cost ≤ 1\.00e\+2 cells \(pass --force.*got 1\.50e\+2 cells/,
    );
    const forced = await runExperiment(env, { ...req, force: true });
    expect(forced.header.status).toBe('completed');
  });

  it('presets are own keys only, and prototype keys are config errors', () => {
    for (const preset of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(() => resolveConfig(cellsExperiment, { preset })).toThrow(
        /--preset: expected one of smoke, paper/,
      );
    for (const set of ['__proto__.x=1', 'constructor.x=1', 'a.prototype=1', 'x={"__proto__":{"cells":2}}'])
      expect(() => resolveConfig(cellsExperiment, { preset: 'smoke', overrides: [set] })).toThrow(
        /never config keys/,
      );
    expect(() =>
      resolveConfig(cellsExperiment, { overrides: JSON.parse('{"__proto__": {"cells": 2}}') }),
    ).toThrow(/__proto__: expected a config key/);
    expect(({} as Record<string, unknown>).cells).toBeUndefined();
  });

  it('throwIfAborted names the reason', () => {
    const ac = new AbortController();
    ac.abort(new Error('SIGTERM'));
    expect(() => throwIfAborted(ac.signal)).toThrow(/Run interrupted: SIGTERM/);
  });
});
