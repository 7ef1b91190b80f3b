/**
 * In-place radix-2 complex FFT (iterative Cooley–Tukey) on float64 arrays: X_k = Σ_j x_j e^{∓2πi jk/n}, the
 * inverse scaled by 1/n. tfjs-wasm has no FFT kernel, and the spectral solvers here want float64 anyway.
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n)
    throw new RangeError(`fft: real and imaginary parts differ in length (${n}, ${im.length})`);
  if (n === 0 || (n & (n - 1)) !== 0) throw new RangeError(`fft: length must be a power of two, got ${n}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (sign * 2 * Math.PI) / len;
    const [wr, wi] = [Math.cos(ang), Math.sin(ang)];
    for (let s = 0; s < n; s += len) {
      let [cr, ci] = [1, 0];
      for (let k = 0; k < len / 2; k++) {
        const a = s + k;
        const b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        [cr, ci] = [cr * wr - ci * wi, cr * wi + ci * wr];
      }
    }
  }
  if (inverse)
    for (let i = 0; i < n; i++) {
      re[i] = re[i]! / n;
      im[i] = im[i]! / n;
    }
}

/** 2-D FFT of an ny × nx row-major complex array (rows then columns), in place. */
export function fft2(re: Float64Array, im: Float64Array, ny: number, nx: number, inverse = false): void {
  if (re.length !== nx * ny) throw new RangeError(`fft2: ${re.length} values for a ${ny} × ${nx} grid`);
  const [rr, ri] = [new Float64Array(nx), new Float64Array(nx)];
  for (let j = 0; j < ny; j++) {
    rr.set(re.subarray(j * nx, (j + 1) * nx));
    ri.set(im.subarray(j * nx, (j + 1) * nx));
    fft(rr, ri, inverse);
    re.set(rr, j * nx);
    im.set(ri, j * nx);
  }
  const [cr, ci] = [new Float64Array(ny), new Float64Array(ny)];
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      cr[j] = re[j * nx + i]!;
      ci[j] = im[j * nx + i]!;
    }
    fft(cr, ci, inverse);
    for (let j = 0; j < ny; j++) {
      re[j * nx + i] = cr[j]!;
      im[j * nx + i] = ci[j]!;
    }
  }
}

/** Angular wavenumbers of an n-point periodic grid of length `length`, in FFT order (0, 1, …, n/2 − 1, −n/2, …, −1)·2π/L. */
export function wavenumbers(n: number, length: number): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => ((2 * Math.PI) / length) * (j < n / 2 ? j : j - n));
}

/**
 * The m-th derivative of a periodic real signal by FFT (the Nyquist mode is zeroed for odd m so the result stays
 * real). `maxMode` keeps only modes |j| ≤ maxMode (a sharp low-pass: noisy data would otherwise be amplified by
 * k^m at the top of the spectrum).
 */
export function spectralDerivative(
  u: ArrayLike<number>,
  length: number,
  m: number,
  maxMode?: number,
): Float64Array {
  const n = u.length;
  const re = Float64Array.from(u);
  const im = new Float64Array(n);
  fft(re, im);
  const k = wavenumbers(n, length);
  for (let j = 0; j < n; j++) {
    // (ik)^m = k^m · i^m
    const km = k[j]! ** m;
    const [a, b] = [re[j]! * km, im[j]! * km];
    const r = m % 4;
    [re[j], im[j]] = r === 0 ? [a, b] : r === 1 ? [-b, a] : r === 2 ? [-a, -b] : [b, -a];
    if (j === n / 2 && m % 2 === 1) [re[j], im[j]] = [0, 0];
    if (maxMode !== undefined && (j < n / 2 ? j : n - j) > maxMode) [re[j], im[j]] = [0, 0];
  }
  fft(re, im, true);
  return re;
}
