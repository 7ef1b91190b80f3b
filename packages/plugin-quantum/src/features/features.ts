import { eigh, matFrom } from '@paperlab/core/linalg';

/** Principal components of row vectors: mean and the top-k eigenvectors of the covariance. */
export interface Pca {
  dim: number;
  k: number;
  mean: Float64Array;
  /** Components, row-major [k, dim], by decreasing variance. */
  components: Float64Array;
  /** Variance along each component. */
  variances: Float64Array;
  /** Fraction of the total variance the k components explain. */
  explained: number;
}

/** Fits PCA to `x` ([n, dim], row-major) with the Float64 symmetric eigensolver. */
export function fitPca(x: ArrayLike<number>, dim: number, k: number): Pca {
  const n = x.length / dim;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`fitPca: need ≥ 2 rows of ${dim} values`);
  if (k < 1 || k > dim) throw new RangeError(`fitPca: k must be in [1, ${dim}], got ${k}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j]! += x[i * dim + j]! / n;
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) row[j] = x[i * dim + j]! - mean[j]!;
    for (let a = 0; a < dim; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < dim; b++) cov[a * dim + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < dim; a++)
    for (let b = a; b < dim; b++) {
      cov[a * dim + b]! /= n - 1;
      cov[b * dim + a] = cov[a * dim + b]!;
    }
  const { values, vectors } = eigh(matFrom(dim, dim, cov));
  const components = new Float64Array(k * dim);
  const variances = new Float64Array(k);
  let total = 0;
  for (let j = 0; j < dim; j++) total += Math.max(values[j]!, 0);
  let kept = 0;
  for (let c = 0; c < k; c++) {
    const col = dim - 1 - c; // eigh sorts ascending
    variances[c] = values[col]!;
    kept += Math.max(values[col]!, 0);
    // Sign convention: the largest-magnitude entry is positive (deterministic across platforms).
    let big = 0;
    for (let j = 0; j < dim; j++)
      if (Math.abs(vectors.data[j * dim + col]!) > Math.abs(big)) big = vectors.data[j * dim + col]!;
    const s = big < 0 ? -1 : 1;
    for (let j = 0; j < dim; j++) components[c * dim + j] = s * vectors.data[j * dim + col]!;
  }
  return { dim, k, mean, components, variances, explained: total > 0 ? kept / total : 0 };
}

/** Projects rows of `x` onto the principal components: [n, k]. */
export function pcaTransform(p: Pca, x: ArrayLike<number>): Float32Array {
  const n = x.length / p.dim;
  const out = new Float32Array(n * p.k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < p.k; c++) {
      let s = 0;
      for (let j = 0; j < p.dim; j++) s += (x[i * p.dim + j]! - p.mean[j]!) * p.components[c * p.dim + j]!;
      out[i * p.k + c] = s;
    }
  return out;
}

/** Per-column affine map fitted on training rows and applied to any rows. */
export interface ColumnScaler {
  dim: number;
  scale: Float64Array;
  shift: Float64Array;
  /** Clip outputs to [lo, hi] (min-max scalers). */
  clip?: [number, number];
}

/** z-score scaler: (x − mean)/std per column (std floored at 1e-8). */
export function fitStandardizer(x: ArrayLike<number>, dim: number): ColumnScaler {
  const n = x.length / dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      mean[j]! += x[i * dim + j]! / n;
      sq[j]! += x[i * dim + j]! ** 2 / n;
    }
  const scale = Float64Array.from(mean, (m, j) => 1 / Math.max(Math.sqrt(Math.max(sq[j]! - m * m, 0)), 1e-8));
  const shift = Float64Array.from(mean, (m, j) => -m * scale[j]!);
  return { dim, scale, shift };
}

/** Min-max scaler onto [lo, hi] per column (test rows outside the training range are clipped). */
export function fitMinMax(x: ArrayLike<number>, dim: number, lo: number, hi: number): ColumnScaler {
  const n = x.length / dim;
  const min = new Float64Array(dim).fill(Infinity);
  const max = new Float64Array(dim).fill(-Infinity);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      min[j] = Math.min(min[j]!, x[i * dim + j]!);
      max[j] = Math.max(max[j]!, x[i * dim + j]!);
    }
  const scale = Float64Array.from(min, (m, j) => (hi - lo) / Math.max(max[j]! - m, 1e-12));
  const shift = Float64Array.from(min, (m, j) => lo - m * scale[j]!);
  return { dim, scale, shift, clip: [lo, hi] };
}

/** Applies a fitted column scaler. */
export function applyScaler(s: ColumnScaler, x: ArrayLike<number>): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % s.dim;
    let v = x[i]! * s.scale[j]! + s.shift[j]!;
    if (s.clip) v = Math.min(s.clip[1], Math.max(s.clip[0], v));
    out[i] = v;
  }
  return out;
}

/** Row-wise concatenation of `[n, da]` and `[n, db]` matrices (`a` itself when `b` is null). */
export function concatRows(a: Float32Array, da: number, b: Float32Array | null, db: number): Float32Array {
  if (!b) return a;
  const n = a.length / da;
  const out = new Float32Array(n * (da + db));
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * da, (i + 1) * da), i * (da + db));
    out.set(b.subarray(i * db, (i + 1) * db), i * (da + db) + da);
  }
  return out;
}

/** Feature rows of a training and a test split, `dim` columns each. */
export interface FeatureSplits {
  train: Float32Array;
  test: Float32Array;
  dim: number;
}

/** Maps both splits through `f` (told which split it maps) into `dim`-column features. */
export function mapSplits<T>(
  s: { train: T; test: T },
  dim: number,
  f: (x: T, split: 'train' | 'test') => Float32Array,
): FeatureSplits {
  return { train: f(s.train, 'train'), test: f(s.test, 'test'), dim };
}

/** Standardises both splits of `dim`-column rows with the training split's statistics. */
export function standardizeSplits(train: Float32Array, test: Float32Array, dim: number): FeatureSplits {
  const s = fitStandardizer(train, dim);
  return { train: applyScaler(s, train), test: applyScaler(s, test), dim };
}

/** Largest absolute element-wise difference of two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Float32 values as a base64 string (compact JSON for checkpoints). */
export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Inverse of {@link encodeFloat32}. */
export function decodeFloat32(text: string): Float32Array {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}
