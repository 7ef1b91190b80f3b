import { describe, expect, it } from 'vitest';
import { compareRuns } from '../report/compare.js';
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
});
