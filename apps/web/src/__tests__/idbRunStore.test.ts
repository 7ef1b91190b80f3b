import 'fake-indexeddb/auto';
import { createLab, defineExperiment, definePlugin, runExperiment, z } from '@paperlab/core';
import { nodeBackendLoaders } from '@paperlab/core/node';
import { linePlot } from '@paperlab/core/plots';
import {
  exportRun,
  importRun,
  MemoryRunStore,
  markdownReport,
  parseBundle,
  type RunHeader,
  type RunResult,
} from '@paperlab/core/runs';
import { sampleRunHeader } from '@paperlab/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { IdbRunStore } from '../lib/idbRunStore.js';

let dbCounter = 0;
const stores: IdbRunStore[] = [];
function freshStore(): IdbRunStore {
  const s = new IdbRunStore(`paperlab-test-${++dbCounter}`);
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const header = (id: string, createdAt: string): RunHeader =>
  sampleRunHeader(id, createdAt, {
    backend: { name: 'cpu', requested: 'cpu', fallbacks: [], patches: [], platform: 'browser' },
    host: { platform: 'browser' },
  });

const result: RunResult = {
  scalars: { a: 1.5 },
  claims: [],
  summary: { reproduced: 0, notReproduced: 0, inconclusive: 0, total: 0 },
};

describe('IdbRunStore', () => {
  it('stores headers, results, metrics in order, and files by directory', async () => {
    const store = freshStore();
    await store.writeHeader(header('r1', '2026-01-01T00:00:00.000Z'));
    await store.writeHeader(header('r2', '2026-01-02T00:00:00.000Z'));
    expect((await store.list()).map((h) => h.id)).toEqual(['r2', 'r1']);
    await store.appendMetrics('r1', [{ step: 1, t: 0, loss: 3 }]);
    await store.appendMetrics('r2', [{ step: 1, t: 0, loss: 9 }]);
    await store.appendMetrics('r1', [
      { step: 2, t: 1, loss: 2 },
      { step: 3, t: 2, loss: 1 },
    ]);
    expect((await store.readMetrics('r1')).map((r) => r.step)).toEqual([1, 2, 3]);
    await store.writeResult('r1', result);
    expect(await store.readResult('r1')).toEqual(result);
    expect(await store.readResult('r2')).toBeUndefined();
    await store.putFile('r1', 'plots/b.svg', '<svg/>');
    await store.putFile('r1', 'plots/a.svg', new Uint8Array([60, 47, 62]));
    await store.putFile('r1', 'checkpoints/k.ckpt', new Uint8Array([1, 2]));
    await store.putFile('r2', 'plots/z.svg', 'z');
    expect(await store.listFiles('r1', 'plots')).toEqual(['plots/a.svg', 'plots/b.svg']);
    expect(await store.listFiles('r1')).toEqual(['checkpoints/k.ckpt', 'plots/a.svg', 'plots/b.svg']);
    expect(new TextDecoder().decode(await store.getFile('r1', 'plots/b.svg'))).toBe('<svg/>');
    expect(await store.getFile('r1', 'plots/none.svg')).toBeUndefined();
    await expect(store.readHeader('nope')).rejects.toThrow(/No run 'nope'/);
    await expect(store.putFile('r1', '../escape', 'x')).rejects.toThrow(/Invalid run file path/);
  });

  it('deletes a run and everything under it, leaving other runs alone', async () => {
    const store = freshStore();
    for (const id of ['a', 'b']) {
      await store.writeHeader(header(id, `2026-01-0${id === 'a' ? 1 : 2}T00:00:00.000Z`));
      await store.appendMetrics(id, [{ step: 0, t: 0, x: 1 }]);
      await store.writeResult(id, result);
      await store.putFile(id, 'plots/p.svg', 'p');
    }
    await store.deleteRun('a');
    expect((await store.list()).map((h) => h.id)).toEqual(['b']);
    expect(await store.readMetrics('a')).toEqual([]);
    expect(await store.listFiles('a')).toEqual([]);
    expect(await store.readResult('a')).toBeUndefined();
    expect(await store.readMetrics('b')).toHaveLength(1);
    expect(await store.listFiles('b')).toEqual(['plots/p.svg']);
  });

  it('imports a bundle all-or-nothing: a bad file path leaves no half record', async () => {
    const store = freshStore();
    const source = new MemoryRunStore();
    await source.writeHeader(header('good', '2026-01-01T00:00:00.000Z'));
    await source.writeResult('good', result);
    await source.appendMetrics('good', [{ step: 0, t: 0, x: 1 }]);
    await source.putFile('good', 'plots/p.svg', '<svg/>');
    const bundle = await exportRun(source, 'good');

    const bad = { ...bundle, header: { ...bundle.header, id: 'bad' }, files: { '../evil': 'AA==' } };
    // The whole bundle is validated before anything is written: parsing refuses it, and so does importRun.
    expect(() => parseBundle(bad)).toThrow(/Unsafe file path/);
    await expect(store.atomically((s) => importRun(s, bad))).rejects.toThrow(/Unsafe file path/);
    for (const id of ['..', '.', 'a/b', '/etc']) {
      const unsafe = { ...bundle, header: { ...bundle.header, id } };
      await expect(store.atomically((s) => importRun(s, unsafe))).rejects.toThrow(/unsafe run id/);
    }
    expect(await store.list()).toEqual([]);

    const id = await store.atomically((s) => importRun(s, bundle));
    expect(id).toBe('good');
    expect(await exportRun(store, 'good')).toEqual(bundle);

    // Re-importing replaces the run in one transaction: metrics are not appended twice.
    await store.putFile('good', 'checkpoints/stale.ckpt', 'x');
    await store.atomically((s) => importRun(s, bundle), { replacing: 'good' });
    expect(await exportRun(store, 'good')).toEqual(bundle);
    expect(await store.listFiles('good', 'checkpoints')).toEqual([]);
  });

  it('holds a real run (runExperiment with this store) that exports to a bundle the CLI can report', async () => {
    const demoConfig = z.strictObject({ n: z.number().int().min(1).default(3) });
    const demo = defineExperiment<z.infer<typeof demoConfig>>({
      id: 'demo/store2026',
      paper: { title: 'Demo', authors: 'A. Author', year: 2026, url: 'https://example.org' },
      summary: 'A tiny experiment for the store test.',
      config: demoConfig,
      presets: { smoke: { n: 2 }, paper: {} },
      claims: [
        {
          id: 'sum',
          statement: 'the sum is positive',
          check: (out) => ({
            verdict: (out.scalars.sum ?? 0) > 0 ? 'reproduced' : 'not-reproduced',
            measured: `sum ${out.scalars.sum}`,
            expected: '> 0',
          }),
        },
      ],
      async run(ctx, cfg) {
        const rows = [];
        for (let i = 0; i < cfg.n; i++) {
          const v = ctx.rng.uniform();
          ctx.log.scalars({ v }, i);
          rows.push({ i, v });
          await ctx.checkpoint.cached(`cell-${i}`, async () => v);
        }
        return {
          scalars: { sum: rows.reduce((a, r) => a + r.v, 0) },
          series: { values: rows },
          plots: [linePlot({ id: 'values', title: 'values', series: 'values', x: 'i', y: 'v' })],
        };
      },
    });
    const plugin = definePlugin({
      name: 'demo',
      packageName: 'demo-plugin',
      version: '1.0.0',
      core: '^0.1.0',
      description: 'demo',
      setup: (ctx) => ctx.experiment(demo),
    });
    const store = freshStore();
    const outcome = await runExperiment(
      {
        lab: await createLab({ plugins: [plugin] }),
        store,
        data: { describe: () => [], open: async () => Promise.reject(new Error('no data')) },
        backends: nodeBackendLoaders(),
        platform: 'node',
        renderPlots: async () => ({ values: '<svg xmlns="http://www.w3.org/2000/svg"/>' }),
      },
      { experiment: 'demo/store2026', preset: 'smoke', seed: 5, backend: 'cpu' },
    );
    expect(outcome.header.status).toBe('completed');
    expect(await store.readMetrics(outcome.header.id)).toHaveLength(2);
    expect(await store.listFiles(outcome.header.id, 'checkpoints')).toHaveLength(2);
    const bundle = parseBundle(JSON.parse(JSON.stringify(await exportRun(store, outcome.header.id))));
    expect(Object.keys(bundle.files)).toEqual(['plots/values.svg']);
    const cli = new MemoryRunStore();
    await importRun(cli, bundle);
    const report = markdownReport(
      await cli.readHeader(outcome.header.id),
      await cli.readResult(outcome.header.id),
      {
        values: 'plots/values.svg',
      },
    );
    expect(report).toContain('the sum is positive');
    expect(report).toContain('plots/values.svg');
  });
});
