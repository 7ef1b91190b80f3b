import type { Rng } from '@paperlab/core';
import { initTensor, type LayerSpec, ownedVariable, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import {
  type ActivationDerivatives,
  coordinateJet,
  type Jet,
  jetActivate,
  jetTensors,
  sinDerivatives,
  tanhDerivatives,
} from '../autodiff/jet.js';
import { unstackJet } from '../autodiff/jetActivationKernel.js';
import { tanhHO } from '../autodiff/tanh.js';
import { fixedTimesWeights, jetActivationDense, stackedCoordinates } from './jetDense.js';

/** Hidden-layer activations of {@link Mlp}: both differentiable to any order. */
export type MlpActivation = 'tanh' | 'sin';

/** Layer sizes and activation of an {@link Mlp}. */
export interface MlpSpec {
  /** Widths from input to output, e.g. `[2, 40, 40, 40, 3]`. */
  sizes: readonly number[];
  activation?: MlpActivation;
  /** The inputs' box: inputs are mapped affinely to [−1, 1]^d before the first layer (default: used as given). */
  inputBox?: { lo: readonly number[]; hi: readonly number[] };
}

const DERIVATIVES: Record<MlpActivation, ActivationDerivatives> = {
  tanh: tanhDerivatives,
  sin: sinDerivatives,
};

/** A dense layer on a jet: values get xW + b, derivatives dW (all channels in one matmul). */
function jetDense(j: Jet, w: tf.Tensor2D, b: tf.Tensor1D): Jet {
  const parts = jetTensors(j);
  const z = tf.matMul(tf.concat(parts, 0), w);
  const split = tf.split(z, parts.length, 0) as tf.Tensor2D[];
  const order = j.d[0]?.length ?? 0;
  return {
    value: tf.add(split[0]!, b),
    d: j.d.map((_, ax) => split.slice(1 + ax * order, 1 + (ax + 1) * order)),
  };
}

/**
 * The PINN network: a fully connected tanh (or sine) MLP with Glorot-uniform weights from a seeded Rng.
 * `forward` is differentiable to any order (nested `tf.grad`); `jet` gives value and pure input derivatives
 * up to third order by forward mode, ~10× cheaper than nesting reverse mode for a residual's second derivatives.
 */
export class Mlp {
  readonly spec: MlpSpec;
  private readonly w: tf.Variable[] = [];
  private readonly b: tf.Variable[] = [];

  constructor(spec: MlpSpec, rng: Rng) {
    if (spec.sizes.length < 2)
      throw new Error(`Mlp needs at least input and output sizes, got [${spec.sizes}]`);
    this.spec = spec;
    for (let i = 0; i + 1 < spec.sizes.length; i++) {
      const [fin, fout] = [spec.sizes[i]!, spec.sizes[i + 1]!];
      this.w.push(ownedVariable(initTensor([fin, fout], 'glorot', rng.split(`w${i}`), fin, fout)));
      this.b.push(ownedVariable(tf.zeros([fout])));
    }
  }

  /** Trainable variables (weights then bias, layer by layer). */
  variables(): tf.Variable[] {
    return this.w.flatMap((w, i) => [w, this.b[i]!]);
  }

  /** Number of trainable scalars. */
  paramCount(): number {
    return this.variables().reduce((a, v) => a + v.size, 0);
  }

  /** x ↦ (x − mid)/half per input, from `inputBox` (identity without one). */
  private normalise(x: tf.Tensor2D): tf.Tensor2D {
    const box = this.spec.inputBox;
    if (!box) return x;
    const mid = box.lo.map((l, a) => (l + box.hi[a]!) / 2);
    const inv = box.lo.map((l, a) => 2 / (box.hi[a]! - l));
    return tf.mul(tf.sub(x, tf.tensor1d(mid)), tf.tensor1d(inv)) as tf.Tensor2D;
  }

  /** Outputs [n, out] at points [n, in]; differentiable to any order. */
  forward(x: tf.Tensor, _options: { training: boolean } = { training: false }): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.normalise(x as tf.Tensor2D);
      const last = this.w.length - 1;
      for (let i = 0; i <= last; i++) {
        h = tf.add(tf.matMul(h, this.w[i]!), this.b[i]!);
        if (i < last) h = (this.spec.activation === 'sin' ? tf.sin(h) : tanhHO(h)) as tf.Tensor2D;
      }
      return h;
    });
  }

  /**
   * Outputs and their pure input derivatives up to `order` (≤ 3) by forward mode. The jet travels stacked as one
   * tensor [S·N, ·] (value and derivative rows), so each layer is one matmul and one fused activation kernel
   * ({@link jetActivationDense}); differentiable once in the weights (the loss gradient).
   */
  jet(x: tf.Tensor2D, order: number): Jet {
    const d = x.shape[1];
    if (!Number.isInteger(order) || order < 0 || order > 3)
      throw new RangeError(`Mlp.jet: order must be 0…3, got ${order}`);
    const box = this.spec.inputBox;
    const attrs = { activation: this.spec.activation ?? 'tanh', axes: d, order } as const;
    return tf.tidy(() => {
      const scale = box?.lo.map((l, a) => 2 / (box.hi[a]! - l));
      let z = fixedTimesWeights(
        stackedCoordinates(this.normalise(x), order, scale),
        this.w[0] as tf.Tensor2D,
      );
      const last = this.w.length - 1;
      for (let i = 1; i <= last; i++)
        z = jetActivationDense(z, this.b[i - 1] as tf.Tensor1D, this.w[i] as tf.Tensor2D, attrs);
      const j = unstackJet(z, d, order);
      const out = { value: tf.add(j.value, this.b[last]!), d: j.d };
      return out as unknown as tf.TensorContainer;
    }) as unknown as Jet;
  }

  /** {@link jet} by the unfused chain (`jetActivate` per layer, many small ops): differentiable to any order. */
  jetUnfused(x: tf.Tensor2D, order: number): Jet {
    let j = coordinateJet(x, order);
    const box = this.spec.inputBox;
    if (box) {
      // The affine input map scales each axis' first derivative by 2/(hi − lo); higher ones stay 0.
      const scaled = tf.tidy(() => {
        const inv = tf.tensor1d(box.lo.map((l, a) => 2 / (box.hi[a]! - l)));
        return {
          value: this.normalise(j.value),
          d: j.d.map((ds) => ds.map((t) => tf.mul(t, inv) as tf.Tensor2D)),
        } as unknown as tf.TensorContainer;
      }) as unknown as Jet;
      tf.dispose(jetTensors(j));
      j = scaled;
    }
    const sigma = DERIVATIVES[this.spec.activation ?? 'tanh'];
    const last = this.w.length - 1;
    for (let i = 0; i <= last; i++) {
      const next = jetDense(j, this.w[i] as tf.Tensor2D, this.b[i] as tf.Tensor1D);
      const act = i < last ? jetActivate(next, sigma) : next;
      tf.dispose(jetTensors(j));
      if (act !== next) tf.dispose(jetTensors(next));
      j = act;
    }
    return j;
  }

  /** Releases the variables. */
  dispose(): void {
    tf.dispose(this.variables());
  }
}

/** Parameters of a [d, h, h, 1] MLP with biases. */
export function twoHiddenMlpParams(d: number, h: number): number {
  return d * h + h + h * h + h + h + 1;
}

/** Hidden width h (1…511) whose [d, h, h, 1] MLP has the parameter count closest to `target` (smallest on ties). */
export function matchedMlpWidth(d: number, target: number): number {
  let best = 1;
  for (let h = 1; h < 512; h++)
    if (Math.abs(twoHiddenMlpParams(d, h) - target) < Math.abs(twoHiddenMlpParams(d, best) - target))
      best = h;
  return best;
}

/** The hidden layers of {@link matchedMlp}: activation, and the initialiser when not the layer's default. */
export type MatchedHidden = Pick<Extract<LayerSpec, { type: 'dense' }>, 'activation' | 'init'>;

/**
 * A [d, h, h, 1] baseline MLP (Glorot output layer) whose width h gives it about `target` parameters
 * ({@link matchedMlpWidth}), the parameter-matched comparison of a KAN.
 */
export function matchedMlp(d: number, target: number, hidden: MatchedHidden, rng: Rng): Sequential {
  const h = matchedMlpWidth(d, target);
  return Sequential.build(
    [
      { type: 'dense', units: h, ...hidden },
      { type: 'dense', units: h, ...hidden },
      { type: 'dense', units: 1, init: 'glorot' },
    ],
    [d],
    rng,
    'mlp',
  );
}
