import { formatNumber, type MetricRow } from '@paperlab/core/runs';
import { useMemo, useRef, useState } from 'preact/hooks';
import {
  curvePath,
  type Domain,
  type Frame,
  fullDomain,
  type MetricSeries,
  metricSeries,
  wheelFactor,
  wheelZoom,
  yRange,
  zoomTo,
} from '../lib/curves.js';

const FRAME: Frame = { width: 320, height: 130 };
const PAD = { left: 56, right: 8, top: 8, bottom: 22 };

/** Colour and dash pattern of each run's lines (A solid blue, B dashed orange, …), for up to eight runs. */
const RUN_STYLES: ReadonlyArray<{ colour: string; dash?: string }> = [
  { colour: '#2563eb' },
  { colour: '#d97706', dash: '5 3' },
  { colour: '#059669', dash: '1 3' },
  { colour: '#7c3aed', dash: '8 3 2 3' },
  { colour: '#dc2626', dash: '2 2' },
  { colour: '#0891b2', dash: '10 4' },
  { colour: '#4b5563', dash: '4 2 1 2' },
  { colour: '#be185d', dash: '6 2 6 6' },
];
const runStyle = (run: number) => RUN_STYLES[run % RUN_STYLES.length]!;

/** One run's rows, and how its lines are named in the legend (A, B… on the compare page). */
export interface CurveRun {
  label: string;
  rows: readonly MetricRow[];
}

/** One metric of every run (a run that did not log it has no line), in a shared step range and y range. */
interface Metric {
  name: string;
  lines: Array<{ run: number; series: MetricSeries }>;
}

/**
 * One metric's curves over the shared step range; dragging across it selects a range to zoom to, the wheel
 * zooms in and out around the pointer (within `full`, the runs' whole step range).
 */
function Curve({
  metric,
  labels,
  domain,
  full,
  onZoom,
}: {
  metric: Metric;
  labels: readonly string[];
  domain: Domain;
  full: Domain;
  onZoom(d: Domain | undefined): void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number }>();
  const range = yRange(
    metric.lines.map((l) => l.series.points),
    domain,
  );
  const W = FRAME.width + PAD.left + PAD.right;
  const H = FRAME.height + PAD.top + PAD.bottom;
  // Pointer x in plot units (the SVG scales with its box).
  const plotX = (e: MouseEvent) => {
    const box = svg.current!.getBoundingClientRect();
    return ((e.clientX - box.left) / box.width) * W - PAD.left;
  };
  return (
    <figure class="curve" data-testid="metric-curve" data-metric={metric.name}>
      <figcaption class="small">
        <code>{metric.name}</code>{' '}
        {metric.lines.map(({ run, series }) => {
          const last = series.points[series.points.length - 1];
          return (
            <span class="muted" key={run}>
              {labels.length > 1 && (
                <span class={`curve-key run-${run}`} style={{ color: runStyle(run).colour }}>
                  {labels[run]}{' '}
                </span>
              )}
              last {last ? formatNumber(last[1]) : '–'} · {series.points.length} points{' '}
            </span>
          );
        })}
      </figcaption>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${metric.name} over steps ${formatNumber(domain.x0)}–${formatNumber(domain.x1)}`}
        onPointerDown={(e) => {
          (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
          const x = plotX(e);
          setDrag({ a: x, b: x });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, b: plotX(e) })}
        onWheel={(e) => {
          if (e.deltaY === 0) return;
          e.preventDefault(); // the wheel zooms the chart instead of scrolling the page
          const z = wheelZoom(domain, full, plotX(e), FRAME.width, wheelFactor(e.deltaY, e.deltaMode));
          onZoom(z.x0 === full.x0 && z.x1 === full.x1 ? undefined : z);
        }}
        onPointerUp={() => {
          if (drag) {
            const z = zoomTo(domain, drag.a, drag.b, FRAME.width);
            if (z) onZoom(z);
          }
          setDrag(undefined);
        }}
      >
        <g transform={`translate(${PAD.left},${PAD.top})`}>
          <rect class="curve-bg" width={FRAME.width} height={FRAME.height} />
          {range ? (
            <>
              {metric.lines.map(({ run, series }) => (
                <path
                  key={run}
                  class={`curve-line run-${run}`}
                  style={{ stroke: runStyle(run).colour, strokeDasharray: runStyle(run).dash }}
                  d={curvePath(series.points, domain, FRAME, range)?.path ?? ''}
                  data-testid="curve-path"
                />
              ))}
              <text class="curve-tick" x={-4} y={8} text-anchor="end">
                {formatNumber(range.y1)}
              </text>
              <text class="curve-tick" x={-4} y={FRAME.height} text-anchor="end">
                {formatNumber(range.y0)}
              </text>
            </>
          ) : (
            <text class="curve-tick" x={FRAME.width / 2} y={FRAME.height / 2} text-anchor="middle">
              no finite values in this range
            </text>
          )}
          <text class="curve-tick" x={0} y={FRAME.height + 16} data-testid="curve-x0">
            {formatNumber(domain.x0)}
          </text>
          <text
            class="curve-tick"
            x={FRAME.width}
            y={FRAME.height + 16}
            text-anchor="end"
            data-testid="curve-x1"
          >
            {formatNumber(domain.x1)}
          </text>
          {drag && (
            <rect
              class="curve-select"
              x={Math.max(0, Math.min(drag.a, drag.b))}
              width={Math.min(FRAME.width, Math.abs(drag.b - drag.a))}
              height={FRAME.height}
            />
          )}
        </g>
      </svg>
    </figure>
  );
}

/**
 * Every metric of the runs' metrics.jsonl as an SVG chart over steps, the runs' lines overlaid (solid, then
 * dashed). Drag across any chart to zoom all of them to that step range, or turn the mouse wheel over one to zoom
 * around the pointer; "Reset zoom" shows everything again.
 */
export function MetricCurves({ runs }: { runs: readonly CurveRun[] }) {
  const metrics = useMemo(() => {
    const byName = new Map<string, Metric>();
    runs.forEach((r, run) => {
      for (const series of metricSeries(r.rows)) {
        const m = byName.get(series.name) ?? { name: series.name, lines: [] };
        byName.set(series.name, m);
        m.lines.push({ run, series });
      }
    });
    return [...byName.values()];
  }, [runs]);
  const full = useMemo(() => fullDomain(metrics.flatMap((m) => m.lines.map((l) => l.series))), [metrics]);
  const [zoom, setZoom] = useState<Domain>();
  if (!full || metrics.length === 0) return null;
  const domain = zoom ?? full;
  const labels = runs.map((r) => r.label);
  return (
    <section class="panel" data-testid="metric-curves">
      <div class="curves-head">
        <h3 style={{ margin: 0 }}>Metric curves</h3>
        <span class="muted small">
          {runs.map((r) => `${r.rows.length} rows`).join(' and ')} of metrics.jsonl · steps{' '}
          {formatNumber(domain.x0)}–{formatNumber(domain.x1)} · drag across a curve or turn the wheel over it
          to zoom
        </span>
        {runs.length > 1 && (
          <span class="small">
            {labels.map((l, i) => (
              <span key={l} class={`curve-key run-${i}`} style={{ color: runStyle(i).colour }}>
                {' '}
                <svg width="22" height="8" aria-hidden="true">
                  <line
                    x1="1"
                    y1="4"
                    x2="21"
                    y2="4"
                    style={{ stroke: runStyle(i).colour, strokeWidth: 2, strokeDasharray: runStyle(i).dash }}
                  />
                </svg>{' '}
                {l}
              </span>
            ))}
          </span>
        )}
        <span class="spacer" />
        <button type="button" data-testid="curves-reset" disabled={!zoom} onClick={() => setZoom(undefined)}>
          Reset zoom
        </button>
      </div>
      <div class="curves">
        {metrics.map((m) => (
          <Curve key={m.name} metric={m} labels={labels} domain={domain} full={full} onZoom={setZoom} />
        ))}
      </div>
    </section>
  );
}
