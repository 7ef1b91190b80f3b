import * as tf from '@tensorflow/tfjs-core';
import type { Inputs, Model } from '../contracts/model.js';
import type { StateDict } from '../contracts/state.js';
import type { Rng } from '../rng/rng.js';
import { type InitScheme, initTensor } from './init.js';
import { assignVariables, variablesState } from './state.js';

/** Elementwise activations. */
export type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'erf' | 'gelu' | 'softplus' | 'elu';

/** Declarative layer specs for {@link Sequential}. */
export type LayerSpec =
  | { type: 'dense'; units: number; activation?: Activation; init?: InitScheme; bias?: boolean }
  | {
      type: 'conv2d';
      filters: number;
      kernel: number;
      stride?: number;
      padding?: 'same' | 'valid';
      activation?: Activation;
      init?: InitScheme;
    }
  | { type: 'maxPool'; size: number; stride?: number }
  | { type: 'avgPool'; size: number; stride?: number }
  | { type: 'globalAvgPool' }
  | { type: 'flatten' }
  | { type: 'activation'; fn: Activation }
  | { type: 'dropout'; rate: number };

/** A layer without weights or randomness: pooling, flatten, activation. */
export type FixedLayerSpec = Extract<
  LayerSpec,
  { type: 'maxPool' | 'avgPool' | 'globalAvgPool' | 'flatten' | 'activation' }
>;

/** Applies a layer without weights or randomness (the same in every network that runs `LayerSpec`s). */
export function applyFixedLayer(spec: FixedLayerSpec, x: tf.Tensor): tf.Tensor {
  switch (spec.type) {
    case 'maxPool':
      return tf.maxPool(x as tf.Tensor4D, spec.size, spec.stride ?? spec.size, 'valid');
    case 'avgPool':
      return tf.avgPool(x as tf.Tensor4D, spec.size, spec.stride ?? spec.size, 'valid');
    case 'globalAvgPool':
      return tf.mean(x, [1, 2]);
    case 'flatten':
      return tf.reshape(x, [x.shape[0]!, -1]);
    case 'activation':
      return activate(x, spec.fn);
  }
}

/** A named trainable variable that takes over its initial value (no leaked initialiser tensor). */
export function ownedVariable(init: tf.Tensor, name?: string): tf.Variable {
  const v = tf.variable(init, true, name);
  init.dispose();
  return v;
}

/** Applies an activation. */
export function activate(x: tf.Tensor, fn: Activation): tf.Tensor {
  switch (fn) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'erf':
      return tf.erf(x);
    case 'softplus':
      return tf.softplus(x);
    case 'elu':
      return tf.elu(x);
    case 'gelu':
      // tanh approximation (Hendrycks & Gimpel).
      return tf.tidy(() =>
        tf.mul(
          tf.mul(x, 0.5),
          tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))),
        ),
      );
  }
}

interface BuiltLayer {
  spec: LayerSpec;
  params: Record<string, tf.Variable>;
  outShape: number[];
}

/**
 * Counts built models so each instance's tfjs variables get their own names (tfjs refuses a second
 * variable of the same name). It only names variables: weights come from the Rng, never from this.
 */
let builtModels = 0;

/** A feed-forward model from layer specs; weights drawn from the run's RNG. */
export class Sequential implements Model {
  private readonly layers: BuiltLayer[];
  private readonly dropoutRng: Rng;
  /** Shape of one output example. */
  readonly outputShape: number[];
  /** The model's stable name: the prefix of its state-dict keys (`<name>/<i>-<layer>/<param>`). */
  readonly name: string;

  private constructor(layers: BuiltLayer[], dropoutRng: Rng, name: string) {
    this.layers = layers;
    this.dropoutRng = dropoutRng;
    this.name = name;
    this.outputShape = layers.length ? layers[layers.length - 1]!.outShape : [];
  }

  /**
   * Builds the layers for inputs of shape `inputShape` (one example, no batch dim). `name` prefixes the
   * state-dict keys; the tfjs variables get a per-instance suffix, so any number of models built from one
   * spec and name can be alive at once.
   */
  static build(specs: LayerSpec[], inputShape: number[], rng: Rng, name = 'seq'): Sequential {
    const layers: BuiltLayer[] = [];
    const instance = `${name}#${++builtModels}`;
    let shape = [...inputShape];
    specs.forEach((spec, i) => {
      const params: Record<string, tf.Variable> = {};
      const lrng = rng.split(`layer-${i}`);
      const pname = (p: string) => `${instance}/${i}-${spec.type}/${p}`;
      switch (spec.type) {
        case 'dense': {
          if (shape.length !== 1)
            throw new Error(`dense layer ${i} needs a flat input, got [${shape}] (add a flatten layer)`);
          const fanIn = shape[0]!;
          params.kernel = ownedVariable(
            initTensor([fanIn, spec.units], spec.init ?? 'he', lrng, fanIn, spec.units),
            pname('kernel'),
          );
          if (spec.bias !== false) params.bias = ownedVariable(tf.zeros([spec.units]), pname('bias'));
          shape = [spec.units];
          break;
        }
        case 'conv2d': {
          if (shape.length !== 3) throw new Error(`conv2d layer ${i} needs [h, w, c] input, got [${shape}]`);
          const [h, w, c] = shape as [number, number, number];
          const k = spec.kernel;
          const fanIn = k * k * c;
          params.kernel = ownedVariable(
            initTensor([k, k, c, spec.filters], spec.init ?? 'he', lrng, fanIn, k * k * spec.filters),
            pname('kernel'),
          );
          params.bias = ownedVariable(tf.zeros([spec.filters]), pname('bias'));
          const s = spec.stride ?? 1;
          const pad = spec.padding ?? 'same';
          const oh = pad === 'same' ? Math.ceil(h / s) : Math.floor((h - k) / s) + 1;
          const ow = pad === 'same' ? Math.ceil(w / s) : Math.floor((w - k) / s) + 1;
          shape = [oh, ow, spec.filters];
          break;
        }
        case 'maxPool':
        case 'avgPool': {
          const [h, w, c] = shape as [number, number, number];
          const s = spec.stride ?? spec.size;
          shape = [Math.floor((h - spec.size) / s) + 1, Math.floor((w - spec.size) / s) + 1, c];
          break;
        }
        case 'globalAvgPool':
          shape = [shape[shape.length - 1]!];
          break;
        case 'flatten':
          shape = [shape.reduce((a, b) => a * b, 1)];
          break;
        case 'activation':
        case 'dropout':
          break;
      }
      layers.push({ spec, params, outShape: [...shape] });
    });
    return new Sequential(layers, rng.split('dropout'), name);
  }

  /** Trainable variables in layer order. */
  variables(): tf.Variable[] {
    return this.layers.flatMap((l) => Object.values(l.params));
  }

  /** Variables by stable name (`<name>/<i>-<layer>/<param>`, the same for every instance of one spec). */
  namedVariables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    this.layers.forEach((layer, i) => {
      for (const [p, v] of Object.entries(layer.params)) out[`${this.name}/${i}-${layer.spec.type}/${p}`] = v;
    });
    return out;
  }

  /** Number of trainable scalars. */
  paramCount(): number {
    return this.variables().reduce((a, v) => a + v.size, 0);
  }

  /** Forward pass on a batch. */
  forward(input: Inputs, options: { training: boolean }): tf.Tensor {
    if (!(input instanceof tf.Tensor)) throw new Error('Sequential takes a single tensor input');
    return tf.tidy(() => {
      let x: tf.Tensor = input;
      for (const layer of this.layers) x = this.applyLayer(layer, x, options.training);
      return x;
    });
  }

  private applyLayer(layer: BuiltLayer, x: tf.Tensor, training: boolean): tf.Tensor {
    const { spec, params } = layer;
    switch (spec.type) {
      case 'dense': {
        const y = params.bias
          ? tf.add(tf.matMul(x as tf.Tensor2D, params.kernel as tf.Tensor2D), params.bias)
          : tf.matMul(x as tf.Tensor2D, params.kernel as tf.Tensor2D);
        return activate(y, spec.activation ?? 'linear');
      }
      case 'conv2d': {
        const y = tf.add(
          tf.conv2d(x as tf.Tensor4D, params.kernel as tf.Tensor4D, spec.stride ?? 1, spec.padding ?? 'same'),
          params.bias!,
        );
        return activate(y, spec.activation ?? 'linear');
      }
      case 'dropout':
        return training && spec.rate > 0 ? tf.dropout(x, spec.rate, undefined, this.dropoutRng.seedInt()) : x;
      default:
        return applyFixedLayer(spec, x);
    }
  }

  /** Weights under their stable names, plus the dropout stream's position. */
  async getState(): Promise<StateDict> {
    return {
      ...(await variablesState(this.namedVariables())),
      json: this.dropoutRng.state() as unknown as StateDict['json'],
    };
  }

  /** Restores a state saved by any instance built from the same specs and name. */
  setState(state: StateDict): void {
    assignVariables(this.namedVariables(), state);
    if (state.json && typeof state.json === 'object') this.dropoutRng.restore(state.json as never);
  }

  /** Releases every variable (their names become free again). */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
