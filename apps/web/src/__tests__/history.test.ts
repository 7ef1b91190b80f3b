import type { RunHeader } from '@paperlab/core/runs';
import { describe, expect, it } from 'vitest';
import { compareHash, compareIds, filterAndSort } from '../lib/history.js';

const row = (
  id: string,
  experiment: string,
  createdAt: string,
  durationMs: number,
  status = 'completed',
) => ({
  header: {
    id,
    experiment,
    createdAt,
    durationMs,
    status,
    preset: 'smoke',
    seed: 0,
    backend: { name: 'wasm', requested: 'auto', fallbacks: [] },
  } as unknown as RunHeader,
});

describe('history filter and sort', () => {
  const rows = [
    row('r1', 'ntk/jacot2018', '2026-12-01T10:00:00Z', 500),
    row('r2', 'quantum/notton2025', '2026-12-02T10:00:00Z', 9000, 'failed'),
    row('r3', 'ntk/lee2021', '2026-12-03T10:00:00Z', 100),
  ];
  it('filters on every word (experiment, status, preset, backend, id)', () => {
    expect(filterAndSort(rows, 'ntk', 'newest').map((r) => r.header.id)).toEqual(['r3', 'r1']);
    expect(filterAndSort(rows, 'ntk jacot', 'newest').map((r) => r.header.id)).toEqual(['r1']);
    expect(filterAndSort(rows, 'failed', 'newest').map((r) => r.header.id)).toEqual(['r2']);
    expect(filterAndSort(rows, '', 'newest')).toHaveLength(3);
  });
  it('sorts newest, oldest, by experiment and by duration', () => {
    expect(filterAndSort(rows, '', 'oldest').map((r) => r.header.id)).toEqual(['r1', 'r2', 'r3']);
    expect(filterAndSort(rows, '', 'experiment').map((r) => r.header.id)).toEqual(['r1', 'r3', 'r2']);
    expect(filterAndSort(rows, '', 'duration').map((r) => r.header.id)).toEqual(['r2', 'r1', 'r3']);
  });
  it('filters on tags: a word matches tags too, #tag asks for that exact tag', () => {
    const tagged = rows.map((r, i) => ({ ...r, tags: [['baseline'], ['baseline-2'], []][i]! }));
    expect(filterAndSort(tagged, 'baseline', 'oldest').map((r) => r.header.id)).toEqual(['r1', 'r2']);
    expect(filterAndSort(tagged, '#baseline', 'oldest').map((r) => r.header.id)).toEqual(['r1']);
    expect(filterAndSort(tagged, '#baseline ntk', 'oldest').map((r) => r.header.id)).toEqual(['r1']);
    expect(filterAndSort(tagged, '#none', 'oldest')).toEqual([]);
  });
});

describe('compare addresses', () => {
  it('round-trip two to eight run ids in order, with characters that need escaping', () => {
    const ids = ['20261203-073000-ntk-jacot2018-abc123', 'cli:run/1', 'b'];
    const hash = compareHash(ids);
    expect(hash).toBe('#/compare/20261203-073000-ntk-jacot2018-abc123/cli%3Arun%2F1/b');
    expect(compareIds(hash.slice('#/compare/'.length).split('/').map(decodeURIComponent))).toEqual(ids);
  });

  it('need two runs', () => {
    expect(compareIds(['a'])).toBeUndefined();
    expect(compareIds(['a', ''])).toBeUndefined();
    expect(compareIds(['a', 'b', ''])).toEqual(['a', 'b']);
  });
});
