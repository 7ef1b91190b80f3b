import * as tf from '@tensorflow/tfjs-core';
import { callWasm, release, type WasmBackendLike } from './kernelCalls.js';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * Conv2DBackpropFilter from wasm's own kernels: the filter gradient is a correlation of the input with the
 * output gradient, i.e. a conv over (input channels as batch, batch as channels) dilated by the stride.
 */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackendLike;
    const x = inputs.x as tf.TensorInfo;
    const dy = inputs.dy as tf.TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: Pad;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
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
    const { top, bottom, left, right } = info.padInfo;
    const temps: tf.TensorInfo[] = [];
    let xp = x;
    if (top || bottom || left || right) {
      // Negative padding (possible with 'valid' + stride) is handled by the slice below instead.
      xp = callWasm(
        'PadV2',
        wasm,
        { x },
        {
          paddings: [
            [0, 0],
            [Math.max(0, top), Math.max(0, bottom)],
            [Math.max(0, left), Math.max(0, right)],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
      temps.push(xp);
    }
    const xt = callWasm('Transpose', wasm, { x: xp }, { perm: [3, 1, 2, 0] }); // [ci, H, W, B]
    temps.push(xt);
    const dyt = callWasm('Transpose', wasm, { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, B, co]
    temps.push(dyt);
    const conv = callWasm(
      'Conv2D',
      wasm,
      { x: xt, filter: dyt },
      {
        strides: [1, 1],
        pad: 'valid',
        dataFormat: 'NHWC',
        dilations: [info.strideHeight, info.strideWidth],
        dimRoundingMode: undefined,
      },
    ); // [ci, >=fh, >=fw, co]
    temps.push(conv);
    const [fh, fw, ci, co] = filterShape;
    let cropped = conv;
    if (conv.shape[1] !== fh || conv.shape[2] !== fw) {
      cropped = callWasm('Slice', wasm, { x: conv }, { begin: [0, 0, 0, 0], size: [ci, fh, fw, co] });
      temps.push(cropped);
    }
    const out = callWasm('Transpose', wasm, { x: cropped }, { perm: [1, 2, 0, 3] });
    for (const t of temps) release(wasm, t);
    return out;
  },
};

interface DepthwiseAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
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
export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackendLike;
    const x = inputs.x as tf.TensorInfo;
    const dy = inputs.dy as tf.TensorInfo;
    const a = attrs as unknown as DepthwiseAttrs & { filterShape: [number, number, number, number] };
    const c = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      a.dilations,
      a.pad,
      a.dimRoundingMode,
      true,
    );
    const xv = wasm.readSync(x.dataId) as Float32Array;
    const dyv = wasm.readSync(dy.dataId) as Float32Array;
    const out = wasm.makeOutput([...a.filterShape], 'float32');
    const dw = wasm.typedArrayFromHeap(out) as Float32Array;
    dw.fill(0);
    const mult = c.outChannels / c.inChannels;
    forEachDepthwiseTap(c, x.shape, (xBase, dyBase, wBase) => {
      for (let d1 = 0; d1 < c.inChannels; d1++) {
        const xval = xv[xBase + d1]!;
        for (let q = 0; q < mult; q++) dw[wBase + d1 * mult + q]! += xval * dyv[dyBase + d1 * mult + q]!;
      }
    });
    return out;
  },
};

/** DepthwiseConv2dNativeBackpropInput as typed-array loops over wasm memory. */
export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackendLike;
    const dy = inputs.dy as tf.TensorInfo;
    const filter = inputs.filter as tf.TensorInfo;
    const a = attrs as unknown as DepthwiseAttrs & { inputShape: [number, number, number, number] };
    const c = tf.backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as [number, number, number, number],
      a.strides,
      a.dilations,
      a.pad,
      a.dimRoundingMode,
      true,
    );
    const dyv = wasm.readSync(dy.dataId) as Float32Array;
    const wv = wasm.readSync(filter.dataId) as Float32Array;
    const out = wasm.makeOutput([...a.inputShape], 'float32');
    const dx = wasm.typedArrayFromHeap(out) as Float32Array;
    dx.fill(0);
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
};
