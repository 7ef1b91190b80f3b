import {
  exportRun,
  type MetricRow,
  type RunHeader,
  type RunResult,
  stringifyBundle,
} from '@paperlab/core/runs';
import { useEffect, useState } from 'preact/hooks';
import { experimentHash } from '../lib/formUrl.js';
import { useServices } from './context.js';
import { download } from './format.js';
import { MetricCurves } from './MetricCurves.js';
import { ClaimsTable, Plots, ResultTables, RunFacts, Status } from './RunView.js';

interface PlotView {
  id: string;
  title: string;
  svg: string;
}

/** Plots of a stored run: its `plots/*.svg`, rendered in the worker first when the record has none. */
function useStoredPlots(
  runId: string | undefined,
  result: RunResult | undefined,
): { plots: PlotView[]; error?: string } {
  const { store, client } = useServices();
  const [state, setState] = useState<{ plots: PlotView[]; error?: string }>({ plots: [] });
  useEffect(() => {
    let cancelled = false;
    setState({ plots: [] });
    if (!runId || !result?.plots?.length) return;
    const load = async () => {
      let files = await store.listFiles(runId, 'plots');
      let error: string | undefined;
      // The worker renders into the browser's store only; a CLI run without SVGs shows none.
      if (files.length === 0 && (await store.sourceOf(runId)) === 'browser') {
        const reply = await client.request<{ type: 'rendered'; id: number; plots: string[]; error?: string }>(
          {
            type: 'render',
            runId,
          },
        );
        error = reply.error;
        files = await store.listFiles(runId, 'plots');
      }
      const titles = new Map((result.plots ?? []).map((p) => [p.id, p.title]));
      const plots: PlotView[] = [];
      for (const f of files.filter((p) => p.endsWith('.svg'))) {
        const bytes = await store.getFile(runId, f);
        const id = f.slice('plots/'.length, -'.svg'.length);
        if (bytes) plots.push({ id, title: titles.get(id) ?? id, svg: new TextDecoder().decode(bytes) });
      }
      if (!cancelled) setState(error ? { plots, error } : { plots });
    };
    load().catch((err) => !cancelled && setState({ plots: [], error: (err as Error).message }));
    return () => {
      cancelled = true;
    };
  }, [runId, result, store]);
  return state;
}

/** The run's metrics.jsonl rows (none while it runs: the live view has its sparklines). */
function useMetrics(runId: string | undefined): MetricRow[] {
  const { store } = useServices();
  const [rows, setRows] = useState<MetricRow[]>([]);
  useEffect(() => {
    let cancelled = false;
    setRows([]);
    if (!runId) return;
    store
      .readMetrics(runId)
      .then((r) => !cancelled && setRows(r))
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [runId, store]);
  return rows;
}

/** Exports a run as one JSON bundle (the CLI's `paperlab import` reads it). */
export async function exportToFile(
  store: ReturnType<typeof useServices>['store'],
  runId: string,
): Promise<void> {
  const bundle = await exportRun(store, runId);
  download(`${runId}.paperlab.json`, stringifyBundle(bundle));
}

/** A finished (or stopped) run: facts, error, claims, plots, tables, export. */
export function RunDetails({ header, result }: { header: RunHeader; result?: RunResult | undefined }) {
  const { store } = useServices();
  const { plots, error: plotError } = useStoredPlots(
    header.status === 'running' ? undefined : header.id,
    result,
  );
  const metrics = useMetrics(header.status === 'running' ? undefined : header.id);
  const [exportError, setExportError] = useState<string>();
  return (
    <div class="run-details">
      <div class="run-head">
        <Status status={header.status} />
        <RunFacts header={header} />
        <span class="spacer" />
        <a
          class="button"
          data-testid="run-again"
          href={experimentHash(header.experiment, {
            preset: header.preset,
            overrides: header.overrides,
            seed: header.seed,
            backend: header.backend.requested,
          })}
        >
          Run again with this config
        </a>
        <button
          type="button"
          data-testid="export"
          disabled={header.status === 'running'}
          onClick={() => exportToFile(store, header.id).catch((e) => setExportError((e as Error).message))}
        >
          Export bundle
        </button>
      </div>
      {header.backend.fallbacks.length > 0 && (
        <div class="note small">
          Backends skipped: {header.backend.fallbacks.map((f) => `${f.backend} (${f.reason})`).join('; ')}
        </div>
      )}
      {exportError && <div class="error-box">{exportError}</div>}
      {header.error && (
        <div class={header.status === 'interrupted' ? 'note' : 'error-box'} data-testid="run-error">
          <b>{header.status === 'interrupted' ? 'Interrupted' : header.error.name}:</b>
          <pre>{header.error.message}</pre>
        </div>
      )}
      {result && <ClaimsTable result={result} />}
      <MetricCurves runs={[{ label: header.id, rows: metrics }]} />
      {plotError && <div class="error-box">Plot rendering failed: {plotError}</div>}
      <Plots plots={plots} />
      {result && <ResultTables result={result} />}
      <Provenance header={header} />
    </div>
  );
}

/** The run's resolved config and where it came from: plugin, preset, overrides, seed, versions, host. */
function Provenance({ header }: { header: RunHeader }) {
  const rows: Array<[string, string]> = [
    ['experiment', header.experiment],
    ['plugin', `${header.plugin.packageName || header.plugin.name} ${header.plugin.version}`.trim()],
    ['preset', header.preset ?? '(schema defaults)'],
    ['overrides', Object.keys(header.overrides).length ? JSON.stringify(header.overrides) : '(none)'],
    ['seed', String(header.seed)],
    ['backend', `${header.backend.name} (asked ${header.backend.requested})`],
    ['started', header.createdAt],
    [
      'versions',
      Object.entries(header.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['host', header.host.userAgent ?? header.host.platform],
  ];
  return (
    <section class="panel" data-testid="run-config">
      <h3>Config and provenance</h3>
      <table class="facts-table small">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <pre class="config-json">{JSON.stringify(header.config, null, 2)}</pre>
    </section>
  );
}
