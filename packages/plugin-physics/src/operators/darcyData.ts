import type { Rng } from '@paperlab/core';
import { gaussianRandomField, solveDarcy, thresholdCoefficient } from '../solvers/darcy.js';

/** How {@link darcyDataset} draws its problems. */
export interface DarcyDataOptions {
  /** GRF covariance (−Δ + τ²)^−α (defaults 3 and 2, the benchmark's). */
  tau?: number;
  alpha?: number;
  /** Coefficient values where the field is ≥ 0 and < 0 (defaults 12 and 3). */
  hi?: number;
  lo?: number;
  /** Constant source term f (default 1). */
  source?: number;
}

/** n Darcy problems on an s × s node grid: coefficients a and solutions u, each [n, s, s] row-major. */
export interface DarcyData {
  n: number;
  s: number;
  a: Float32Array;
  u: Float32Array;
  /** Largest conjugate-gradient iteration count and final relative residual over the samples. */
  maxIterations: number;
  maxResidual: number;
}

/**
 * The operator-learning Darcy benchmark (Li et al. 2021; the data MgNO trains on): a = thresholded Gaussian random
 * field, u solving −∇·(a∇u) = f with u = 0 on the boundary by the 5-point solver and conjugate gradient. Sample i
 * draws from `rng.split('darcy-i')`, so a dataset is a pure function of its Rng. s must be a power of two (the GRF is
 * synthesised by FFT).
 */
export function darcyDataset(rng: Rng, n: number, s: number, options: DarcyDataOptions = {}): DarcyData {
  const out: DarcyData = {
    n,
    s,
    a: new Float32Array(n * s * s),
    u: new Float32Array(n * s * s),
    maxIterations: 0,
    maxResidual: 0,
  };
  const grf = { tau: options.tau ?? 3, alpha: options.alpha ?? 2 };
  for (let i = 0; i < n; i++) {
    const a = thresholdCoefficient(
      gaussianRandomField(rng.split(`darcy-${i}`), s, grf),
      options.hi ?? 12,
      options.lo ?? 3,
    );
    const sol = solveDarcy(a, options.source ?? 1, s, { tol: 1e-8 });
    out.a.set(a, i * s * s);
    out.u.set(sol.u, i * s * s);
    out.maxIterations = Math.max(out.maxIterations, sol.iterations);
    out.maxResidual = Math.max(out.maxResidual, sol.residual);
  }
  return out;
}
