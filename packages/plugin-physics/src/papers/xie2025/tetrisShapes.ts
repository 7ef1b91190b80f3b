import type { Rng } from '@paperlab/core';
import { TETRIS } from '../../data/tetris.js';
import type { ProductKind } from '../../equivariance/invariants.js';
import { embedPoints, invariantNet, threeBodyInvariants } from '../../equivariance/invariants.js';
import { rotate } from '../../equivariance/wigner.js';
import type { Xie2025Config } from './experiment.js';
import { KINDS, maxAbsDiff, randomRotation } from './products.js';

/** Per kind: chiral-pair and achiral accuracy, the mirror gap of the pair's centroids; the rotation drift. */
export type ShapeResult = Record<
  `pair_${ProductKind}` | `other_${ProductKind}` | `mirror_${ProductKind}`,
  number
> & { rotInv: number };

/** One random invariant network per kind: nearest-centroid classification of the tetris pieces under rotations. */
export function shapes(cfg: Xie2025Config, rng: Rng): ShapeResult {
  const out = { rotInv: 0 } as ShapeResult;
  const rots = Array.from({ length: cfg.rotations }, () => randomRotation(rng));
  for (const kind of KINDS) {
    const net = invariantNet(kind, cfg.lInvariant, rng.split(kind));
    const feats = TETRIS.map((s) =>
      rots.map((R) =>
        threeBodyInvariants(
          net,
          embedPoints(
            s.cubes.map((p) => rotate(R, p)),
            cfg.lInvariant,
            cfg.channels,
            2,
          ),
        ),
      ),
    );
    // Rotation invariance of the features themselves.
    for (const f of feats)
      for (const v of f)
        out.rotInv = Math.max(out.rotInv, maxAbsDiff(v, f[0]!) / Math.max(1e-12, ...f[0]!.map(Math.abs)));
    const half = Math.max(1, Math.floor(cfg.rotations / 2));
    const centroid = feats.map((f) =>
      f[0]!.map((_, k) => f.slice(0, half).reduce((s, v) => s + v[k]!, 0) / half),
    );
    const classify = (v: number[]) =>
      centroid.reduce((best, c, i) => (maxAbsDiff(v, c) < maxAbsDiff(v, centroid[best]!) ? i : best), 0);
    const acc = (classes: number[]) => {
      let [right, n] = [0, 0];
      for (const c of classes)
        for (const v of feats[c]!.slice(cfg.rotations > 1 ? half : 0)) {
          right += Number(classify(v) === c);
          n++;
        }
      return right / n;
    };
    out[`pair_${kind}`] = acc([0, 1]);
    out[`other_${kind}`] = acc(TETRIS.map((_, i) => i).slice(2));
    const norm = Math.max(...centroid[0]!.map(Math.abs));
    out[`mirror_${kind}`] = maxAbsDiff(centroid[0]!, centroid[1]!) / norm;
  }
  return out;
}
