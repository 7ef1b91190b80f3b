import type { Rng } from '@paperlab/core';
import { activate } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { convShape, OperatorNet, type ParamShape, zerosShape } from './params.js';

/**
 * Multigrid blocks — the three convolutions a V-cycle is made of (MgNet, He & Xu 2019; MgNO, He, Liu & Xu 2023).
 * Zero padding at the edges, i.e. the homogeneous Dirichlet boundary of the Darcy benchmark.
 */

/** Smoothing (or the level operator A): a stride-1 "same" convolution x [b, h, w, ci] * k [3, 3, ci, co]. */
export function smoothingConv(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(x, kernel, 1, 'same');
}

/** Restriction to the next coarser grid: a stride-2 convolution, [b, h, w, ci] → [b, h/2, w/2, co]. */
export function restrictionConv(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(x, kernel, 2, 'same');
}

/**
 * Prolongation to the next finer grid: a stride-2 transposed convolution, [b, h, w, ci] → [b, 2h, 2w, co] with
 * kernel [k, k, co, ci] (MgNO uses k = 4, which covers every fine node evenly).
 */
export function prolongationConv(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w] = x.shape;
  const co = kernel.shape[2];
  return tf.conv2dTranspose(x, kernel, [b, 2 * h, 2 * w, co], 2, 'same');
}

/** Sizes of an {@link Mgno}. */
export interface MgnoSpec {
  /** Grid side n (divisible by 2^(levels − 1)). */
  grid: number;
  /** Channels (neurons) of every hidden operator layer. */
  channels: number;
  /** Operator layers, the last one mapping to the output channel(s); ≥ 1. */
  layers: number;
  /** Grid levels of each V-cycle (n, n/2, …). */
  levels: number;
  /** Smoothing iterations per level. */
  smoothing: number;
  /** Input and output channels (default 1 and 1). */
  inChannels?: number;
  outChannels?: number;
}

function channelsOf(spec: MgnoSpec): number[] {
  const hidden = Array.from({ length: spec.layers - 1 }, () => spec.channels);
  return [spec.inChannels ?? 1, ...hidden, spec.outChannels ?? 1];
}

function checkSpec(spec: MgnoSpec): void {
  const step = 2 ** (spec.levels - 1);
  if (spec.layers < 1 || spec.levels < 1 || spec.smoothing < 1)
    throw new RangeError(`Mgno: layers, levels and smoothing must be ≥ 1, got ${JSON.stringify(spec)}`);
  if (spec.grid % step !== 0)
    throw new RangeError(`Mgno: grid ${spec.grid} is not divisible by 2^(levels − 1) = ${step}`);
}

/** The weights of one V-cycle operator from ci to co channels on `levels` grids (names prefixed by `p`). */
function vcycleShapes(p: string, ci: number, co: number, levels: number, smoothing: number): ParamShape[] {
  // Initial scales keep one V-cycle roughly variance-preserving: every level adds a smoothed copy of its (restricted)
  // input, so each smoother gets 1/levels of the variance, and A starts small (residual ≈ input at every level).
  const out: ParamShape[] = [];
  const sScale = { normal: Math.sqrt(1 / (9 * ci * levels * smoothing)) };
  const aScale = { normal: 0.1 * Math.sqrt(1 / (9 * co)) };
  for (let l = 0; l < levels; l++) {
    for (let i = 0; i < smoothing; i++) out.push(convShape(`${p}/S${l}.${i}`, 3, ci, co, sScale));
    if (smoothing > 1 || l < levels - 1) out.push(convShape(`${p}/A${l}`, 3, co, ci, aScale));
    if (l < levels - 1) {
      out.push(convShape(`${p}/R${l}`, 3, ci, ci));
      // 4 × 4 at stride 2: every fine node gets the same number of taps (a 3 × 3 kernel leaves a checkerboard).
      out.push({ name: `${p}/P${l}`, shape: [4, 4, co, co], fanIn: 4 * co, init: 'lecun' });
    }
  }
  return out;
}

/** Every weight of an {@link Mgno}: per layer a V-cycle operator and a bias function on the grid. */
export function mgnoShapes(spec: MgnoSpec): ParamShape[] {
  checkSpec(spec);
  const ch = channelsOf(spec);
  return ch
    .slice(1)
    .flatMap((co, k) => [
      ...vcycleShapes(`L${k}`, ch[k]!, co, spec.levels, spec.smoothing),
      zerosShape(`L${k}/bias`, spec.grid, spec.grid, co),
    ]);
}

/**
 * MgNO (He, Liu & Xu 2023): a network whose neurons are functions on the grid and whose connections are linear
 * operators, each parameterised by one multi-channel V-cycle — smoothing S (ci → co), level operator A (co → ci)
 * for residuals f − A·u, stride-2 restriction R of the residual, transposed-conv prolongation P of the coarse
 * correction; layer k maps u ↦ σ(W_k u + b_k) with b_k a function on the grid, and the last layer is linear. No
 * lifting or projection: the input field enters the first V-cycle and the last one returns the solution field.
 */
export class Mgno extends OperatorNet {
  readonly spec: MgnoSpec;
  private readonly channels: number[];

  constructor(spec: MgnoSpec, rng: Rng) {
    super(mgnoShapes(spec), rng, 'mgno');
    this.spec = spec;
    this.channels = channelsOf(spec);
  }

  private w(name: string): tf.Tensor4D {
    return this.params.get(name) as tf.Tensor as tf.Tensor4D;
  }

  /** One V-cycle operator W_k applied to f (zero initial guess). */
  private vcycle(k: number, f0: tf.Tensor4D): tf.Tensor4D {
    const { levels, smoothing } = this.spec;
    const p = `L${k}`;
    const us: tf.Tensor4D[] = [];
    let f = f0;
    for (let l = 0; l < levels; l++) {
      let u = smoothingConv(f, this.w(`${p}/S${l}.0`));
      const residual = () => tf.sub(f, smoothingConv(u, this.w(`${p}/A${l}`))) as tf.Tensor4D;
      for (let i = 1; i < smoothing; i++) u = tf.add(u, smoothingConv(residual(), this.w(`${p}/S${l}.${i}`)));
      us.push(u);
      if (l < levels - 1) f = restrictionConv(residual(), this.w(`${p}/R${l}`));
    }
    let u = us[levels - 1]!;
    for (let l = levels - 2; l >= 0; l--) u = tf.add(us[l]!, prolongationConv(u, this.w(`${p}/P${l}`)));
    return u;
  }

  /** Input [b, n, n, inChannels] → output [b, n, n, outChannels]. */
  forward(x: tf.Tensor, _options: { training: boolean }): tf.Tensor {
    return tf.tidy(() => {
      let u = x as tf.Tensor4D;
      const last = this.channels.length - 2;
      for (let k = 0; k <= last; k++) {
        const z = tf.add(this.vcycle(k, u), this.params.get(`L${k}/bias`)) as tf.Tensor4D;
        u = k < last ? (activate(z, 'gelu') as tf.Tensor4D) : z;
      }
      return u;
    });
  }
}
