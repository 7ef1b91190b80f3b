import type { MetricRow } from '@paperlab/core/runs';

/** One logged metric over steps: `[step, value]`, NaN/±Infinity kept (drawn as gaps). */
export interface MetricSeries {
  name: string;
  points: Array<[number, number]>;
}

/** A step range shown on the x axis. */
export interface Domain {
  x0: number;
  x1: number;
}

/** Most points drawn per curve: longer series are thinned to this many (every k-th, first and last kept). */
export const MAX_CURVE_POINTS = 2000;

/** Row keys that are bookkeeping, not metrics. */
const NOT_METRICS = new Set(['step', 't', 'attempt']);

/** The metrics of metrics.jsonl rows as one series each (every key but `step`, `t`, `attempt`), first-seen order. */
export function metricSeries(rows: readonly MetricRow[]): MetricSeries[] {
  const byName = new Map<string, Array<[number, number]>>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (NOT_METRICS.has(k) || typeof v !== 'number') continue;
      const pts = byName.get(k) ?? [];
      if (pts.length === 0) byName.set(k, pts);
      pts.push([row.step, v]);
    }
  }
  return [...byName].map(([name, points]) => ({ name, points: thin(points, MAX_CURVE_POINTS) }));
}

/** At most `max` points: every k-th, the last one kept. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const k = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % k === 0);
  if ((points.length - 1) % k !== 0) out.push(points[points.length - 1]!);
  return out;
}

/** The full step range of the series (a single step is widened by one on each side). */
export function fullDomain(series: readonly MetricSeries[]): Domain | undefined {
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const s of series)
    for (const [x] of s.points) {
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
    }
  if (!Number.isFinite(x0)) return undefined;
  return x0 === x1 ? { x0: x0 - 1, x1: x1 + 1 } : { x0, x1 };
}

/** The step range a drag from pixel `a` to `b` selects on a plot `width` wide showing `d`; undefined if tiny. */
export function zoomTo(d: Domain, a: number, b: number, width: number): Domain | undefined {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(width, Math.max(a, b));
  if (hi - lo < 4) return undefined;
  const at = (px: number) => d.x0 + (px / width) * (d.x1 - d.x0);
  return { x0: at(lo), x1: at(hi) };
}

/** Narrowest step range the wheel zooms to, as a fraction of the full range. */
export const MIN_WHEEL_SPAN = 1e-3;

/**
 * The step range after a wheel turn over pixel `px` of a plot `width` wide showing `d`: scaled by `factor`
 * (< 1 zooms in, > 1 out) around the step under the pointer, which stays under it, then shifted and clamped to
 * lie within `full` and to span at least {@link MIN_WHEEL_SPAN} of it. Zooming out past `full` gives `full`.
 */
export function wheelZoom(d: Domain, full: Domain, px: number, width: number, factor: number): Domain {
  const fullSpan = full.x1 - full.x0;
  const span = Math.min(fullSpan, Math.max(fullSpan * MIN_WHEEL_SPAN, (d.x1 - d.x0) * factor));
  if (!(span < fullSpan)) return { ...full };
  const frac = Math.min(1, Math.max(0, px / width));
  const at = d.x0 + frac * (d.x1 - d.x0);
  const x0 = Math.min(full.x1 - span, Math.max(full.x0, at - frac * span));
  return { x0, x1: x0 + span };
}

/** How much one wheel event scales the shown range: `deltaY` (pixels, or lines when `deltaMode` is 1) → factor. */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(Math.max(-200, Math.min(200, px)) * 0.002);
}

/** Plot area of one curve, in SVG units. */
export interface Frame {
  width: number;
  height: number;
}

/** A value range on the y axis. */
export interface Range {
  y0: number;
  y1: number;
}

/** The finite y range of the points inside `d` over every list (a flat one is widened by 5%), if any. */
export function yRange(lists: ReadonlyArray<ReadonlyArray<[number, number]>>, d: Domain): Range | undefined {
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const points of lists)
    for (const [x, y] of points)
      if (x >= d.x0 && x <= d.x1 && Number.isFinite(y)) {
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (!Number.isFinite(y0)) return undefined;
  if (y0 === y1) {
    const pad = Math.abs(y0) * 0.05 || 1;
    return { y0: y0 - pad, y1: y1 + pad };
  }
  return { y0, y1 };
}

/**
 * An SVG path of the points inside `d`, y scaled to `range` (default: their own finite range, see
 * {@link yRange}); non-finite values break the line.
 */
export function curvePath(
  points: ReadonlyArray<[number, number]>,
  d: Domain,
  frame: Frame,
  range: Range | undefined = yRange([points], d),
): ({ path: string } & Range) | undefined {
  if (!range) return undefined;
  const { y0, y1 } = range;
  const sx = (x: number) => ((x - d.x0) / (d.x1 - d.x0)) * frame.width;
  const sy = (y: number) => frame.height - ((y - y0) / (y1 - y0)) * frame.height;
  let path = '';
  let pen = false;
  for (const [x, y] of points) {
    if (x < d.x0 || x > d.x1 || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    pen = true;
  }
  return { path, y0, y1 };
}
