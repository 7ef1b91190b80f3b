import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineExperiment } from '../contracts/experiment.js';
import { definePlugin } from '../contracts/plugin.js';
import { FsRunStore } from '../node/fsRunStore.js';
import { Rng } from '../rng/rng.js';
import { canonicalJson, findJobRun, jobId, jobIdOfHeader, jobKeyOf } from '../runs/jobKey.js';
import { runJob } from '../runs/jobs.js';
import type { RunEnvironment } from '../runs/runner.js';
import { createTestEnvironment } from '../testing/environment.js';
import { suiteTempDir } from '../testing/suiteTempDir.js';
import { sha256Hex } from '../util/sha256.js';

let calls = 0;
let gate: Promise<void> = Promise.resolve();

const counter = defineExperiment({
  id: 'jobs/count2024',
  paper: { title: 'Counter', authors: 'A', year: 2024, url: 'https://example.org' },
  summary: 'Counts how often it runs; waits on a gate so two calls overlap.',
  config: z.strictObject({ a: z.number().int().min(0).max(10).default(1), b: z.string().default('x') }),
  presets: { smoke: { a: 2 }, paper: {} },
  claims: [],
  async run(ctx, cfg) {
    calls++;
    await gate;
    return { scalars: { a: cfg.a, u: ctx.rng.uniform() } };
  },
});

const plugin = definePlugin({
  name: 'jobs',
  package: { name: '@paperlab/plugin-jobs', version: '1.0.0' },
  papers: [counter],
});

describe('jobs: content-derived ids, exactly once into a store', () => {
  const tmp = suiteTempDir('paperlab-jobs-');
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin], { backend: 'cpu', store: new FsRunStore(tmp.path) });
  });

  it('canonical JSON ignores key order at every level', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: null })).toBe(
      canonicalJson({ a: null, b: [1, { c: 3, d: 2 }] }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });

  it('the same request is the same job; the preset, an override, the seed or the backend make another', async () => {
    const id = (r: Parameters<typeof jobKeyOf>[1]) => jobId(jobKeyOf(env.lab, r));
    const base = await id({ experiment: 'jobs/count2024', preset: 'smoke', seed: 1, backend: 'cpu' });
    expect(base).toMatch(/^job-[0-9a-f]{20}$/);
    // The preset and an override that resolve to the same config are one job.
    expect(
      await id({
        experiment: 'jobs/count2024',
        preset: 'paper',
        overrides: { a: 2 },
        seed: 1,
        backend: 'cpu',
      }),
    ).toBe(base);
    const others = await Promise.all([
      id({ experiment: 'jobs/count2024', preset: 'paper', seed: 1, backend: 'cpu' }),
      id({ experiment: 'jobs/count2024', preset: 'smoke', overrides: { b: 'y' }, seed: 1, backend: 'cpu' }),
      id({ experiment: 'jobs/count2024', preset: 'smoke', seed: 2, backend: 'cpu' }),
      id({ experiment: 'jobs/count2024', preset: 'smoke', seed: 1, backend: 'wasm' }),
    ]);
    expect(new Set([base, ...others]).size).toBe(5);
  });

  it('a run records its job; re-issuing the job reuses the completed run; reuse: false runs anew', async () => {
    const req = { experiment: 'jobs/count2024', preset: 'smoke', seed: 3, backend: 'cpu' } as const;
    const before = calls;
    const first = await runJob(env, req);
    expect(first.source).toBe('new');
    expect(first.header.job).toBe(first.job);
    expect(await jobIdOfHeader({ ...first.header, job: undefined } as never)).toBe(first.job);
    const again = await runJob(env, req);
    expect(again.source).toBe('reused');
    expect(again.header.id).toBe(first.header.id);
    expect(again.result?.scalars).toEqual(first.result?.scalars);
    expect(calls - before).toBe(1);
    const fresh = await runJob(env, req, { reuse: false });
    expect(fresh.source).toBe('new');
    expect(fresh.header.id).not.toBe(first.header.id);
    expect(fresh.result?.scalars).toEqual(first.result?.scalars); // same seed, same backend: same numbers
    expect((await findJobRun(await env.store.list(), first.job))?.status).toBe('completed');
  });

  it('two concurrent requests for one job run it once: the second waits on the job lock and reuses', async () => {
    let open!: () => void;
    gate = new Promise((r) => {
      open = r;
    });
    const req = { experiment: 'jobs/count2024', preset: 'smoke', seed: 4, backend: 'cpu' } as const;
    const before = calls;
    const a = runJob(env, req);
    const b = runJob(env, req);
    await new Promise((r) => setTimeout(r, 300));
    open();
    const [ra, rb] = await Promise.all([a, b]);
    gate = Promise.resolve();
    expect(calls - before).toBe(1);
    expect([ra.source, rb.source].sort()).toEqual(['new', 'reused']);
    expect(ra.header.id).toBe(rb.header.id);
  });

  it('refuses a malformed job id for a lock', async () => {
    await expect((env.store as FsRunStore).lockJob('../x')).rejects.toThrow(/Invalid job id/);
  });
});

describe('sha256Hex (job ids without WebCrypto)', () => {
  it('matches the FIPS 180-4 vectors and node:crypto on every padding case and non-ASCII text', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const rng = new Rng(9);
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 4097]) {
      const text =
        Array.from({ length: n }, () => String.fromCharCode(32 + rng.int(95))).join('') +
        (n % 2 ? 'θ→ü' : '');
      expect(sha256Hex(text), `length ${n}`).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});
