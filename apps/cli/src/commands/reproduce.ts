import { resolve } from 'node:path';
import type { BackendInfo, ClaimVerdict, JsonValue, Lab, RunRequest } from '@paperlab/core';
import { resumeRun, runExperiment } from '@paperlab/core';
import { writeFileAtomic } from '@paperlab/core/node';
import type { RunHeader, RunOutcome } from '@paperlab/core/runs';
import { resolveConfig } from '@paperlab/core/runs';
import type { Io } from '../context.js';
import { EXIT } from '../exit.js';
import { RUN_FLAGS, type RunOptions, runSession } from '../session.js';
import { defineCommand } from '../spec.js';
import { duration, style, textTable } from '../ui/format.js';

/** `paperlab reproduce <plugin>`: every experiment of a plugin, one claims table. */
export const reproduceSpec = defineCommand({
  name: 'reproduce',
  summary: 'run every experiment of a plugin and print one claims table',
  description:
    'Each experiment runs with the same preset, overrides, seed and backend; the exit code is the worst of them. ' +
    'With --resume, finished runs in this store with the same resolved config, seed, backend and plugin version ' +
    'are reused and interrupted ones resumed, so a stopped reproduction continues where it stopped.',
  args: [{ name: 'plugin', required: true, description: "plugin name, e.g. ntk ('paperlab list')" }],
  flags: [
    ...RUN_FLAGS,
    { name: 'out', type: 'string', value: 'file', description: 'also write the claims table as Markdown' },
    {
      name: 'resume',
      type: 'boolean',
      description: "reuse this store's finished runs of the same work and resume interrupted ones",
    },
  ],
  examples: [
    'paperlab reproduce ntk --preset smoke',
    'paperlab reproduce quantum --preset paper --out docs/reproductions/quantum.md',
    'paperlab reproduce quantum --preset paper --resume',
  ],
  async run({ args, flags }, ctx) {
    return reproduce(await ctx.lab(), ctx.io, { ...ctx.global, ...flags }, args.plugin);
  },
});

/** One experiment's line in a reproduction. */
export interface ReproduceRow {
  experiment: string;
  run: string;
  status: string;
  ms: number;
  backend: BackendInfo;
  seed: number;
  claims: ClaimVerdict[];
  /** How this row was obtained with `--resume`: a finished run reused, an interrupted one resumed, or a new run. */
  source: 'new' | 'reused' | 'resumed';
}

/** JSON with sorted object keys, so equal configs compare equal whatever their key order. */
function canonical(value: JsonValue | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/**
 * The newest of `runs` (a store's headers, newest first) that did exactly this request's work — same
 * experiment, plugin version, resolved config, seed and requested backend — preferring a completed one over an
 * interrupted one.
 */
export function matchingRun(lab: Lab, runs: readonly RunHeader[], req: RunRequest): RunHeader | undefined {
  const experiment = lab.experiment(req.experiment);
  const resolved = resolveConfig(experiment, {
    preset: req.preset === undefined ? 'paper' : req.preset,
    overrides: req.overrides ?? {},
  });
  const config = canonical(resolved.config as JsonValue);
  const version = lab.originOf(experiment.id)?.version ?? '';
  const same = runs.filter(
    (h) =>
      h.experiment === experiment.id &&
      h.plugin.version === version &&
      h.seed === (req.seed ?? 0) &&
      h.backend.requested === (req.backend ?? 'auto') &&
      canonical(h.config) === config,
  );
  return (
    same.find((h) => h.status === 'completed') ??
    same.find((h) => h.status === 'interrupted' || h.status === 'crashed')
  );
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A line naming the experiments taken over from earlier runs (`--resume`), if any. */
function carried(rows: ReproduceRow[]): string[] {
  const reused = rows.filter((r) => r.source === 'reused').map((r) => r.experiment);
  const resumed = rows.filter((r) => r.source === 'resumed').map((r) => r.experiment);
  if (!reused.length && !resumed.length) return [];
  const parts = [
    reused.length ? `reused completed runs of ${reused.join(', ')}` : '',
    resumed.length ? `resumed interrupted runs of ${resumed.join(', ')}` : '',
  ].filter(Boolean);
  return [`With \`--resume\`: ${parts.join('; ')} (a row's time is its run's own wall time).`, ''];
}

/** A reproduction as Markdown: what ran where, the tally, and one row per claim with its numbers. */
export function reproductionMarkdown(o: {
  plugin: string;
  preset: string;
  rows: ReproduceRow[];
  totalMs: number;
  date: Date;
}): string {
  const claims = o.rows.flatMap((r) => r.claims);
  const count = (v: string) => claims.filter((c) => c.verdict === v).length;
  const backends = [
    ...new Set(
      o.rows.map(
        (r) =>
          `${r.backend.name}${r.backend.threads ? ` (${r.backend.threads} thread${r.backend.threads > 1 ? 's' : ''})` : ''}`,
      ),
    ),
  ];
  const seeds = [...new Set(o.rows.map((r) => r.seed))];
  const lines = [
    `# Reproduction: ${o.plugin}, preset ${o.preset}`,
    '',
    `\`paperlab reproduce ${o.plugin} --preset ${o.preset}\` on ${o.date.toISOString().slice(0, 10)}: backend ${backends.join(', ')}, seed ${seeds.join(', ')}, ${o.rows.length} experiments in ${duration(o.totalMs)}.`,
    '',
    `**${count('reproduced')}/${claims.length} claims reproduced**, ${count('not-reproduced')} not reproduced, ${count('inconclusive')} inconclusive.`,
    '',
    ...carried(o.rows),
    '| experiment | claim | verdict | measured | expected | run | time |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of o.rows) {
    const tail = `\`${r.run}\` | ${duration(r.ms)}`;
    if (r.claims.length === 0) lines.push(`| ${r.experiment} | — | ${r.status} | | | ${tail} |`);
    for (const c of r.claims)
      lines.push(
        `| ${r.experiment} | ${c.id} | ${c.verdict} | ${cell(c.measured)} | ${cell(c.expected)} | ${tail} |`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** Runs every experiment of a plugin and prints one claims table (and Markdown with `out`). */
export async function reproduce(
  lab: Lab,
  io: Io,
  opts: RunOptions & { out?: string | undefined; resume?: boolean },
  plugin: string,
): Promise<number> {
  const experiments = lab.listExperiments(plugin);
  if (experiments.length === 0) {
    const known = lab.listPlugins().map((p) => p.name);
    io.err(`Plugin '${plugin}' has no experiments (installed plugins: ${known.join(', ') || 'none'}).`);
    return EXIT.usage;
  }
  const { store, progress, signal, env, request, dispose } = runSession(lab, io, opts);
  const rows: ReproduceRow[] = [];
  let code: number = EXIT.ok;
  const started = Date.now();
  try {
    // The store's runs before this reproduction, read once (only they can be reused or resumed).
    const earlierRuns = opts.resume ? await store.list() : null;
    for (const e of experiments) {
      if (signal.aborted) break;
      const req = request(e.id);
      const earlier = earlierRuns ? matchingRun(lab, earlierRuns, req) : undefined;
      let outcome: RunOutcome;
      let source: ReproduceRow['source'] = 'new';
      // Reuse only a completed run whose result validates; an unreadable one is run again.
      const reusable =
        earlier?.status === 'completed'
          ? await store.readResult(earlier.id).catch((err: unknown) => {
              if (!opts.json) io.err(`  not reusing ${earlier.id}: ${(err as Error).message}`);
              return undefined;
            })
          : undefined;
      if (earlier && reusable) {
        source = 'reused';
        if (!opts.json) io.err(`↺ ${e.id}: reusing completed run ${earlier.id}`);
        outcome = { header: earlier, result: reusable };
      } else if (earlier && earlier.status !== 'completed') {
        source = 'resumed';
        if (!opts.json) io.err(`▶ ${e.id}: resuming interrupted run ${earlier.id}`);
        outcome = await resumeRun(env, earlier.id);
      } else {
        if (!opts.json) io.err(`▶ ${e.id} (${opts.preset ?? 'paper'})`);
        outcome = await runExperiment(env, req);
      }
      progress.clear();
      const h = outcome.header;
      rows.push({
        experiment: e.id,
        run: h.id,
        status: h.status,
        ms: h.durationMs ?? 0,
        backend: h.backend,
        seed: h.seed,
        claims: outcome.result?.claims ?? [],
        source,
      });
      if (h.status === 'interrupted') code = EXIT.interrupted;
      else if (h.status !== 'completed') {
        code = code === EXIT.ok || code === EXIT.notReproduced ? EXIT.failed : code;
        if (!opts.json) io.err(style(`  ${h.status}: ${h.error?.message ?? ''}`, 'red'));
      } else if (
        opts.strict &&
        outcome.result!.summary.reproduced < outcome.result!.summary.total &&
        code === EXIT.ok
      ) {
        code = EXIT.notReproduced;
      }
    }
  } finally {
    dispose();
  }
  const preset = opts.preset ?? 'paper';
  const totalMs = Date.now() - started;
  if (opts.out) {
    const out = resolve(opts.out);
    await writeFileAtomic(
      out,
      reproductionMarkdown({ plugin, preset, rows, totalMs, date: new Date(started) }),
    );
    if (!opts.json) io.err(`Markdown claims report: ${out}`);
  }
  if (opts.json) {
    io.json({ plugin, preset, totalMs, experiments: rows });
    return code;
  }
  const table: Array<Array<string>> = [];
  for (const r of rows) {
    if (r.claims.length === 0) table.push([r.experiment, '-', r.status, '', '', duration(r.ms)]);
    for (const c of r.claims)
      table.push([r.experiment, c.id, c.verdict, c.measured, c.expected, duration(r.ms)]);
  }
  io.out(textTable(['experiment', 'claim', 'verdict', 'measured', 'expected', 'time'], table, 80));
  const all = rows.flatMap((r) => r.claims);
  io.out('');
  for (const line of carried(rows)) if (line) io.out(line);
  io.out(
    `${all.filter((c) => c.verdict === 'reproduced').length}/${all.length} claims reproduced across ${rows.length} experiments in ${duration(totalMs)}.`,
  );
  if (code === EXIT.interrupted || rows.length < experiments.length)
    io.err(
      `Interrupted: 'paperlab reproduce ${plugin} --resume' (same options) continues where this stopped.`,
    );
  return code;
}
