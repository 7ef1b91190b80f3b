import type { Rng } from '@paperlab/core';
import type { Box } from './distance.js';

function checkBox(box: Box): number {
  const d = box.lo.length;
  if (d === 0 || box.hi.length !== d)
    throw new RangeError(
      `box needs lo and hi of equal, non-zero length (got ${box.lo.length}, ${box.hi.length})`,
    );
  return d;
}

/** `n` points drawn uniformly in the box, row-major [n, d]. */
export function uniformPoints(rng: Rng, n: number, box: Box): Float32Array {
  const d = checkBox(box);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) out[i * d + a] = box.lo[a]! + (box.hi[a]! - box.lo[a]!) * rng.uniform();
  return out;
}

/** `n` points by Latin hypercube sampling (one per stratum on every axis), row-major [n, d]. */
export function latinHypercube(rng: Rng, n: number, box: Box): Float32Array {
  const d = checkBox(box);
  const out = new Float32Array(n * d);
  for (let a = 0; a < d; a++) {
    const perm = rng.permutation(n);
    for (let i = 0; i < n; i++)
      out[i * d + a] = box.lo[a]! + ((box.hi[a]! - box.lo[a]!) * (perm[i]! + rng.uniform())) / n;
  }
  return out;
}

/** Points on a 2-D box's four walls: `perSide` uniform draws on each (bottom, right, top, left), [4·perSide, 2]. */
export function boundaryPoints2d(
  rng: Rng,
  perSide: number,
  box: Box,
): { points: Float32Array; side: Int32Array } {
  if (checkBox(box) !== 2) throw new RangeError('boundaryPoints2d needs a 2-D box');
  const [x0, y0] = box.lo as [number, number];
  const [x1, y1] = box.hi as [number, number];
  const points = new Float32Array(8 * perSide);
  const side = new Int32Array(4 * perSide);
  for (let s = 0; s < 4; s++)
    for (let i = 0; i < perSide; i++) {
      const t = rng.uniform();
      const k = s * perSide + i;
      const [x, y] =
        s === 0
          ? [x0 + t * (x1 - x0), y0]
          : s === 1
            ? [x1, y0 + t * (y1 - y0)]
            : s === 2
              ? [x0 + t * (x1 - x0), y1]
              : [x0, y0 + t * (y1 - y0)];
      points[2 * k] = x;
      points[2 * k + 1] = y;
      side[k] = s;
    }
  return { points, side };
}

/** A regular nx × ny grid over a 2-D box including its edges, x fastest, [nx·ny, 2]. */
export function gridPoints2d(nx: number, ny: number, box: Box): Float32Array {
  if (checkBox(box) !== 2 || nx < 2 || ny < 2)
    throw new RangeError('gridPoints2d needs a 2-D box and nx, ny ≥ 2');
  const out = new Float32Array(2 * nx * ny);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      out[2 * k] = box.lo[0]! + ((box.hi[0]! - box.lo[0]!) * i) / (nx - 1);
      out[2 * k + 1] = box.lo[1]! + ((box.hi[1]! - box.lo[1]!) * j) / (ny - 1);
    }
  return out;
}
