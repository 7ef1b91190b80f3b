import type { CompiledCircuit, PrimitiveOp } from '../circuits/circuit.js';
import { unitarityError } from '../circuits/matrices.js';
import type { CompiledObservables } from '../circuits/observables.js';
import {
  applyObservablesHost,
  applyOpHost,
  checkAngles,
  derivativeOverlap,
  expectationsHost,
  type StateVector,
  simulateHost,
} from './host.js';
import { realAdjointSweep } from './realSweep.js';

/** Result of a vector-Jacobian product over angle slots. */
export interface AngleVjp {
  /** Expectation values `[batch, K]` of the forward pass. */
  values: Float64Array;
  /** dL/dangles `[batch, slots]` for L = Σ_{b,k} dy[b,k]·⟨O_k⟩_b. */
  grad: Float64Array;
}

/**
 * Adjoint-method vector-Jacobian product (Jones & Gacon 2020): one forward pass and one backward sweep
 * that un-computes the state, whatever the number of angles. `dy` is `[batch, K]`.
 */
export function adjointVjp(
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
  batch: number,
  obs: CompiledObservables,
  dy: ArrayLike<number>,
  initial?: StateVector,
): AngleVjp {
  const G = checkAngles(compiled, angles, batch);
  if (dy.length !== batch * obs.numObservables) {
    throw new RangeError(`adjointVjp: dy must be [${batch}, ${obs.numObservables}], got ${dy.length} values`);
  }
  for (const op of compiled.ops) {
    if (op.kind === 'fixed' && unitarityError(op.matrix) > 1e-6) {
      throw new Error(
        'adjointVjp: the circuit has a non-unitary operation (e.g. a post-selection), which the adjoint method ' +
          'cannot un-compute; use circuitVjp, parameter-shift or backprop',
      );
    }
  }
  const psi = simulateHost(compiled, angles, batch, initial);
  const values = expectationsHost(psi, obs);
  const lambda = applyObservablesHost(psi, obs, dy);
  const grad = new Float64Array(batch * G);
  if (realAdjointSweep(compiled, angles, G, psi, lambda, grad)) return { values, grad };
  for (let g = compiled.ops.length - 1; g >= 0; g--) {
    const op = compiled.ops[g]!;
    applyOpHost(psi, op, angles, G, 'adjoint');
    if ('slot' in op) {
      for (let b = 0; b < batch; b++) {
        const theta = angles![b * G + op.slot]!;
        grad[b * G + op.slot]! += 2 * derivativeOverlap(lambda, psi, op, theta, b);
      }
    }
    applyOpHost(lambda, op, angles, G, 'adjoint');
  }
  return { values, grad };
}

/**
 * Full Jacobian d⟨O_k⟩/d angle_g `[batch, K, slots]` by the adjoint method (one backward sweep per
 * observable).
 */
export function adjointJacobian(
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
  batch: number,
  obs: CompiledObservables,
  initial?: StateVector,
): Float64Array {
  const G = compiled.slots.length;
  const K = obs.numObservables;
  const jac = new Float64Array(batch * K * G);
  for (let k = 0; k < K; k++) {
    const dy = new Float64Array(batch * K);
    for (let b = 0; b < batch; b++) dy[b * K + k] = 1;
    const { grad } = adjointVjp(compiled, angles, batch, obs, dy, initial);
    for (let b = 0; b < batch; b++) for (let g = 0; g < G; g++) jac[(b * K + k) * G + g] = grad[b * G + g]!;
  }
  return jac;
}

/** Shifts and weights of the parameter-shift rule for one rotation op: df/dθ = Σ w·f(θ + s). */
export function shiftRule(
  op: Extract<PrimitiveOp, { slot: number }>,
): Array<[shift: number, weight: number]> {
  const h = Math.PI / 2;
  // Generators with eigenvalue gaps {1}: uncontrolled rotations (±1/2) and (controlled) phase ({0, 1}).
  if (op.controls.length === 0 || op.kind === 'phase') {
    return [
      [h, 0.5],
      [-h, -0.5],
    ];
  }
  // Controlled rotations: eigenvalues {0, ±1/2} give gaps {1/2, 1} and a four-term rule.
  const c1 = (Math.SQRT2 + 1) / (4 * Math.SQRT2);
  const c2 = (Math.SQRT2 - 1) / (4 * Math.SQRT2);
  return [
    [h, c1],
    [-h, -c1],
    [3 * h, -c2],
    [-3 * h, c2],
  ];
}

/**
 * Jacobian d⟨O_k⟩/d angle_g `[batch, K, slots]` by the parameter-shift rule — exact, and the mode that
 * runs on hardware. All shifted circuits are simulated as one batch (in chunks of `maxRows` examples).
 */
export function parameterShiftJacobian(
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
  batch: number,
  obs: CompiledObservables,
  options: { maxAmplitudes?: number } = {},
): Float64Array {
  const G = checkAngles(compiled, angles, batch);
  const K = obs.numObservables;
  const jac = new Float64Array(batch * K * G);
  const evals: Array<{ slot: number; shift: number; weight: number }> = [];
  for (const op of compiled.ops) {
    if ('slot' in op)
      for (const [shift, weight] of shiftRule(op)) evals.push({ slot: op.slot, shift, weight });
  }
  if (evals.length === 0) return jac;
  const D = 2 ** compiled.nQubits;
  const maxAmp = options.maxAmplitudes ?? 2 ** 22;
  const perChunk = Math.max(1, Math.floor(maxAmp / (D * batch)));
  for (let e0 = 0; e0 < evals.length; e0 += perChunk) {
    const chunk = evals.slice(e0, e0 + perChunk);
    const rows = chunk.length * batch;
    const a = new Float32Array(rows * G);
    chunk.forEach((ev, c) => {
      for (let b = 0; b < batch; b++) {
        const r = c * batch + b;
        for (let g = 0; g < G; g++) a[r * G + g] = angles![b * G + g]!;
        a[r * G + ev.slot]! += ev.shift;
      }
    });
    const values = expectationsHost(simulateHost(compiled, a, rows), obs);
    chunk.forEach((ev, c) => {
      for (let b = 0; b < batch; b++) {
        for (let k = 0; k < K; k++) {
          jac[(b * K + k) * G + ev.slot]! += ev.weight * values[(c * batch + b) * K + k]!;
        }
      }
    });
  }
  return jac;
}

/** Contracts a Jacobian `[batch, K, slots]` with upstream gradients `[batch, K]` into `[batch, slots]`. */
export function contractJacobian(
  jac: ArrayLike<number>,
  dy: ArrayLike<number>,
  batch: number,
  K: number,
): Float64Array {
  const G = jac.length / (batch * K);
  const out = new Float64Array(batch * G);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < K; k++) {
      const w = dy[b * K + k]!;
      if (w === 0) continue;
      for (let g = 0; g < G; g++) out[b * G + g]! += w * jac[(b * K + k) * G + g]!;
    }
  }
  return out;
}

/** Central finite differences of the expectations w.r.t. every angle `[batch, K, slots]` (float64 host). */
export function finiteDifferenceJacobian(
  compiled: CompiledCircuit,
  angles: ArrayLike<number>,
  batch: number,
  obs: CompiledObservables,
  eps = 1e-3,
): Float64Array {
  const G = checkAngles(compiled, angles, batch);
  const K = obs.numObservables;
  const jac = new Float64Array(batch * K * G);
  const base = Float32Array.from(angles);
  for (let g = 0; g < G; g++) {
    const plus = base.slice();
    const minus = base.slice();
    for (let b = 0; b < batch; b++) {
      plus[b * G + g]! += eps;
      minus[b * G + g]! -= eps;
    }
    const fp = expectationsHost(simulateHost(compiled, plus, batch), obs);
    const fm = expectationsHost(simulateHost(compiled, minus, batch), obs);
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < K; k++) {
        const dp = plus[b * G + g]! - minus[b * G + g]!;
        jac[(b * K + k) * G + g] = (fp[b * K + k]! - fm[b * K + k]!) / dp;
      }
    }
  }
  return jac;
}
