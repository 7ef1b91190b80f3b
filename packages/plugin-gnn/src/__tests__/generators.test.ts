import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import {
  ba2Motifs,
  baShapes,
  circulantSkipLinks,
  clusterGraphs,
  contextualSbm,
  edgeHomophily,
  inDegrees,
  knnGraph,
  movieLensLike,
  patternGraphs,
  rmat,
  stochasticBlockModel,
  stratifiedSplit,
  treeCycles,
  uniformPoints,
} from '../index.js';

describe('generators', () => {
  it('SBM: edge counts match the block probabilities', () => {
    const { graph } = stochasticBlockModel(new Rng(1), { sizes: [200, 200], pIn: 0.1, pOut: 0.01 });
    const expected = 2 * (2 * ((200 * 199) / 2) * 0.1 + 200 * 200 * 0.01);
    expect(graph.src.length).toBeGreaterThan(0.9 * expected);
    expect(graph.src.length).toBeLessThan(1.1 * expected);
  });

  it('contextual SBM: degree and homophily as asked, seeded', () => {
    const o = { nodes: 1500, classes: 3, avgDegree: 10, homophily: 0.7, featureDim: 8, signal: 1 };
    const a = contextualSbm(new Rng(3), o);
    expect(a.graph.src.length / o.nodes).toBeGreaterThan(9);
    expect(a.graph.src.length / o.nodes).toBeLessThan(11);
    expect(edgeHomophily(a.graph, a.labels)).toBeCloseTo(0.7, 1);
    const b = contextualSbm(new Rng(3), o);
    expect(Array.from(b.graph.src)).toEqual(Array.from(a.graph.src));
    expect(contextualSbm(new Rng(4), o).graph.src.length).not.toBe(a.graph.src.length);
    const [tr, te] = stratifiedSplit(new Rng(0), a.labels, [0.6, 0.4]);
    expect(tr!.length + te!.length).toBe(o.nodes);
  });

  it('CSL: 4-regular circulants, 10 classes × perClass graphs', () => {
    const graphs = circulantSkipLinks(new Rng(0), {
      nodes: 41,
      skips: [2, 3, 4, 5, 6, 9, 11, 12, 13, 16],
      perClass: 2,
    });
    expect(graphs).toHaveLength(20);
    for (const { graph } of graphs) {
      expect(graph.numNodes).toBe(41);
      for (const d of inDegrees(graph)) expect(d).toBe(4);
    }
  });

  it('PATTERN: 20 pattern nodes per graph, sizes in range; CLUSTER: one labelled node per cluster', () => {
    const graphs = patternGraphs(new Rng(0), {
      graphs: 4,
      communities: 5,
      minSize: 5,
      maxSize: 35,
      p: 0.5,
      q: 0.35,
      patternSize: 20,
      pPattern: 0.5,
      qPattern: 0.5,
      patterns: 3,
      vocab: 3,
    });
    for (const { graph, labels } of graphs) {
      expect(labels.reduce((a, b) => a + b, 0)).toBe(20);
      expect(graph.numNodes).toBeGreaterThanOrEqual(45);
      expect(graph.numNodes).toBeLessThanOrEqual(195);
      expect(graph.x!.dim).toBe(3);
    }
    const clusters = clusterGraphs(new Rng(0), {
      graphs: 2,
      clusters: 6,
      minSize: 5,
      maxSize: 35,
      p: 0.55,
      q: 0.25,
    });
    for (const { graph } of clusters) {
      let marked = 0;
      for (let v = 0; v < graph.numNodes; v++) if (graph.x!.data[v * 7] === 0) marked++;
      expect(marked).toBe(6);
    }
  });

  it('BA-Shapes, Tree-Cycles and BA-2Motifs carry their ground-truth motif edges', () => {
    const s = baShapes(new Rng(0), { baseNodes: 300, attach: 5, houses: 80, noiseFraction: 0 });
    expect(s.graph.numNodes).toBe(700);
    expect(s.motifEdge.reduce((a, b) => a + b, 0)).toBe(80 * 6 * 2);
    expect(s.labels.filter((l) => l === 1).length).toBe(80);
    const t = treeCycles(new Rng(0), { depth: 8, cycles: 60, cycleSize: 6, noiseFraction: 0 });
    expect(t.graph.numNodes).toBe(511 + 360);
    expect(t.motifEdge.reduce((a, b) => a + b, 0)).toBe(60 * 6 * 2);
    const m = ba2Motifs(new Rng(0), { graphs: 4, baseNodes: 20, attach: 1 });
    expect(m.map((g) => g.label)).toEqual([0, 1, 0, 1]);
    expect(m.map((g) => g.motifEdge.reduce((a, b) => a + b, 0))).toEqual([12, 10, 12, 10]);
  });

  it('R-MAT: sorted unique columns, no self-loops, skewed degrees', () => {
    const a = rmat(new Rng(0), { scale: 10, edgeFactor: 8 });
    expect(a.rows).toBe(1024);
    let maxDeg = 0;
    for (let r = 0; r < a.rows; r++) {
      maxDeg = Math.max(maxDeg, a.rowPtr[r + 1]! - a.rowPtr[r]!);
      for (let k = a.rowPtr[r]! + 1; k < a.rowPtr[r + 1]!; k++)
        expect(a.colIdx[k]!).toBeGreaterThan(a.colIdx[k - 1]!);
      for (let k = a.rowPtr[r]!; k < a.rowPtr[r + 1]!; k++) expect(a.colIdx[k]).not.toBe(r);
    }
    expect(maxDeg).toBeGreaterThan(5 * (a.rowPtr[a.rows]! / a.rows));
  });

  it('kNN graph equals brute force', () => {
    const pos = uniformPoints(new Rng(2), 300, 2);
    const k = 5;
    const g = knnGraph(pos, k);
    for (let i = 0; i < 300; i += 17) {
      const d = Array.from({ length: 300 }, (_, j) => ({
        j,
        d: (pos.data[2 * i]! - pos.data[2 * j]!) ** 2 + (pos.data[2 * i + 1]! - pos.data[2 * j + 1]!) ** 2,
      }))
        .filter((t) => t.j !== i)
        .sort((a, b) => a.d - b.d || a.j - b.j)
        .slice(0, k)
        .map((t) => t.j);
      expect(Array.from(g.src.subarray(i * k, (i + 1) * k))).toEqual(d);
      expect(Array.from(g.dst.subarray(i * k, (i + 1) * k))).toEqual(new Array(k).fill(i));
    }
  });

  it('MovieLens-shaped interactions: sizes, minimum per user, per-user split, cluster affinity', () => {
    const data = movieLensLike(new Rng(0), {
      users: 200,
      items: 400,
      interactions: 10_000,
      minPerUser: 20,
      clusters: 4,
      zipf: 1,
      affinity: 0.7,
      testFraction: 0.2,
    });
    const total = data.train.user.length + data.test.user.length;
    expect(total).toBeGreaterThan(9000);
    expect(total).toBeLessThan(11_000);
    const perUser = new Int32Array(200);
    for (const u of data.train.user) perUser[u]!++;
    for (const u of data.test.user) perUser[u]!++;
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(20);
    expect(data.test.user.length / total).toBeCloseTo(0.2, 1);
    let same = 0;
    for (let k = 0; k < data.train.user.length; k++)
      if (data.userCluster[data.train.user[k]!] === data.itemCluster[data.train.item[k]!]) same++;
    expect(same / data.train.user.length).toBeGreaterThan(0.6);
  });
});
