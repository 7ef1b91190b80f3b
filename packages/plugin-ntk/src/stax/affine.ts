import type { Rng } from '@paperlab/core';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { single } from './flow.js';
import type { AxisMap, Kernel, Padding } from './kernel.js';
import { affineScale, axisMap, convolveCov, slabSize, unionIds } from './kernel.js';
import type {
  AffineLayer,
  AffineOptions,
  KernelContext,
  Layer,
  Parametrization,
  TangentFeatures,
} from './types.js';

interface Resolved {
  sigmaW2: number;
  sigmaB2: number;
  parametrization: Parametrization;
}

function resolve(name: string, o: AffineOptions): Resolved {
  const r = { sigmaW2: o.sigmaW2 ?? 1, sigmaB2: o.sigmaB2 ?? 0, parametrization: o.parametrization ?? 'ntk' };
  if (!(r.sigmaW2 > 0)) throw new Error(`${name}: sigmaW2 must be > 0, got ${r.sigmaW2}`);
  if (!(r.sigmaB2 >= 0)) throw new Error(`${name}: sigmaB2 must be ≥ 0, got ${r.sigmaB2}`);
  if (r.parametrization !== 'ntk' && r.parametrization !== 'standard')
    throw new Error(`${name}: parametrization must be 'ntk' or 'standard', got '${r.parametrization}'`);
  return r;
}

/**
 * Kernel of an affine map whose pre-weight input covariance is `conv` (the layer input's covariance, averaged
 * over the filter taps): NTK parametrisation Σ' = σw²·conv(Σ) + σb², Θ' = Σ' + σw²·conv(Θ); standard
 * parametrisation Θ' = fanIn·conv(Σ) + [bias] + σw²·conv(Θ).
 */
function affineKernel(
  k: Kernel,
  maps: readonly AxisMap[],
  o: Resolved,
  fanIn: number,
  outChannels: number,
  ctx: KernelContext,
): Kernel {
  const pairs = k.n1 * k.n2;
  const conv = (x: Float64Array, count: number) => (maps.length ? convolveCov(x, count, maps, k.full) : x);
  const cNngp = conv(k.nngp, pairs);
  const nngp = affineScale(cNngp, o.sigmaW2, o.sigmaB2);
  const cov1 = affineScale(conv(k.cov1, k.n1), o.sigmaW2, o.sigmaB2);
  const cov2 = k.cov2 === k.cov1 ? cov1 : affineScale(conv(k.cov2, k.n2), o.sigmaW2, o.sigmaB2);
  let ntk: Float64Array | null = null;
  if (ctx.ntk) {
    const cNtk = k.ntk ? conv(k.ntk, pairs) : null;
    ntk = new Float64Array(nngp.length);
    const bias = o.sigmaB2 > 0 ? 1 : 0;
    for (let i = 0; i < ntk.length; i++) {
      const prev = cNtk ? o.sigmaW2 * cNtk[i]! : 0;
      ntk[i] = (o.parametrization === 'ntk' ? nngp[i]! : fanIn * cNngp[i]! + bias) + prev;
    }
  }
  const id = ctx.nextId();
  const spatial = maps.length ? maps.map((m) => m.outSize) : k.spatial;
  const out: Kernel = {
    ...k,
    spatial,
    nngp,
    ntk,
    cov1,
    cov2,
    channels: outChannels,
    fresh: new Set([id]),
    depends: unionIds(k.depends, new Set([id])),
  };
  if (nngp.length !== pairs * slabSize(out)) throw new Error('affine kernel: internal size mismatch');
  return out;
}

function drawAffine(
  rng: Rng,
  fanIn: number,
  wShape: number[],
  outChannels: number,
  o: Resolved,
): tf.Variable[] {
  const size = wShape.reduce((a, b) => a * b, 1);
  const wStd = o.parametrization === 'ntk' ? 1 : Math.sqrt(o.sigmaW2 / fanIn);
  const w = ownedVariable(tf.tensor(rng.split('W').normals(size, 0, wStd), wShape, 'float32'));
  if (o.sigmaB2 === 0) return [w];
  const bStd = o.parametrization === 'ntk' ? 1 : Math.sqrt(o.sigmaB2);
  return [w, ownedVariable(tf.tensor1d(rng.split('b').normals(outChannels, 0, bStd)))];
}

/** Multiplier of W·x and of b in the forward pass. */
function scales(o: Resolved, fanIn: number): { w: number; b: number } {
  return o.parametrization === 'ntk'
    ? { w: Math.sqrt(o.sigmaW2 / fanIn), b: Math.sqrt(o.sigmaB2) }
    : { w: 1, b: 1 };
}

/** Weight and bias coefficients of an affine layer's tangent features (cB = 0 without a bias). */
interface TangentScales {
  cW: number;
  cB: number;
  bias: boolean;
}

/** cW = σw²/fan-in and cB = σb² under the NTK parametrisation, 1 and 1 under the standard one. */
function tangentScales(o: Resolved, fanIn: number, bias: boolean): TangentScales {
  const cW = o.parametrization === 'ntk' ? o.sigmaW2 / fanIn : 1;
  const cB = bias ? (o.parametrization === 'ntk' ? o.sigmaB2 : 1) : 0;
  return { cW, cB, bias };
}

/**
 * Per-example Jacobian rows of an affine layer from its inputs `a` [n, positions, fan-in] (a conv's patches) and
 * output cotangents: √cW·aᵀδ per example (the weights), then √cB·Σ_positions δ (the bias).
 */
function affineJacobian(
  a: tf.Tensor3D,
  delta: tf.Tensor,
  outChannels: number,
  c: TangentScales,
): TangentFeatures {
  const n = a.shape[0];
  const d = tf.reshape(delta, [n, -1, outChannels]) as tf.Tensor3D;
  const jw = tf.mul(tf.reshape(tf.matMul(a, d, true, false), [n, -1]), Math.sqrt(c.cW));
  const J = c.bias ? tf.concat([jw, tf.mul(tf.sum(d, 1), Math.sqrt(c.cB))], 1) : jw;
  return { kind: 'jacobian', J: J as tf.Tensor2D };
}

function vars(name: string, params: ReturnType<Layer['init']>): tf.Variable[] {
  for (const p of params) if (!(p instanceof tf.Variable)) throw new Error(`${name}: malformed parameters`);
  return params as tf.Variable[];
}

/** Dense (fully-connected) layer acting on the channel (last) axis, like a 1×1 convolution on images. */
export function dense(outChannels: number, options: AffineOptions = {}): Layer & AffineLayer {
  if (!(Number.isInteger(outChannels) && outChannels >= 1))
    throw new Error(`Dense: width must be a positive integer, got ${outChannels}`);
  const o = resolve('Dense', options);
  const name = `Dense(${outChannels})`;
  const layer: Layer & AffineLayer = {
    name,
    needsFullSpatial: false,
    outputShape(input) {
      const s = single(name, input);
      if (s.length < 1) throw new Error(`${name}: input must have a channel axis`);
      return [...s.slice(0, -1), outChannels];
    },
    init(rng, input) {
      const s = single(name, input);
      const fanIn = s[s.length - 1]!;
      return drawAffine(rng, fanIn, [fanIn, outChannels], outChannels, o);
    },
    apply(params, xs, tap) {
      const x = single(name, xs);
      const [w, b] = vars(name, params);
      const fanIn = x.shape[x.rank - 1]!;
      const sc = scales(o, fanIn);
      const out = tf.tidy(() => {
        const flat = x.rank === 2 ? x : tf.reshape(x, [-1, fanIn]);
        let h = tf.matMul(flat as tf.Tensor2D, w as unknown as tf.Tensor2D);
        if (sc.w !== 1) h = tf.mul(h, sc.w);
        if (b) h = tf.add(h, sc.b === 1 ? b : tf.mul(b, sc.b));
        return x.rank === 2 ? h : tf.reshape(h, [...x.shape.slice(0, -1), outChannels]);
      });
      return tap ? tap.affine(layer, vars(name, params), x, out) : out;
    },
    kernel(k, ctx) {
      const kk = single(name, k);
      return affineKernel(kk, [], o, kk.channels, outChannels, ctx);
    },
    tangentFeatures(params, input, delta): TangentFeatures {
      const fanIn = input.shape[input.rank - 1]!;
      const n = input.shape[0]!;
      const c = tangentScales(o, fanIn, params.length > 1);
      if (input.rank === 2) {
        return { kind: 'outer', a: input as tf.Tensor2D, delta: delta as tf.Tensor2D, cW: c.cW, cB: c.cB };
      }
      return tf.tidy(() =>
        affineJacobian(tf.reshape(input, [n, -1, fanIn]) as tf.Tensor3D, delta, outChannels, c),
      );
    },
  };
  return layer;
}

/** Options of {@link conv}. */
export interface ConvOptions extends AffineOptions {
  /** Stride per spatial axis (default 1). */
  strides?: number | number[];
  /** 'same' (zero padding, default), 'valid' or 'circular' (periodic). */
  padding?: Padding;
}

function padInput(x: tf.Tensor, maps: readonly AxisMap[], padding: Padding): tf.Tensor {
  const r = maps.length;
  if (padding === 'valid' || maps.every((m) => m.padBefore === 0 && m.padAfter === 0)) return x;
  if (padding === 'same') {
    const pads: Array<[number, number]> = [
      [0, 0],
      ...maps.map((m) => [m.padBefore, m.padAfter] as [number, number]),
      [0, 0],
    ];
    return tf.pad(x, pads);
  }
  let cur = x;
  for (let a = 0; a < r; a++) {
    const m = maps[a]!;
    const axis = a + 1;
    const size = cur.shape[axis]!;
    const parts: tf.Tensor[] = [];
    const sliceAxis = (start: number, len: number) => {
      const begin = cur.shape.map(() => 0);
      const sz = cur.shape.map(() => -1);
      begin[axis] = start;
      sz[axis] = len;
      return tf.slice(cur, begin, sz);
    };
    if (m.padBefore > 0) parts.push(sliceAxis(size - m.padBefore, m.padBefore));
    parts.push(cur);
    if (m.padAfter > 0) parts.push(sliceAxis(0, m.padAfter));
    cur = tf.concat(parts, axis);
  }
  return cur;
}

/**
 * Convolution over 1 or 2 spatial axes (input [n, L, C] or [n, H, W, C]); filterShape's length picks the
 * dimensionality. Kernel: the pixel-pair covariance averaged over the filter taps (zero-padded, periodic or
 * valid), then the affine map.
 */
export function conv(
  outChannels: number,
  filterShape: number[],
  options: ConvOptions = {},
): Layer & AffineLayer {
  const r = filterShape.length;
  const name = `Conv${r}D(${outChannels}, [${filterShape.join('×')}])`;
  if (r < 1 || r > 2) throw new Error(`Conv: filterShape must have 1 or 2 entries, got ${r}`);
  if (!(Number.isInteger(outChannels) && outChannels >= 1))
    throw new Error(`${name}: channels must be a positive integer`);
  const o = resolve(name, options);
  const padding = options.padding ?? 'same';
  if (!['same', 'valid', 'circular'].includes(padding))
    throw new Error(`${name}: padding must be 'same', 'valid' or 'circular', got '${padding}'`);
  const strides = Array.isArray(options.strides)
    ? options.strides
    : filterShape.map(() => (options.strides as number | undefined) ?? 1);
  if (strides.length !== r) throw new Error(`${name}: ${strides.length} strides for ${r} spatial axes`);
  const mapsFor = (spatial: readonly number[]) => {
    if (spatial.length !== r)
      throw new Error(
        `${name}: input has ${spatial.length} spatial axes (shape [${spatial.join(', ')}, C]), the filter ${r}`,
      );
    const maps = spatial.map((size, a) => axisMap(size, filterShape[a]!, strides[a]!, padding));
    if (padding === 'circular' && maps.some((m) => m.padBefore > m.inSize || m.padAfter > m.inSize))
      throw new Error(`${name}: circular padding wider than the input`);
    return maps;
  };
  const filterSize = filterShape.reduce((a, b) => a * b, 1);
  const patches = (x: tf.Tensor, maps: readonly AxisMap[]): tf.Tensor3D =>
    tf.tidy(() => {
      const xp = padInput(x, maps, padding);
      const n = x.shape[0]!;
      const c = x.shape[x.rank - 1]!;
      const slices: tf.Tensor[] = [];
      const offsets = r === 1 ? filterShape[0]! : filterShape[0]! * filterShape[1]!;
      for (let q = 0; q < offsets; q++) {
        const d = r === 1 ? [q] : [Math.floor(q / filterShape[1]!), q % filterShape[1]!];
        const begin = [0, ...d, 0];
        const end = [n, ...maps.map((m, a) => d[a]! + (m.outSize - 1) * strides[a]! + 1), c];
        slices.push(tf.stridedSlice(xp, begin, end, [1, ...strides, 1]));
      }
      const outPositions = maps.reduce((a, m) => a * m.outSize, 1);
      return tf.reshape(tf.stack(slices, r + 1), [n, outPositions, filterSize * c]) as tf.Tensor3D;
    });
  const layer: Layer & AffineLayer = {
    name,
    needsFullSpatial: false,
    outputShape(input) {
      const s = single(name, input);
      const maps = mapsFor(s.slice(0, -1));
      return [...maps.map((m) => m.outSize), outChannels];
    },
    init(rng, input) {
      const s = single(name, input);
      mapsFor(s.slice(0, -1));
      const c = s[s.length - 1]!;
      return drawAffine(rng, filterSize * c, [...filterShape, c, outChannels], outChannels, o);
    },
    apply(params, xs, tap) {
      const x = single(name, xs);
      const [w, b] = vars(name, params);
      const maps = mapsFor(x.shape.slice(1, -1));
      const c = x.shape[x.rank - 1]!;
      const sc = scales(o, filterSize * c);
      const out = tf.tidy(() => {
        const xp = padInput(x, maps, padding);
        let h: tf.Tensor =
          r === 1
            ? tf.conv1d(xp as tf.Tensor3D, w as unknown as tf.Tensor3D, strides[0]!, 'valid')
            : tf.conv2d(xp as tf.Tensor4D, w as unknown as tf.Tensor4D, strides as [number, number], 'valid');
        if (sc.w !== 1) h = tf.mul(h, sc.w);
        if (b) h = tf.add(h, sc.b === 1 ? b : tf.mul(b, sc.b));
        return h;
      });
      return tap ? tap.affine(layer, vars(name, params), x, out) : out;
    },
    kernel(k, ctx) {
      const kk = single(name, k);
      return affineKernel(kk, mapsFor(kk.spatial), o, filterSize * kk.channels, outChannels, ctx);
    },
    tangentFeatures(params, input, delta): TangentFeatures {
      const maps = mapsFor(input.shape.slice(1, -1));
      const fanIn = filterSize * input.shape[input.rank - 1]!;
      const c = tangentScales(o, fanIn, params.length > 1);
      return tf.tidy(() => affineJacobian(patches(input, maps), delta, outChannels, c));
    },
  };
  return layer;
}
