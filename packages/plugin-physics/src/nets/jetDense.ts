import { chooseImpl, runKernel } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';
import {
  type JetActivationAttrs,
  jetActivationGradInto,
  jetActivationGradKernel,
  jetActivationInto,
  jetActivationKernel,
} from '../autodiff/jetActivationKernel.js';

/**
 * Points as a stacked jet [S·N, d] (S = 1 + d·order row blocks: the value `x`, then per axis a its derivative
 * rows, scale_a·e_a at first order and 0 above), `scale` being the slope of an affine input map (default 1).
 */
export function stackedCoordinates(x: tf.Tensor2D, order: number, scale?: readonly number[]): tf.Tensor2D {
  const [n, d] = x.shape;
  const rows = new Float32Array(d * order * n * d);
  for (let a = 0; a < d; a++) {
    const base = a * order * n * d; // the first-order block of axis a
    const v = scale?.[a] ?? 1;
    for (let r = 0; r < n; r++) rows[base + r * d + a] = v;
  }
  return tf.tidy(() => tf.concat([x, tf.tensor2d(rows, [d * order * n, d])], 0) as tf.Tensor2D);
}

/** The slice of tfjs-backend-wasm's backend that {@link onWasmHeap} uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: tf.DataId): boolean;
}

/**
 * On the wasm backend, runs a typed-array pass on tfjs' own memory: fresh output tensors of `shapes` are allocated
 * first, then `pass` gets views of the (float32) inputs and outputs — no copies in or out, no garbage. Elsewhere
 * null (callers use `runKernel`).
 */
function onWasmHeap(
  inputs: tf.Tensor[],
  shapes: number[][],
  pass: (ins: Float32Array[], outs: Float32Array[]) => void,
): tf.Tensor[] | null {
  if (tf.getBackend() !== 'wasm' || inputs.some((t) => t.dtype !== 'float32')) return null;
  const heap = tf.backend() as unknown as Partial<WasmHeap>;
  if (!heap.makeOutput || !heap.typedArrayFromHeap || !heap.disposeData) return null;
  const wasm = heap as WasmHeap;
  const infos = shapes.map((shape) => wasm.makeOutput(shape, 'float32'));
  try {
    // Views only after every allocation: growing the wasm memory detaches views taken before.
    pass(
      inputs.map((t) => wasm.typedArrayFromHeap(t)),
      infos.map((info) => wasm.typedArrayFromHeap(info)),
    );
  } catch (err) {
    for (const info of infos) wasm.disposeData(info.dataId);
    throw err;
  }
  return infos.map((info) => tf.engine().makeTensorFromTensorInfo(info));
}

/** {@link jetActivationKernel}: on wasm in place ({@link jetActivationInto}), elsewhere by `runKernel`. */
function activate(z: tf.Tensor2D, bias: tf.Tensor1D, a: JetActivationAttrs): tf.Tensor2D {
  const k = z.shape[1];
  const outs =
    chooseImpl(jetActivationKernel) === 'cpu'
      ? onWasmHeap([z, bias], [z.shape], ([zv, bv], [h]) => jetActivationInto(zv!, bv!, h!, k, a))
      : null;
  return (outs?.[0] ?? runKernel(jetActivationKernel, { z, bias }, a)) as tf.Tensor2D;
}

/**
 * hᵀ·dy for h [P, k], dy [P, n]: `tf.matMul(h, dy, true, false)`, which core's wasm kernels run in their SIMD
 * gemm reading h as it is (no transposed copy, no XNNPACK packing of the fresh dy).
 * @deprecated Use `tf.matMul(h, dy, true, false)`; kept for callers of the plugin's export.
 */
export function weightGradient(h: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(h, dy, true, false);
}

/** x·w for a fixed x (no gradient to x: the stacked input coordinates), w's gradient xᵀ·dy. */
export function fixedTimesWeights(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [wi, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([x]);
    return {
      value: tf.matMul(x, wi),
      gradFunc: (dy: tf.Tensor, [xs]: tf.Tensor[]) =>
        tf.matMul(xs as tf.Tensor2D, dy as tf.Tensor2D, true, false),
    };
  });
  return op(w) as tf.Tensor2D;
}

/** {@link jetActivationGradKernel}: on wasm in place ({@link jetActivationGradInto}), elsewhere by `runKernel`. */
function activateGrad(
  z: tf.Tensor2D,
  bias: tf.Tensor1D,
  dh: tf.Tensor2D,
  a: JetActivationAttrs,
): tf.Tensor[] {
  const k = z.shape[1];
  const outs =
    chooseImpl(jetActivationGradKernel) === 'cpu'
      ? onWasmHeap([z, bias, dh], [z.shape, [k]], ([zv, bv, gv], [dz, db]) =>
          jetActivationGradInto(zv!, bv!, gv!, dz!, db!, k, a),
        )
      : null;
  return outs ?? runKernel(jetActivationGradKernel, { z, bias, dh }, a);
}

/**
 * One fused hidden layer on a stacked jet: h = σ(z + bias on the value rows) by {@link jetActivationKernel}, then
 * h·w — returns the next pre-activation [S·N, out]. The gradient is hand-written: dw = hᵀ·dy, dh = dy·wᵀ, then
 * {@link jetActivationGradKernel} for dz and dbias. First-order gradients only (the backward is not itself
 * differentiable: use `jetActivate` to differentiate a jet twice).
 */
export function jetActivationDense(
  z: tf.Tensor2D,
  bias: tf.Tensor1D,
  w: tf.Tensor2D,
  attrs: JetActivationAttrs,
): tf.Tensor2D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [zi, bi, wi, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.GradSaveFunc];
    const h = activate(zi, bi, attrs);
    save([zi, bi, wi, h]);
    return {
      value: tf.matMul(h, wi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, bs, ws, hs] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor2D];
        const dw = tf.matMul(hs, dy as tf.Tensor2D, true, false);
        const dh = tf.matMul(dy as tf.Tensor2D, ws, false, true) as tf.Tensor2D;
        const [dz, db] = activateGrad(zs, bs, dh, attrs) as [tf.Tensor, tf.Tensor];
        dh.dispose();
        return [dz, db, dw];
      },
    };
  });
  return op(z, bias, w) as tf.Tensor2D;
}
