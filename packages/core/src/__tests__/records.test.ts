import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsRunStore } from '../node/fsRunStore.js';
import { parseExact, stringifyExact } from '../runs/jsonCodec.js';
import { MemoryRunStore } from '../runs/memoryStore.js';
import type { RunBundle, RunHeader, RunResult } from '../runs/record.js';
import { CorruptRecordError, isSafeRunId, unsafePathReason } from '../runs/schemas.js';
import {
  exportRun,
  importRun,
  parseBundle,
  readBundle,
  resolveRunId,
  stringifyBundle,
} from '../runs/store.js';
import { sampleRunHeader } from '../testing/records.js';

const header = (
  id: string,
  createdAt = '2026-01-01T00:00:00.000Z',
  status: RunHeader['status'] = 'completed',
): RunHeader => sampleRunHeader(id, createdAt, { status });

const result: RunResult = {
  scalars: { a: 1.5, nan: Number.NaN, inf: Number.POSITIVE_INFINITY },
  claims: [{ id: 'c', statement: 's', verdict: 'reproduced', measured: 'm', expected: 'e' }],
  summary: { reproduced: 1, notReproduced: 0, inconclusive: 0, total: 1 },
};

/** Every file under a directory, with its size, for "nothing was written" checks. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out.push(`${rel}${e.name}/`);
        await walk(p, `${rel}${e.name}/`);
      } else out.push(`${rel}${e.name} ${(await stat(p)).size}`);
    }
  };
  await walk(dir, '');
  return out.sort();
}

describe('exact JSON codec', () => {
  it('round-trips NaN, ±Infinity and −0 bit for bit, anywhere in the value', () => {
    const value = {
      a: Number.NaN,
      b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1.5, 0.1 + 0.2],
      c: 'NaN',
      nested: { x: Number.NaN, y: null, z: [{ w: -0 }] },
    };
    const back = parseExact(stringifyExact(value)) as typeof value;
    expect(Object.is(back.a, Number.NaN)).toBe(true);
    expect(back.b.map((v) => Object.is(v, value.b[back.b.indexOf(v)]))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(Object.is(back.b[2], -0)).toBe(true);
    expect(back.b[4]).toBe(0.1 + 0.2);
    expect(back.c).toBe('NaN');
    expect(back.nested.y).toBeNull();
    expect(Object.is(back.nested.z[0]!.w, -0)).toBe(true);
    expect(Object.is(back.nested.x, Number.NaN)).toBe(true);
    // Plain JSON would have given zeros and nulls: the resume bug this codec fixes.
    expect(JSON.parse(JSON.stringify(value)).b[0]).toBeNull();
  });

  it('writes plain JSON when there is nothing special, and reads old plain files as they are', () => {
    const plain = { a: 1, b: [1, 2], c: { d: 'x' } };
    expect(stringifyExact(plain)).toBe(JSON.stringify(plain));
    expect(parseExact('{"a":1,"b":null}')).toEqual({ a: 1, b: null });
  });

  it('handles top-level numbers, arrays and objects that have a "$nonFinite" key of their own', () => {
    expect(Object.is(parseExact(stringifyExact(Number.NaN)), Number.NaN)).toBe(true);
    expect(parseExact(stringifyExact([1, Number.NEGATIVE_INFINITY]))).toEqual([1, Number.NEGATIVE_INFINITY]);
    const tricky = { $nonFinite: [['a'], 'NaN'], a: null };
    expect(parseExact(stringifyExact(tricky))).toEqual(tricky);
    expect(() => parseExact('{"a":1,"$nonFinite":[[["a"],"NaN"]]}')).toThrow(/no null placeholder/);
    expect(() => parseExact('{"$nonFinite":"x"}')).toThrow(/malformed/);
  });
});

describe('run records validated on read (FsRunStore)', () => {
  let dir: string;
  let store: FsRunStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperlab-records-'));
    store = new FsRunStore(join(dir, 'runs'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps NaN/±Infinity scalars through result.json, and reads old files whose non-finite scalars are null', async () => {
    await store.writeHeader(header('r1'));
    await store.writeResult('r1', result);
    const back = await store.readResult('r1');
    expect(Object.is(back!.scalars.nan, Number.NaN)).toBe(true);
    expect(back!.scalars.inf).toBe(Number.POSITIVE_INFINITY);
    // result.json stays a RunResult at the top level for plain JSON readers.
    const raw = JSON.parse(await readFile(join(dir, 'runs', 'r1', 'result.json'), 'utf8'));
    expect(raw.scalars.a).toBe(1.5);
    // An old file written with plain JSON: NaN became null, which reads as NaN (never as 0).
    await writeFile(join(dir, 'runs', 'r1', 'result.json'), JSON.stringify(result));
    expect(Number.isNaN((await store.readResult('r1'))!.scalars.inf!)).toBe(true);
  });

  it('a store with run.json = null, result.json = {} and a truncated record lists every other run and marks the three corrupt', async () => {
    for (const id of ['good1', 'nullHeader', 'emptyResult', 'truncated', 'good2', 'noResult', 'emptyFile'])
      await store.writeHeader(header(id, `2026-01-0${id.length % 9}T00:00:00.000Z`));
    for (const id of ['good1', 'good2', 'truncated', 'nullHeader']) await store.writeResult(id, result);
    const runs = join(dir, 'runs');
    await writeFile(join(runs, 'nullHeader', 'run.json'), 'null');
    await writeFile(join(runs, 'emptyResult', 'result.json'), '{}');
    const full = await readFile(join(runs, 'truncated', 'run.json'), 'utf8');
    await writeFile(join(runs, 'truncated', 'run.json'), full.slice(0, full.length / 2));
    await writeFile(join(runs, 'emptyFile', 'run.json'), '');
    await writeFile(join(runs, 'emptyFile', 'result.json'), JSON.stringify(result));
    await mkdir(join(runs, 'orphan'));
    await writeFile(join(runs, 'orphan', 'metrics.jsonl'), '{"step":0,"t":0,"x":1}\n');
    await import('node:fs/promises').then((fs) => fs.utimes(join(runs, 'orphan'), 0, 0));

    // list() checks headers (fast); scan() also validates every result.json.
    expect((await store.list()).map((h) => h.id).sort()).toEqual(['emptyResult', 'good1', 'good2']);
    expect((await store.scan()).runs.map((h) => h.id).sort()).toEqual(['good1', 'good2']);
    const scan = await store.scan();
    const corrupt = Object.fromEntries(scan.corrupt.map((c) => [c.id, c]));
    expect(Object.keys(corrupt).sort()).toEqual([
      'emptyFile',
      'emptyResult',
      'noResult',
      'nullHeader',
      'orphan',
      'truncated',
    ]);
    expect(corrupt.nullHeader!.file).toBe(join(runs, 'nullHeader', 'run.json'));
    expect(corrupt.nullHeader!.problem).toMatch(/expected object/);
    expect(corrupt.emptyResult!.file).toBe(join(runs, 'emptyResult', 'result.json'));
    expect(corrupt.emptyResult!.problem).toMatch(/scalars: expected record/);
    expect(corrupt.emptyResult!.header?.experiment).toBe('demo/x2020');
    expect(corrupt.truncated!.problem).toMatch(/not valid JSON .*truncated\?/);
    expect(corrupt.emptyFile!.problem).toBe('the file is empty');
    expect(corrupt.noResult!.problem).toMatch(/completed but result.json is missing/);
    expect(corrupt.orphan!.problem).toBe('run.json is missing');

    // Reads name the file and the problem; nothing unreadable is treated as absent.
    await expect(store.readHeader('nullHeader')).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(store.readResult('emptyResult')).rejects.toThrow(/emptyResult\/result.json: scalars/);
    await expect(resolveRunId(store, 'truncated')).rejects.toThrow(
      /Run truncated has a corrupt record: .*run.json/,
    );
    await expect(resolveRunId(store, 'nullHead')).rejects.toBeInstanceOf(CorruptRecordError);
    expect(await resolveRunId(store, 'good1')).toBe('good1');
    await expect(resolveRunId(store, 'good')).rejects.toThrow(/ambiguous/);
    await expect(store.readHeader('missing')).rejects.toThrow(/No run 'missing'/);

    // Quarantine moves, never deletes; the store is then clean.
    const moved = await store.quarantine('nullHeader');
    expect(moved).toContain(join(runs, '.quarantine', 'nullHeader.'));
    expect(await readFile(join(moved, 'run.json'), 'utf8')).toBe('null');
    expect((await store.scan()).corrupt.map((c) => c.id)).not.toContain('nullHeader');
    await expect(store.quarantine('..')).rejects.toThrow(/not a run directory name/);
  });

  it('a wrong-typed header field or a header whose id disagrees with its directory is corrupt', async () => {
    await store.writeHeader(header('r1'));
    const path = join(dir, 'runs', 'r1', 'run.json');
    const good = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...good, seed: 'zero' }));
    await expect(store.readHeader('r1')).rejects.toThrow(/seed: expected number/);
    await writeFile(path, JSON.stringify({ ...good, id: 'other' }));
    await expect(store.readHeader('r1')).rejects.toThrow(/its id is 'other'/);
  });

  it('metrics: a torn last line is skipped and the next append starts a fresh line; a malformed row names its line', async () => {
    await store.writeHeader(header('m', undefined, 'running'));
    await store.appendMetrics('m', [{ step: 0, t: 0, loss: 1 }]);
    const path = join(dir, 'runs', 'm', 'metrics.jsonl');
    await writeFile(path, `${await readFile(path, 'utf8')}{"step": 1, "lo`);
    expect(await store.readMetrics('m')).toHaveLength(1);
    await store.appendMetrics('m', [{ step: 2, t: 5, loss: Number.NaN }]);
    const rows = await store.readMetrics('m');
    expect(rows.map((r) => r.step)).toEqual([0, 2]);
    expect(Number.isNaN(rows[1]!.loss)).toBe(true);
    expect((await store.scan({ deep: true })).notes.join('\n')).toMatch(/m: 1 torn line/);
    await writeFile(path, '{"step":0,"t":0,"x":1}\n{"step":"one","t":0}\n');
    await expect(store.readMetrics('m')).rejects.toThrow(/metrics.jsonl line 2: .*step/);
  });

  it('refuses unsafe run ids and file paths at the store itself', async () => {
    for (const id of ['..', '.', 'a/b', '/abs', '', '.hidden', '-x']) {
      await expect(store.writeHeader({ ...header('x'), id })).rejects.toThrow(/Invalid run id/);
      expect(isSafeRunId(id)).toBe(false);
    }
    await store.writeHeader(header('ok'));
    for (const p of ['../x', '/etc/passwd', 'plots/../../x', 'a//b', 'a\\b', 'C:/x'])
      await expect(store.putFile('ok', p, 'x')).rejects.toThrow(/Invalid file path/);
    expect(unsafePathReason('plots/p.svg', ['plots', 'artifacts'])).toBeUndefined();
    expect(unsafePathReason('run.json', ['plots', 'artifacts'])).toMatch(/not under plots\//);
  });
});

describe('import is safe: validated whole, then written atomically', () => {
  let dir: string;
  let store: FsRunStore;
  let bundle: RunBundle;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperlab-import-'));
    store = new FsRunStore(join(dir, 'store', 'runs'));
    const source = new MemoryRunStore();
    await source.writeHeader(header('good'));
    await source.writeResult('good', result);
    await source.appendMetrics('good', [{ step: 0, t: 0, x: Number.NaN }]);
    await source.putFile('good', 'plots/p.svg', '<svg/>');
    await source.putFile('good', 'artifacts/w.bin', new Uint8Array([1, 2, 3]));
    bundle = JSON.parse(JSON.stringify(await exportRun(source, 'good')));
    await store.writeHeader(header('existing'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const refused: Array<[string, (b: RunBundle) => unknown, RegExp]> = [
    ['run id ..', (b) => ({ ...b, header: { ...b.header, id: '..' } }), /unsafe run id "\.\."/],
    ['run id .', (b) => ({ ...b, header: { ...b.header, id: '.' } }), /unsafe run id "\."/],
    ['run id with /', (b) => ({ ...b, header: { ...b.header, id: 'a/b' } }), /unsafe run id "a\/b"/],
    ['run id with \\', (b) => ({ ...b, header: { ...b.header, id: 'a\\b' } }), /unsafe run id/],
    ['absolute run id', (b) => ({ ...b, header: { ...b.header, id: '/tmp/x' } }), /unsafe run id "\/tmp\/x"/],
    [
      'header with only id and experiment',
      (b) => ({ ...b, header: { id: 'x', experiment: 'a/b' } }),
      /not valid .*schema/,
    ],
    ['result of the wrong shape', (b) => ({ ...b, result: {} }), /result\.scalars/],
    ['metrics row of the wrong shape', (b) => ({ ...b, metrics: [{ step: 'x' }] }), /metrics\[0\]/],
    [
      'file path ..',
      (b) => ({ ...b, files: { ...b.files, '../evil': 'AA==' } }),
      /Unsafe file path in bundle: "\.\.\/evil"/,
    ],
    ['absolute file path', (b) => ({ ...b, files: { '/etc/evil': 'AA==' } }), /Unsafe file path .*absolute/],
    [
      'file path escaping through plots/..',
      (b) => ({ ...b, files: { 'plots/../../x': 'AA==' } }),
      /Unsafe file path/,
    ],
    ['file path with a backslash', (b) => ({ ...b, files: { 'plots/a\\b': 'AA==' } }), /Unsafe file path/],
    ['file path naming the record', (b) => ({ ...b, files: { 'run.json': 'AA==' } }), /not under plots\//],
    ['file that is not base64', (b) => ({ ...b, files: { 'plots/p.svg': '<svg/>' } }), /base64/],
    ['not a bundle', () => ({ format: 'nope' }), /Not a paperlab run bundle/],
  ];

  for (const [name, make, message] of refused) {
    it(`refuses a bundle with a ${name} and writes nothing`, async () => {
      const before = await snapshot(dir);
      expect(() => parseBundle(make(bundle))).toThrow(message);
      await expect(importRun(store, make(bundle) as RunBundle)).rejects.toThrow(message);
      expect(await snapshot(dir)).toEqual(before);
    });
  }

  it('imports a valid bundle all at once (no staging left), keeping NaN through the exact text form', async () => {
    const source = new MemoryRunStore();
    await source.writeHeader(header('nan'));
    await source.writeResult('nan', result);
    const text = stringifyBundle(await exportRun(source, 'nan'));
    const id = await importRun(store, readBundle(text));
    expect(Number.isNaN((await store.readResult(id))!.scalars.nan!)).toBe(true);
    expect(await importRun(store, parseBundle(bundle))).toBe('good');
    expect(new TextDecoder().decode(await store.getFile('good', 'plots/p.svg'))).toBe('<svg/>');
    expect(Array.from((await store.getFile('good', 'artifacts/w.bin'))!)).toEqual([1, 2, 3]);
    expect(await readdir(join(dir, 'store', 'runs'))).not.toContain('.staging');
    // A run that is already there is refused before anything is written.
    const before = await snapshot(dir);
    await expect(importRun(store, parseBundle(bundle))).rejects.toThrow(/already in/);
    expect(await snapshot(dir)).toEqual(before);
    // A running run imports as interrupted, without its liveness.
    const running = {
      ...bundle,
      header: { ...bundle.header, id: 'live', status: 'running', live: { pid: 1, heartbeatAt: 'x' } },
    };
    await importRun(store, parseBundle(running));
    const h = await store.readHeader('live');
    expect(h.status).toBe('interrupted');
    expect(h.live).toBeUndefined();
  });
});
