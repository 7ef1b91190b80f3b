import type { Rng } from '@paperlab/core';
import { type Activation, type LayerSpec, Sequential } from '@paperlab/core/train';
import type { Circuit } from '../circuits/circuit.js';
import { zEach } from '../circuits/observables.js';
import { QuantumLayer } from './quantumLayer.js';
import { quantumStage, type Stage } from './stack.js';

/**
 * The small CNN feature extractor of the hybrid image models: conv 3×3 (`conv[0]`, ReLU) → max-pool 2 →
 * conv 3×3 (`conv[1]`, ReLU) → max-pool 2 → flatten → dense `width` with `activation` (default tanh: features
 * bounded for angle encoding).
 */
export function cnnFront(
  size: number,
  conv: readonly [number, number],
  width: number,
  rng: Rng,
  name: string,
  activation: Activation = 'tanh',
): Sequential {
  return Sequential.build(
    [
      { type: 'conv2d', filters: conv[0], kernel: 3, activation: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'conv2d', filters: conv[1], kernel: 3, activation: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: width, activation },
    ],
    [size, size, 1],
    rng,
    name,
  );
}

/** A circuit layer as a stage, reading ⟨Z⟩ on every qubit: `[batch, inputs]` → `[batch, qubits]`. */
export function circuitStage(circuit: Circuit, rng: Rng, name: string): Stage {
  return quantumStage(new QuantumLayer({ circuit, observables: zEach(circuit.nQubits), rng, name }));
}

/**
 * The classical twin of a `width`-qubit circuit layer with ⟨Z⟩ read-outs: dense width → width without bias,
 * tanh (outputs in [−1, 1] like the expectations), Glorot init.
 */
export function denseTwin(width: number, rng: Rng, name: string): Sequential {
  return Sequential.build(
    [{ type: 'dense', units: width, activation: 'tanh', bias: false, init: 'glorot' }],
    [width],
    rng,
    name,
  );
}

/** A linear read-out: (flatten, for a multi-dimensional input) → dense `classes`, Glorot init. */
export function linearHead(inputShape: number[], rng: Rng, name: string, classes = 10): Sequential {
  return Sequential.build(
    [
      ...(inputShape.length > 1 ? [{ type: 'flatten' as const }] : []),
      { type: 'dense', units: classes, init: 'glorot' },
    ],
    inputShape,
    rng,
    name,
  );
}

/** A 2×2 convolution with stride 2 over non-overlapping patches (`filters` outputs each), Glorot init. */
export function patchConv(filters: number, activation: Activation): LayerSpec {
  return { type: 'conv2d', filters, kernel: 2, stride: 2, padding: 'valid', activation, init: 'glorot' };
}
