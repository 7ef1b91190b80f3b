import type * as tf from '@tensorflow/tfjs-core';
import { callWasm, release, swapLastTwo, type WasmBackendLike, wasmKernel } from './kernelCalls.js';
import { gemmScratchBytes, gemmTN, type SimdKernels, simdKernelsFor } from './simdKernels.js';

const size = (info: tf.TensorInfo) => info.shape.reduce((a, b) => a * b, 1);

/**
 * Wraps wasm's BatchMatMul / _FusedMatMul so no transposed operand reaches XNNPACK, whose transposed path is
 * 15–30× slower (and every matmul gradient takes it). Each case uses the cheaper of two identities, counted
 * in elements moved by the wasm Transpose kernel:
 *   A·Bᵀ: transpose B, or (B·Aᵀ)ᵀ — transpose A and the result (wins when B is a big weight matrix);
 *   Aᵀ·B: transpose A, or (Bᵀ·A)ᵀ;  Aᵀ·Bᵀ: transpose both, or (B·A)ᵀ.
 * Fused bias/activation only commute with the plain form, so _FusedMatMul always materialises operands.
 * Aᵀ·B of BatchMatMul (same batch, float32, outputs up to {@link GEMM_TN_MAX_OUTPUT} entries) skips both: the
 * wasm helper's gemmTN reads A as it is ({@link transposedATimesB}) — every weight gradient xᵀ·g of a dense layer.
 */
export function materialisedTransposeMatMul(
  name: 'BatchMatMul' | '_FusedMatMul',
  original: tf.KernelConfig,
): tf.KernelConfig {
  const config = wasmKernel(name, ({ inputs, backend, attrs }, wasm) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    const temps: tf.TensorInfo[] = [];
    const t = (x: tf.TensorInfo) => {
      const out = callWasm('Transpose', wasm, { x }, { perm: swapLastTwo(x.shape.length) });
      temps.push(out);
      return out;
    };
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const run = (x: tf.TensorInfo, y: tf.TensorInfo) =>
      original.kernelFunc({ inputs: { ...inputs, a: x, b: y }, backend, attrs: plain }) as tf.TensorInfo;
    const sameBatch =
      a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    if (name === 'BatchMatMul' && transposeA && !transposeB && sameBatch) {
      const simd = simdKernelsFor(wasm.wasm);
      if (simd && gemmPays(a, b)) return transposedATimesB(wasm, simd, a, b);
    }
    const outRows = a.shape[a.shape.length - (transposeA ? 1 : 2)]!;
    const outCols = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
    const outSize =
      (size(a) / (a.shape[a.shape.length - 1]! * a.shape[a.shape.length - 2]!)) * outRows * outCols;
    const direct = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0);
    const swapped = (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + outSize;
    let out: tf.TensorInfo;
    if (name === 'BatchMatMul' && sameBatch && swapped < direct) {
      // (op(A)·op(B))ᵀ = op(B)ᵀ·op(A)ᵀ, and op(X)ᵀ is X itself when op transposes.
      const bt = transposeB ? b : t(b);
      const at = transposeA ? a : t(a);
      const prod = run(bt, at);
      temps.push(prod);
      out = callWasm('Transpose', wasm, { x: prod }, { perm: swapLastTwo(prod.shape.length) });
    } else {
      out = run(transposeA ? t(a) : a, transposeB ? t(b) : b);
    }
    for (const tmp of temps) release(wasm, tmp);
    return out;
  });
  if (original.setupFunc) config.setupFunc = original.setupFunc;
  if (original.disposeFunc) config.disposeFunc = original.disposeFunc;
  return config;
}

/**
 * Outputs up to this many entries (K·N) per batch item take {@link transposedATimesB}. Measured on one-thread wasm
 * with fresh operands (`bench/src/tools/matMulTN.mjs`, CPU-time ratios old route / gemmTN over several runs on a
 * noisy shared machine): 4096×37ᵀ·4096×50 2.3–3.1×, 2048×128ᵀ·2048×128 2.3×, 64×32ᵀ·64×10 3.0×, 256×256ᵀ·256×256
 * 1.5×, 128×256ᵀ·128×10 1.5×, 1024×256ᵀ·1024×256 1.4–1.6×; above it mixed or worse: 128×784ᵀ·128×256 0.90–1.01×,
 * 512×512ᵀ·512×512 0.82–1.29×, 2048×512ᵀ·2048×512 0.61×, 128×1024ᵀ·128×1024 0.53× — XNNPACK's compute kernel
 * outruns the 2×16 register tile once the product is large enough to repay its packing of B.
 */
export const GEMM_TN_MAX_OUTPUT = 1 << 17;

let gemmOn = true;

/** Turns the gemmTN route of Aᵀ·B off (true → on); returns the previous setting. For A/B benchmarks and tests. */
export function useGemmTN(on: boolean): boolean {
  const previous = gemmOn;
  gemmOn = on;
  return previous;
}

/** Whether Aᵀ·B (A [..., P, K], B [..., P, N], float32) goes to {@link transposedATimesB}. */
function gemmPays(a: tf.TensorInfo, b: tf.TensorInfo): boolean {
  if (!gemmOn || a.dtype !== 'float32' || b.dtype !== 'float32') return false;
  const [P, K] = a.shape.slice(-2) as [number, number];
  const N = b.shape[b.shape.length - 1]!;
  const batch = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  return batch > 0 && P > 0 && K > 0 && N > 0 && K * N <= GEMM_TN_MAX_OUTPUT;
}

/**
 * Aᵀ·B for A [..., P, K], B [..., P, N] of the same batch, per batch item one {@link gemmTN} reading A by columns:
 * no transposed copy of A and no XNNPACK packing of the fresh B (the weight gradient xᵀ·g of every dense layer).
 */
function transposedATimesB(
  wasm: WasmBackendLike,
  simd: SimdKernels,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): tf.TensorInfo {
  const [P, K] = a.shape.slice(-2) as [number, number];
  const N = b.shape[b.shape.length - 1]!;
  const batch = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const out = wasm.makeOutput([...a.shape.slice(0, -2), K, N], 'float32');
  const scratch = wasm.makeOutput([gemmScratchBytes(K, N) / 4], 'float32');
  // Addresses after every allocation (growing the wasm memory moves nothing, but detaches older views).
  const at = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t).byteOffset;
  const [pa, pb, pc, ps] = [at(a), at(b), at(out), at(scratch)];
  for (let i = 0; i < batch; i++)
    gemmTN(simd, pa + i * P * K * 4, pb + i * P * N * 4, pc + i * K * N * 4, K, P, N, ps, 'columns');
  release(wasm, scratch);
  return out;
}
