import { resolve } from 'node:path';
import type { BackendInfo, ClaimVerdict, Lab } from '@paperlab/core';
import { PaperlabError } from '@paperlab/core';
import { writeFileAtomic } from '@paperlab/core/node';
import type { ExpectedVerdicts, VerdictChange, VerdictCounts } from '@paperlab/core/runs';
import { diffVerdicts, formatCounts, summarise } from '@paperlab/core/runs';
import type { Io } from '../context.js';
import { EXIT, worstExit } from '../exit.js';
import {
  actualVerdicts,
  changeLines,
  checkTableMatches,
  defaultExpectedPath,
  nextTable,
  readExpected,
  writeExpected,
} from '../expected.js';
import { QUEUE_FLAG, runJobs, WORKERS_FLAG, workerCount } from '../jobs.js';
import { exitCodeOf, RUN_FLAGS, type RunOptions, runSession, withKind } from '../session.js';
import { defineCommand, UsageError } from '../spec.js';
import { revisionLines, sourcePlace, verdictText } from '../ui/claims.js';
import { duration, style, textTable } from '../ui/format.js';

/** `paperlab reproduce <plugin>`: every experiment of a plugin, one claims table. */
export const reproduceSpec = defineCommand({
  name: 'reproduce',
  summary: 'run every experiment of a plugin and print one claims table',
  description:
    'Each experiment runs with the same preset, overrides, seed and backend; the exit code is the worst of them. ' +
    "'all' reproduces every installed plugin in one table. With --workers N the experiments run in N worker " +
    'processes at once (same numbers as one after another). ' +
    'With --resume, finished runs in this store with the same resolved config, seed, backend and plugin version ' +
    'are reused and interrupted ones resumed, so a stopped reproduction continues where it stopped. ' +
    'Paper claims and controls are counted apart, per experiment and in total; claims judged by a revised rule ' +
    "are counted apart too. --check-expected compares every verdict with the plugin's committed table " +
    '(expected-verdicts.<preset>.json, same preset and seed) and exits 4 on any change, in either direction; ' +
    '--write-expected --reason "<why>" records the new verdicts with the reason and today\'s date.',
  args: [
    {
      name: 'plugin',
      required: true,
      description: "plugin name, e.g. ntk ('paperlab list'), or 'all' for every installed plugin",
    },
  ],
  flags: [
    ...RUN_FLAGS,
    WORKERS_FLAG,
    QUEUE_FLAG,
    { name: 'out', type: 'string', value: 'file', description: 'also write the claims table as Markdown' },
    {
      name: 'resume',
      type: 'boolean',
      description: "reuse this store's finished runs of the same work and resume interrupted ones",
    },
    {
      name: 'check-expected',
      type: 'string',
      value: 'file',
      optionalValue: true,
      description:
        "compare the verdicts with the plugin's committed table (default: expected-verdicts.<preset>.json at the plugin package's root); exit 4 when any changed",
    },
    {
      name: 'write-expected',
      type: 'string',
      value: 'file',
      optionalValue: true,
      description:
        'write or update that table with these verdicts (needs --reason; same default file as --check-expected)',
    },
    {
      name: 'reason',
      type: 'string',
      value: 'why',
      description:
        "why the verdicts changed, logged in the table's changes with today's date (--write-expected)",
    },
  ],
  examples: [
    'paperlab reproduce ntk --preset smoke',
    'paperlab reproduce quantum --preset paper --out docs/reproductions/quantum.md',
    'paperlab reproduce quantum --preset paper --resume',
    'paperlab reproduce all --preset smoke --workers 2',
    'paperlab reproduce all --preset smoke --queue redis://127.0.0.1:6379',
    'paperlab reproduce ntk --preset smoke --check-expected',
    'paperlab reproduce ntk --preset smoke --write-expected --reason "jacot2018: slope rule revised"',
  ],
  async run({ args, flags }, ctx) {
    checkExpectedFlags(flags);
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

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `r/n`, then how many of those reproduced only after a revision and how many are inconclusive: `2/3 (1 after revision), 1 inconclusive`. */
export function countsCell(c: VerdictCounts): string {
  if (c.total === 0) return '—';
  let text = `${c.reproduced}/${c.total}`;
  if (c.revisedReproduced > 0) text += ` (${c.revisedReproduced} after revision)`;
  if (c.inconclusive > 0) text += `, ${c.inconclusive} inconclusive`;
  return text;
}

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

/** A verdict in Markdown; a revised claim's also gives the verdict under its original rule. */
function mdVerdict(c: ClaimVerdict): string {
  return c.original ? `${c.verdict} (revised; original rule: ${c.original.verdict})` : c.verdict;
}

/** Every claim of the rows with its experiment, paper claims first, then controls. */
function claimsOf(rows: readonly ReproduceRow[]): {
  paper: Array<[string, ClaimVerdict]>;
  control: Array<[string, ClaimVerdict]>;
} {
  const all = rows.flatMap((r) => r.claims.map((c) => [r.experiment, c] as [string, ClaimVerdict]));
  return {
    paper: all.filter(([, c]) => (c.kind ?? 'paper') === 'paper'),
    control: all.filter(([, c]) => c.kind === 'control'),
  };
}

/**
 * A reproduction as Markdown: what ran where, the counts (paper claims apart from controls, revised verdicts
 * apart), one row per experiment with its counts, then the paper claims, the controls and the revisions.
 */
export function reproductionMarkdown(o: {
  plugin: string;
  preset: string;
  rows: ReproduceRow[];
  totalMs: number;
  date: Date;
}): string {
  const claims = o.rows.flatMap((r) => r.claims);
  const summary = summarise(claims);
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
    `\`paperlab reproduce ${o.plugin} --preset ${o.preset}\` on ${o.date.toISOString().slice(0, 10)}: backend ${backends.join(', ')}, seed ${seeds.join(', ')}, ${o.rows.length} experiments in ${duration(o.totalMs)}${o.rows.some((r) => r.source !== 'new') ? ` (reused or resumed runs included; the runs' own wall times add up to ${duration(o.rows.reduce((t, r) => t + r.ms, 0))})` : ''}.`,
    '',
    `**${formatCounts(summary)}**; ${summary.paper!.notReproduced} paper claims not reproduced. Controls are checks this reproduction adds, not the paper's results.`,
    '',
    ...carried(o.rows),
    '| experiment | status | paper claims | controls | run | time |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of o.rows) {
    const s = summarise(r.claims);
    lines.push(
      `| ${r.experiment} | ${r.status} | ${countsCell(s.paper!)} | ${countsCell(s.control!)} | \`${r.run}\` | ${duration(r.ms)} |`,
    );
  }
  const { paper, control } = claimsOf(o.rows);
  if (paper.length) {
    lines.push('', '## Paper claims', '');
    lines.push('| experiment | claim | paper | verdict | measured | expected |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const [e, c] of paper)
      lines.push(
        `| ${e} | ${c.id} | ${cell(sourcePlace(c))} | ${mdVerdict(c)} | ${cell(c.measured)} | ${cell(c.expected)} |`,
      );
  }
  if (control.length) {
    lines.push('', '## Controls', '');
    lines.push('| experiment | claim | verdict | measured | expected |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const [e, c] of control)
      lines.push(`| ${e} | ${c.id} | ${mdVerdict(c)} | ${cell(c.measured)} | ${cell(c.expected)} |`);
  }
  const revised = [...paper, ...control].filter(([, c]) => c.original);
  if (revised.length) {
    lines.push('', '## Revised rules', '');
    lines.push(
      '| experiment | claim | revised on | reason | original rule | original verdict | verdict now |',
    );
    lines.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const [e, c] of revised)
      lines.push(
        `| ${e} | ${c.id} | ${c.original!.revisedOn} | ${cell(c.original!.reason)} | ${cell(c.original!.rule.text)} | ${c.original!.verdict} | ${c.verdict} |`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** Options of {@link reproduce}: `run`'s, plus the Markdown file, `--resume` and the expected-verdicts flags. */
export interface ReproduceOptions extends RunOptions {
  out?: string | undefined;
  resume?: boolean;
  'check-expected'?: string | true | undefined;
  'write-expected'?: string | true | undefined;
  reason?: string | undefined;
  /** Directories from which the plugin's package is resolved for the default table (default: cwd, the CLI's). */
  searchDirs?: readonly string[];
  /** Redis URL of a BullMQ queue served by `paperlab worker --queue` processes (`--queue`). */
  queue?: string | undefined;
  /** Worker processes (`--workers`); absent: one after another in this process. */
  workers?: number | undefined;
  /** Today, for the change log (tests pin it). */
  now?: Date;
}

/** What `--check-expected` / `--write-expected` ask for, checked before anything runs. */
interface ExpectedPlan {
  file: string;
  check: boolean;
  write: boolean;
  reason: string | undefined;
  table: ExpectedVerdicts | undefined;
}

/**
 * Checks the expected-verdicts flags among themselves (before plugins load): `--write-expected` needs a
 * `--reason`, `--reason` needs `--write-expected`, and the two flags cannot name different files. Returns whether
 * either flag was given.
 */
export function checkExpectedFlags(
  opts: Pick<ReproduceOptions, 'check-expected' | 'write-expected' | 'reason'>,
): boolean {
  const check = opts['check-expected'];
  const write = opts['write-expected'];
  if (check === undefined && write === undefined) {
    if (opts.reason !== undefined)
      throw new UsageError("'--reason' goes with '--write-expected' (it is logged in the table it writes).", {
        command: 'reproduce',
      });
    return false;
  }
  if (write !== undefined && (opts.reason === undefined || opts.reason.trim().length < 3))
    throw new UsageError(
      `'--write-expected' needs --reason "<why>" (at least 3 characters): every change of the committed verdicts is logged with its reason and date.`,
      { command: 'reproduce' },
    );
  if (typeof check === 'string' && typeof write === 'string' && resolve(check) !== resolve(write))
    throw new UsageError(
      `'--check-expected ${check}' and '--write-expected ${write}' name different tables; give the file once.`,
      { command: 'reproduce' },
    );
  return true;
}

/** Validates the expected-verdicts flags and reads the table, so a bad request fails before any run starts. */
async function planExpected(
  lab: Lab,
  opts: ReproduceOptions,
  plugin: string,
  preset: string,
): Promise<ExpectedPlan | undefined> {
  if (!checkExpectedFlags(opts)) return undefined;
  const check = opts['check-expected'];
  const write = opts['write-expected'];
  const named = typeof write === 'string' ? write : typeof check === 'string' ? check : undefined;
  const packageName = lab.listPlugins().find((p) => p.name === plugin)?.packageName ?? plugin;
  const file =
    named !== undefined ? resolve(named) : defaultExpectedPath(packageName, preset, opts.searchDirs);
  const table = await readExpected(file);
  if (!table && write === undefined)
    throw new UsageError(
      `No expected-verdicts table at ${file}. Create it with: paperlab reproduce ${plugin} --preset ${preset} --write-expected --reason "first table".`,
      { command: 'reproduce' },
    );
  if (table) checkTableMatches(table, file, { preset, seed: opts.seed ?? 0 });
  return { file, check: check !== undefined, write: write !== undefined, reason: opts.reason?.trim(), table };
}

/** What the expected-verdicts step did, for the text and JSON outputs. */
interface ExpectedOutcome {
  file: string;
  changes: VerdictChange[];
  /** Experiments not compared because their run did not complete. */
  notCompared: string[];
  written: boolean;
  /** Why the table was not written although `--write-expected` asked for it. */
  notWritten?: string;
}

/** Compares the completed rows with the table and, with `--write-expected`, writes the new one. */
async function settleExpected(
  plan: ExpectedPlan,
  lab: Lab,
  plugin: string,
  preset: string,
  opts: ReproduceOptions,
  rows: readonly ReproduceRow[],
): Promise<ExpectedOutcome> {
  const completed = Object.fromEntries(
    rows.filter((r) => r.status === 'completed').map((r) => [r.experiment, r.claims]),
  );
  const experiments = lab.listExperiments(plugin).map((e) => e.id);
  const notCompared = experiments.filter((id) => !(id in completed));
  const actual = actualVerdicts(completed, plan.table, experiments);
  const changes = plan.table
    ? diffVerdicts(plan.table, actual)
    : Object.entries(actual).flatMap(([experiment, claims]) =>
        claims.map((c) => ({ experiment, claim: c.id, expected: '(absent)' as const, actual: c.verdict })),
      );
  const outcome: ExpectedOutcome = { file: plan.file, changes, notCompared, written: false };
  if (!plan.write) return outcome;
  if (notCompared.length) {
    outcome.notWritten = `the runs of ${notCompared.join(', ')} did not complete`;
    return outcome;
  }
  if (plan.table && changes.length === 0) {
    outcome.notWritten = 'no verdict changed';
    return outcome;
  }
  const backend = rows.find((r) => r.status === 'completed')?.backend.name ?? opts.backend ?? 'auto';
  await writeExpected(
    plan.file,
    nextTable({
      previous: plan.table,
      actual,
      plugin,
      preset,
      seed: opts.seed ?? 0,
      backend,
      reason: plan.reason!,
      date: opts.now ?? new Date(),
    }),
  );
  outcome.written = true;
  return outcome;
}

/** Prints what the expected-verdicts step found and did. */
function printExpected(io: Io, o: ExpectedOutcome, plan: ExpectedPlan, backend: string | undefined): void {
  if (plan.table && backend && plan.table.backend !== backend)
    io.out(
      style(
        `note: ${o.file} was recorded on backend ${plan.table.backend}, these runs used ${backend}; numbers can differ between backends.`,
        'yellow',
      ),
    );
  if (o.notCompared.length) io.out(`Not compared (run did not complete): ${o.notCompared.join(', ')}.`);
  if (o.changes.length === 0) io.out(`Verdicts match ${o.file}.`);
  else {
    io.out(
      style(
        `${o.changes.length} verdict${o.changes.length > 1 ? 's' : ''} differ from ${o.file} (committed → now):`,
        o.written ? 'yellow' : 'red',
      ),
    );
    for (const line of changeLines(o.changes)) io.out(line);
  }
  if (o.written) io.out(`Wrote ${o.file} (reason logged: "${plan.reason}").`);
  else if (o.notWritten) io.out(`${o.file} left as it was: ${o.notWritten}.`);
  else if (o.changes.length)
    io.out(
      'If the change is intended, update the table in the same commit: the same command with ' +
        '--write-expected --reason "<why>".',
    );
}

/** Runs every experiment of a plugin and prints one claims table (and Markdown with `out`). */
export async function reproduce(lab: Lab, io: Io, opts: ReproduceOptions, plugin: string): Promise<number> {
  const everything = plugin === 'all';
  const experiments = lab.listExperiments(everything ? undefined : plugin);
  const workers = workerCount(opts.workers, 'reproduce');
  if (everything && (opts['check-expected'] !== undefined || opts['write-expected'] !== undefined))
    throw new UsageError(
      "'--check-expected' and '--write-expected' compare one plugin's committed table: run them per plugin.",
      { command: 'reproduce' },
    );
  if (experiments.length === 0) {
    const known = lab.listPlugins().map((p) => p.name);
    io.err(`Plugin '${plugin}' has no experiments (installed plugins: ${known.join(', ') || 'none'}).`);
    return EXIT.usage;
  }
  const preset = opts.preset ?? 'paper';
  const plan = await planExpected(lab, opts, plugin, preset);
  const strict = { strict: opts.strict, strictInconclusive: opts['strict-inconclusive'] };
  const { store, progress, signal, env, request, dispose } = runSession(lab, io, opts);
  const rows: ReproduceRow[] = [];
  let code: number = EXIT.ok;
  const started = Date.now();
  try {
    const requests = experiments.map((e) => request(e.id));
    const results = await runJobs(io, { store, progress, signal, env }, requests, {
      workers,
      reuse: !!opts.resume || !!opts.queue,
      quiet: !!opts.json,
      queue: opts.queue,
      stopOnRefusal: true,
    });
    for (const [i, r] of results.entries()) {
      const e = experiments[i]!;
      const o = r.outcome;
      if (!o) {
        if (r.error) throw new PaperlabError('E_JOB', `${e.id}: ${r.error}`);
        continue;
      }
      const h = o.header;
      rows.push({
        experiment: e.id,
        run: h.id,
        status: h.status,
        ms: h.durationMs ?? 0,
        backend: h.backend,
        seed: h.seed,
        claims: (o.result?.claims ?? []).map(withKind),
        source: r.source ?? 'new',
      });
      if (h.status !== 'completed' && h.status !== 'interrupted' && !opts.json)
        io.err(style(`  ${e.id} ${h.status}: ${h.error?.message ?? ''}`, 'red'));
      code = worstExit(code, exitCodeOf(o, strict));
    }
  } finally {
    dispose();
  }
  const totalMs = Date.now() - started;
  if (rows.length < experiments.length) code = worstExit(code, EXIT.interrupted);
  const expected = plan ? await settleExpected(plan, lab, plugin, preset, opts, rows) : undefined;
  if (expected && expected.changes.length > 0 && !expected.written)
    code = worstExit(code, EXIT.verdictsChanged);
  if (opts.out) {
    const out = resolve(opts.out);
    await writeFileAtomic(
      out,
      reproductionMarkdown({ plugin, preset, rows, totalMs, date: new Date(started) }),
    );
    if (!opts.json) io.err(`Markdown claims report: ${out}`);
  }
  const all = rows.flatMap((r) => r.claims);
  const summary = summarise(all);
  if (opts.json) {
    io.json({
      plugin,
      preset,
      totalMs,
      summary,
      counts: formatCounts(summary),
      experiments: rows.map((r) => ({ ...r, summary: summarise(r.claims) })),
      expected: expected ?? null,
    });
    return code;
  }
  io.out(
    textTable(
      ['experiment', 'status', 'paper claims', 'controls', 'time'],
      rows.map((r) => {
        const s = summarise(r.claims);
        return [r.experiment, r.status, countsCell(s.paper!), countsCell(s.control!), duration(r.ms)];
      }),
      80,
    ),
  );
  const { paper, control } = claimsOf(rows);
  if (paper.length) {
    io.out('');
    io.out(style('Paper claims', 'bold'));
    io.out(
      textTable(
        ['experiment', 'claim', 'paper', 'verdict', 'measured', 'expected'],
        paper.map(([e, c]) => [e, c.id, sourcePlace(c), verdictText(c), c.measured, c.expected]),
        70,
      ),
    );
  }
  if (control.length) {
    io.out('');
    io.out(`${style('Controls', 'bold')} (checks this reproduction adds; not the paper's results)`);
    io.out(
      textTable(
        ['experiment', 'claim', 'verdict', 'measured', 'expected'],
        control.map(([e, c]) => [e, c.id, verdictText(c), c.measured, c.expected]),
        70,
      ),
    );
  }
  const revised = revisionLines(
    paper
      .concat(control)
      .filter(([, c]) => c.original)
      .map(([e, c]) => ({ ...c, id: `${e} ${c.id}` })),
    '  ',
  );
  if (revised.length)
    io.out(['', 'Revised rules (verdicts above are under the revised rule):', ...revised].join('\n'));
  io.out('');
  for (const line of carried(rows)) if (line) io.out(line);
  io.out(`${formatCounts(summary)} — ${rows.length} experiments in ${duration(totalMs)}.`);
  if (expected && plan) {
    io.out('');
    printExpected(io, expected, plan, rows.find((r) => r.status === 'completed')?.backend.name);
  }
  if (code === EXIT.interrupted || rows.length < experiments.length)
    io.err(
      `Interrupted: 'paperlab reproduce ${plugin} --resume' (same options) continues where this stopped.`,
    );
  return code;
}
