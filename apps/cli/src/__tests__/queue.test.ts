import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningPid, scalarsByJob, startCli } from './spawnCli.js';

// Jobs across processes through Redis (BullMQ): the test starts Debian's redis-server on 127.0.0.1 itself
// (installed by `node scripts/task.mjs setup`) and is skipped, saying so, where it is not installed.
const fixture = fileURLToPath(new URL('./fixtures/killPlugin.mjs', import.meta.url));
const redisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
const hasBullmq =
  spawnSync(process.execPath, ['-e', "import('bullmq').then(()=>{},()=>process.exit(1))"], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  }).status === 0;
if (!redisServer || !hasBullmq)
  console.warn(
    `queue tests SKIPPED: ${redisServer ? '' : 'redis-server not installed (sudo apt-get install redis-server) '}${hasBullmq ? '' : 'bullmq not installed'}`,
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!redisServer || !hasBullmq)('--queue: BullMQ on a local Redis with two workers', () => {
  let dir: string;
  let url: string;
  let redis: ChildProcess;
  const workers: ChildProcess[] = [];
  const ARGS =
    'kill/cells2026 --preset smoke --backend cpu --grid cells=10 --grid cellMs=60 --seeds 0..3'.split(' ');

  const startWorker = (name: string) => {
    const w = startCli(['worker', '--queue', url, '--lock-ms', '3000', '--store', join(dir, name)], dir);
    workers.push(w.child);
    return w;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperlab-queue-'));
    await writeFile(join(dir, 'paperlab.config.json'), JSON.stringify({ plugins: [fixture] }));
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn(
      redisServer!,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      if (
        spawnSync('redis-cli', ['-p', String(port), 'ping'])
          .stdout?.toString()
          .includes('PONG')
      )
        break;
      await sleep(50);
    }
  }, 30_000);
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    redis?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('a worker SIGKILLed mid-job: the sweep completes, every job once in the store, tables as the local serial run', async () => {
    startWorker('w1');
    startWorker('w2');
    await sleep(1500);
    const submit = startCli(['sweep', ...ARGS, '--queue', url, '--store', join(dir, 'sub'), '--json'], dir);
    // Kill whichever worker first holds a run with two cells done.
    let killed = false;
    for (let i = 0; i < 800 && !killed; i++) {
      await sleep(25);
      for (const w of ['w1', 'w2']) {
        const pid = killed ? undefined : await runningPid(join(dir, w), 2);
        if (pid) {
          process.kill(pid, 'SIGKILL');
          killed = true;
        }
      }
    }
    expect(killed).toBe(true);
    startWorker('w3'); // a replacement, as an operator would start one
    const r = await submit.done;
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { jobs: Array<{ status: string; run: string }> };
    expect(s.jobs.map((j) => j.status)).toEqual(Array(4).fill('completed'));
    const serial = join(dir, 'serial');
    const local = await startCli(['sweep', ...ARGS, '--store', serial, '--json'], dir).done;
    expect(local.code, local.stderr).toBe(0);
    expect(await scalarsByJob(join(dir, 'sub'))).toEqual(await scalarsByJob(serial));
    expect(JSON.parse(local.stdout).cells).toEqual((s as unknown as { cells: unknown }).cells);
  }, 240_000);

  it('reproduce --queue collects the runs; re-issuing it queues nothing new and reuses the store', async () => {
    const store = join(dir, 'sub-repro');
    const reproduce = () =>
      startCli(
        [
          'reproduce',
          'kill',
          '--preset',
          'smoke',
          '--backend',
          'cpu',
          '--queue',
          url,
          '--store',
          store,
          '--json',
        ],
        dir,
      ).done;
    const first = await reproduce();
    expect(first.code, first.stderr).toBe(0);
    const again = await reproduce();
    expect(again.code, again.stderr).toBe(0);
    const rows = (x: string) =>
      (JSON.parse(x) as { experiments: Array<{ run: string; source: string }> }).experiments;
    expect(rows(again.stdout).map((e) => e.run)).toEqual(rows(first.stdout).map((e) => e.run));
    expect(rows(again.stdout).map((e) => e.source)).toEqual(['reused']);
    expect((await readdir(store)).filter((n) => !n.startsWith('.'))).toHaveLength(1);
  }, 120_000);

  it('a bad queue URL or a Redis that does not answer is a clear error', async () => {
    const bad = await startCli(['sweep', ...ARGS, '--queue', 'http://x', '--store', join(dir, 'none')], dir)
      .done;
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/redis:\/\//);
  }, 60_000);
});
