/** @paperlab/core/kernels — custom ops with per-backend implementations, backend selection and wasm patches. */
export { type BrowserLoaderOptions, browserBackendLoaders } from '../backends/browserLoaders.js';
export {
  BackendError,
  type BackendLoader,
  type BackendLoadResult,
  type Platform,
  selectBackend,
} from '../backends/select.js';
export { installWasmKernels, WASM_STILL_MISSING, type WasmPatches } from '../backends/wasm/install.js';
/** Encodings for WebAssembly modules assembled from bytes (LEB128, sections, header) and a guarded compile. */
export * as wasmAssembly from '../backends/wasm/wasmAssembly.js';
export {
  CSR_MATMUL_KERNEL,
  type CsrTensors,
  csrTimesDense,
  wasmCsrMatMul,
  wasmCsrMatMulAvailable,
} from './csr.js';
export {
  type AnyKernelSpec,
  availableImpls,
  chooseImpl,
  defineKernel,
  fromHost,
  type HostInputs,
  type HostOutput,
  type HostTensor,
  type KernelImpl,
  type KernelSpec,
  type RunKernelOptions,
  runKernel,
  toHost,
  toTfjsProgram,
  type WebGPUKernelContext,
  type WgslProgram,
  wgslUniforms,
} from './kernelSpec.js';
