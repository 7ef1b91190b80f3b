import { PaperlabError } from '@paperlab/core';
import {
  checkHeader,
  checkMetricRow,
  checkResult,
  isSafeRunId,
  type MetricRow,
  parseExact,
  type RunHeader,
  type RunResult,
  type RunStore,
} from '@paperlab/core/runs';

/** Folders of a run that `paperlab ui` serves. */
const DIRS = ['plots', 'artifacts'];

/** What `GET /api/info` of `paperlab ui` answers. */
export interface UiInfo {
  paperlab: 'ui';
  readOnly: boolean;
  /** The run store's directory on the computer running `paperlab ui`. */
  store: string;
}

function readOnly(): never {
  throw new PaperlabError(
    'E_STORE',
    "Runs served by 'paperlab ui' are read-only here; change them with the CLI.",
  );
}

/**
 * The CLI's run store as `paperlab ui` serves it (apps/cli/src/serve/runApi.ts): read-only, every record checked
 * with core's schemas as the CLI reads it, NaN/±Infinity kept.
 */
export class HttpRunStore implements RunStore {
  readonly location: string;

  constructor(
    private readonly base: string,
    info: UiInfo,
    private readonly fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {
    this.location = `paperlab ui (${info.store})`;
  }

  /** The store behind `base` (…/api/), or undefined when the page is not served by `paperlab ui`. */
  static async connect(
    base: string,
    fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
  ): Promise<HttpRunStore | undefined> {
    try {
      const res = await fetchFn(new URL('info', base));
      if (!res.ok || !res.headers.get('content-type')?.includes('application/json')) return undefined;
      const info = (await res.json()) as UiInfo;
      return info?.paperlab === 'ui' ? new HttpRunStore(base, info, fetchFn) : undefined;
    } catch {
      return undefined;
    }
  }

  private async get(path: string): Promise<Response | undefined> {
    const res = await this.fetchFn(new URL(path, this.base));
    if (res.status === 404) return undefined;
    if (!res.ok) {
      const text = await res.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {}
      throw new PaperlabError('E_STORE', `${this.location}: ${message}`);
    }
    return res;
  }

  private runPath(runId: string, file: string): string {
    if (!isSafeRunId(runId)) throw new PaperlabError('E_RUN_ID', `Invalid run id ${JSON.stringify(runId)}`);
    return `runs/${encodeURIComponent(runId)}/${file}`;
  }

  async list(): Promise<RunHeader[]> {
    const res = await this.get('runs');
    const { runs } = parseExact(await res!.text()) as { runs: unknown[] };
    return runs.map((h) => checkHeader(h, (h as { id: string }).id));
  }

  async readHeader(runId: string): Promise<RunHeader> {
    const res = await this.get(this.runPath(runId, 'run.json'));
    if (!res) throw new PaperlabError('E_NO_RUN', `No run '${runId}' in ${this.location}`);
    return checkHeader(parseExact(await res.text()), runId);
  }

  async readResult(runId: string): Promise<RunResult | undefined> {
    const res = await this.get(this.runPath(runId, 'result.json'));
    return res ? checkResult(parseExact(await res.text()), runId) : undefined;
  }

  async readMetrics(runId: string): Promise<MetricRow[]> {
    const res = await this.get(this.runPath(runId, 'metrics.jsonl'));
    if (!res) return [];
    return (await res.text())
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => checkMetricRow(parseExact(l), runId));
  }

  async listFiles(runId: string, dir = ''): Promise<string[]> {
    const sub = dir.replace(/\/+$/, '');
    const dirs = sub ? (DIRS.includes(sub) ? [sub] : []) : DIRS;
    const out: string[] = [];
    for (const d of dirs) {
      const res = await this.get(`${this.runPath(runId, 'files')}?dir=${d}`);
      if (res) out.push(...((await res.json()) as { files: string[] }).files);
    }
    return out;
  }

  async getFile(runId: string, path: string): Promise<Uint8Array | undefined> {
    const res = await this.get(this.runPath(runId, path.split('/').map(encodeURIComponent).join('/')));
    return res ? new Uint8Array(await res.arrayBuffer()) : undefined;
  }

  async writeHeader(): Promise<void> {
    readOnly();
  }
  async appendMetrics(): Promise<void> {
    readOnly();
  }
  async writeResult(): Promise<void> {
    readOnly();
  }
  async putFile(): Promise<void> {
    readOnly();
  }
}
