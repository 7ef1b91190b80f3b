import * as tf from '@tensorflow/tfjs-core';
import { type Jet, jetColumn } from '../autodiff/jet.js';

/**
 * Residuals [n, 1] of the steady incompressible Navier–Stokes equations in dimensionless form (ν = 1/Re) from
 * jets (order ≥ 2) of u, v, p over (x, y): momentum u·u_x + v·u_y + p_x − (u_xx + u_yy)/Re and its y twin, and
 * continuity u_x + v_y.
 */
export function navierStokesResiduals(
  u: Jet,
  v: Jet,
  p: Jet,
  re: number,
): { momentumX: tf.Tensor2D; momentumY: tf.Tensor2D; continuity: tf.Tensor2D } {
  const [ux, uy, uxx, uyy] = [u.d[0]![0]!, u.d[1]![0]!, u.d[0]![1]!, u.d[1]![1]!];
  const [vx, vy, vxx, vyy] = [v.d[0]![0]!, v.d[1]![0]!, v.d[0]![1]!, v.d[1]![1]!];
  const nu = 1 / re;
  const conv = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.add(tf.mul(u.value, a), tf.mul(v.value, b));
  return {
    momentumX: tf.sub(tf.add(conv(ux, uy), p.d[0]![0]!), tf.mul(nu, tf.add(uxx, uyy))) as tf.Tensor2D,
    momentumY: tf.sub(tf.add(conv(vx, vy), p.d[1]![0]!), tf.mul(nu, tf.add(vxx, vyy))) as tf.Tensor2D,
    continuity: tf.add(ux, vy) as tf.Tensor2D,
  };
}

/** Splits a 3-column (u, v, p) jet into its three fields. */
export function splitVelocityPressure(j: Jet): [Jet, Jet, Jet] {
  return [jetColumn(j, 0), jetColumn(j, 1), jetColumn(j, 2)];
}
