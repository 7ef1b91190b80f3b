import type { MetricRow } from '@paperlab/core/runs';
import { describe, expect, it } from 'vitest';
import {
  curvePath,
  fullDomain,
  MAX_CURVE_POINTS,
  MIN_WHEEL_SPAN,
  metricSeries,
  thin,
  wheelFactor,
  wheelZoom,
  yRange,
  zoomTo,
} from '../lib/curves.js';

describe('metric curves', () => {
  const rows: MetricRow[] = [
    { step: 0, t: 0, attempt: 1, loss: 4, acc: 0.1 },
    { step: 1, t: 1, loss: 2 },
    { step: 2, t: 2, loss: Number.NaN, acc: 0.5 },
    { step: 3, t: 3, loss: 1, acc: 0.9 },
  ];

  it('makes one series per metric (not step, t or attempt), in first-seen order', () => {
    const s = metricSeries(rows);
    expect(s.map((x) => x.name)).toEqual(['loss', 'acc']);
    expect(s[1]!.points).toEqual([
      [0, 0.1],
      [2, 0.5],
      [3, 0.9],
    ]);
    expect(fullDomain(s)).toEqual({ x0: 0, x1: 3 });
    expect(fullDomain([{ name: 'a', points: [[5, 1]] }])).toEqual({ x0: 4, x1: 6 });
    expect(fullDomain([])).toBeUndefined();
  });

  it('breaks the line at NaN and scales y to the finite values in the shown steps', () => {
    const loss = metricSeries(rows)[0]!;
    const g = curvePath(loss.points, { x0: 0, x1: 3 }, { width: 300, height: 100 })!;
    expect(g.path).toBe('M0.0,0.0L100.0,66.7M300.0,100.0');
    expect([g.y0, g.y1]).toEqual([1, 4]);
    // Zoomed to steps 1…3: y is rescaled to what is left (2 and 1).
    const z = curvePath(loss.points, { x0: 1, x1: 3 }, { width: 300, height: 100 })!;
    expect([z.y0, z.y1]).toEqual([1, 2]);
    expect(z.path).toBe('M0.0,0.0M300.0,100.0');
    expect(curvePath([[0, Number.NaN]], { x0: 0, x1: 1 }, { width: 1, height: 1 })).toBeUndefined();
  });

  it('turns a drag into a step range, ignores clicks, and clamps to the plot', () => {
    const d = { x0: 0, x1: 100 };
    expect(zoomTo(d, 30, 90, 300)).toEqual({ x0: 10, x1: 30 });
    expect(zoomTo(d, 90, 30, 300)).toEqual({ x0: 10, x1: 30 });
    expect(zoomTo(d, 50, 52, 300)).toBeUndefined();
    expect(zoomTo(d, -40, 600, 300)).toEqual({ x0: 0, x1: 100 });
  });

  it('zooms the step range around the pointer on the wheel, clamped to the data', () => {
    const full = { x0: 0, x1: 100 };
    // Halving around the middle of the plot, then around its left quarter: the step under the pointer stays.
    expect(wheelZoom(full, full, 150, 300, 0.5)).toEqual({ x0: 25, x1: 75 });
    expect(wheelZoom({ x0: 25, x1: 75 }, full, 75, 300, 0.5)).toEqual({ x0: 31.25, x1: 56.25 });
    // At the plot's edges the edge step is kept; pointers outside the plot count as its edge.
    expect(wheelZoom(full, full, 0, 300, 0.5)).toEqual({ x0: 0, x1: 50 });
    expect(wheelZoom(full, full, 400, 300, 0.5)).toEqual({ x0: 50, x1: 100 });
    // Zooming out shifts back into the data instead of showing steps that are not there, and stops at all of it.
    expect(wheelZoom({ x0: 80, x1: 100 }, full, 0, 300, 2)).toEqual({ x0: 60, x1: 100 });
    expect(wheelZoom({ x0: 0, x1: 10 }, full, 300, 300, 3)).toEqual({ x0: 0, x1: 30 });
    expect(wheelZoom({ x0: 10, x1: 90 }, full, 150, 300, 5)).toEqual(full);
    // No narrower than MIN_WHEEL_SPAN of the data, however far the wheel turns.
    let d = full;
    for (let i = 0; i < 100; i++) d = wheelZoom(d, full, 100, 300, 0.5);
    expect(d.x1 - d.x0).toBeCloseTo(100 * MIN_WHEEL_SPAN, 9);
    expect(d.x0).toBeGreaterThanOrEqual(0);
    expect(d.x1).toBeLessThanOrEqual(100);
    // Wheel deltas: down zooms out, up zooms in, line and page deltas scaled, huge ones capped.
    expect(wheelFactor(100)).toBeGreaterThan(1);
    expect(wheelFactor(-100)).toBeLessThan(1);
    expect(wheelFactor(-100) * wheelFactor(100)).toBeCloseTo(1, 12);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(48), 12);
    expect(wheelFactor(-1e6)).toBeCloseTo(wheelFactor(-200), 12);
    expect(wheelFactor(0)).toBe(1);
  });

  it('thins long series to a bounded number of points, keeping the last', () => {
    const long = Array.from({ length: 10_001 }, (_, i) => i);
    const t = thin(long, MAX_CURVE_POINTS);
    expect(t.length).toBeLessThanOrEqual(MAX_CURVE_POINTS + 1);
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBe(10_000);
    const rowsLong = long.map((step) => ({ step, t: step, v: step }));
    expect(metricSeries(rowsLong)[0]!.points.length).toBeLessThanOrEqual(MAX_CURVE_POINTS + 1);
  });

  it('overlays runs on one y range: the range spans every run, each path is scaled to it', () => {
    const a: Array<[number, number]> = [
      [0, 1],
      [10, 2],
    ];
    const b: Array<[number, number]> = [
      [0, 3],
      [10, Number.NaN],
      [20, 5],
    ];
    const d = { x0: 0, x1: 10 };
    expect(yRange([a, b], d)).toEqual({ y0: 1, y1: 3 });
    expect(yRange([a, b], { x0: 0, x1: 20 })).toEqual({ y0: 1, y1: 5 });
    const range = yRange([a, b], d)!;
    expect(curvePath(a, d, { width: 100, height: 100 }, range)!.path).toBe('M0.0,100.0L100.0,50.0');
    expect(curvePath(b, d, { width: 100, height: 100 }, range)!.path).toBe('M0.0,0.0');
    expect(yRange([[[0, 2]]], d)).toEqual({ y0: 1.9, y1: 2.1 });
    expect(yRange([], d)).toBeUndefined();
  });
});
