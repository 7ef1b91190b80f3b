import { type JsonObject, parseValue } from '../config/resolve.js';
import type { ClaimKind, ClaimVerdict, Verdict } from '../contracts/claim.js';
import type { PlotSpec, SeriesRow } from '../contracts/output.js';
import type { JsonValue } from '../contracts/state.js';
import { meanSem } from '../kit/summaries.js';
import { heatmapPlot, linePlot } from '../plots/specs.js';
import { ConfigError } from '../util/errors.js';
import type { RunRequest } from './runner.js';

/** One axis of a sweep grid: a config path and the values it takes. */
export interface SweepAxis {
  path: string;
  values: JsonValue[];
}

/** A sweep: one experiment over the product of the grid axes, each cell run once per seed. */
export interface SweepSpec {
  experiment: string;
  /** Preset under the grid values (default `paper`; `null` for schema defaults). */
  preset?: string | null;
  /** Overrides applied to every cell, under the grid values (`path=value` strings). */
  set?: readonly string[];
  grid: SweepAxis[];
  seeds: number[];
  /** Requested backend (default `auto`). */
  backend?: string;
  force?: boolean;
}

/** Bounds on a sweep's size: a typo such as `--seeds 0..99999` is an error, not a day of runs. */
export const SWEEP_LIMITS = { axes: 8, values: 200, seeds: 1000, jobs: 10_000 } as const;

/** One grid point: its index and the value of every axis. */
export interface SweepCell {
  index: number;
  values: Record<string, JsonValue>;
  /** `path=value, path=value` (or `(defaults)` for a sweep without axes). */
  label: string;
}

/** One job of a sweep: a cell and a seed, with the run request that does it. */
export interface SweepJob {
  cell: SweepCell;
  seed: number;
  request: RunRequest;
}

/** What became of one job: the run's status, and its scalars and claims when it completed. */
export interface SweepRun {
  cell: number;
  seed: number;
  job: string;
  run?: string;
  /** How the run came about: new, a finished run of the same job reused, or an interrupted one resumed. */
  source?: 'new' | 'reused' | 'resumed';
  status: 'completed' | 'failed' | 'interrupted' | 'crashed' | 'running' | 'not-started';
  error?: string;
  scalars?: Record<string, number>;
  claims?: ClaimVerdict[];
}

/** Per cell and scalar: mean ± sem over the seeds that completed, with N. */
export interface SweepCellSummary {
  cell: SweepCell;
  completed: number;
  failed: number;
  scalars: Record<string, { mean: number; sem: number; n: number }>;
}

/** Per cell and claim: how many seeds gave each verdict. */
export interface SweepClaimRow {
  cell: SweepCell;
  claim: string;
  kind: ClaimKind;
  counts: Record<Verdict, number>;
  n: number;
}

const flagError = (flag: string, received: string, expected: string) =>
  new ConfigError(flag, [{ path: flag, expected, received: `'${received}'` }]);

/** Splits on commas outside brackets and quotes: `a=[1,2],[3]` has the values `[1,2]` and `[3]`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== '\\') quote = !quote;
    else if (!quote && (c === '[' || c === '{')) depth++;
    else if (!quote && (c === ']' || c === '}')) depth--;
    else if (!quote && depth === 0 && c === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** Parses `--grid path=v1,v2,...` (values as `--set` reads them; brackets keep array values whole). */
export function parseGridFlag(text: string): SweepAxis {
  const eq = text.indexOf('=');
  const path = text.slice(0, eq).trim();
  if (eq <= 0 || !/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(path))
    throw flagError('--grid', text, 'path=v1,v2,... (e.g. --grid depth=2,3,4)');
  const values = splitTopLevel(text.slice(eq + 1)).map(parseValue);
  if (values.length === 0 || values.some((v) => v === ''))
    throw flagError('--grid', text, `at least one non-empty value for ${path}`);
  if (values.length > SWEEP_LIMITS.values)
    throw flagError('--grid', text, `at most ${SWEEP_LIMITS.values} values per axis`);
  return { path, values };
}

/** Parses `--seeds`: `0..9` (inclusive), `0,3,7` or `5`. */
export function parseSeeds(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  const seeds = range
    ? Array.from(
        { length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) },
        (_, i) => Number(range[1]) + i,
      )
    : text.split(',').map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : Number.NaN));
  if (seeds.length === 0 || seeds.some((s) => !Number.isSafeInteger(s)))
    throw flagError('--seeds', text, 'a range a..b, a list a,b,c or one seed (non-negative integers)');
  if (seeds.length > SWEEP_LIMITS.seeds)
    throw flagError('--seeds', text, `at most ${SWEEP_LIMITS.seeds} seeds`);
  return [...new Set(seeds)];
}

/** Checks a sweep's size and shape: axes distinct and bounded, seeds given, jobs within the limit. */
export function checkSweep(spec: SweepSpec): void {
  const paths = spec.grid.map((a) => a.path);
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup) throw flagError('--grid', dup, 'each config path on one axis only');
  if (spec.grid.length > SWEEP_LIMITS.axes)
    throw flagError('--grid', paths.join(' '), `at most ${SWEEP_LIMITS.axes} axes`);
  if (spec.seeds.length === 0) throw flagError('--seeds', '', 'at least one seed');
  const jobs = spec.grid.reduce((n, a) => n * a.values.length, 1) * spec.seeds.length;
  if (jobs > SWEEP_LIMITS.jobs)
    throw flagError(
      '--grid',
      paths.join(' '),
      `at most ${SWEEP_LIMITS.jobs} jobs (cells × seeds); this sweep has ${jobs}`,
    );
}

const show = (v: JsonValue) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The grid's cells, first axis outermost. */
export function sweepCells(spec: SweepSpec): SweepCell[] {
  let combos: Array<Record<string, JsonValue>> = [{}];
  for (const axis of spec.grid)
    combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.path]: v })));
  return combos.map((values, index) => ({
    index,
    values,
    label: Object.keys(values).length
      ? Object.entries(values)
          .map(([k, v]) => `${k}=${show(v)}`)
          .join(', ')
      : '(defaults)',
  }));
}

/** Every job of a sweep (cells outermost, then seeds), each with its run request. */
export function sweepJobs(spec: SweepSpec): SweepJob[] {
  checkSweep(spec);
  return sweepCells(spec).flatMap((cell) =>
    spec.seeds.map((seed) => ({
      cell,
      seed,
      request: {
        experiment: spec.experiment,
        preset: spec.preset === undefined ? 'paper' : spec.preset,
        overrides: [
          ...(spec.set ?? []),
          ...Object.entries(cell.values).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
        ],
        seed,
        backend: spec.backend ?? 'auto',
        ...(spec.force ? { force: true } : {}),
      },
    })),
  );
}

/** The tidy table of a sweep: one row per job with the cell's values, the seed, the status and every scalar. */
export function sweepRows(spec: SweepSpec, runs: readonly SweepRun[]): SeriesRow[] {
  const cells = sweepCells(spec);
  return runs.map((r) => {
    const row: SeriesRow = {};
    for (const [k, v] of Object.entries(cells[r.cell]!.values))
      row[k] =
        typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v);
    row.seed = r.seed;
    row.status = r.status;
    row.run = r.run ?? null;
    for (const [k, v] of Object.entries(r.scalars ?? {})) row[k] = Number.isFinite(v) ? v : null;
    return row;
  });
}

/** Per cell: how many seeds completed or failed, and mean ± sem (N) of every scalar over the completed ones. */
export function summariseSweep(spec: SweepSpec, runs: readonly SweepRun[]): SweepCellSummary[] {
  return sweepCells(spec).map((cell) => {
    const mine = runs.filter((r) => r.cell === cell.index);
    const done = mine.filter((r) => r.status === 'completed' && r.scalars);
    const keys = [...new Set(done.flatMap((r) => Object.keys(r.scalars!)))];
    const scalars: SweepCellSummary['scalars'] = {};
    for (const k of keys) {
      const values = done.map((r) => r.scalars![k]).filter((v): v is number => Number.isFinite(v));
      if (values.length) scalars[k] = meanSem(values);
    }
    return { cell, completed: done.length, failed: mine.length - done.length, scalars };
  });
}

/** Per cell and claim: the verdicts over the seeds that completed (claims in the experiment's order). */
export function sweepClaims(spec: SweepSpec, runs: readonly SweepRun[]): SweepClaimRow[] {
  return sweepCells(spec).flatMap((cell) => {
    const claims = runs
      .filter((r) => r.cell === cell.index && r.status === 'completed')
      .flatMap((r) => r.claims ?? []);
    const ids = [...new Set(claims.map((c) => c.id))];
    return ids.map((id) => {
      const mine = claims.filter((c) => c.id === id);
      const counts: Record<Verdict, number> = { reproduced: 0, 'not-reproduced': 0, inconclusive: 0 };
      for (const c of mine) counts[c.verdict]++;
      return { cell, claim: id, kind: mine[0]!.kind ?? 'paper', counts, n: mine.length };
    });
  });
}

/** Series rows of one scalar per cell (mean, sem, n) for plotting, keyed by the axes. */
function plotRows(summary: readonly SweepCellSummary[], scalar: string): SeriesRow[] {
  return summary
    .filter((s) => s.scalars[scalar])
    .map((s) => {
      const row: SeriesRow = {};
      for (const [k, v] of Object.entries(s.cell.values)) row[k] = typeof v === 'number' ? v : show(v);
      const m = s.scalars[scalar]!;
      return { ...row, mean: m.mean, sem: m.sem, n: m.n };
    });
}

/**
 * A plot per scalar over the grid: a line with ±sem error bars over a numeric first axis (coloured by the other
 * axes), a heat map of the mean over two axes when the first is not numeric, or points over the cells.
 */
export function sweepPlots(
  spec: SweepSpec,
  summary: readonly SweepCellSummary[],
  scalars: readonly string[],
): Array<{ plot: PlotSpec; rows: SeriesRow[] }> {
  const axes = spec.grid.map((a) => a.path);
  const numericFirst = spec.grid[0]?.values.every((v) => typeof v === 'number') ?? false;
  return scalars.flatMap((scalar) => {
    const rows = plotRows(summary, scalar);
    if (rows.length === 0) return [];
    const id = `sweep-${scalar.replace(/[^\w.-]/g, '_')}`;
    const title = `${scalar} over ${axes.join(' × ') || 'the seeds'} (mean ± s.e. over seeds)`;
    if (axes.length === 2 && !numericFirst) {
      const plot = heatmapPlot({ id, title, series: 'sweep', x: axes[0]!, y: axes[1]!, value: 'mean' });
      return [{ plot, rows }];
    }
    const rest = axes.slice(1);
    const withGroup = rows.map((r) => ({
      ...r,
      cell: rest.length ? rest.map((a) => `${a}=${r[a]}`).join(', ') : 'all',
    }));
    const color = rest.length ? { color: 'cell' } : {};
    const plot: PlotSpec = numericFirst
      ? linePlot({
          id,
          title,
          series: 'sweep',
          x: axes[0]!,
          y: 'mean',
          yTitle: scalar,
          errorBar: 'sem',
          ...color,
        })
      : {
          id,
          title,
          series: 'sweep',
          spec: {
            width: 420,
            height: 280,
            title,
            mark: { type: 'point', filled: true },
            encoding: {
              x: { field: axes[0] ?? 'cell', type: 'nominal' },
              y: { field: 'mean', type: 'quantitative', title: scalar, scale: { zero: false } },
              ...(rest.length ? { color: { field: 'cell', type: 'nominal' } } : {}),
            },
          },
        };
    return [{ plot, rows: withGroup }];
  });
}

/** Rows as CSV (header from every key that occurs; strings quoted when needed). */
export function toCsv(rows: readonly SeriesRow[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: SeriesRow[string] | undefined) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[keys.join(','), ...rows.map((r) => keys.map((k) => cell(r[k])).join(','))].join('\n')}\n`;
}

/** A sweep file (`paperlab sweep --file`): the same fields as the flags, validated with errors naming the field. */
export function parseSweepFile(
  value: unknown,
  file: string,
): Omit<SweepSpec, 'experiment'> & { experiment?: string } {
  const bad = (path: string, expected: string, received: unknown) =>
    new ConfigError(file, [{ path, expected, received: JSON.stringify(received) ?? String(received) }]);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad('(root)', 'an object', value);
  const v = value as JsonObject;
  const known = new Set(['experiment', 'preset', 'set', 'grid', 'seeds', 'backend']);
  for (const k of Object.keys(v)) if (!known.has(k)) throw bad(k, `one of ${[...known].join(', ')}`, k);
  const grid: SweepAxis[] = [];
  const g = v.grid ?? {};
  if (typeof g !== 'object' || g === null || Array.isArray(g))
    throw bad('grid', 'an object path → array of values', g);
  for (const [path, values] of Object.entries(g)) {
    if (!Array.isArray(values) || values.length === 0 || values.length > SWEEP_LIMITS.values)
      throw bad(`grid.${path}`, `an array of 1–${SWEEP_LIMITS.values} values`, values);
    grid.push({ path, values });
  }
  const seeds = v.seeds ?? [0];
  const seedList =
    typeof seeds === 'string'
      ? parseSeeds(seeds)
      : Array.isArray(seeds) && seeds.every((s) => Number.isSafeInteger(s) && (s as number) >= 0)
        ? (seeds as number[])
        : null;
  if (!seedList) throw bad('seeds', "an array of non-negative integers or a range '0..9'", seeds);
  const set = v.set ?? [];
  if (!Array.isArray(set) || set.some((s) => typeof s !== 'string'))
    throw bad('set', 'an array of "path=value" strings', set);
  for (const k of ['experiment', 'backend'] as const)
    if (v[k] !== undefined && typeof v[k] !== 'string') throw bad(k, 'a string', v[k]);
  if (v.preset !== undefined && v.preset !== null && typeof v.preset !== 'string')
    throw bad('preset', 'a preset name or null', v.preset);
  return {
    ...(typeof v.experiment === 'string' ? { experiment: v.experiment } : {}),
    ...(v.preset !== undefined ? { preset: v.preset as string | null } : {}),
    set: set as string[],
    grid,
    seeds: seedList,
    ...(typeof v.backend === 'string' ? { backend: v.backend } : {}),
  };
}
