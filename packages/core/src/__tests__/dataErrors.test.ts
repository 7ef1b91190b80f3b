import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from '../data/idx.js';
import { loadIdxImages } from '../data/imageClassification.js';
import { DataFormatError } from '../data/labelledArrays.js';
import { nodeDataSources } from '../node/dataSources.js';

describe('damaged dataset files: errors name the file and the cause', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperlab-data-errors-'));
    const ds = join(dir, 'mnist');
    await mkdir(ds, { recursive: true });
    const img = (n: number) =>
      encodeIdx({ dtype: 'uint8', shape: [n, 2, 2], data: new Array(n * 4).fill(7) });
    const lab = (n: number) => encodeIdx({ dtype: 'uint8', shape: [n], data: new Array(n).fill(1) });
    const gz = gzipSync(img(50));
    await writeFile(join(ds, 'train-images-idx3-ubyte.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    await writeFile(join(ds, 'train-labels-idx1-ubyte'), lab(50));
    await writeFile(join(ds, 't10k-images-idx3-ubyte'), img(4));
    await writeFile(join(ds, 't10k-labels-idx1-ubyte'), lab(4));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a truncated .gz names the file and says it is truncated, not just "unexpected end of file"', async () => {
    const sources = nodeDataSources({ dataDir: dir, cacheDir: join(dir, 'cache') });
    const err = await loadIdxImages(sources, 'mnist').catch((e: Error) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message).toContain(join(dir, 'mnist', 'train-images-idx3-ubyte.gz'));
    expect((err as Error).message).toMatch(/cannot decompress .*truncated or corrupt/);
  });

  it('IDX header and size problems are format errors that name the file', () => {
    const good = encodeIdx({ dtype: 'uint8', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    // A wrong rank in the header leaves bytes over (or missing): say so, never a NaN downstream.
    const wrongRank = good.slice();
    wrongRank[3] = 1;
    expect(() => parseIdx(wrongRank, 'x/train-images')).toThrow(
      /x\/train-images: .*bytes after the data.*rank or sizes are wrong/,
    );
    expect(() => parseIdx(good.slice(0, 6), 'x/f')).toThrow(/x\/f: truncated IDX header/);
    const badType = good.slice();
    badType[2] = 0x42;
    expect(() => parseIdx(badType, 'x/f')).toThrow(DataFormatError);
    expect(() => parseIdx(badType, 'x/f')).toThrow(/unknown IDX element type 0x42/);
  });
});
