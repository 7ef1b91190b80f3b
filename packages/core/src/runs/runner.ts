import * as tf from '@tensorflow/tfjs-core';
import type { BackendLoader, Platform } from '../backends/select.js';
import { selectBackend } from '../backends/select.js';
import { type JsonObject, resolveConfig } from '../config/resolve.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import type { ExperimentOutput } from '../contracts/output.js';
import type {
  ArtifactStore,
  BackendInfo,
  DataSources,
  Progress,
  RunContext,
  RunLog,
} from '../contracts/runContext.js';
import type { JsonValue } from '../contracts/state.js';
import type { Lab } from '../registry/lab.js';
import { Rng } from '../rng/rng.js';
import { PaperlabError, RunInterruptedError } from '../util/errors.js';
import { CORE_VERSION } from '../version.js';
import { StoreCheckpointer } from './checkpointer.js';
import { evaluateClaims, summarise } from './claims.js';
import type { RunSink } from './events.js';
import type { MetricRow, RunHeader, RunResult } from './record.js';
import { RUN_SCHEMA } from './record.js';
import type { RunStore } from './store.js';

/** What to run. */
export interface RunRequest {
  experiment: string;
  /** Preset merged under the overrides; `null` for schema defaults only. Default `paper`. */
  preset?: string | null;
  overrides?: JsonObject | readonly string[];
  seed?: number;
  /** `auto` or a backend name. */
  backend?: string;
}

/** Where and how runs execute (the CLI and the web worker each build one). */
export interface RunEnvironment {
  lab: Lab;
  store: RunStore;
  data: DataSources;
  backends: readonly BackendLoader[];
  platform: Platform;
  signal?: AbortSignal;
  sink?: RunSink;
  /** Renders the output's plots (id → SVG), e.g. with vega; skipped when absent. */
  renderPlots?: (output: ExperimentOutput) => Promise<Record<string, string>>;
  /** Versions recorded with the run (node, browser, packages). */
  versions?: Record<string, string>;
  host?: RunHeader['host'];
}

/** A finished (or stopped) run. */
export interface RunOutcome {
  header: RunHeader;
  result?: RunResult;
}

let activeBackend: { requested: string; info: BackendInfo } | null = null;

/** Activates a backend once per process (again only when a different one is requested). */
export async function ensureBackend(
  requested: string,
  env: Pick<RunEnvironment, 'backends' | 'platform'>,
): Promise<BackendInfo> {
  if (activeBackend && activeBackend.requested === requested && tf.getBackend() === activeBackend.info.name) {
    return activeBackend.info;
  }
  const info = await selectBackend(requested, env.backends, env.platform);
  activeBackend = { requested, info };
  return info;
}

function newRunId(experimentId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = experimentId.replace('/', '-');
  const rand = new Uint8Array(3);
  globalThis.crypto.getRandomValues(rand);
  return `${stamp}-${slug}-${Array.from(rand, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Starts a new run: resolves and validates the config, records the run, executes it, checks claims. */
export async function runExperiment(env: RunEnvironment, request: RunRequest): Promise<RunOutcome> {
  const experiment = env.lab.experiment(request.experiment);
  const preset = request.preset === undefined ? 'paper' : request.preset;
  const resolved = resolveConfig(experiment, { preset, overrides: request.overrides ?? {} });
  const seed = request.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new PaperlabError('E_CONFIG', `--seed: expected a non-negative integer, got ${request.seed}`);
  }
  const backend = await ensureBackend(request.backend ?? 'auto', env);
  const origin = env.lab.originOf(experiment.id);
  const now = new Date();
  const header: RunHeader = {
    schema: RUN_SCHEMA,
    id: newRunId(experiment.id, now),
    experiment: experiment.id,
    paper: experiment.paper,
    plugin: {
      name: origin?.name ?? experiment.id.split('/')[0]!,
      packageName: origin?.packageName ?? '',
      version: origin?.version ?? '',
    },
    preset: resolved.preset,
    overrides: resolved.overrides,
    config: resolved.config as { [key: string]: JsonValue },
    seed,
    backend,
    versions: {
      '@paperlab/core': CORE_VERSION,
      '@tensorflow/tfjs-core': tf.version_core,
      ...(env.versions ?? {}),
    },
    host: env.host ?? { platform: env.platform },
    status: 'running',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    attempts: 1,
  };
  await env.store.writeHeader(header);
  env.sink?.onHeader?.(header);
  return execute(env, experiment, header, false);
}

/** Continues an interrupted (or failed) run with its saved config, seed and checkpoints. */
export async function resumeRun(env: RunEnvironment, runId: string): Promise<RunOutcome> {
  const previous = await env.store.readHeader(runId);
  if (previous.status === 'completed') {
    throw new PaperlabError('E_RESUME', `Run ${runId} already completed; nothing to resume.`);
  }
  const experiment = env.lab.experiment(previous.experiment);
  const parsed = experiment.config.safeParse(previous.config);
  if (!parsed.success) {
    throw new PaperlabError(
      'E_RESUME',
      `Run ${runId}'s saved config no longer validates against ${experiment.id}'s schema.`,
    );
  }
  const backend = await ensureBackend(previous.backend.requested, env);
  if (backend.name !== previous.backend.name) {
    env.sink?.onLog?.(
      'warn',
      `Resuming on backend '${backend.name}', the run started on '${previous.backend.name}'.`,
    );
  }
  const { error: _dropped, ...rest } = previous;
  const header: RunHeader = {
    ...rest,
    backend,
    status: 'running',
    updatedAt: new Date().toISOString(),
    attempts: previous.attempts + 1,
  };
  await env.store.writeHeader(header);
  env.sink?.onHeader?.(header);
  return execute(env, experiment, header, true);
}

async function execute(
  env: RunEnvironment,
  experiment: AnyExperiment,
  header: RunHeader,
  resuming: boolean,
): Promise<RunOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const onAbort = () => controller.abort(env.signal?.reason ?? new RunInterruptedError());
  if (env.signal?.aborted) onAbort();
  env.signal?.addEventListener('abort', onAbort, { once: true });

  const pending: MetricRow[] = [];
  let lastFlush = performance.now();
  const flush = async () => {
    if (pending.length === 0) return;
    const rows = pending.splice(0, pending.length);
    await env.store.appendMetrics(header.id, rows);
    lastFlush = performance.now();
  };
  const log: RunLog = {
    scalars(values, step) {
      pending.push({ ...values, step, t: Math.round(performance.now() - started) });
      env.sink?.onScalars?.(values, step);
      if (pending.length >= 200 || performance.now() - lastFlush > 2000) void flush();
    },
    info: (message) => env.sink?.onLog?.('info', message),
    warn: (message) => env.sink?.onLog?.('warn', message),
  };
  let taskCounter = 0;
  const progress: Progress = {
    task(label, total) {
      const task = ++taskCounter;
      let current = 0;
      const emit = (done: boolean, status?: string) => {
        const event = {
          task,
          label,
          current,
          done,
          ...(total !== undefined ? { total } : {}),
          ...(status ? { status } : {}),
        };
        env.sink?.onProgress?.(event);
      };
      emit(false);
      return {
        tick(n = 1, status) {
          current += n;
          emit(false, status);
        },
        done() {
          emit(true);
        },
      };
    },
  };
  const artifacts: ArtifactStore = {
    write: (name, data) => env.store.putFile(header.id, `artifacts/${name}`, data),
    read: (name) => env.store.getFile(header.id, `artifacts/${name}`),
    list: async () =>
      (await env.store.listFiles(header.id, 'artifacts')).map((p) => p.slice('artifacts/'.length)),
  };
  const ctx: RunContext = {
    runId: header.id,
    rng: new Rng(header.seed),
    backend: header.backend,
    log,
    progress,
    signal: controller.signal,
    checkpoint: new StoreCheckpointer(env.store, header.id, resuming),
    artifacts,
    data: env.data,
  };

  const finish = async (patch: Partial<RunHeader>): Promise<RunHeader> => {
    await flush();
    const end = new Date().toISOString();
    const done: RunHeader = {
      ...header,
      ...patch,
      updatedAt: end,
      endedAt: end,
      durationMs: Math.round(performance.now() - started),
    };
    await env.store.writeHeader(done);
    env.sink?.onHeader?.(done);
    return done;
  };

  try {
    const config = experiment.config.parse(header.config);
    const output = await experiment.run(ctx, config);
    if (controller.signal.aborted) throw new RunInterruptedError();
    const claims = evaluateClaims(experiment, output, config);
    const result: RunResult = { ...output, claims, summary: summarise(claims) };
    await env.store.writeResult(header.id, result);
    if (env.renderPlots && output.plots?.length) {
      try {
        const svgs = await env.renderPlots(output);
        for (const [id, svg] of Object.entries(svgs))
          await env.store.putFile(header.id, `plots/${id}.svg`, svg);
      } catch (err) {
        log.warn(`Plot rendering failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { header: await finish({ status: 'completed' }), result };
  } catch (err) {
    const interrupted = err instanceof RunInterruptedError || controller.signal.aborted;
    const error = err instanceof Error ? err : new Error(String(err));
    const done = await finish({
      status: interrupted ? 'interrupted' : 'failed',
      error: { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) },
    });
    return { header: done };
  } finally {
    env.signal?.removeEventListener('abort', onAbort);
  }
}
