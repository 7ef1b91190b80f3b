import { cpus, hostname } from 'node:os';
import { renderPlots } from '../plots/render.js';
import type { Lab } from '../registry/lab.js';
import type { RunSink } from '../runs/events.js';
import type { RunEnvironment } from '../runs/runner.js';
import type { RunStore } from '../runs/store.js';
import { nodeBackendLoaders } from './backends.js';
import { type NodeDataOptions, nodeDataSources } from './dataSources.js';
import { FsRunStore, nodeLivenessProbe } from './fsRunStore.js';

/** Options of {@link createNodeEnvironment}. */
export interface NodeEnvironmentOptions {
  lab: Lab;
  /** Run store; default `FsRunStore` at `.paperlab/runs`. */
  store?: RunStore;
  data?: NodeDataOptions;
  signal?: AbortSignal;
  sink?: RunSink;
  /** Render plots to SVG into the run's `plots/` (default true). */
  plots?: boolean;
  /** Threads of the `wasm` backend or `cores` (default: `$PAPERLAB_WASM_THREADS`, else 1). */
  wasmThreads?: number | 'cores';
}

/** A RunEnvironment for Node: fs store, local data sources, Node backends, vega SVG plots. */
export function createNodeEnvironment(options: NodeEnvironmentOptions): RunEnvironment {
  const env: RunEnvironment = {
    lab: options.lab,
    store: options.store ?? new FsRunStore(),
    data: nodeDataSources(options.data),
    backends: nodeBackendLoaders(
      options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads },
    ),
    platform: 'node',
    versions: { node: process.version },
    host: { platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
    process: { pid: process.pid, hostname: hostname() },
    probe: nodeLivenessProbe(),
  };
  if (options.signal) env.signal = options.signal;
  if (options.sink) env.sink = options.sink;
  if (options.plots !== false) env.renderPlots = renderPlots;
  return env;
}
