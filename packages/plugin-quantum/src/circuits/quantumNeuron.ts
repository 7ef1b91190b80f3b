import type { Angle, Circuit, InputRef, ParamRef } from './circuit.js';

/** Options of {@link appendQuantumNeuron}. */
export interface QuantumNeuronOptions {
  /** Control qubits xᵢ of the neuron. */
  inputs: number[];
  /** The qubit the activation rotates. */
  target: number;
  /** A workspace qubit in |0⟩ (returned to |0⟩ by the post-selection). */
  ancilla: number;
  /** One weight per input (radians). */
  weights: Angle[];
  /** Bias (radians). */
  bias: Angle;
}

function scaled(a: Angle, f: number): Angle {
  if (typeof a === 'number') return a * f;
  if ('param' in a) return { ...a, scale: (a.scale ?? 1) * f, shift: (a.shift ?? 0) * f } satisfies ParamRef;
  return { ...a, scale: (a.scale ?? 1) * f, shift: (a.shift ?? 0) * f } satisfies InputRef;
}

/**
 * Appends a repeat-until-success quantum neuron (Cao, Guerreschi & Aspuru-Guzik 2017; used by Bausch 2020):
 * the ancilla is rotated by θ = b + Σ wᵢxᵢ (controlled rotations R(w) = RY(2w)), a controlled −iY acts on the
 * target, the ancilla rotation is undone, and the ancilla is post-selected on |0⟩. On success the target is
 * rotated by R(q(θ)) with q(θ) = arctan(tan²θ) — a sharpened step — and the success probability, for
 * basis-state inputs, is cos⁴θ + sin⁴θ ≥ 1/2 (it remains in ‖ψ‖², see {@link Circuit.postselect}).
 */
export function appendQuantumNeuron(c: Circuit, o: QuantumNeuronOptions): Circuit {
  if (o.weights.length !== o.inputs.length) {
    throw new RangeError(`quantum neuron: ${o.inputs.length} inputs but ${o.weights.length} weights`);
  }
  c.ry(o.ancilla, scaled(o.bias, 2));
  o.inputs.forEach((x, i) => {
    c.cry(x, o.ancilla, scaled(o.weights[i]!, 2));
  });
  c.cry(o.ancilla, o.target, Math.PI); // controlled RY(π) = controlled (−iY)
  for (let i = o.inputs.length - 1; i >= 0; i--) c.cry(o.inputs[i]!, o.ancilla, scaled(o.weights[i]!, -2));
  c.ry(o.ancilla, scaled(o.bias, -2));
  return c.postselect(o.ancilla, 0);
}

/** The neuron's activation q(θ) = arctan(tan²θ) for a basis-state input with pre-activation θ. */
export function neuronActivation(theta: number): number {
  const c = Math.cos(theta) ** 2;
  const s = Math.sin(theta) ** 2;
  return Math.atan2(s, c);
}

/** The neuron's success probability cos⁴θ + sin⁴θ for a basis-state input. */
export function neuronSuccessProbability(theta: number): number {
  return Math.cos(theta) ** 4 + Math.sin(theta) ** 4;
}
