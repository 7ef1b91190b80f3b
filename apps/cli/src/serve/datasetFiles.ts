import { join } from 'node:path';
import { KNOWN_DATASETS } from '@paperlab/core/data';
import { type NodeDataOptions, nodeDataSources } from '@paperlab/core/node';
import { checkedFileSize } from './fileCheck.js';

/** Largest dataset file `paperlab ui` hands out: 64 MiB (the biggest catalogue file, MNIST's plain train images, is 45 MiB). */
export const MAX_DATA_FILE_BYTES = 64 * 1024 * 1024;

/** Where a `/data/` request leads: a file on disk to stream, or a status with a plain-text reason. */
export type DatasetAnswer = { status: 200; file: string; size: number } | { status: number; message: string };

/**
 * Resolves `<name>/<file>` (the path under `/data/`) to a file of a known dataset (`KNOWN_DATASETS`) in the folder
 * where the CLI's own `nodeDataSources(options)` finds that dataset: `<file>` is one of its catalogue files, plain
 * or `.gz`, as it lies on disk. Unknown names and files are 404 before the disk is looked at; a dataset the CLI
 * cannot find is 404 with its "Searched … How to get it" message; symlinks (as the run API: none is followed)
 * and files over `maxBytes` are 403.
 */
export async function datasetFile(
  path: string,
  options: NodeDataOptions,
  maxBytes = MAX_DATA_FILE_BYTES,
): Promise<DatasetAnswer> {
  const parts = path.split('/');
  const [name = '', file = ''] = parts;
  const known = parts.length === 2 && Object.hasOwn(KNOWN_DATASETS, name) ? KNOWN_DATASETS[name] : undefined;
  if (!known)
    return {
      status: 404,
      message: `No dataset at /data/${path}: datasets are served at /data/<name>/<file>(.gz), <name> one of ${Object.keys(KNOWN_DATASETS).join(', ')}.`,
    };
  if (!known.files.some((f) => file === f.name || file === `${f.name}.gz`))
    return {
      status: 404,
      message: `'${file}' is not a file of ${name}: its files are ${known.files.map((f) => f.name).join(', ')} (plain or .gz).`,
    };
  let dir: string;
  try {
    dir = (await nodeDataSources(options).open(name)).origin;
  } catch (err) {
    if ((err as { code?: string }).code !== 'E_DATASET_MISSING') throw err;
    return { status: 404, message: (err as Error).message };
  }
  const size = await checkedFileSize(dir, join(dir, file), maxBytes, `the ${name} folder`);
  if (typeof size === 'number') return { status: 200, file: join(dir, file), size };
  if (size === 'not found') {
    const other = file.endsWith('.gz') ? file.slice(0, -3) : `${file}.gz`;
    return { status: 404, message: `${name} in ${dir} has no ${file} (ask for ${other}).` };
  }
  const hint = size === 'not a regular file' ? ' (paperlab ui serves no symlinks: put a copy there)' : '';
  return { status: 403, message: `${join(dir, file)}: ${size}${hint}.` };
}
