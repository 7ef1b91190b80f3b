import type { SeriesRow } from '@paperlab/core';
import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { shivdikar2021 } from './experiment.js';

/** A timings series where, in every (scale, seed) cell, each accumulator on `set` takes `ms[acc]` (± jitter). */
function timings(set: string, ms: Record<string, number>, cells = 6, jitter = 0.05): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (let c = 0; c < cells; c++)
    for (const [accumulator, t] of Object.entries(ms))
      rows.push({
        scale: 14 + (c % 3),
        seed: c,
        set,
        accumulator,
        ms: t * (1 + jitter * ((c % 3) - 1)),
        rows: 64,
      });
  return rows;
}

const big = { scale_min: 14, seeds: 3, sparse_rows_min: 40, dense_rows_min: 16 };

/** Sparse-row timings whose per-cell ratio t(dense)/t(hash) takes the given values. */
function sparseRatios(values: number[]): SeriesRow[] {
  return values.flatMap((r, c) => [
    { scale: 14, seed: c, set: 'sparse', accumulator: 'hash', ms: 1, rows: 64 },
    { scale: 14, seed: c, set: 'sparse', accumulator: 'dense', ms: r, rows: 64 },
  ]);
}

describe('gnn/shivdikar2021', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: runs, deterministic scalars, identical accumulators, timing claims inconclusive below 2^14', async () => {
    const r = await expectSeedDeterminism(env, 'gnn/shivdikar2021', { differs: 'products_per_row_mean' });
    expect(r.scalars.identical).toBe(1);
    expect(r.series!.timings!.length).toBe(2 * 2 * 3 * 3);
    const verdicts = Object.fromEntries(r.claims.map((c) => [c.id, c.verdict]));
    expect(verdicts).toEqual({
      'hash-wins-sparse-rows': 'inconclusive',
      'hash-beats-sort-merge': 'inconclusive',
      'dense-wins-dense-rows': 'inconclusive',
      'results-identical': 'reproduced',
    });
  });

  it('hash-wins-sparse-rows reads the sparse-row timings; too small a run or too few sparse rows is inconclusive', () => {
    expectClaimCanFail(shivdikar2021, 'hash-wins-sparse-rows', {
      pass: { scalars: big, series: { timings: timings('sparse', { hash: 1, dense: 1.5, sort: 2 }) } },
      fail: { scalars: big, series: { timings: timings('sparse', { hash: 1.5, dense: 1, sort: 2 }) } },
      inconclusive: [
        { scalars: big, series: { timings: sparseRatios([0.9, 1.2, 0.95, 1.15, 1.0, 1.1]) } },
        {
          scalars: { ...big, scale_min: 10 },
          series: { timings: timings('sparse', { hash: 1, dense: 2, sort: 2 }) },
        },
        {
          scalars: { ...big, sparse_rows_min: 3 },
          series: { timings: timings('sparse', { hash: 1, dense: 2, sort: 2 }) },
        },
      ],
    });
  });

  it('hash-beats-sort-merge reads the uniform-row timings', () => {
    expectClaimCanFail(shivdikar2021, 'hash-beats-sort-merge', {
      pass: { scalars: big, series: { timings: timings('random', { hash: 1, dense: 1, sort: 2 }) } },
      fail: { scalars: big, series: { timings: timings('random', { hash: 2, dense: 1, sort: 1 }) } },
      inconclusive: [
        { scalars: { ...big, seeds: 1 }, series: { timings: timings('random', { hash: 1, sort: 2 }) } },
      ],
    });
  });

  it('dense-wins-dense-rows reads the dense-row timings (a sparse-row win does not count)', () => {
    expectClaimCanFail(shivdikar2021, 'dense-wins-dense-rows', {
      pass: { scalars: big, series: { timings: timings('dense', { hash: 3, dense: 1, sort: 5 }) } },
      fail: {
        scalars: big,
        series: {
          timings: [
            ...timings('dense', { hash: 1, dense: 3, sort: 5 }),
            ...timings('sparse', { hash: 3, dense: 1, sort: 5 }),
          ],
        },
      },
      inconclusive: [
        {
          scalars: { ...big, dense_rows_min: 0 },
          series: { timings: timings('dense', { hash: 3, dense: 1 }) },
        },
      ],
    });
  });

  it('results-identical is a point check on the agreement flag', () => {
    expectClaimCanFail(shivdikar2021, 'results-identical', {
      pass: { identical: 1 },
      fail: { identical: 0 },
    });
  });
});
