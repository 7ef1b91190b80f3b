import { Circuit } from './circuit.js';

/** Sarkar (2024)'s feature map: RY(xᵢ) on each qubit, a Hadamard on each, then a CNOT cascade 0→1→…→n−1. */
export function sarkarCircuit(n: number): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(q, c.input(q));
  for (let q = 0; q < n; q++) c.h(q);
  for (let q = 0; q + 1 < n; q++) c.cnot(q, q + 1);
  return c;
}

/**
 * The exact classical twin of {@link sarkarCircuit}: H·RY(x)|0⟩ has P(1) = (1 − sin x)/2, the qubits stay
 * independent, and the CNOT cascade only relabels basis states (yᵢ = z₀ ⊕ … ⊕ zᵢ), so
 * P(y) = Πᵢ qᵢ(yᵢ ⊕ yᵢ₋₁). No state vector involved.
 */
export function classicalTwinProbabilities(angles: ArrayLike<number>, n: number): Float32Array {
  const rows = angles.length / n;
  const D = 2 ** n;
  const out = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) {
    for (let y = 0; y < D; y++) {
      let p = 1;
      let prev = 0;
      for (let i = 0; i < n; i++) {
        const yi = (y >> (n - 1 - i)) & 1;
        const zi = yi ^ prev;
        prev = yi;
        const p1 = (1 - Math.sin(angles[r * n + i]!)) / 2;
        p *= zi ? p1 : 1 - p1;
      }
      out[r * D + y] = p;
    }
  }
  return out;
}
