import { realClebschGordan } from './clebschGordan.js';
import { shCount, sphereGrid, sphericalHarmonics } from './sphericalHarmonics.js';

/** A coupling path l1 ⊗ l2 → l3 of a tensor product. */
export interface TpPath {
  l1: number;
  l2: number;
  l3: number;
}

/** All paths with |l1 − l2| ≤ l3 ≤ l1 + l2, l1 ≤ L1, l2 ≤ L2, l3 ≤ L3; `parity: 'even'` keeps l1 + l2 + l3 even only. */
export function tpPaths(L1: number, L2: number, L3: number, parity: 'all' | 'even' = 'all'): TpPath[] {
  const out: TpPath[] = [];
  for (let l1 = 0; l1 <= L1; l1++)
    for (let l2 = 0; l2 <= L2; l2++)
      for (let l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, L3); l3++)
        if (parity === 'all' || (l1 + l2 + l3) % 2 === 0) out.push({ l1, l2, l3 });
  return out;
}

/** Cache of real CG tensors by path. */
const cgCache = new Map<string, Float64Array>();

function cg(l1: number, l2: number, l3: number): Float64Array {
  const key = `${l1},${l2},${l3}`;
  let c = cgCache.get(key);
  if (!c) {
    c = realClebschGordan(l1, l2, l3);
    cgCache.set(key, c);
  }
  return c;
}

/**
 * Clebsch–Gordan tensor product of two features (all degrees ≤ L1 and ≤ L2, each a (L + 1)² vector) into degrees
 * ≤ L3: z_l3 = Σ_paths w_path · C^{l3}_{l1 l2}(x_l1 ⊗ y_l2). `weights` (one per path of {@link tpPaths}, default 1)
 * are what a network learns. Counts multiply-adds in `ops` when given (for runtime comparisons).
 */
export function cgTensorProduct(
  x: ArrayLike<number>,
  L1: number,
  y: ArrayLike<number>,
  L2: number,
  L3: number,
  weights?: ArrayLike<number>,
  ops?: { count: number },
): Float64Array {
  const z = new Float64Array(shCount(L3));
  tpPaths(L1, L2, L3).forEach((p, k) => {
    const w = weights ? weights[k]! : 1;
    const C = cg(p.l1, p.l2, p.l3);
    const [d1, d2, d3] = [2 * p.l1 + 1, 2 * p.l2 + 1, 2 * p.l3 + 1];
    for (let a = 0; a < d1; a++) {
      const xa = w * x[p.l1 * p.l1 + a]!;
      for (let b = 0; b < d2; b++) {
        const xy = xa * y[p.l2 * p.l2 + b]!;
        const base = (a * d2 + b) * d3;
        for (let c = 0; c < d3; c++) z[p.l3 * p.l3 + c]! += C[base + c]! * xy;
      }
    }
    if (ops) ops.count += d1 * d2 * d3;
  });
  return z;
}

/** Precomputed harmonics on a sphere grid for Gaunt products. */
export interface GauntGrid {
  L1: number;
  L2: number;
  L3: number;
  weights: Float64Array;
  /** Y at every grid point for degrees ≤ max(L1, L2, L3), [points][(L + 1)²]. */
  Y: Float64Array[];
}

/** The grid and harmonics a Gaunt product of degrees L1 × L2 → L3 needs (exact quadrature of degree L1 + L2 + L3). */
export function gauntGrid(L1: number, L2: number, L3: number): GauntGrid {
  const grid = sphereGrid(L1 + L2 + L3);
  const L = Math.max(L1, L2, L3);
  return { L1, L2, L3, weights: grid.weights, Y: grid.points.map((p) => sphericalHarmonics(L, p)) };
}

/**
 * Gaunt tensor product: the features as functions on the sphere, multiplied pointwise on a quadrature grid and
 * projected back onto degrees ≤ L3. Equivariant, but only the paths with l1 + l2 + l3 even exist (a product of
 * functions cannot be parity-odd), so it cannot build cross products or pseudoscalars.
 */
export function gauntTensorProduct(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  g: GauntGrid,
  ops?: { count: number },
): Float64Array {
  const z = new Float64Array(shCount(g.L3));
  const [n1, n2, n3] = [shCount(g.L1), shCount(g.L2), shCount(g.L3)];
  g.Y.forEach((Yq, q) => {
    let fx = 0;
    for (let i = 0; i < n1; i++) fx += x[i]! * Yq[i]!;
    let fy = 0;
    for (let i = 0; i < n2; i++) fy += y[i]! * Yq[i]!;
    const f = g.weights[q]! * fx * fy;
    for (let i = 0; i < n3; i++) z[i]! += f * Yq[i]!;
  });
  if (ops) ops.count += g.Y.length * (n1 + n2 + n3);
  return z;
}
