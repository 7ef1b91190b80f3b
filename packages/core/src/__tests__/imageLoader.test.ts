import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset } from '../data/arrayDataset.js';
import { encodeIdx } from '../data/idx.js';
import { loadIdxImageDataset, loadIdxImages } from '../data/imageClassification.js';
import {
  areaResizeImages,
  avgPoolImages,
  featureMean,
  subtractFeatures,
  unitNormRows,
} from '../data/imageOps.js';
import { DataFormatError, headOf, type LabelledArrays, selectClasses } from '../data/labelledArrays.js';
import { Sequential } from '../models/sequential.js';
import { nodeDataSources } from '../node/dataSources.js';
import { Rng } from '../rng/rng.js';
import { useWasm } from '../testing/backends.js';
import { fit } from '../train/fit.js';

const SIDE = 8;
const N_TRAIN = 40;
const N_TEST = 15;

/** Images whose brightness pattern depends on the label (so a classifier can learn them). */
function images(n: number, seed: number): { img: number[]; lab: number[] } {
  const rng = new Rng(seed);
  const img: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    lab.push(c);
    for (let p = 0; p < SIDE * SIDE; p++) img.push(p % 10 === c ? 200 + rng.int(56) : rng.int(60));
  }
  return { img, lab };
}

async function writeSet(dir: string, name: string, files: Record<string, Uint8Array>) {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  for (const [f, bytes] of Object.entries(files)) await writeFile(join(d, f), bytes);
  await writeFile(join(d, 'README'), 'test fixture'); // how data sources recognise an uncatalogued dataset
}

/** The documented order, composed from core's own ops: pool → centre on the training mean → unit norm. */
function pooledCentredUnit(
  tr: Float32Array,
  te: Float32Array,
  nTrain: number,
  nTest: number,
  side: number,
  f: number,
) {
  const xTrain = avgPoolImages(tr, nTrain, side, side, f);
  const xTest = avgPoolImages(te, nTest, side, side, f);
  const d = (side / f) ** 2;
  const m = featureMean(xTrain, nTrain, d);
  for (const x of [xTrain, xTest]) unitNormRows(subtractFeatures(x, d, m), d);
  return { xTrain, xTest, d };
}

describe('IDX image loader options', () => {
  let dir: string;
  let sources: ReturnType<typeof nodeDataSources>;
  beforeAll(async () => {
    await useWasm();
    dir = await mkdtemp(join(tmpdir(), 'paperlab-images-'));
    const tr = images(N_TRAIN, 1);
    const te = images(N_TEST, 2);
    const u8 = (shape: number[], data: number[]) => encodeIdx({ dtype: 'uint8', shape, data });
    await writeSet(dir, 'mnist', {
      'train-images-idx3-ubyte': u8([N_TRAIN, SIDE, SIDE], tr.img),
      'train-labels-idx1-ubyte': u8([N_TRAIN], tr.lab),
      't10k-images-idx3-ubyte': u8([N_TEST, SIDE, SIDE], te.img),
      't10k-labels-idx1-ubyte': u8([N_TEST], te.lab),
    });
    // Broken copies, one defect each.
    const good = {
      'train-images-idx3-ubyte': u8([N_TRAIN, SIDE, SIDE], tr.img),
      'train-labels-idx1-ubyte': u8([N_TRAIN], tr.lab),
      't10k-images-idx3-ubyte': u8([N_TEST, SIDE, SIDE], te.img),
      't10k-labels-idx1-ubyte': u8([N_TEST], te.lab),
    };
    await writeSet(dir, 'bad-count', {
      ...good,
      't10k-labels-idx1-ubyte': u8([N_TEST - 1], te.lab.slice(1)),
    });
    await writeSet(dir, 'bad-label', {
      ...good,
      'train-labels-idx1-ubyte': u8(
        [N_TRAIN],
        tr.lab.map((v, i) => (i === 7 ? 12 : v)),
      ),
    });
    await writeSet(dir, 'bad-rank', {
      ...good,
      'train-images-idx3-ubyte': encodeIdx({ dtype: 'int32', shape: [N_TRAIN, SIDE * SIDE], data: tr.img }),
    });
    sources = nodeDataSources({ dataDir: dir, cacheDir: join(dir, 'cache') });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults reproduce the old loader: [h, w, 1] pixels p·(1/255), 10 classes', async () => {
    const s = await loadIdxImages(sources, 'mnist');
    expect(s.train).toMatchObject({ n: N_TRAIN, shape: [SIDE, SIDE, 1], classes: 10 });
    const raw = images(N_TRAIN, 1).img;
    expect(s.train.x).toEqual(Float32Array.from(raw, (p) => p * (1 / 255)));
    const ds = await loadIdxImageDataset(sources, 'mnist', { trainLimit: 5 });
    expect(ds.size('train')).toBe(5);
    expect(ds.meta.inputShape).toEqual([SIDE, SIDE, 1]);
    expect(ds.arrays('train').x).toEqual(s.train.x.subarray(0, 5 * SIDE * SIDE));
  });

  it('class subsets, limits, then pooling, centring, unit norm and flattening in the documented order', async () => {
    const o = { classes: [3, 7, 1], trainLimit: 9, testLimit: 5 };
    const base = await loadIdxImages(sources, 'mnist', o);
    expect(Array.from(base.train.y)).toEqual([2, 0, 1, 2, 0, 1, 2, 0, 1]);
    expect(base.train.classes).toBe(3);
    expect(base.test.n).toBe(5);
    for (const f of [1, 2, 4]) {
      const ref = pooledCentredUnit(base.train.x, base.test.x, base.train.n, base.test.n, SIDE, f);
      const mine = await loadIdxImages(sources, 'mnist', {
        ...o,
        pool: f,
        center: true,
        unitNorm: true,
        flatten: true,
      });
      expect(mine.train.shape).toEqual([ref.d]);
      expect(mine.train.x).toEqual(ref.xTrain);
      expect(mine.test.x).toEqual(ref.xTest);
    }
  });

  it('resize is areaResizeImages of the loaded pixels; bilinear, binarize, ranges and standardise do what they say', async () => {
    const base = await loadIdxImages(sources, 'mnist', { trainLimit: 6, testLimit: 4 });
    const area = await loadIdxImages(sources, 'mnist', {
      trainLimit: 6,
      testLimit: 4,
      resize: 5,
      resizeMode: 'area',
    });
    expect(area.train.shape).toEqual([5, 5, 1]);
    expect(area.train.x).toEqual(areaResizeImages(base.train.x, 6, SIDE, SIDE, 5, 5));
    const bil = await loadIdxImages(sources, 'mnist', {
      trainLimit: 6,
      resize: [4, 6],
      resizeMode: 'bilinear',
    });
    expect(bil.train.shape).toEqual([4, 6, 1]);
    const bits = await loadIdxImages(sources, 'mnist', { pool: 3, poolCrop: true, binarize: 0.3 });
    expect(bits.train.shape).toEqual([2, 2, 1]);
    expect(new Set(bits.train.x)).toEqual(new Set([0, 1]));
    const sym = await loadIdxImages(sources, 'mnist', { range: 'symmetric' });
    expect(Math.min(...sym.train.x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...sym.train.x)).toBeLessThanOrEqual(1);
    expect(sym.train.x[0]).toBeCloseTo(base.train.x[0]! * 2 - 1, 6);
    const raw = await loadIdxImages(sources, 'mnist', { normalize: false });
    expect(Math.max(...raw.train.x)).toBeGreaterThan(200);
    const z = await loadIdxImages(sources, 'mnist', { standardize: true, flatten: true });
    const mean = z.train.x.reduce((a, b) => a + b, 0) / z.train.x.length;
    const sd = Math.sqrt(z.train.x.reduce((a, b) => a + (b - mean) ** 2, 0) / z.train.x.length);
    expect(Math.abs(mean)).toBeLessThan(1e-5);
    expect(sd).toBeCloseTo(1, 4);
    const g = await loadIdxImages(sources, 'mnist', { center: 'global' });
    expect(Math.abs(g.train.x.reduce((a, b) => a + b, 0) / g.train.x.length)).toBeLessThan(1e-5);
    expect(() => avgPoolImages(base.train.x, 6, SIDE, SIDE, 3)).toThrow(/does not divide/);
  });

  it('validates files and options, naming the file', async () => {
    await expect(loadIdxImages(sources, 'bad-count')).rejects.toThrow(
      /bad-count\/t10k-labels-idx1-ubyte has 14 labels but .*bad-count\/t10k-images-idx3-ubyte has 15 images/,
    );
    await expect(loadIdxImages(sources, 'bad-label')).rejects.toThrow(
      /bad-label\/train-labels-idx1-ubyte: label 12 of example 7 is outside \[0, 10\)/,
    );
    await expect(loadIdxImages(sources, 'bad-label', { numClasses: 13 })).resolves.toBeDefined();
    await expect(loadIdxImages(sources, 'bad-rank')).rejects.toThrow(
      /bad-rank\/train-images-idx3-ubyte: expected uint8 images of rank 3 .*got int32 of rank 2/,
    );
    await expect(loadIdxImages(sources, 'bad-rank')).rejects.toBeInstanceOf(DataFormatError);
    await expect(loadIdxImages(sources, 'mnist', { classes: [1, 1] })).rejects.toThrow(/listed twice/);
    await expect(loadIdxImages(sources, 'mnist', { classes: [10] })).rejects.toThrow(
      /not one of the 10 classes/,
    );
  });

  it('labelled arrays feed fit and ArrayDataset; class selection helpers relabel', async () => {
    const before = tf.memory().numTensors;
    const s = await loadIdxImages(sources, 'mnist', { classes: [0, 5], flatten: true });
    const ds = ArrayDataset.fromLabelled(
      { train: s.train, test: s.test },
      { name: 'mnist', source: s.source },
    );
    expect(ds.meta).toMatchObject({ inputShape: [SIDE * SIDE], numClasses: 2 });
    expect(ds.size('train')).toBe(s.train.n);
    expect(() =>
      ArrayDataset.fromLabelled(
        { train: s.train, test: { ...s.test, shape: [8, 8, 1] } },
        { name: 'x', source: 'y' },
      ),
    ).toThrow(/split 'test' has examples \[8,8,1\]/);
    const model = Sequential.build([{ type: 'dense', units: 2 }], [SIDE * SIDE], new Rng(3));
    const r = await fit({
      model,
      data: s.train,
      validation: s.test,
      loss: 'softmax-ce',
      optimizer: { type: 'adam', lr: 0.05 },
      epochs: 15,
    });
    expect(r.history[14]!.valAccuracy).toBe(1);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const all: LabelledArrays = (await loadIdxImages(sources, 'mnist')).train;
    const sub = selectClasses(all, [0, 5], 3);
    expect(Array.from(sub.y)).toEqual([0, 1, 0]);
    expect(sub.classes).toBe(2);
    expect(headOf(all, 4).n).toBe(4);
  });
});
