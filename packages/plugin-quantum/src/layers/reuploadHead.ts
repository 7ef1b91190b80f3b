import type { Rng } from '@paperlab/core';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { Circuit } from '../circuits/circuit.js';
import { zzRingReadout } from '../circuits/observables.js';
import { encodedAnsatz } from '../circuits/templates.js';
import { QuantumLayer } from './quantumLayer.js';
import type { Stage } from './stack.js';

/** Options of {@link reuploadHead}. */
export interface ReuploadHeadOptions {
  /** Input features. */
  features: number;
  qubits: number;
  /** Re-uploading layers (encode → rotate → entangle). */
  layers: number;
  /** Outputs (⟨Zᵢ⟩ then ⟨ZᵢZᵢ₊₁⟩, see {@link zzRingReadout}); default 10. */
  classes?: number;
  rng: Rng;
  name: string;
}

/**
 * A data re-uploading classifier head (Pérez-Salinas et al. 2020 style): layer l encodes w_l ⊙ x + b_l with
 * trainable per-feature weights and biases (RY/RZ), then trainable RY, RZ and a CNOT ring; logits = α·⟨Oₖ⟩
 * with a trainable scale α (circuit outputs lie in [−1, 1]).
 */
export function reuploadHead(o: ReuploadHeadOptions): Stage {
  const { features, layers, name } = o;
  const layer = new QuantumLayer({
    circuit: encodedAnsatz(new Circuit(o.qubits), {
      qubits: o.qubits,
      features,
      layers,
      reupload: true,
      separateLayerInputs: true,
      encoding: ['ry', 'rz'],
      rotations: ['ry', 'rz'],
      entangle: 'ring',
    }),
    observables: zzRingReadout(o.qubits, o.classes),
    rng: o.rng.split('circuit'),
    name: `${name}/circuit`,
  });
  const w = ownedVariable(tf.fill([layers * features], Math.PI / 2), `${name}/input-weights`);
  const b = ownedVariable(tf.zeros([layers * features]), `${name}/input-biases`);
  const alpha = ownedVariable(tf.scalar(5), `${name}/alpha`);
  return {
    forward: (x) =>
      tf.tidy(() => {
        const angles = tf.add(tf.mul(tf.tile(x, [1, layers]), w), b) as tf.Tensor2D;
        return tf.mul(layer.apply(angles), alpha);
      }),
    variables: () => [...layer.variables(), w, b, alpha],
    dispose: () => {
      layer.dispose();
      tf.dispose([w, b, alpha]);
    },
  };
}
