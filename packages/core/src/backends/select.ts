import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '../contracts/runContext.js';
import { PaperlabError } from '../util/errors.js';
import { registerGradients } from './gradients.js';
import { installWasmKernels } from './wasm/install.js';

/** What a loader reports once its backend is registered. */
export interface BackendLoadResult {
  details?: Record<string, string | number | boolean>;
}

/** Makes one tfjs backend available (imports its package, configures it). */
export interface BackendLoader {
  /** tfjs backend name it registers. */
  name: string;
  /** Imports and configures the backend; throws with a readable reason when it cannot. */
  load(): Promise<BackendLoadResult | undefined>;
}

/** Where the process runs: decides the `auto` order. */
export type Platform = 'node' | 'browser';

/** A backend could not be started. */
export class BackendError extends PaperlabError {
  constructor(message: string) {
    super('E_BACKEND', message);
  }
}

function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.slice(0, 240);
}

/**
 * Activates a backend. `auto` tries the loaders in order and records each one skipped, with why;
 * a named backend that cannot start is an error, never a silent fallback.
 */
export async function selectBackend(
  requested: string,
  loaders: readonly BackendLoader[],
  platform: Platform,
): Promise<BackendInfo> {
  const candidates = requested === 'auto' ? loaders : loaders.filter((l) => l.name === requested);
  if (candidates.length === 0) {
    throw new BackendError(
      `Unknown backend '${requested}'. Available here: auto, ${loaders.map((l) => l.name).join(', ')}`,
    );
  }
  await registerGradients(platform);
  const fallbacks: BackendInfo['fallbacks'] = [];
  for (const loader of candidates) {
    let result: BackendLoadResult | undefined;
    try {
      result = await loader.load();
      const ok = await tf.setBackend(loader.name);
      if (!ok) throw new Error(`tf.setBackend('${loader.name}') returned false (initialisation failed)`);
      await tf.ready();
    } catch (err) {
      const reason = reasonOf(err);
      if (requested !== 'auto')
        throw new BackendError(`Backend '${requested}' could not be started: ${reason}`);
      fallbacks.push({ backend: loader.name, reason });
      continue;
    }
    const info: BackendInfo = {
      name: tf.getBackend(),
      requested,
      fallbacks,
      patches: [],
      platform,
      details: { tfjs: tf.version_core, ...(result?.details ?? {}) },
    };
    if (info.name === 'cpu') {
      // tfjs-backend-cpu prints a "use tfjs-node" banner on first use; the choice is already recorded.
      (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
    }
    if (info.name === 'wasm') {
      info.patches = installWasmKernels().patches;
      // tfjs-backend-wasm registers no WASM_NUM_THREADS flag (reading it throws); the backend knows.
      const wasmBackend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
      const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
      info.threads = threads ? (wasmBackend.wasm?.tfjs?.getThreadsCount?.() ?? 1) : 1;
      info.details = { ...info.details, simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT') };
    }
    return info;
  }
  throw new BackendError(
    `No backend could be started:\n${fallbacks.map((f) => `  - ${f.backend}: ${f.reason}`).join('\n')}`,
  );
}
