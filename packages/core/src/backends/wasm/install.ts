import * as tf from '@tensorflow/tfjs-core';
import { adamConfig } from './adam.js';
import { biasAddConfig } from './biasAdd.js';
import {
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
} from './convBackprop.js';
import { csrMatMulConfig } from './csrMatMul.js';
import { einsumConfig } from './einsum.js';
import { zeroCopyCastConfig, zeroCopyIdentityConfig } from './identity.js';
import { materialisedTransposeMatMul } from './matMul.js';
import { maxPoolGradConfig } from './maxPoolGrad.js';
import { unsortedSegmentSumConfig } from './segmentSum.js';
import { columnSumConfig } from './sum.js';

/** Kernels tfjs-backend-wasm 4.22 lacks that paperlab adds (the last two are paperlab's own fused ops). */
const ADDED: tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
  einsumConfig,
  csrMatMulConfig,
  adamConfig,
];

/** Stock wasm kernels replaced by faster ones: name, what replaces it (given the stock kernel), a label. */
const REPLACED: Array<[string, (original: tf.KernelConfig) => tf.KernelConfig, string]> = [
  ['BatchMatMul', (o) => materialisedTransposeMatMul('BatchMatMul', o), 'materialised transpose'],
  ['_FusedMatMul', (o) => materialisedTransposeMatMul('_FusedMatMul', o), 'materialised transpose'],
  ['Conv2DBackpropInput', (o) => conv2DBackpropInputConfig(o), 'flipped-filter conv'],
  ['MaxPoolGrad', () => maxPoolGradConfig, 'SIMD / typed arrays'],
  ['Sum', (o) => columnSumConfig(o), 'SIMD column sums'],
  ['Add', (o) => biasAddConfig(o), 'SIMD bias add'],
  ['Identity', (o) => zeroCopyIdentityConfig(o), 'zero-copy'],
  ['Cast', (o) => zeroCopyCastConfig(o), 'zero-copy to the same dtype'],
];

/** Kernels wasm still lacks after the patches (documented; none is needed for training). */
export const WASM_STILL_MISSING = [
  'Complex',
  'ComplexAbs',
  'Real',
  'Imag',
  'FFT',
  'IFFT',
  'Draw',
  'RaggedGather',
  'RaggedRange',
  'RaggedTensorToTensor',
  'StaticRegexReplace',
] as const;

/** Handle returned by {@link installWasmKernels}. */
export interface WasmPatches {
  /** Names of what was added or replaced, for the run record. */
  patches: string[];
  /** Restores stock tfjs-wasm (used by the benchmark to measure the baseline in the same process). */
  uninstall(): void;
}

let installed: WasmPatches | null = null;

/**
 * Makes the wasm backend complete and fast for training: registers the missing gradient and aggregation
 * kernels, replaces BatchMatMul/_FusedMatMul with versions that materialise transposes, and replaces the slow
 * stock Conv2DBackpropInput and MaxPoolGrad (also the bias add and its gradient — Add of a [C] bias, Sum over
 * leading axes — and Identity and same-dtype Cast, which share their input's buffer instead of copying it).
 * Idempotent.
 */
export function installWasmKernels(): WasmPatches {
  if (installed) return installed;
  const patches: string[] = [];
  const replaced: tf.KernelConfig[] = [];
  for (const config of ADDED) {
    if (tf.getKernel(config.kernelName, 'wasm')) continue;
    tf.registerKernel(config);
    patches.push(`+${config.kernelName}`);
  }
  for (const [name, replace, label] of REPLACED) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) continue;
    replaced.push(original);
    tf.unregisterKernel(name, 'wasm');
    const config = { ...replace(original) };
    // The stock kernel's setup binds its wasm function for every new backend; keep it for fallbacks.
    if (original.setupFunc) config.setupFunc = original.setupFunc;
    if (original.disposeFunc) config.disposeFunc = original.disposeFunc;
    tf.registerKernel(config);
    patches.push(`~${name}(${label})`);
  }
  const handle: WasmPatches = {
    patches,
    uninstall() {
      for (const p of patches) {
        const name = p.slice(1).replace(/\(.*$/, '');
        tf.unregisterKernel(name, 'wasm');
      }
      for (const original of replaced) tf.registerKernel(original);
      installed = null;
    },
  };
  installed = handle;
  return handle;
}
