import * as tf from '@tensorflow/tfjs-core';

/**
 * Fake quantisation: the forward pass rounds to a low-bit grid and maps back to floats; the backward pass is the
 * straight-through estimator (Bengio et al. 2013), so quantisation-aware training runs on ordinary tfjs autodiff.
 */

/** Options of {@link fakeQuantUniform}. */
export interface UniformQuantOptions {
  /** Bits per value, 2–16 (use {@link binarize} for 1 bit). */
  bits: number;
  /** Symmetric grid around 0 (restricted range ±(2^(b−1) − 1)); else asymmetric [min, max] with a zero point. */
  symmetric?: boolean;
  /** Per-channel scales along this axis (e.g. −1: the output channels of a dense/conv kernel); default per-tensor. */
  channelAxis?: number;
}

/** y = forward(x) in the forward pass, the identity in the backward pass (the straight-through estimator). */
export function straightThrough(x: tf.Tensor, forward: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.tidy(() => forward(args[0] as tf.Tensor)),
    gradFunc: (dy: tf.Tensor) => tf.clone(dy),
  }));
  return f(x);
}

/** Integer range of a uniform grid: codes qmin..qmax. */
export function uniformRange(bits: number, symmetric: boolean): { qmin: number; qmax: number } {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16)
    throw new RangeError(`uniform quantisation needs 2–16 bits, got ${bits} (1 bit: use binarize)`);
  return symmetric
    ? { qmin: -(2 ** (bits - 1) - 1), qmax: 2 ** (bits - 1) - 1 }
    : { qmin: 0, qmax: 2 ** bits - 1 };
}

/** Axes reduced for statistics: all but the channel axis (or all of them). */
function reduceAxes(rank: number, channelAxis?: number): number[] {
  const all = Array.from({ length: rank }, (_, i) => i);
  if (channelAxis === undefined) return all;
  const c = channelAxis < 0 ? rank + channelAxis : channelAxis;
  if (c < 0 || c >= rank) throw new RangeError(`channelAxis ${channelAxis} is outside a rank-${rank} tensor`);
  return all.filter((a) => a !== c);
}

/**
 * Scale and zero point of a uniform grid from the tensor's range (min/max statistics, per tensor or per channel,
 * broadcastable against `x`): x ≈ scale·(q − zero). The scales are data, not trained (no gradient flows to them).
 */
export function uniformParams(x: tf.Tensor, o: UniformQuantOptions): { scale: tf.Tensor; zero: tf.Tensor } {
  const symmetric = o.symmetric ?? true;
  const { qmax, qmin } = uniformRange(o.bits, symmetric);
  return tf.tidy(() => {
    const axes = reduceAxes(x.rank, o.channelAxis);
    if (symmetric) {
      const m = tf.max(tf.abs(x), axes, true);
      return { scale: tf.maximum(tf.div(m, qmax), 1e-12), zero: tf.zerosLike(m) };
    }
    const lo = tf.minimum(tf.min(x, axes, true), 0);
    const hi = tf.maximum(tf.max(x, axes, true), 0);
    const scale = tf.maximum(tf.div(tf.sub(hi, lo), qmax - qmin), 1e-12);
    const zero = tf.clipByValue(tf.round(tf.sub(qmin, tf.div(lo, scale))), qmin, qmax);
    return { scale, zero };
  });
}

/**
 * Uniform fake quantisation with a straight-through gradient: forward scale·(clip(round(x/scale) + zero) − zero),
 * backward the identity (min/max statistics put every value inside the grid, so no gradient is clipped).
 */
export function fakeQuantUniform(x: tf.Tensor, o: UniformQuantOptions): tf.Tensor {
  const { qmin, qmax } = uniformRange(o.bits, o.symmetric ?? true);
  return straightThrough(x, (input) => {
    const { scale, zero } = uniformParams(input, o);
    const q = tf.clipByValue(tf.add(tf.round(tf.div(input, scale)), zero), qmin, qmax);
    return tf.mul(tf.sub(q, zero), scale);
  });
}

/** Power-of-two levels on [−1, 1] for `bits` bits: 0 and ±2^−k, k = 0 … 2^(b−1) − 2 (one sign bit). */
export function powerOfTwoLevels(bits: number): Float32Array {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8)
    throw new RangeError(`power-of-two levels need 2–8 bits, got ${bits}`);
  const mags = Array.from({ length: 2 ** (bits - 1) - 1 }, (_, k) => 2 ** -k);
  return symmetricLevels(mags);
}

/**
 * Additive powers-of-two levels (APoT, Li, Dong & Wang 2020) on [−1, 1]: each magnitude is a sum of terms, term i
 * taking 0 or one of 2^−(i + n·j) (n terms); the b − 1 magnitude bits are split into terms of 2 bits (one of 1 bit
 * when odd). Normalised so the largest level is 1; one sign bit.
 */
export function apotLevels(bits: number): Float32Array {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8)
    throw new RangeError(`APoT levels need 2–8 bits, got ${bits}`);
  const m = bits - 1;
  const termBits = Array.from({ length: Math.floor(m / 2) }, () => 2);
  if (m % 2) termBits.unshift(1);
  const n = termBits.length;
  let sums = [0];
  termBits.forEach((k, i) => {
    const choices = [0, ...Array.from({ length: 2 ** k - 1 }, (_, j) => 2 ** -(i + n * j))];
    sums = sums.flatMap((s) => choices.map((c) => s + c));
  });
  const top = Math.max(...sums);
  return symmetricLevels([...new Set(sums.filter((s) => s > 0).map((s) => s / top))]);
}

/** Sorted level set {−m…, 0, …m} from positive magnitudes. */
function symmetricLevels(mags: number[]): Float32Array {
  const pos = [...new Set(mags)].sort((a, b) => a - b);
  return Float32Array.from([...pos.map((v) => -v).reverse(), 0, ...pos]);
}

/**
 * Non-uniform fake quantisation to the nearest of `levels` (sorted, on [−1, 1]) times α = max|x| (per tensor or per
 * channel), with a straight-through gradient. Used for power-of-two and APoT grids.
 */
export function fakeQuantLevels(
  x: tf.Tensor,
  levels: Float32Array,
  o: { channelAxis?: number } = {},
): tf.Tensor {
  return straightThrough(x, (input) => {
    const alpha = tf.maximum(tf.max(tf.abs(input), reduceAxes(input.rank, o.channelAxis), true), 1e-12);
    return tf.mul(snapToLevels(tf.div(input, alpha), levels), alpha);
  });
}

/** Nearest level of a sorted set: l₀ + Σ_j (l_{j+1} − l_j)·[u > midpoint_j] (one comparison per gap). */
export function snapToLevels(u: tf.Tensor, levels: Float32Array): tf.Tensor {
  if (levels.length < 2) throw new RangeError('snapToLevels needs at least two levels');
  return tf.tidy(() => {
    let out: tf.Tensor = tf.fill(u.shape, levels[0]!);
    for (let j = 0; j + 1 < levels.length; j++) {
      const lo = levels[j]!;
      const hi = levels[j + 1]!;
      if (!(hi > lo)) throw new RangeError('snapToLevels: levels must be strictly increasing');
      out = tf.add(out, tf.mul(tf.cast(tf.greater(u, (lo + hi) / 2), 'float32'), hi - lo));
    }
    return out;
  });
}

/** Options of {@link lsqFakeQuant}. */
export interface LsqOptions {
  bits: number;
  /** Signed grid [−2^(b−1), 2^(b−1) − 1] (weights) or unsigned [0, 2^b − 1] (post-ReLU activations). */
  signed?: boolean;
}

/** Integer range of the learned-step-size grid. */
export function lsqRange(bits: number, signed: boolean): { qn: number; qp: number } {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16)
    throw new RangeError(`LSQ needs 2–16 bits, got ${bits}`);
  return signed ? { qn: -(2 ** (bits - 1)), qp: 2 ** (bits - 1) - 1 } : { qn: 0, qp: 2 ** bits - 1 };
}

/** LSQ's initial step 2·mean|x|/√Qp (Esser et al. 2020). */
export function lsqInitialStep(x: tf.Tensor, o: LsqOptions): number {
  const { qp } = lsqRange(o.bits, o.signed ?? true);
  const m = tf.tidy(() => tf.mean(tf.abs(x)));
  const v = m.dataSync()[0]!;
  m.dispose();
  return Math.max((2 * v) / Math.sqrt(qp), 1e-8);
}

/**
 * Learned step size quantisation (Esser et al. 2020): forward s·round(clip(x/s, Qn, Qp)); backward the
 * straight-through gradient for x inside the range (zero outside) and LSQ's gradient for the scalar step s,
 * (round(x/s) − x/s inside, Qn or Qp outside) scaled by g = 1/√(N·Qp).
 */
export function lsqFakeQuant(x: tf.Tensor, step: tf.Tensor, o: LsqOptions): tf.Tensor {
  const { qn, qp } = lsqRange(o.bits, o.signed ?? true);
  const g = 1 / Math.sqrt(x.size * qp);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, s, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([input, s]);
    const value = tf.tidy(() => tf.mul(tf.round(tf.clipByValue(tf.div(input, s), qn, qp)), s));
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ss] = saved as [tf.Tensor, tf.Tensor];
        return tf.tidy(() => {
          const u = tf.div(xs, ss);
          const below = tf.cast(tf.less(u, qn), 'float32');
          const above = tf.cast(tf.greater(u, qp), 'float32');
          const inside = tf.sub(1, tf.add(below, above));
          const dsLocal = tf.add(
            tf.mul(inside, tf.sub(tf.round(u), u)),
            tf.add(tf.mul(below, qn), tf.mul(above, qp)),
          );
          const ds = tf.reshape(tf.mul(tf.sum(tf.mul(dy, dsLocal)), g), ss.shape);
          return [tf.mul(dy, inside), ds];
        });
      },
    };
  });
  return f(x, step);
}

/**
 * 1-bit weights α·sign(w) (sign(0) = +1), α = mean|w| per tensor or per channel (XNOR-Net's optimal scale), with a
 * straight-through gradient (identity).
 */
export function binarize(w: tf.Tensor, o: { channelAxis?: number } = {}): tf.Tensor {
  return straightThrough(w, (input) => {
    const alpha = tf.mean(tf.abs(input), reduceAxes(input.rank, o.channelAxis), true);
    const sign = tf.sub(tf.mul(tf.cast(tf.greaterEqual(input, 0), 'float32'), 2), 1);
    return tf.mul(sign, alpha);
  });
}

/** A weight quantiser by name, as configs write it. */
export type WeightQuantizer =
  | { kind: 'none' }
  | { kind: 'uniform'; bits: number; symmetric?: boolean; perChannel?: boolean }
  | { kind: 'pow2'; bits: number; perChannel?: boolean }
  | { kind: 'apot'; bits: number; perChannel?: boolean }
  | { kind: 'binary'; perChannel?: boolean };

/** Applies a {@link WeightQuantizer} to a weight tensor whose last axis is the output channel. */
export function quantizeWeight(w: tf.Tensor, q: WeightQuantizer): tf.Tensor {
  const channelAxis = 'perChannel' in q && q.perChannel ? -1 : undefined;
  switch (q.kind) {
    case 'none':
      return w;
    case 'uniform':
      return fakeQuantUniform(w, { bits: q.bits, symmetric: q.symmetric ?? true, channelAxis });
    case 'pow2':
      return fakeQuantLevels(w, powerOfTwoLevels(q.bits), { channelAxis });
    case 'apot':
      return fakeQuantLevels(w, apotLevels(q.bits), { channelAxis });
    case 'binary':
      return binarize(w, { channelAxis });
  }
}

/** Bits per stored weight of a {@link WeightQuantizer} (32 for none). */
export function quantizerBits(q: WeightQuantizer): number {
  return q.kind === 'none' ? 32 : q.kind === 'binary' ? 1 : q.bits;
}
