import * as tf from '@tensorflow/tfjs-core';
import { PaperlabError } from '../util/errors.js';

/** Class-labelled examples held as typed arrays: what loaders return, `fit` trains on, ArrayDataset wraps. */
export interface LabelledArrays {
  /** `n` examples of `shape`, flattened row-major into one array. */
  x: Float32Array;
  /** One class index in [0, classes) per example. */
  y: Int32Array;
  /** Number of examples. */
  n: number;
  /** Shape of one example (e.g. `[28, 28, 1]`, or `[784]` when flattened). */
  shape: number[];
  /** Number of classes. */
  classes: number;
}

/** Examples with real-valued targets (regression), held as typed arrays. */
export interface TargetArrays {
  /** `n` examples of `shape`, flattened row-major. */
  x: Float32Array;
  /** `n` targets of `targetShape`, flattened row-major. */
  y: Float32Array;
  /** Number of examples. */
  n: number;
  /** Shape of one example. */
  shape: number[];
  /** Shape of one target (`[]` for a scalar, `[1]` for a column). */
  targetShape: number[];
}

/** A data file or array had the wrong format; the message names the file or array and what was expected. */
export class DataFormatError extends PaperlabError {
  constructor(message: string) {
    super('E_DATA_FORMAT', message);
  }
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values per example of `data` (the product of its shape). */
export function exampleSize(data: Pick<LabelledArrays, 'shape'>): number {
  return sizeOf(data.shape);
}

/** Checks sizes and label range of labelled arrays; `what` names them in the error. */
export function checkLabelled(data: LabelledArrays, what = 'labelled arrays'): LabelledArrays {
  const d = sizeOf(data.shape);
  if (!Number.isInteger(data.n) || data.n < 0)
    throw new DataFormatError(`${what}: n must be a count, got ${data.n}`);
  if (data.x.length !== data.n * d)
    throw new DataFormatError(
      `${what}: x has ${data.x.length} values, expected n × ${d} = ${data.n * d} for ${data.n} examples of [${data.shape}]`,
    );
  if (data.y.length !== data.n)
    throw new DataFormatError(`${what}: ${data.y.length} labels for ${data.n} examples`);
  if (!Number.isInteger(data.classes) || data.classes < 1)
    throw new DataFormatError(`${what}: classes must be a positive integer, got ${data.classes}`);
  for (let i = 0; i < data.n; i++) {
    const c = data.y[i]!;
    if (c < 0 || c >= data.classes)
      throw new DataFormatError(
        `${what}: label ${c} of example ${i} is outside [0, ${data.classes}); pass the right class count`,
      );
  }
  return data;
}

/** Checks the sizes of target arrays; `what` names them in the error. */
export function checkTargets(data: TargetArrays, what = 'target arrays'): TargetArrays {
  const d = sizeOf(data.shape);
  const t = sizeOf(data.targetShape);
  if (data.x.length !== data.n * d)
    throw new DataFormatError(`${what}: x has ${data.x.length} values, expected ${data.n} × ${d}`);
  if (data.y.length !== data.n * t)
    throw new DataFormatError(`${what}: y has ${data.y.length} values, expected ${data.n} × ${t}`);
  return data;
}

/**
 * Gathers examples `indices` into a fresh batch `{ x: [b, ...shape], y }` (labels int32 `[b]`, targets
 * float32 `[b, ...targetShape]`). Built from typed arrays: on wasm, slicing a big tensor copies all of it.
 */
export function gatherBatch(
  data: Pick<LabelledArrays, 'x' | 'y' | 'shape'> | Pick<TargetArrays, 'x' | 'y' | 'shape' | 'targetShape'>,
  indices: ArrayLike<number>,
): { x: tf.Tensor; y: tf.Tensor } {
  const d = sizeOf(data.shape);
  const b = indices.length;
  const xb = new Float32Array(b * d);
  for (let i = 0; i < b; i++) {
    const j = indices[i]!;
    xb.set(data.x.subarray(j * d, (j + 1) * d), i * d);
  }
  const x = tf.tensor(xb, [b, ...data.shape], 'float32');
  if (data.y instanceof Int32Array) {
    const yb = new Int32Array(b);
    for (let i = 0; i < b; i++) yb[i] = data.y[indices[i]!]!;
    return { x, y: tf.tensor1d(yb, 'int32') };
  }
  const t = data as Pick<TargetArrays, 'y' | 'targetShape'>;
  const ts = sizeOf(t.targetShape);
  const yb = new Float32Array(b * ts);
  for (let i = 0; i < b; i++) yb.set(t.y.subarray(indices[i]! * ts, (indices[i]! + 1) * ts), i * ts);
  return { x, y: tf.tensor(yb, [b, ...t.targetShape], 'float32') };
}

/** The first `count` examples (views, no copy). */
export function headOf(data: LabelledArrays, count: number): LabelledArrays {
  const k = Math.max(0, Math.min(count, data.n));
  const d = sizeOf(data.shape);
  return { ...data, x: data.x.subarray(0, k * d), y: data.y.subarray(0, k), n: k };
}

/** The examples at `indices`, copied in that order. */
export function pickExamples(data: LabelledArrays, indices: ArrayLike<number>): LabelledArrays {
  const d = sizeOf(data.shape);
  const x = new Float32Array(indices.length * d);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    if (!(j >= 0 && j < data.n)) throw new RangeError(`pickExamples: index ${j} outside [0, ${data.n})`);
    x.set(data.x.subarray(j * d, (j + 1) * d), i * d);
    y[i] = data.y[j]!;
  }
  return { x, y, n: indices.length, shape: [...data.shape], classes: data.classes };
}

/**
 * Keeps the examples of `classes` (in their stored order) and relabels class `classes[k]` to `k`.
 * `limit` stops after that many kept examples.
 */
export function selectClasses(
  data: LabelledArrays,
  classes: readonly number[],
  limit = Infinity,
): LabelledArrays {
  const map = classMap(classes, data.classes, 'selectClasses');
  const keep: number[] = [];
  for (let i = 0; i < data.n && keep.length < limit; i++) if (map.has(data.y[i]!)) keep.push(i);
  const out = pickExamples(data, keep);
  for (let i = 0; i < out.n; i++) out.y[i] = map.get(out.y[i]!)!;
  return { ...out, classes: classes.length };
}

/** Validates a class subset and maps each kept class to its new label. */
export function classMap(classes: readonly number[], total: number, what: string): Map<number, number> {
  const map = new Map<number, number>();
  classes.forEach((c, k) => {
    if (!Number.isInteger(c) || c < 0 || c >= total)
      throw new DataFormatError(`${what}: class ${c} is not one of the ${total} classes 0..${total - 1}`);
    if (map.has(c)) throw new DataFormatError(`${what}: class ${c} is listed twice in [${classes}]`);
    map.set(c, k);
  });
  if (map.size === 0) throw new DataFormatError(`${what}: the class subset is empty`);
  return map;
}

/** The same examples with each flattened to one row (`shape` becomes `[product]`; no copy). */
export function flattenExamples<T extends LabelledArrays | TargetArrays>(data: T): T {
  return { ...data, shape: [sizeOf(data.shape)] };
}
