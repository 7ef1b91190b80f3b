import type { SeriesRow } from '@paperlab/core';
import { expectClaimCanFail, expectSmoke, suiteEnvironment } from '@paperlab/core/testing';
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

/** A doctored output: a timings series over the scalars (a run large enough for every claim unless given). */
const run = (rows: SeriesRow[], scalars: Record<string, number> = big) => ({
  scalars,
  series: { timings: rows },
});

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
    const verdicts = {
      'hash-wins-sparse-rows': 'inconclusive',
      'hash-beats-sort-merge': 'inconclusive',
      'dense-wins-dense-rows': 'inconclusive',
      'results-identical': 'reproduced',
    } as const;
    const r = await expectSmoke(env, 'gnn/shivdikar2021', {
      differs: 'products_per_row_mean',
      claims: Object.keys(verdicts),
      verdicts,
    });
    expect(r.scalars.identical).toBe(1);
    expect(r.series!.timings!.length).toBe(2 * 2 * 3 * 3);
  });

  it('hash-wins-sparse-rows reads the sparse-row timings; too small a run or too few sparse rows is inconclusive', () => {
    expectClaimCanFail(shivdikar2021, 'hash-wins-sparse-rows', {
      pass: run(timings('sparse', { hash: 1, dense: 1.5, sort: 2 })),
      fail: run(timings('sparse', { hash: 1.5, dense: 1, sort: 2 })),
      inconclusive: [
        run(sparseRatios([0.9, 1.2, 0.95, 1.15, 1.0, 1.1])),
        run(timings('sparse', { hash: 1, dense: 2, sort: 2 }), { ...big, scale_min: 10 }),
        run(timings('sparse', { hash: 1, dense: 2, sort: 2 }), { ...big, sparse_rows_min: 3 }),
      ],
    });
  });

  it('hash-beats-sort-merge reads the uniform-row timings', () => {
    expectClaimCanFail(shivdikar2021, 'hash-beats-sort-merge', {
      pass: run(timings('random', { hash: 1, dense: 1, sort: 2 })),
      fail: run(timings('random', { hash: 2, dense: 1, sort: 1 })),
      inconclusive: [run(timings('random', { hash: 1, sort: 2 }), { ...big, seeds: 1 })],
    });
  });

  it('dense-wins-dense-rows reads the dense-row timings (a sparse-row win does not count)', () => {
    expectClaimCanFail(shivdikar2021, 'dense-wins-dense-rows', {
      pass: run(timings('dense', { hash: 3, dense: 1, sort: 5 })),
      fail: run([
        ...timings('dense', { hash: 1, dense: 3, sort: 5 }),
        ...timings('sparse', { hash: 3, dense: 1, sort: 5 }),
      ]),
      inconclusive: [run(timings('dense', { hash: 3, dense: 1 }), { ...big, dense_rows_min: 0 })],
    });
  });

  it('results-identical is a point check on the agreement flag', () => {
    expectClaimCanFail(shivdikar2021, 'results-identical', {
      pass: { identical: 1 },
      fail: { identical: 0 },
    });
  });
});
