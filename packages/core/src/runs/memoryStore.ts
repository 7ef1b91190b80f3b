import { PaperlabError } from '../util/errors.js';
import type { MetricRow, RunHeader, RunResult } from './record.js';
import type { RunLock, RunStore } from './store.js';

/** A RunStore in memory (tests, ephemeral browser sessions). */
export class MemoryRunStore implements RunStore {
  readonly location = 'memory';
  private readonly headers = new Map<string, RunHeader>();
  private readonly metrics = new Map<string, MetricRow[]>();
  private readonly results = new Map<string, RunResult>();
  private readonly files = new Map<string, Map<string, Uint8Array>>();
  private readonly locks = new Set<string>();

  /** One holder per run within this store (a second `lock` is refused until the first is released). */
  async lock(runId: string): Promise<RunLock> {
    if (this.locks.has(runId))
      throw new PaperlabError('E_RUN_LOCKED', `Run ${runId} is in use (running or being resumed).`);
    this.locks.add(runId);
    let held = true;
    return {
      refresh: async () => {},
      release: async () => {
        if (held) this.locks.delete(runId);
        held = false;
      },
    };
  }

  async writeHeader(header: RunHeader): Promise<void> {
    this.headers.set(header.id, structuredClone(header));
  }
  async readHeader(runId: string): Promise<RunHeader> {
    const h = this.headers.get(runId);
    if (!h) throw new Error(`No run '${runId}' in memory store`);
    return structuredClone(h);
  }
  async appendMetrics(runId: string, rows: MetricRow[]): Promise<void> {
    const list = this.metrics.get(runId) ?? [];
    list.push(...rows.map((r) => ({ ...r })));
    this.metrics.set(runId, list);
  }
  async readMetrics(runId: string): Promise<MetricRow[]> {
    return (this.metrics.get(runId) ?? []).map((r) => ({ ...r }));
  }
  async writeResult(runId: string, result: RunResult): Promise<void> {
    this.results.set(runId, structuredClone(result));
  }
  async readResult(runId: string): Promise<RunResult | undefined> {
    const r = this.results.get(runId);
    return r ? structuredClone(r) : undefined;
  }
  async list(): Promise<RunHeader[]> {
    return [...this.headers.values()].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
  }
  async putFile(runId: string, path: string, data: Uint8Array | string): Promise<void> {
    const files = this.files.get(runId) ?? new Map<string, Uint8Array>();
    files.set(path, typeof data === 'string' ? new TextEncoder().encode(data) : data.slice());
    this.files.set(runId, files);
  }
  async getFile(runId: string, path: string): Promise<Uint8Array | undefined> {
    return this.files.get(runId)?.get(path)?.slice();
  }
  async listFiles(runId: string, dir = ''): Promise<string[]> {
    const prefix = dir ? `${dir.replace(/\/$/, '')}/` : '';
    return [...(this.files.get(runId)?.keys() ?? [])].filter((p) => p.startsWith(prefix)).sort();
  }
}
