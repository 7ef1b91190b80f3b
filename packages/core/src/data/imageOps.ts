/**
 * Host-side image transforms on `n` images stored row-major as `[n, h, w, channels]` in one Float32Array.
 * Sums run in float64 in a fixed order (documented per function) so results are bit-reproducible, and
 * so that code which copied one of these loops gets exactly the same numbers from core's version.
 */

/** Options of {@link avgPoolImages}. */
export interface AvgPoolOptions {
  /** Channels per pixel (default 1). */
  channels?: number;
  /**
   * Drop the bottom rows / right columns that do not fill a whole window (output side `floor(side / f)`);
   * without it a factor that does not divide the side is an error.
   */
  crop?: boolean;
  /** Output 1 where the window's exact (float64) mean is above this, else 0. */
  threshold?: number;
}

function checkImages(x: Float32Array, n: number, h: number, w: number, c: number, what: string): void {
  if (x.length !== n * h * w * c)
    throw new RangeError(`${what}: expected ${n}×${h}×${w}×${c} = ${n * h * w * c} values, got ${x.length}`);
}

/**
 * Average-pools by an integer factor `f`: each output pixel is the mean of an f×f window. The window is
 * summed in float64, row by row (`a` over window rows, then `b` over columns), then divided by f² once.
 */
export function avgPoolImages(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  f: number,
  options: AvgPoolOptions = {},
): Float32Array {
  const C = options.channels ?? 1;
  checkImages(x, n, h, w, C, 'avgPoolImages');
  if (!Number.isInteger(f) || f < 1)
    throw new RangeError(`avgPoolImages: factor must be a positive integer, got ${f}`);
  if (!options.crop && (h % f !== 0 || w % f !== 0))
    throw new RangeError(
      `avgPoolImages: factor ${f} does not divide the ${h}×${w} image; pass crop: true to drop the remainder`,
    );
  const oh = Math.floor(h / f);
  const ow = Math.floor(w / f);
  const area = f * f;
  const t = options.threshold;
  const out = new Float32Array(n * oh * ow * C);
  for (let i = 0; i < n; i++) {
    const base = i * h * w * C;
    for (let r = 0; r < oh; r++)
      for (let c = 0; c < ow; c++)
        for (let ch = 0; ch < C; ch++) {
          let acc = 0;
          for (let a = 0; a < f; a++)
            for (let b = 0; b < f; b++) acc += x[base + ((r * f + a) * w + c * f + b) * C + ch]!;
          const mean = acc / area;
          out[((i * oh + r) * ow + c) * C + ch] = t === undefined ? mean : mean > t ? 1 : 0;
        }
  }
  return out;
}

/** Weights `W[o, i]` of an area-average resize of one axis from `from` to `to` samples (rows sum to 1). */
function areaWeights(from: number, to: number): Float64Array {
  const m = new Float64Array(to * from);
  const s = from / to;
  for (let o = 0; o < to; o++) {
    const a = o * s;
    const b = (o + 1) * s;
    for (let i = Math.floor(a); i < Math.min(from, Math.ceil(b)); i++) {
      const overlap = Math.min(b, i + 1) - Math.max(a, i);
      if (overlap > 0) m[o * from + i] = overlap / s;
    }
  }
  return m;
}

/** Weights `W[o, i]` of a half-pixel-centre bilinear resize of one axis, edges clamped (rows sum to 1). */
function bilinearWeights(from: number, to: number): Float64Array {
  const m = new Float64Array(to * from);
  const s = from / to;
  for (let o = 0; o < to; o++) {
    const src = Math.min(Math.max((o + 0.5) * s - 0.5, 0), from - 1);
    const i = Math.floor(src);
    const frac = src - i;
    m[o * from + i]! += 1 - frac;
    m[o * from + Math.min(i + 1, from - 1)]! += frac;
  }
  return m;
}

/** A resize of `n` images `[h, w, channels]` (default one channel) to `[oh, ow, channels]`. */
export type ResizeImages = (
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  oh: number,
  ow: number,
  channels?: number,
) => Float32Array;

/**
 * A separable resize by per-axis weights `W[o, i]`: rows first into a float64 buffer, then columns,
 * skipping zero weights. Same size returns a copy.
 */
function separableResize(what: string, weights: (from: number, to: number) => Float64Array): ResizeImages {
  return (x, n, h, w, oh, ow, C = 1) => {
    checkImages(x, n, h, w, C, what);
    if (oh === h && ow === w) return x.slice();
    const wy = weights(h, oh);
    const wx = weights(w, ow);
    const out = new Float32Array(n * oh * ow * C);
    const tmp = new Float64Array(oh * w * C);
    for (let k = 0; k < n; k++) {
      const off = k * h * w * C;
      tmp.fill(0);
      for (let o = 0; o < oh; o++)
        for (let i = 0; i < h; i++) {
          const c = wy[o * h + i]!;
          if (c === 0) continue;
          for (let j = 0; j < w; j++)
            for (let ch = 0; ch < C; ch++) tmp[(o * w + j) * C + ch]! += c * x[off + (i * w + j) * C + ch]!;
        }
      for (let o = 0; o < oh; o++)
        for (let p = 0; p < ow; p++)
          for (let ch = 0; ch < C; ch++) {
            let acc = 0;
            for (let j = 0; j < w; j++) {
              const c = wx[p * w + j]!;
              if (c !== 0) acc += c * tmp[(o * w + j) * C + ch]!;
            }
            out[((k * oh + o) * ow + p) * C + ch] = acc;
          }
    }
    return out;
  };
}

/**
 * Area-average resize to `oh`×`ow`: each output pixel is the mean of the input area it covers, fractional
 * overlaps weighted (so a 28→14 resize is 2×2 average pooling up to rounding). Same size returns a copy.
 */
export const areaResizeImages: ResizeImages = separableResize('areaResizeImages', areaWeights);

/**
 * Bilinear resize to `oh`×`ow` with half-pixel centres and edge clamping (as `tf.image.resizeBilinear`
 * with `halfPixelCenters: true`), computed separably in float64. For shrinking by an integer factor
 * prefer {@link avgPoolImages}: bilinear samples 2×2 pixels and ignores the rest of the window.
 */
export const bilinearResizeImages: ResizeImages = separableResize('bilinearResizeImages', bilinearWeights);

/**
 * Per-feature mean over `n` rows of `d` values, accumulated in float64 as Σ_i x[i,k]/n (row by row), the
 * order paperlab's loaders have always used.
 */
export function featureMean(x: Float32Array, n: number, d: number): Float64Array {
  const m = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) m[k]! += x[i * d + k]! / n;
  return m;
}

/** Subtracts a per-feature vector (or one scalar) from every row, in place. */
export function subtractFeatures(x: Float32Array, d: number, m: Float64Array | number): Float32Array {
  const n = x.length / d;
  if (typeof m === 'number') {
    for (let i = 0; i < x.length; i++) x[i]! -= m;
  } else {
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) x[i * d + k]! -= m[k]!;
  }
  return x;
}

/** Mean and (population) standard deviation of all values, in float64. */
export function globalMoments(x: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  const mean = x.length ? s / x.length : 0;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - mean) ** 2;
  return { mean, std: x.length ? Math.sqrt(ss / x.length) : 0 };
}

/**
 * Rescales every row of `d` values to squared norm `d` (so x·x/d = 1), in place; all-zero rows stay zero.
 * The squared norm is summed in float64 over the stored float32 values.
 */
export function unitNormRows(x: Float32Array, d: number): Float32Array {
  const n = x.length / d;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k]! ** 2;
    const scale = s > 0 ? Math.sqrt(d / s) : 0;
    for (let k = 0; k < d; k++) x[i * d + k]! *= scale;
  }
  return x;
}
