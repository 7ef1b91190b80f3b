import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI's entry point (run `pnpm run compile` first; CI does). */
export const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** What a finished CLI process left: its exit code or signal and everything it wrote. */
export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the built CLI with `args` in `cwd` (colour off, `env` on top of this process's environment). */
export function startCli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Result>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Every run's scalars (as JSON text) by job id; a job found twice in the store throws. */
export async function scalarsByJob(store: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of (await readdir(store)).filter((n) => !n.startsWith('.'))) {
    const header = JSON.parse(await readFile(join(store, id, 'run.json'), 'utf8')) as { job: string };
    if (out[header.job] !== undefined) throw new Error(`job ${header.job} ran twice into ${store}`);
    out[header.job] = await readFile(join(store, id, 'result.json'), 'utf8').then(
      (t) => JSON.stringify((JSON.parse(t) as { scalars: unknown }).scalars),
      () => 'no result',
    );
  }
  return out;
}

/** The pid running a run of `store` that has cached at least `cells` cells, if any (for kill tests). */
export async function runningPid(store: string, cells: number): Promise<number | undefined> {
  for (const id of await readdir(store).catch(() => [] as string[])) {
    if (id.startsWith('.')) continue;
    const text = await readFile(join(store, id, 'run.json'), 'utf8').catch(() => '');
    const h = text ? (JSON.parse(text) as { status: string; live?: { pid?: number } }) : undefined;
    const cached = await readdir(join(store, id, 'checkpoints', 'done')).catch(() => [] as string[]);
    if (h?.status === 'running' && h.live?.pid && cached.length >= cells) return h.live.pid;
  }
  return undefined;
}
