import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import {
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  utimes,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseExact, stringifyExact } from '../runs/jsonCodec.js';
import { type LivenessProbe, STALE_MS, withDerivedStatus } from '../runs/liveness.js';
import type { MetricRow, RunHeader, RunResult } from '../runs/record.js';
import {
  CorruptRecordError,
  checkHeader,
  checkMetricRow,
  checkResult,
  isSafeRunId,
  unsafePathReason,
} from '../runs/schemas.js';
import type { CorruptRecord, RunLock, RunStore, StoreScan } from '../runs/store.js';
import { PaperlabError } from '../util/errors.js';
import { describeFsError, errnoCode } from './fsErrors.js';

/** Opens, fsyncs and closes a directory, so a rename inside it survives power loss (no-op where unsupported). */
async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // Windows cannot open directories; some file systems refuse fsync on them. Neither loses data here.
    const code = errnoCode(err);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EACCES')
      throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes a file atomically and durably: temp file in the same directory, fsync, rename, fsync of the
 * directory. A crash or power loss leaves the old file or the new one, never half of one. Errors name the
 * file and the cause (read-only disk, no space, permissions).
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (err) {
    throw await describeFsError(err, path, 'create the directory of');
  }
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(tmp, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
    await syncDir(dirname(path));
  } catch (err) {
    await handle?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw await describeFsError(err, path, 'write');
  }
}

/** Whether a process with this id exists on this machine. */
function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

/** This machine as a liveness probe: its host name and pid checks. */
export function nodeLivenessProbe(): LivenessProbe {
  return { hostname: hostname(), isAlive: pidAlive };
}

/** Options of {@link FsRunStore}. */
export interface FsRunStoreOptions {
  /** How liveness of running records is judged (default: this machine's host name and pid checks). */
  probe?: LivenessProbe;
}

interface LockFile {
  pid: number;
  hostname: string;
  token: string;
  at: string;
}

const LOCK = 'run.lock';
const QUARANTINE = '.quarantine';
const STAGING = '.staging';
const JOBS = '.jobs';

function isMissing(err: unknown): boolean {
  return errnoCode(err) === 'ENOENT';
}

/** Runs on disk: `<root>/<runId>/{run.json, metrics.jsonl, result.json, plots/, checkpoints/, artifacts/}`. */
export class FsRunStore implements RunStore {
  readonly location: string;
  private readonly probe: LivenessProbe;

  /** `root` defaults to `.paperlab/runs` under the current directory. */
  constructor(root = join(process.cwd(), '.paperlab', 'runs'), options: FsRunStoreOptions = {}) {
    this.location = resolve(root);
    this.probe = options.probe ?? nodeLivenessProbe();
  }

  private dir(runId: string): string {
    if (!isSafeRunId(runId))
      throw new PaperlabError(
        'E_RUN_ID',
        `Invalid run id ${JSON.stringify(runId)}: a run id is letters, digits, '_', '.' and '-', not starting with '.' or '-'.`,
      );
    return join(this.location, runId);
  }

  private file(runId: string, path: string): string {
    const why = unsafePathReason(path);
    if (why)
      throw new PaperlabError(
        'E_RUN_PATH',
        `Invalid file path ${JSON.stringify(path)} in run ${runId}: ${why}.`,
      );
    const full = resolve(this.dir(runId), path);
    if (!full.startsWith(this.dir(runId) + sep))
      throw new PaperlabError('E_RUN_PATH', `Path '${path}' escapes run ${runId}`);
    return full;
  }

  private async readText(runId: string, path: string): Promise<string | undefined> {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw new CorruptRecordError(runId, path, `cannot be read (${errnoCode(err) ?? String(err)})`, {
        cause: err,
      });
    }
  }

  private parse(runId: string, path: string, text: string): unknown {
    if (text.trim() === '') throw new CorruptRecordError(runId, path, 'the file is empty');
    try {
      return parseExact(text);
    } catch (err) {
      throw new CorruptRecordError(runId, path, `not valid JSON (${(err as Error).message}); truncated?`);
    }
  }

  async writeHeader(header: RunHeader): Promise<void> {
    await writeFileAtomic(join(this.dir(header.id), 'run.json'), `${stringifyExact(header, 2)}\n`);
  }

  async readHeader(runId: string): Promise<RunHeader> {
    const path = join(this.dir(runId), 'run.json');
    const text = await this.readText(runId, path);
    if (text === undefined) throw new PaperlabError('E_NO_RUN', `No run '${runId}' in ${this.location}`);
    return withDerivedStatus(checkHeader(this.parse(runId, path, text), runId, path), this.probe);
  }

  async appendMetrics(runId: string, rows: MetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    const path = join(this.dir(runId), 'metrics.jsonl');
    const text = `${rows.map((r) => stringifyExact(r)).join('\n')}\n`;
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      await mkdir(dirname(path), { recursive: true });
      handle = await open(path, 'a+');
      // After a crash mid-append the file ends in a torn line: start on a fresh line so no row is lost.
      const { size } = await handle.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      await handle.appendFile(prefix + text);
    } catch (err) {
      throw await describeFsError(err, path, 'append to');
    } finally {
      await handle?.close();
    }
  }

  private async metricsWithTorn(runId: string): Promise<{ rows: MetricRow[]; torn: number }> {
    const path = join(this.dir(runId), 'metrics.jsonl');
    const text = await this.readText(runId, path);
    if (text === undefined) return { rows: [], torn: 0 };
    const rows: MetricRow[] = [];
    let torn = 0;
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = parseExact(line);
      } catch {
        // A torn line from a crash mid-append (later appends start on a fresh line): skip it.
        torn++;
        continue;
      }
      rows.push(checkMetricRow(value, runId, `${path} line ${i + 1}`));
    }
    return { rows, torn };
  }

  async readMetrics(runId: string): Promise<MetricRow[]> {
    return (await this.metricsWithTorn(runId)).rows;
  }

  async writeResult(runId: string, result: RunResult): Promise<void> {
    await writeFileAtomic(join(this.dir(runId), 'result.json'), `${stringifyExact(result, 2)}\n`);
  }

  async readResult(runId: string): Promise<RunResult | undefined> {
    const path = join(this.dir(runId), 'result.json');
    const text = await this.readText(runId, path);
    if (text === undefined) return undefined;
    return checkResult(this.parse(runId, path, text), runId, path);
  }

  /** Runs whose run.json is readable, newest first (result.json is checked when read, or by `scan`). */
  async list(): Promise<RunHeader[]> {
    return (await this.scan({ results: false })).runs;
  }

  /**
   * Every run, readable and corrupt. `results: false` skips parsing result.json (only its presence for a
   * completed run is checked), for listing large stores quickly; `deep` also reads metrics and cached cells.
   */
  async scan(options: { deep?: boolean; results?: boolean } = {}): Promise<StoreScan> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.location, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return { runs: [], corrupt: [], notes: [] };
      throw await describeFsError(err, this.location, 'list');
    }
    const runs: RunHeader[] = [];
    const corrupt: CorruptRecord[] = [];
    const notes: string[] = [];
    const bad = (id: string, err: unknown, header?: RunHeader): CorruptRecord => {
      const c: CorruptRecord =
        err instanceof CorruptRecordError
          ? { id, file: err.file, problem: err.problem }
          : { id, file: join(this.location, id), problem: err instanceof Error ? err.message : String(err) };
      if (header) c.header = header;
      return c;
    };
    for (const entry of entries) {
      if (entry.name.startsWith('.') || !entry.isDirectory()) continue;
      const id = entry.name;
      const dir = join(this.location, id);
      if (!isSafeRunId(id)) {
        corrupt.push({ id, file: dir, problem: 'the directory name is not a valid run id' });
        continue;
      }
      let header: RunHeader;
      try {
        header = await this.readHeader(id);
      } catch (err) {
        if (err instanceof PaperlabError && err.code === 'E_NO_RUN') {
          // A run being created has only temp files for a moment; anything else without run.json is corrupt.
          const inside = await readdir(dir).catch(() => [] as string[]);
          const mtime = await stat(dir).then(
            (st) => st.mtimeMs,
            () => 0,
          );
          const young = Date.now() - mtime < 60_000;
          if (young && inside.every((f) => f.endsWith('.tmp'))) continue;
          corrupt.push({ id, file: join(dir, 'run.json'), problem: 'run.json is missing' });
        } else corrupt.push(bad(id, err));
        continue;
      }
      try {
        const result =
          options.results === false && !options.deep
            ? await stat(join(dir, 'result.json')).then(
                () => true,
                (err) => (isMissing(err) ? undefined : Promise.reject(err)),
              )
            : await this.readResult(id);
        if (!result && header.status === 'completed') {
          corrupt.push({
            id,
            file: join(dir, 'result.json'),
            problem: 'the run is completed but result.json is missing',
            header,
          });
          continue;
        }
        if (options.deep) {
          const { torn } = await this.metricsWithTorn(id);
          if (torn)
            notes.push(`${id}: ${torn} torn line(s) in metrics.jsonl (a crash mid-append; skipped on read)`);
          for (const f of await this.listFiles(id, 'checkpoints/done')) {
            const bytes = await this.getFile(id, f);
            try {
              parseExact(new TextDecoder().decode(bytes));
            } catch {
              notes.push(`${id}: cached cell ${f} is unreadable; a resume recomputes it`);
            }
          }
        }
      } catch (err) {
        corrupt.push(bad(id, err, header));
        continue;
      }
      runs.push(header);
    }
    runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    corrupt.sort((a, b) => a.id.localeCompare(b.id));
    return { runs, corrupt, notes };
  }

  /** Moves a run's directory to `<root>/.quarantine/<id>.<time>` (nothing is deleted); returns the new path. */
  async quarantine(runId: string): Promise<string> {
    if (!runId || runId === '.' || runId === '..' || /[\\/]/.test(runId) || runId.startsWith('.'))
      throw new PaperlabError(
        'E_RUN_ID',
        `Cannot quarantine ${JSON.stringify(runId)}: not a run directory name.`,
      );
    const from = join(this.location, runId);
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const to = join(this.location, QUARANTINE, `${runId}.${stamp}`);
    try {
      await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
      await syncDir(this.location);
    } catch (err) {
      throw await describeFsError(err, from, 'move aside');
    }
    return to;
  }

  async createAtomically(runId: string, fn: (staging: RunStore) => Promise<void>): Promise<void> {
    const final = this.dir(runId);
    const taken = await stat(final).then(
      () => true,
      (err) => !isMissing(err),
    );
    if (taken)
      throw new PaperlabError(
        'E_RUN_EXISTS',
        `Run ${runId} is already in ${this.location}; nothing was written.`,
      );
    const stagingRoot = join(this.location, STAGING, `${runId}.${randomBytes(4).toString('hex')}`);
    try {
      await fn(new FsRunStore(stagingRoot, { probe: this.probe }));
      try {
        await rename(join(stagingRoot, runId), final);
      } catch (err) {
        if (errnoCode(err) === 'ENOTEMPTY' || errnoCode(err) === 'EEXIST')
          throw new PaperlabError(
            'E_RUN_EXISTS',
            `Run ${runId} is already in ${this.location}; nothing was written.`,
          );
        throw await describeFsError(err, final, 'create');
      }
      await syncDir(this.location);
    } finally {
      await rm(stagingRoot, { recursive: true, force: true });
      await rmdir(join(this.location, STAGING)).catch(() => {});
    }
  }

  private async readLock(path: string): Promise<LockFile | undefined> {
    try {
      const value = JSON.parse(await readFile(path, 'utf8')) as Partial<LockFile>;
      return typeof value.pid === 'number' &&
        typeof value.hostname === 'string' &&
        typeof value.token === 'string'
        ? (value as LockFile)
        : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Takes `<run>/run.lock` (created exclusively). A lock whose holder is alive — same machine: its pid
   * exists; elsewhere: refreshed within the stale limit — is refused with `E_RUN_LOCKED`; a dead holder's
   * lock is taken over.
   */
  async lock(runId: string): Promise<RunLock> {
    return this.takeLock(
      join(this.dir(runId), LOCK),
      `Run ${runId}`,
      'E_RUN_LOCKED',
      'it is running or being resumed',
    );
  }

  /** Takes `<root>/.jobs/<job>.lock` like {@link lock} takes a run's (`E_JOB_LOCKED` while a live holder has it). */
  async lockJob(jobId: string): Promise<RunLock> {
    if (!/^job-[0-9a-f]{20}$/.test(jobId))
      throw new PaperlabError(
        'E_JOB_ID',
        `Invalid job id ${JSON.stringify(jobId)}: expected job-<20 hex digits>.`,
      );
    const dir = join(this.location, JOBS);
    await mkdir(dir, { recursive: true });
    return this.takeLock(
      join(dir, `${jobId}.lock`),
      `Job ${jobId}`,
      'E_JOB_LOCKED',
      'another process is doing it',
    );
  }

  private async takeLock(path: string, what: string, code: string, busy: string): Promise<RunLock> {
    const me: LockFile = {
      pid: process.pid,
      hostname: this.probe.hostname ?? hostname(),
      token: randomBytes(8).toString('hex'),
      at: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const handle = await open(path, 'wx');
        try {
          await handle.writeFile(JSON.stringify(me));
          await handle.sync();
        } finally {
          await handle.close();
        }
        return this.lockHandle(path, me);
      } catch (err) {
        if (errnoCode(err) !== 'EEXIST') throw await describeFsError(err, path, 'create the lock');
      }
      const holder = await this.readLock(path);
      const mtime = await stat(path).then(
        (s) => s.mtimeMs,
        () => undefined,
      );
      if (mtime === undefined) continue; // released meanwhile
      const beatAge = Date.now() - mtime;
      const alive = holder
        ? holder.hostname === me.hostname && this.probe.isAlive
          ? this.probe.isAlive(holder.pid)
          : beatAge <= (this.probe.staleMs ?? STALE_MS)
        : beatAge <= 5_000; // a lock being written this instant
      if (alive) {
        const who = holder ? `pid ${holder.pid} on ${holder.hostname}` : 'another process';
        throw new PaperlabError(
          code,
          `${what} is in use by ${who} (lock taken ${holder?.at ?? 'just now'}, last heartbeat ` +
            `${Math.round(beatAge / 1000)} s ago): ${busy}. Wait for it to end, or stop ` +
            `it first${holder ? ` (Ctrl-C there, or kill ${holder.pid})` : ''}.`,
        );
      }
      // The holder is gone: move its lock aside, then make sure it was that lock and not a fresh one.
      const aside = `${path}.${randomBytes(4).toString('hex')}.stale`;
      try {
        await rename(path, aside);
      } catch (err) {
        if (isMissing(err)) continue;
        throw await describeFsError(err, path, 'take over the lock');
      }
      const moved = await this.readLock(aside);
      if (holder && moved && moved.token !== holder.token) await link(aside, path).catch(() => {});
      await rm(aside, { force: true });
    }
    throw new PaperlabError(code, `${what}: could not take its lock (${path}); try again.`);
  }

  private lockHandle(path: string, me: LockFile): RunLock {
    return {
      refresh: async () => {
        const now = new Date();
        await utimes(path, now, now).catch(() => {});
      },
      release: async () => {
        const held = await this.readLock(path);
        if (held?.token === me.token) await unlink(path).catch(() => {});
      },
    };
  }

  /**
   * Marks a running run `interrupted`, synchronously (for a process about to exit on a second Ctrl-C or a
   * deadline, when no await will run again). Best effort: errors are swallowed.
   */
  markInterruptedSync(runId: string, reason: string): void {
    try {
      const path = join(this.dir(runId), 'run.json');
      const header = parseExact(readFileSync(path, 'utf8')) as RunHeader;
      if (header.status !== 'running') return;
      const { live: _live, ...rest } = header;
      const now = new Date().toISOString();
      const done: RunHeader = {
        ...rest,
        status: 'interrupted',
        updatedAt: now,
        endedAt: now,
        error: { name: 'RunInterruptedError', message: `Run interrupted: ${reason}` },
      };
      const tmp = `${path}.${process.pid}.exit.tmp`;
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, `${stringifyExact(done, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
      const lockPath = join(this.dir(runId), LOCK);
      const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockFile>;
      if (lock.pid === process.pid) unlinkSync(lockPath);
    } catch {
      // Exiting anyway: the record then reads as crashed (its process is gone), which resume also accepts.
    }
  }

  async putFile(runId: string, path: string, data: Uint8Array | string): Promise<void> {
    await writeFileAtomic(this.file(runId, path), data);
  }

  async getFile(runId: string, path: string): Promise<Uint8Array | undefined> {
    const full = this.file(runId, path);
    try {
      return new Uint8Array(await readFile(full));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw await describeFsError(err, full, 'read');
    }
  }

  async listFiles(runId: string, dir = ''): Promise<string[]> {
    const root = this.dir(runId);
    const sub = dir.replace(/\/+$/, '');
    const start = sub ? this.file(runId, sub) : root;
    const out: string[] = [];
    const walk = async (d: string) => {
      let entries: Dirent[];
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = join(d, e.name);
        if (e.isDirectory()) await walk(full);
        else if (!e.name.endsWith('.tmp') && !e.name.endsWith('.stale') && !(d === root && e.name === LOCK))
          out.push(relative(root, full).split(sep).join('/'));
      }
    };
    await walk(start);
    return out.sort();
  }

  /** Absolute path of a file in a run (for reports that link SVGs). */
  pathOf(runId: string, path = ''): string {
    return path ? this.file(runId, path) : this.dir(runId);
  }
}
