import type { CompiledCircuit } from '../circuits/circuit.js';
import { applyOpHost, checkAngles, cloneState, derivativeOverlap, type StateVector } from './host.js';

/** Result of {@link circuitVjp}. */
export interface StateVjp {
  /** Final state ψ_out of the forward pass. */
  output: StateVector;
  /** Cotangent of the initial state: g_in = M† g_out for the whole (linear) circuit M. */
  initial: StateVector;
  /** dL/dangles `[batch, slots]`. */
  angles: Float64Array;
}

/**
 * Reverse-mode vector-Jacobian product of a circuit seen as a linear map ψ_out = M(θ)·ψ_in, for any
 * real loss L whose complex gradient g_out = ∂L/∂Re ψ_out + i ∂L/∂Im ψ_out is given. Intermediate states
 * are stored (memory: ops × batch × 2^n), so non-unitary operations such as {@link Circuit.postselect}
 * projections are handled — unlike {@link adjointVjp}, which un-computes the state and needs unitaries.
 * `gOut` may be a function of the output state (called once with it).
 */
export function circuitVjp(
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
  batch: number,
  initial: StateVector,
  gOut: StateVector | ((output: StateVector) => StateVector),
): StateVjp {
  const G = checkAngles(compiled, angles, batch);
  if (initial.batch !== batch || initial.nQubits !== compiled.nQubits) {
    throw new RangeError(`circuitVjp: initial state does not match [${batch}, 2^${compiled.nQubits}]`);
  }
  const states: StateVector[] = [];
  const psi = cloneState(initial);
  for (const op of compiled.ops) {
    if ('slot' in op) states.push(cloneState(psi));
    applyOpHost(psi, op, angles, G, 'forward');
  }
  const output = psi;
  const g = cloneState(typeof gOut === 'function' ? gOut(output) : gOut);
  const grad = new Float64Array(batch * G);
  for (let i = compiled.ops.length - 1; i >= 0; i--) {
    const op = compiled.ops[i]!;
    if ('slot' in op) {
      const before = states.pop()!;
      for (let b = 0; b < batch; b++) {
        grad[b * G + op.slot]! += derivativeOverlap(g, before, op, angles![b * G + op.slot]!, b);
      }
    }
    applyOpHost(g, op, angles, G, 'adjoint');
  }
  return { output, initial: g, angles: grad };
}
