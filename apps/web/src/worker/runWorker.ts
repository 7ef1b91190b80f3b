// The run worker: holds the Lab, the tfjs backend and the run store; the page only renders.
import {
  ConfigError,
  createLab,
  type Lab,
  PaperlabError,
  type RunEnvironment,
  RunInterruptedError,
  resumeRun,
  runExperiment,
} from '@paperlab/core';
import { renderPlots } from '@paperlab/core/plots';
import { resolveConfig } from '@paperlab/core/runs';
import plugins from '../../paperlab.plugins.js';
import { browserDataSources } from '../lib/browserDataSources.js';
import { buildCatalog } from '../lib/catalog.js';
import { IdbRunStore } from '../lib/idbRunStore.js';
import type { DataSettings, MainToWorker, WorkerToMain } from '../lib/protocol.js';
import { browserLoadersFor } from './verifiedBackends.js';
import { wasmPaths } from './wasmPaths.js';

/** The parts of the worker's global scope used here (the app type-checks against the DOM lib only). */
interface WorkerScope {
  postMessage(message: WorkerToMain): void;
  onmessage: ((event: MessageEvent<MainToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (message: WorkerToMain) => scope.postMessage(message);

const store = new IdbRunStore();
// wasm threads need cross-origin isolation (COOP/COEP); tfjs picks the thread count.
const backendNames = browserLoadersFor('auto', { wasmPaths }).map((l) => l.name);
let lab: Promise<Lab> | undefined;
let controller: AbortController | undefined;

const warnings: string[] = [];

/** The Lab with every plugin of paperlab.plugins.ts; a plugin whose setup throws is reported and skipped. */
async function loadLab(): Promise<{ lab: Lab; warnings: string[] }> {
  lab ??= (async () => {
    const l = await createLab({ plugins: [] });
    for (const plugin of plugins) {
      try {
        await l.use(plugin);
      } catch (err) {
        warnings.push(`${plugin.packageName || plugin.name}: ${(err as Error).message}`);
      }
    }
    return l;
  })();
  return { lab: await lab, warnings };
}

function environment(data: DataSettings, signal: AbortSignal, backend: string): Promise<RunEnvironment> {
  return loadLab().then(({ lab: l }) => ({
    lab: l,
    store,
    data: browserDataSources({ baseUrl: data.baseUrl, picked: data.picked }),
    backends: browserLoadersFor(backend, { wasmPaths }),
    platform: 'browser',
    signal,
    renderPlots,
    versions: { browser: navigator.userAgent },
    host: {
      platform: 'browser',
      userAgent: navigator.userAgent,
      cpus: navigator.hardwareConcurrency,
    },
    sink: {
      onHeader: (header) => post({ type: 'header', header }),
      onProgress: (event) => post({ type: 'progress', event }),
      onScalars: (values, step) => post({ type: 'scalars', values, step }),
      onLog: (level, message) => post({ type: 'log', level, message }),
    },
  }));
}

function postError(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  post({
    type: 'error',
    message: e.message,
    ...(err instanceof PaperlabError ? { code: err.code } : {}),
    ...(err instanceof ConfigError ? { issues: err.issues } : {}),
  });
}

async function execute(
  start: (env: RunEnvironment) => ReturnType<typeof runExperiment>,
  data: DataSettings,
  backend: string,
) {
  if (controller) {
    post({ type: 'error', message: 'A run is already in progress; stop it first.' });
    return;
  }
  controller = new AbortController();
  try {
    const outcome = await start(await environment(data, controller.signal, backend));
    post({ type: 'done', header: outcome.header, ...(outcome.result ? { result: outcome.result } : {}) });
  } catch (err) {
    postError(err);
  } finally {
    controller = undefined;
  }
}

scope.onmessage = async (event: MessageEvent<MainToWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init': {
      try {
        const { lab: l, warnings: skipped } = await loadLab();
        post({
          type: 'catalog',
          catalog: buildCatalog(l, ['auto', ...backendNames], skipped),
        });
      } catch (err) {
        postError(err);
      }
      return;
    }
    case 'run':
      await execute((env) => runExperiment(env, msg.request), msg.data, msg.request.backend);
      return;
    case 'resume':
      await execute(
        (env) => resumeRun(env, msg.runId),
        msg.data,
        (await store.readHeader(msg.runId).catch(() => undefined))?.backend.requested ?? 'auto',
      );
      return;
    case 'stop':
      controller?.abort(new RunInterruptedError('stopped from the web app'));
      return;
    case 'validate': {
      try {
        const { lab: l } = await loadLab();
        resolveConfig(l.experiment(msg.experiment), { preset: msg.preset, overrides: msg.overrides });
        post({ type: 'validated', id: msg.id, issues: [] });
      } catch (err) {
        post({
          type: 'validated',
          id: msg.id,
          issues: err instanceof ConfigError ? err.issues : [],
          message: (err as Error).message,
        });
      }
      return;
    }
    case 'render': {
      // Plots for a run whose record has none (e.g. imported without SVGs): same specs, same renderer.
      try {
        const result = await store.readResult(msg.runId);
        const svgs = result ? await renderPlots(result) : {};
        for (const [id, svg] of Object.entries(svgs)) await store.putFile(msg.runId, `plots/${id}.svg`, svg);
        post({ type: 'rendered', id: msg.id, plots: Object.keys(svgs) });
      } catch (err) {
        post({ type: 'rendered', id: msg.id, plots: [], error: (err as Error).message });
      }
      return;
    }
  }
};
