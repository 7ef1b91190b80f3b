import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Jet, jetOfField, jetTensors } from '../autodiff/jet.js';
import type { PointwiseField } from '../autodiff/partials.js';
import type { Mlp } from '../nets/mlp.js';
import { type CavityFlow, type LidProfile, lidVelocity, sampleGrid } from '../solvers/cavity.js';
import { poiseuille } from '../solvers/poiseuille.js';
import { boundaryPoints2d } from './collocation.js';
import { type Box, boxDistance } from './distance.js';
import { hardConstrainedJet } from './hardBc.js';
import { navierStokesResiduals, splitVelocityPressure } from './navierStokes.js';

/**
 * A steady 2-D incompressible flow problem for a PINN with outputs (u, v, p): its Dirichlet data as a lift g and a
 * distance φ (u = g + φ·N, column by column), the same data as boundary samples for soft constraints, and the
 * reference velocity the PINN is scored against.
 */
export interface FlowProblem {
  name: string;
  re: number;
  box: Box;
  lift: PointwiseField;
  distance: PointwiseField;
  /** Boundary samples with targets (u, v, p) and a 0/1 mask of which targets are imposed, each [n, 3]. */
  boundary(
    rng: Rng,
    perSide: number,
  ): { points: Float32Array; targets: Float32Array; mask: Float32Array; n: number };
  /** Reference velocity at a point. */
  reference(x: number, y: number): { u: number; v: number };
}

const UNIT: Box = { lo: [0, 0], hi: [1, 1] };

function columns(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  return [tf.slice(x, [0, 0], [-1, 1]), tf.slice(x, [0, 1], [-1, 1])];
}

/**
 * The lid-driven cavity on the unit square: u = v = 0 on the walls, u = U(x) on the lid (y = 1), pressure free.
 * Lift g_u = U(x)·y (U vanishes at the corners for the regularised lid), φ the box distance; reference from the
 * finite-difference solution `fd` (same lid).
 */
export function cavityProblem(fd: CavityFlow): FlowProblem {
  const lid: LidProfile = fd.lid;
  if (lid !== 'regularised')
    throw new Error(
      'cavityProblem: a hard-constrained lift needs the regularised lid (U = 0 at the corners)',
    );
  const phi = boxDistance(UNIT);
  return {
    name: `cavity Re ${fd.re}`,
    re: fd.re,
    box: UNIT,
    lift: (p) =>
      tf.tidy(() => {
        const [x, y] = columns(p);
        const U = tf.mul(16, tf.mul(tf.square(x), tf.square(tf.sub(1, x))));
        return tf.concat([tf.mul(U, y), tf.zerosLike(x), tf.zerosLike(x)], 1) as tf.Tensor2D;
      }),
    distance: (p) =>
      tf.tidy(() => {
        const d = phi(p);
        return tf.concat([d, d, tf.onesLike(d)], 1) as tf.Tensor2D;
      }),
    boundary(rng, perSide) {
      const { points } = boundaryPoints2d(rng, perSide, UNIT);
      const n = points.length / 2;
      const targets = new Float32Array(3 * n);
      const mask = new Float32Array(3 * n);
      for (let i = 0; i < n; i++) {
        const [x, y] = [points[2 * i]!, points[2 * i + 1]!];
        targets[3 * i] = y === 1 ? lidVelocity(lid, x) : 0;
        mask[3 * i] = 1;
        mask[3 * i + 1] = 1;
      }
      return { points, targets, mask, n };
    },
    reference: (x, y) => ({ u: sampleGrid(fd.n, fd.u, x, y), v: sampleGrid(fd.n, fd.v, x, y) }),
  };
}

/**
 * Plane Poiseuille flow in the unit channel: no-slip walls y = 0, 1; inlet x = 0 with the parabolic profile
 * u = 4y(1 − y), v = 0; outlet x = 1 with p = 0. Lift g = ((1 − x)·4y(1 − y), 0, 0), distances
 * (x·4y(1 − y), x·4y(1 − y), 1 − x); reference analytic.
 */
export function poiseuilleProblem(re: number): FlowProblem {
  return {
    name: `Poiseuille Re ${re}`,
    re,
    box: UNIT,
    lift: (p) =>
      tf.tidy(() => {
        const [x, y] = columns(p);
        const prof = tf.mul(4, tf.mul(y, tf.sub(1, y)));
        return tf.concat([tf.mul(tf.sub(1, x), prof), tf.zerosLike(x), tf.zerosLike(x)], 1) as tf.Tensor2D;
      }),
    distance: (p) =>
      tf.tidy(() => {
        const [x, y] = columns(p);
        const w = tf.mul(x, tf.mul(4, tf.mul(y, tf.sub(1, y))));
        return tf.concat([w, w, tf.sub(1, x)], 1) as tf.Tensor2D;
      }),
    boundary(rng, perSide) {
      const { points, side } = boundaryPoints2d(rng, perSide, UNIT);
      const n = points.length / 2;
      const targets = new Float32Array(3 * n);
      const mask = new Float32Array(3 * n);
      for (let i = 0; i < n; i++) {
        const y = points[2 * i + 1]!;
        const s = side[i]!;
        if (s === 1)
          mask[3 * i + 2] = 1; // outlet: p = 0
        else {
          targets[3 * i] = s === 3 ? 4 * y * (1 - y) : 0; // inlet profile, walls 0
          mask[3 * i] = 1;
          mask[3 * i + 1] = 1;
        }
      }
      return { points, targets, mask, n };
    },
    reference: (x, y) => {
      const f = poiseuille(x, y, re);
      return { u: f.u, v: f.v };
    },
  };
}

/** How boundary data enter: exactly (u = g + φ·N) or as a weighted penalty on boundary samples. */
export type BcMode = 'hard' | 'soft';

/** A PINN for a flow problem: the loss over fixed collocation points and its prediction. */
export interface FlowPinn {
  /** Residual MSE (+ weighted boundary MSE for soft constraints). */
  loss(): tf.Scalar;
  /** (u, v, p) at points [n, 2]. */
  predict(points: tf.Tensor2D): tf.Tensor2D;
  /** Releases the collocation tensors (not the network). */
  dispose(): void;
}

/** Builds the hard- or soft-constrained PINN loss of `problem` for `net` on collocation points [n, 2]. */
export function flowPinn(
  problem: FlowProblem,
  net: Mlp,
  collocation: tf.Tensor2D,
  mode: BcMode,
  soft?: { rng: Rng; perSide: number; weight: number },
): FlowPinn {
  const keep: tf.Tensor[] = [];
  let g: Jet | null = null;
  let phi: Jet | null = null;
  let bx: tf.Tensor2D | null = null;
  let bt: tf.Tensor2D | null = null;
  let bm: tf.Tensor2D | null = null;
  if (mode === 'hard') {
    g = jetOfField(problem.lift, collocation, 2);
    phi = jetOfField(problem.distance, collocation, 2);
    keep.push(...jetTensors(g), ...jetTensors(phi));
  } else {
    if (!soft) throw new Error('flowPinn: soft constraints need { rng, perSide, weight }');
    const b = problem.boundary(soft.rng, soft.perSide);
    bx = tf.tensor2d(b.points, [b.n, 2]);
    bt = tf.tensor2d(b.targets, [b.n, 3]);
    bm = tf.tensor2d(b.mask, [b.n, 3]);
    keep.push(bx, bt, bm);
  }
  const field = (x: tf.Tensor2D, gj: Jet | null, pj: Jet | null, order: number): Jet => {
    const n = net.jet(x, order);
    if (!gj || !pj) return n;
    const out = hardConstrainedJet(gj, pj, n);
    tf.dispose(jetTensors(n));
    return out;
  };
  return {
    loss: () =>
      tf.tidy(() => {
        const [u, v, p] = splitVelocityPressure(field(collocation, g, phi, 2));
        const r = navierStokesResiduals(u, v, p, problem.re);
        let total = tf.add(
          tf.add(tf.mean(tf.square(r.momentumX)), tf.mean(tf.square(r.momentumY))),
          tf.mean(tf.square(r.continuity)),
        );
        if (mode === 'soft') {
          const miss = tf.mul(bm!, tf.square(tf.sub(net.forward(bx!), bt!)));
          total = tf.add(total, tf.mul(soft!.weight, tf.div(tf.sum(miss), tf.sum(bm!))));
        }
        return total as tf.Scalar;
      }),
    predict: (points) =>
      tf.tidy(() => {
        if (mode === 'soft') return net.forward(points);
        return tf.add(
          problem.lift(points),
          tf.mul(problem.distance(points), net.forward(points)),
        ) as tf.Tensor2D;
      }),
    dispose: () => tf.dispose(keep),
  };
}

/** Normalised L2 error of the velocity, ‖(u, v) − (u, v)_ref‖ / ‖(u, v)_ref‖, on an n × n grid of the box (edges included). */
export function velocityError(problem: FlowProblem, pinn: FlowPinn, n: number): number {
  const pts: number[] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) pts.push(i / (n - 1), j / (n - 1));
  const out = tf.tidy(() => pinn.predict(tf.tensor2d(pts, [n * n, 2])).dataSync());
  let [num, den] = [0, 0];
  for (let k = 0; k < n * n; k++) {
    const ref = problem.reference(pts[2 * k]!, pts[2 * k + 1]!);
    num += (out[3 * k]! - ref.u) ** 2 + (out[3 * k + 1]! - ref.v) ** 2;
    den += ref.u ** 2 + ref.v ** 2;
  }
  return Math.sqrt(num / den);
}

/** Largest violation of the imposed boundary data on fresh boundary samples (0 up to rounding for hard constraints). */
export function boundaryViolation(problem: FlowProblem, pinn: FlowPinn, rng: Rng, perSide: number): number {
  const b = problem.boundary(rng, perSide);
  const out = tf.tidy(() => pinn.predict(tf.tensor2d(b.points, [b.n, 2])).dataSync());
  let worst = 0;
  for (let k = 0; k < 3 * b.n; k++) if (b.mask[k]) worst = Math.max(worst, Math.abs(out[k]! - b.targets[k]!));
  return worst;
}
