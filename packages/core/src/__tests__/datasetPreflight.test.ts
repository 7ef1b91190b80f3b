import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineExperiment } from '../contracts/experiment.js';
import { definePlugin } from '../contracts/plugin.js';
import type { DataSources } from '../contracts/runContext.js';
import { type RunEnvironment, runExperiment } from '../runs/runner.js';
import { createTestEnvironment } from '../testing/environment.js';
import { DatasetNotFoundError, PaperlabError } from '../util/errors.js';

/** An experiment that declares the dataset its config names and records whether `run` was reached. */
let ran = 0;
let failWith: Error | undefined;
const needsData = defineExperiment({
  id: 'toy/data2024',
  paper: { title: 'Toy', authors: 'A. Smith', year: 2024, url: 'https://example.org' },
  summary: 'Reads a dataset named in its config.',
  config: z.strictObject({ dataset: z.enum(['mnist', 'fashion-mnist', 'none']).default('mnist') }),
  presets: { smoke: {}, paper: {} },
  claims: [],
  datasets: (cfg) => (cfg.dataset === 'none' ? [] : [cfg.dataset]),
  async run(_ctx, cfg) {
    ran++;
    if (cfg.dataset === 'fashion-mnist' && failWith) throw failWith;
    return { scalars: {} };
  },
});

const plugin = definePlugin({
  name: 'toy',
  package: { name: 'toy-plugin', version: '1.0.0' },
  papers: [needsData],
});

/** Data sources holding only `present`; records every name opened. */
function sources(present: readonly string[], opened: string[]): DataSources {
  return {
    describe: () => ['test sources'],
    async open(name) {
      opened.push(name);
      if (!present.includes(name)) throw new DatasetNotFoundError(name, ['test sources'], '  install it');
      return { name, origin: 'test', read: async () => new Uint8Array() };
    },
  };
}

describe('dataset preflight (experiment.datasets)', () => {
  const envWith = (present: readonly string[], opened: string[]): Promise<RunEnvironment> =>
    createTestEnvironment([plugin], { backend: 'cpu', data: sources(present, opened) });
  /** Runs toy/data2024 on cpu with its config's `dataset` (the default, mnist, when not given). */
  const runWith = (env: RunEnvironment, dataset?: string) =>
    runExperiment(env, {
      experiment: 'toy/data2024',
      backend: 'cpu',
      ...(dataset ? { overrides: [`dataset=${dataset}`] } : {}),
    });

  it('refuses a run whose dataset is missing before any run record is written', async () => {
    const opened: string[] = [];
    const env = await envWith([], opened);
    ran = 0;
    const err = await runWith(env).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    expect((err as DatasetNotFoundError).code).toBe('E_DATASET_MISSING');
    expect((err as Error).message).toMatch(/How to get it/);
    expect(opened).toEqual(['mnist']);
    expect(ran).toBe(0);
    expect(await env.store.list()).toEqual([]);
  });

  it('checks only what the config declares, and runs when it is present', async () => {
    const opened: string[] = [];
    const env = await envWith(['fashion-mnist'], opened);
    ran = 0;
    const out = await runWith(env, 'fashion-mnist');
    expect(out.header.status).toBe('completed');
    expect(opened).toEqual(['fashion-mnist']);
    expect(ran).toBe(1);
    const none = await runWith(env, 'none');
    expect(none.header.status).toBe('completed');
    expect(opened).toEqual(['fashion-mnist']);
    expect(await env.store.list()).toHaveLength(2);
  });

  it('records a paperlab error under its code, which a minifying build cannot mangle like a class name', async () => {
    const env = await envWith(['fashion-mnist'], []);
    failWith = new PaperlabError('E_DATA_FORMAT', 'truncated IDX file');
    try {
      const out = await runWith(env, 'fashion-mnist');
      expect(out.header.status).toBe('failed');
      expect(out.header.error?.name).toBe('E_DATA_FORMAT');
      expect(out.header.error?.message).toBe('truncated IDX file');
    } finally {
      failWith = undefined;
    }
  });
});
