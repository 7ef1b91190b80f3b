import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsRunStore } from '@paperlab/core/node';
import { suiteTempDir } from '@paperlab/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, type Result, startCli } from './spawnCli.js';

// End-to-end fault injection on the built CLI (run `pnpm run compile` first; CI does): runs of a small test
// experiment killed at random checkpoints, resumed, compared bit for bit; liveness, locks, corrupt records.
const fixture = fileURLToPath(new URL('./fixtures/killPlugin.mjs', import.meta.url));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A seeded generator for the kill points, so a failure replays (the seed is in the test name). */
function lcg(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

describe('crashes, signals and resume (built CLI, test plugin)', () => {
  const tmp = suiteTempDir('paperlab-crash-');
  let store: string;
  const start = (args: string[]) => startCli([...args, '--store', store], tmp.path);
  const cli = (...args: string[]) => start(args).done;
  const RUN = ['kill/cells2026', '--preset', 'smoke', '--seed', '7', '--backend', 'cpu', '--set', 'cells=12'];

  async function runIds(): Promise<string[]> {
    return (await readdir(store).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
  }
  /** Waits for a run not in `before` to appear in the store. */
  async function newRun(before: string[]): Promise<string> {
    for (let i = 0; i < 600; i++) {
      const id = (await runIds()).find((n) => !before.includes(n));
      if (id && existsSync(join(store, id, 'run.json'))) return id;
      await sleep(20);
    }
    throw new Error('no new run appeared');
  }
  /** Waits until `n` cells of a run are cached (each is one finished checkpoint). */
  async function cellsDone(id: string, n: number): Promise<void> {
    for (let i = 0; i < 1500; i++) {
      const done = await readdir(join(store, id, 'checkpoints', 'done')).catch(() => [] as string[]);
      if (done.filter((f) => f.endsWith('.json')).length >= n) return;
      await sleep(10);
    }
    throw new Error(`run ${id} never reached ${n} cells`);
  }
  async function statusOf(id: string): Promise<string> {
    const r = await cli('runs', '--json');
    return (JSON.parse(r.stdout) as Array<{ id: string; status: string }>).find((h) => h.id === id)!.status;
  }
  async function cellCount(id: string): Promise<number> {
    const done = await readdir(join(store, id, 'checkpoints', 'done')).catch(() => [] as string[]);
    return done.filter((f) => f.endsWith('.json')).length;
  }
  /**
   * Sends a signal when `n` cells are done; resolves to the exit, how long until the CLI said it was
   * interrupting (the handler ran) and until it exited, and how many cells ran after the signal.
   */
  async function killAt(
    id: string,
    running: { child: ChildProcess; done: Promise<Result> },
    n: number,
    signal: NodeJS.Signals,
  ): Promise<{ result: Result; honouredMs: number; exitMs: number; cellsAfter: number }> {
    await cellsDone(id, n);
    let honouredMs = Number.POSITIVE_INFINITY;
    const t0 = performance.now();
    running.child.stderr!.on('data', (d: Buffer) => {
      if (String(d).includes('Interrupting') && honouredMs === Number.POSITIVE_INFINITY)
        honouredMs = performance.now() - t0;
    });
    const atKill = await cellCount(id);
    running.child.kill(signal);
    const result = await running.done;
    return { result, honouredMs, exitMs: performance.now() - t0, cellsAfter: (await cellCount(id)) - atKill };
  }

  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run 'pnpm run compile' first`);
    store = join(tmp.path, 'runs');
    await writeFile(join(tmp.path, 'paperlab.config.json'), JSON.stringify({ plugins: [fixture] }));
  });

  const SEED = 20261;
  it(`runs killed at random checkpoints (SIGKILL, SIGINT, SIGTERM; seed ${SEED}) resume to the same scalars bit for bit, NaN and ±Infinity included`, async () => {
    const rand = lcg(SEED);
    const reference = await cli('run', ...RUN, '--json');
    expect(reference.code, reference.stderr).toBe(0);
    const refId = (JSON.parse(reference.stdout) as { header: { id: string } }).header.id;
    const fs = new FsRunStore(store);
    const expected = (await fs.readResult(refId))!.scalars;
    expect(Number.isNaN(expected.v1)).toBe(true);
    expect(expected.v5).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(expected.v9, -0)).toBe(true);

    const signals: NodeJS.Signals[] = ['SIGKILL', 'SIGINT', 'SIGTERM'];
    const stops: Array<{ honouredMs: number; exitMs: number; cellsAfter: number }> = [];
    for (const [round, first] of signals.entries()) {
      const second = signals[(round + 1) % signals.length]!;
      const before = await runIds();
      const running = start(['run', ...RUN]);
      const id = await newRun(before);
      const k1 = rand(1, 5);
      const a = await killAt(id, running, k1, first);
      if (first === 'SIGKILL') {
        expect(a.result.signal).toBe('SIGKILL');
        // The process is gone but its record says running: readers derive crashed.
        expect(await statusOf(id)).toBe('crashed');
        expect((await cli('show', id)).stdout).toMatch(
          /crashed: the run was left running but its process is gone/,
        );
      } else {
        expect(a.result.code, a.result.stderr).toBe(130);
        expect(await statusOf(id)).toBe('interrupted');
        expect(a.result.stdout).toMatch(/Run interrupted: SIG(INT|TERM) received/);
        stops.push(a);
      }
      // Kill the resume too, later on, with another signal.
      const resuming = start(['resume', id]);
      const b = await killAt(id, resuming, k1 + rand(1, 4), second);
      if (second !== 'SIGKILL') {
        expect(b.result.code, b.result.stderr).toBe(130);
        stops.push(b);
      }
      const last = await cli('resume', id, '--json');
      expect(last.code, last.stderr).toBe(0);
      const got = (await fs.readResult(id))!.scalars;
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
      for (const k of Object.keys(expected))
        expect(
          Object.is(got[k], expected[k]),
          `${id} (${first}, ${second}): ${k} = ${got[k]}, expected ${expected[k]}`,
        ).toBe(true);
      expect((await fs.readHeader(id)).attempts).toBe(3);
      // Metrics: one row per (key, step) however often it was resumed, each with its attempt.
      const rows = await fs.readMetrics(id);
      const pairs = rows.flatMap((r) =>
        ['value', 'square'].filter((k) => k in r).map((k) => `${k}@${r.step}`),
      );
      expect(new Set(pairs).size).toBe(pairs.length);
      expect(new Set(pairs).size).toBe(24);
      expect(rows.every((r) => typeof r.attempt === 'number')).toBe(true);
    }
    // SIGINT/SIGTERM during a loop of synchronous 120 ms cells: honoured at the next cell boundary (at most the
    // cell in flight finishes, never the remaining ones); times are generous for loaded CI machines.
    for (const stop of stops) {
      expect(stop.cellsAfter, JSON.stringify(stop)).toBeLessThanOrEqual(2);
      expect(stop.honouredMs, JSON.stringify(stop)).toBeLessThan(2000);
      expect(stop.exitMs, JSON.stringify(stop)).toBeLessThan(10_000);
    }
    console.log(
      `signal stops: ${JSON.stringify(stops.map((x) => ({ honouredMs: Math.round(x.honouredMs), exitMs: Math.round(x.exitMs), cellsAfter: x.cellsAfter })))}`,
    );
  });

  it('resume refuses a live run and a second resume at once; a second signal exits at once leaving the run interrupted', async () => {
    const before = await runIds();
    const running = start(['run', ...RUN, '--set', 'cellMs=300']);
    const id = await newRun(before);
    await cellsDone(id, 1);
    const refused = await cli('resume', id);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is still running \(pid \d+ on .*\).*Stop it first/);
    const stopped = await killAt(id, running, 2, 'SIGTERM');
    expect(stopped.cellsAfter).toBeLessThanOrEqual(2);
    expect(stopped.result.code).toBe(130);

    // Two resumes at once: one runs, the other is refused (the run's lock); metrics are not doubled.
    const [r1, r2] = await Promise.all([cli('resume', id), cli('resume', id)]);
    expect([r1.code, r2.code].sort()).toEqual([0, 2]);
    expect((r1.code === 2 ? r1 : r2).stderr).toMatch(/still running|is in use by pid/);
    const rows = await new FsRunStore(store).readMetrics(id);
    expect(rows.filter((r) => 'square' in r)).toHaveLength(12);

    // Ctrl-C twice during a long synchronous cell: out at once, and the record says interrupted.
    const before2 = await runIds();
    const slow = start(['run', ...RUN, '--set', 'cellMs=1500', '--set', 'cells=4']);
    const id2 = await newRun(before2);
    await sleep(400);
    const t0 = performance.now();
    slow.child.kill('SIGINT');
    await sleep(100);
    slow.child.kill('SIGINT');
    const out = await slow.done;
    expect(out.code).toBe(130);
    // Out right after the 1.5 s synchronous cell in flight (generous for loaded CI machines).
    expect(performance.now() - t0).toBeLessThan(8000);
    const header = JSON.parse(await readFile(join(store, id2, 'run.json'), 'utf8'));
    expect(header.status).toBe('interrupted');
    expect(header.error.message).toMatch(/SIGINT twice/);
    expect(existsSync(join(store, id2, 'run.lock'))).toBe(false);
    expect((await cli('resume', id2)).code).toBe(0);
  });

  it('corrupt records are listed as corrupt, never break the store; doctor reports and quarantines; reproduce --resume never reuses them', async () => {
    const own = await mkdtemp(join(tmp.path, 'store-'));
    const s = (...args: string[]) => startCli([...args, '--store', own], tmp.path).done;
    const fast = ['--backend', 'cpu', '--set', 'cells=2', '--set', 'cellMs=0'];
    const reproduceResume = (seed: string) =>
      s('reproduce', 'kill', '--preset', 'smoke', '--seed', seed, ...fast, '--resume', '--json');
    const ids: string[] = [];
    for (const seed of ['1', '2', '3', '4']) {
      const r = await s('run', ...RUN.slice(0, 3), '--seed', seed, ...fast, '--json');
      expect(r.code, r.stderr).toBe(0);
      ids.push((JSON.parse(r.stdout) as { header: { id: string } }).header.id);
    }
    const [good, nullHeader, emptyResult, truncated] = ids as [string, string, string, string];
    await writeFile(join(own, nullHeader, 'run.json'), 'null');
    await writeFile(join(own, emptyResult, 'result.json'), '{}');
    const text = await readFile(join(own, truncated, 'run.json'), 'utf8');
    await writeFile(join(own, truncated, 'run.json'), text.slice(0, 100));

    const runs = await s('runs');
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain(good);
    for (const id of [nullHeader, emptyResult, truncated])
      expect(runs.stdout).toMatch(new RegExp(`${id}.*corrupt`));
    expect(runs.stderr).toContain(`${join(own, emptyResult, 'result.json')}: scalars`);
    const json = JSON.parse((await s('runs', '--json')).stdout) as Array<{ id: string; status: string }>;
    expect(
      json
        .filter((r) => r.status === 'corrupt')
        .map((r) => r.id)
        .sort(),
    ).toEqual([emptyResult, nullHeader, truncated].sort());
    const show = await s('show', truncated);
    expect(show.code).toBe(2);
    expect(show.stderr).toMatch(/has a corrupt record: .*run.json: not valid JSON/);
    expect((await s('show', good)).code).toBe(0);
    expect((await s('report', emptyResult)).stderr).toMatch(/result.json/);

    // reproduce --resume: the completed run with an unreadable result is not reused.
    const again = await reproduceResume('3');
    expect(again.code, again.stderr).toBe(0);
    expect(
      (JSON.parse(again.stdout) as { experiments: Array<{ source: string }> }).experiments[0]!.source,
    ).toBe('new');
    const reused = await reproduceResume('1');
    expect(
      (JSON.parse(reused.stdout) as { experiments: Array<{ source: string }> }).experiments[0]!.source,
    ).toBe('reused');

    const doctor = await s('doctor');
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/3 corrupt/);
    const fixed = await s('doctor', '--fix', '--json');
    expect(fixed.code).toBe(0);
    const moved = (JSON.parse(fixed.stdout) as { quarantined: Array<{ id: string; to: string }> })
      .quarantined;
    expect(moved.map((m) => m.id).sort()).toEqual([emptyResult, nullHeader, truncated].sort());
    for (const m of moved) expect(existsSync(join(m.to, 'run.json'))).toBe(true);
    expect((await s('doctor')).code).toBe(0);

    // An import with run id '..' is refused and writes nothing.
    const bundlePath = join(tmp.path, 'evil.paperlab.json');
    expect((await s('export', good, '--out', bundlePath)).code).toBe(0);
    const bundle = JSON.parse(await readFile(bundlePath, 'utf8'));
    bundle.header.id = '..';
    await writeFile(bundlePath, JSON.stringify(bundle));
    const beforeImport = [...(await readdir(tmp.path)), ...(await readdir(own))].sort();
    const imported = await s('import', bundlePath);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/unsafe run id "\.\."/);
    expect([...(await readdir(tmp.path)), ...(await readdir(own))].sort()).toEqual(beforeImport);
  });
});
