import type { JsonValue } from '../contracts/state.js';
import type { RunHeader, RunResult } from '../runs/record.js';

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

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** Leaf paths of two configs whose values differ (objects compared key by key; arrays as whole values). */
function configDiff(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  path: string,
  out: ConfigDifference[],
) {
  const isObj = (v: unknown): v is { [k: string]: JsonValue } =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      configDiff(a[k], b[k], path ? `${path}.${k}` : k, out);
  } else if (!same(a, b)) out.push({ path, a, b });
}

/**
 * Compares two runs — the comparison `paperlab compare` prints and the web app's history shows: the setup values
 * that differ (only those), every scalar with Δ = b − a, every claim's verdict in each run.
 */
export function compareRuns(
  a: { header: RunHeader; result?: RunResult | undefined },
  b: { header: RunHeader; result?: RunResult | undefined },
): RunComparison {
  const setup: ConfigDifference[] = [];
  const facts = (h: RunHeader): Array<[string, JsonValue]> => [
    ['experiment', h.experiment],
    ['preset', h.preset],
    ['seed', h.seed],
    ['backend', h.backend.name],
    ['plugin version', h.plugin.version],
  ];
  const fb = new Map(facts(b.header));
  for (const [k, v] of facts(a.header)) if (!same(v, fb.get(k))) setup.push({ path: k, a: v, b: fb.get(k) });
  const diffs: ConfigDifference[] = [];
  configDiff(a.header.config, b.header.config, '', diffs);
  setup.push(...diffs.map((d) => ({ ...d, path: `config.${d.path}` })));
  const sa = a.result?.scalars ?? {};
  const sb = b.result?.scalars ?? {};
  const scalars = [...new Set([...Object.keys(sa), ...Object.keys(sb)])].map((key) => {
    const va = sa[key];
    const vb = sb[key];
    return { key, a: va, b: vb, delta: va !== undefined && vb !== undefined ? vb - va : undefined };
  });
  const ca = a.result?.claims ?? [];
  const cb = b.result?.claims ?? [];
  const claims = [...new Set([...ca.map((c) => c.id), ...cb.map((c) => c.id)])]
    .map((id) => {
      const x = ca.find((c) => c.id === id);
      const y = cb.find((c) => c.id === id);
      return { id, kind: (y ?? x)?.kind ?? 'paper', a: x?.verdict, b: y?.verdict } as const;
    })
    .sort((x, y) => Number(x.kind === 'control') - Number(y.kind === 'control'));
  return { a: a.header.id, b: b.header.id, setup, scalars, claims };
}
