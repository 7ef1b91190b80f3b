import { compareRuns, formatNumber, type RunComparison } from '@paperlab/core/runs';
import { useEffect, useState } from 'preact/hooks';
import { useServices } from './context.js';
import { DataTable } from './DataTable.js';
import { type CurveRun, MetricCurves } from './MetricCurves.js';

const shown = (v: unknown) => (v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: number | undefined) => (v === undefined ? '–' : formatNumber(v));

/** Two runs side by side — core's `compareRuns`, the comparison `paperlab compare` prints. */
export function ComparePage({ a, b }: { a: string; b: string }) {
  const { store } = useServices();
  const [cmp, setCmp] = useState<RunComparison>();
  const [curves, setCurves] = useState<CurveRun[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    (async () => {
      const [ha, hb] = await Promise.all([store.readHeader(a), store.readHeader(b)]);
      const [ra, rb] = await Promise.all([store.readResult(a), store.readResult(b)]);
      setCmp(compareRuns({ header: ha, result: ra }, { header: hb, result: rb }));
      const [ma, mb] = await Promise.all([store.readMetrics(a), store.readMetrics(b)]);
      setCurves([
        { label: 'A', rows: ma },
        { label: 'B', rows: mb },
      ]);
    })().catch((e) => setError((e as Error).message));
  }, [a, b, store]);
  if (error) return <div class="page error-box">{error}</div>;
  if (!cmp) return <div class="page muted">Loading…</div>;
  return (
    <div class="page" data-testid="compare-page">
      <section class="panel">
        <h2>Compare runs</h2>
        <p class="small">
          A: <a href={`#/runs/${encodeURIComponent(a)}`}>{a}</a>
          <br />
          B: <a href={`#/runs/${encodeURIComponent(b)}`}>{b}</a>
          <br />
          <span class="muted">
            Same as{' '}
            <code>
              paperlab compare {a} {b}
            </code>
            .
          </span>
        </p>
        <h3>Setup: only what differs</h3>
        {cmp.setup.length === 0 ? (
          <p class="muted" data-testid="compare-same">
            Same experiment, preset, seed, backend, plugin version and config.
          </p>
        ) : (
          <DataTable
            testId="compare-setup"
            columns={['setting', 'A', 'B']}
            rows={cmp.setup.map((d) => ({ key: d.path, cells: [d.path, shown(d.a), shown(d.b)] }))}
          />
        )}
        <h3>Scalars</h3>
        <DataTable
          testId="compare-scalars"
          columns={['scalar', 'A', 'B', 'Δ (B − A)']}
          numeric={[1, 2, 3]}
          rows={cmp.scalars.map((s) => ({
            key: s.key,
            cells: [s.key, num(s.a), num(s.b), s.delta === undefined ? '' : formatNumber(s.delta)],
          }))}
        />
        <h3>Claims</h3>
        <DataTable
          testId="compare-claims"
          columns={['claim', 'kind', 'A', 'B']}
          rows={cmp.claims.map((c) => ({ key: c.id, cells: [c.id, c.kind, c.a ?? '–', c.b ?? '–'] }))}
        />
      </section>
      <MetricCurves runs={curves} />
    </div>
  );
}
