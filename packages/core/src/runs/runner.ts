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
import { ConfigError, PaperlabError, RunInterruptedError, throwIfAborted } from '../util/errors.js';
import { CORE_VERSION } from '../version.js';
import { StoreCheckpointer } from './checkpointer.js';
import { evaluateClaims, summarise } from './claims.js';
import type { RunSink } from './events.js';
import { jobId } from './jobKey.js';
import { parseExact, stringifyExact } from './jsonCodec.js';
import { HEARTBEAT_MS, type LivenessProbe, runLiveness, withDerivedStatus } from './liveness.js';
import type { MetricRow, RunHeader, RunLiveness, RunResult } from './record.js';
import { RUN_SCHEMA } from './record.js';
import { CorruptRecordError, checkResult } from './schemas.js';
import type { RunLock, RunStore } from './store.js';

/** What to run. */
export interface RunRequest {
  experiment: string;
  /** Preset merged under the overrides; `null` for schema defaults only. Default `paper`. */
  preset?: string | null;
  overrides?: JsonObject | readonly string[];
  seed?: number;
  /** `auto` or a backend name. */
  backend?: string;
  /** Run even when the experiment's cost guard estimates the config above its limit. */
  force?: boolean;
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
  /** This process (pid, host name), recorded with running runs so readers can tell a crash (Node). */
  process?: { pid?: number; hostname?: string };
  /** How liveness of a running record is judged before a resume (default: heartbeat age only). */
  probe?: LivenessProbe;
  /** Heartbeat interval of running runs (ms; default {@link HEARTBEAT_MS}). */
  heartbeatMs?: number;
}

/** How long a loop that checks the signal itself gets to save a checkpoint before progress ticks throw (ms). */
const TICK_ABORT_GRACE_MS = 200;

/**
 * Refuses a config the experiment's cost guard estimates above its limit (unless forced), as a config error
 * naming the estimate, the limit and `--force`.
 */
export function checkCost(experiment: AnyExperiment, config: unknown, force = false): void {
  const guard = experiment.cost;
  if (!guard || force) return;
  let estimate: number;
  try {
    estimate = guard.estimate(config);
  } catch (err) {
    throw new ConfigError(experiment.id, [
      { path: '(cost)', expected: 'a config whose cost can be estimated', received: (err as Error).message },
    ]);
  }
  if (Number.isFinite(estimate) && estimate <= guard.limit) return;
  throw new ConfigError(experiment.id, [
    {
      path: '(cost)',
      expected: `an estimated cost ≤ ${guard.limit.toExponential(2)} ${guard.unit} (pass --force to run it anyway)`,
      received: `${Number.isFinite(estimate) ? estimate.toExponential(2) : String(estimate)} ${guard.unit}`,
    },
  ]);
}

/**
 * Opens every dataset the experiment declares for `config` (`experiment.datasets`), so a missing one is refused
 * with `DatasetNotFoundError` (how to get it) before the run is recorded.
 */
export async function checkDatasets(
  experiment: AnyExperiment,
  config: unknown,
  data: RunEnvironment['data'],
): Promise<void> {
  for (const name of new Set(experiment.datasets?.(config) ?? [])) await data.open(name);
}

function liveness(env: RunEnvironment, at: string): RunLiveness {
  return { ...(env.process ?? {}), heartbeatAt: at };
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
  checkCost(experiment, resolved.config, request.force);
  await checkDatasets(experiment, resolved.config, env.data);
  const backend = await ensureBackend(request.backend ?? 'auto', env);
  const origin = env.lab.originOf(experiment.id);
  // The job of this request, from the config resolved above (jobKeyOf would resolve it again).
  const job = await jobId({
    experiment: experiment.id,
    pluginVersion: origin?.version ?? '',
    config: resolved.config as { [key: string]: JsonValue },
    seed,
    backend: request.backend ?? 'auto',
  });
  const now = new Date();
  const header: RunHeader = {
    schema: RUN_SCHEMA,
    id: newRunId(experiment.id, now),
    job,
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
    live: liveness(env, now.toISOString()),
  };
  await env.store.writeHeader(header);
  const lock = await env.store.lock?.(header.id);
  env.sink?.onHeader?.(header);
  return execute(env, experiment, header, false, lock);
}

/** Refuses to resume a run that is not resumable: completed, or still running somewhere. */
function checkResumable(header: RunHeader, probe: LivenessProbe | undefined): void {
  if (header.status === 'completed')
    throw new PaperlabError('E_RESUME', `Run ${header.id} already completed; nothing to resume.`);
  if (header.status === 'running') {
    throw new PaperlabError(
      'E_RUN_LIVE',
      `Run ${header.id} is still running (${runLiveness(header, probe).detail}); resuming it would make two ` +
        `processes write one run. Stop it first (Ctrl-C there, or kill its process); a run whose process is ` +
        `gone shows as 'crashed' and can be resumed.`,
    );
  }
}

/**
 * Continues an interrupted, failed or crashed run with its saved config, seed and checkpoints. Takes the
 * run's lock first: a run that is still running, or being resumed by another process, is refused.
 */
export async function resumeRun(env: RunEnvironment, runId: string): Promise<RunOutcome> {
  checkResumable(withDerivedStatus(await env.store.readHeader(runId), env.probe), env.probe);
  const lock = await env.store.lock?.(runId);
  let header: RunHeader;
  let experiment: AnyExperiment;
  try {
    // Read again under the lock: another resume may have finished the run meanwhile.
    const previous = withDerivedStatus(await env.store.readHeader(runId), env.probe);
    checkResumable(previous, env.probe);
    experiment = env.lab.experiment(previous.experiment);
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
    if (previous.status === 'crashed')
      env.sink?.onLog?.(
        'warn',
        `Run ${runId} had crashed (its process was gone); resuming from its checkpoints.`,
      );
    const { error: _dropped, live: _live, ...rest } = previous;
    const now = new Date().toISOString();
    header = {
      ...rest,
      backend,
      status: 'running',
      updatedAt: now,
      attempts: previous.attempts + 1,
      live: liveness(env, now),
    };
    await env.store.writeHeader(header);
  } catch (err) {
    await lock?.release();
    throw err;
  }
  env.sink?.onHeader?.(header);
  return execute(env, experiment, header, true, lock);
}

/** Keys of earlier attempts' metric rows, as `step\u0000key` (a resumed run never logs them twice). */
async function loggedKeys(env: RunEnvironment, header: RunHeader): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const row of await env.store.readMetrics(header.id))
    for (const key of Object.keys(row))
      if (key !== 'step' && key !== 't' && key !== 'attempt') seen.add(`${row.step}\u0000${key}`);
  return seen;
}

/** One warning naming the scalars that are NaN or infinite, if any. */
function nonFiniteWarning(output: ExperimentOutput): string | undefined {
  const bad = Object.entries(output.scalars as Record<string, number | undefined>).filter(
    ([, v]) => typeof v === 'number' && !Number.isFinite(v),
  );
  if (bad.length === 0) return undefined;
  const list = bad
    .slice(0, 8)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  return (
    `${bad.length} scalar${bad.length > 1 ? 's are' : ' is'} not finite (${list}${bad.length > 8 ? ', …' : ''}): ` +
    'claims that read them are inconclusive. Check the config (learning rate, sizes) and the data.'
  );
}

async function execute(
  env: RunEnvironment,
  experiment: AnyExperiment,
  startHeader: RunHeader,
  resuming: boolean,
  lock: RunLock | undefined,
): Promise<RunOutcome> {
  const started = performance.now();
  let header = startHeader;
  const controller = new AbortController();
  let abortedAt = 0;
  const onAbort = () => {
    abortedAt = performance.now();
    controller.abort(env.signal?.reason ?? new RunInterruptedError());
  };
  if (env.signal?.aborted) onAbort();
  env.signal?.addEventListener('abort', onAbort, { once: true });

  // Header writes go one after another, so a heartbeat never lands after the final header.
  let writes: Promise<void> = Promise.resolve();
  const writeHeader = (h: RunHeader): Promise<void> => {
    header = h;
    // A failed heartbeat must not block later writes (the final header above all).
    const next = writes.catch(() => {}).then(() => env.store.writeHeader(h));
    writes = next;
    return next;
  };
  let heartbeatFailed = false;
  const heartbeat = setInterval(() => {
    if (!header.live) return;
    const beat = { ...header, live: { ...header.live, heartbeatAt: new Date().toISOString() } };
    writeHeader(beat).catch((err: unknown) => {
      if (!heartbeatFailed) env.sink?.onLog?.('warn', `Heartbeat not recorded: ${(err as Error).message}`);
      heartbeatFailed = true;
    });
    void lock?.refresh().catch(() => {});
  }, env.heartbeatMs ?? HEARTBEAT_MS);
  (heartbeat as { unref?: () => void }).unref?.();

  let seen: Set<string>;
  try {
    seen = resuming ? await loggedKeys(env, header) : new Set();
  } catch (err) {
    clearInterval(heartbeat);
    env.signal?.removeEventListener('abort', onAbort);
    await lock?.release();
    throw err;
  }

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
      let fresh: Record<string, number> = values;
      if (seen.size > 0) {
        fresh = {};
        for (const [k, v] of Object.entries(values)) if (!seen.has(`${step}\u0000${k}`)) fresh[k] = v;
      }
      if (Object.keys(fresh).length > 0)
        pending.push({
          ...fresh,
          step,
          t: Math.round(performance.now() - started),
          attempt: header.attempts,
        });
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
          // Loops that check the signal themselves get a moment to save a checkpoint; others stop here.
          if (controller.signal.aborted && performance.now() - abortedAt > TICK_ABORT_GRACE_MS)
            throwIfAborted(controller.signal);
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
    checkpoint: new StoreCheckpointer(env.store, header.id, resuming, (m) => log.warn(m)),
    artifacts,
    data: env.data,
  };

  const finish = async (patch: Partial<RunHeader>): Promise<RunHeader> => {
    clearInterval(heartbeat);
    await flush();
    await writes.catch(() => {});
    const end = new Date().toISOString();
    const { live: _live, ...rest } = header;
    const done: RunHeader = {
      ...rest,
      ...patch,
      updatedAt: end,
      endedAt: end,
      durationMs: Math.round(performance.now() - started),
    };
    await writeHeader(done);
    env.sink?.onHeader?.(done);
    return done;
  };

  try {
    const config = experiment.config.parse(header.config);
    const output = await experiment.run(ctx, config);
    if (controller.signal.aborted) throw new RunInterruptedError();
    const claims = evaluateClaims(experiment, output, config);
    const warning = nonFiniteWarning(output);
    if (warning) log.warn(warning);
    const result: RunResult = {
      ...output,
      claims,
      summary: summarise(claims),
      ...(warning ? { warnings: [warning] } : {}),
    };
    try {
      // Checked as it will be stored (JSON drops undefined members), so only what readers would refuse fails.
      checkResult(parseExact(stringifyExact(result)), header.id, 'the output');
    } catch (err) {
      const problem = err instanceof CorruptRecordError ? err.problem : (err as Error).message;
      throw new PaperlabError(
        'E_OUTPUT',
        `${experiment.id} returned an output that is not a valid result: ${problem}`,
      );
    }
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
      // paperlab's own errors are named by their stable code: a class name is mangled by a minifying build.
      error: {
        name: err instanceof PaperlabError ? err.code : error.name,
        message: error.message,
        ...(error.stack ? { stack: error.stack } : {}),
      },
    });
    return { header: done };
  } finally {
    clearInterval(heartbeat);
    env.signal?.removeEventListener('abort', onAbort);
    await lock?.release();
  }
}
