import { Circuit } from './circuit.js';
import type { RotationKind } from './matrices.js';

/** Two-qubit entangling layouts used by hybrid image classifiers. */
export type EntanglePattern = 'none' | 'linear' | 'ring' | 'star' | 'full';

/** The (control, target) pairs of an entangling pattern on `wires` (star: the first wire controls all). */
export function entanglePairs(wires: readonly number[], pattern: EntanglePattern): Array<[number, number]> {
  const n = wires.length;
  const out: Array<[number, number]> = [];
  if (n < 2 || pattern === 'none') return out;
  switch (pattern) {
    case 'linear':
      for (let i = 0; i + 1 < n; i++) out.push([wires[i]!, wires[i + 1]!]);
      break;
    case 'ring':
      for (let i = 0; i + 1 < n; i++) out.push([wires[i]!, wires[i + 1]!]);
      if (n > 2) out.push([wires[n - 1]!, wires[0]!]);
      break;
    case 'star':
      for (let i = 1; i < n; i++) out.push([wires[0]!, wires[i]!]);
      break;
    case 'full':
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([wires[i]!, wires[j]!]);
      break;
  }
  return out;
}

/** Appends CNOTs (or CZs) in an entangling pattern. */
export function entangle(
  c: Circuit,
  wires: readonly number[],
  pattern: EntanglePattern,
  gate: 'cnot' | 'cz' = 'cnot',
): Circuit {
  for (const [a, b] of entanglePairs(wires, pattern)) {
    if (gate === 'cnot') c.cnot(a, b);
    else c.cz(a, b);
  }
  return c;
}

/** Options of {@link encodedAnsatz}. */
export interface EncodedAnsatzOptions {
  /** Qubits. */
  qubits: number;
  /** Input features; feature j goes to qubit j mod qubits, rotation `encoding[⌊j / qubits⌋ mod len]`. */
  features: number;
  /** Variational layers (trainable rotations + entangler). */
  layers: number;
  /** Re-upload the inputs before every layer (data re-uploading) instead of once at the start. */
  reupload?: boolean;
  /**
   * With re-uploading, layer l reads inputs l·features … (l+1)·features − 1 instead of the same ones, so a
   * classical stage can feed each layer its own (e.g. trainably weighted) copy of the data.
   */
  separateLayerInputs?: boolean;
  /** Rotations that encode the features (default RY, RZ alternating for more features than qubits). */
  encoding?: RotationKind[];
  /** Trainable rotations per qubit per layer (default RY, RZ). */
  rotations?: RotationKind[];
  /** Entangling pattern after each layer's rotations (default linear). */
  entangle?: EntanglePattern;
  /** Angle = inputScale · feature (default 1). */
  inputScale?: number;
  /** Hadamards on every qubit before the first encoding (default false). */
  hadamard?: boolean;
}

/** Appends the angle encoding of all features (see {@link EncodedAnsatzOptions.features}). */
export function angleEncode(
  c: Circuit,
  qubits: number,
  features: number,
  encoding: readonly RotationKind[] = ['ry', 'rz'],
  inputScale = 1,
  offset = 0,
): Circuit {
  for (let j = 0; j < features; j++) {
    const kind = encoding[Math.floor(j / qubits) % encoding.length]!;
    c.rotation(kind, j % qubits, c.input(offset + j, inputScale));
  }
  return c;
}

/**
 * An angle-encoded variational circuit: [H] → encode → L × (rotations → entangler), or with re-uploading
 * L × (encode → rotations → entangler). All rotation angles are trainable parameters.
 */
export function encodedAnsatz(c: Circuit, o: EncodedAnsatzOptions): Circuit {
  if (o.qubits > c.nQubits)
    throw new RangeError(`encodedAnsatz: ${o.qubits} qubits in a ${c.nQubits}-qubit circuit`);
  const wires = Array.from({ length: o.qubits }, (_, i) => i);
  const enc = o.encoding ?? ['ry', 'rz'];
  const rot = o.rotations ?? ['ry', 'rz'];
  const pattern = o.entangle ?? 'linear';
  const scale = o.inputScale ?? 1;
  if (o.hadamard) for (const w of wires) c.h(w);
  if (!o.reupload) angleEncode(c, o.qubits, o.features, enc, scale);
  for (let l = 0; l < o.layers; l++) {
    if (o.reupload)
      angleEncode(c, o.qubits, o.features, enc, scale, o.separateLayerInputs ? l * o.features : 0);
    for (const w of wires) for (const k of rot) c.rotation(k, w, c.param());
    entangle(c, wires, pattern);
  }
  return c;
}

/**
 * RY(inputScale·xᵢ) angle encoding of one feature per qubit, then `layers` × (RY, RZ on every qubit → CNOT
 * ring): the variational block of the hybrid image classifiers (HQNN-Parallel, the 4-qubit quanvolution).
 */
export function ryRingAnsatz(qubits: number, layers: number, inputScale = 1): Circuit {
  return encodedAnsatz(new Circuit(qubits), {
    qubits,
    features: qubits,
    layers,
    encoding: ['ry'],
    rotations: ['ry', 'rz'],
    entangle: 'ring',
    inputScale,
  });
}
