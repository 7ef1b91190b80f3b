import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { CompiledCircuit } from '../circuits/circuit.js';
import { runCircuit } from '../statevector/circuitKernel.js';
import { basisState, type StateVector } from '../statevector/host.js';
import { sampleHost } from '../statevector/sampling.js';

/**
 * The 2ⁿ basis-state probabilities of a circuit as features, one row per row of input angles (batched
 * state-vector simulation): exact when `shots` ≤ 0, else estimated from `shots` seeded measurements per row.
 */
export function circuitProbabilityFeatures(
  circuit: CompiledCircuit,
  angles: Float32Array,
  shots: number,
  rng: Rng,
): Float32Array {
  const n = circuit.nQubits;
  const rows = angles.length / circuit.slots.length;
  const D = 2 ** n;
  const a = tf.tensor2d(angles, [rows, circuit.slots.length]);
  const state = runCircuit(circuit, a);
  const planes = state.dataSync() as Float32Array;
  tf.dispose([a, state]);
  const probs = new Float32Array(rows * D);
  for (let i = 0; i < rows * D; i++) probs[i] = planes[i]! ** 2 + planes[rows * D + i]! ** 2;
  if (shots <= 0) return probs;
  const sv: StateVector = {
    ...basisState(n, rows),
    re: planes.slice(0, rows * D),
    im: planes.slice(rows * D),
  };
  const samples = sampleHost(sv, shots, rng);
  probs.fill(0);
  for (let r = 0; r < rows; r++)
    for (let s = 0; s < shots; s++) probs[r * D + samples[r * shots + s]!]! += 1 / shots;
  return probs;
}
