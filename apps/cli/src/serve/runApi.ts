import { isSafeRunId, type RunStore, stringifyExact, unsafePathReason } from '@paperlab/core/runs';
import { checkedFileSize } from './fileCheck.js';

/** Largest file `paperlab ui` hands out (plots, artifacts, metrics.jsonl): 32 MiB. */
export const MAX_API_FILE_BYTES = 32 * 1024 * 1024;

/** Run folders whose files the API serves (checkpoints stay on disk). */
const FILE_ROOTS = ['plots', 'artifacts'] as const;

/** One answer of the run API. */
export interface ApiResponse {
  status: number;
  type: string;
  body: string | Uint8Array;
}

/** The store a {@link runApi} reads: a run store with paths on disk (FsRunStore). */
export type DiskRunStore = RunStore & { pathOf(runId: string, path?: string): string };

const json = (status: number, value: unknown): ApiResponse => ({
  status,
  type: 'application/json; charset=utf-8',
  body: stringifyExact(value),
});
const problem = (status: number, message: string) => json(status, { error: message });

/** The size of a run's file if it is a regular file inside the store (no symlink out) and small enough, else why not. */
const checkedSize = (store: DiskRunStore, runId: string, path: string) =>
  checkedFileSize(store.location, store.pathOf(runId, path), MAX_API_FILE_BYTES, 'the run store');

/**
 * The read-only JSON API of `paperlab ui` over a run store, for `GET` paths under `/api/`:
 * `info`; `runs` (every readable header, newest first); `runs/<id>/run.json`, `result.json`, `metrics.jsonl`
 * (as the store reads them: validated, NaN/±Infinity kept by stringifyExact); `runs/<id>/files?dir=plots`
 * (file list); `runs/<id>/plots/<file>` and `artifacts/<file>` (bytes, at most {@link MAX_API_FILE_BYTES}).
 * Run ids and paths are checked before the disk is touched; anything else is 400/404.
 */
export async function runApi(
  store: DiskRunStore,
  path: string,
  query: URLSearchParams,
  info: Record<string, unknown>,
): Promise<ApiResponse> {
  const parts = path.split('/');
  if (path === 'info') return json(200, { paperlab: 'ui', readOnly: true, store: store.location, ...info });
  if (path === 'runs') return json(200, { runs: await store.list() });
  if (parts[0] !== 'runs' || parts.length < 3) return problem(404, `No API route '/api/${path}'.`);
  const runId = parts[1]!;
  if (!isSafeRunId(runId)) return problem(400, `Invalid run id ${JSON.stringify(runId)}.`);
  const rest = parts.slice(2).join('/');
  try {
    if (rest === 'run.json') return json(200, await store.readHeader(runId));
    await store.readHeader(runId); // 404 for a run that does not exist, before any file is looked at.
    if (rest === 'result.json') {
      const result = await store.readResult(runId);
      return result ? json(200, result) : problem(404, `Run '${runId}' has no result yet.`);
    }
    if (rest === 'metrics.jsonl') {
      const size = await checkedSize(store, runId, 'metrics.jsonl');
      if (typeof size === 'string' && size !== 'not found') return problem(413, `metrics.jsonl is ${size}.`);
      const rows = await store.readMetrics(runId);
      return {
        status: 200,
        type: 'application/x-ndjson; charset=utf-8',
        body: rows.map((r) => `${stringifyExact(r)}\n`).join(''),
      };
    }
    if (rest === 'files') {
      const dir = query.get('dir') ?? '';
      if (!(FILE_ROOTS as readonly string[]).includes(dir))
        return problem(400, `dir must be one of ${FILE_ROOTS.join(', ')}.`);
      return json(200, { files: await store.listFiles(runId, dir) });
    }
    const why = unsafePathReason(rest, FILE_ROOTS);
    if (why) return problem(400, `Invalid file path ${JSON.stringify(rest)}: ${why}.`);
    const size = await checkedSize(store, runId, rest);
    if (typeof size === 'string') return problem(size === 'not found' ? 404 : 403, `${rest}: ${size}.`);
    const bytes = await store.getFile(runId, rest);
    if (!bytes) return problem(404, `${rest}: not found.`);
    return { status: 200, type: fileType(rest), body: bytes };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const status = code === 'E_NO_RUN' ? 404 : code === 'E_RUN_ID' || code === 'E_RUN_PATH' ? 400 : 500;
    return problem(status, (err as Error).message);
  }
}

const TYPES: Record<string, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Content type by extension; anything unknown is served as bytes. */
function fileType(path: string): string {
  return TYPES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}
