import { nodeBackendLoaders } from '@paperlab/core/node';
import { ensureBackend } from '@paperlab/core/runs';

/** Activates the wasm backend (the backend the papers run on). */
export async function useWasm(): Promise<void> {
  await ensureBackend('wasm', { backends: nodeBackendLoaders(), platform: 'node' });
}
