import type { Rng } from '@paperlab/core';

/** A dense complex matrix, row-major, with separate Float64 real and imaginary planes. */
export interface ComplexMatrix {
  rows: number;
  cols: number;
  re: Float64Array;
  im: Float64Array;
}

/** The m×m identity. */
export function complexIdentity(m: number): ComplexMatrix {
  const re = new Float64Array(m * m);
  for (let i = 0; i < m; i++) re[i * m + i] = 1;
  return { rows: m, cols: m, re, im: new Float64Array(m * m) };
}

/** Product a·b. */
export function complexMatmul(a: ComplexMatrix, b: ComplexMatrix): ComplexMatrix {
  if (a.cols !== b.rows) throw new RangeError(`complexMatmul: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  const re = new Float64Array(a.rows * b.cols);
  const im = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const ar = a.re[i * a.cols + k]!;
      const ai = a.im[i * a.cols + k]!;
      for (let j = 0; j < b.cols; j++) {
        re[i * b.cols + j]! += ar * b.re[k * b.cols + j]! - ai * b.im[k * b.cols + j]!;
        im[i * b.cols + j]! += ar * b.im[k * b.cols + j]! + ai * b.re[k * b.cols + j]!;
      }
    }
  return { rows: a.rows, cols: b.cols, re, im };
}

/** Largest entry of |U†U − I| (0 for a unitary). */
export function unitarityDeviation(u: ComplexMatrix): number {
  const m = u.rows;
  let worst = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < m; k++) {
        re += u.re[k * m + i]! * u.re[k * m + j]! + u.im[k * m + i]! * u.im[k * m + j]!;
        im += u.re[k * m + i]! * u.im[k * m + j]! - u.im[k * m + i]! * u.re[k * m + j]!;
      }
      worst = Math.max(worst, Math.abs(re - (i === j ? 1 : 0)), Math.abs(im));
    }
  return worst;
}

/**
 * Left-multiplies `u` in place by a Mach–Zehnder interferometer on modes (k, k+1) with internal angle θ
 * and external phase φ: T = [[e^{iφ} cos θ, −sin θ], [e^{iφ} sin θ, cos θ]] (Clements et al. 2016).
 */
export function applyMzi(u: ComplexMatrix, k: number, theta: number, phi: number): void {
  const m = u.cols;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const er = Math.cos(phi);
  const ei = Math.sin(phi);
  for (let j = 0; j < m; j++) {
    const ar = u.re[k * m + j]!;
    const ai = u.im[k * m + j]!;
    const br = u.re[(k + 1) * m + j]!;
    const bi = u.im[(k + 1) * m + j]!;
    // e^{iφ}·a
    const pr = er * ar - ei * ai;
    const pi = er * ai + ei * ar;
    u.re[k * m + j] = c * pr - s * br;
    u.im[k * m + j] = c * pi - s * bi;
    u.re[(k + 1) * m + j] = s * pr + c * br;
    u.im[(k + 1) * m + j] = s * pi + c * bi;
  }
}

/** Mesh layouts: Clements' rectangle (depth m, balanced losses) or Reck's triangle. */
export type MeshLayout = 'clements' | 'reck';

/** The mode pairs (k, k+1) of a mesh's m(m−1)/2 interferometers, in the order light meets them. */
export function meshPairs(m: number, layout: MeshLayout = 'clements'): number[] {
  const out: number[] = [];
  if (layout === 'clements') {
    for (let layer = 0; layer < m; layer++) for (let k = layer % 2; k + 1 < m; k += 2) out.push(k);
  } else {
    for (let d = 0; d < m - 1; d++) for (let k = d; k >= 0; k--) out.push(k);
  }
  return out;
}

/** Number of real phases of an m-mode mesh: m(m−1)/2 interferometers × (θ, φ) + m output phases = m². */
export function meshPhaseCount(m: number): number {
  return m * m;
}

/**
 * The unitary of an m-mode interferometer programmed by m² phases: for each MZI in {@link meshPairs}
 * order (θ, φ), then m output phase shifts. Any m×m unitary is reachable (Reck 1994, Clements 2016).
 */
export function interferometerUnitary(
  m: number,
  phases: ArrayLike<number>,
  layout: MeshLayout = 'clements',
): ComplexMatrix {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`interferometerUnitary: m must be ≥ 1, got ${m}`);
  if (phases.length !== m * m) {
    throw new RangeError(`interferometerUnitary: ${m} modes need ${m * m} phases, got ${phases.length}`);
  }
  const u = complexIdentity(m);
  const pairs = meshPairs(m, layout);
  pairs.forEach((k, i) => {
    applyMzi(u, k, phases[2 * i]!, phases[2 * i + 1]!);
  });
  const off = 2 * pairs.length;
  for (let r = 0; r < m; r++) {
    const a = phases[off + r]!;
    const er = Math.cos(a);
    const ei = Math.sin(a);
    for (let j = 0; j < m; j++) {
      const xr = u.re[r * m + j]!;
      const xi = u.im[r * m + j]!;
      u.re[r * m + j] = er * xr - ei * xi;
      u.im[r * m + j] = er * xi + ei * xr;
    }
  }
  return u;
}

/** A Haar-random m×m unitary: QR of a complex Gaussian matrix with the phases of R's diagonal fixed (Mezzadri 2007). */
export function haarUnitary(m: number, rng: Rng): ComplexMatrix {
  const re = Float64Array.from(rng.normals(m * m));
  const im = Float64Array.from(rng.normals(m * m));
  // Modified Gram–Schmidt on the columns.
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < j; k++) {
      let dr = 0;
      let di = 0;
      for (let i = 0; i < m; i++) {
        // <q_k, v_j> = Σ conj(q_ik)·v_ij
        dr += re[i * m + k]! * re[i * m + j]! + im[i * m + k]! * im[i * m + j]!;
        di += re[i * m + k]! * im[i * m + j]! - im[i * m + k]! * re[i * m + j]!;
      }
      for (let i = 0; i < m; i++) {
        re[i * m + j]! -= dr * re[i * m + k]! - di * im[i * m + k]!;
        im[i * m + j]! -= dr * im[i * m + k]! + di * re[i * m + k]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += re[i * m + j]! ** 2 + im[i * m + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) {
      re[i * m + j]! /= norm;
      im[i * m + j]! /= norm;
    }
  }
  return { rows: m, cols: m, re, im };
}
