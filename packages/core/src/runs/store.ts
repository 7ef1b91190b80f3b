import { PaperlabError, UnknownIdError } from '../util/errors.js';
import type { MetricRow, RunBundle, RunHeader, RunResult } from './record.js';

/** Persistence of runs. Header, result and files are written atomically. */
export interface RunStore {
  /** Human-readable location (directory, database name). */
  readonly location: string;
  writeHeader(header: RunHeader): Promise<void>;
  readHeader(runId: string): Promise<RunHeader>;
  appendMetrics(runId: string, rows: MetricRow[]): Promise<void>;
  /** Rows in order; a torn last line (crash mid-append) is skipped. */
  readMetrics(runId: string): Promise<MetricRow[]>;
  writeResult(runId: string, result: RunResult): Promise<void>;
  readResult(runId: string): Promise<RunResult | undefined>;
  /** Every run header, newest first. */
  list(): Promise<RunHeader[]>;
  /** Writes a file under the run (e.g. `plots/x.svg`, `checkpoints/a.ckpt`). */
  putFile(runId: string, path: string, data: Uint8Array | string): Promise<void>;
  getFile(runId: string, path: string): Promise<Uint8Array | undefined>;
  /** Files under a directory of the run, relative to the run root. */
  listFiles(runId: string, dir?: string): Promise<string[]>;
}

/** Resolves `latest`, a full id or a unique id prefix to a run id. */
export async function resolveRunId(store: RunStore, ref: string): Promise<string> {
  const runs = await store.list();
  if (runs.length === 0) throw new PaperlabError('E_NO_RUNS', `No runs in ${store.location} yet.`);
  if (ref === 'latest' || ref === 'last') return runs[0]!.id;
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact.id;
  const matches = runs.filter((r) => r.id.startsWith(ref) || r.id.endsWith(ref));
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1) {
    throw new PaperlabError(
      'E_AMBIGUOUS_RUN',
      `Run '${ref}' is ambiguous: ${matches
        .slice(0, 5)
        .map((r) => r.id)
        .join(', ')}`,
    );
  }
  throw new UnknownIdError(
    'run',
    ref,
    runs.map((r) => r.id),
  );
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Packs a run (header, result, metrics, plots and artifacts; no checkpoints) into one JSON bundle. */
export async function exportRun(store: RunStore, runId: string): Promise<RunBundle> {
  const header = await store.readHeader(runId);
  const result = await store.readResult(runId);
  const metrics = await store.readMetrics(runId);
  const files: Record<string, string> = {};
  for (const dir of ['plots', 'artifacts']) {
    for (const path of await store.listFiles(runId, dir)) {
      const data = await store.getFile(runId, path);
      if (data) files[path] = toBase64(data);
    }
  }
  const bundle: RunBundle = { format: 'paperlab.bundle/1', header, metrics, files };
  if (result) bundle.result = result;
  return bundle;
}

/** Validates a bundle's shape, with a clear error for anything else. */
export function parseBundle(value: unknown): RunBundle {
  const b = value as Partial<RunBundle> | null;
  if (!b || typeof b !== 'object' || b.format !== 'paperlab.bundle/1') {
    throw new PaperlabError(
      'E_BUNDLE',
      `Not a paperlab run bundle (expected "format": "paperlab.bundle/1", got ${JSON.stringify(b?.format)})`,
    );
  }
  if (!b.header || typeof b.header.id !== 'string' || typeof b.header.experiment !== 'string') {
    throw new PaperlabError(
      'E_BUNDLE',
      'Run bundle has no valid header (header.id and header.experiment are required)',
    );
  }
  return {
    format: b.format,
    header: b.header,
    metrics: b.metrics ?? [],
    files: b.files ?? {},
    ...(b.result ? { result: b.result } : {}),
  };
}

/** Writes a bundle into a store (the run keeps its id). */
export async function importRun(store: RunStore, bundle: RunBundle): Promise<string> {
  const b = parseBundle(bundle);
  const header = b.header.status === 'running' ? { ...b.header, status: 'interrupted' as const } : b.header;
  await store.writeHeader(header);
  if (b.metrics.length) await store.appendMetrics(header.id, b.metrics);
  if (b.result) await store.writeResult(header.id, b.result);
  for (const [path, data] of Object.entries(b.files)) {
    if (path.includes('..') || path.startsWith('/'))
      throw new PaperlabError('E_BUNDLE', `Unsafe file path in bundle: ${path}`);
    await store.putFile(header.id, path, fromBase64(data));
  }
  return header.id;
}
