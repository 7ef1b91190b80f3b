import { join } from 'node:path';
import { knownDataset } from '../data/catalog.js';
import { gunzip, isGzip } from '../data/idx.js';
import { PaperlabError } from '../util/errors.js';
import { defaultCacheDir, sha256 } from './dataSources.js';
import { writeFileAtomic } from './fsRunStore.js';

/**
 * Downloads a known dataset into the cache directory, checking each file's SHA-256 before it is written
 * (atomically). For online users; paperlab never downloads during runs or tests.
 */
export async function fetchDataset(
  name: string,
  options: { cacheDir?: string; onFile?: (file: string, bytes: number) => void } = {},
): Promise<string> {
  const known = knownDataset(name);
  if (!known) throw new PaperlabError('E_DATASET_UNKNOWN', `No download recipe for dataset '${name}'.`);
  const dir = join(options.cacheDir ?? defaultCacheDir(), name);
  for (const file of known.files) {
    const res = await fetch(file.url);
    if (!res.ok) throw new PaperlabError('E_DOWNLOAD', `Download of ${file.url} failed: HTTP ${res.status}`);
    const raw = new Uint8Array(await res.arrayBuffer());
    let bytes: Uint8Array = raw;
    if (isGzip(raw)) {
      try {
        bytes = await gunzip(raw);
      } catch (err) {
        throw new PaperlabError(
          'E_DOWNLOAD',
          `${file.url}: the download cannot be decompressed (${(err as Error).message}); it was cut short or is ` +
            'corrupt. Nothing was written; try again.',
        );
      }
    }
    const digest = sha256(bytes);
    if (digest !== file.sha256) {
      throw new PaperlabError(
        'E_CHECKSUM',
        `${file.url}: SHA-256 ${digest} does not match the expected ${file.sha256}; nothing was written.`,
      );
    }
    await writeFileAtomic(join(dir, file.name), bytes);
    options.onFile?.(file.name, bytes.length);
  }
  return dir;
}
