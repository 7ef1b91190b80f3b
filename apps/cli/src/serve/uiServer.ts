import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import type { NodeDataOptions } from '@paperlab/core/node';
import { unsafePathReason } from '@paperlab/core/runs';
import { datasetFile, MAX_DATA_FILE_BYTES } from './datasetFiles.js';
import { type DiskRunStore, runApi } from './runApi.js';

/** The only interface `paperlab ui` listens on: this computer. */
export const UI_HOST = '127.0.0.1';

/** What {@link startUiServer} needs. */
export interface UiServerOptions {
  /** The run store the API reads. */
  store: DiskRunStore;
  /** Folder of the built web app (its index.html and assets/). */
  appDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Extra fields of `/api/info` (versions). */
  info?: Record<string, unknown>;
  /** Where the datasets served at `/data/` are found, as the CLI's `nodeDataSources` takes it. */
  data?: NodeDataOptions;
  /** Largest dataset file served (default {@link MAX_DATA_FILE_BYTES}). */
  maxDataFileBytes?: number;
}

/** A started server: its URL and how to stop it. */
export interface UiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, head: boolean) {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.length));
  res.end(head ? undefined : body);
}

/** Streams a file of known size (HEAD: only the headers). */
function sendFile(res: ServerResponse, file: string, size: number, type: string, head: boolean) {
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', String(size));
  if (head) res.end();
  else createReadStream(file).pipe(res);
}

/** Whether the Host header names this server (refuses DNS-rebinding pages that reach 127.0.0.1 by another name). */
function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `${UI_HOST}:${port}` || host === `localhost:${port}`;
}

/** A file of the built app, or undefined (missing, a folder, or outside the app folder). */
async function appFile(appRoot: string, pathname: string): Promise<string | undefined> {
  const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
  if (unsafePathReason(rel)) return undefined;
  try {
    const full = await realpath(join(appRoot, rel));
    if (!full.startsWith(appRoot + sep)) return undefined;
    return (await stat(full)).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `paperlab ui`'s HTTP server on 127.0.0.1 only: the built web app (cross-origin isolated, so the wasm backend
 * gets threads), under `/api/` the read-only run API ({@link runApi}), and under `/data/` the datasets the CLI
 * finds on this computer ({@link datasetFile}), where the app's data URL points by default. Only GET and HEAD
 * are answered.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const appRoot = await realpath(options.appDir);
  let port = options.port;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    const head = req.method === 'HEAD';
    if (!hostAllowed(req.headers.host, port))
      return send(res, 403, 'text/plain', 'paperlab ui answers only http://127.0.0.1 or localhost\n', head);
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'text/plain', 'paperlab ui is read-only\n', head);
    }
    // Dot segments are refused as sent, before URL parsing would quietly resolve them.
    const raw = (req.url ?? '/').split('?')[0]!;
    let pathname: string;
    try {
      pathname = decodeURIComponent(raw);
    } catch {
      return send(res, 400, 'text/plain', 'bad URL encoding\n', head);
    }
    if (!raw.startsWith('/') || pathname.split(/[/\\]/).some((s) => s === '..' || s === '.'))
      return send(res, 400, 'text/plain', 'path with . or .. segments\n', head);
    const url = new URL(req.url ?? '/', `http://${UI_HOST}`);
    // API answers and datasets are data, never pages: nothing in them may run or load.
    if (pathname.startsWith('/api/') || pathname.startsWith('/data/'))
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    if (pathname.startsWith('/data/')) {
      const r = await datasetFile(
        pathname.slice('/data/'.length),
        options.data ?? {},
        options.maxDataFileBytes ?? MAX_DATA_FILE_BYTES,
      );
      if ('file' in r) return sendFile(res, r.file, r.size, 'application/octet-stream', head);
      return send(res, r.status, 'text/plain; charset=utf-8', `${r.message}\n`, head);
    }
    if (pathname.startsWith('/api/')) {
      const r = await runApi(
        options.store,
        pathname.slice('/api/'.length),
        url.searchParams,
        options.info ?? {},
      );
      return send(res, r.status, r.type, r.body, head);
    }
    const file = await appFile(appRoot, pathname);
    if (!file) return send(res, 404, 'text/plain', 'not found\n', head);
    sendFile(res, file, (await stat(file)).size, TYPES[extname(file)] ?? 'application/octet-stream', head);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `${(err as Error).message}\n`, false);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, UI_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${UI_HOST}:${port}/`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
