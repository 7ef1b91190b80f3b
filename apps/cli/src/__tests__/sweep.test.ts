import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suiteTempDir } from '@paperlab/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { runningPid, scalarsByJob, startCli } from './spawnCli.js';

// Sweeps and the local worker pool on the built CLI (run `pnpm run compile` first; CI does), with the
// kill-test plugin: deterministic cells of synchronous work.
const fixture = fileURLToPath(new URL('./fixtures/killPlugin.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SweepJson {
  jobs: Array<{
    cell: number;
    seed: number;
    job: string;
    run?: string;
    source?: string;
    status: string;
    error?: string;
  }>;
  cells: Array<{
    completed: number;
    failed: number;
    scalars: Record<string, { mean: number; sem: number; n: number }>;
  }>;
  claims: Array<{ cell: string; claim: string; kind: string; reproduced: number; n: number }>;
  plots: string[];
  out: string;
}

describe('sweep and --workers (built CLI, test plugin)', () => {
  const tmp = suiteTempDir('paperlab-sweep-');
  const cli = (args: string[], store: string) => startCli([...args, '--store', store], tmp.path).done;
  const GRID = 'sweep kill/cells2026 --preset smoke --backend cpu --grid cells=3,5 --grid cellMs=20'.split(
    ' ',
  );

  beforeAll(async () => {
    await writeFile(join(tmp.path, 'paperlab.config.json'), JSON.stringify({ plugins: [fixture] }));
  });

  it('writes the tidy table, per-cell summaries, claims per cell and plots; 2 workers = 1 worker, bit for bit', async () => {
    const one = join(tmp.path, 'store-1');
    const two = join(tmp.path, 'store-2');
    const r1 = await cli([...GRID, '--seeds', '0..2', '--workers', '1', '--json'], one);
    const r2 = await cli([...GRID, '--seeds', '0..2', '--workers', '2', '--json'], two);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    const s1 = JSON.parse(r1.stdout) as SweepJson;
    const s2 = JSON.parse(r2.stdout) as SweepJson;
    expect(s1.jobs).toHaveLength(6);
    expect(s1.jobs.every((j) => j.status === 'completed')).toBe(true);
    expect(s1.cells.map((c) => [c.completed, c.failed, c.scalars.total!.n])).toEqual([
      [3, 0, 3],
      [3, 0, 3],
    ]);
    expect(s1.claims.map((c) => [c.cell, c.claim, c.kind, c.n])).toEqual([
      ['cells=3, cellMs=20', 'total-positive', 'control', 3],
      ['cells=5, cellMs=20', 'total-positive', 'control', 3],
    ]);
    expect(s2.jobs.map((j) => j.job)).toEqual(s1.jobs.map((j) => j.job));
    expect(await scalarsByJob(two)).toEqual(await scalarsByJob(one));
    const runsCsv = await readFile(join(s1.out, 'runs.csv'), 'utf8');
    expect(runsCsv.split('\n')[0]).toMatch(/^cells,cellMs,seed,status,run,total,/);
    expect(runsCsv.trim().split('\n')).toHaveLength(7);
    expect(await readFile(join(s1.out, 'cells.csv'), 'utf8')).toMatch(/total_mean,total_sem,total_n/);
    expect(s1.plots.length).toBeGreaterThan(0);
    for (const p of s1.plots) expect(await readFile(join(s1.out, p), 'utf8')).toMatch(/^<svg/);
  }, 120_000);

  it('the same sweep again reuses every finished job; a bad cell is listed as failed and the rest completes', async () => {
    const store = join(tmp.path, 'store-1');
    const again = await cli([...GRID, '--seeds', '0..2', '--workers', '2', '--json'], store);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as SweepJson).jobs.map((j) => j.source)).toEqual(
      Array(6).fill('reused'),
    );
    const bad = await cli(
      ['sweep', 'kill/cells2026', '--preset', 'smoke', '--backend', 'cpu', '--grid', 'cells=3,999', '--json'],
      store,
    );
    expect(bad.code).toBe(1);
    const s = JSON.parse(bad.stdout) as SweepJson;
    expect(s.jobs.map((j) => j.status)).toEqual(['completed', 'failed']);
    expect(s.jobs[1]!.error).toMatch(/cells/);
  }, 120_000);

  it('refuses a sweep too big or malformed before anything runs (exit 2)', async () => {
    const store = join(tmp.path, 'store-bad');
    for (const args of [
      ['--grid', 'cells'],
      ['--seeds', '0..99999'],
      ['--grid', 'cells=1,2', '--grid', 'cells=3'],
      ['--workers', '0'],
    ]) {
      const r = await cli(['sweep', 'kill/cells2026', '--preset', 'smoke', ...args], store);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    }
    expect(existsSync(store) ? (await readdir(store)).filter((n) => !n.startsWith('.')) : []).toEqual([]);
  }, 60_000);

  it('reads the sweep from a YAML file (flags add to it); an unknown field in the file is a config error', async () => {
    const store = join(tmp.path, 'store-yaml');
    await writeFile(
      join(tmp.path, 'sweep.yaml'),
      'preset: smoke\nbackend: cpu\nseeds: 0..1\ngrid:\n  cells: [3, 4]\n  cellMs: [10]\n',
    );
    const r = await cli(['sweep', 'kill/cells2026', '--file', 'sweep.yaml', '--json'], store);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as SweepJson & {
      spec: { grid: unknown; seeds: number[]; backend: string };
    };
    expect(s.spec.grid).toEqual([
      { path: 'cells', values: [3, 4] },
      { path: 'cellMs', values: [10] },
    ]);
    expect([s.spec.seeds, s.spec.backend, s.jobs.length]).toEqual([[0, 1], 'cpu', 4]);
    await writeFile(join(tmp.path, 'bad.yaml'), 'grid:\n  cells: [3]\nseed: 1\n');
    const bad = await cli(['sweep', 'kill/cells2026', '--file', 'bad.yaml'], store);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/seed/);
  }, 120_000);

  it('a worker killed (SIGKILL) mid-job: the job is resumed by another worker, every job is in the store once, numbers as serial', async () => {
    const store = join(tmp.path, 'store-kill');
    const args =
      'sweep kill/cells2026 --preset smoke --backend cpu --grid cells=12 --grid cellMs=60 --seeds 0..3 --workers 2 --json'.split(
        ' ',
      );
    const { done } = startCli([...args, '--store', store], tmp.path);
    let killed: number | undefined;
    for (let i = 0; i < 600 && killed === undefined; i++) {
      await sleep(25);
      killed = await runningPid(store, 2);
      if (killed) process.kill(killed, 'SIGKILL');
    }
    expect(killed).toBeDefined();
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as SweepJson;
    expect(s.jobs.every((j) => j.status === 'completed')).toBe(true);
    expect(new Set(s.jobs.map((j) => j.run)).size).toBe(4);
    // The killed worker's job was taken over: its run was resumed (attempts 2), not started again.
    const attempts = await Promise.all(
      s.jobs.map(
        async (j) =>
          (JSON.parse(await readFile(join(store, j.run!, 'run.json'), 'utf8')) as { attempts: number })
            .attempts,
      ),
    );
    expect(attempts.sort()).toEqual([1, 1, 1, 2]);
    const serial = join(tmp.path, 'store-kill-serial');
    const r1 = await cli([...args.filter((a) => a !== '2' && a !== '--workers')], serial);
    expect(r1.code, r1.stderr).toBe(0);
    expect(await scalarsByJob(store)).toEqual(await scalarsByJob(serial));
  }, 180_000);
});
