import type { DataSources } from '../contracts/runContext.js';
import { ArrayDataset } from './arrayDataset.js';
import { type IdxArray, parseIdx } from './idx.js';
import {
  areaResizeImages,
  avgPoolImages,
  bilinearResizeImages,
  featureMean,
  globalMoments,
  subtractFeatures,
  unitNormRows,
} from './imageOps.js';
import { classMap, DataFormatError, type LabelledArrays } from './labelledArrays.js';

/**
 * Options of {@link loadIdxImages} and {@link loadIdxImageDataset}. Applied in this order: class subset and
 * limits → pixel range → pool → resize → centre / standardise (statistics of the training split) → unit
 * norm → flatten.
 */
export interface ImageDatasetOptions {
  /** Keep at most this many training examples (the first ones, after the class filter). */
  trainLimit?: number;
  /** Keep at most this many test examples. */
  testLimit?: number;
  /** Keep only these classes, relabelled 0..k-1 in the given order. */
  classes?: number[];
  /** Classes the labels may name (default 10, the MNIST family); a label outside is a file error. */
  numClasses?: number;
  /** Pixel scale: `unit` [0, 1] (p·(1/255), the default), `symmetric` [−1, 1] (p·(2/255) − 1), `raw` 0..255. */
  range?: 'unit' | 'symmetric' | 'raw';
  /** Old switch for the pixel scale: `false` means `range: 'raw'`. */
  normalize?: boolean;
  /** Average-pool by this integer factor (see {@link avgPoolImages}). */
  pool?: number;
  /** With `pool`: drop rows/columns that do not fill a window instead of failing. */
  poolCrop?: boolean;
  /** Binarise: 1 where the value (with `pool`: the window's exact mean) is above this, else 0. */
  binarize?: number;
  /** Resize to this side (or `[height, width]`). */
  resize?: number | [number, number];
  /** Resize method: `area` averages covered areas (best for shrinking), `bilinear` interpolates. */
  resizeMode?: 'area' | 'bilinear';
  /** Subtract the training mean: per `pixel` (the mean image; `true` means this) or one `global` value. */
  center?: boolean | 'pixel' | 'global';
  /** Subtract the global training mean and divide by the global training standard deviation. */
  standardize?: boolean;
  /** Rescale every image to squared norm d (x·x/d = 1), after centring. */
  unitNorm?: boolean;
  /** Give each example the shape `[d]` instead of `[h, w, 1]`. */
  flatten?: boolean;
  /** Emit one-hot labels (ArrayDataset only). */
  oneHot?: boolean;
}

/** Train and test splits of an image dataset, as labelled arrays. */
export interface ImageSplits {
  train: LabelledArrays;
  test: LabelledArrays;
  /** Dataset name. */
  name: string;
  /** Where the files were found. */
  source: string;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

function checkImages(a: IdxArray, origin: string): { n: number; h: number; w: number; data: Uint8Array } {
  if (a.dtype !== 'uint8' || a.shape.length !== 3)
    throw new DataFormatError(
      `${origin}: expected uint8 images of rank 3 [n, height, width], got ${a.dtype} of rank ${a.shape.length} [${a.shape}]`,
    );
  const [n, h, w] = a.shape as [number, number, number];
  return { n, h, w, data: a.data as Uint8Array };
}

function checkLabels(a: IdxArray, origin: string, classes: number): Uint8Array {
  if (a.dtype !== 'uint8' || a.shape.length !== 1)
    throw new DataFormatError(
      `${origin}: expected uint8 labels of rank 1 [n], got ${a.dtype} of rank ${a.shape.length} [${a.shape}]`,
    );
  const y = a.data as Uint8Array;
  for (let i = 0; i < y.length; i++)
    if (y[i]! >= classes)
      throw new DataFormatError(
        `${origin}: label ${y[i]} of example ${i} is outside [0, ${classes}); set numClasses if the dataset has more classes`,
      );
  return y;
}

function select(
  images: Uint8Array,
  labels: Uint8Array,
  pixels: number,
  limit: number,
  map: Map<number, number> | undefined,
  range: NonNullable<ImageDatasetOptions['range']>,
): { x: Float32Array; y: Int32Array } {
  const idx: number[] = [];
  for (let i = 0; i < labels.length && idx.length < limit; i++) if (!map || map.has(labels[i]!)) idx.push(i);
  const x = new Float32Array(idx.length * pixels);
  const y = new Int32Array(idx.length);
  const scale = range === 'raw' ? 1 : range === 'unit' ? 1 / 255 : 2 / 255;
  const shift = range === 'symmetric' ? 1 : 0;
  idx.forEach((src, k) => {
    for (let p = 0; p < pixels; p++) {
      const v = images[src * pixels + p]! * scale;
      x[k * pixels + p] = shift ? v - shift : v;
    }
    y[k] = map ? map.get(labels[src]!)! : labels[src]!;
  });
  return { x, y };
}

function spatial(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  o: ImageDatasetOptions,
): { x: Float32Array; h: number; w: number } {
  let out = x;
  if (o.pool !== undefined && o.pool !== 1) {
    out = avgPoolImages(out, n, h, w, o.pool, { crop: o.poolCrop ?? false, threshold: o.binarize });
    h = Math.floor(h / o.pool);
    w = Math.floor(w / o.pool);
  } else if (o.binarize !== undefined) {
    const t = o.binarize;
    out = Float32Array.from(out, (v) => (v > t ? 1 : 0));
  }
  if (o.resize !== undefined) {
    const [rh, rw] = typeof o.resize === 'number' ? [o.resize, o.resize] : o.resize;
    if (!(Number.isInteger(rh) && Number.isInteger(rw) && rh > 0 && rw > 0))
      throw new RangeError(`loadIdxImages: resize must be positive integer sides, got ${o.resize}`);
    out = (o.resizeMode === 'bilinear' ? bilinearResizeImages : areaResizeImages)(out, n, h, w, rh, rw);
    h = rh;
    w = rw;
  }
  return { x: out, h, w };
}

/**
 * Loads an MNIST-family IDX dataset (`mnist`, `fashion-mnist`) from the data sources as labelled arrays,
 * with optional class subset, limits, pooling/resizing, centring and scaling. Validates the files (element
 * type, rank, label range, label count vs image count); every error names the file.
 */
export async function loadIdxImages(
  sources: DataSources,
  name: string,
  options: ImageDatasetOptions = {},
): Promise<ImageSplits> {
  const files = await sources.open(name);
  const origin = (file: string) => `${files.origin}/${file}`;
  const read = async (file: string) => parseIdx(await files.read(file), origin(file));
  const [trI, trL, teI, teL] = await Promise.all([
    read(FILES.trainImages),
    read(FILES.trainLabels),
    read(FILES.testImages),
    read(FILES.testLabels),
  ]);
  const numClasses = options.numClasses ?? 10;
  const trainImages = checkImages(trI, origin(FILES.trainImages));
  const testImages = checkImages(teI, origin(FILES.testImages));
  const trainLabels = checkLabels(trL, origin(FILES.trainLabels), numClasses);
  const testLabels = checkLabels(teL, origin(FILES.testLabels), numClasses);
  for (const [img, lab, fi, fl] of [
    [trainImages, trainLabels, FILES.trainImages, FILES.trainLabels],
    [testImages, testLabels, FILES.testImages, FILES.testLabels],
  ] as const)
    if (img.n !== lab.length)
      throw new DataFormatError(
        `${origin(fl)} has ${lab.length} labels but ${origin(fi)} has ${img.n} images`,
      );
  if (testImages.h !== trainImages.h || testImages.w !== trainImages.w)
    throw new DataFormatError(
      `${origin(FILES.testImages)} holds ${testImages.h}×${testImages.w} images but ${origin(FILES.trainImages)} ${trainImages.h}×${trainImages.w}`,
    );
  const { h, w } = trainImages;
  const map = options.classes
    ? classMap(options.classes, numClasses, `loadIdxImages(${name}).classes`)
    : undefined;
  const range = options.range ?? (options.normalize === false ? 'raw' : 'unit');
  const raw = {
    train: select(trainImages.data, trainLabels, h * w, options.trainLimit ?? Infinity, map, range),
    test: select(testImages.data, testLabels, h * w, options.testLimit ?? Infinity, map, range),
  };
  const nTrain = raw.train.y.length;
  const nTest = raw.test.y.length;
  const tr = spatial(raw.train.x, nTrain, h, w, options);
  const te = spatial(raw.test.x, nTest, h, w, options);
  const d = tr.h * tr.w;
  const center = options.center === true ? 'pixel' : options.center || undefined;
  if (center === 'pixel') {
    const m = featureMean(tr.x, nTrain, d);
    subtractFeatures(tr.x, d, m);
    subtractFeatures(te.x, d, m);
  } else if (center === 'global' && !options.standardize) {
    const { mean } = globalMoments(tr.x);
    subtractFeatures(tr.x, d, mean);
    subtractFeatures(te.x, d, mean);
  }
  if (options.standardize) {
    const { mean, std } = globalMoments(tr.x);
    if (!(std > 0))
      throw new DataFormatError(
        `loadIdxImages(${name}): the training images are constant; cannot standardise`,
      );
    for (const x of [tr.x, te.x]) for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean) / std;
  }
  if (options.unitNorm) {
    unitNormRows(tr.x, d);
    unitNormRows(te.x, d);
  }
  const shape = options.flatten ? [d] : [tr.h, tr.w, 1];
  const classes = options.classes?.length ?? numClasses;
  return {
    train: { x: tr.x, y: raw.train.y, n: nTrain, shape, classes },
    test: { x: te.x, y: raw.test.y, n: nTest, shape: [...shape], classes },
    name,
    source: files.origin,
  };
}

/** Loads an MNIST-family IDX dataset (see {@link loadIdxImages} for the options) as an ArrayDataset. */
export async function loadIdxImageDataset(
  sources: DataSources,
  name: string,
  options: ImageDatasetOptions = {},
): Promise<ArrayDataset> {
  const s = await loadIdxImages(sources, name, options);
  return ArrayDataset.fromLabelled(
    { train: s.train, test: s.test },
    { name, source: s.source },
    {
      oneHot: options.oneHot ?? false,
    },
  );
}
