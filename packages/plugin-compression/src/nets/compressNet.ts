import type { Rng, StateDict } from '@paperlab/core';
import { activate, applyFixedLayer, initTensor, type LayerSpec, ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** Hooks a compression method puts into the forward pass. */
export interface ForwardHooks {
  /** Replaces a weighted layer's kernel before use (fake quantisation, pruning masks). */
  weight?(layer: number, kernel: tf.Tensor): tf.Tensor;
  /** Replaces a layer's output (activation quantisation, channel gates). */
  output?(layer: number, y: tf.Tensor, training: boolean): tf.Tensor;
}

/** One layer of a {@link CompressNet}: its spec, shapes and (for dense/conv) parameters. */
export interface NetLayer {
  spec: LayerSpec;
  /** Shape of one input example. */
  inShape: number[];
  /** Shape of one output example. */
  outShape: number[];
  kernel?: tf.Variable;
  bias?: tf.Variable;
}

/** Host copy of a weighted layer's parameters (null for layers without weights). */
export type LayerWeights = { kernel: Float32Array; bias: Float32Array | null } | null;

let built = 0;

/** Output shape of a layer for one input example (throws on a shape the layer cannot take). */
export function layerOutShape(spec: LayerSpec, shape: number[], index: number): number[] {
  switch (spec.type) {
    case 'dense':
      if (shape.length !== 1) throw new Error(`dense layer ${index} needs a flat input, got [${shape}]`);
      return [spec.units];
    case 'conv2d': {
      if (shape.length !== 3) throw new Error(`conv2d layer ${index} needs [h, w, c] input, got [${shape}]`);
      const [h, w] = shape as [number, number, number];
      const s = spec.stride ?? 1;
      const k = spec.kernel;
      const same = (spec.padding ?? 'same') === 'same';
      return [
        same ? Math.ceil(h / s) : Math.floor((h - k) / s) + 1,
        same ? Math.ceil(w / s) : Math.floor((w - k) / s) + 1,
        spec.filters,
      ];
    }
    case 'maxPool':
    case 'avgPool': {
      const [h, w, c] = shape as [number, number, number];
      const s = spec.stride ?? spec.size;
      return [Math.floor((h - spec.size) / s) + 1, Math.floor((w - spec.size) / s) + 1, c];
    }
    case 'globalAvgPool':
      return [shape[shape.length - 1]!];
    case 'flatten':
      return [shape.reduce((a, b) => a * b, 1)];
    case 'activation':
    case 'dropout':
      return [...shape];
  }
}

/** Shape of a weighted layer's kernel for an input example shape. */
export function kernelShape(spec: LayerSpec, inShape: number[]): number[] | null {
  if (spec.type === 'dense') return [inShape[0]!, spec.units];
  if (spec.type === 'conv2d') return [spec.kernel, spec.kernel, inShape[2]!, spec.filters];
  return null;
}

/**
 * A feed-forward dense/conv stack (core's `LayerSpec`s) whose kernels and layer outputs pass through replaceable
 * hooks — the model every compression method here acts on: fake quantisation and masks enter as `hooks.weight`,
 * activation quantisers and gates as `hooks.output`, and structured pruning rebuilds a smaller net with
 * {@link CompressNet.fromWeights}. `forwardParams` runs the same net on explicit parameter tensors (Hessian-vector
 * products, random-subspace training).
 */
export class CompressNet {
  readonly specs: LayerSpec[];
  readonly inputShape: number[];
  readonly layers: NetLayer[];
  readonly name: string;
  /** Hooks applied by `forward`; set by quantisation-aware training or masking. */
  hooks: ForwardHooks = {};
  private readonly dropoutRng: Rng | null;

  private constructor(
    specs: LayerSpec[],
    inputShape: number[],
    layers: NetLayer[],
    name: string,
    rng: Rng | null,
  ) {
    this.specs = specs;
    this.inputShape = inputShape;
    this.layers = layers;
    this.name = name;
    this.dropoutRng = rng;
  }

  /** Builds a net with weights drawn from `rng` (He normal by default, zero biases). */
  static build(specs: LayerSpec[], inputShape: number[], rng: Rng, name = 'net'): CompressNet {
    return CompressNet.make(specs, inputShape, name, rng, (i, spec, kshape, inShape) => {
      if (spec.type !== 'dense' && spec.type !== 'conv2d') return null;
      const fanIn = spec.type === 'dense' ? inShape[0]! : spec.kernel * spec.kernel * inShape[2]!;
      const fanOut = kshape[kshape.length - 1]!;
      const kernel = initTensor(kshape, spec.init ?? 'he', rng.split(`layer-${i}`), fanIn, fanOut);
      const hasBias = spec.type === 'conv2d' || spec.bias !== false;
      return { kernel, bias: hasBias ? tf.zeros([fanOut]) : null };
    });
  }

  /** Builds a net holding the given weights (e.g. after structured pruning); `rng` drives dropout only. */
  static fromWeights(
    specs: LayerSpec[],
    inputShape: number[],
    weights: readonly LayerWeights[],
    name = 'net',
    rng?: Rng,
  ): CompressNet {
    return CompressNet.make(specs, inputShape, name, rng ?? null, (i, _spec, kshape) => {
      const w = weights[i];
      if (!kshape) return null;
      if (!w) throw new Error(`fromWeights: layer ${i} needs weights of shape [${kshape}]`);
      const size = kshape.reduce((a, b) => a * b, 1);
      if (w.kernel.length !== size)
        throw new Error(
          `fromWeights: layer ${i} kernel has ${w.kernel.length} values, shape [${kshape}] needs ${size}`,
        );
      return {
        kernel: tf.tensor(w.kernel, kshape),
        bias: w.bias ? tf.tensor1d(w.bias) : null,
      };
    });
  }

  private static make(
    specs: LayerSpec[],
    inputShape: number[],
    name: string,
    rng: Rng | null,
    init: (
      i: number,
      spec: LayerSpec,
      kshape: number[],
      inShape: number[],
    ) => { kernel: tf.Tensor; bias: tf.Tensor | null } | null,
  ): CompressNet {
    const instance = `${name}#${++built}`;
    const layers: NetLayer[] = [];
    let shape = [...inputShape];
    specs.forEach((spec, i) => {
      const outShape = layerOutShape(spec, shape, i);
      const layer: NetLayer = { spec, inShape: [...shape], outShape };
      const kshape = kernelShape(spec, shape);
      const p = kshape ? init(i, spec, kshape, shape) : null;
      if (p) {
        layer.kernel = ownedVariable(p.kernel, `${instance}/${i}/kernel`);
        if (p.bias) layer.bias = ownedVariable(p.bias, `${instance}/${i}/bias`);
      }
      layers.push(layer);
      shape = outShape;
    });
    return new CompressNet(specs, inputShape, layers, name, rng ? rng.split('dropout') : null);
  }

  /** Indices of the dense/conv layers, in order. */
  weightedLayers(): number[] {
    return this.layers.flatMap((l, i) => (l.kernel ? [i] : []));
  }

  /** Trainable variables in layer order (kernel, then bias). */
  variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.kernel, l.bias].filter((v): v is tf.Variable => v !== undefined));
  }

  /** For each variable (in {@link variables} order): the layer it belongs to. */
  variableLayers(): number[] {
    return this.layers.flatMap((l, i) => [l.kernel, l.bias].filter((v) => v !== undefined).map(() => i));
  }

  /** Number of trainable scalars. */
  paramCount(): number {
    return this.variables().reduce((a, v) => a + v.size, 0);
  }

  /** Forward pass with the net's hooks. */
  forward(x: tf.Tensor, options: { training: boolean }): tf.Tensor {
    return this.forwardWith(x, this.hooks, options.training);
  }

  /** Forward pass with the given hooks. */
  forwardWith(x: tf.Tensor, hooks: ForwardHooks, training: boolean): tf.Tensor {
    return tf.tidy(() => this.run(x, hooks, training, null));
  }

  /** Forward pass on explicit parameter tensors, in {@link variables} order (for Hessians and subspace training). */
  forwardParams(
    x: tf.Tensor,
    params: readonly tf.Tensor[],
    options: { training: boolean; hooks?: ForwardHooks },
  ): tf.Tensor {
    const count = this.variables().length;
    if (params.length !== count)
      throw new Error(`forwardParams: ${params.length} tensors for ${count} variables`);
    return tf.tidy(() => this.run(x, options.hooks ?? this.hooks, options.training, params));
  }

  /** Every layer's output on a batch (index i: after layer i), with the net's hooks; caller disposes. */
  activations(x: tf.Tensor): tf.Tensor[] {
    const outs: tf.Tensor[] = [];
    tf.tidy(() => {
      this.run(x, this.hooks, false, null, (y) => outs.push(tf.keep(y)));
    });
    return outs;
  }

  private run(
    input: tf.Tensor,
    hooks: ForwardHooks,
    training: boolean,
    params: readonly tf.Tensor[] | null,
    tap?: (y: tf.Tensor) => void,
  ): tf.Tensor {
    let x = input;
    let p = 0;
    this.layers.forEach((layer, i) => {
      let kernel: tf.Tensor | undefined;
      let bias: tf.Tensor | undefined;
      if (layer.kernel) kernel = params ? params[p++]! : layer.kernel;
      if (layer.bias) bias = params ? params[p++]! : layer.bias;
      if (kernel && hooks.weight) kernel = hooks.weight(i, kernel);
      x = this.apply(layer, x, kernel, bias, training);
      if (hooks.output) x = hooks.output(i, x, training);
      tap?.(x);
    });
    return x;
  }

  private apply(
    layer: NetLayer,
    x: tf.Tensor,
    kernel: tf.Tensor | undefined,
    bias: tf.Tensor | undefined,
    training: boolean,
  ): tf.Tensor {
    const spec = layer.spec;
    switch (spec.type) {
      case 'dense': {
        const y = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
        return activate(bias ? tf.add(y, bias) : y, spec.activation ?? 'linear');
      }
      case 'conv2d': {
        const y = tf.conv2d(
          x as tf.Tensor4D,
          kernel as tf.Tensor4D,
          spec.stride ?? 1,
          spec.padding ?? 'same',
        );
        return activate(bias ? tf.add(y, bias) : y, spec.activation ?? 'linear');
      }
      case 'dropout':
        if (!training || spec.rate <= 0) return x;
        if (!this.dropoutRng) throw new Error(`${this.name}: dropout needs an Rng (build the net with one)`);
        return tf.dropout(x, spec.rate, undefined, this.dropoutRng.seedInt());
      default:
        return applyFixedLayer(spec, x);
    }
  }

  /** Host copies of every layer's parameters (null for layers without weights). */
  weights(): LayerWeights[] {
    return this.layers.map((l) =>
      l.kernel
        ? {
            kernel: Float32Array.from(l.kernel.dataSync() as Float32Array),
            bias: l.bias ? Float32Array.from(l.bias.dataSync() as Float32Array) : null,
          }
        : null,
    );
  }

  /** Writes host weights into the variables (same shapes). */
  setWeights(weights: readonly LayerWeights[]): void {
    this.layers.forEach((l, i) => {
      const w = weights[i];
      if (!l.kernel) return;
      if (!w) throw new Error(`setWeights: layer ${i} needs weights`);
      tf.tidy(() => {
        l.kernel!.assign(tf.tensor(w.kernel, l.kernel!.shape));
        if (l.bias && w.bias) l.bias.assign(tf.tensor1d(w.bias));
      });
    });
  }

  /** An independent copy with the same weights (hooks are not copied). */
  clone(name = this.name): CompressNet {
    return CompressNet.fromWeights(
      this.specs,
      this.inputShape,
      this.weights(),
      name,
      this.dropoutRng ?? undefined,
    );
  }

  /** Saved weights (by layer index), for checkpoints. */
  async getState(): Promise<StateDict> {
    const tensors: StateDict['tensors'] = {};
    for (const [i, l] of this.layers.entries()) {
      if (l.kernel)
        tensors[`${i}/kernel`] = {
          shape: [...l.kernel.shape],
          dtype: 'float32',
          values: Float32Array.from(await l.kernel.data()),
        };
      if (l.bias)
        tensors[`${i}/bias`] = {
          shape: [...l.bias.shape],
          dtype: 'float32',
          values: Float32Array.from(await l.bias.data()),
        };
    }
    return { tensors };
  }

  /** Restores {@link getState}'s output. */
  setState(state: StateDict): void {
    this.layers.forEach((l, i) => {
      for (const [key, v] of [
        ['kernel', l.kernel],
        ['bias', l.bias],
      ] as const) {
        if (!v) continue;
        const t = state.tensors[`${i}/${key}`];
        if (!t) throw new Error(`${this.name}: state has no '${i}/${key}'`);
        tf.tidy(() => v.assign(tf.tensor(t.values, t.shape, 'float32')));
      }
    });
  }

  /** Releases the variables. */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
