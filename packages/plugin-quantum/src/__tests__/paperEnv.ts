import {
  createLab,
  ensureBackend,
  MemoryRunStore,
  type RunEnvironment,
  type RunOutcome,
  runExperiment,
} from '@paperlab/core';
import { nodeBackendLoaders, nodeDataSources } from '@paperlab/core/node';
import plugin from '../index.js';

/** A run environment with this plugin, Node data sources and the wasm backend ready. */
export async function paperEnv(): Promise<RunEnvironment> {
  const env: RunEnvironment = {
    lab: await createLab({ plugins: [plugin] }),
    store: new MemoryRunStore(),
    data: nodeDataSources(),
    backends: nodeBackendLoaders(),
    platform: 'node',
  };
  await ensureBackend('wasm', env);
  return env;
}

/** Runs a preset of an experiment on wasm. */
export function runPreset(
  env: RunEnvironment,
  experiment: string,
  preset: string,
  seed: number,
): Promise<RunOutcome> {
  return runExperiment(env, { experiment, preset, seed, backend: 'wasm' });
}
