import { PaperlabError } from '@paperlab/core';
import type { MetricRow, RunHeader, RunResult, RunStore } from '@paperlab/core/runs';
import type { IdbRunStore } from './idbRunStore.js';

/** Where a run of the history lives. */
export type RunSource = 'browser' | 'cli';

/**
 * The browser's own runs (IndexedDB) and, under `paperlab ui`, the CLI's run store (read-only) as one store:
 * reads try the browser first, `list` merges both (a run imported into the browser is listed once), and every
 * write goes to the browser.
 */
export class RunSources implements RunStore {
  readonly location: string;

  constructor(
    readonly browser: IdbRunStore,
    readonly cli?: RunStore | undefined,
  ) {
    this.location = cli ? `${browser.location} and ${cli.location}` : browser.location;
  }

  /** Which store holds the run (the browser's when both do). */
  async sourceOf(runId: string): Promise<RunSource> {
    if (!this.cli) return 'browser';
    return (await this.browser.readHeader(runId).then(
      () => true,
      () => false,
    ))
      ? 'browser'
      : 'cli';
  }

  private async from(runId: string): Promise<RunStore> {
    return (await this.sourceOf(runId)) === 'browser' ? this.browser : this.cli!;
  }

  /** Every run, newest first, each with where it lives. */
  async listWithSource(): Promise<Array<{ header: RunHeader; source: RunSource }>> {
    const own = (await this.browser.list()).map((header) => ({ header, source: 'browser' as const }));
    if (!this.cli) return own;
    const ids = new Set(own.map((r) => r.header.id));
    const cli = (await this.cli.list())
      .filter((h) => !ids.has(h.id))
      .map((header) => ({ header, source: 'cli' as const }));
    return [...own, ...cli].sort(
      (a, b) =>
        b.header.createdAt.localeCompare(a.header.createdAt) || b.header.id.localeCompare(a.header.id),
    );
  }

  async list(): Promise<RunHeader[]> {
    return (await this.listWithSource()).map((r) => r.header);
  }
  async readHeader(runId: string): Promise<RunHeader> {
    try {
      return await this.browser.readHeader(runId);
    } catch (err) {
      if (!this.cli || (err as PaperlabError).code !== 'E_NO_RUN') throw err;
      return this.cli.readHeader(runId);
    }
  }
  async readResult(runId: string): Promise<RunResult | undefined> {
    return (await this.from(runId)).readResult(runId);
  }
  async readMetrics(runId: string): Promise<MetricRow[]> {
    return (await this.from(runId)).readMetrics(runId);
  }
  async getFile(runId: string, path: string): Promise<Uint8Array | undefined> {
    return (await this.from(runId)).getFile(runId, path);
  }
  async listFiles(runId: string, dir?: string): Promise<string[]> {
    return (await this.from(runId)).listFiles(runId, dir);
  }
  writeHeader(header: RunHeader): Promise<void> {
    return this.browser.writeHeader(header);
  }
  appendMetrics(runId: string, rows: MetricRow[]): Promise<void> {
    return this.browser.appendMetrics(runId, rows);
  }
  writeResult(runId: string, result: RunResult): Promise<void> {
    return this.browser.writeResult(runId, result);
  }
  putFile(runId: string, path: string, data: Uint8Array | string): Promise<void> {
    return this.browser.putFile(runId, path, data);
  }
  /** Deletes a browser run; a CLI run is refused (it is the CLI's to delete). */
  async deleteRun(runId: string): Promise<void> {
    if ((await this.sourceOf(runId)) === 'cli')
      throw new PaperlabError('E_STORE', `Run ${runId} is in the CLI's store; delete it there.`);
    await this.browser.deleteRun(runId);
  }
  atomically<T>(fn: (store: RunStore) => Promise<T>, options: { replacing?: string } = {}): Promise<T> {
    return this.browser.atomically(fn, options);
  }
}
