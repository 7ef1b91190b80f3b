import { throwIfAborted } from '@paperlab/core';

/** Lid velocity along the top wall: `uniform` (u = 1, Ghia's cavity) or `regularised` (16x²(1 − x)²). */
export type LidProfile = 'uniform' | 'regularised';

/** The lid's velocity at x ∈ [0, 1]. */
export function lidVelocity(profile: LidProfile, x: number): number {
  return profile === 'uniform' ? 1 : 16 * x * x * (1 - x) * (1 - x);
}

/** Options of {@link solveCavity}. */
export interface CavityOptions {
  re: number;
  /** Cells per side (nodes n + 1); a power of two so the coarse-to-fine start works (default 128). */
  n?: number;
  lid?: LidProfile;
  /** Stop when the largest vorticity change of a sweep falls below this, relative to max |ω| (default 1e-8). */
  tol?: number;
  /** Sweeps allowed per grid level (default 40 000). */
  maxSweeps?: number;
  /** Poisson (SOR) sweeps per vorticity sweep (default 2). */
  poissonSweeps?: number;
  /** Over-relaxation of the vorticity sweep (default 1.4; 1 is plain Gauss–Seidel). */
  relax?: number;
  signal?: AbortSignal;
}

/** A steady cavity flow on an (n + 1)² node grid, index j·(n + 1) + i with x = i/n, y = j/n. */
export interface CavityFlow {
  n: number;
  re: number;
  lid: LidProfile;
  psi: Float64Array;
  omega: Float64Array;
  u: Float64Array;
  v: Float64Array;
  /** Sweeps on the finest grid and whether the tolerance was met. */
  sweeps: number;
  converged: boolean;
}

function sorOmega(n: number): number {
  return 2 / (1 + Math.sin(Math.PI / n));
}

/** One level of the iteration: SOR for ∇²ψ = −ω, Thom's wall vorticity, deferred-correction Gauss–Seidel for ω. */
function iterate(
  n: number,
  re: number,
  lid: LidProfile,
  psi: Float64Array,
  omega: Float64Array,
  o: Required<Omit<CavityOptions, 're' | 'lid' | 'n' | 'signal'>>,
  signal?: AbortSignal,
): { sweeps: number; converged: boolean } {
  const m = n + 1;
  const h = 1 / n;
  const rh = re * h;
  const w = sorOmega(n);
  const lidU = Float64Array.from({ length: m }, (_, i) => lidVelocity(lid, i * h));
  for (let sweep = 1; sweep <= o.maxSweeps; sweep++) {
    if (signal && sweep % 500 === 0) throwIfAborted(signal);
    for (let k = 0; k < o.poissonSweeps; k++)
      for (let j = 1; j < n; j++)
        for (let i = 1; i < n; i++) {
          const p = j * m + i;
          const gs = 0.25 * (psi[p + 1]! + psi[p - 1]! + psi[p + m]! + psi[p - m]! + h * h * omega[p]!);
          psi[p] = psi[p]! + w * (gs - psi[p]!);
        }
    // Thom's formula on the walls (ψ = 0 there).
    for (let i = 1; i < n; i++) {
      omega[i] = (-2 * psi[m + i]!) / (h * h);
      omega[n * m + i] = (-2 * psi[(n - 1) * m + i]!) / (h * h) - (2 * lidU[i]!) / h;
    }
    for (let j = 1; j < n; j++) {
      omega[j * m] = (-2 * psi[j * m + 1]!) / (h * h);
      omega[j * m + n] = (-2 * psi[j * m + n - 1]!) / (h * h);
    }
    let change = 0;
    let scale = 0;
    for (let j = 1; j < n; j++)
      for (let i = 1; i < n; i++) {
        const p = j * m + i;
        const u = (psi[p + m]! - psi[p - m]!) / (2 * h);
        const v = -(psi[p + 1]! - psi[p - 1]!) / (2 * h);
        const [up, um, vp, vm] = [Math.max(u, 0), Math.min(u, 0), Math.max(v, 0), Math.min(v, 0)];
        const [wE, wW, wN, wS, wP] = [omega[p + 1]!, omega[p - 1]!, omega[p + m]!, omega[p - m]!, omega[p]!];
        // Central minus upwind convection at the current iterate: at convergence the scheme is central.
        const dc =
          u * (wE - wW) * 0.5 -
          (up * (wP - wW) + um * (wE - wP)) +
          v * (wN - wS) * 0.5 -
          (vp * (wP - wS) + vm * (wN - wP));
        const next =
          (wE * (1 - rh * um) + wW * (1 + rh * up) + wN * (1 - rh * vm) + wS * (1 + rh * vp) - rh * dc) /
          (4 + rh * (Math.abs(u) + Math.abs(v)));
        const relaxed = wP + o.relax * (next - wP);
        change = Math.max(change, Math.abs(relaxed - wP));
        scale = Math.max(scale, Math.abs(relaxed));
        omega[p] = relaxed;
      }
    if (change <= o.tol * Math.max(scale, 1e-30)) return { sweeps: sweep, converged: true };
  }
  return { sweeps: o.maxSweeps, converged: false };
}

/** Bilinear prolongation of a field from an (n + 1)² grid to a (2n + 1)² grid. */
function refine(n: number, f: Float64Array): Float64Array {
  const m = n + 1;
  const M = 2 * n + 1;
  const out = new Float64Array(M * M);
  for (let J = 0; J < M; J++)
    for (let I = 0; I < M; I++) {
      const [j0, i0] = [J >> 1, I >> 1];
      const [j1, i1] = [Math.min(j0 + (J & 1), n), Math.min(i0 + (I & 1), n)];
      out[J * M + I] = 0.25 * (f[j0 * m + i0]! + f[j0 * m + i1]! + f[j1 * m + i0]! + f[j1 * m + i1]!);
    }
  return out;
}

/**
 * Steady lid-driven cavity by the stream-function/vorticity formulation: second-order central differences
 * (made stable by deferred-correction upwinding), SOR for the stream function, Thom's wall vorticity, started
 * coarse-to-fine from n/8. With the uniform lid it reproduces Ghia et al. (1982) (see the tests).
 */
export function solveCavity(options: CavityOptions): CavityFlow {
  const n = options.n ?? 128;
  const lid = options.lid ?? 'uniform';
  if (!(options.re > 0))
    throw new RangeError(`solveCavity: Reynolds number must be positive, got ${options.re}`);
  if (n < 8 || (n & (n - 1)) !== 0)
    throw new RangeError(`solveCavity: n must be a power of two ≥ 8, got ${n}`);
  const o = {
    tol: options.tol ?? 1e-8,
    maxSweeps: options.maxSweeps ?? 40_000,
    poissonSweeps: options.poissonSweeps ?? 2,
    relax: options.relax ?? 1.4,
  };
  let level = Math.max(8, n / 8);
  let psi: Float64Array = new Float64Array((level + 1) ** 2);
  let omega: Float64Array = new Float64Array((level + 1) ** 2);
  let run = { sweeps: 0, converged: false };
  for (;;) {
    run = iterate(
      level,
      options.re,
      lid,
      psi,
      omega,
      level === n ? o : { ...o, tol: o.tol * 100 },
      options.signal,
    );
    if (level === n) break;
    psi = refine(level, psi);
    omega = refine(level, omega);
    level *= 2;
  }
  const m = n + 1;
  const h = 1 / n;
  const u = new Float64Array(m * m);
  const v = new Float64Array(m * m);
  for (let i = 0; i <= n; i++) u[n * m + i] = lidVelocity(lid, i * h);
  for (let j = 1; j < n; j++)
    for (let i = 1; i < n; i++) {
      const p = j * m + i;
      u[p] = (psi[p + m]! - psi[p - m]!) / (2 * h);
      v[p] = -(psi[p + 1]! - psi[p - 1]!) / (2 * h);
    }
  return { n, re: options.re, lid, psi, omega, u, v, sweeps: run.sweeps, converged: run.converged };
}

/** A grid field at (x, y) by bilinear interpolation. */
export function sampleGrid(n: number, f: Float64Array, x: number, y: number): number {
  const m = n + 1;
  const [fx, fy] = [Math.min(Math.max(x * n, 0), n), Math.min(Math.max(y * n, 0), n)];
  const [i0, j0] = [Math.min(Math.floor(fx), n - 1), Math.min(Math.floor(fy), n - 1)];
  const [tx, ty] = [fx - i0, fy - j0];
  const at = (i: number, j: number) => f[j * m + i]!;
  return (
    (1 - ty) * ((1 - tx) * at(i0, j0) + tx * at(i0 + 1, j0)) +
    ty * ((1 - tx) * at(i0, j0 + 1) + tx * at(i0 + 1, j0 + 1))
  );
}
