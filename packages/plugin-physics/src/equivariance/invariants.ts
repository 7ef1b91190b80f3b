import type { Rng } from '@paperlab/core';
import { shCount, sphericalHarmonics } from './sphericalHarmonics.js';
import { cgTensorProduct, type GauntGrid, gauntGrid, gauntTensorProduct, tpPaths } from './tensorProducts.js';

/** Which bilinear operation couples features: Clebsch–Gordan (every path) or Gaunt (even paths only). */
export type ProductKind = 'cg' | 'gaunt';

/**
 * Radial-channel embeddings of a point cloud (centred): x_a = Σ_i Y_{≤L}(r_i)·exp(−(|r_i| − μ_a)²/(2s²)) for
 * `channels` radii μ_a spread over [0, rMax]; points at the centre are skipped.
 */
export function embedPoints(
  points: ReadonlyArray<readonly [number, number, number]>,
  L: number,
  channels: number,
  rMax: number,
): Float64Array[] {
  const c = [0, 1, 2].map((k) => points.reduce((s, p) => s + p[k]!, 0) / points.length);
  const s = rMax / Math.max(channels, 1);
  return Array.from({ length: channels }, (_, a) => {
    const mu = (rMax * (a + 0.5)) / channels;
    const x = new Float64Array(shCount(L));
    for (const p of points) {
      const r: [number, number, number] = [p[0] - c[0]!, p[1] - c[1]!, p[2] - c[2]!];
      const n = Math.hypot(...r);
      if (n < 1e-9) continue;
      const w = Math.exp(-((n - mu) ** 2) / (2 * s * s));
      const y = sphericalHarmonics(L, r);
      for (let i = 0; i < x.length; i++) x[i]! += w * y[i]!;
    }
    return x;
  });
}

/** A fixed random three-body invariant network: s_abc = ⟨(x_a ⊗ x_b)_{≤L} ⊗ x_c⟩_{l=0} with random path weights. */
export interface InvariantNet {
  kind: ProductKind;
  L: number;
  /** Random weights of the first product's paths (CG) or per-degree input scalings (Gaunt). */
  weights: Float64Array;
  grid1?: GauntGrid;
  grid2?: GauntGrid;
}

/** Draws the weights of an {@link InvariantNet}. */
export function invariantNet(kind: ProductKind, L: number, rng: Rng): InvariantNet {
  const n = kind === 'cg' ? tpPaths(L, L, L).length : L + 1;
  const weights = Float64Array.from({ length: n }, () => rng.normal());
  const net: InvariantNet = { kind, L, weights };
  if (kind === 'gaunt') {
    net.grid1 = gauntGrid(L, L, L);
    net.grid2 = gauntGrid(L, L, 0);
  }
  return net;
}

/** Every three-body invariant s_abc of the channels (a, b, c all ordered triples). */
export function threeBodyInvariants(net: InvariantNet, x: readonly Float64Array[]): number[] {
  const L = net.L;
  const out: number[] = [];
  const scale = (v: Float64Array) => {
    const w = new Float64Array(v.length);
    for (let l = 0; l <= L; l++)
      for (let m = l * l; m < (l + 1) * (l + 1); m++) w[m] = v[m]! * net.weights[l]!;
    return w;
  };
  for (const xa of x)
    for (const xb of x) {
      const z =
        net.kind === 'cg'
          ? cgTensorProduct(xa, L, xb, L, L, net.weights)
          : gauntTensorProduct(scale(xa), xb, net.grid1!);
      for (const xc of x)
        out.push(
          net.kind === 'cg' ? cgTensorProduct(z, L, xc, L, 0)[0]! : gauntTensorProduct(z, xc, net.grid2!)[0]!,
        );
    }
  return out;
}
