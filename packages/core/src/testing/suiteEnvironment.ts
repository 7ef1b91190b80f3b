import { beforeAll } from 'vitest';
import type { PaperlabPlugin } from '../contracts/plugin.js';
import type { DataSources } from '../contracts/runContext.js';
import type { RunEnvironment } from '../runs/runner.js';
import type { RunStore } from '../runs/store.js';
import { createTestEnvironment } from './environment.js';

/**
 * The test environment of the enclosing `describe`: created by {@link createTestEnvironment} in a `beforeAll` of
 * that block, so it is ready when its tests run (`const env = suiteEnvironment([plugin]);`).
 */
export function suiteEnvironment(
  plugins: PaperlabPlugin[],
  options: { backend?: string; data?: DataSources; store?: RunStore } = {},
): RunEnvironment {
  const env = {} as RunEnvironment;
  beforeAll(async () => {
    Object.assign(env, await createTestEnvironment(plugins, options));
  });
  return env;
}
