import type { DataSources, RunContext } from '../contracts/runContext.js';
import { createLab } from '../registry/lab.js';
import { Rng } from '../rng/rng.js';
import { StoreCheckpointer } from '../runs/checkpointer.js';
import { MemoryRunStore } from '../runs/memoryStore.js';

/** Options of {@link createTestContext}. */
export interface TestContextOptions {
  seed?: number;
  data?: DataSources;
  signal?: AbortSignal;
  /** Receives logged scalars. */
  onScalars?: (values: Record<string, number>, step: number) => void;
}

const noData: DataSources = {
  describe: () => [],
  open: async (name) => {
    throw new Error(`test context has no data sources (asked for '${name}')`);
  },
};

/** A RunContext for unit tests: seeded RNG, in-memory checkpoints and artifacts, silent progress. */
export async function createTestContext(options: TestContextOptions = {}): Promise<RunContext> {
  const store = new MemoryRunStore();
  const lab = await createLab({ plugins: [] });
  const runId = 'test-run';
  let ctx: RunContext | undefined;
  ctx = {
    runId,
    rng: new Rng(options.seed ?? 0),
    backend: { name: 'test', requested: 'test', fallbacks: [], patches: [], platform: 'node' },
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
    components: lab.resolver(() => ctx!),
  };
  return ctx;
}
