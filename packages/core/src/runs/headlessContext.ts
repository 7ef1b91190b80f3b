import type { DataSources, RunContext } from '../contracts/runContext.js';
import { Rng } from '../rng/rng.js';
import { StoreCheckpointer } from './checkpointer.js';
import { MemoryRunStore } from './memoryStore.js';

/** Options of {@link createHeadlessContext}. */
export interface HeadlessContextOptions {
  seed?: number;
  data?: DataSources;
  signal?: AbortSignal;
  /** Receives logged scalars. */
  onScalars?: (values: Record<string, number>, step: number) => void;
}

const noData: DataSources = {
  describe: () => [],
  open: async (name) => {
    throw new Error(`headless context has no data sources (asked for '${name}')`);
  },
};

/**
 * A RunContext outside any run (unit tests, benchmarks, notebooks): seeded RNG, in-memory checkpoints and
 * artifacts, silent progress, no data sources unless given.
 */
export async function createHeadlessContext(options: HeadlessContextOptions = {}): Promise<RunContext> {
  const store = new MemoryRunStore();
  const runId = 'headless';
  const ctx: RunContext = {
    runId,
    rng: new Rng(options.seed ?? 0),
    backend: { name: 'headless', requested: 'headless', fallbacks: [], patches: [], platform: 'node' },
    log: {
      scalars: (values, step) => options.onScalars?.(values, step),
      info: () => {},
      warn: () => {},
    },
    progress: { task: () => ({ tick: () => {}, done: () => {} }) },
    signal: options.signal ?? new AbortController().signal,
    checkpoint: new StoreCheckpointer(store, runId, false),
    artifacts: {
      write: (name, data) => store.putFile(runId, `artifacts/${name}`, data),
      read: (name) => store.getFile(runId, `artifacts/${name}`),
      list: async () => (await store.listFiles(runId, 'artifacts')).map((p) => p.slice(10)),
    },
    data: options.data ?? noData,
  };
  return ctx;
}
