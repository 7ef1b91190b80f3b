import * as tf from '@tensorflow/tfjs-core';
import { callWasm, release, type WasmBackendLike, wasmKernel } from './kernelCalls.js';
import { GEMM_SCRATCH_BYTES, gemmTN, type SimdKernels, simdKernelsFor } from './simdKernels.js';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface ConvBackpropAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Writes the patches of `x` ([B, H, W, ci], NHWC) that a convolution reads into `col` transposed: row
 * k = (kh·fw + kw)·ci + c holds, for every output position m = (b·oh + i)·ow + j, the input value under tap
 * (kh, kw) of channel c (0 where the tap falls in the padding). Rows are contiguous in m, so the filter
 * gradient is one plain (untransposed) matmul col · dy.
 */
function im2colTransposed(x: Float32Array, c: tf.backend_util.Conv2DInfo, col: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: ci, outHeight: oh, outWidth: ow } = c;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = c;
  const top = c.padInfo.top;
  const left = c.padInfo.left;
  const M = B * oh * ow;
  for (let kh = 0; kh < c.filterHeight; kh++) {
    for (let kw = 0; kw < c.filterWidth; kw++) {
      const colOffset = kw * dw - left;
      // Output columns j whose input column j·sw + colOffset lies inside [0, W).
      const jLo = Math.min(ow, Math.max(0, Math.ceil(-colOffset / sw)));
      const jHi = Math.max(jLo, Math.min(ow, Math.floor((W - 1 - colOffset) / sw) + 1));
      for (let ch = 0; ch < ci; ch++) {
        const rowBase = ((kh * c.filterWidth + kw) * ci + ch) * M;
        for (let b = 0; b < B; b++) {
          for (let i = 0; i < oh; i++) {
            const dst = rowBase + (b * oh + i) * ow;
            const xr = i * sh - top + kh * dh;
            // Explicit loops: TypedArray.fill costs more than it saves on runs this short.
            if (xr < 0 || xr >= H) {
              for (let j = 0; j < ow; j++) col[dst + j] = 0;
              continue;
            }
            for (let j = 0; j < jLo; j++) col[dst + j] = 0;
            for (let j = jHi; j < ow; j++) col[dst + j] = 0;
            let src = ((b * H + xr) * W + jLo * sw + colOffset) * ci + ch;
            const step = sw * ci;
            for (let j = jLo; j < jHi; j++, src += step) col[dst + j] = x[src]!;
          }
        }
      }
    }
  }
}

/** {@link im2colTransposed} by the wasm helper, in place in tfjs' heap (byte addresses `x`, `col`). */
function im2colTransposedWasm(k: SimdKernels, x: number, c: tf.backend_util.Conv2DInfo, col: number): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: ci, outHeight: oh, outWidth: ow } = c;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = c;
  const M = B * oh * ow;
  k.fill0(col, c.filterHeight * c.filterWidth * ci * M * 4);
  for (let kh = 0; kh < c.filterHeight; kh++) {
    for (let kw = 0; kw < c.filterWidth; kw++) {
      const colOffset = kw * dw - c.padInfo.left;
      const jLo = Math.min(ow, Math.max(0, Math.ceil(-colOffset / sw)));
      const jHi = Math.max(jLo, Math.min(ow, Math.floor((W - 1 - colOffset) / sw) + 1));
      if (jHi === jLo) continue;
      for (let ch = 0; ch < ci; ch++) {
        const row = (kh * c.filterWidth + kw) * ci + ch;
        k.patchRows(
          col + (row * M + jLo) * 4,
          x + ((jLo * sw + colOffset) * ci + ch) * 4,
          B,
          H,
          W * ci * 4,
          oh,
          sh,
          kh * dh - c.padInfo.top,
          jHi - jLo,
          sw * ci * 4,
          ow * 4,
          H * W * ci * 4,
        );
      }
    }
  }
}

/**
 * Conv2DBackpropFilter as im2col + one matmul: dW[(kh, kw, ci), co] = colᵀ · dy, with the patch matrix written
 * already transposed ([K, B·oh·ow], by the wasm helper or typed-array loops) and dy read in place as
 * [B·oh·ow, co]. The product runs in the wasm helper's register-tiled gemm where it can (co a multiple of 4),
 * else in XNNPACK, whose packing of the fresh dy every step costs more than the product itself. Replaces the earlier composition (two big transposes and a conv whose filter is the whole
 * image), which was 3–10× slower.
 */
export const conv2DBackpropFilterConfig: tf.KernelConfig = wasmKernel(
  'Conv2DBackpropFilter',
  ({ inputs, attrs }, wasm) => {
    const x = inputs.x as tf.TensorInfo;
    const dy = inputs.dy as tf.TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as ConvBackpropAttrs & {
        filterShape: [number, number, number, number];
      };
    if (dataFormat === 'NCHW')
      throw new Error('Conv2DBackpropFilter on wasm supports NHWC only (use channels-last data)');
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const [fh, fw, ci, co] = filterShape;
    const K = fh * fw * ci;
    const M = info.batchSize * info.outHeight * info.outWidth;
    const col = wasm.makeOutput([1, K, M], 'float32');
    const simd = simdKernelsFor(wasm.wasm);
    if (simd && co % 4 === 0) {
      // Patches and the product both in the wasm helper: no XNNPACK weight packing of dy every step.
      const out = wasm.makeOutput([fh, fw, ci, co], 'float32');
      const scratch = wasm.makeOutput([GEMM_SCRATCH_BYTES / 4], 'float32');
      // Addresses after every allocation (growing the wasm memory moves nothing, but detaches older views).
      const at = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t).byteOffset;
      im2colTransposedWasm(simd, at(x), info, at(col));
      gemmTN(simd, at(col), at(dy), at(out), K, M, co, at(scratch));
      release(wasm, col);
      release(wasm, scratch);
      return out;
    }
    const xv = wasm.typedArrayFromHeap(x) as Float32Array;
    const cv = wasm.typedArrayFromHeap(col) as Float32Array;
    if (simd) im2colTransposedWasm(simd, xv.byteOffset, info, cv.byteOffset);
    else im2colTransposed(xv, info, cv);
    const prod = callWasm(
      'BatchMatMul',
      wasm,
      { a: col, b: { dataId: dy.dataId, shape: [1, M, co], dtype: 'float32' } },
      { transposeA: false, transposeB: false },
    ); // [1, K, co]
    release(wasm, col);
    return { dataId: prod.dataId, shape: [fh, fw, ci, co], dtype: 'float32' };
  },
);

/**
 * Conv2DBackpropInput as a convolution that XNNPACK runs as fast as the forward pass (stock tfjs-wasm uses a
 * naive loop ~10× slower): dx is the correlation of dy — dilated by the stride and padded by
 * (filter − 1 − forward padding) — with the filter flipped in space and its in/out channels swapped. With
 * stride 1 and non-negative padding dy is used in place (explicit padding); otherwise a zero-filled, dilated
 * and cropped copy of dy is written first. NCHW data goes to `fallback` (the stock kernel).
 */
export function conv2DBackpropInputConfig(fallback?: tf.KernelConfig): tf.KernelConfig {
  return wasmKernel('Conv2DBackpropInput', (args, wasm) => {
    const { inputs, attrs } = args;
    const a = attrs as unknown as ConvBackpropAttrs & { inputShape: [number, number, number, number] };
    if (a.dataFormat === 'NCHW') {
      if (fallback) return fallback.kernelFunc(args);
      throw new Error('Conv2DBackpropInput on wasm supports NHWC only (use channels-last data)');
    }
    const dy = inputs.dy as tf.TensorInfo;
    const filter = inputs.filter as tf.TensorInfo;
    const [fh, fw, ci, co] = filter.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape,
      [fh, fw, ci, co],
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { batchSize: B, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow } = info;
    const { strideHeight: sh, strideWidth: sw } = info;
    const top = fh - 1 - info.padInfo.top;
    const left = fw - 1 - info.padInfo.left;
    // The padded, dilated dy has H + fh − 1 rows (so the valid correlation has H), W + fw − 1 columns.
    const bottom = H + fh - 1 - top - ((oh - 1) * sh + 1);
    const right = W + fw - 1 - left - ((ow - 1) * sw + 1);
    const temps: tf.TensorInfo[] = [];
    const flipped = wasm.makeOutput([fh, fw, co, ci], 'float32');
    temps.push(flipped);
    let src: tf.TensorInfo = dy;
    let padding: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const inPlace = sh === 1 && sw === 1 && top >= 0 && bottom >= 0 && left >= 0 && right >= 0;
    if (!inPlace) {
      const H2 = H + fh - 1;
      const W2 = W + fw - 1;
      src = wasm.makeOutput([B, H2, W2, co], 'float32');
      temps.push(src);
      const d = wasm.typedArrayFromHeap(src) as Float32Array;
      const g = wasm.typedArrayFromHeap(dy) as Float32Array;
      d.fill(0);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < oh; i++) {
          const r = top + i * sh;
          if (r < 0 || r >= H2) continue;
          for (let j = 0; j < ow; j++) {
            const q = left + j * sw;
            if (q < 0 || q >= W2) continue;
            const to = ((b * H2 + r) * W2 + q) * co;
            const from = ((b * oh + i) * ow + j) * co;
            for (let c = 0; c < co; c++) d[to + c] = g[from + c]!;
          }
        }
      padding = [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ];
    }
    const wv = wasm.typedArrayFromHeap(filter) as Float32Array;
    const fv = wasm.typedArrayFromHeap(flipped) as Float32Array;
    for (let kh = 0; kh < fh; kh++)
      for (let kw = 0; kw < fw; kw++) {
        const from = ((fh - 1 - kh) * fw + (fw - 1 - kw)) * ci * co;
        const to = (kh * fw + kw) * co * ci;
        for (let i = 0; i < ci; i++)
          for (let o = 0; o < co; o++) fv[to + o * ci + i] = wv[from + i * co + o]!;
      }
    const out = callWasm(
      'Conv2D',
      wasm,
      { x: src, filter: flipped },
      { strides: [1, 1], pad: padding, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined },
    );
    for (const t of temps) release(wasm, t);
    return out;
  });
}

interface DepthwiseAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The geometry of a depthwise convolution of an NHWC input of `xShape` with a filter of `filterShape`. */
function depthwiseInfo(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  a: DepthwiseAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    true,
  );
}

/** A float32 output of `shape` in wasm memory, zero-filled, with its view (the accumulator of a gradient). */
function zeroedOutput(wasm: WasmBackendLike, shape: number[]): { out: tf.TensorInfo; view: Float32Array } {
  const out = wasm.makeOutput(shape, 'float32');
  const view = wasm.typedArrayFromHeap(out) as Float32Array;
  view.fill(0);
  return { out, view };
}

/**
 * Visits every (output position, filter tap) pair of a depthwise conv that lands inside the input, with the
 * flat offsets of the input pixel, the output-gradient pixel and the filter tap (channel 0 of each).
 */
function forEachDepthwiseTap(
  c: tf.backend_util.Conv2DInfo,
  xShape: readonly number[],
  visit: (xBase: number, dyBase: number, wBase: number) => void,
): void {
  const [, xH, xW, xC] = xShape as [number, number, number, number];
  const mult = c.outChannels / c.inChannels;
  for (let b = 0; b < c.batchSize; b++) {
    for (let yR = 0; yR < c.outHeight; yR++) {
      for (let yC = 0; yC < c.outWidth; yC++) {
        const dyBase = ((b * c.outHeight + yR) * c.outWidth + yC) * c.outChannels;
        for (let wR = 0; wR < c.filterHeight; wR++) {
          const xR = yR * c.strideHeight - c.padInfo.top + wR * c.dilationHeight;
          if (xR < 0 || xR >= xH) continue;
          for (let wC = 0; wC < c.filterWidth; wC++) {
            const xCc = yC * c.strideWidth - c.padInfo.left + wC * c.dilationWidth;
            if (xCc < 0 || xCc >= xW) continue;
            visit(((b * xH + xR) * xW + xCc) * xC, dyBase, (wR * c.filterWidth + wC) * c.inChannels * mult);
          }
        }
      }
    }
  }
}

/** DepthwiseConv2dNativeBackpropFilter as typed-array loops over wasm memory. */
export const depthwiseBackpropFilterConfig: tf.KernelConfig = wasmKernel(
  'DepthwiseConv2dNativeBackpropFilter',
  ({ inputs, attrs }, wasm) => {
    const x = inputs.x as tf.TensorInfo;
    const dy = inputs.dy as tf.TensorInfo;
    const a = attrs as unknown as DepthwiseAttrs & { filterShape: [number, number, number, number] };
    const c = depthwiseInfo(x.shape as [number, number, number, number], a.filterShape, a);
    const xv = wasm.readSync(x.dataId) as Float32Array;
    const dyv = wasm.readSync(dy.dataId) as Float32Array;
    const { out, view: dw } = zeroedOutput(wasm, [...a.filterShape]);
    const mult = c.outChannels / c.inChannels;
    forEachDepthwiseTap(c, x.shape, (xBase, dyBase, wBase) => {
      for (let d1 = 0; d1 < c.inChannels; d1++) {
        const xval = xv[xBase + d1]!;
        for (let q = 0; q < mult; q++) dw[wBase + d1 * mult + q]! += xval * dyv[dyBase + d1 * mult + q]!;
      }
    });
    return out;
  },
);

/** DepthwiseConv2dNativeBackpropInput as typed-array loops over wasm memory. */
export const depthwiseBackpropInputConfig: tf.KernelConfig = wasmKernel(
  'DepthwiseConv2dNativeBackpropInput',
  ({ inputs, attrs }, wasm) => {
    const dy = inputs.dy as tf.TensorInfo;
    const filter = inputs.filter as tf.TensorInfo;
    const a = attrs as unknown as DepthwiseAttrs & { inputShape: [number, number, number, number] };
    const c = depthwiseInfo(a.inputShape, filter.shape as [number, number, number, number], a);
    const dyv = wasm.readSync(dy.dataId) as Float32Array;
    const wv = wasm.readSync(filter.dataId) as Float32Array;
    const { out, view: dx } = zeroedOutput(wasm, [...a.inputShape]);
    const mult = c.outChannels / c.inChannels;
    forEachDepthwiseTap(c, a.inputShape, (xBase, dyBase, wBase) => {
      for (let d1 = 0; d1 < c.inChannels; d1++) {
        let acc = 0;
        for (let q = 0; q < mult; q++) acc += dyv[dyBase + d1 * mult + q]! * wv[wBase + d1 * mult + q]!;
        dx[xBase + d1]! += acc;
      }
    });
    return out;
  },
);
