import type { BackendLoader } from './select.js';

/** Options of {@link browserBackendLoaders}. */
export interface BrowserLoaderOptions {
  /** Base URL where the tfjs-backend-wasm `.wasm` files are served (the bundler's asset URL). */
  wasmPaths?: string | Record<string, string>;
  /** Number of wasm threads (needs cross-origin isolation). */
  wasmThreads?: number;
}

/** Backends in a browser, in `auto` order: webgpu → webgl → wasm → cpu. */
export function browserBackendLoaders(options: BrowserLoaderOptions = {}): BackendLoader[] {
  return [
    {
      name: 'webgpu',
      async load() {
        const nav = globalThis.navigator as
          | (Navigator & { gpu?: { requestAdapter(): Promise<unknown> } })
          | undefined;
        if (!nav?.gpu) throw new Error('navigator.gpu is not available in this browser');
        const adapter = await nav.gpu.requestAdapter();
        if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter');
        await import('@tensorflow/tfjs-backend-webgpu');
        return undefined;
      },
    },
    {
      name: 'webgl',
      async load() {
        await import('@tensorflow/tfjs-backend-webgl');
        return undefined;
      },
    },
    {
      name: 'wasm',
      async load() {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths as string);
        if (options.wasmThreads) wasm.setThreadsCount(options.wasmThreads);
        return undefined;
      },
    },
    {
      name: 'cpu',
      async load() {
        await import('@tensorflow/tfjs-backend-cpu');
        return undefined;
      },
    },
  ];
}
