import type { Rng } from '@paperlab/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from './kernel.js';

/** How weights are scaled: 'ntk' (W ~ N(0,1), σw/√fan-in in the forward pass) or 'standard' (W ~ N(0, σw²/fan-in)). */
export type Parametrization = 'ntk' | 'standard';

/** Per-example shape: [d] for vectors, [L, C] for 1-D signals, [H, W, C] for images (channels last). */
export type Shape = readonly number[];

/** One value or a list of them: what flows between layers (lists after `fanOut`, inside `parallel`). */
export type Flow<T> = T | T[];

/** Parameters of a finite network: each layer's own variables, nested like the architecture. */
export type Params = ReadonlyArray<tf.Variable | Params>;

/** Options shared by the affine layers (Dense, Conv). */
export interface AffineOptions {
  /** Weight variance σw² (default 1). */
  sigmaW2?: number;
  /** Bias variance σb² (default 0: no bias parameters). */
  sigmaB2?: number;
  /** Weight scaling (default 'ntk'). */
  parametrization?: Parametrization;
}

/**
 * What a parametric layer hands to the empirical NTK: the per-example Jacobian of its parameters, either
 * factorised (∂f/∂W = a ⊗ δ, so J·J'ᵀ = (a·a')(δ·δ') — never materialised) or as explicit rows [n, P].
 */
export type TangentFeatures =
  | { kind: 'outer'; a: tf.Tensor2D; delta: tf.Tensor2D; cW: number; cB: number }
  | { kind: 'jacobian'; J: tf.Tensor2D };

/** A layer with weights: the empirical NTK asks it for per-example tangent features. */
export interface AffineLayer {
  /** Per-example Jacobian features from the layer input and the output cotangent δ = ∂f/∂h. */
  tangentFeatures(params: readonly tf.Variable[], input: tf.Tensor, delta: tf.Tensor): TangentFeatures;
}

/** Hook through which `apply` reports each affine layer (used to take per-example Jacobians). */
export interface Tap {
  /** Called with an affine layer's parameters, input and output; returns the output to use downstream. */
  affine(layer: AffineLayer, params: readonly tf.Variable[], input: tf.Tensor, output: tf.Tensor): tf.Tensor;
}

/** Bookkeeping while a kernel is computed (ids of affine outputs, to check `fanInSum` is exact). */
export interface KernelContext {
  /** A fresh id for an affine layer's output. */
  nextId(): number;
  /** Whether the NTK is wanted (false: only the NNGP is propagated). */
  ntk: boolean;
}

/**
 * An infinite-width layer in the spirit of neural-tangents' `stax`: the finite network (init/apply) and the
 * analytic NNGP/NTK transform of the same architecture.
 */
export interface Layer {
  /** Human-readable description, e.g. `Dense(512)`. */
  readonly name: string;
  /** Whether the kernel transform needs covariances of all pixel pairs (pooling) rather than same-pixel ones. */
  readonly needsFullSpatial: boolean;
  /** Per-example output shape for an input shape (throws with a clear message on a mismatch). */
  outputShape(input: Flow<Shape>): Flow<Shape>;
  /** Draws the finite network's parameters from the Rng. */
  init(rng: Rng, input: Flow<Shape>): Params;
  /** Forward pass of the finite network on a batch ([n, ...shape]). */
  apply(params: Params, x: Flow<tf.Tensor>, tap?: Tap): Flow<tf.Tensor>;
  /** Analytic kernel transform (NNGP, NTK and the inputs' own covariances). */
  kernel(k: Flow<Kernel>, ctx: KernelContext): Flow<Kernel>;
}
