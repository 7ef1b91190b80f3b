import { PaperlabError, UnknownIdError } from '../util/errors.js';
import { parseExact, stringifyExact } from './jsonCodec.js';
import type { MetricRow, RunBundle, RunHeader, RunResult } from './record.js';
import { CorruptRecordError, checkBundle } from './schemas.js';

/** An exclusive claim on a run (one process runs or resumes it at a time). */
export interface RunLock {
  /** Marks the holder alive (called with each heartbeat). */
  refresh(): Promise<void>;
  /** Gives the run up (only if this lock still holds it). */
  release(): Promise<void>;
}

/** A run whose record cannot be read, with the file and what is wrong. */
export interface CorruptRecord {
  /** The run's id (its directory name). */
  id: string;
  /** The unreadable file, e.g. `/…/runs/<id>/result.json`. */
  file: string;
  /** What is wrong with it. */
  problem: string;
  /** The run's header when run.json itself is fine (e.g. only result.json is corrupt). */
  header?: RunHeader;
}

/** Every run of a store: the readable ones (newest first) and the corrupt ones. */
export interface StoreScan {
  runs: RunHeader[];
  corrupt: CorruptRecord[];
  /** Things worth knowing that do not make a record corrupt (torn metrics lines, leftover temp files). */
  notes: string[];
}

/** Persistence of runs. Header, result and files are written atomically. */
export interface RunStore {
  /** Human-readable location (directory, database name). */
  readonly location: string;
  writeHeader(header: RunHeader): Promise<void>;
  /** The run's header; a record that does not validate throws `CorruptRecordError` naming the file. */
  readHeader(runId: string): Promise<RunHeader>;
  appendMetrics(runId: string, rows: MetricRow[]): Promise<void>;
  /** Rows in order; a torn last line (crash mid-append) is skipped. */
  readMetrics(runId: string): Promise<MetricRow[]>;
  writeResult(runId: string, result: RunResult): Promise<void>;
  /** The result, or `undefined` when the run has none yet; an unreadable one throws `CorruptRecordError`. */
  readResult(runId: string): Promise<RunResult | undefined>;
  /** Every run with a readable header, newest first (corrupt records are left out: see {@link scanStore}). */
  list(): Promise<RunHeader[]>;
  /** Writes a file under the run (e.g. `plots/x.svg`, `checkpoints/a.ckpt`). */
  putFile(runId: string, path: string, data: Uint8Array | string): Promise<void>;
  getFile(runId: string, path: string): Promise<Uint8Array | undefined>;
  /** Files under a directory of the run, relative to the run root. */
  listFiles(runId: string, dir?: string): Promise<string[]>;
  /**
   * Every run, readable and corrupt; `results: false` skips validating result.json (faster), `deep` also
   * checks metrics and cached cells. Optional.
   */
  scan?(options?: { deep?: boolean; results?: boolean }): Promise<StoreScan>;
  /** Takes the run's exclusive lock or throws `E_RUN_LOCKED` naming the live holder. Optional. */
  lock?(runId: string): Promise<RunLock>;
  /**
   * Takes the exclusive lock of a job (one process does a job at a time, so a job handed out twice is still
   * run once into this store) or throws `E_JOB_LOCKED` naming the live holder. Optional.
   */
  lockJob?(jobId: string): Promise<RunLock>;
  /** Creates a new run all-or-nothing: `fn` writes into a staging store, then the run appears at once. Optional. */
  createAtomically?(runId: string, fn: (staging: RunStore) => Promise<void>): Promise<void>;
  /** Moves a run's record out of the store (never deletes it); resolves to where it went. Optional. */
  quarantine?(runId: string): Promise<string>;
}

/** Every run of a store, readable and corrupt (stores without `scan` only know readable runs). */
export async function scanStore(
  store: RunStore,
  options: { deep?: boolean; results?: boolean } = {},
): Promise<StoreScan> {
  if (store.scan) return store.scan(options);
  return { runs: await store.list(), corrupt: [], notes: [] };
}

/** Resolves `latest`, a full id or a unique id prefix to a run id; a corrupt record is named as such. */
export async function resolveRunId(store: RunStore, ref: string): Promise<string> {
  // Headers only: a corrupt result.json is reported when the run's result is read.
  const { runs, corrupt } = await scanStore(store, { results: false });
  const corruptError = (c: CorruptRecord) => new CorruptRecordError(c.id, c.file, c.problem);
  const exactBad = corrupt.find((c) => c.id === ref);
  if (exactBad) throw corruptError(exactBad);
  if (runs.length === 0) {
    throw new PaperlabError(
      'E_NO_RUNS',
      corrupt.length
        ? `No readable runs in ${store.location} (${corrupt.length} corrupt: run 'paperlab doctor').`
        : `No runs in ${store.location} yet.`,
    );
  }
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
  const badMatches = corrupt.filter((c) => c.id.startsWith(ref) || c.id.endsWith(ref));
  if (badMatches.length === 1) throw corruptError(badMatches[0]!);
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

/** Validates a whole bundle (header, result, metrics rows, file paths and contents), with a clear error. */
export function parseBundle(value: unknown): RunBundle {
  return checkBundle(value);
}

/** A bundle as JSON text in which NaN/±Infinity survive (read it with {@link readBundle}). */
export function stringifyBundle(bundle: RunBundle): string {
  return stringifyExact(bundle);
}

/** Parses and validates bundle text written by {@link stringifyBundle} or by plain `JSON.stringify`. */
export function readBundle(text: string): RunBundle {
  let value: unknown;
  try {
    value = parseExact(text);
  } catch (err) {
    throw new PaperlabError('E_BUNDLE', `Not a paperlab run bundle: not JSON (${(err as Error).message})`);
  }
  return checkBundle(value);
}

/**
 * Writes a bundle into a store as a new run (the run keeps its id). Everything is validated first (ids, file
 * paths, header, result, metrics, base64), then the run is written all-or-nothing where the store can
 * (`createAtomically`): a refused bundle writes nothing.
 */
export async function importRun(store: RunStore, bundle: RunBundle): Promise<string> {
  const b = checkBundle(bundle);
  const { live: _live, ...rest } = b.header;
  const header: RunHeader =
    rest.status === 'running' || rest.status === 'crashed' ? { ...rest, status: 'interrupted' } : rest;
  const files = Object.entries(b.files).map(([path, data]) => {
    try {
      return [path, fromBase64(data)] as const;
    } catch {
      throw new PaperlabError(
        'E_BUNDLE',
        `File ${path} in the bundle is not valid base64; nothing was imported.`,
      );
    }
  });
  const write = async (s: RunStore) => {
    await s.writeHeader(header);
    if (b.metrics.length) await s.appendMetrics(header.id, b.metrics);
    if (b.result) await s.writeResult(header.id, b.result);
    for (const [path, data] of files) await s.putFile(header.id, path, data);
  };
  if (store.createAtomically) await store.createAtomically(header.id, write);
  else await write(store);
  return header.id;
}
