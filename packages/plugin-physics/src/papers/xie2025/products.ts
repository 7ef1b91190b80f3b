import type { Rng, SeriesRow } from '@paperlab/core';
import { eigh, type Mat } from '@paperlab/core/linalg';
import type { ProductKind } from '../../equivariance/invariants.js';
import { shCount } from '../../equivariance/sphericalHarmonics.js';
import {
  cgTensorProduct,
  gauntGrid,
  gauntTensorProduct,
  tpPaths,
} from '../../equivariance/tensorProducts.js';
import { eulerRotation, rotateFeatures, wignerD } from '../../equivariance/wigner.js';

/** The tensor products compared. */
export const KINDS: readonly ProductKind[] = ['cg', 'gaunt'];
/** Display names of the products (also the `kind` of the timing and expressivity rows). */
export const NAME: Record<ProductKind, string> = { cg: 'Clebsch–Gordan TP', gaunt: 'Gaunt TP (sphere grid)' };

const randomFeature = (rng: Rng, L: number) => Float64Array.from({ length: shCount(L) }, () => rng.normal());
/** A uniformly random rotation (Euler angles with cos β uniform). */
export const randomRotation = (rng: Rng) =>
  eulerRotation(rng.range(0, 2 * Math.PI), Math.acos(rng.range(-1, 1)), rng.range(0, 2 * Math.PI));
/** Largest |a_i − b_i|. */
export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** Largest |TP(Dx, Dy) − D·TP(x, y)| over random features and a random rotation at degree L (outputs ≤ L). */
export function equivarianceError(kind: ProductKind, L: number, rng: Rng): number {
  const R = randomRotation(rng);
  const D = wignerD(L, R);
  const [x, y] = [randomFeature(rng, L), randomFeature(rng, L)];
  const g = kind === 'gaunt' ? gauntGrid(L, L, L) : null;
  const tp = (a: Float64Array, b: Float64Array) =>
    g ? gauntTensorProduct(a, b, g) : cgTensorProduct(a, L, b, L, L);
  const ref = tp(x, y);
  const scale = Math.max(...Array.from(ref, Math.abs));
  return maxAbsDiff(tp(rotateFeatures(D, x), rotateFeatures(D, y)), rotateFeatures(D, ref)) / scale;
}

/**
 * Expressivity as the paper defines it: the dimension of the span of bilinear maps Lin ∘ TP ∘ (Lin, Lin) with
 * per-degree linear layers, measured as the numerical rank of many random such maps (each flattened over basis
 * inputs).
 */
export function expressivity(kind: ProductKind, L: number, rng: Rng): number {
  const n = shCount(L);
  const draws = 2 * tpPaths(L, L, L).length + 4;
  const g = kind === 'gaunt' ? gauntGrid(L, L, L) : null;
  const maps: Float64Array[] = [];
  for (let k = 0; k < draws; k++) {
    const [wx, wy, wz] = [0, 1, 2].map(() => Float64Array.from({ length: L + 1 }, () => rng.normal()));
    const byDeg = (w: Float64Array, v: Float64Array) => v.map((x, i) => x * w[Math.floor(Math.sqrt(i))]!);
    const flat = new Float64Array(n * n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const [ei, ej] = [new Float64Array(n), new Float64Array(n)];
        ei[i] = 1;
        ej[j] = 1;
        const [a, b] = [byDeg(wx!, ei), byDeg(wy!, ej)];
        const zOut = byDeg(wz!, g ? gauntTensorProduct(a, b, g) : cgTensorProduct(a, L, b, L, L));
        flat.set(zOut, (i * n + j) * n);
      }
    maps.push(flat);
  }
  const G: Mat = { rows: draws, cols: draws, data: new Float64Array(draws * draws) };
  for (let a = 0; a < draws; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let q = 0; q < maps[a]!.length; q++) s += maps[a]![q]! * maps[b]![q]!;
      G.data[a * draws + b] = s;
      G.data[b * draws + a] = s;
    }
  const ev = eigh(G).values;
  const top = Math.max(...ev);
  return ev.filter((v) => v > 1e-9 * top).length;
}

/** Median seconds per product at degree L, over `reps` products in 5 timed batches, and the counted multiply-adds. */
function timing(kind: ProductKind, L: number, reps: number, rng: Rng): { seconds: number; ops: number } {
  const [x, y] = [randomFeature(rng, L), randomFeature(rng, L)];
  const g = kind === 'gaunt' ? gauntGrid(L, L, L) : null;
  const ops = { count: 0 };
  const tp = (c?: { count: number }) =>
    g ? gauntTensorProduct(x, y, g, c) : cgTensorProduct(x, L, y, L, L, undefined, c);
  tp(ops);
  tp();
  const batches = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) tp();
    return (performance.now() - t0) / 1000 / reps;
  }).sort((a, b) => a - b);
  return { seconds: batches[2]!, ops: ops.count };
}

/**
 * Timing rows of both products at every degree (seconds, counted multiply-adds, coupling paths). Timings are
 * measurements of this machine, not deterministic numbers: they go to a series, never a scalar.
 */
export function timingRows(degrees: readonly number[], reps: number, rng: Rng): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (const L of degrees)
    for (const kind of KINDS) {
      const t = timing(kind, L, reps, rng.split(`time-${kind}-${L}`));
      rows.push({
        kind: NAME[kind],
        L,
        seconds: t.seconds,
        ops: t.ops,
        paths: kind === 'cg' ? tpPaths(L, L, L).length : tpPaths(L, L, L, 'even').length,
      });
    }
  return rows;
}
