import * as tf from '@tensorflow/tfjs-core';
import {
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
} from './convBackprop.js';
import { einsumConfig } from './einsum.js';
import { materialisedTransposeMatMul } from './matMul.js';
import { unsortedSegmentSumConfig } from './segmentSum.js';

/** Kernels tfjs-backend-wasm 4.22 lacks that paperlab adds. */
const ADDED: tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
  einsumConfig,
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
 * kernels and replaces BatchMatMul/_FusedMatMul with versions that materialise transposes. Idempotent.
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
  for (const name of ['BatchMatMul', '_FusedMatMul'] as const) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) continue;
    replaced.push(original);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(materialisedTransposeMatMul(name, original));
    patches.push(`~${name}(materialised transpose)`);
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
