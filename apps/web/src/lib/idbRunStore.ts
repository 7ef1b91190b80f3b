import { PaperlabError } from '@paperlab/core';
import type { MetricRow, RunHeader, RunResult, RunStore } from '@paperlab/core/runs';

const VERSION = 2;
const HEADERS = 'headers';
const RESULTS = 'results';
const METRICS = 'metrics';
const FILES = 'files';
/** Tags and notes, keyed by run id: for the browser's runs and, kept here too, for runs `paperlab ui` serves. */
const NOTES = 'notes';
const ALL = [HEADERS, RESULTS, METRICS, FILES, NOTES];

/** A run's tags and free-text note (this browser's own annotations; not part of the run record or bundles). */
export interface RunNotes {
  tags: string[];
  note: string;
}

/** Longest note kept (characters), most tags per run, longest tag. */
export const NOTE_LIMITS = { note: 4000, tags: 20, tag: 40 } as const;

/** Tags as typed (comma- or space-separated) → trimmed, lower-case, unique, bounded; `#` prefixes dropped. */
export function normaliseTags(text: string): string[] {
  const tags = text
    .split(/[\s,]+/)
    .map((t) => t.replace(/^#+/, '').trim().toLowerCase().slice(0, NOTE_LIMITS.tag))
    .filter(Boolean);
  return [...new Set(tags)].slice(0, NOTE_LIMITS.tags);
}

/** One queued write: runs inside a transaction spanning every store. */
type Op = (tx: IDBTransaction) => void;

interface FileRecord {
  runId: string;
  path: string;
  data: Uint8Array;
}

interface MetricsRecord {
  runId: string;
  rows: MetricRow[];
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function checkPath(path: string): void {
  if (!path || path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '')) {
    throw new PaperlabError('E_STORE', `Invalid run file path '${path}'`);
  }
}

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
}

/** Writes as operations, so several of them can share one transaction. */
const write = {
  header:
    (header: RunHeader): Op =>
    (tx) =>
      tx.objectStore(HEADERS).put(header),
  metrics:
    (runId: string, rows: MetricRow[]): Op =>
    (tx) =>
      tx.objectStore(METRICS).add({ runId, rows } satisfies MetricsRecord),
  result:
    (runId: string, result: RunResult): Op =>
    (tx) =>
      tx.objectStore(RESULTS).put(result, runId),
  file:
    (runId: string, path: string, data: Uint8Array): Op =>
    (tx) =>
      tx.objectStore(FILES).put({ runId, path, data } satisfies FileRecord),
};

/** Deletes everything of a run. Its metric keys are read before any later write of the same transaction. */
const remove =
  (runId: string): Op =>
  (tx) => {
    tx.objectStore(HEADERS).delete(runId);
    tx.objectStore(RESULTS).delete(runId);
    tx.objectStore(NOTES).delete(runId);
    tx.objectStore(FILES).delete(IDBKeyRange.bound([runId, ''], [runId, '\uffff']));
    const metrics = tx.objectStore(METRICS);
    const keys = metrics.index('runId').getAllKeys(IDBKeyRange.only(runId));
    keys.onsuccess = () => {
      for (const key of keys.result) metrics.delete(key);
    };
  };

/**
 * The browser's run store: IndexedDB with the CLI's record schema (header = run.json, result =
 * result.json, metrics rows = metrics.jsonl, files = plots/, artifacts/, checkpoints/). Every write is one
 * IndexedDB transaction, so a closed tab or a crash never leaves half a record; {@link atomically} groups
 * several writes (e.g. a whole imported bundle) into one.
 */
export class IdbRunStore implements RunStore {
  readonly location: string;
  private db: Promise<IDBDatabase> | undefined;

  constructor(
    private readonly name = 'paperlab',
    private readonly factory: IDBFactory = globalThis.indexedDB,
  ) {
    this.location = `IndexedDB '${name}'`;
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      if (!this.factory) {
        reject(new PaperlabError('E_STORE', 'IndexedDB is not available here (private mode?)'));
        return;
      }
      const r = this.factory.open(this.name, VERSION);
      r.onupgradeneeded = () => {
        const db = r.result;
        if (!db.objectStoreNames.contains(HEADERS)) db.createObjectStore(HEADERS, { keyPath: 'id' });
        if (!db.objectStoreNames.contains(RESULTS)) db.createObjectStore(RESULTS);
        if (!db.objectStoreNames.contains(METRICS))
          db.createObjectStore(METRICS, { autoIncrement: true }).createIndex('runId', 'runId');
        if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES, { keyPath: ['runId', 'path'] });
        if (!db.objectStoreNames.contains(NOTES)) db.createObjectStore(NOTES);
      };
      r.onsuccess = () => {
        const db = r.result;
        // Another tab upgrading the schema must not be blocked by this connection.
        db.onversionchange = () => {
          db.close();
          this.db = undefined;
        };
        resolve(db);
      };
      r.onerror = () => reject(r.error);
      r.onblocked = () => reject(new PaperlabError('E_STORE', `${this.location} is blocked by another tab`));
    });
    return this.db;
  }

  /** Runs the operations in one readwrite transaction; resolves once it has committed. */
  private async commit(ops: Op[]): Promise<void> {
    if (ops.length === 0) return;
    const db = await this.open();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(ALL, 'readwrite');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new PaperlabError('E_STORE', 'transaction aborted'));
      try {
        for (const op of ops) op(tx);
      } catch (err) {
        tx.abort();
        reject(err);
      }
    });
  }

  private async read<T>(store: string, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    return request(fn(db.transaction(store, 'readonly').objectStore(store)));
  }

  async writeHeader(header: RunHeader): Promise<void> {
    await this.commit([write.header(header)]);
  }

  async readHeader(runId: string): Promise<RunHeader> {
    const header = await this.read<RunHeader | undefined>(HEADERS, (s) => s.get(runId));
    if (!header) throw new PaperlabError('E_NO_RUN', `No run '${runId}' in ${this.location}`);
    return header;
  }

  async appendMetrics(runId: string, rows: MetricRow[]): Promise<void> {
    if (rows.length) await this.commit([write.metrics(runId, rows)]);
  }

  async readMetrics(runId: string): Promise<MetricRow[]> {
    const records = await this.read<MetricsRecord[]>(METRICS, (s) => s.index('runId').getAll(runId));
    return records.flatMap((r) => r.rows);
  }

  async writeResult(runId: string, result: RunResult): Promise<void> {
    await this.commit([write.result(runId, result)]);
  }

  async readResult(runId: string): Promise<RunResult | undefined> {
    return this.read<RunResult | undefined>(RESULTS, (s) => s.get(runId));
  }

  async list(): Promise<RunHeader[]> {
    const all = await this.read<RunHeader[]>(HEADERS, (s) => s.getAll());
    return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async putFile(runId: string, path: string, data: Uint8Array | string): Promise<void> {
    checkPath(path);
    await this.commit([write.file(runId, path, bytesOf(data))]);
  }

  async getFile(runId: string, path: string): Promise<Uint8Array | undefined> {
    const record = await this.read<FileRecord | undefined>(FILES, (s) => s.get([runId, path]));
    return record?.data;
  }

  async listFiles(runId: string, dir = ''): Promise<string[]> {
    const prefix = dir ? `${dir.replace(/\/$/, '')}/` : '';
    const range = IDBKeyRange.bound([runId, prefix], [runId, `${prefix}\uffff`]);
    const keys = await this.read<IDBValidKey[]>(FILES, (s) => s.getAllKeys(range));
    return keys.map((k) => (k as [string, string])[1]);
  }

  /** The run's tags and note (empty when it has none). */
  async readNotes(runId: string): Promise<RunNotes> {
    return (await this.read<RunNotes | undefined>(NOTES, (s) => s.get(runId))) ?? { tags: [], note: '' };
  }

  /** Every annotated run's tags and note, by run id. */
  async allNotes(): Promise<Map<string, RunNotes>> {
    const db = await this.open();
    const store = db.transaction(NOTES, 'readonly').objectStore(NOTES);
    const [keys, values] = await Promise.all([
      request(store.getAllKeys()),
      request(store.getAll() as IDBRequest<RunNotes[]>),
    ]);
    return new Map(keys.map((k, i) => [String(k), values[i]!]));
  }

  /** Sets the run's tags (normalised, see {@link normaliseTags}) and note (bounded); both empty removes them. */
  async writeNotes(runId: string, notes: RunNotes): Promise<void> {
    const tags = normaliseTags(notes.tags.join(' '));
    const note = notes.note.slice(0, NOTE_LIMITS.note);
    await this.commit([
      (tx) =>
        tags.length || note.trim()
          ? tx.objectStore(NOTES).put({ tags, note } satisfies RunNotes, runId)
          : tx.objectStore(NOTES).delete(runId),
    ]);
  }

  /** Deletes a run and everything under it, in one transaction. */
  async deleteRun(runId: string): Promise<void> {
    await this.commit([remove(runId)]);
  }

  /**
   * Runs `fn` against a view of this store whose writes are held back and then committed in ONE
   * transaction: all of them land, or none (e.g. `store.atomically((s) => importRun(s, bundle))`).
   * Reads inside `fn` see the store as it was before. `replacing` deletes that run first, in the same
   * transaction (re-importing a run must not append its metrics twice).
   */
  async atomically<T>(fn: (store: RunStore) => Promise<T>, options: { replacing?: string } = {}): Promise<T> {
    const ops: Op[] = options.replacing ? [remove(options.replacing)] : [];
    const view: RunStore = {
      location: this.location,
      writeHeader: async (h) => void ops.push(write.header(structuredClone(h))),
      appendMetrics: async (id, rows) =>
        void (rows.length && ops.push(write.metrics(id, structuredClone(rows)))),
      writeResult: async (id, r) => void ops.push(write.result(id, structuredClone(r))),
      putFile: async (id, path, data) => {
        checkPath(path);
        ops.push(write.file(id, path, bytesOf(data)));
      },
      readHeader: (id) => this.readHeader(id),
      readMetrics: (id) => this.readMetrics(id),
      readResult: (id) => this.readResult(id),
      list: () => this.list(),
      getFile: (id, path) => this.getFile(id, path),
      listFiles: (id, dir) => this.listFiles(id, dir),
    };
    const value = await fn(view);
    await this.commit(ops);
    return value;
  }

  /** Closes the connection (tests, page unload). */
  async close(): Promise<void> {
    if (this.db) (await this.db).close();
    this.db = undefined;
  }
}
