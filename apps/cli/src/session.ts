import type { ClaimVerdict, Lab, RunEnvironment, RunRequest } from '@paperlab/core';
import { RunInterruptedError, resumeRun, runExperiment } from '@paperlab/core';
import { createNodeEnvironment } from '@paperlab/core/node';
import type { JsonObject, RunHeader, RunOutcome, RunResult } from '@paperlab/core/runs';
import { formatCounts, formatNumber, summarise } from '@paperlab/core/runs';
import { dataResolveDirs, type GlobalOptions, type Io, openStore } from './context.js';
import { EXIT } from './exit.js';
import type { FlagSpec } from './spec.js';
import { claimsText, type StrictOptions, strictExit } from './ui/claims.js';
import { duration, style } from './ui/format.js';
import { ProgressLine } from './ui/progress.js';

/** The `<run>` argument of commands that read one run. */
export const RUN_ARG = {
  name: 'run',
  required: true,
  description: "run id, a unique prefix or suffix of one, or 'latest'",
} as const;

/** `--strict`: exit 3 when a claim is not reproduced (an inconclusive one does not fail it). */
export const STRICT_FLAG = {
  name: 'strict',
  type: 'boolean',
  description: 'exit 3 when a claim is not reproduced (inconclusive claims do not fail it)',
} as const satisfies FlagSpec;

/** `--strict-inconclusive`: `--strict`, and exit 5 when no claim failed but one is inconclusive. */
export const STRICT_INCONCLUSIVE_FLAG = {
  name: 'strict-inconclusive',
  type: 'boolean',
  description: 'as --strict, and exit 5 when no claim failed but one is inconclusive',
} as const satisfies FlagSpec;

/** Both strict flags, for every command that judges claims. */
export const STRICT_FLAGS = [STRICT_FLAG, STRICT_INCONCLUSIVE_FLAG] as const satisfies readonly FlagSpec[];

/** The flags of commands that start runs (`run`, `reproduce`): one declaration, so their help and checks agree. */
export const RUN_FLAGS = [
  {
    name: 'preset',
    type: 'string',
    value: 'name',
    default: 'paper',
    description: "config preset merged under --set ('paperlab info <experiment>' lists them)",
    examples: ['smoke', 'paper'],
  },
  {
    name: 'set',
    type: 'string',
    value: 'path=value',
    repeatable: true,
    description: 'override a config value (JSON or plain text)',
    examples: ['widths=[64,256]', 'train.lr=0.01'],
  },
  {
    name: 'seed',
    type: 'number',
    default: 0,
    description: 'RNG seed; same seed + backend → same numbers',
  },
  {
    name: 'backend',
    type: 'string',
    value: 'name',
    default: 'auto',
    description: 'auto | wasm | cpu | tensorflow | webgpu (auto tries tensorflow, wasm, cpu)',
  },
  ...STRICT_FLAGS,
  {
    name: 'force',
    type: 'boolean',
    description: "run even when the experiment's cost guard estimates the config too big",
  },
] as const satisfies readonly FlagSpec[];

/** Options of `run` / `reproduce`. */
export interface RunOptions extends GlobalOptions {
  preset?: string | undefined;
  set: string[];
  seed?: number | undefined;
  backend?: string | undefined;
  strict: boolean;
  /** Also fail on inconclusive claims (exit 5). */
  'strict-inconclusive'?: boolean | undefined;
  force?: boolean | undefined;
  /** Config values already merged (`--config` file under `--set`); used instead of `set` when given. */
  overrides?: JsonObject | undefined;
}

/** How long a run may take to stop after the first Ctrl-C/SIGTERM before the process exits anyway (ms). */
export const STOP_DEADLINE_MS = 10_000;

/**
 * Installs Ctrl-C/SIGTERM handling: the first signal interrupts the run (it saves what it has and ends
 * `interrupted`); a second signal, or the run not stopping within {@link STOP_DEADLINE_MS}, exits at once
 * after `onForceExit` marks the record interrupted synchronously.
 */
export function interruptController(
  io: Io,
  onForceExit: (reason: string) => void = () => {},
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let presses = 0;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const forceExit = (reason: string) => {
    onForceExit(reason);
    process.exit(EXIT.interrupted);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    presses++;
    if (presses === 1) {
      io.err(`\nInterrupting (${signal}): saving what the run has (Ctrl-C again to quit at once)…`);
      controller.abort(new RunInterruptedError(`${signal} received`));
      deadline = setTimeout(
        () => forceExit(`${signal}, and the run did not stop within ${STOP_DEADLINE_MS / 1000} s`),
        STOP_DEADLINE_MS,
      );
      deadline.unref();
    } else forceExit(`${signal} twice`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      if (deadline) clearTimeout(deadline);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Prints a run's outcome: status, claims, headline scalars, where the files are. */
export function printOutcome(io: Io, header: RunHeader, result: RunResult | undefined, runDir: string): void {
  const status =
    header.status === 'completed'
      ? style('completed', 'green')
      : style(header.status, header.status === 'interrupted' ? 'yellow' : 'red');
  io.out(
    `${header.experiment}  run ${header.id}  ${status}  (${header.preset ?? 'defaults'}, seed ${header.seed}, ${header.backend.name}${header.durationMs !== undefined ? `, ${duration(header.durationMs)}` : ''})`,
  );
  if (header.backend.fallbacks.length) {
    io.out(
      style(
        `backend fallbacks: ${header.backend.fallbacks.map((f) => `${f.backend} (${f.reason})`).join('; ')}`,
        'dim',
      ),
    );
  }
  if (header.error)
    io.out(
      style(`${header.status}: ${header.error.message}`, header.status === 'interrupted' ? 'yellow' : 'red'),
    );
  if (header.status === 'crashed')
    io.out(
      style(
        'crashed: the run was left running but its process is gone (killed, or the machine stopped).',
        'red',
      ),
    );
  for (const w of result?.warnings ?? []) io.out(style(`warning: ${w}`, 'yellow'));
  if (result) {
    io.out('');
    for (const line of claimsText(result.claims)) io.out(line);
  }
  io.out(`Run record: ${runDir}`);
  if (header.status === 'interrupted' || header.status === 'crashed')
    io.out(`Resume with: paperlab resume ${header.id}`);
}

/** Exit code for an outcome: 130 interrupted, 1 failed, else what the strict options make of its verdicts. */
export function exitCodeOf(outcome: RunOutcome, strict: StrictOptions): number {
  if (outcome.header.status === 'interrupted') return EXIT.interrupted;
  if (outcome.header.status !== 'completed') return EXIT.failed;
  return strictExit(outcome.result?.claims ?? [], strict);
}

/** A run result as `--json` prints it: the summary recomputed from the claims, so older records carry kinds too. */
export function resultJson(result: RunResult | undefined): (RunResult & { counts: string }) | null {
  if (!result) return null;
  const summary = summarise(result.claims);
  return { ...result, claims: result.claims.map(withKind), summary, counts: formatCounts(summary) };
}

/** A verdict with its kind made explicit (records from before kinds read as paper claims). */
export function withKind(c: ClaimVerdict): ClaimVerdict {
  return c.kind ? c : { ...c, kind: 'paper' };
}

/** What a command that runs experiments needs: store, progress line, Ctrl-C handling, environment, requests. */
export interface RunSession {
  store: ReturnType<typeof openStore>;
  progress: ProgressLine;
  signal: AbortSignal;
  env: RunEnvironment;
  /** The run request for an experiment from the command's options. */
  request(experiment: string): RunRequest;
  /** Clears the progress line and removes the signal handlers. */
  dispose(): void;
}

/** Opens a run session for `run`, `resume` and `reproduce`. */
export function runSession(lab: Lab, io: Io, opts: RunOptions): RunSession {
  const store = openStore(opts);
  const progress = new ProgressLine(process.stderr, !!process.stderr.isTTY);
  // The run in progress, so a forced exit can still leave its record 'interrupted'.
  let current: RunHeader | undefined;
  const interrupt = interruptController(io, (reason) => {
    if (current?.status === 'running') store.markInterruptedSync(current.id, reason);
  });
  const env = createNodeEnvironment({
    lab,
    store,
    data: { resolveFrom: dataResolveDirs(lab.listPlugins().map((p) => p.packageName)) },
    signal: interrupt.signal,
    sink: {
      onProgress: (e) => progress.onProgress(e),
      onLog: (level, msg) => progress.onLog(level, msg),
      onHeader: (h) => {
        current = h;
      },
    },
  });
  return {
    store,
    progress,
    signal: interrupt.signal,
    env,
    request: (experiment) => ({
      experiment,
      preset: opts.preset ?? 'paper',
      overrides: opts.overrides ?? opts.set,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      backend: opts.backend ?? 'auto',
      ...(opts.force ? { force: true } : {}),
    }),
    dispose() {
      progress.clear();
      interrupt.dispose();
    },
  };
}

/** Runs an experiment (`paperlab run`) or resumes a run (`paperlab resume`), prints the outcome, gives the exit code. */
export async function runAndReport(
  lab: Lab,
  io: Io,
  opts: RunOptions,
  target: { experiment: string } | { resume: string },
): Promise<number> {
  const { store, progress, env, request, dispose } = runSession(lab, io, opts);
  try {
    const outcome =
      'experiment' in target
        ? await runExperiment(env, request(target.experiment))
        : await resumeRun(env, target.resume);
    progress.clear();
    const runDir = store.pathOf(outcome.header.id);
    if (opts.json) io.json({ header: outcome.header, result: resultJson(outcome.result), runDir });
    else {
      printOutcome(io, outcome.header, outcome.result, runDir);
      const plots = await store.listFiles(outcome.header.id, 'plots');
      for (const p of plots) io.out(`Plot: ${store.pathOf(outcome.header.id, p)}`);
      if (outcome.result && Object.keys(outcome.result.scalars).length) {
        const entries = Object.entries(outcome.result.scalars).slice(0, 12);
        io.out(style(entries.map(([k, v]) => `${k}=${formatNumber(v)}`).join('  '), 'dim'));
      }
    }
    return exitCodeOf(outcome, { strict: opts.strict, strictInconclusive: opts['strict-inconclusive'] });
  } finally {
    dispose();
  }
}
