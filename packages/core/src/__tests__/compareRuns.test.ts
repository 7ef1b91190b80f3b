import { describe, expect, it } from 'vitest';
import { compareRunSet, compareRuns, MAX_COMPARED_RUNS, runLabel } from '../report/compare.js';
import type { RunHeader, RunResult } from '../runs/record.js';

const header = (id: string, seed: number, config: Record<string, unknown>) =>
  ({
    id,
    experiment: 'toy/smith2024',
    preset: 'smoke',
    seed,
    backend: { name: 'wasm', requested: 'auto', fallbacks: [] },
    plugin: { name: 'toy', packageName: 'toy', version: '1.0.0' },
    config,
  }) as unknown as RunHeader;
const result = (scalars: Record<string, number>, verdict: string) =>
  ({
    scalars,
    claims: [
      { id: 'c', kind: 'control', verdict: 'reproduced' },
      { id: 'p', kind: 'paper', verdict },
    ],
  }) as unknown as RunResult;

describe('compareRuns', () => {
  it('lists only the setup values that differ, every scalar with Δ = b − a, and verdicts (paper first)', () => {
    const cmp = compareRuns(
      {
        header: header('a', 0, { steps: 20, train: { lr: 0.1, batch: 8 }, widths: [8, 16] }),
        result: result({ x: 1, y: 2 }, 'reproduced'),
      },
      {
        header: header('b', 1, { steps: 20, train: { lr: 0.2, batch: 8 }, widths: [8, 32] }),
        result: result({ x: 1.5 }, 'inconclusive'),
      },
    );
    expect(cmp.setup).toEqual([
      { path: 'seed', a: 0, b: 1 },
      { path: 'config.train.lr', a: 0.1, b: 0.2 },
      { path: 'config.widths', a: [8, 16], b: [8, 32] },
    ]);
    expect(cmp.scalars).toEqual([
      { key: 'x', a: 1, b: 1.5, delta: 0.5 },
      { key: 'y', a: 2, b: undefined, delta: undefined },
    ]);
    expect(cmp.claims.map((c) => [c.id, c.kind, c.a, c.b])).toEqual([
      ['p', 'paper', 'reproduced', 'inconclusive'],
      ['c', 'control', 'reproduced', 'reproduced'],
    ]);
  });

  it('two runs of the same setup differ in nothing', () => {
    const h = header('a', 0, { steps: 20 });
    expect(compareRuns({ header: h }, { header: { ...h, id: 'b' } }).setup).toEqual([]);
  });

  it('compareRuns is compareRunSet of two runs read as A/B', () => {
    const a = { header: header('a', 0, { steps: 20 }), result: result({ x: 1 }, 'reproduced') };
    const b = { header: header('b', 0, { steps: 30 }), result: result({ x: 4, z: 1 }, 'not-reproduced') };
    const pair = compareRuns(a, b);
    const set = compareRunSet([a, b]);
    expect(pair.setup).toEqual(set.setup.map((d) => ({ path: d.path, a: d.values[0], b: d.values[1] })));
    expect(pair.scalars.map((s) => s.delta)).toEqual(set.scalars.map((s) => s.deltas[1]));
    expect(pair.claims.map((c) => [c.a, c.b])).toEqual(set.claims.map((c) => c.verdicts));
  });
});

describe('compareRunSet', () => {
  const runs = [
    {
      header: header('a', 0, { steps: 20, train: { lr: 0.1, batch: 8 }, widths: [8] }),
      result: result({ x: 1, y: 2 }, 'reproduced'),
    },
    {
      header: header('b', 0, { steps: 20, train: { lr: 0.1, batch: 16 }, widths: [8] }),
      result: result({ x: 3 }, 'inconclusive'),
    },
    {
      header: header('c', 1, { steps: 20, train: { lr: 0.1, batch: 8 }, widths: [8], extra: true }),
      result: result({ x: 0.5, y: 2, w: 7 }, 'not-reproduced'),
    },
    // Still running: no result yet.
    { header: header('d', 0, { steps: 20, train: { lr: 0.1, batch: 8 }, widths: [8] }) },
  ];

  it('lists a setup value when any run differs, each run in its column, absent as undefined', () => {
    const cmp = compareRunSet(runs);
    expect(cmp.runs).toEqual(['a', 'b', 'c', 'd']);
    expect(cmp.setup).toEqual([
      { path: 'seed', values: [0, 0, 1, 0] },
      { path: 'config.extra', values: [undefined, undefined, true, undefined] },
      { path: 'config.train.batch', values: [8, 16, 8, 8] },
    ]);
  });

  it('takes Δ against the first run and the max − min range, for every scalar any run has', () => {
    const cmp = compareRunSet(runs);
    expect(cmp.scalars).toEqual([
      { key: 'x', values: [1, 3, 0.5, undefined], deltas: [0, 2, -0.5, undefined], range: 2.5 },
      { key: 'y', values: [2, undefined, 2, undefined], deltas: [0, undefined, 0, undefined], range: 0 },
      {
        key: 'w',
        values: [undefined, undefined, 7, undefined],
        deltas: [undefined, undefined, undefined, undefined],
        range: undefined,
      },
    ]);
  });

  it('shows each run’s verdict, paper claims first', () => {
    expect(compareRunSet(runs).claims).toEqual([
      { id: 'p', kind: 'paper', verdicts: ['reproduced', 'inconclusive', 'not-reproduced', undefined] },
      { id: 'c', kind: 'control', verdicts: ['reproduced', 'reproduced', 'reproduced', undefined] },
    ]);
  });

  it('takes a claim’s kind from the last run that judged it (a revision may have moved it)', () => {
    const judged = (id: string, kind: string) =>
      ({
        header: header(id, 0, {}),
        result: { scalars: {}, claims: [{ id: 'x', kind, verdict: 'reproduced' }] },
      }) as unknown as Parameters<typeof compareRunSet>[0][number];
    const cmp = compareRunSet([judged('a', 'paper'), judged('b', 'control'), { header: header('c', 0, {}) }]);
    expect(cmp.claims).toEqual([
      { id: 'x', kind: 'control', verdicts: ['reproduced', 'reproduced', undefined] },
    ]);
  });

  it('takes two to eight runs and says so otherwise', () => {
    const one = { header: header('a', 0, {}) };
    expect(() => compareRunSet([one])).toThrow(/2 to 8 runs; got 1/);
    const many = Array.from({ length: MAX_COMPARED_RUNS + 1 }, (_, i) => ({
      header: header(`r${i}`, i, {}),
    }));
    expect(() => compareRunSet(many)).toThrow(/got 9/);
    expect(compareRunSet(many.slice(0, MAX_COMPARED_RUNS)).setup[0]!.values).toHaveLength(MAX_COMPARED_RUNS);
    expect(Array.from({ length: MAX_COMPARED_RUNS }, (_, i) => runLabel(i)).join('')).toBe('ABCDEFGH');
  });
});
