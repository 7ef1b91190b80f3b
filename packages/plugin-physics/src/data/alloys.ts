import type { Rng } from '@paperlab/core';

/**
 * Element constants for alloy descriptors: metallic radius (pm), Pauling electronegativity, valence electron count,
 * melting point (K) and bulk modulus (GPa) — standard handbook values (CRC Handbook of Chemistry and Physics;
 * WebElements), rounded. Used only to build proxy descriptors.
 */
export const ELEMENTS: ReadonlyArray<{
  symbol: string;
  radius: number;
  chi: number;
  vec: number;
  tm: number;
  bulk: number;
}> = [
  { symbol: 'Al', radius: 143, chi: 1.61, vec: 3, tm: 933, bulk: 76 },
  { symbol: 'Co', radius: 125, chi: 1.88, vec: 9, tm: 1768, bulk: 180 },
  { symbol: 'Cr', radius: 128, chi: 1.66, vec: 6, tm: 2180, bulk: 160 },
  { symbol: 'Cu', radius: 128, chi: 1.9, vec: 11, tm: 1358, bulk: 140 },
  { symbol: 'Fe', radius: 126, chi: 1.83, vec: 8, tm: 1811, bulk: 170 },
  { symbol: 'Mn', radius: 127, chi: 1.55, vec: 7, tm: 1519, bulk: 120 },
  { symbol: 'Ni', radius: 124, chi: 1.91, vec: 10, tm: 1728, bulk: 180 },
  { symbol: 'Ti', radius: 147, chi: 1.54, vec: 4, tm: 1941, bulk: 110 },
  { symbol: 'V', radius: 134, chi: 1.63, vec: 5, tm: 2183, bulk: 160 },
  { symbol: 'Zr', radius: 160, chi: 1.33, vec: 4, tm: 2128, bulk: 91 },
  { symbol: 'Nb', radius: 146, chi: 1.6, vec: 5, tm: 2750, bulk: 170 },
  { symbol: 'Mo', radius: 139, chi: 2.16, vec: 6, tm: 2896, bulk: 230 },
  { symbol: 'Ta', radius: 146, chi: 1.5, vec: 5, tm: 3290, bulk: 200 },
  { symbol: 'W', radius: 139, chi: 2.36, vec: 6, tm: 3695, bulk: 310 },
  { symbol: 'Hf', radius: 159, chi: 1.3, vec: 4, tm: 2506, bulk: 110 },
];

/** Names of the proxy descriptors, in the order {@link alloyDescriptors} returns them. */
export const ALLOY_DESCRIPTORS = ['ΔS_mix', 'ΔH_mix', 'δ', 'VEC', 'Δχ', 'T_m', 'Ω'] as const;

/**
 * A PROXY pair enthalpy (kJ/mol) standing in for Miedema/Takeuchi–Inoue values, which are not shipped:
 * ΔH_ij = −60·(χ_i − χ_j)² + 1.5·|VEC_i − VEC_j| − 5. It has the right sign pattern (large electronegativity
 * differences bind), not the right numbers.
 */
export function proxyPairEnthalpy(i: number, j: number): number {
  const [a, b] = [ELEMENTS[i]!, ELEMENTS[j]!];
  return -60 * (a.chi - b.chi) ** 2 + 1.5 * Math.abs(a.vec - b.vec) - 5;
}

/**
 * The Hume-Rothery-type descriptors of a composition (fractions summing to 1): ΔS_mix/R, ΔH_mix (proxy pair
 * enthalpies, Σ 4ΔH_ij c_i c_j), δ (% size mismatch), VEC, Δχ, T_m (rule of mixtures), Ω = T_m ΔS_mix/|ΔH_mix|.
 */
export function alloyDescriptors(c: readonly number[]): number[] {
  const R = 8.314e-3; // kJ/(mol K)
  let [s, h, rbar, vec, chi, tm] = [0, 0, 0, 0, 0, 0];
  c.forEach((ci, i) => {
    if (ci <= 0) return;
    const e = ELEMENTS[i]!;
    s -= ci * Math.log(ci);
    rbar += ci * e.radius;
    vec += ci * e.vec;
    chi += ci * e.chi;
    tm += ci * e.tm;
    for (let j = i + 1; j < c.length; j++) if (c[j]! > 0) h += 4 * proxyPairEnthalpy(i, j) * ci * c[j]!;
  });
  let [delta, dchi] = [0, 0];
  c.forEach((ci, i) => {
    if (ci <= 0) return;
    delta += ci * (1 - ELEMENTS[i]!.radius / rbar) ** 2;
    dchi += ci * (ELEMENTS[i]!.chi - chi) ** 2;
  });
  const omega = (tm * R * s) / Math.max(Math.abs(h), 1e-3);
  return [s, h, 100 * Math.sqrt(delta), vec, Math.sqrt(dchi), tm, Math.log(omega)];
}

/** One proxy alloy: its composition, descriptors, phase label and bulk modulus. */
export interface ProxyAlloy {
  composition: number[];
  descriptors: number[];
  /** 1 = single-phase solid solution ("HEA") under the proxy rule. */
  hea: number;
  /** Proxy bulk modulus (GPa). */
  bulk: number;
}

/**
 * PROXY data: 4–6 random elements with Dirichlet-like fractions; label HEA with probability
 * σ((ln Ω − ln 1.1)/0.3)·σ((6.6 − δ)/0.8) (the Yang–Zhang Ω ≥ 1.1, δ ≤ 6.6% rule, softened so the boundary is
 * noisy); bulk modulus by the rule of mixtures minus a size-mismatch penalty 2·δ² plus N(0, 5²) noise.
 */
export function proxyAlloy(rng: Rng): ProxyAlloy {
  const k = 4 + rng.int(3);
  const picked = rng.permutation(ELEMENTS.length).slice(0, k);
  const w = Array.from(picked, () => -Math.log(Math.max(rng.uniform(), 1e-12)) + 0.5);
  const total = w.reduce((a, b) => a + b, 0);
  const composition = new Array<number>(ELEMENTS.length).fill(0);
  picked.forEach((e, i) => {
    composition[e] = w[i]! / total;
  });
  const d = alloyDescriptors(composition);
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const p = sig((d[6]! - Math.log(1.1)) / 0.3) * sig((6.6 - d[2]!) / 0.8);
  const mix = composition.reduce((a, c, i) => a + c * ELEMENTS[i]!.bulk, 0);
  return {
    composition,
    descriptors: d,
    hea: Number(rng.uniform() < p),
    bulk: mix - 2 * d[2]! ** 2 + 5 * rng.normal(),
  };
}
