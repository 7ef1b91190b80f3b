import { describe, expect, it } from 'vitest';
import { meanSemAt, seedMeans } from './seedSummary.js';

describe('per-seed summaries', () => {
  it('takes mean ± sem over the seeds of the matching cells only', () => {
    const cells = [1, 2, 3, 10].map((v, i) => ({ cell: { n: i < 3 ? 8 : 16, seed: i }, result: { err: v } }));
    const m = meanSemAt(cells, { n: 8 }, (r) => r.err);
    expect(m.mean).toBe(2);
    expect(m.sem).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(m.n).toBe(3);
    expect(meanSemAt(cells, { n: 16 }, (r) => r.err)).toEqual({ mean: 10, sem: 0, n: 1 });
    const runs = [
      { loss: 1, acc: 0.5 },
      { loss: 3, acc: 0.7 },
    ];
    expect(seedMeans(runs, ['loss', 'acc'])).toEqual({ loss: 2, acc: 0.6 });
  });
});
