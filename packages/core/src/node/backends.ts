import type { BackendLoader } from '../backends/select.js';
import { configureNodeWasm, wasmThreadsForCores } from './wasmThreads.js';

/** Options of {@link nodeBackendLoaders}. */
export interface NodeBackendOptions {
  /**
   * XNNPACK threads of the `wasm` backend, or `cores` (one per available core, at most 8). Default:
   * `$PAPERLAB_WASM_THREADS`, else 1 (tfjs' stock single-threaded build). More than one uses tfjs' threaded
   * build through worker_threads: ~1.9× on large matmuls with 2 free cores, slower on many small ops.
   */
  wasmThreads?: number | 'cores';
}

/** Resolves the wasm thread count: the option, else `$PAPERLAB_WASM_THREADS`, else 1. */
function resolveWasmThreads(option: number | 'cores' | undefined): number {
  const raw = option ?? process.env.PAPERLAB_WASM_THREADS ?? '';
  if (raw === '') return 1;
  if (raw === 'cores') return wasmThreadsForCores();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(
      `wasm threads must be a positive integer or 'cores' (PAPERLAB_WASM_THREADS), got '${String(raw)}'`,
    );
  return n;
}

/** Options of {@link initNodeWebGPU}. */
export interface NodeWebGPUOptions {
  /** Dawn backend toggle; `opengles` works on Mesa's software drivers. */
  dawnBackend?: string;
  /** Adapter feature level (`compatibility` for OpenGL ES). */
  featureLevel?: 'core' | 'compatibility';
}

let webgpuInit: Promise<string> | null = null;

/**
 * Provides `navigator.gpu` in Node through the `webgpu` package (Dawn) so tfjs-backend-webgpu and WGSL
 * kernels can run; on machines without a GPU Dawn uses Mesa's OpenGL ES (slow but real).
 * Resolves to the adapter description; rejects when no adapter exists.
 */
export function initNodeWebGPU(options: NodeWebGPUOptions = {}): Promise<string> {
  webgpuInit ??= (async () => {
    if (!process.env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
    let mod: { create(flags: string[]): GPU; globals: Record<string, unknown> };
    try {
      mod = (await import('webgpu')) as unknown as typeof mod;
    } catch (err) {
      throw new Error(
        `the optional 'webgpu' package is not installed (npm i webgpu): ${(err as Error).message}`,
      );
    }
    const g = globalThis as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(mod.globals)) if (!(k in g)) g[k] = v;
    const gpu = mod.create([`backend=${options.dawnBackend ?? 'opengles'}`]);
    const request = gpu.requestAdapter.bind(gpu);
    const level = options.featureLevel ?? 'compatibility';
    (gpu as { requestAdapter: GPU['requestAdapter'] }).requestAdapter = (o?: GPURequestAdapterOptions) =>
      request({ ...(o ?? {}), featureLevel: level } as GPURequestAdapterOptions);
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter (Dawn found no usable OpenGL ES/Vulkan driver)');
    const nav = (g.navigator ?? {}) as Record<string, unknown>;
    try {
      Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
      if (!g.navigator)
        Object.defineProperty(g, 'navigator', { value: nav, configurable: true, writable: true });
    } catch {
      g.navigator = { ...nav, gpu };
    }
    const info = (adapter as { info?: { vendor?: string; architecture?: string; description?: string } })
      .info;
    return (
      [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') ||
      'WebGPU adapter (Dawn)'
    );
  })();
  webgpuInit.catch(() => {
    webgpuInit = null;
  });
  return webgpuInit;
}

async function importOptional(name: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new Error(`${name} is not installed`);
    throw err;
  }
}

/**
 * Backends in Node. `auto` order: tensorflow (tfjs-node-gpu → CUDA, else tfjs-node), wasm, cpu.
 * `webgpu` (Dawn, software on GPU-less machines) is available when asked for by name.
 */
export function nodeBackendLoaders(options: NodeBackendOptions = {}): BackendLoader[] {
  return [
    {
      name: 'tensorflow',
      async load() {
        const reasons: string[] = [];
        for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
          try {
            await importOptional(pkg);
            return { details: { binding: pkg } };
          } catch (err) {
            reasons.push((err as Error).message.split('\n')[0]!);
          }
        }
        throw new Error(
          `${reasons.join('; ')} (optional peers; install one where its binaries can be downloaded)`,
        );
      },
    },
    {
      name: 'wasm',
      async load() {
        const setup = await configureNodeWasm({ threads: resolveWasmThreads(options.wasmThreads) });
        const details: Record<string, string | number> = { wasmBuild: setup.build };
        if (setup.fallbackReason) details.wasmThreadsFallback = setup.fallbackReason;
        return { threads: setup.threads, details };
      },
    },
    {
      name: 'cpu',
      async load() {
        await import('@tensorflow/tfjs-backend-cpu');
        return undefined;
      },
    },
    {
      name: 'webgpu',
      async load() {
        const adapter = await initNodeWebGPU();
        await import('@tensorflow/tfjs-backend-webgpu');
        return { details: { adapter } };
      },
    },
  ];
}

/** The loaders `auto` tries in Node (everything except the explicit-only webgpu). */
export function nodeAutoLoaders(options: NodeBackendOptions = {}): BackendLoader[] {
  return nodeBackendLoaders(options).filter((l) => l.name !== 'webgpu');
}
