import {
  changeColumn,
  compareRunSet,
  formatNumber,
  type RunSetComparison,
  runLabel,
} from '@paperlab/core/runs';
import { useEffect, useState } from 'preact/hooks';
import { useServices } from './context.js';
import { DataTable } from './DataTable.js';
import { type CurveRun, MetricCurves } from './MetricCurves.js';

const shown = (v: unknown) => (v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: number | undefined, absent = '–') => (v === undefined ? absent : formatNumber(v));

/**
 * Two to eight runs side by side — core's `compareRunSet`, the comparison `paperlab compare` prints: Δ = B − A for
 * two runs, max − min for more.
 */
export function ComparePage({ ids }: { ids: readonly string[] }) {
  const { store } = useServices();
  const [cmp, setCmp] = useState<RunSetComparison>();
  const [curves, setCurves] = useState<CurveRun[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    (async () => {
      const runs = await Promise.all(
        ids.map(async (id) => ({ header: await store.readHeader(id), result: await store.readResult(id) })),
      );
      setCmp(compareRunSet(runs));
      const metrics = await Promise.all(ids.map((id) => store.readMetrics(id)));
      setCurves(metrics.map((rows, i) => ({ label: runLabel(i), rows })));
    })().catch((e) => setError((e as Error).message));
  }, [ids, store]);
  if (error) return <div class="page error-box">{error}</div>;
  if (!cmp) return <div class="page muted">Loading…</div>;
  const labels = cmp.runs.map((_, i) => runLabel(i));
  const change = changeColumn(cmp);
  const numeric = labels.map((_, i) => i + 1);
  return (
    <div class="page" data-testid="compare-page">
      <section class="panel">
        <h2>Compare runs</h2>
        <p class="small">
          {cmp.runs.map((id, i) => (
            // Keyed by position: an address may name the same run twice.
            <span key={`${i}-${id}`}>
              {labels[i]}: <a href={`#/runs/${encodeURIComponent(id)}`}>{id}</a>
              <br />
            </span>
          ))}
          <span class="muted">
            Same as <code>paperlab compare {cmp.runs.join(' ')}</code>.
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
            columns={['setting', ...labels]}
            rows={cmp.setup.map((d) => ({ key: d.path, cells: [d.path, ...d.values.map(shown)] }))}
          />
        )}
        <h3>Scalars</h3>
        <DataTable
          testId="compare-scalars"
          columns={['scalar', ...labels, change.title]}
          numeric={[...numeric, labels.length + 1]}
          rows={cmp.scalars.map((s) => ({
            key: s.key,
            cells: [s.key, ...s.values.map((v) => num(v)), num(change.value(s), '')],
          }))}
        />
        <h3>Claims</h3>
        <DataTable
          testId="compare-claims"
          columns={['claim', 'kind', ...labels]}
          rows={cmp.claims.map((c) => ({
            key: c.id,
            cells: [c.id, c.kind, ...c.verdicts.map((v) => v ?? '–')],
          }))}
        />
      </section>
      <MetricCurves runs={curves} />
    </div>
  );
}
