import * as tf from '@tensorflow/tfjs-core';
import { wasmKernel } from './kernelCalls.js';
import { simdKernelsFor } from './simdKernels.js';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * MaxPoolGrad over wasm memory: each window's gradient goes to the position of its maximum, found in x with
 * tfjs' rule (the first strict maximum in row-major window order; a window of NaN or −∞ only passes
 * nothing). 2×2 / stride-2 pooling over channels in multiples of four runs as a WebAssembly SIMD helper, other
 * shapes as typed-array loops (channels innermost). Stock tfjs-wasm's kernel was ~20× slower than the max-pool.
 */
export const maxPoolGradConfig: tf.KernelConfig = wasmKernel('MaxPoolGrad', ({ inputs, attrs }, wasm) => {
  const dy = inputs.dy as tf.TensorInfo;
  const x = inputs.input as tf.TensorInfo;
  const a = attrs as unknown as MaxPoolGradAttrs;
  const c = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const out = wasm.makeOutput([...x.shape], 'float32');
  // Views after the allocation: growing the wasm memory detaches older views.
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  const xv = wasm.typedArrayFromHeap(x) as Float32Array;
  const g = wasm.typedArrayFromHeap(dy) as Float32Array;
  const tiles =
    c.filterHeight === 2 &&
    c.filterWidth === 2 &&
    c.strideHeight === 2 &&
    c.strideWidth === 2 &&
    c.padInfo.top === 0 &&
    c.padInfo.left === 0 &&
    2 * c.outHeight <= c.inHeight &&
    2 * c.outWidth <= c.inWidth;
  const simd = tiles && c.inChannels % 4 === 0 ? simdKernelsFor(wasm.wasm) : null;
  if (simd) {
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: oh, outWidth: ow } = c;
    // Rows and columns no window covers (odd sizes) get no gradient.
    if (2 * oh < H || 2 * ow < W) dx.fill(0);
    simd.maxPoolGrad2x2(xv.byteOffset, g.byteOffset, dx.byteOffset, B, oh, ow, H, C * 4, W * C * 4, C / 4);
  } else if (tiles) tiles2x2(xv, g, dx, c);
  else windows(xv, g, dx, c);
  return out;
});

/**
 * 2×2 windows with stride 2 inside the input (the usual CNN pooling): each input lies in at most one window,
 * so dx is written once per element (no zero fill, no scatter), the maximum's position chosen branch-light.
 */
function tiles2x2(x: Float32Array, g: Float32Array, dx: Float32Array, c: tf.backend_util.Conv2DInfo): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: oh, outWidth: ow } = c;
  const rowStride = W * C;
  // Rows and columns no window covers (odd sizes) get no gradient.
  if (2 * oh < H || 2 * ow < W) dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const base = ((b * H + 2 * i) * W + 2 * j) * C;
        const gBase = ((b * oh + i) * ow + j) * C;
        for (let d = 0; d < C; d++) {
          const p0 = base + d;
          const p1 = p0 + C;
          const p2 = p0 + rowStride;
          const p3 = p2 + C;
          const v0 = x[p0]!;
          const v1 = x[p1]!;
          const v2 = x[p2]!;
          const v3 = x[p3]!;
          // tfjs' rule: the first strict maximum in row-major order, none for a window of NaN/−∞.
          let k = -1;
          let best = Number.NEGATIVE_INFINITY;
          if (v0 > best) {
            best = v0;
            k = 0;
          }
          if (v1 > best) {
            best = v1;
            k = 1;
          }
          if (v2 > best) {
            best = v2;
            k = 2;
          }
          if (v3 > best) k = 3;
          const gv = g[gBase + d]!;
          dx[p0] = k === 0 ? gv : 0;
          dx[p1] = k === 1 ? gv : 0;
          dx[p2] = k === 2 ? gv : 0;
          dx[p3] = k === 3 ? gv : 0;
        }
      }
    }
  }
}

/** Any window, stride and padding: zero dx, then add each window's gradient at its maximum. */
function windows(x: Float32Array, g: Float32Array, dx: Float32Array, c: tf.backend_util.Conv2DInfo): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: oh, outWidth: ow } = c;
  dx.fill(0);
  const top = c.padInfo.top;
  const left = c.padInfo.left;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < oh; i++) {
      const r0 = i * c.strideHeight - top;
      const rLo = Math.max(0, r0);
      const rHi = Math.min(H, r0 + c.filterHeight);
      for (let j = 0; j < ow; j++) {
        const q0 = j * c.strideWidth - left;
        const qLo = Math.max(0, q0);
        const qHi = Math.min(W, q0 + c.filterWidth);
        const gBase = ((b * oh + i) * ow + j) * C;
        for (let d = 0; d < C; d++) {
          let best = Number.NEGATIVE_INFINITY;
          let where = -1;
          for (let r = rLo; r < rHi; r++) {
            let p = ((b * H + r) * W + qLo) * C + d;
            for (let q = qLo; q < qHi; q++, p += C) {
              const v = x[p]!;
              if (v > best) {
                best = v;
                where = p;
              }
            }
          }
          if (where >= 0) dx[where]! += g[gBase + d]!;
        }
      }
    }
  }
}
