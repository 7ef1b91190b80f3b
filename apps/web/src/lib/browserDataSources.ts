import { type DataSources, type DatasetFiles, DatasetNotFoundError } from '@paperlab/core';
import { gunzip, isGzip, knownDataset } from '@paperlab/core/data';

/** Options of {@link browserDataSources}. */
export interface BrowserDataOptions {
  /** Base URL under which `<name>/<file>` (or `<file>.gz`) is served, e.g. `https://host/data/`. */
  baseUrl: string;
  /** Files the user picked: dataset name → canonical file name (no `.gz`) → contents. */
  picked?: Record<string, Record<string, Blob>>;
  /** `fetch` to use (tests). */
  fetch?: typeof fetch;
}

/** How to make a dataset available to the web app; shown when it is missing. */
export function browserHowToGet(name: string, baseUrl: string): string {
  const known = knownDataset(name);
  const files = known?.files.map((f) => f.name) ?? ['<files>'];
  return [
    `  in the app: open "Datasets", pick the files of '${name}' (${files.join(', ')}; plain or .gz)`,
    `  or serve them at ${new URL(`${name}/`, baseUrl).href}<file>(.gz) and set the data URL there`,
    '    (`paperlab ui` and the dev server, `pnpm --filter @paperlab/web dev`, serve the datasets the CLI finds',
    '    locally at ./data/)',
    ...(known?.howToGet ?? []).map((h) => `  on a computer with the CLI: ${h}`),
  ].join('\n');
}

async function decode(bytes: Uint8Array): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes) : bytes;
}

type Probe = { ok: true; url: string } | { ok: false; why: string };

/**
 * Datasets in a browser: files the user picked, else files fetched from a base URL. A dataset that is in
 * neither place is core's `DatasetNotFoundError` saying where it looked and how to get it — never random
 * data. Pages served for missing files (an SPA fallback's `index.html`) count as missing.
 */
export function browserDataSources(options: BrowserDataOptions): DataSources {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const raw = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const base = new URL(raw, globalThis.location?.href).href;

  async function probe(url: string): Promise<Probe> {
    try {
      const r = await doFetch(url, { method: 'HEAD', cache: 'no-store' });
      if (!r.ok) return { ok: false, why: `HTTP ${r.status}` };
      if ((r.headers.get('content-type') ?? '').includes('text/html'))
        return { ok: false, why: 'an HTML page (not a data file)' };
      return { ok: true, url };
    } catch (err) {
      return { ok: false, why: err instanceof Error ? err.message : String(err) };
    }
  }

  return {
    describe() {
      return ['files picked in the app', `${base}<name>/<file>(.gz)`];
    },
    async open(name) {
      const known = knownDataset(name);
      const files = known?.files.map((f) => f.name) ?? [];
      const searched: string[] = [];
      const picked = options.picked?.[name];
      if (picked && files.every((f) => picked[f])) {
        return {
          name,
          origin: 'files picked in the app',
          read: async (file) => {
            const blob = picked[file];
            if (!blob) throw new Error(`'${file}' was not among the picked files of '${name}'`);
            return decode(new Uint8Array(await blob.arrayBuffer()));
          },
        } satisfies DatasetFiles;
      }
      const have = picked ? Object.keys(picked).length : 0;
      searched.push(`files picked in the app (${have ? `${have} of ${files.length} files` : 'none'})`);
      const dir = new URL(`${name}/`, base).href;
      if (files.length > 0) {
        const urls: Record<string, string> = {};
        let missing: string | undefined;
        for (const f of files) {
          const plain = await probe(`${dir}${f}`);
          const found = plain.ok ? plain : await probe(`${dir}${f}.gz`);
          if (!found.ok) {
            missing = `${f}(.gz): ${found.why}`;
            break;
          }
          urls[f] = found.url;
        }
        if (!missing) {
          return {
            name,
            origin: dir,
            read: async (file) => {
              const url = urls[file] ?? `${dir}${file}`;
              const r = await doFetch(url);
              if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
              return decode(new Uint8Array(await r.arrayBuffer()));
            },
          } satisfies DatasetFiles;
        }
        searched.push(`${dir} (${missing})`);
      } else {
        searched.push(`${dir} (unknown dataset: no file list to look for)`);
      }
      throw new DatasetNotFoundError(name, searched, browserHowToGet(name, base));
    },
  };
}
