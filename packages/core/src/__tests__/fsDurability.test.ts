import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// node:fs/promises with a call log (which handles were fsynced) and injectable faults (read-only disk, full disk).
const state = vi.hoisted(() => ({
  calls: [] as string[],
  faults: {} as Record<string, { code: string; message: string } | undefined>,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const fail = (name: string) => {
    const f = state.faults[name];
    if (f) throw Object.assign(new Error(f.message), { code: f.code });
  };
  const wrapped = {
    ...real,
    mkdir: async (...a: Parameters<typeof real.mkdir>) => {
      fail('mkdir');
      return real.mkdir(...a);
    },
    access: async (...a: Parameters<typeof real.access>) => {
      fail('access');
      return real.access(...a);
    },
    open: async (path: string, flags?: string, mode?: number) => {
      fail('open');
      const handle = await real.open(path, flags, mode);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        state.calls.push(`sync ${String(path)}`);
        return sync();
      };
      return handle;
    },
    rename: async (from: string, to: string) => {
      state.calls.push(`rename ${from} -> ${to}`);
      return real.rename(from, to);
    },
  };
  return { ...wrapped, default: wrapped };
});

const { writeFileAtomic } = await import('../node/fsRunStore.js');

describe('writeFileAtomic: durable, and errors that name the file and the cause', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperlab-durable-'));
    state.calls.length = 0;
    state.faults = {};
  });
  afterEach(async () => {
    state.faults = {};
    await rm(dir, { recursive: true, force: true });
  });

  it('fsyncs the temp file before the rename and the directory after it', async () => {
    const path = join(dir, 'a', 'run.json');
    await writeFileAtomic(path, 'hello');
    expect(await readFile(path, 'utf8')).toBe('hello');
    const syncFile = state.calls.findIndex((c) => c.startsWith(`sync ${path}.`) && c.endsWith('.tmp'));
    const renamed = state.calls.findIndex((c) => c.startsWith('rename ') && c.endsWith(`-> ${path}`));
    const syncDir = state.calls.indexOf(`sync ${join(dir, 'a')}`);
    expect(syncFile).toBeGreaterThanOrEqual(0);
    expect(renamed).toBeGreaterThan(syncFile);
    expect(syncDir).toBeGreaterThan(renamed);
  });

  it('a read-only disk is reported as EROFS with the file, not as the ENOENT of mkdir', async () => {
    state.faults.mkdir = { code: 'ENOENT', message: "ENOENT: no such file or directory, mkdir '/x'" };
    state.faults.access = { code: 'EROFS', message: 'EROFS: read-only file system' };
    const path = join(dir, 'store', 'runs', 'r1', 'run.json');
    const err = await writeFileAtomic(path, 'x').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(/the file system is read-only \(EROFS\).*writable directory/);
    expect((err as Error).message).not.toMatch(/ENOENT/);
  });

  it('a full disk is reported as ENOSPC with the file; no temp file is left', async () => {
    state.faults.open = { code: 'ENOSPC', message: 'ENOSPC: no space left on device' };
    const path = join(dir, 'result.json');
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow(
      new RegExp(`Cannot write ${path.replace(/[/.]/g, '\\$&')}: no space left on the device \\(ENOSPC\\)`),
    );
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual([]);
  });
});
