import { Circuit } from './circuit.js';
import { type EntanglePattern, encodedAnsatz, entangle } from './templates.js';

/**
 * A 4-qubit quanvolution circuit on `features` patch values (Wang et al. 2024): RY/RZ angle encoding
 * (features beyond 4 as further RZ/RY), L × (RY, RZ → CNOT ring), optionally re-uploading before each layer.
 */
export function quanvCircuit(
  features: number,
  layers: number,
  inputScale: number,
  reupload: boolean,
): Circuit {
  return encodedAnsatz(new Circuit(4), {
    qubits: 4,
    features,
    layers,
    reupload,
    encoding: ['ry', 'rz'],
    rotations: ['ry', 'rz'],
    entangle: 'ring',
    inputScale,
  });
}

/**
 * QShield's circuit (Azimi et al. 2026): L × (RY(π/2·h) encoding → CNOT pattern → trainable RY, RZ on every
 * qubit); read out with ⟨Z⟩ on every qubit. The patterns differ only in their CNOTs.
 */
export function qshieldCircuit(qubits: number, layers: number, pattern: EntanglePattern): Circuit {
  const c = new Circuit(qubits);
  const wires = Array.from({ length: qubits }, (_, i) => i);
  for (let l = 0; l < layers; l++) {
    for (const w of wires) c.ry(w, c.input(w, Math.PI / 2));
    entangle(c, wires, pattern);
    for (const w of wires) c.ry(w, c.param()).rz(w, c.param());
  }
  return c;
}
