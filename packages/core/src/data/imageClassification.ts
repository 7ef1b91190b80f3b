import type { DataSources } from '../contracts/runContext.js';
import { ArrayDataset } from './arrayDataset.js';
import { parseIdx } from './idx.js';

/** Options of {@link loadIdxImageDataset}. */
export interface ImageDatasetOptions {
  /** Keep at most this many training examples (the first ones, after the class filter). */
  trainLimit?: number;
  /** Keep at most this many test examples. */
  testLimit?: number;
  /** Keep only these classes, relabelled 0..k-1 in the given order. */
  classes?: number[];
  /** Scale pixels to [0, 1] (default true). */
  normalize?: boolean;
  /** Emit one-hot labels. */
  oneHot?: boolean;
}

interface Split {
  x: Float32Array;
  y: Int32Array;
}

function select(
  images: Uint8Array,
  labels: Uint8Array,
  pixels: number,
  limit: number,
  classes: number[] | undefined,
  scale: number,
): Split {
  const map = new Map<number, number>();
  classes?.forEach((c, i) => {
    map.set(c, i);
  });
  const idx: number[] = [];
  for (let i = 0; i < labels.length && idx.length < limit; i++) {
    if (!classes || map.has(labels[i]!)) idx.push(i);
  }
  const x = new Float32Array(idx.length * pixels);
  const y = new Int32Array(idx.length);
  idx.forEach((src, k) => {
    for (let p = 0; p < pixels; p++) x[k * pixels + p] = images[src * pixels + p]! * scale;
    y[k] = classes ? map.get(labels[src]!)! : labels[src]!;
  });
  return { x, y };
}

/** Loads an MNIST-family IDX dataset (`mnist`, `fashion-mnist`) from the data sources as an ArrayDataset. */
export async function loadIdxImageDataset(
  sources: DataSources,
  name: string,
  options: ImageDatasetOptions = {},
): Promise<ArrayDataset> {
  const files = await sources.open(name);
  const read = async (file: string) => parseIdx(await files.read(file), `${files.origin}/${file}`);
  const [trI, trL, teI, teL] = await Promise.all([
    read('train-images-idx3-ubyte'),
    read('train-labels-idx1-ubyte'),
    read('t10k-images-idx3-ubyte'),
    read('t10k-labels-idx1-ubyte'),
  ]);
  const [, h, w] = trI.shape as [number, number, number];
  const pixels = h * w;
  const scale = options.normalize === false ? 1 : 1 / 255;
  const train = select(
    trI.data as Uint8Array,
    trL.data as Uint8Array,
    pixels,
    options.trainLimit ?? Infinity,
    options.classes,
    scale,
  );
  const test = select(
    teI.data as Uint8Array,
    teL.data as Uint8Array,
    pixels,
    options.testLimit ?? Infinity,
    options.classes,
    scale,
  );
  return new ArrayDataset(
    {
      name,
      source: files.origin,
      inputShape: [h, w, 1],
      numClasses: options.classes?.length ?? 10,
    },
    { train, test },
    { oneHot: options.oneHot ?? false },
  );
}
