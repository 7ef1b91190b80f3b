import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';

/*
 * Multi-threaded tfjs-backend-wasm in Node.
 *
 * tfjs 4.22 ships the threaded SIMD build (`wasm-out/tfjs-backend-wasm-threaded-simd.{js,wasm}`) but never uses it
 * in Node: its `WASM_HAS_MULTITHREAD_SUPPORT` flag is false there, and forcing the flag fails because tfjs hands
 * emscripten `blob:` URLs for the pthread worker script and for the main script, which Node's `Worker` refuses
 * (ERR_WORKER_PATH). The emscripten glue itself supports Node (worker_threads, fs-based importScripts), so this
 * module starts that build with what Node accepts:
 *  - the pthread worker is a `data:` URL holding a tiny ES module that evaluates tfjs' own worker script
 *    (`wasmWorkerContents`, read from the installed package) with `require`/`__filename` defined;
 *  - the main script is given as the glue's file path (the worker reads it with fs);
 *  - the binary is instantiated here so the `emscripten_num_logical_cores` import can be answered: tfjs caps the
 *    XNNPACK pool at `logical cores / 2` (a static initialiser), which is 1 on a 2-core machine;
 *  - of the 8 workers emscripten pre-spawns, only `threads` are kept (XNNPACK's pool takes threads - 1);
 *  - XNNPACK's pool threads live as long as the backend and emscripten `ref()`s their workers, which would keep
 *    Node from exiting: they are `unref()`ed once the pool exists (the idle spare already is).
 */

/** Most threads tfjs-backend-wasm can use: its emscripten build pre-spawns 8 pthread workers. */
export const WASM_MAX_THREADS = 8;

/** One wasm thread per core available to this process, at most {@link WASM_MAX_THREADS}. */
export function wasmThreadsForCores(): number {
  return clampThreads(availableParallelism());
}

/** What {@link configureNodeWasm} set up. */
export interface NodeWasmSetup {
  /** Threads asked for (after clamping to 1…{@link WASM_MAX_THREADS}). */
  requested: number;
  /** Threads the backend will run with: `requested`, or 1 when the threaded build could not start. */
  threads: number;
  /** Which tfjs build backs `wasm`: the threaded SIMD one or tfjs' stock (single-threaded) choice. */
  build: 'threaded-simd' | 'stock';
  /** Why the threaded build was not used although more than one thread was asked for. */
  fallbackReason?: string;
}

type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');
type BackendModule = ConstructorParameters<WasmPackage['BackendWasm']>[0];
type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

/** The emscripten worker objects (Node `Worker`s with the fields emscripten adds). */
type PthreadWorker = Worker & { onerror?: (e: unknown) => void };

/** The parts of the emscripten module this file touches. */
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { unusedWorkers: PthreadWorker[]; runningWorkers: PthreadWorker[] };
  tfjs?: Record<string, (...a: number[]) => number>;
}

type ModuleFactory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

/** tfjs-backend-wasm registers `wasm` with this priority. */
const WASM_PRIORITY = 2;
/** Upper bound for starting the threaded module (8 workers load the glue and instantiate the module). */
const START_TIMEOUT_MS = 60_000;

let stockFactory: BackendFactory | null = null;
let current: NodeWasmSetup | null = null;
let pending: Promise<NodeWasmSetup> | null = null;

function clampThreads(n: number): number {
  return Math.max(1, Math.min(Math.floor(n), WASM_MAX_THREADS));
}

function wasmPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** The pthread worker: an ES module (data: URL) that runs tfjs' worker script with CommonJS globals defined. */
function workerUrl(pkgDir: string, gluePath: string): URL {
  const source = [
    "import { createRequire } from 'node:module';",
    `const require = createRequire(${JSON.stringify(join(pkgDir, 'package.json'))});`,
    'globalThis.require = require;',
    `globalThis.__filename = ${JSON.stringify(gluePath)};`,
    "const { wasmWorkerContents } = require('./wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');",
    // tfjs escapes the newlines inside the script's string literals the same way before making its Blob.
    "(0, eval)(wasmWorkerContents.replace(/\\n/g, '\\\\n'));",
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** Starts the threaded SIMD build with `threads` XNNPACK threads; resolves once all pool workers are loaded. */
async function startThreadedModule(threads: number): Promise<ThreadedModule> {
  const pkgDir = wasmPackageDir();
  const gluePath = join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const binary = await readFile(join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.wasm'));
  const factory = createRequire(import.meta.url)(gluePath) as ModuleFactory;
  const worker = workerUrl(pkgDir, gluePath);
  const handlers = new Map<PthreadWorker, PthreadWorker['onerror']>();
  let fail: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const config: Record<string, unknown> & { PThread?: ThreadedModule['PThread'] } = {
    mainScriptUrlOrBlob: gluePath,
    locateFile: (path: string, prefix: string) => (path.endsWith('.worker.js') ? worker : prefix + path),
    instantiateWasm(
      imports: { env: Record<string, unknown> },
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) {
      // tfjs sizes the pool as min(requested, logical cores / 2): report enough cores for `threads`.
      imports.env.emscripten_num_logical_cores = () => 2 * threads;
      WebAssembly.instantiate(binary, imports as WebAssembly.Imports).then(({ instance, module }) => {
        receive(instance, module);
        // emscripten's worker error handler throws (an uncaught exception); while starting, reject instead.
        for (const w of config.PThread?.unusedWorkers ?? []) {
          handlers.set(w, w.onerror);
          w.onerror = fail;
        }
      }, fail);
      return {};
    },
    onAbort: (what: unknown) => fail(new Error(`threaded wasm aborted: ${String(what)}`)),
  };
  const ready = factory(config);
  // emscripten pre-spawns 8 workers (created synchronously, loaded once the module is instantiated). XNNPACK's
  // pool needs threads - 1 of them; keep one spare and stop the rest before they load (~10 MB and time each).
  const pool = config.PThread?.unusedWorkers ?? [];
  for (const w of pool.splice(threads)) void w.terminate();
  // A worker that fails to start rejects the start.
  const workers = [...pool];
  const onError = (err: unknown) => fail(err);
  const onExit = (code: number) =>
    fail(new Error(`a pthread worker exited with code ${code} while starting`));
  for (const w of workers) w.on('error', onError).on('exit', onExit);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`threaded wasm did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    timer.unref();
  });
  try {
    const module = await Promise.race([ready, failed, timeout]);
    for (const [w, handler] of handlers) w.onerror = handler; // back to emscripten's handler
    return module;
  } catch (err) {
    for (const w of workers) void w.terminate();
    ready.catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
    for (const w of workers) w.off('error', onError).off('exit', onExit);
  }
}

/** tfjs' JS bridge to the C API, as tfjs-backend-wasm's own init builds it. */
function addBridge(module: ThreadedModule): void {
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

function threadedFactory(pkg: WasmPackage, threads: number, first: ThreadedModule): BackendFactory {
  let prepared: ThreadedModule | null = first;
  return async () => {
    // A disposed backend terminated its workers, so a re-created one needs a fresh module.
    const module = prepared ?? (await startThreadedModule(threads));
    prepared = null;
    addBridge(module);
    pkg.setThreadsCount(threads);
    const backend = new pkg.BackendWasm(module as unknown as BackendModule); // creates the XNNPACK pool
    for (const w of module.PThread.runningWorkers) w.unref();
    return backend;
  };
}

function register(factory: BackendFactory): void {
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
}

async function configure(pkg: WasmPackage, requested: number): Promise<NodeWasmSetup> {
  if (requested > 1) {
    try {
      if (typeof SharedArrayBuffer === 'undefined') throw new Error('SharedArrayBuffer is not available');
      if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')))
        throw new Error('the threaded build needs WebAssembly SIMD, which this runtime lacks');
      const first = await startThreadedModule(requested);
      register(threadedFactory(pkg, requested, first));
      return { requested, threads: requested, build: 'threaded-simd' };
    } catch (err) {
      register(stockFactory!);
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
      return { requested, threads: 1, build: 'stock', fallbackReason: reason };
    }
  }
  register(stockFactory!);
  return { requested, threads: 1, build: 'stock' };
}

/**
 * Registers tfjs' `wasm` backend for Node with `threads` XNNPACK threads (clamped to 1…8). More than one uses
 * tfjs' threaded SIMD build, started with worker_threads; if that cannot start, the stock single-threaded build
 * is registered and the reason returned. Call before `tf.setBackend('wasm')`; calling again with another count
 * disposes an initialised `wasm` backend (and its tensors). Results are identical for every count; speed is not:
 * see the README (threads pay off for large matmuls, and cost time on workloads of many small ops).
 */
export async function configureNodeWasm(options: { threads: number }): Promise<NodeWasmSetup> {
  const requested = clampThreads(options.threads);
  while (pending) await pending.catch(() => {});
  if (current && current.requested === requested) return current;
  const pkg = await import('@tensorflow/tfjs-backend-wasm');
  stockFactory ??= tf.findBackendFactory('wasm') as BackendFactory | null;
  if (!stockFactory) throw new Error("tfjs-backend-wasm did not register a 'wasm' backend");
  pending = configure(pkg, requested);
  try {
    current = await pending;
    return current;
  } finally {
    pending = null;
  }
}
