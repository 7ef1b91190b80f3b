import { compareRuns, formatNumber, type RunComparison } from '@paperlab/core/runs';
import { useEffect, useState } from 'preact/hooks';
import { useServices } from './context.js';
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
          <table class="data" data-testid="compare-setup">
            <thead>
              <tr>
                <th>setting</th>
                <th>A</th>
                <th>B</th>
              </tr>
            </thead>
            <tbody>
              {cmp.setup.map((d) => (
                <tr key={d.path}>
                  <td>{d.path}</td>
                  <td>{shown(d.a)}</td>
                  <td>{shown(d.b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>Scalars</h3>
        <table class="data" data-testid="compare-scalars">
          <thead>
            <tr>
              <th>scalar</th>
              <th>A</th>
              <th>B</th>
              <th>Δ (B − A)</th>
            </tr>
          </thead>
          <tbody>
            {cmp.scalars.map((s) => (
              <tr key={s.key}>
                <td>{s.key}</td>
                <td class="num">{num(s.a)}</td>
                <td class="num">{num(s.b)}</td>
                <td class="num">{s.delta === undefined ? '' : formatNumber(s.delta)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Claims</h3>
        <table class="data" data-testid="compare-claims">
          <thead>
            <tr>
              <th>claim</th>
              <th>kind</th>
              <th>A</th>
              <th>B</th>
            </tr>
          </thead>
          <tbody>
            {cmp.claims.map((c) => (
              <tr key={c.id}>
                <td>{c.id}</td>
                <td>{c.kind}</td>
                <td>{c.a ?? '–'}</td>
                <td>{c.b ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <MetricCurves runs={curves} />
    </div>
  );
}
