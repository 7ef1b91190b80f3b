import { defineKernel, type HostTensor, runKernel, type WgslProgram } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A uniform B-spline basis on [lo, hi] with `grid` intervals: knots t_i = lo + (i − extend)·h, i = 0 … grid + 2·extend,
 * h = (hi − lo)/grid; the basis of degree `order` has grid + 2·extend − order functions (grid + order for the
 * usual extend = order). `extend` > order gives the lower-degree bases that the derivative needs.
 */
export interface BsplineAttrs {
  grid: number;
  order: number;
  lo: number;
  hi: number;
  extend?: number;
}

function check(a: BsplineAttrs): { e: number; h: number; count: number } {
  const e = a.extend ?? a.order;
  if (!Number.isInteger(a.grid) || a.grid < 1)
    throw new RangeError(`bspline basis: grid must be a positive integer, got ${a.grid}`);
  if (!Number.isInteger(a.order) || a.order < 0 || a.order > 6)
    throw new RangeError(`bspline basis: order must be 0…6, got ${a.order}`);
  if (e < a.order) throw new RangeError(`bspline basis: extend (${e}) must be ≥ order (${a.order})`);
  if (!(a.hi > a.lo)) throw new RangeError(`bspline basis: need lo < hi, got [${a.lo}, ${a.hi}]`);
  return { e, h: (a.hi - a.lo) / a.grid, count: a.grid + 2 * e - a.order };
}

/** 1 where lower ≤ x < upper, else 0 — a step function, so its gradient is zero (tfjs has none for comparisons). */
const indicator = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, lower, upper] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
  return {
    value: tf.cast(tf.logicalAnd(tf.greaterEqual(x, lower), tf.less(x, upper)), 'float32'),
    gradFunc: (_dy: tf.Tensor) => [tf.zerosLike(x), tf.zerosLike(lower), tf.zerosLike(upper)],
  };
}) as unknown as (x: tf.Tensor, lower: tf.Tensor, upper: tf.Tensor) => tf.Tensor;

/** Cox–de Boor with tfjs ops (the definition; differentiable in x). */
function reference({ x }: { x: tf.Tensor2D }, a: BsplineAttrs): tf.Tensor3D {
  const { e, h } = check(a);
  return tf.tidy(() => {
    const nk = a.grid + 2 * e + 1;
    const t = tf.tensor1d(Float32Array.from({ length: nk }, (_, i) => a.lo + (i - e) * h));
    const xe = tf.expandDims(x, 2);
    const lower = tf.slice(t, 0, nk - 1);
    const upper = tf.slice(t, 1, nk - 1);
    let B: tf.Tensor = indicator(tf.broadcastTo(xe, [...x.shape, nk - 1]), lower, upper);
    for (let p = 1; p <= a.order; p++) {
      const m = nk - 1 - p;
      const left = tf.div(tf.sub(xe, tf.slice(t, 0, m)), p * h);
      const right = tf.div(tf.sub(tf.slice(t, p + 1, m), xe), p * h);
      const last = B.shape[2]!;
      B = tf.add(
        tf.mul(left, tf.slice(B, [0, 0, 0], [-1, -1, last - 1])),
        tf.mul(right, tf.slice(B, [0, 0, 1], [-1, -1, last - 1])),
      );
    }
    return B as tf.Tensor3D;
  });
}

/** Typed-array Cox–de Boor: only the order + 1 functions that can be non-zero at each x. */
function cpu({ x }: { x: HostTensor }, a: BsplineAttrs): HostTensor {
  const { e, h, count } = check(a);
  const [n, d] = x.shape as [number, number];
  const out = new Float32Array(n * d * count);
  const local = new Float64Array(a.order + 1);
  const nIntervals = a.grid + 2 * e;
  for (let q = 0; q < n * d; q++) {
    const xv = x.values[q]!;
    const s = Math.floor((xv - a.lo) / h) + e; // knot interval [t_s, t_s+1) holding x
    if (!(s >= 0 && s < nIntervals)) continue;
    // Degree-0 value 1 on interval s; raise the degree keeping the functions s − p … s.
    local.fill(0);
    local[a.order] = 1;
    for (let p = 1; p <= a.order; p++)
      for (let r = a.order - p; r <= a.order; r++) {
        const i = s - a.order + r; // function index at this level
        const ti = a.lo + (i - e) * h;
        const left = ((xv - ti) / (p * h)) * local[r]!;
        const right = r < a.order ? ((ti + (p + 1) * h - xv) / (p * h)) * local[r + 1]! : 0;
        local[r] = left + right;
      }
    for (let r = 0; r <= a.order; r++) {
      const i = s - a.order + r;
      if (i >= 0 && i < count) out[q * count + i] = local[r]!;
    }
  }
  return { shape: [n, d, count], values: out };
}

/** One output element B_m(x) per thread: the degree-0 triangle of the order + 1 knot intervals from m, raised. */
function wgsl(n: number, d: number, a: BsplineAttrs): WgslProgram {
  const { e, h, count } = check(a);
  return {
    key: `physics_bspline_${a.order}`,
    outputShape: [n, d, count],
    variableNames: ['x'],
    uniforms: 'count : i32, ext : i32, lo : f32, h : f32,',
    uniformData: [
      { type: 'int32', data: [count] },
      { type: 'int32', data: [e] },
      { type: 'float32', data: [a.lo] },
      { type: 'float32', data: [h] },
    ],
    userCode: `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let m = index % uniforms.count;
          let xv = x[index / uniforms.count];
          var b : array<f32, ${a.order + 1}>;
          for (var j = 0; j <= ${a.order}; j = j + 1) {
            let tj = uniforms.lo + f32(m + j - uniforms.ext) * uniforms.h;
            b[j] = select(0.0, 1.0, xv >= tj && xv < tj + uniforms.h);
          }
          for (var p = 1; p <= ${a.order}; p = p + 1) {
            for (var j = 0; j <= ${a.order} - p; j = j + 1) {
              let tj = uniforms.lo + f32(m + j - uniforms.ext) * uniforms.h;
              let ph = f32(p) * uniforms.h;
              b[j] = (xv - tj) / ph * b[j] + (tj + f32(p + 1) * uniforms.h - xv) / ph * b[j + 1];
            }
          }
          setOutputAtIndex(index, b[0]);
        }
      }`,
  };
}

/** `physics/bspline-basis`: B-spline basis values [n, d, count] of inputs [n, d] (reference, typed-array, WGSL). */
export const bsplineBasisKernel = defineKernel({
  name: 'physics/bspline-basis',
  description: 'Uniform B-spline basis functions of every input (KAN layers): Cox–de Boor recursion',
  reference,
  cpu,
  webgpu({ x }: { x: tf.Tensor2D }, a: BsplineAttrs, gpu) {
    const [n, d] = x.shape;
    return gpu.run(wgsl(n, d, a), [x]) as tf.Tensor3D;
  },
  examples() {
    const make = (n: number, d: number, lo: number, hi: number, seed: number) => () => {
      let s = seed;
      const v = Float32Array.from({ length: n * d }, () => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return lo - 0.3 + (hi - lo + 0.6) * (s / 2147483648);
      });
      return { x: tf.tensor2d(v, [n, d]) };
    };
    return [
      {
        name: 'cubic, grid 5, 7×3',
        inputs: make(7, 3, -1, 1, 1),
        attrs: { grid: 5, order: 3, lo: -1, hi: 1 },
      },
      {
        name: 'quadratic, grid 8, 16×4 on [0, 2]',
        inputs: make(16, 4, 0, 2, 2),
        attrs: { grid: 8, order: 2, lo: 0, hi: 2 },
      },
      {
        name: 'order 2 with extend 3 (derivative basis)',
        inputs: make(9, 2, -1, 1, 3),
        attrs: { grid: 4, order: 2, lo: -1, hi: 1, extend: 3 },
      },
    ];
  },
  tolerance: { atol: 2e-6, rtol: 1e-4 },
});

/**
 * The basis as a differentiable op whose forward uses the fastest implementation for the backend (typed-array
 * on cpu/wasm, WGSL on webgpu) and whose gradient is the B-spline derivative rule
 * B′_{i,p} = (B_{i,p−1} − B_{i+1,p−1})/h (first derivatives only).
 */
export function bsplineBasis(x: tf.Tensor2D, attrs: BsplineAttrs): tf.Tensor3D {
  const { e, h } = check(attrs);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([xi]);
    return {
      value: runKernel(bsplineBasisKernel, { x: xi as tf.Tensor2D }, attrs),
      gradFunc: (dy: tf.Tensor, [xs]: tf.Tensor[]) =>
        tf.tidy(() => {
          if (attrs.order === 0) return tf.zerosLike(xs!);
          const lower = runKernel(
            bsplineBasisKernel,
            { x: xs as tf.Tensor2D },
            { ...attrs, order: attrs.order - 1, extend: e },
          );
          const k = lower.shape[2];
          const dB = tf.div(
            tf.sub(tf.slice(lower, [0, 0, 0], [-1, -1, k - 1]), tf.slice(lower, [0, 0, 1], [-1, -1, k - 1])),
            h,
          );
          return tf.sum(tf.mul(dy, dB), 2);
        }),
    };
  });
  return op(x) as tf.Tensor3D;
}
