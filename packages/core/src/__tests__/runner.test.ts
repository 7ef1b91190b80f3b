import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineExperiment } from '../contracts/experiment.js';
import { definePlugin } from '../contracts/plugin.js';
import { ArrayDataset } from '../data/arrayDataset.js';
import { Sequential } from '../models/sequential.js';
import { FsRunStore } from '../node/fsRunStore.js';
import { decodeCheckpoint, encodeCheckpoint } from '../runs/checkpointCodec.js';
import { type RunEnvironment, type RunRequest, resumeRun, runExperiment } from '../runs/runner.js';
import { exportRun, importRun, resolveRunId } from '../runs/store.js';
import { createTestEnvironment } from '../testing/environment.js';
import { suiteTempDir } from '../testing/suiteTempDir.js';
import { softmaxCrossEntropy } from '../train/losses.js';
import { accuracyMetric } from '../train/metrics.js';
import { SupervisedTrainer } from '../train/supervisedTrainer.js';

/** A toy experiment: an MLP on two Gaussian blobs, with a stop hook for interruption tests. */
let stopAfterSteps: number | null = null;
let abortController: AbortController | null = null;

const toy = defineExperiment({
  id: 'toy/smith2024',
  paper: { title: 'Toy', authors: 'A. Smith', year: 2024, url: 'https://example.org' },
  summary: 'A two-blob classification toy used to test the runner.',
  config: z.strictObject({
    epochs: z.number().int().default(3),
    n: z.number().int().default(256),
    fail: z.boolean().default(false),
  }),
  presets: { smoke: { epochs: 2 }, paper: {} },
  claims: [
    {
      id: 'learns',
      statement: 'accuracy beats chance',
      check: (out) => ({
        verdict: out.scalars.accuracy! > 0.9 ? 'reproduced' : 'not-reproduced',
        measured: `accuracy ${out.scalars.accuracy}`,
        expected: '> 0.9 (chance 0.5)',
      }),
    },
  ],
  async run(ctx, cfg) {
    if (cfg.fail) throw new Error('boom');
    const rng = ctx.rng.split('data');
    const x = new Float32Array(cfg.n * 2);
    const y = new Int32Array(cfg.n);
    for (let i = 0; i < cfg.n; i++) {
      y[i] = i % 2;
      x[2 * i] = rng.normal(y[i] ? 2 : -2, 1);
      x[2 * i + 1] = rng.normal(0, 1);
    }
    const data = new ArrayDataset(
      { name: 'blobs', source: 'generated', inputShape: [2], numClasses: 2 },
      { train: { x, y }, test: { x, y } },
    );
    const model = Sequential.build(
      [
        { type: 'dense', units: 8, activation: 'relu' },
        { type: 'dense', units: 2 },
      ],
      [2],
      ctx.rng.split('model'),
    );
    const optimizer = tf.train.adam(0.05);
    let steps = 0;
    const onScalars = ctx.log.scalars.bind(ctx.log);
    ctx.log.scalars = (v, s) => {
      onScalars(v, s);
    };
    const origTick = ctx.progress.task.bind(ctx.progress);
    ctx.progress.task = (label, total) => {
      const t = origTick(label, total);
      return {
        tick: (k, st) => {
          steps++;
          if (stopAfterSteps !== null && steps >= stopAfterSteps) abortController?.abort();
          t.tick(k, st);
        },
        done: () => t.done(),
      };
    };
    try {
      const fit = await new SupervisedTrainer().fit(ctx, model, data, {
        epochs: cfg.epochs,
        batchSize: 32,
        loss: softmaxCrossEntropy,
        optimizer,
        metrics: [accuracyMetric()],
        checkpointEvery: 4,
      });
      const params = await Promise.all(model.variables().map(async (v) => Array.from(await v.data())));
      return {
        scalars: {
          accuracy: fit.metrics.accuracy!,
          loss: fit.loss,
          steps: fit.steps,
          checksum: params.flat().reduce((a, b) => a + b, 0),
        },
        series: { history: fit.history },
      };
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  },
});

const plugin = definePlugin({
  name: 'toy',
  package: { name: 'toy-plugin', version: '1.0.0' },
  papers: [toy],
});

describe('runner, store, checkpoints and resume', () => {
  const tmp = suiteTempDir('paperlab-runs-');
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin], { store: new FsRunStore(tmp.path) });
  });
  /** Runs the toy on wasm (smoke preset unless `request` says otherwise). */
  const runToy = (request: Partial<RunRequest> = {}, where: RunEnvironment = env) =>
    runExperiment(where, { experiment: 'toy/smith2024', preset: 'smoke', backend: 'wasm', ...request });

  it('records a completed run atomically: run.json, result.json with claims, metrics.jsonl, no temp files', async () => {
    const before = tf.memory().numTensors;
    const out = await runToy({ seed: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.header.status).toBe('completed');
    expect(out.header.config).toEqual({ epochs: 2, n: 256, fail: false });
    expect(out.header.backend.name).toBe('wasm');
    expect(out.result!.claims[0]!.verdict).toBe('reproduced');
    const files = await readdir(join(tmp.path, out.header.id));
    expect(files).toEqual(
      expect.arrayContaining(['run.json', 'result.json', 'metrics.jsonl', 'checkpoints']),
    );
    const all = await env.store.listFiles(out.header.id);
    expect(all.some((f) => f.endsWith('.tmp'))).toBe(false);
    expect((await env.store.readMetrics(out.header.id)).length).toBeGreaterThan(0);
    expect(await resolveRunId(env.store, 'latest')).toBe(out.header.id);
  });

  it('same seed → same numbers', async () => {
    const a = await runToy({ seed: 9 });
    const b = await runToy({ seed: 9 });
    expect(b.result!.scalars).toEqual(a.result!.scalars);
  });

  it('a failing run is marked failed with its error', async () => {
    const out = await runToy({ overrides: ['fail=true'] });
    expect(out.header.status).toBe('failed');
    expect(out.header.error?.message).toBe('boom');
    expect((await env.store.readHeader(out.header.id)).status).toBe('failed');
  });

  it('an interrupted run keeps what it had and resumes to the same result as an uninterrupted one', async () => {
    const full = await runToy({ preset: 'paper', seed: 2 });
    abortController = new AbortController();
    stopAfterSteps = 10; // mid-epoch 2 (8 batches per epoch)
    const interrupted = await runToy(
      { preset: 'paper', seed: 2 },
      { ...env, signal: abortController.signal },
    );
    stopAfterSteps = null;
    abortController = null;
    expect(interrupted.header.status).toBe('interrupted');
    expect(await env.store.listFiles(interrupted.header.id, 'checkpoints')).not.toHaveLength(0);
    const resumed = await resumeRun(env, interrupted.header.id);
    expect(resumed.header.status).toBe('completed');
    expect(resumed.header.attempts).toBe(2);
    expect(resumed.header.id).toBe(interrupted.header.id);
    expect(resumed.result!.scalars.checksum).toBeCloseTo(full.result!.scalars.checksum!, 5);
    expect(resumed.result!.scalars.accuracy).toBe(full.result!.scalars.accuracy);
    await expect(resumeRun(env, full.header.id)).rejects.toThrow(/already completed/);
  });

  it('exports a run as one bundle and imports it into another store', async () => {
    const out = await runToy({ seed: 1 });
    await env.store.putFile(out.header.id, 'plots/p.svg', '<svg/>');
    const bundle = JSON.parse(JSON.stringify(await exportRun(env.store, out.header.id)));
    expect(Object.keys(bundle.files)).toEqual(['plots/p.svg']);
    const other = new FsRunStore(join(tmp.path, 'other'));
    const id = await importRun(other, bundle);
    expect(await other.readResult(id)).toEqual(out.result);
    expect(new TextDecoder().decode(await other.getFile(id, 'plots/p.svg'))).toBe('<svg/>');
    await expect(importRun(other, { format: 'nope' } as never)).rejects.toThrow(/Not a paperlab run bundle/);
  });

  it('skips a torn last metrics line (crash mid-append)', async () => {
    const out = await runToy({ seed: 1 });
    const n = (await env.store.readMetrics(out.header.id)).length;
    const { appendFile } = await import('node:fs/promises');
    await appendFile(join(tmp.path, out.header.id, 'metrics.jsonl'), '{"step": 99, "los');
    expect(await env.store.readMetrics(out.header.id)).toHaveLength(n);
    expect(JSON.parse(await readFile(join(tmp.path, out.header.id, 'run.json'), 'utf8')).id).toBe(
      out.header.id,
    );
  });

  it('checkpoint codec round-trips tensors, RNG state and JSON', () => {
    const ck = {
      step: 7,
      states: {
        model: {
          tensors: {
            w: { shape: [2, 3], dtype: 'float32' as const, values: Float32Array.from([1, 2, 3, 4, 5, 6]) },
            i: { shape: [3], dtype: 'int32' as const, values: Int32Array.from([1, -2, 3]) },
          },
          json: { a: 1 },
        },
        empty: { tensors: {} },
      },
      rng: { seed: 1, path: ['x'], s: [1, 2, 3, 4] as [number, number, number, number], spare: null },
      json: { epoch: 2 },
    };
    const back = decodeCheckpoint(encodeCheckpoint(ck));
    expect(back.step).toBe(7);
    expect(Array.from(back.states.model!.tensors.w!.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(back.states.model!.tensors.i!.values)).toEqual([1, -2, 3]);
    expect(back.states.model!.json).toEqual({ a: 1 });
    expect(back.rng).toEqual(ck.rng);
    expect(back.json).toEqual({ epoch: 2 });
    expect(() => decodeCheckpoint(new Uint8Array(16))).toThrow(/bad magic/);
  });
});
