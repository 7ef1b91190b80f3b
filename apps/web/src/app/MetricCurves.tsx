import { formatNumber, type MetricRow } from '@paperlab/core/runs';
import { useMemo, useRef, useState } from 'preact/hooks';
import {
  curvePath,
  type Domain,
  type Frame,
  fullDomain,
  type MetricSeries,
  metricSeries,
  zoomTo,
} from '../lib/curves.js';

const FRAME: Frame = { width: 320, height: 130 };
const PAD = { left: 56, right: 8, top: 8, bottom: 22 };

/** One metric's curve over the shared step range; dragging across it selects a range to zoom to. */
function Curve({
  series,
  domain,
  onZoom,
}: {
  series: MetricSeries;
  domain: Domain;
  onZoom(d: Domain): void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number }>();
  const geo = curvePath(series.points, domain, FRAME);
  const W = FRAME.width + PAD.left + PAD.right;
  const H = FRAME.height + PAD.top + PAD.bottom;
  // Pointer x in plot units (the SVG scales with its box).
  const plotX = (e: PointerEvent) => {
    const box = svg.current!.getBoundingClientRect();
    return ((e.clientX - box.left) / box.width) * W - PAD.left;
  };
  const last = series.points[series.points.length - 1];
  return (
    <figure class="curve" data-testid="metric-curve" data-metric={series.name}>
      <figcaption class="small">
        <code>{series.name}</code>{' '}
        <span class="muted">
          last {last ? formatNumber(last[1]) : '–'} · {series.points.length} points
        </span>
      </figcaption>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${series.name} over steps ${formatNumber(domain.x0)}–${formatNumber(domain.x1)}`}
        onPointerDown={(e) => {
          (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
          const x = plotX(e);
          setDrag({ a: x, b: x });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, b: plotX(e) })}
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
          {geo ? (
            <>
              <path class="curve-line" d={geo.path} data-testid="curve-path" />
              <text class="curve-tick" x={-4} y={8} text-anchor="end">
                {formatNumber(geo.y1)}
              </text>
              <text class="curve-tick" x={-4} y={FRAME.height} text-anchor="end">
                {formatNumber(geo.y0)}
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
 * Every metric of the run's metrics.jsonl as an SVG curve over steps. Drag across any curve to zoom all of them
 * to that step range; "Reset zoom" shows the whole run again.
 */
export function MetricCurves({ rows }: { rows: readonly MetricRow[] }) {
  const series = useMemo(() => metricSeries(rows), [rows]);
  const full = useMemo(() => fullDomain(series), [series]);
  const [zoom, setZoom] = useState<Domain>();
  if (!full || series.length === 0) return null;
  const domain = zoom ?? full;
  return (
    <section class="panel" data-testid="metric-curves">
      <div class="curves-head">
        <h3 style={{ margin: 0 }}>Metric curves</h3>
        <span class="muted small">
          {rows.length} rows of metrics.jsonl · steps {formatNumber(domain.x0)}–{formatNumber(domain.x1)} ·
          drag across a curve to zoom
        </span>
        <span class="spacer" />
        <button type="button" data-testid="curves-reset" disabled={!zoom} onClick={() => setZoom(undefined)}>
          Reset zoom
        </button>
      </div>
      <div class="curves">
        {series.map((s) => (
          <Curve key={s.name} series={s} domain={domain} onZoom={setZoom} />
        ))}
      </div>
    </section>
  );
}
