import { Rng } from '@paperlab/core';
import { onBackendWithoutLeaks } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  bfsPartition,
  type Csr,
  circulantSkipLinks,
  coordinatePartition,
  expandMask,
  fidelityMasks,
  fidelityScores,
  graphTensors,
  haloPartitions,
  knnGraph,
  laplacianPE,
  meanFidelity,
  randomSignFlip,
  rmat,
  rowProducts,
  SageConv,
  spgemm,
  undirected,
  undirectedEdgeIds,
  uniformPoints,
} from '../index.js';

describe('Laplacian positional encodings', () => {
  it('on a cycle: eigenvalues 1 − cos(2πk/n), orthonormal eigenvectors; sign flips flip columns', () => {
    const n = 10;
    const pairs: number[] = [];
    for (let i = 0; i < n; i++) pairs.push(i, (i + 1) % n);
    const pe = laplacianPE(undirected(n, pairs), 4);
    const expected = [1, 1, 2, 2].map((k) => 1 - Math.cos((2 * Math.PI * k) / n));
    for (const [i, v] of pe.eigenvalues.entries()) expect(v).toBeCloseTo(expected[i]!, 8);
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += pe.data[i * 4 + a]! * pe.data[i * 4 + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    const flipped = randomSignFlip(pe, new Rng(1));
    for (let c = 0; c < 4; c++) {
      const s = flipped.data[c]! / pe.data[c]!;
      expect(Math.abs(s)).toBeCloseTo(1, 6);
      for (let i = 0; i < n; i++) expect(flipped.data[i * 4 + c]).toBeCloseTo(s * pe.data[i * 4 + c]!, 6);
    }
  });

  it('separates CSL classes that message passing cannot (eigenvalue spectra differ by skip)', () => {
    const [a, b] = circulantSkipLinks(new Rng(0), { nodes: 41, skips: [2, 3], perClass: 1 });
    const ea = laplacianPE(a!.graph, 6).eigenvalues;
    const eb = laplacianPE(b!.graph, 6).eigenvalues;
    expect(Math.max(...ea.map((v, i) => Math.abs(v - eb[i]!)))).toBeGreaterThan(0.05);
  });
});

describe('partitions with halos', () => {
  onBackendWithoutLeaks('wasm', 'block');

  it('coordinate bisection gives equal parts; BFS growth claims every node', () => {
    const pos = uniformPoints(new Rng(0), 400, 2);
    const part = coordinatePartition(pos, 4);
    const sizes = [0, 0, 0, 0];
    for (const p of part) sizes[p]!++;
    expect(sizes).toEqual([100, 100, 100, 100]);
    const bfs = bfsPartition(knnGraph(pos, 4), 3);
    expect(bfs.every((p) => p >= 0 && p < 3)).toBe(true);
  });

  it('with an L-hop halo, L SAGE layers give the full-graph outputs on inner nodes; with L − 1 they do not', () => {
    const rng = new Rng(1);
    const pos = uniformPoints(rng.split('p'), 300, 2);
    const g = knnGraph(pos, 5);
    g.x = { data: rng.split('x').normals(300 * 3), dim: 3 };
    const layers = [0, 1].map((i) => new SageConv(rng.split(`l${i}`), 3, 3));
    const forward = (gt: ReturnType<typeof graphTensors>) =>
      layers.reduce((h, l) => tf.relu(l.apply(gt, h)) as tf.Tensor2D, gt.x!);
    const full = graphTensors(g);
    const ref = tf.tidy(() => forward(full).arraySync());
    full.dispose();
    const part = coordinatePartition(pos, 4);
    for (const [hops, exact] of [
      [2, true],
      [1, false],
    ] as const) {
      let worst = 0;
      for (const p of haloPartitions(g, part, hops)) {
        const gt = graphTensors(p.graph);
        const out = tf.tidy(() => forward(gt).arraySync());
        gt.dispose();
        for (let i = 0; i < p.inner; i++)
          for (let f = 0; f < 3; f++) worst = Math.max(worst, Math.abs(out[i]![f]! - ref[p.nodes[i]!]![f]!));
      }
      if (exact) expect(worst).toBeLessThan(1e-5);
      else expect(worst).toBeGreaterThan(1e-3);
    }
    for (const l of layers) l.dispose();
  });
});

function denseProduct(a: Csr, b: Csr): Float64Array {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let p = a.rowPtr[i]!; p < a.rowPtr[i + 1]!; p++)
      for (let q = b.rowPtr[a.colIdx[p]!]!; q < b.rowPtr[a.colIdx[p]! + 1]!; q++)
        out[i * b.cols + b.colIdx[q]!]! += a.values[p]! * b.values[q]!;
  return out;
}

describe('row-wise SpGEMM', () => {
  it('hash, dense and sort-merge accumulators give the dense product, bit-identical to each other', () => {
    const rng = new Rng(3);
    const a = rmat(rng.split('a'), { scale: 8, edgeFactor: 6 });
    a.values.set(rng.split('v').normals(a.values.length));
    const ref = denseProduct(a, a);
    const results = (['hash', 'dense', 'sort'] as const).map((acc) => spgemm(a, a, acc));
    for (const c of results) {
      const got = new Float64Array(a.rows * a.cols);
      for (let i = 0; i < c.rows; i++) {
        for (let k = c.rowPtr[i]! + 1; k < c.rowPtr[i + 1]!; k++)
          expect(c.colIdx[k]!).toBeGreaterThan(c.colIdx[k - 1]!);
        for (let k = c.rowPtr[i]!; k < c.rowPtr[i + 1]!; k++) got[i * c.cols + c.colIdx[k]!] = c.values[k]!;
      }
      for (let t = 0; t < ref.length; t++) expect(got[t]).toBeCloseTo(ref[t]!, 3);
      expect(Array.from(c.colIdx)).toEqual(Array.from(results[0]!.colIdx));
      expect(Array.from(c.values)).toEqual(Array.from(results[0]!.values));
    }
    const products = rowProducts(a, a);
    expect(products.reduce((s, v) => s + v, 0)).toBeGreaterThanOrEqual(results[0]!.rowPtr[a.rows]!);
    const sub = spgemm(a, a, 'hash', { rows: [5, 2] });
    expect(Array.from(sub.colIdx)).toEqual([
      ...results[0]!.colIdx.subarray(results[0]!.rowPtr[5]!, results[0]!.rowPtr[6]!),
      ...results[0]!.colIdx.subarray(results[0]!.rowPtr[2]!, results[0]!.rowPtr[3]!),
    ]);
    expect(() => spgemm(a, { ...a, rows: 3 }, 'hash')).toThrow(/A.cols must equal B.rows/);
  });
});

describe('fidelity', () => {
  it('masks: Fid+ removes the explanation, Fid− keeps it; robust masks perturb the right part at the right rate', () => {
    const g = undirected(6, [0, 1, 1, 2, 2, 0, 3, 4, 4, 5, 2, 3]);
    const { ids, count } = undirectedEdgeIds(g);
    expect(count).toBe(6);
    const expl = new Uint8Array(count);
    for (let e = 0; e < g.src.length; e++) if (g.src[e]! < 3 && g.dst[e]! < 3) expl[ids[e]!] = 1;
    const m = fidelityMasks(expl, { alpha1: 0.3, alpha2: 0.8, draws: 2000 }, new Rng(0));
    expect(Array.from(m.plus)).toEqual(Array.from(expl, (s) => 1 - s));
    expect(Array.from(m.minus)).toEqual(Array.from(expl));
    let removedExpl = 0;
    let removedRest = 0;
    for (const r of m.plusRobust)
      for (let i = 0; i < count; i++)
        if (!r[i]) {
          expect(expl[i]).toBe(1);
          removedExpl++;
        }
    for (const r of m.minusRobust)
      for (let i = 0; i < count; i++)
        if (!r[i]) {
          expect(expl[i]).toBe(0);
          removedRest++;
        }
    expect(removedExpl / (2000 * 3)).toBeCloseTo(0.3, 1);
    expect(removedRest / (2000 * 3)).toBeCloseTo(0.2, 1);
    expect(expandMask(m.plus, ids).length).toBe(g.src.length);
    const s = fidelityScores({
      full: 0.9,
      plus: 0.2,
      minus: 0.7,
      plusRobust: [0.6, 0.8],
      minusRobust: [0.85, 0.95],
    });
    expect(s.fidPlus).toBeCloseTo(0.7);
    expect(s.fidMinus).toBeCloseTo(0.2);
    expect(s.fidDelta).toBeCloseTo(0.5);
    expect(s.fidPlusRobust).toBeCloseTo(0.2);
    expect(s.fidMinusRobust).toBeCloseTo(0);
    expect(meanFidelity([s, { ...s, fidPlus: 0.3 }]).fidPlus).toBeCloseTo(0.5);
  });
});
