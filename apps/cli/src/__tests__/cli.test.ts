import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, startCli as start } from './spawnCli.js';

// End-to-end tests of the built CLI (run `pnpm run compile` first; CI does).
describe('paperlab CLI (built binary)', () => {
  let dir: string;
  let store: string;
  const cli = (...args: string[]) => start([...args, '--store', store], dir).done;

  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run 'pnpm run compile' first`);
    dir = await mkdtemp(join(tmpdir(), 'paperlab-cli-'));
    store = join(dir, 'runs');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists installed plugins and experiments (text and --json)', async () => {
    const text = await cli('list');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('@paperlab/plugin-ntk');
    expect(text.stdout).toContain('ntk/jacot2018');
    const json = JSON.parse((await cli('list', '--json')).stdout);
    expect(json.experiments.map((e: { id: string }) => e.id)).toContain('ntk/jacot2018');
  });

  it('info shows the paper card, claims and every config flag', async () => {
    const r = await cli('info', 'ntk/jacot2018');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Neural Tangent Kernel');
    expect(r.stdout).toMatch(/mc\.samples\s+integer/);
    // Claims grouped by kind: jacot2018 has three paper claims (each with its place) and two controls.
    expect(r.stdout).toContain('Paper claims (3):');
    expect(r.stdout).toContain('paper (Theorem 1, §4):');
    expect(r.stdout.indexOf('Controls (2;')).toBeGreaterThan(r.stdout.indexOf('Paper claims (3):'));
  });

  it('bad input: unknown key, unknown experiment, bad seed, unknown command → exit 2 with a clear message', async () => {
    const a = await cli('run', 'ntk/jacot2018', '--preset', 'smoke', '--set', 'foo=1');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/foo: expected a known key \(one of: widths, depth/);
    const b = await cli('run', 'ntk/jacot2019');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("Did you mean 'ntk/jacot2018'");
    expect((await cli('run', 'ntk/jacot2018', '--seed', '-3')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('run', 'ntk/jacot2018', '--presetz', 'x')).code).toBe(2);
    // Each command accepts only its own flags: --seed means nothing to list.
    const c = await cli('list', '--seed', '3');
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("Unknown option '--seed' for 'paperlab list'");
    expect(c.stderr).toContain("'paperlab list' accepts: --json, --store <dir>, -h/--help.");
  });

  it('--version and per-command --help from the built binary', async () => {
    const v = await cli('--version');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^@paperlab\/cli \d+\.\d+\.\d+\n@paperlab\/core \d+\.\d+\.\d+\n/);
    const h = await cli('reproduce', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: paperlab reproduce <plugin> [options]');
    expect(h.stdout).toContain('--resume');
  });

  it('runs the smoke preset, records it, shows, reports (Markdown + SVG), exports and imports', async () => {
    const run = await cli('run', 'ntk/jacot2018', '--preset', 'smoke', '--seed', '1', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.header.status).toBe('completed');
    expect(out.header.backend.name).toBe('wasm');
    expect(out.result.claims).toHaveLength(5);
    const id: string = out.header.id;
    expect(existsSync(join(store, id, 'plots', 'convergence-vs-width.svg'))).toBe(true);

    const runs = await cli('runs');
    expect(runs.stdout).toContain(id);
    const show = JSON.parse((await cli('show', 'latest', '--json')).stdout);
    expect(show.header.id).toBe(id);

    const report = await cli('report', id);
    expect(report.code).toBe(0);
    const md = await readFile(join(store, id, 'report.md'), 'utf8');
    expect(md).toContain('## Claims');
    expect(md).toContain('![');

    const bundle = join(dir, 'bundle.json');
    expect((await cli('export', id, '--out', bundle)).code).toBe(0);
    const other = join(dir, 'other-store');
    const imp = await start(['import', bundle, '--store', other], dir).done;
    expect(imp.code).toBe(0);
    const shown = JSON.parse((await start(['show', id, '--json', '--store', other], dir).done).stdout);
    expect(shown.result.scalars).toEqual(out.result.scalars);

    const again = JSON.parse(
      (await cli('run', 'ntk/jacot2018', '--preset', 'smoke', '--seed', '1', '--json')).stdout,
    );
    expect(again.result.scalars).toEqual(out.result.scalars);
    const cmp = await cli('compare', id, again.header.id);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toContain('dev_init_slope');
  });

  it('wasm with 2 threads records them, gives the 1-thread numbers and exits (no worker keeps it alive)', async () => {
    const args = ['run', 'ntk/jacot2018', '--preset', 'smoke', '--seed', '3', '--backend', 'wasm', '--json'];
    const runWith = async (threads: number) => {
      const t0 = Date.now();
      const r = await start([...args, '--store', store], dir, { PAPERLAB_WASM_THREADS: String(threads) })
        .done;
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      // The run itself takes ~1 s; a pthread worker left referenced would hold the process until the test times out.
      return { out, exitedAfterMs: Date.now() - t0 - out.header.durationMs };
    };
    const threaded = await runWith(2);
    expect(threaded.out.header.backend.threads).toBe(2);
    expect(threaded.out.header.backend.details.wasmBuild).toBe('threaded-simd');
    expect(threaded.exitedAfterMs).toBeLessThan(30_000);
    const single = await runWith(1);
    expect(single.out.header.backend.threads).toBe(1);
    expect(threaded.out.result.scalars).toEqual(single.out.result.scalars);
  });

  it('reproduce runs every experiment of a plugin, prints the claims table and writes it as Markdown', async () => {
    const list = JSON.parse((await cli('list', '--json')).stdout);
    const quantum: string[] = list.experiments
      .filter((e: { id: string }) => e.id.startsWith('quantum/'))
      .map((e: { id: string }) => e.id);
    expect(quantum.length).toBeGreaterThan(0);
    const md = join(dir, 'reproduction.md');
    const r = await cli('reproduce', 'quantum', '--preset', 'smoke', '--json', '--out', md);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.preset).toBe('smoke');
    expect(out.experiments.map((e: { experiment: string }) => e.experiment)).toEqual(quantum);
    for (const e of out.experiments) {
      expect(e.status).toBe('completed');
      expect(e.claims.length).toBeGreaterThan(0);
      expect(existsSync(join(store, e.run, 'result.json'))).toBe(true);
    }
    const claims: Array<{ kind: string; verdict: string; original?: unknown }> = out.experiments.flatMap(
      (e: { claims: unknown[] }) => e.claims,
    );
    const paper = claims.filter((c) => c.kind === 'paper');
    expect(out.summary.paper.total).toBe(paper.length);
    expect(out.summary.control.total).toBe(claims.length - paper.length);
    expect(out.summary.paper.reproduced).toBe(paper.filter((c) => c.verdict === 'reproduced').length);
    const text = await readFile(md, 'utf8');
    expect(text).toContain(`**${out.counts}**`);
    expect(out.counts).toMatch(/^paper claims \d+\/\d+ reproduced/);
    // One row per experiment in the counts table, one per claim in the paper-claims and controls tables, and one
    // per revised claim in the revised-rules table.
    expect(text.split('\n').filter((l) => l.startsWith('| quantum/'))).toHaveLength(
      quantum.length + claims.length + claims.filter((c) => c.original !== undefined).length,
    );

    // --resume: finished runs of the same config/seed/backend are reused, an interrupted one is resumed.
    const first = out.experiments[0];
    const header = JSON.parse(await readFile(join(store, first.run, 'run.json'), 'utf8'));
    await writeFile(join(store, first.run, 'run.json'), JSON.stringify({ ...header, status: 'interrupted' }));
    await rm(join(store, first.run, 'result.json'));
    const again = await cli('reproduce', 'quantum', '--preset', 'smoke', '--json', '--resume');
    expect(again.code, again.stderr).toBe(0);
    const rows = JSON.parse(again.stdout).experiments;
    expect(rows.map((e: { source: string }) => e.source)).toEqual(
      quantum.map((_, i) => (i === 0 ? 'resumed' : 'reused')),
    );
    expect(rows.map((e: { run: string }) => e.run)).toEqual(
      out.experiments.map((e: { run: string }) => e.run),
    );
    expect(rows[0].status).toBe('completed');
    expect(rows[0].claims).toEqual(first.claims);
    // Another seed is other work: nothing to reuse.
    const seed1 = JSON.parse(
      (await cli('reproduce', 'quantum', '--preset', 'smoke', '--json', '--resume', '--seed', '1')).stdout,
    );
    expect(seed1.experiments.every((e: { source: string }) => e.source === 'new')).toBe(true);

    const bad = await cli('reproduce', 'no-such-plugin');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/installed plugins: .*quantum/);
  });

  it('--strict exits 3 exactly when a claim is not reproduced (inconclusive does not count)', async () => {
    const r = await cli('run', 'ntk/jacot2018', '--preset', 'smoke', '--seed', '2', '--strict', '--json');
    const out = JSON.parse(r.stdout);
    const failed = out.result.claims.some((c: { verdict: string }) => c.verdict === 'not-reproduced');
    expect(r.code).toBe(failed ? 3 : 0);
    const strictest = await cli('show', out.header.id, '--json');
    expect(JSON.parse(strictest.stdout).result.summary.paper.total).toBeGreaterThan(0);
  });

  it('Ctrl-C marks the run interrupted (exit 130) and resume completes it from its checkpoints', async () => {
    const { child, done } = start(
      [
        'run',
        'ntk/jacot2018',
        '--preset',
        'smoke',
        '--set',
        'widths=[16,32,64,128,256,512]',
        '--set',
        'steps=400',
        '--set',
        'seeds=3',
        '--json',
        '--store',
        store,
      ],
      dir,
    );
    // Interrupt once the run has finished at least one sweep cell (robust to a slow machine).
    const { readdir } = await import('node:fs/promises');
    const before = new Set(existsSync(store) ? await readdir(store) : []);
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const fresh = (existsSync(store) ? await readdir(store) : []).filter((d) => !before.has(d));
      const doneDir = fresh.length ? join(store, fresh[0]!, 'checkpoints', 'done') : '';
      if (doneDir && existsSync(doneDir) && (await readdir(doneDir)).length >= 2) break;
    }
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    const out = JSON.parse(r.stdout);
    expect(out.header.status).toBe('interrupted');
    const resumed = await cli('resume', out.header.id, '--json');
    expect(resumed.code).toBe(0);
    const res = JSON.parse(resumed.stdout);
    expect(res.header.status).toBe('completed');
    expect(res.header.attempts).toBe(2);
    expect(res.result.series.cells).toHaveLength(18);
  });

  it('data lists datasets with where they were found or how to get them', async () => {
    const r = await cli('data', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining(['mnist', 'fashion-mnist']),
    );
    for (const d of list) expect(d.found !== null || d.howToGet.length > 0).toBe(true);
  });
});
