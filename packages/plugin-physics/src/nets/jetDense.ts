import {
  type AnyKernelSpec,
  chooseImpl,
  fromHost,
  type HostTensor,
  runKernel,
  toHost,
} from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';
import {
  type JetActivationAttrs,
  jetActivationGradKernel,
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

/**
 * A float32 tensor's values for a typed-array kernel: on the wasm backend a view of its wasm memory (no copy, no
 * garbage; valid while nothing allocates wasm memory, which a typed-array kernel does not), elsewhere `dataSync`.
 */
function hostView(t: tf.Tensor): HostTensor {
  const wasm = tf.backend() as unknown as { typedArrayFromHeap?(info: tf.TensorInfo): Float32Array };
  if (tf.getBackend() === 'wasm' && wasm.typedArrayFromHeap && t.dtype === 'float32')
    return { shape: [...t.shape], values: wasm.typedArrayFromHeap(t) };
  return toHost(t);
}

/** `runKernel`, but a typed-array implementation reads its inputs in place ({@link hostView}) instead of copies. */
function runInPlace<O extends tf.Tensor | tf.Tensor[]>(
  spec: AnyKernelSpec,
  inputs: Record<string, tf.Tensor>,
  attrs: unknown,
): O {
  if (chooseImpl(spec) !== 'cpu') return runKernel(spec, inputs, attrs) as O;
  const host: Record<string, HostTensor> = {};
  for (const [key, t] of Object.entries(inputs)) host[key] = hostView(t);
  return fromHost(spec.cpu!(host, attrs)) as O;
}

/**
 * One fused hidden layer on a stacked jet: h = σ(z + bias on the value rows) by {@link jetActivationKernel}, then
 * h·w — returns the next pre-activation [S·N, out]. The gradient is hand-written: dw = hᵀ·dy (hᵀ from the forward
 * kernel), dh = dy·wᵀ, then {@link jetActivationGradKernel} for dz and dbias. First-order gradients only (the
 * backward is not itself differentiable: use `jetActivate` to differentiate a jet twice).
 */
export function jetActivationDense(
  z: tf.Tensor2D,
  bias: tf.Tensor1D,
  w: tf.Tensor2D,
  attrs: JetActivationAttrs,
): tf.Tensor2D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [zi, bi, wi, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.GradSaveFunc];
    const [h, ht] = runInPlace<[tf.Tensor2D, tf.Tensor2D]>(jetActivationKernel, { z: zi, bias: bi }, attrs);
    save([zi, bi, wi, ht]);
    return {
      value: tf.matMul(h, wi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, bs, ws, hts] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor2D];
        const dw = tf.matMul(hts, dy as tf.Tensor2D);
        const dh = tf.matMul(dy as tf.Tensor2D, ws, false, true);
        const [dz, db] = runInPlace<[tf.Tensor, tf.Tensor]>(
          jetActivationGradKernel,
          { z: zs, bias: bs, dh },
          attrs,
        );
        dh.dispose();
        return [dz, db, dw];
      },
    };
  });
  return op(z, bias, w) as tf.Tensor2D;
}
