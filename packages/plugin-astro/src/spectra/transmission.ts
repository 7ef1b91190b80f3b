import type { Rng } from '@paperlab/core';

/** Parameters of a transmission spectrum, in this order: temperature (K), log10 volume mixing ratios, log10 cloud opacity. */
export const SPECTRUM_PARAMS = ['T', 'log_H2O', 'log_HCN', 'log_NH3', 'log_kcloud'] as const;

/** Prior ranges of {@link SPECTRUM_PARAMS} (Cobb et al. 2019, §2: T ∈ [500, 2900] K, logs ∈ [−13, 0]). */
export const SPECTRUM_PRIOR: ReadonlyArray<readonly [number, number]> = [
  [500, 2900],
  [-13, 0],
  [-13, 0],
  [-13, 0],
  [-13, 0],
];

/**
 * TOY band opacities (not line lists): per molecule, log10 of a cross-section floor (m² per molecule) and
 * Gaussian bands (centre μm, width μm, height in dex) placed near the real species' WFC3-range bands. They give
 * the forward model distinct spectral shapes per species; they are not HITRAN/ExoMol data.
 */
export const TOY_OPACITY = {
  H2O: {
    floor: -27.5,
    bands: [
      [0.94, 0.05, 1.5],
      [1.14, 0.06, 2.0],
      [1.4, 0.08, 2.6],
    ],
  },
  HCN: {
    floor: -27.8,
    bands: [
      [1.03, 0.05, 1.2],
      [1.53, 0.07, 2.4],
    ],
  },
  NH3: {
    floor: -27.6,
    bands: [
      [1.0, 0.04, 1.4],
      [1.25, 0.05, 1.6],
      [1.51, 0.06, 2.2],
    ],
  },
} as const;

/** The WFC3-like grid: 13 equal bins over 0.838–1.666 μm (the G141-range binning used for WASP-12b). */
export const WFC3_BINS = { lo: 0.838, hi: 1.666, bins: 13 } as const;

/** The planet and star of the forward model (WASP-12b-like), SI units. */
export interface PlanetSystem {
  /** Reference radius at pressure P0 (m). */
  r0: number;
  /** Reference pressure (Pa). */
  p0: number;
  /** Surface gravity (m/s²). */
  g: number;
  /** Mean molecular mass (u). */
  mu: number;
  /** Stellar radius (m). */
  rStar: number;
}

/** WASP-12b-like defaults: R₀ = 1.79 R_J, P₀ = 10 bar, g = 9.8 m/s², μ = 2.3, R* = 1.57 R☉. */
export const WASP12B: PlanetSystem = { r0: 1.79 * 7.1492e7, p0: 1e6, g: 9.8, mu: 2.3, rStar: 1.57 * 6.957e8 };

const K_B = 1.380649e-23;
const M_U = 1.66053907e-27;
const EULER_GAMMA = 0.5772156649;
/** H₂/He continuum (collision-induced, toy): a floor on the mass opacity, m²/kg. */
const CONTINUUM = 1e-6;

function logSigma(species: keyof typeof TOY_OPACITY, lambda: number): number {
  const o = TOY_OPACITY[species];
  let v = o.floor;
  for (const [c, w, h] of o.bands) v += h * Math.exp(-((lambda - c) ** 2) / (2 * w * w));
  return v;
}

/**
 * The isothermal transmission spectrum (Heng & Kitzmann 2017): R(λ) = R₀ + H·[γ + ln(P₀·κ(λ)/g·√(2πR₀/H))] with
 * H = k_B·T/(μ·m_u·g) and κ = Σ_i X_i σ_i(λ)/(μ·m_u) + κ_cloud + continuum; transit depth (R/R*)², averaged over
 * `sub` wavelengths per bin of the WFC3-like grid. `params` is [n × 5] in {@link SPECTRUM_PARAMS} order; returns
 * [n × bins] depths in ppm.
 */
export function transmissionSpectra(
  params: Float32Array,
  system: PlanetSystem = WASP12B,
  grid: { lo: number; hi: number; bins: number } = WFC3_BINS,
  sub = 8,
): Float32Array {
  const n = params.length / SPECTRUM_PARAMS.length;
  const width = (grid.hi - grid.lo) / grid.bins;
  const lambdas = Array.from({ length: grid.bins * sub }, (_, i) => grid.lo + (i + 0.5) * (width / sub));
  const sig = (['H2O', 'HCN', 'NH3'] as const).map((s) => lambdas.map((l) => 10 ** logSigma(s, l)));
  const out = new Float32Array(n * grid.bins);
  const mass = system.mu * M_U;
  for (let i = 0; i < n; i++) {
    const p = params.subarray(i * 5, i * 5 + 5);
    const t = p[0]!;
    const h = (K_B * t) / (mass * system.g);
    const x = [10 ** p[1]!, 10 ** p[2]!, 10 ** p[3]!];
    const cloud = 10 ** p[4]!;
    const geo = (system.p0 / system.g) * Math.sqrt((2 * Math.PI * system.r0) / h);
    for (let b = 0; b < grid.bins; b++) {
      let depth = 0;
      for (let s = 0; s < sub; s++) {
        const l = b * sub + s;
        let kappa = CONTINUUM + cloud;
        for (let m = 0; m < 3; m++) kappa += (x[m]! * sig[m]![l]!) / mass;
        const r = system.r0 + h * (EULER_GAMMA + Math.log(geo * kappa));
        depth += (r / system.rStar) ** 2;
      }
      out[i * grid.bins + b] = (1e6 * depth) / sub;
    }
  }
  return out;
}

/** `n` parameter vectors drawn uniformly from {@link SPECTRUM_PRIOR}, [n × 5]. */
export function samplePrior(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n * 5);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 5; k++) {
      const [lo, hi] = SPECTRUM_PRIOR[k]!;
      out[i * 5 + k] = rng.range(lo, hi);
    }
  return out;
}
