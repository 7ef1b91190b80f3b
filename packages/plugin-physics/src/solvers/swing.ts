import { type OdeRhs, rk4 } from './ode.js';

/**
 * Single machine against an infinite bus: m·δ̈ + d·δ̇ + B·sin δ = P (inertia m, damping d, line susceptance
 * times voltages B, mechanical power P). Stock et al. (2024) use m = 0.3, d = 0.15, B = 0.2, P = 0.1.
 */
export interface SwingParams {
  m: number;
  d: number;
  B: number;
  P: number;
}

/** The swing equation as a first-order system in (δ, ω = δ̇). */
export function swingRhs(p: SwingParams): OdeRhs {
  if (!(p.m > 0)) throw new RangeError(`swing equation: inertia m must be positive, got ${p.m}`);
  return (_t, [delta, omega]) =>
    Float64Array.from([omega!, (p.P - p.d * omega! - p.B * Math.sin(delta!)) / p.m]);
}

/** δ(t) and ω(t) at `times` from (δ₀, ω₀) at t = 0 by RK4 with step `dt` (default 1e-3). */
export function simulateSwing(
  p: SwingParams,
  y0: readonly [number, number],
  times: readonly number[],
  dt = 1e-3,
): { delta: Float64Array; omega: Float64Array } {
  const states = rk4(swingRhs(p), y0, 0, times, dt);
  return { delta: Float64Array.from(states, (s) => s[0]!), omega: Float64Array.from(states, (s) => s[1]!) };
}
