import 'fake-indexeddb/auto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startUiServer, type UiServer } from '@paperlab/cli';
import { FsRunStore } from '@paperlab/core/node';
import { exportRun, type RunHeader, type RunResult } from '@paperlab/core/runs';
import { sampleRunHeader, suiteTempDir } from '@paperlab/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunStore } from '../lib/httpRunStore.js';
import { IdbRunStore, normaliseTags } from '../lib/idbRunStore.js';
import { RunSources } from '../lib/runSources.js';

// The web app's view of `paperlab ui`: HttpRunStore against the CLI's real server over an FsRunStore, merged
// with IndexedDB (fake-indexeddb) by RunSources.

const header = (id: string, createdAt: string, platform: 'node' | 'browser'): RunHeader =>
  sampleRunHeader(id, createdAt, {
    backend: { name: 'cpu', requested: 'cpu', fallbacks: [], patches: [], platform },
    host: { platform },
  });
const result = (a: number): RunResult => ({
  scalars: { a, b: Number.NaN },
  claims: [],
  summary: { reproduced: 0, notReproduced: 0, inconclusive: 0, total: 0 },
});

describe('RunSources over IndexedDB and paperlab ui', () => {
  const tmp = suiteTempDir('paperlab-web-ui-');
  let server: UiServer;
  let fs: FsRunStore;
  let sources: RunSources;

  beforeAll(async () => {
    await mkdir(join(tmp.path, 'app'));
    await writeFile(join(tmp.path, 'app', 'index.html'), '<!doctype html>');
    fs = new FsRunStore(join(tmp.path, 'runs'));
    for (const [id, at] of [
      ['cli-old', '2026-12-01T10:00:00.000Z'],
      ['shared', '2026-12-02T10:00:00.000Z'],
    ] as const) {
      await fs.writeHeader(header(id, at, 'node'));
      await fs.writeResult(id, result(1));
    }
    await fs.appendMetrics('cli-old', [
      { step: 0, t: 0, loss: 3 },
      { step: 1, t: 5, loss: Number.POSITIVE_INFINITY },
    ]);
    await fs.putFile('cli-old', 'plots/p.svg', '<svg/>');
    server = await startUiServer({ store: fs, appDir: join(tmp.path, 'app'), port: 0 });
    const cli = await HttpRunStore.connect(new URL('api/', server.url).href);
    expect(cli).toBeDefined();
    const idb = new IdbRunStore('paperlab-sources-test');
    await idb.writeHeader(header('browser-new', '2026-12-03T10:00:00.000Z', 'browser'));
    await idb.writeHeader(header('shared', '2026-12-02T10:00:00.000Z', 'browser'));
    await idb.writeResult('shared', result(2));
    sources = new RunSources(idb, cli);
  });
  afterAll(async () => {
    await sources?.browser.close();
    await server?.close();
  });

  it('is not found where no paperlab ui answers', async () => {
    const notUi = async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } });
    expect(await HttpRunStore.connect('http://127.0.0.1:9/api/', notUi as typeof fetch)).toBeUndefined();
    const down = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await HttpRunStore.connect('http://127.0.0.1:9/api/', down as typeof fetch)).toBeUndefined();
  });

  it('lists both stores newest first, a run in both once (the browser copy), each with its source', async () => {
    const listed = await sources.listWithSource();
    expect(listed.map((r) => [r.header.id, r.source])).toEqual([
      ['browser-new', 'browser'],
      ['shared', 'browser'],
      ['cli-old', 'cli'],
    ]);
    expect((await sources.readResult('shared'))?.scalars.a).toBe(2);
  });

  it("reads a CLI run's header, result, metrics and plots exactly as the CLI does", async () => {
    expect(await sources.readHeader('cli-old')).toEqual(await fs.readHeader('cli-old'));
    const r = await sources.readResult('cli-old');
    expect(r).toEqual(await fs.readResult('cli-old'));
    expect(Number.isNaN(r!.scalars.b)).toBe(true);
    expect(await sources.readMetrics('cli-old')).toEqual(await fs.readMetrics('cli-old'));
    expect(await sources.listFiles('cli-old', 'plots')).toEqual(['plots/p.svg']);
    expect(new TextDecoder().decode(await sources.getFile('cli-old', 'plots/p.svg'))).toBe('<svg/>');
    // A bundle exported in the browser from a CLI run equals the CLI's own export.
    expect(await exportRun(sources, 'cli-old')).toEqual(await exportRun(fs, 'cli-old'));
    await expect(sources.readHeader('nowhere')).rejects.toMatchObject({ code: 'E_NO_RUN' });
  });

  it('refuses to delete or write a CLI run, and keeps its tags and notes in the browser', async () => {
    await expect(sources.deleteRun('cli-old')).rejects.toThrow(/CLI's store/);
    await expect(sources.cli!.writeHeader(header('x', '2026-12-04T00:00:00.000Z', 'node'))).rejects.toThrow(
      /read-only/,
    );
    await sources.browser.writeNotes('cli-old', {
      tags: ['#Baseline', 'seed-sweep', 'baseline'],
      note: 'first',
    });
    expect(await sources.browser.readNotes('cli-old')).toEqual({
      tags: ['baseline', 'seed-sweep'],
      note: 'first',
    });
    expect([...(await sources.browser.allNotes()).keys()]).toEqual(['cli-old']);
    await sources.browser.writeNotes('cli-old', { tags: [], note: '  ' });
    expect((await sources.browser.allNotes()).size).toBe(0);
    // Deleting a browser run drops its notes with it.
    await sources.browser.writeNotes('browser-new', { tags: ['x'], note: '' });
    await sources.deleteRun('browser-new');
    expect((await sources.browser.allNotes()).size).toBe(0);
  });

  it('normalises tags: split on commas/spaces, lower-case, unique, bounded', () => {
    expect(normaliseTags(' A, b  #c,,a ')).toEqual(['a', 'b', 'c']);
    expect(normaliseTags(Array.from({ length: 30 }, (_, i) => `t${i}`).join(' '))).toHaveLength(20);
    expect(normaliseTags('x'.repeat(100))[0]).toHaveLength(40);
  });
});
