import type { ClaimVerdict } from '@paperlab/core';
import {
  claimsByKind,
  formatCounts,
  type ProgressEvent,
  type RunHeader,
  type RunResult,
  summarise,
} from '@paperlab/core/runs';
import { DataTable } from './DataTable.js';
import { duration, fmt } from './format.js';

/** A verdict as a coloured badge. */
export function Verdict({ verdict }: { verdict: ClaimVerdict['verdict'] }) {
  const text = verdict === 'not-reproduced' ? 'not reproduced' : verdict;
  return <span class={`badge verdict-${verdict}`}>{text}</span>;
}

/** A run status as a badge. */
export function Status({ status }: { status: RunHeader['status'] | 'starting' }) {
  return (
    <span class={`badge status-${status}`} data-testid="run-status" data-status={status}>
      {status}
    </span>
  );
}

function ClaimRows({ claims, kind }: { claims: ClaimVerdict[]; kind: 'paper' | 'control' }) {
  return (
    <table class="claims" data-testid={kind === 'paper' ? 'paper-claims' : 'controls'}>
      <thead>
        <tr>
          <th>{kind === 'paper' ? 'paper claim' : 'control'}</th>
          <th>verdict</th>
          <th>measured</th>
          <th>expected</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((c) => (
          <tr key={c.id} data-testid="claim" data-kind={kind} data-verdict={c.verdict}>
            <td>
              <div class="claim-id">{c.id}</div>
              <div class="muted small">{c.statement}</div>
              {c.source && (
                <div class="muted small">
                  paper: {c.source.where}
                  {c.source.value ? ` — ${c.source.value}` : ''}
                </div>
              )}
            </td>
            <td>
              <Verdict verdict={c.verdict} />
              {c.original && (
                <div class="muted small" title={c.original.reason}>
                  revised {c.original.revisedOn}; original rule: {c.original.verdict}
                </div>
              )}
            </td>
            <td class="small">{c.measured}</td>
            <td class="small muted">{c.expected}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The claims of a run, paper claims first and controls apart, with verdicts, measured and expected values. */
export function ClaimsTable({ result }: { result: RunResult }) {
  const { paper, control } = claimsByKind(result.claims);
  return (
    <section class="panel">
      <h3>
        Claims <span class="muted">{formatCounts(summarise(result.claims))}</span>
      </h3>
      <div data-testid="claims">
        {paper.length > 0 && <ClaimRows claims={paper} kind="paper" />}
        {control.length > 0 && (
          <>
            <h4>
              Controls <span class="muted small">checks this reproduction adds; not the paper's results</span>
            </h4>
            <ClaimRows claims={control} kind="control" />
          </>
        )}
      </div>
    </section>
  );
}

/** One task's progress bar. */
function TaskBar({ t }: { t: ProgressEvent }) {
  const frac = t.total ? Math.min(1, t.current / t.total) : t.done ? 1 : undefined;
  return (
    <div class={`task${t.done ? ' done' : ''}`}>
      <div class="task-label">
        <span>{t.label}</span>
        <span class="muted small">
          {t.total ? `${t.current}/${t.total}` : t.current}
          {t.status && !t.done ? ` · ${t.status}` : ''}
        </span>
      </div>
      <div class={`bar${frac === undefined ? ' indeterminate' : ''}`}>
        <div style={{ width: `${((frac ?? 0.3) * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}

/** Progress of every task of a run. */
export function Progress({ tasks }: { tasks: ProgressEvent[] }) {
  if (tasks.length === 0) return null;
  return (
    <div class="tasks" data-testid="progress">
      {tasks.map((t) => (
        <TaskBar key={t.task} t={t} />
      ))}
    </div>
  );
}

/** A scalar's live trace as a small SVG line with its last value. */
function Sparkline({ name, points }: { name: string; points: Array<[number, number]> }) {
  const w = 180;
  const h = 40;
  const ys = points.map((p) => p[1]).filter(Number.isFinite);
  const last = points[points.length - 1];
  let path = '';
  if (ys.length > 1) {
    const lo = Math.min(...ys);
    const hi = Math.max(...ys);
    const span = hi - lo || 1;
    const n = points.length - 1;
    path = points
      .map(([, y], i) => {
        const px = (i / n) * (w - 4) + 2;
        const py = h - 3 - ((Number.isFinite(y) ? y - lo : 0) / span) * (h - 6);
        return `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
      })
      .join('');
  }
  return (
    <div class="spark" data-testid="live-scalar">
      <div class="spark-head">
        <span class="spark-name" title={name}>
          {name}
        </span>
        <span class="spark-value">{last ? fmt(last[1]) : ''}</span>
      </div>
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${name} over steps`}>
        {path ? <path d={path} /> : <circle cx={w / 2} cy={h / 2} r={2} />}
      </svg>
      <div class="muted small">
        {points.length} point{points.length === 1 ? '' : 's'} · step {last ? last[0] : '–'}
      </div>
    </div>
  );
}

/** Scalars logged while the run goes, one sparkline each. */
export function LiveScalars({ scalars }: { scalars: Record<string, Array<[number, number]>> }) {
  const names = Object.keys(scalars);
  if (names.length === 0) return null;
  return (
    <div class="sparks">
      {names.map((n) => (
        <Sparkline key={n} name={n} points={scalars[n]!} />
      ))}
    </div>
  );
}

/** The run's header facts in one line. */
export function RunFacts({ header }: { header: RunHeader }) {
  const b = header.backend;
  return (
    <div class="facts small">
      <span title="run id">
        <code>{header.id}</code>
      </span>
      <span>preset {header.preset ?? '(defaults)'}</span>
      <span>seed {header.seed}</span>
      <span title={b.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('\n') || undefined}>
        backend <b>{b.name}</b>
        {b.requested !== b.name ? ` (asked ${b.requested})` : ''}
        {b.threads && b.threads > 1 ? ` · ${b.threads} threads` : ''}
        {b.fallbacks.length ? ` · ${b.fallbacks.length} fallback${b.fallbacks.length > 1 ? 's' : ''}` : ''}
      </span>
      {header.durationMs !== undefined && <span>{duration(header.durationMs)}</span>}
      {Object.keys(header.overrides).length > 0 && (
        <span title={JSON.stringify(header.overrides, null, 1)}>
          {Object.keys(header.overrides).length} override{Object.keys(header.overrides).length > 1 ? 's' : ''}
        </span>
      )}
    </div>
  );
}

/** Rendered plots (SVG from core's Vega-Lite renderer), shown as images so no markup runs. */
export function Plots({ plots }: { plots: Array<{ id: string; title: string; svg: string }> }) {
  if (plots.length === 0) return null;
  return (
    <section class="panel">
      <h3>Plots</h3>
      <div class="plots">
        {plots.map((p) => (
          <figure key={p.id} class="plot">
            <img
              data-testid="plot"
              alt={p.title}
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.svg)}`}
            />
            <figcaption class="small muted">{p.id}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

/** Result tables and the final scalars. */
export function ResultTables({ result }: { result: RunResult }) {
  return (
    <>
      {(result.tables ?? []).map((t) => (
        <section class="panel" key={t.id}>
          <h3>{t.title}</h3>
          <div class="scroll">
            <DataTable
              columns={t.columns}
              rows={t.rows.map((r, i) => ({ key: String(i), cells: r.map((v) => fmt(v)) }))}
            />
          </div>
        </section>
      ))}
      <details class="panel">
        <summary>
          <h3>Scalars</h3> <span class="muted small">{Object.keys(result.scalars).length} final figures</span>
        </summary>
        <table class="data" data-testid="scalars">
          <tbody>
            {Object.entries(result.scalars).map(([k, v]) => (
              <tr key={k}>
                <td>
                  <code>{k}</code>
                </td>
                <td class="num" title={String(v)}>
                  {fmt(v)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
