import { join, resolve } from 'node:path';
import type { JsonValue } from '@paperlab/core';
import { writeFileAtomic } from '@paperlab/core/node';
import type { SweepRun, SweepSpec } from '@paperlab/core/runs';
import {
  canonicalJson,
  formatNumber,
  parseGridFlag,
  parseSeeds,
  parseSweepFile,
  sha256Hex,
  summariseSweep,
  sweepCells,
  sweepClaims,
  sweepJobs,
  sweepPlots,
  sweepRows,
  toCsv,
} from '@paperlab/core/runs';
import { readConfigFile } from '../configFile.js';
import { EXIT } from '../exit.js';
import { QUEUE_FLAG, runJobs, WORKERS_FLAG, workerCount } from '../jobs.js';
import { RUN_FLAGS, runSession } from '../session.js';
import { defineCommand, UsageError } from '../spec.js';
import { style, textTable } from '../ui/format.js';

/** How many scalars a sweep plots and prints when `--scalars` does not say. */
const DEFAULT_SCALARS = 4;

/** `paperlab sweep <experiment>`: a grid of configs × seeds as jobs, one tidy table, plots, claims per cell. */
export const sweepSpec = defineCommand({
  name: 'sweep',
  summary: 'run an experiment over a grid of config values and seeds',
  description:
    'Every (cell, seed) is a job whose id is a hash of the experiment, plugin version, resolved config, seed and ' +
    'backend: running the same sweep again reuses finished jobs and resumes interrupted ones, so a stopped sweep ' +
    'continues where it stopped. A failed job is listed as failed and the sweep goes on. Writes runs.csv (one row ' +
    'per job), cells.csv (mean ± s.e. over seeds, N), claims.csv (verdicts per cell), a plot per scalar (Vega-Lite ' +
    'and SVG) and sweep.json into --out.',
  args: [{ name: 'experiment', required: true, description: "experiment id ('paperlab list')" }],
  flags: [
    ...RUN_FLAGS.filter((f) => f.name !== 'seed'),
    {
      name: 'grid',
      type: 'string',
      value: 'path=v1,v2',
      repeatable: true,
      description: 'one axis of the grid: a config path and its values (brackets keep arrays whole)',
      examples: ['depth=2,3,4', 'widths=[64,128],[256]'],
    },
    {
      name: 'seeds',
      type: 'string',
      value: 'a..b',
      default: '0',
      description: 'seeds per cell: a range, a list or one seed',
      examples: ['0..9', '0,3,7'],
    },
    {
      name: 'file',
      type: 'string',
      value: 'sweep.json',
      description: 'read the grid, seeds, preset, set and backend from a JSON or YAML file (flags add to it)',
    },
    WORKERS_FLAG,
    QUEUE_FLAG,
    { name: 'out', type: 'string', value: 'dir', description: 'where to write the tables and plots' },
    {
      name: 'scalars',
      type: 'string',
      value: 'a,b',
      description: `scalars to plot and print (default: the first ${DEFAULT_SCALARS} that vary over the jobs)`,
    },
  ],
  examples: [
    'paperlab sweep ntk/jacot2018 --preset smoke --grid depth=2,3,4 --grid sigmaB2=0,0.1 --seeds 0..2 --workers 2',
    'paperlab sweep ntk/jacot2018 --file sweep.json --out sweeps/jacot',
    'paperlab sweep ntk/jacot2018 --preset smoke --grid depth=2,3 --queue redis://127.0.0.1:6379',
  ],
  async run({ args, flags }, ctx) {
    const fromFile = flags.file ? await readSweepFile(flags.file) : undefined;
    if (fromFile?.experiment && fromFile.experiment !== args.experiment)
      throw new UsageError(`${flags.file} is a sweep of ${fromFile.experiment}, not ${args.experiment}.`, {
        command: 'sweep',
      });
    const spec: SweepSpec = {
      experiment: args.experiment,
      preset: flags.preset !== 'paper' || fromFile?.preset === undefined ? flags.preset : fromFile.preset,
      set: [...(fromFile?.set ?? []), ...flags.set],
      grid: [...(fromFile?.grid ?? []), ...flags.grid.map(parseGridFlag)],
      seeds: flags.seeds !== '0' || !fromFile ? parseSeeds(flags.seeds) : fromFile.seeds,
      backend: flags.backend !== 'auto' ? flags.backend : (fromFile?.backend ?? 'auto'),
      ...(flags.force ? { force: true } : {}),
    };
    const workers = workerCount(flags.workers, 'sweep');
    const lab = await ctx.lab();
    lab.experiment(spec.experiment); // an unknown id fails here, with suggestions
    const jobs = sweepJobs(spec);
    const io = ctx.io;
    const json = ctx.global.json;
    const { store, progress, signal, env, dispose } = runSession(lab, io, {
      ...ctx.global,
      ...flags,
      set: [],
    });
    const id = sweepId(spec);
    const out = resolve(flags.out ?? join(store.location, '.sweeps', id));
    const started = Date.now();
    let results: Awaited<ReturnType<typeof runJobs>>;
    try {
      if (!json)
        io.err(
          `Sweep ${id}: ${sweepCells(spec).length} cells × ${spec.seeds.length} seeds = ${jobs.length} jobs, ${workers} worker${workers > 1 ? 's' : ''}.`,
        );
      results = await runJobs(
        io,
        { store, progress, signal, env },
        jobs.map((j) => j.request),
        {
          workers,
          reuse: true,
          quiet: json,
          queue: flags.queue,
          label: (i) => `${jobs[i]!.cell.label} seed ${jobs[i]!.seed}`,
        },
      );
    } finally {
      dispose();
    }
    const runs: SweepRun[] = results.map((r, i) => {
      const h = r.outcome?.header;
      return {
        cell: jobs[i]!.cell.index,
        seed: jobs[i]!.seed,
        job: r.job ?? '',
        ...(h ? { run: h.id } : {}),
        ...(r.source ? { source: r.source } : {}),
        status: h?.status ?? (r.error ? 'failed' : 'not-started'),
        ...(r.error ? { error: r.error } : {}),
        ...(r.outcome?.result ? { scalars: r.outcome.result.scalars, claims: r.outcome.result.claims } : {}),
      };
    });
    const summary = summariseSweep(spec, runs);
    const claims = sweepClaims(spec, runs);
    const reported = [...new Set(runs.flatMap((r) => Object.keys(r.scalars ?? {})))];
    // By default the scalars that vary over the jobs (a count or a config echo says nothing about the grid).
    const varies = (k: string) =>
      new Set(runs.map((r) => r.scalars?.[k]).filter((v) => v !== undefined)).size > 1;
    const scalars = flags.scalars
      ? flags.scalars.split(',').map((s) => s.trim())
      : [...reported.filter(varies), ...reported.filter((k) => !varies(k))].slice(0, DEFAULT_SCALARS);
    const unknown = scalars.filter((s) => !reported.includes(s));
    if (flags.scalars && unknown.length && reported.length)
      io.err(
        style(`note: no run reported ${unknown.join(', ')} (scalars: ${reported.join(', ')})`, 'yellow'),
      );
    const axes = spec.grid.map((a) => a.path);
    const cellRows = summary.map((s) => {
      const row: Record<string, string | number | null> = {};
      for (const [k, v] of Object.entries(s.cell.values))
        row[k] = typeof v === 'number' ? v : JSON.stringify(v);
      row.completed = s.completed;
      row.failed = s.failed;
      for (const [k, m] of Object.entries(s.scalars)) {
        row[`${k}_mean`] = m.mean;
        row[`${k}_sem`] = m.sem;
        row[`${k}_n`] = m.n;
      }
      return row;
    });
    const claimRows = claims.map((c) => ({
      cell: c.cell.label,
      claim: c.claim,
      kind: c.kind,
      reproduced: c.counts.reproduced,
      not_reproduced: c.counts['not-reproduced'],
      inconclusive: c.counts.inconclusive,
      n: c.n,
    }));
    await writeFileAtomic(join(out, 'runs.csv'), toCsv(sweepRows(spec, runs)));
    await writeFileAtomic(join(out, 'cells.csv'), toCsv(cellRows));
    await writeFileAtomic(join(out, 'claims.csv'), toCsv(claimRows));
    const plots = sweepPlots(spec, summary, scalars);
    const { renderPlotSvg, withData } = await import('@paperlab/core/plots');
    for (const { plot, rows } of plots) {
      await writeFileAtomic(
        join(out, 'plots', `${plot.id}.vl.json`),
        JSON.stringify(withData(plot, rows), null, 2),
      );
      await writeFileAtomic(join(out, 'plots', `${plot.id}.svg`), await renderPlotSvg(plot, rows));
    }
    const failed = runs.filter((r) => r.status !== 'completed' && r.status !== 'not-started');
    const notStarted = runs.filter((r) => r.status === 'not-started');
    const record = {
      format: 'paperlab.sweep/1',
      id,
      spec,
      totalMs: Date.now() - started,
      jobs: runs.map(({ scalars: _s, claims: _c, ...r }) => r),
      cells: summary.map((s) => ({ ...s, cell: s.cell })),
      claims: claimRows,
      plots: plots.map((p) => `plots/${p.plot.id}.svg`),
    };
    await writeFileAtomic(join(out, 'sweep.json'), `${JSON.stringify(record, null, 2)}\n`);
    const code = notStarted.length ? EXIT.interrupted : failed.length ? EXIT.failed : EXIT.ok;
    if (json) {
      io.json({ ...record, out });
      return code;
    }
    const shown = scalars.filter((s) => reported.includes(s));
    io.out(
      textTable(
        [...(axes.length ? axes : ['cell']), 'done', ...shown.map((s) => `${s} (±s.e.)`)],
        summary.map((s) => [
          ...(axes.length ? axes.map((a) => JSON.stringify(s.cell.values[a])) : [s.cell.label]),
          `${s.completed}/${s.completed + s.failed}`,
          ...shown.map((k) =>
            s.scalars[k] ? `${formatNumber(s.scalars[k]!.mean)} ± ${formatNumber(s.scalars[k]!.sem)}` : '—',
          ),
        ]),
        80,
      ),
    );
    if (claims.length) {
      io.out('');
      io.out(
        `${style('Claims per cell', 'bold')} (seeds reproduced / not / inconclusive; paper claims first)`,
      );
      const ordered = [...claims].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'paper' ? -1 : 1));
      io.out(
        textTable(
          ['cell', 'claim', 'kind', 'reproduced', 'not', 'inconclusive'],
          ordered.map((c) => [
            c.cell.label,
            c.claim,
            c.kind,
            `${c.counts.reproduced}/${c.n}`,
            String(c.counts['not-reproduced']),
            String(c.counts.inconclusive),
          ]),
          60,
        ),
      );
    }
    for (const f of failed)
      io.out(
        style(
          `failed: ${sweepCells(spec)[f.cell]!.label} seed ${f.seed}${f.run ? ` (run ${f.run})` : ''}: ${f.error ?? f.status}`,
          'red',
        ),
      );
    if (notStarted.length)
      io.err(
        `Interrupted with ${notStarted.length} job${notStarted.length > 1 ? 's' : ''} not started: the same command continues (finished jobs are reused).`,
      );
    io.out('');
    io.out(`Tables and plots: ${out}`);
    return code;
  },
});

/** A sweep's id: a hash of what it asks for (the same sweep, the same id and output folder). */
function sweepId(spec: SweepSpec): string {
  return `sweep-${sha256Hex(canonicalJson(spec as unknown as JsonValue)).slice(0, 12)}`;
}

async function readSweepFile(file: string): Promise<ReturnType<typeof parseSweepFile>> {
  return parseSweepFile(await readConfigFile(file, '--file'), file);
}
