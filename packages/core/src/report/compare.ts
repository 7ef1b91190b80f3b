import type { JsonValue } from '../contracts/state.js';
import type { RunHeader, RunResult } from '../runs/record.js';
import { PaperlabError } from '../util/errors.js';

/** One config value that differs between two runs (`undefined`: absent in that run). */
export interface ConfigDifference {
  /** Dotted path, e.g. `train.lr` or `widths`. */
  path: string;
  a: JsonValue | undefined;
  b: JsonValue | undefined;
}

/** Two runs side by side: what differs in their setup, their scalars with Δ = b − a, and their verdicts. */
export interface RunComparison {
  a: string;
  b: string;
  /** Setup values that differ: experiment, preset, seed, backend, then config paths. */
  setup: ConfigDifference[];
  /** Every scalar either run has; `delta` when both are numbers. */
  scalars: Array<{ key: string; a: number | undefined; b: number | undefined; delta: number | undefined }>;
  /** Every claim either run judged: paper claims first, then controls. */
  claims: Array<{ id: string; kind: 'paper' | 'control'; a: string | undefined; b: string | undefined }>;
}

/** The most runs one comparison takes (columns A to H). */
export const MAX_COMPARED_RUNS = 8;

/** One run as a comparison reads it: its header and, once it finished, its result. */
export interface ComparedRun {
  header: RunHeader;
  result?: RunResult | undefined;
}

/** Two to eight runs side by side; every list holds one entry per run, in the order the runs were given. */
export interface RunSetComparison {
  /** Run ids, first = the reference run that Δ is taken against. */
  runs: string[];
  /**
   * Setup values that are not the same in every run: experiment, preset, seed, backend, plugin version, then
   * config paths.
   */
  setup: Array<{ path: string; values: Array<JsonValue | undefined> }>;
  /**
   * Every scalar any run has; `deltas[i]` = run i − run 0 when both have it (`deltas[0]` is 0 or undefined);
   * `range` = largest − smallest value when at least two runs have it.
   */
  scalars: Array<{
    key: string;
    values: Array<number | undefined>;
    deltas: Array<number | undefined>;
    range: number | undefined;
  }>;
  /** Every claim any run judged, paper claims first, then controls, with each run's verdict. */
  claims: Array<{ id: string; kind: 'paper' | 'control'; verdicts: Array<string | undefined> }>;
}

/** The scalar table's last column: Δ (B − A) when two runs are compared, max − min across more. */
export function changeColumn(cmp: RunSetComparison): {
  title: string;
  value: (s: RunSetComparison['scalars'][number]) => number | undefined;
} {
  return cmp.runs.length === 2
    ? { title: 'Δ (B − A)', value: (s) => s.deltas[1] }
    : { title: 'max − min', value: (s) => s.range };
}

/** Column label of the i-th compared run: A, B, … H. */
export const runLabel = (i: number): string => String.fromCharCode(65 + i);

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
const allSame = (vs: readonly unknown[]) => vs.every((v) => same(v, vs[0]));
const isObj = (v: unknown): v is { [k: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf paths whose values are not the same in every config (objects compared key by key; arrays as whole values). */
function configDiff(
  values: Array<JsonValue | undefined>,
  path: string,
  out: Array<{ path: string; values: Array<JsonValue | undefined> }>,
) {
  if (values.every(isObj)) {
    const keys = [...new Set(values.flatMap((v) => Object.keys(v)))].sort();
    for (const k of keys)
      configDiff(
        values.map((v) => v[k]),
        path ? `${path}.${k}` : k,
        out,
      );
  } else if (!allSame(values)) out.push({ path, values });
}

/**
 * Compares two to eight runs — the comparison `paperlab compare` prints and the web app's history shows: the setup
 * values that are not the same in every run (only those), every scalar with Δ against the first run, and every
 * claim's verdict in each run. More runs than {@link MAX_COMPARED_RUNS}, or fewer than two, is an error.
 */
export function compareRunSet(runs: readonly ComparedRun[]): RunSetComparison {
  if (runs.length < 2 || runs.length > MAX_COMPARED_RUNS)
    throw new PaperlabError(
      'E_CONFIG',
      `A comparison takes 2 to ${MAX_COMPARED_RUNS} runs; got ${runs.length}.`,
    );
  const facts = (h: RunHeader): Array<[string, JsonValue]> => [
    ['experiment', h.experiment],
    ['preset', h.preset],
    ['seed', h.seed],
    ['backend', h.backend.name],
    ['plugin version', h.plugin.version],
  ];
  const setup: RunSetComparison['setup'] = [];
  const byRun = runs.map((r) => new Map(facts(r.header)));
  for (const [k] of facts(runs[0]!.header)) {
    const values = byRun.map((m) => m.get(k));
    if (!allSame(values)) setup.push({ path: k, values });
  }
  const diffs: RunSetComparison['setup'] = [];
  configDiff(
    runs.map((r) => r.header.config),
    '',
    diffs,
  );
  setup.push(...diffs.map((d) => ({ ...d, path: `config.${d.path}` })));
  const scalarMaps = runs.map((r) => r.result?.scalars ?? {});
  const scalars = [...new Set(scalarMaps.flatMap((s) => Object.keys(s)))].map((key) => {
    const values = scalarMaps.map((s) => s[key]);
    const ref = values[0];
    const deltas = values.map((v) => (v !== undefined && ref !== undefined ? v - ref : undefined));
    const present = values.filter((v): v is number => v !== undefined);
    const range = present.length < 2 ? undefined : Math.max(...present) - Math.min(...present);
    return { key, values, deltas, range };
  });
  const claimLists = runs.map((r) => r.result?.claims ?? []);
  const claims = [...new Set(claimLists.flatMap((cs) => cs.map((c) => c.id)))]
    .map((id) => {
      const found = claimLists.map((cs) => cs.find((c) => c.id === id));
      // The kind as the last run that judged the claim declares it (a revision may have moved it).
      const kind = found.findLast((c) => c !== undefined)?.kind ?? 'paper';
      return { id, kind, verdicts: found.map((c) => c?.verdict) };
    })
    .sort((x, y) => Number(x.kind === 'control') - Number(y.kind === 'control'));
  return { runs: runs.map((r) => r.header.id), setup, scalars, claims };
}

/**
 * Compares two runs — {@link compareRunSet} of `[a, b]` read as A/B columns: the setup values that differ (only
 * those), every scalar with Δ = b − a, every claim's verdict in each run.
 */
export function compareRuns(a: ComparedRun, b: ComparedRun): RunComparison {
  const set = compareRunSet([a, b]);
  return {
    a: a.header.id,
    b: b.header.id,
    setup: set.setup.map((d) => ({ path: d.path, a: d.values[0], b: d.values[1] })),
    scalars: set.scalars.map((s) => ({ key: s.key, a: s.values[0], b: s.values[1], delta: s.deltas[1] })),
    claims: set.claims.map((c) => ({ id: c.id, kind: c.kind, a: c.verdicts[0], b: c.verdicts[1] })),
  };
}
