import { describe, expect, it } from 'vitest';
import {
  addSelfLoops,
  batchGraphs,
  gcnAdjacency,
  inducedSubgraph,
  kHopIn,
  makeGraph,
  toCsr,
  transposeCsr,
  undirected,
} from '../index.js';

describe('graph', () => {
  it('makeGraph rejects edges outside the node range, naming the edge', () => {
    expect(() => makeGraph(3, [0, 1], [1, 3])).toThrow(/edge 1 \(1 → 3\)/);
    expect(() => makeGraph(3, [0], [1, 2])).toThrow(/1 sources but 2 destinations/);
  });

  it('undirected stores both directions once, drops self-loops and duplicates, sorts by (dst, src)', () => {
    const g = undirected(4, [0, 1, 1, 0, 2, 2, 1, 2, 3, 0]);
    expect(Array.from(g.dst)).toEqual([0, 0, 1, 1, 2, 3]);
    expect(Array.from(g.src)).toEqual([1, 3, 0, 2, 1, 0]);
  });

  it('toCsr lists in-edges per row; transposeCsr is its transpose', () => {
    const g = makeGraph(3, [0, 2, 1, 0], [1, 1, 2, 2], {});
    const a = toCsr(g, [1, 2, 3, 4]);
    expect(Array.from(a.rowPtr)).toEqual([0, 0, 2, 4]);
    expect(Array.from(a.colIdx)).toEqual([0, 2, 1, 0]);
    expect(Array.from(a.values)).toEqual([1, 2, 3, 4]);
    expect(Array.from(a.order)).toEqual([0, 1, 2, 3]);
    const t = transposeCsr(a);
    expect(Array.from(t.rowPtr)).toEqual([0, 2, 3, 4]);
    expect(Array.from(t.colIdx)).toEqual([1, 2, 2, 1]);
    expect(Array.from(t.values)).toEqual([1, 4, 3, 2]);
  });

  it('gcnAdjacency of a k-regular graph is (A + I)/(k + 1)', () => {
    const n = 6;
    const pairs: number[] = [];
    for (let i = 0; i < n; i++) pairs.push(i, (i + 1) % n);
    const a = gcnAdjacency(undirected(n, pairs));
    for (const v of a.values) expect(v).toBeCloseTo(1 / 3, 6);
    expect(a.rowPtr[n]).toBe(3 * n);
    expect(addSelfLoops(undirected(n, pairs)).src.length).toBe(3 * n);
  });

  it('batchGraphs offsets nodes and edges block-diagonally', () => {
    const a = makeGraph(2, [0], [1], { x: { data: new Float32Array([1, 2]), dim: 1 } });
    const b = makeGraph(3, [2, 0], [1, 2], { x: { data: new Float32Array([3, 4, 5]), dim: 1 } });
    const batch = batchGraphs([a, b]);
    expect(batch.numNodes).toBe(5);
    expect(Array.from(batch.src)).toEqual([0, 4, 2]);
    expect(Array.from(batch.dst)).toEqual([1, 3, 4]);
    expect(Array.from(batch.graphOf)).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(batch.nodeOffsets)).toEqual([0, 2, 5]);
    expect(Array.from(batch.edgeOffsets)).toEqual([0, 1, 3]);
    expect(Array.from(batch.x!.data)).toEqual([1, 2, 3, 4, 5]);
    expect(() => batchGraphs([a, makeGraph(1, [], [])])).toThrow(/some graphs have 'x'/);
  });

  it('kHopIn follows edges backwards; inducedSubgraph keeps the edges among the nodes', () => {
    // Path 0 → 1 → 2 → 3.
    const g = makeGraph(4, [0, 1, 2], [1, 2, 3]);
    expect(Array.from(kHopIn(g, [3], 1))).toEqual([3, 2]);
    expect(Array.from(kHopIn(g, [3], 5))).toEqual([3, 2, 1, 0]);
    expect(Array.from(kHopIn(g, [0], 2))).toEqual([0]);
    const sub = inducedSubgraph(g, [3, 2, 1]);
    expect(Array.from(sub.edges)).toEqual([1, 2]);
    expect(Array.from(sub.graph.src)).toEqual([2, 1]);
    expect(Array.from(sub.graph.dst)).toEqual([1, 0]);
  });
});
