import type { Rng } from '@paperlab/core';
import { spectralDerivative } from '../solvers/fft.js';
import { solveKdv } from '../solvers/kdv.js';

/** The observation design of a KdV inverse problem: grid, window, sampling and noise. */
export interface KdvDesign {
  /** Periodic domain length. */
  length: number;
  /** Grid points (power of two). */
  nx: number;
  /** Snapshots observed. */
  nt: number;
  /** Time between snapshots. */
  dtObs: number;
  /** Sine modes in the initial condition: u₀ = Σ_j A_j sin(2π l_j x/L + φ_j), l_j ∈ {1 … maxMode}. */
  modes: number;
  maxMode: number;
  /** Amplitude bound: A_j ∈ [−amp, amp]. */
  amp: number;
  /** Gaussian noise added to every observed value (absolute). */
  noise: number;
  /** Highest Fourier mode kept when differentiating the data. */
  derivativeModes: number;
}

/** One observed trajectory u[t·nx + x] and its dispersion δ. */
export interface KdvSample {
  u: Float32Array;
  delta: number;
}

/**
 * A random trajectory of u_t + u·u_x + δ²·u_xxx = 0 (Brandstetter-style sine initial conditions), solved by the
 * pseudo-spectral ETDRK4 solver and observed at `nt` times with additive noise.
 */
export function kdvTrajectory(rng: Rng, delta: number, d: KdvDesign): KdvSample {
  const x = Array.from({ length: d.nx }, (_, i) => (i * d.length) / d.nx);
  const u0 = new Float64Array(d.nx);
  for (let j = 0; j < d.modes; j++) {
    const a = rng.range(-d.amp, d.amp);
    const l = 1 + rng.int(d.maxMode);
    const phase = rng.range(0, 2 * Math.PI);
    x.forEach((xi, i) => {
      u0[i]! += a * Math.sin((2 * Math.PI * l * xi) / d.length + phase);
    });
  }
  const times = Array.from({ length: d.nt }, (_, t) => t * d.dtObs);
  const sol = solveKdv({ delta, length: d.length, u0, times, dt: d.dtObs / 4 });
  const u = new Float32Array(d.nt * d.nx);
  sol.u.forEach((ut, t) => {
    ut.forEach((v, i) => {
      u[t * d.nx + i] = v + (d.noise > 0 ? d.noise * rng.normal() : 0);
    });
  });
  return { u, delta };
}

/**
 * Derivative features of an observed trajectory on the interior times 1 … nt − 2: u, u_x, u_xxx (low-passed spectral
 * derivatives) and u_t (central differences), each [(nt − 2)·nx].
 */
export function kdvFeatures(
  u: ArrayLike<number>,
  d: KdvDesign,
): Record<'u' | 'ux' | 'uxxx' | 'ut', Float64Array> {
  const m = d.nt - 2;
  const out = {
    u: new Float64Array(m * d.nx),
    ux: new Float64Array(m * d.nx),
    uxxx: new Float64Array(m * d.nx),
    ut: new Float64Array(m * d.nx),
  };
  for (let t = 1; t <= m; t++) {
    const row = Array.from({ length: d.nx }, (_, i) => u[t * d.nx + i]!);
    const ux = spectralDerivative(row, d.length, 1, d.derivativeModes);
    const uxxx = spectralDerivative(row, d.length, 3, d.derivativeModes);
    for (let i = 0; i < d.nx; i++) {
      const k = (t - 1) * d.nx + i;
      out.u[k] = row[i]!;
      out.ux[k] = ux[i]!;
      out.uxxx[k] = uxxx[i]!;
      out.ut[k] = (u[(t + 1) * d.nx + i]! - u[(t - 1) * d.nx + i]!) / (2 * d.dtObs);
    }
  }
  return out;
}

/**
 * The residual split as r(δ²) = a + δ²·b with a = u_t + u·u_x and b = u_xxx, and the closed-form least-squares
 * δ² = −⟨a, b⟩/⟨b, b⟩ that minimises ‖r‖² (the baseline every learned estimator is compared with).
 */
export function kdvLeastSquares(f: Record<'u' | 'ux' | 'uxxx' | 'ut', Float64Array>): {
  delta2: number;
  a: Float64Array;
  b: Float64Array;
} {
  const a = f.ut.map((v, k) => v + f.u[k]! * f.ux[k]!);
  const b = f.uxxx;
  let [ab, bb] = [0, 0];
  for (let k = 0; k < a.length; k++) {
    ab += a[k]! * b[k]!;
    bb += b[k]! * b[k]!;
  }
  return { delta2: -ab / bb, a, b };
}
