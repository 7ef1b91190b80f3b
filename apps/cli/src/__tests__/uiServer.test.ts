import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { createLab, runExperiment } from '@paperlab/core';
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
