import { type Rng, throwIfAborted } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { meanLoss } from '../inference/kernelMachines.js';
import { disposeNtkMlp, initNtkMlp, type NtkMlpSpec, ntkMlpForward, ntkMlpVariables } from './ntkMlp.js';

/** A recorded point of a hinge-training trajectory: centred outputs g = f − f₀ and the objective. */
export interface HingeTrajectoryPoint {
  step: number;
  /** Mean hinge max(0, 1 − y·g) + (λ/2)‖θ − θ₀‖². */
  objective: number;
  /** g at the training points. */
  train: Float64Array;
  /** g at the test points. */
  test: Float64Array;
}

/** Options of {@link fitNtkMlpHinge}. */
export interface FitNtkMlpHingeOptions {
  /** (Sub)gradient step η. */
  lr: number;
  /** ℓ2 penalty (λ/2)‖θ − θ₀‖² around the initialisation. */
  lambda: number;
  /** Full-batch (sub)gradient steps. */
  steps: number;
  /** Steps (0 … steps) at which the state is recorded. */
  recordAt: readonly number[];
  /** Checked every 16 steps. */
  signal?: AbortSignal;
}

/**
 * Draws a scalar-output NTK MLP from `rng` and trains it by full-batch subgradient descent on the soft-margin
 * objective mean hinge(y·g) + (λ/2)‖θ − θ₀‖², where g = f − f₀ (the output minus its value at initialisation),
 * recording g and the objective at `recordAt`. Rows of `x.train`/`x.test` have `spec.inputDim` features; y is ±1.
 */
export function fitNtkMlpHinge(
  spec: NtkMlpSpec,
  rng: Rng,
  x: { train: Float32Array; test: Float32Array },
  y: Float64Array,
  o: FitNtkMlpHingeOptions,
): HingeTrajectoryPoint[] {
  const params = initNtkMlp(spec, rng);
  const vars = ntkMlpVariables(params);
  const theta0 = vars.map((v) => tf.clone(v));
  const xTr = tf.tensor2d(x.train, [y.length, spec.inputDim]);
  const xTe = tf.tensor2d(x.test, [x.test.length / spec.inputDim, spec.inputDim]);
  const yT = tf.tensor2d(Float32Array.from(y), [y.length, 1]);
  const f0Tr = ntkMlpForward(spec, params, xTr);
  const f0Te = ntkMlpForward(spec, params, xTe);
  const record = new Set(o.recordAt);
  const out: HingeTrajectoryPoint[] = [];
  try {
    for (let t = 0; t <= o.steps; t++) {
      if (o.signal && t % 16 === 0) throwIfAborted(o.signal);
      if (record.has(t)) {
        const [gTr, gTe, reg] = tf.tidy(() => [
          tf.sub(ntkMlpForward(spec, params, xTr), f0Tr),
          tf.sub(ntkMlpForward(spec, params, xTe), f0Te),
          tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, theta0[i]!))))),
        ]);
        const train = Float64Array.from(gTr!.dataSync());
        const test = Float64Array.from(gTe!.dataSync());
        const r = reg!.dataSync()[0]!;
        tf.dispose([gTr!, gTe!, reg!]);
        out.push({ step: t, train, test, objective: meanLoss('hinge', train, y) + 0.5 * o.lambda * r });
      }
      if (t === o.steps) break;
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () =>
            tf.mean(
              tf.relu(tf.sub(1, tf.mul(yT, tf.sub(ntkMlpForward(spec, params, xTr), f0Tr)))),
            ) as tf.Scalar,
          vars,
        );
        vars.forEach((v, i) => {
          const grad = grads[v.name]!;
          v.assign(tf.sub(v, tf.mul(o.lr, tf.add(grad, tf.mul(o.lambda, tf.sub(v, theta0[i]!))))));
        });
      });
    }
  } finally {
    tf.dispose([...theta0, xTr, xTe, yT, f0Tr, f0Te]);
    disposeNtkMlp(params);
  }
  return out;
}
