import type { Rng, StateDict } from '@paperlab/core';
import { assignVariables, ownedVariable, variablesState } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { angleMatrix, type Circuit, type CompiledCircuit } from '../circuits/circuit.js';
import { type CompiledObservables, compileObservables, type Observable } from '../circuits/observables.js';
import { adjointVjp, contractJacobian, parameterShiftJacobian } from '../statevector/gradients.js';
import { expectationsHost, simulateHost } from '../statevector/host.js';
import { expectationsTf, simulateTf } from '../statevector/tfSim.js';

/**
 * How gradients are computed: `backprop` differentiates through the tfjs-ops simulator (any backend);
 * `adjoint` and `parameter-shift` simulate on the host (typed arrays) and compute the angle gradient there.
 * `auto` picks `adjoint` on cpu/wasm and `backprop` elsewhere.
 */
export type DiffMethod = 'backprop' | 'adjoint' | 'parameter-shift';

/** Resolves `auto` for the active backend. */
export function resolveDiffMethod(method: DiffMethod | 'auto'): DiffMethod {
  if (method !== 'auto') return method;
  const b = tf.getBackend();
  return b === 'cpu' || b === 'wasm' ? 'adjoint' : 'backprop';
}

/**
 * Expectation values `[batch, K]` of a compiled circuit at angles `[batch, slots]`, differentiable with
 * respect to the angles by the chosen method (a `tf.customGrad` for adjoint and parameter-shift).
 */
export function expval(
  circuit: CompiledCircuit,
  angles: tf.Tensor2D,
  observables: CompiledObservables,
  method: DiffMethod | 'auto' = 'auto',
): tf.Tensor2D {
  const m = resolveDiffMethod(method);
  const G = circuit.slots.length;
  if (angles.shape[1] !== G) {
    throw new RangeError(`expval: angles must be [batch, ${G}], got [${angles.shape}]`);
  }
  if (m === 'backprop' || G === 0) {
    return tf.tidy(() =>
      expectationsTf(simulateTf(circuit, G ? angles : null, { batch: angles.shape[0] }), observables),
    );
  }
  const B = angles.shape[0];
  const K = observables.numObservables;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const a = args[0] as tf.Tensor;
    const host = Float32Array.from(a.dataSync());
    const values = expectationsHost(simulateHost(circuit, host, B), observables);
    return {
      value: tf.tensor2d(Float32Array.from(values), [B, K]),
      gradFunc: (dy: tf.Tensor2D) => {
        const dyv = dy.dataSync();
        const grad =
          m === 'adjoint'
            ? adjointVjp(circuit, host, B, observables, dyv).grad
            : contractJacobian(parameterShiftJacobian(circuit, host, B, observables), dyv, B, K);
        return tf.tensor2d(Float32Array.from(grad), [B, G]);
      },
    };
  });
  return f(angles) as tf.Tensor2D;
}

/** Options of a {@link QuantumLayer}. */
export interface QuantumLayerOptions {
  /** The circuit: its `param()`s become the layer's weights, its `input(j)`s read feature j of the input. */
  circuit: Circuit;
  /** Measured observables, one output column each. */
  observables: Observable[];
  /** Gradient method (default `auto`). */
  diffMethod?: DiffMethod | 'auto';
  /** Draws the initial weights. */
  rng: Rng;
  /** Initial weights ~ U(lo, hi) (default [0, 2π)). */
  init?: { lo: number; hi: number };
  /** Variable name prefix. */
  name?: string;
}

/**
 * A variational quantum circuit as a tfjs layer: inputs `[batch, numInputs]` → expectation values
 * `[batch, K]`, with the circuit's trainable parameters as one tfjs variable. Compose it with any tfjs
 * computation; gradients reach both the weights and the inputs.
 */
export class QuantumLayer {
  /** The compiled circuit. */
  readonly circuit: CompiledCircuit;
  /** The compiled observables. */
  readonly observables: CompiledObservables;
  /** Trainable circuit parameters `[numParams]` (null when the circuit has none). */
  readonly weights: tf.Variable | null;
  /** Gradient method in use. */
  readonly diffMethod: DiffMethod | 'auto';
  private readonly name: string;

  constructor(options: QuantumLayerOptions) {
    this.circuit = options.circuit.compile();
    this.observables = compileObservables(this.circuit.nQubits, options.observables);
    this.diffMethod = options.diffMethod ?? 'auto';
    this.name = options.name ?? 'quantum';
    const P = this.circuit.numParams;
    const lo = options.init?.lo ?? 0;
    const hi = options.init?.hi ?? 2 * Math.PI;
    this.weights =
      P > 0 ? ownedVariable(tf.tensor1d(options.rng.uniforms(P, lo, hi)), `${this.name}/weights`) : null;
  }

  /** Number of outputs (observables). */
  get outputs(): number {
    return this.observables.numObservables;
  }

  /** Expectation values `[batch, K]` for inputs `[batch, numInputs]` (or `null` and a batch size). */
  apply(inputs: tf.Tensor2D | null, batch?: number): tf.Tensor2D {
    return tf.tidy(() => {
      const angles = angleMatrix(this.circuit, this.weights as tf.Tensor1D | null, inputs, batch);
      return expval(this.circuit, angles, this.observables, this.diffMethod);
    });
  }

  /** Trainable variables. */
  variables(): tf.Variable[] {
    return this.weights ? [this.weights] : [];
  }

  /** Saved weights. */
  async getState(): Promise<StateDict> {
    return variablesState(this.weights ? { weights: this.weights } : {});
  }

  /** Restores saved weights. */
  setState(state: StateDict): void {
    if (this.weights) assignVariables({ weights: this.weights }, state);
  }

  /** Releases the weights. */
  dispose(): void {
    this.weights?.dispose();
  }
}
