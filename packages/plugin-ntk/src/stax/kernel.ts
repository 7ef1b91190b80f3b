/**
 * The analytic kernel of a block of input pairs as it flows through a network (host, Float64).
 * With S spatial positions, entries are stored per pair either for the same pixel only (`full: false`,
 * [.., S]: enough for convolutions, Flatten and readouts) or for all pixel pairs (`full: true`, [.., S, S]:
 * needed by global average pooling). Fully-connected layers have S = 1.
 */
export interface Kernel {
  /** Rows (first input set). */
  n1: number;
  /** Columns (second input set). */
  n2: number;
  /** Spatial dimensions of the current layer ([] for vectors). */
  spatial: readonly number[];
  /** Whether covariances of all pixel pairs are kept. */
  full: boolean;
  /** NNGP Σ(x1_i, x2_j), [n1, n2, S] or [n1, n2, S, S]. */
  nngp: Float64Array;
  /** NTK Θ(x1_i, x2_j), same layout (null when only the NNGP is computed). */
  ntk: Float64Array | null;
  /** Σ(x1_i, x1_i) per position (pairs), [n1, S] or [n1, S, S]. */
  cov1: Float64Array;
  /** Σ(x2_j, x2_j), [n2, S] or [n2, S, S]. */
  cov2: Float64Array;
  /** Channels (width) of the finite layer this kernel describes; enters the standard parametrisation. */
  channels: number;
  /** Ids of affine layers whose fresh, zero-mean output this value is a sum of (empty: not fresh). */
  fresh: ReadonlySet<number>;
  /** Ids of every affine layer this value depends on. */
  depends: ReadonlySet<number>;
}

/** Number of spatial positions S. */
export function spatialSize(spatial: readonly number[]): number {
  return spatial.reduce((a, b) => a * b, 1);
}

/** Values stored per pair: S (same-pixel) or S² (all pixel pairs). */
export function slabSize(k: Pick<Kernel, 'spatial' | 'full'>): number {
  const s = spatialSize(k.spatial);
  return k.full ? s * s : s;
}

/** Where each output position of a convolution reads its inputs, for one spatial axis. */
export interface AxisMap {
  inSize: number;
  outSize: number;
  /** Filter size along this axis. */
  filter: number;
  /** taps[o·filter + δ]: input position read by output o at filter offset δ, or −1 (zero padding). */
  taps: Int32Array;
  /** Zero padding before / after (0 for 'valid'; for 'circular' the wrap width). */
  padBefore: number;
  padAfter: number;
  /** Whether taps are the plain shift o + δ − padBefore (stride 1, not circular): enables contiguous loops. */
  shift: boolean;
}

/** Padding modes: zero padding keeping size/stride ('same'), none ('valid'), periodic ('circular'). */
export type Padding = 'same' | 'valid' | 'circular';

/** The tap map of a convolution along one axis (TensorFlow's SAME convention for the padding split). */
export function axisMap(inSize: number, filter: number, stride: number, padding: Padding): AxisMap {
  if (filter < 1 || stride < 1)
    throw new Error(`conv: filter (${filter}) and stride (${stride}) must be ≥ 1`);
  let outSize: number;
  let padBefore = 0;
  let padAfter = 0;
  if (padding === 'valid') {
    if (inSize < filter)
      throw new Error(`conv: 'valid' filter ${filter} is larger than the input (${inSize})`);
    outSize = Math.floor((inSize - filter) / stride) + 1;
  } else {
    outSize = Math.ceil(inSize / stride);
    const total = Math.max((outSize - 1) * stride + filter - inSize, 0);
    padBefore = Math.floor(total / 2);
    padAfter = total - padBefore;
  }
  const taps = new Int32Array(outSize * filter);
  for (let o = 0; o < outSize; o++) {
    for (let d = 0; d < filter; d++) {
      let i = o * stride + d - padBefore;
      if (padding === 'circular') i = ((i % inSize) + inSize) % inSize;
      taps[o * filter + d] = i >= 0 && i < inSize ? i : -1;
    }
  }
  return {
    inSize,
    outSize,
    filter,
    taps,
    padBefore,
    padAfter,
    shift: stride === 1 && padding !== 'circular',
  };
}

/**
 * The covariance of a convolution's output (before weights' variance and bias): for every pair slab,
 * Σ'[o1, o2] = (1/K)·Σ_δ Σ[tap(o1, δ), tap(o2, δ)] (full) or Σ'[o] = (1/K)·Σ_δ Σ[tap(o, δ)] (same-pixel),
 * K = Π filter sizes. Separable: one pass per spatial axis.
 */
export function convolveCov(
  data: Float64Array,
  count: number,
  maps: readonly AxisMap[],
  full: boolean,
): Float64Array {
  let cur = data;
  const dims = maps.map((m) => m.inSize);
  const r = maps.length;
  for (let a = 0; a < r; a++) {
    const m = maps[a]!;
    const f = m.filter;
    const inv = 1 / f;
    const before = dims.slice(0, a).reduce((x, y) => x * y, 1);
    const after = dims.slice(a + 1).reduce((x, y) => x * y, 1);
    const di = m.inSize;
    const dout = m.outSize;
    if (!full) {
      const pre = count * before;
      const out = new Float64Array(pre * dout * after);
      for (let p = 0; p < pre; p++) {
        for (let o = 0; o < dout; o++) {
          const ob = (p * dout + o) * after;
          for (let d = 0; d < f; d++) {
            const i = m.taps[o * f + d]!;
            if (i < 0) continue;
            const ib = (p * di + i) * after;
            for (let q = 0; q < after; q++) out[ob + q]! += cur[ib + q]!;
          }
          for (let q = 0; q < after; q++) out[ob + q]! *= inv;
        }
      }
      cur = out;
    } else {
      // View [pre, d_a, mid, d_a, post] with pre = count·Π_{b<a} d_b, mid = Π_{b>a} d_b·Π_{b<a} d_b, post = Π_{b>a} d_b.
      // Loop order keeps the innermost loop a gather along o2 (and a contiguous run over post).
      const pre = count * before;
      const mid = after * before;
      const post = after;
      const out = new Float64Array(pre * dout * mid * dout * post);
      const tapsByOffset: Int32Array[] = [];
      for (let d = 0; d < f; d++)
        tapsByOffset.push(Int32Array.from({ length: dout }, (_, o) => m.taps[o * f + d]!));
      for (let p = 0; p < pre; p++) {
        for (let d = 0; d < f; d++) {
          const td = tapsByOffset[d]!;
          for (let o1 = 0; o1 < dout; o1++) {
            const i1 = td[o1]!;
            if (i1 < 0) continue;
            for (let u = 0; u < mid; u++) {
              const ob = ((p * dout + o1) * mid + u) * dout;
              const ib = ((p * di + i1) * mid + u) * di;
              if (m.shift) {
                // i2 = o2 + sh for o2 in [lo, hi): a contiguous run of length (hi − lo)·post.
                const sh = d - m.padBefore;
                const lo = Math.max(0, -sh);
                const hi = Math.min(dout, di - sh);
                const oo = (ob + lo) * post;
                const ii = (ib + lo + sh) * post;
                const len = (hi - lo) * post;
                for (let q = 0; q < len; q++) out[oo + q]! += cur[ii + q]!;
              } else if (post === 1) {
                for (let o2 = 0; o2 < dout; o2++) {
                  const i2 = td[o2]!;
                  if (i2 >= 0) out[ob + o2]! += cur[ib + i2]!;
                }
              } else {
                for (let o2 = 0; o2 < dout; o2++) {
                  const i2 = td[o2]!;
                  if (i2 < 0) continue;
                  const oo = (ob + o2) * post;
                  const ii = (ib + i2) * post;
                  for (let q = 0; q < post; q++) out[oo + q]! += cur[ii + q]!;
                }
              }
            }
          }
        }
      }
      for (let i = 0; i < out.length; i++) out[i]! *= inv;
      cur = out;
    }
    dims[a] = dout;
  }
  return cur === data ? data.slice() : cur;
}

/** Per-position variances Σ(x, x)[p, p] from self-covariances ([n, S] or [n, S, S]) → [n, S]. */
export function diagonalOf(cov: Float64Array, n: number, s: number, full: boolean): Float64Array {
  if (!full) return cov;
  const out = new Float64Array(n * s);
  for (let i = 0; i < n; i++) for (let p = 0; p < s; p++) out[i * s + p] = cov[(i * s + p) * s + p]!;
  return out;
}

/** Mean over same-pixel entries of each slab (Flatten): [count, S(,S)] → [count]. */
export function meanDiagonal(data: Float64Array, count: number, s: number, full: boolean): Float64Array {
  const out = new Float64Array(count);
  const slab = full ? s * s : s;
  const step = full ? s + 1 : 1;
  for (let c = 0; c < count; c++) {
    let sum = 0;
    for (let p = 0; p < s; p++) sum += data[c * slab + p * step]!;
    out[c] = sum / s;
  }
  return out;
}

/** Mean over all pixel pairs of each slab (global average pooling): [count, S, S] → [count]. */
export function meanAll(data: Float64Array, count: number, s: number): Float64Array {
  const out = new Float64Array(count);
  const slab = s * s;
  for (let c = 0; c < count; c++) {
    let sum = 0;
    for (let q = 0; q < slab; q++) sum += data[c * slab + q]!;
    out[c] = sum / slab;
  }
  return out;
}

/** σw²·x + σb² elementwise (new array). */
export function affineScale(x: Float64Array, sigmaW2: number, sigmaB2: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = sigmaW2 * x[i]! + sigmaB2;
  return out;
}

/**
 * A kernel's four arrays mapped by `f(array, rows)`: NNGP and NTK with n1·n2 rows, cov1 with n1 and cov2 with n2
 * (shared with cov1 when the kernel's two input sets are one).
 */
export function mapKernelArrays(
  k: Kernel,
  f: (data: Float64Array, rows: number) => Float64Array,
): Pick<Kernel, 'nngp' | 'ntk' | 'cov1' | 'cov2'> {
  const pairs = k.n1 * k.n2;
  const cov1 = f(k.cov1, k.n1);
  return {
    nngp: f(k.nngp, pairs),
    ntk: k.ntk ? f(k.ntk, pairs) : null,
    cov1,
    cov2: k.cov2 === k.cov1 ? cov1 : f(k.cov2, k.n2),
  };
}

/** The union of id sets. */
export function unionIds(...sets: ReadonlyArray<ReadonlySet<number>>): Set<number> {
  const out = new Set<number>();
  for (const s of sets) for (const v of s) out.add(v);
  return out;
}
