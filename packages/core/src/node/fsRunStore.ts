import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { MetricRow, RunHeader, RunResult } from '../runs/record.js';
import type { RunStore } from '../runs/store.js';

/** Writes a file atomically: temp file in the same directory, then rename (never a half-written file). */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs on disk: `<root>/<runId>/{run.json, metrics.jsonl, result.json, plots/, checkpoints/, artifacts/}`. */
export class FsRunStore implements RunStore {
  readonly location: string;

  /** `root` defaults to `.paperlab/runs` under the current directory. */
  constructor(root = join(process.cwd(), '.paperlab', 'runs')) {
    this.location = resolve(root);
  }

  private dir(runId: string): string {
    if (!/^[\w.-]+$/.test(runId)) throw new Error(`Invalid run id '${runId}'`);
    return join(this.location, runId);
  }

  private file(runId: string, path: string): string {
    const full = resolve(this.dir(runId), path);
    if (!full.startsWith(this.dir(runId) + sep)) throw new Error(`Path '${path}' escapes run ${runId}`);
    return full;
  }

  async writeHeader(header: RunHeader): Promise<void> {
    await writeFileAtomic(join(this.dir(header.id), 'run.json'), `${JSON.stringify(header, null, 2)}\n`);
  }

  async readHeader(runId: string): Promise<RunHeader> {
    const path = join(this.dir(runId), 'run.json');
    try {
      return JSON.parse(await readFile(path, 'utf8')) as RunHeader;
    } catch (err) {
      throw new Error(`Cannot read run ${runId} (${path}): ${(err as Error).message}`);
    }
  }

  async appendMetrics(runId: string, rows: MetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    const path = join(this.dir(runId), 'metrics.jsonl');
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  async readMetrics(runId: string): Promise<MetricRow[]> {
    let text: string;
    try {
      text = await readFile(join(this.dir(runId), 'metrics.jsonl'), 'utf8');
    } catch {
      return [];
    }
    const rows: MetricRow[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        rows.push(JSON.parse(line) as MetricRow);
      } catch {
        // A torn last line from a crash mid-append: skip it.
      }
    }
    return rows;
  }

  async writeResult(runId: string, result: RunResult): Promise<void> {
    await writeFileAtomic(join(this.dir(runId), 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  }

  async readResult(runId: string): Promise<RunResult | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir(runId), 'result.json'), 'utf8')) as RunResult;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<RunHeader[]> {
    let names: string[];
    try {
      names = await readdir(this.location);
    } catch {
      return [];
    }
    const headers: RunHeader[] = [];
    for (const name of names) {
      if (!(await exists(join(this.location, name, 'run.json')))) continue;
      try {
        headers.push(await this.readHeader(name));
      } catch {
        // Unreadable record: skip rather than break listing.
      }
    }
    return headers.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async putFile(runId: string, path: string, data: Uint8Array | string): Promise<void> {
    await writeFileAtomic(this.file(runId, path), data);
  }

  async getFile(runId: string, path: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.file(runId, path)));
    } catch {
      return undefined;
    }
  }

  async listFiles(runId: string, dir = ''): Promise<string[]> {
    const root = this.dir(runId);
    const start = dir ? this.file(runId, dir) : root;
    const out: string[] = [];
    const walk = async (d: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = join(d, e.name);
        if (e.isDirectory()) await walk(full);
        else if (!e.name.endsWith('.tmp')) out.push(relative(root, full).split(sep).join('/'));
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
