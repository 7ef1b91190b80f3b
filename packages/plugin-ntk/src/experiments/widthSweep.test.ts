import { describe, expect, it } from 'vitest';
import { plot } from '../util/plots.js';
import {
  endScalars,
  slopeScalars,
  sweepScalars,
  widthMeansPlot,
  widthMeansTable,
  widthSlope,
} from './widthSweep.js';

describe('width-sweep summaries', () => {
  // value = 3·width^−1/2 for seed 0 and 5·width^−1/2 for seed 1; another parametrisation is flat.
  const widths = [16, 64, 256];
  const cells = ['a', 'b'].flatMap((p) =>
    widths.flatMap((width) =>
      [0, 1].map((seed) => ({
        cell: { p, width, seed },
        result: { v: p === 'a' ? (3 + 2 * seed) / Math.sqrt(width) : 1 },
      })),
    ),
  );

  it('fits the log-log slope of the cells matching `where`, with per-seed slopes and seed means', () => {
    const fit = widthSlope(cells, widths, (r) => r.v, { p: 'a' });
    expect(fit.slope).toBeCloseTo(-0.5, 12);
    expect(fit.perSeed).toHaveLength(2);
    expect(fit.sem).toBeCloseTo(0, 12);
    expect(fit.means[0]).toBeCloseTo(4 / 4, 12);
    expect(widthSlope(cells, widths, (r) => r.v, { p: 'b' }).slope).toBeCloseTo(0, 12);
  });

  it('names the scalars of a sweep, a fit and its ends', () => {
    const fit = widthSlope(cells, widths, (r) => r.v, { p: 'a' });
    expect(sweepScalars(widths)).toEqual({ n_widths: 3, width_min: 16, width_max: 256 });
    expect(slopeScalars('move', fit)).toEqual({ move_slope: fit.slope, move_slope_sem: fit.sem });
    expect(endScalars('err', [0.4, 0.2, 0.1])).toEqual({ err_narrowest: 0.4, err_widest: 0.1 });
  });

  it('tabulates mean ± sem per width, one pair of columns per metric', () => {
    const t = widthMeansTable('T', ['a', 'b'], [8, 16], (w) => [
      [w, 1],
      [2 * w, 2],
    ]);
    expect(t.id).toBe('per-width');
    expect(t.columns).toEqual(['width', 'a', '±', 'b', '±']);
    expect(t.rows).toEqual([
      [8, 8, 1, 16, 2],
      [16, 16, 1, 32, 2],
    ]);
  });

  it('plots the width means on log-log axes with standard-error bars', () => {
    const options = { color: 'metric', errorBar: 'sem', logX: true, logY: true };
    expect(widthMeansPlot('p', 'T', ['mean', 'width', 'error'], 'metric')).toEqual(
      plot('p', 'T', ['width_means', 'width', 'mean', 'width', 'error'], options),
    );
  });
});
