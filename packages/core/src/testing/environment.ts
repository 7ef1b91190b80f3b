import type { PaperlabPlugin } from '../contracts/plugin.js';
import type { DataSources } from '../contracts/runContext.js';
import { nodeBackendLoaders } from '../node/backends.js';
import { nodeDataSources } from '../node/dataSources.js';
import { createLab } from '../registry/lab.js';
import { MemoryRunStore } from '../runs/memoryStore.js';
import { ensureBackend, type RunEnvironment } from '../runs/runner.js';
import type { RunStore } from '../runs/store.js';

/**
 * A RunEnvironment for tests: the given plugins in a fresh Lab, a run store (default in memory), Node's data sources,
 * and the backend (default `wasm`) already active.
 */
export async function createTestEnvironment(
  plugins: PaperlabPlugin[],
  options: { backend?: string; data?: DataSources; store?: RunStore } = {},
): Promise<RunEnvironment> {
  const env: RunEnvironment = {
    lab: await createLab({ plugins }),
    store: options.store ?? new MemoryRunStore(),
    data: options.data ?? nodeDataSources(),
    backends: nodeBackendLoaders(),
    platform: 'node',
  };
  await ensureBackend(options.backend ?? 'wasm', env);
  return env;
}
