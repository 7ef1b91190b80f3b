import { gzipSync } from 'node:zlib';
import { DatasetNotFoundError } from '@paperlab/core';
import { encodeIdx, KNOWN_DATASETS, loadIdxImageDataset } from '@paperlab/core/data';
import { describe, expect, it } from 'vitest';
import { browserDataSources } from '../lib/browserDataSources.js';

/** A tiny MNIST-shaped dataset: 3 train and 2 test images of 2×2 pixels. */
function tinyFiles(): Record<string, Uint8Array> {
  const img = (n: number) =>
    encodeIdx({
      dtype: 'uint8',
      data: Uint8Array.from({ length: n * 4 }, (_, i) => i % 256),
      shape: [n, 2, 2],
    });
  const lab = (n: number) =>
    encodeIdx({ dtype: 'uint8', data: Uint8Array.from({ length: n }, (_, i) => i % 10), shape: [n] });
  return {
    'train-images-idx3-ubyte': img(3),
    'train-labels-idx1-ubyte': lab(3),
    't10k-images-idx3-ubyte': img(2),
    't10k-labels-idx1-ubyte': lab(2),
  };
}

/** A fetch serving `files` (URL → bytes); everything else is the SPA's index.html or a 404. */
function fakeFetch(files: Record<string, Uint8Array>, fallback: 'html' | '404'): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const body = files[url];
    if (body) return new Response(init?.method === 'HEAD' ? null : (body as BlobPart), { status: 200 });
    if (fallback === 'html')
      return new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } });
    return new Response('nope', { status: 404 });
  }) as typeof fetch;
}

describe('browserDataSources', () => {
  it('fetches IDX files (plain or .gz) from the base URL', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const [name, bytes] of Object.entries(tinyFiles())) {
      // Half the files only as .gz, as Debian ships them.
      if (name.startsWith('train')) files[`https://host/data/mnist/${name}.gz`] = gzipSync(bytes);
      else files[`https://host/data/mnist/${name}`] = bytes;
    }
    const sources = browserDataSources({ baseUrl: 'https://host/data', fetch: fakeFetch(files, '404') });
    const ds = await loadIdxImageDataset(sources, 'mnist');
    expect(ds.meta.source).toBe('https://host/data/mnist/');
    expect(ds.size('train')).toBe(3);
    expect(ds.size('test')).toBe(2);
  });

  it('prefers files picked by the user', async () => {
    const picked = Object.fromEntries(
      Object.entries(tinyFiles()).map(([k, v]) => [k, new Blob([v as BlobPart])]),
    );
    const sources = browserDataSources({
      baseUrl: 'https://host/data/',
      picked: { 'fashion-mnist': picked },
      fetch: fakeFetch({}, '404'),
    });
    const ds = await loadIdxImageDataset(sources, 'fashion-mnist');
    expect(ds.meta.source).toBe('files picked in the app');
    expect(ds.size('train')).toBe(3);
  });

  it("a missing dataset is core's DatasetNotFoundError saying where it looked and how to get it", async () => {
    // An SPA fallback answering index.html with 200 must count as missing, not as data.
    const sources = browserDataSources({ baseUrl: 'https://host/app/data/', fetch: fakeFetch({}, 'html') });
    const err = await sources.open('mnist').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    const msg = (err as Error).message;
    expect(msg).toContain("Dataset 'mnist' was not found");
    expect(msg).toContain('https://host/app/data/mnist/');
    expect(msg).toContain('an HTML page');
    expect(msg).toContain('pick the files');
    expect(msg).toContain(KNOWN_DATASETS.mnist!.howToGet[0]!);
    const partial = browserDataSources({
      baseUrl: 'https://host/data/',
      picked: { mnist: { 'train-images-idx3-ubyte': new Blob([]) } },
      fetch: fakeFetch({}, '404'),
    });
    await expect(partial.open('mnist')).rejects.toThrow(/1 of 4 files[\s\S]*HTTP 404/);
  });
});
