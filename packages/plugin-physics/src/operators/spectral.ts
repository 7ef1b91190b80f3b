import * as tf from '@tensorflow/tfjs-core';

/**
 * A truncated 2-D Fourier transform written as real matrix products, so that it is differentiable with tfjs's
 * own matmul gradients on every backend (tfjs-wasm has no FFT kernel). For fields on an n × n grid it keeps the
 * modes k_y ∈ {0 … m − 1} (the real-input half spectrum) and k_x ∈ {0 … m − 1} ∪ {n − m … n − 1}; costs O(n²·m)
 * per channel, cheaper than an FFT for the few modes an FNO keeps.
 */

/** The kept x-wavenumbers of an n-point grid with m modes, in order: 0 … m − 1, then n − m … n − 1. */
export function keptModes(n: number, m: number): number[] {
  if (!Number.isInteger(m) || m < 1 || 2 * m > n)
    throw new RangeError(`keptModes: need 1 ≤ modes ≤ n/2, got modes ${m} for n = ${n}`);
  return [...Array.from({ length: m }, (_, k) => k), ...Array.from({ length: m }, (_, k) => n - m + k)];
}

/** Real DFT factors of one grid size and mode count (float32 tensors the caller disposes). */
export interface DftMatrices {
  /** n, m. */
  n: number;
  modes: number;
  /** [n, 2m]: columns cos(2π k j/n) then −sin(2π k j/n) for k = 0 … m − 1 (the forward half-spectrum along y). */
  forwardY: tf.Tensor2D;
  /** [2K, n] with K = 2m kept k_x: rows cos(2π k j/n) then sin(2π k j/n). */
  forwardX: tf.Tensor2D;
  /** [2m, n]: rows w_k cos(2π k j/n)/n then −w_k sin(2π k j/n)/n, w_0 = 1, w_k = 2 (the real inverse along y). */
  inverseY: tf.Tensor2D;
}

/** Builds the {@link DftMatrices} of an n-point grid keeping m modes. */
export function dftMatrices(n: number, m: number): DftMatrices {
  const kx = keptModes(n, m);
  const K = kx.length;
  const fy = new Float32Array(n * 2 * m);
  const fx = new Float32Array(2 * K * n);
  const iy = new Float32Array(2 * m * n);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < m; k++) {
      const t = (2 * Math.PI * k * j) / n;
      fy[j * 2 * m + k] = Math.cos(t);
      fy[j * 2 * m + m + k] = -Math.sin(t);
      const w = (k === 0 ? 1 : 2) / n;
      iy[k * n + j] = w * Math.cos(t);
      iy[(m + k) * n + j] = -w * Math.sin(t);
    }
    kx.forEach((k, r) => {
      const t = (2 * Math.PI * k * j) / n;
      fx[r * n + j] = Math.cos(t);
      fx[(K + r) * n + j] = Math.sin(t);
    });
  }
  return {
    n,
    modes: m,
    forwardY: tf.tensor2d(fy, [n, 2 * m]),
    forwardX: tf.tensor2d(fx, [2 * K, n]),
    inverseY: tf.tensor2d(iy, [2 * m, n]),
  };
}

/** Releases the matrices. */
export function disposeDft(d: DftMatrices): void {
  tf.dispose([d.forwardY, d.forwardX, d.inverseY]);
}

/**
 * Kept Fourier coefficients of real fields x [b, n, n, c] (NHWC; axis 1 is x, axis 2 is y):
 * X[k_x, k_y] = Σ x[i, j] e^{−2πi(k_x i + k_y j)/n}, returned as re and im of shape [K·m, b, c] (mode-major,
 * k_x slow), K = 2m — the layout the spectral convolution multiplies per mode.
 */
export function truncatedDft2(x: tf.Tensor4D, d: DftMatrices): { re: tf.Tensor3D; im: tf.Tensor3D } {
  return tf.tidy(() => {
    const [b, n, n2, c] = x.shape;
    if (n !== d.n || n2 !== d.n)
      throw new RangeError(`truncatedDft2: grid ${n} × ${n2} but the matrices are for ${d.n}`);
    const m = d.modes;
    const K = 2 * m;
    // Along y: [b, c, n, n] rows · forwardY → [b·c·n, 2m].
    const xt = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [b * c * n, n]);
    const zy = tf.matMul(xt, d.forwardY);
    // Along x: [n, b·c·2m] columns, forwardX · → [2K, b·c·2m].
    const zt = tf.reshape(tf.transpose(tf.reshape(zy, [b * c, n, 2 * m]), [1, 0, 2]), [n, b * c * 2 * m]);
    const zx = tf.reshape(tf.matMul(d.forwardX, zt), [2, K, b * c, 2, m]);
    const [cz, sz] = tf.unstack(zx, 0) as [tf.Tensor4D, tf.Tensor4D];
    const [czr, czi] = tf.unstack(cz, 2);
    const [szr, szi] = tf.unstack(sz, 2);
    // e^{−iθ} = cos θ − i sin θ applied to Z = Zr + i Zi.
    const re = tf.add(czr!, szi!);
    const im = tf.sub(czi!, szr!);
    // [K, b·c, m] → [K, m, b, c] → [K·m, b, c].
    const layout = (t: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(t, [K, b, c, m]), [0, 3, 1, 2]), [K * m, b, c]) as tf.Tensor3D;
    return { re: layout(re), im: layout(im) };
  });
}

/**
 * The real field [b, n, n, c] whose spectrum is the given kept modes (re, im of shape [K·m, b, c]) and zero
 * elsewhere: the inverse of {@link truncatedDft2} on band-limited fields (k_y = 0 imaginary parts are dropped, as
 * an inverse real FFT does).
 */
export function inverseTruncatedDft2(re: tf.Tensor3D, im: tf.Tensor3D, d: DftMatrices): tf.Tensor4D {
  return tf.tidy(() => {
    const m = d.modes;
    const K = 2 * m;
    const n = d.n;
    const [km, b, c] = re.shape;
    if (km !== K * m) throw new RangeError(`inverseTruncatedDft2: ${km} modes, expected ${K * m}`);
    // [K·m, b, c] → [K, b·c·m].
    const layout = (t: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(t, [K, m, b, c]), [0, 2, 3, 1]), [K, b * c * m]);
    const [or, oi] = [layout(re), layout(im)];
    const cx = tf.slice(d.forwardX, [0, 0], [K, n]);
    const sx = tf.slice(d.forwardX, [K, 0], [K, n]);
    // Inverse along x over the kept k_x: Y = (1/n) Σ e^{+iθ} O.
    const ct = tf.transpose(cx);
    const st = tf.transpose(sx);
    const yr = tf.div(tf.sub(tf.matMul(ct, or), tf.matMul(st, oi)), n);
    const yi = tf.div(tf.add(tf.matMul(ct, oi), tf.matMul(st, or)), n);
    // [n, b·c·m] each → [b·c·n, 2m] · inverseY → [b·c·n, n].
    const toRows = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [n, b * c, m]), [1, 0, 2]);
    const y = tf.reshape(tf.concat([toRows(yr), toRows(yi)], 2), [b * c * n, 2 * m]);
    const out = tf.matMul(y, d.inverseY);
    return tf.transpose(tf.reshape(out, [b, c, n, n]), [0, 2, 3, 1]) as tf.Tensor4D;
  });
}

/**
 * The FNO spectral convolution: per kept mode, a complex channel-mixing matrix W[k] ∈ ℂ^{cin × cout} applied to
 * the truncated transform, then transformed back. `wRe`, `wIm` have shape [K·m, cin, cout].
 */
export function spectralConv2d(
  x: tf.Tensor4D,
  wRe: tf.Tensor3D,
  wIm: tf.Tensor3D,
  d: DftMatrices,
): tf.Tensor4D {
  return tf.tidy(() => {
    const { re, im } = truncatedDft2(x, d);
    const outRe = tf.sub(tf.matMul(re, wRe), tf.matMul(im, wIm)) as tf.Tensor3D;
    const outIm = tf.add(tf.matMul(re, wIm), tf.matMul(im, wRe)) as tf.Tensor3D;
    return inverseTruncatedDft2(outRe, outIm, d);
  });
}
