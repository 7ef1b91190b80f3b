import { Rng } from '@paperlab/core';
import { onBackendWithoutLeaks } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  batchGraphs,
  denseToCsr,
  GatConv,
  GatedGcnConv,
  GcnConv,
  GinConv,
  type Graph,
  graphTensors,
  lightGcnPropagate,
  SageConv,
  sparseTensors,
  undirected,
} from '../index.js';

function ring(n: number, chord: number, dim: number, rng: Rng): Graph {
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) pairs.push(i, (i + 1) % n, i, (i + chord) % n);
  return undirected(n, pairs, { x: { data: rng.normals(n * dim), dim } });
}

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

describe('graph layers', () => {
  onBackendWithoutLeaks('wasm', 'block');

  it('GCN equals Â·H·W + b with the dense normalised adjacency', () => {
    const rng = new Rng(1);
    const g = ring(7, 3, 4, rng);
    const gt = graphTensors(g);
    const layer = new GcnConv(rng.split('gcn'), 4, 5);
    tf.tidy(() => {
      const n = 7;
      const a = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)),
      );
      for (let e = 0; e < g.src.length; e++) a[g.dst[e]!]![g.src[e]!] = 1;
      const deg = a.map((r) => r.reduce((s, v) => s + v, 0));
      const norm = tf.tensor2d(a.map((r, i) => r.map((v, j) => v / Math.sqrt(deg[i]! * deg[j]!))));
      const [w] = layer.variables();
      const ref = tf.matMul(norm, tf.matMul(gt.x!, w!));
      expect(maxAbs(layer.apply(gt, gt.x!), ref)).toBeLessThan(1e-5);
    });
    layer.dispose();
    gt.dispose();
  });

  it('GCN on sparse binary features (CSR) gives the dense result and the same gradient for W', () => {
    const rng = new Rng(5);
    const n = 9;
    const f = 12;
    const g = ring(n, 4, f, rng);
    const gt = graphTensors(g);
    const dense = new Float32Array(n * f);
    for (let i = 0; i < dense.length; i++) dense[i] = rng.uniform() < 0.2 ? 1 : 0;
    const xs = sparseTensors(denseToCsr(dense, n, f));
    expect(xs.csr.rowPtr[n]).toBe(dense.filter((v) => v !== 0).length);
    const layer = new GcnConv(rng.split('gcn'), f, 3);
    const [w] = layer.variables();
    tf.tidy(() => {
      const xd = tf.tensor2d(dense, [n, f]);
      expect(maxAbs(layer.apply(gt, xs), layer.apply(gt, xd))).toBeLessThan(1e-6);
      const grad = (x: tf.Tensor2D | typeof xs) =>
        tf.variableGrads(() => tf.sum(tf.square(layer.apply(gt, x))), [w!]).grads[w!.name]!;
      expect(maxAbs(grad(xs), grad(xd))).toBeLessThan(1e-5);
    });
    expect(() => denseToCsr(dense, n, f + 1)).toThrow(/expected 9×13/);
    xs.dispose();
    layer.dispose();
    gt.dispose();
  });

  it('every layer is permutation-equivariant and a batch equals its graphs run apart', () => {
    const rng = new Rng(2);
    const g1 = ring(9, 2, 3, rng.split('g1'));
    const g2 = ring(6, 3, 3, rng.split('g2'));
    const perm = rng.permutation(9);
    const inv = new Int32Array(9);
    perm.forEach((p, i) => {
      inv[p] = i;
    });
    const xP = new Float32Array(27);
    for (let i = 0; i < 9; i++) xP.set(g1.x!.data.subarray(i * 3, i * 3 + 3), perm[i]! * 3);
    const g1p: Graph = {
      numNodes: 9,
      src: Int32Array.from(g1.src, (v) => perm[v]!),
      dst: Int32Array.from(g1.dst, (v) => perm[v]!),
      x: { data: xP, dim: 3 },
    };
    const layers = [
      new GcnConv(rng.split('a'), 3, 4),
      new SageConv(rng.split('b'), 3, 4),
      new GinConv(rng.split('c'), 3, 4, { learnEps: true }),
      new GatConv(rng.split('d'), 3, 2, 2),
      new GatConv(rng.split('e'), 3, 4, 3, { concat: false }),
    ];
    const t1 = graphTensors(g1);
    const t1p = graphTensors(g1p);
    const batch = graphTensors(batchGraphs([g1, g2]));
    const t2 = graphTensors(g2);
    for (const layer of layers)
      tf.tidy(() => {
        const y = layer.apply(t1, t1.x!);
        expect(y.shape).toEqual([9, 4]);
        const yp = tf.gather(layer.apply(t1p, t1p.x!), tf.tensor1d(perm, 'int32'));
        expect(maxAbs(y, yp)).toBeLessThan(1e-5);
        const yb = layer.apply(batch, batch.x!);
        const y2 = layer.apply(t2, t2.x!);
        expect(maxAbs(yb, tf.concat([y, y2]))).toBeLessThan(1e-5);
        // Gradients reach every variable.
        const grads = tf.variableGrads(
          () => tf.sum(tf.square(layer.apply(t1, t1.x!))) as tf.Scalar,
          layer.variables(),
        );
        for (const v of layer.variables()) expect(grads.grads[v.name], v.name).toBeDefined();
      });
    for (const l of layers) l.dispose();
    for (const t of [t1, t1p, batch, t2]) t.dispose();
  });

  it('GAT attention of a node over its in-neighbours sums to one (uniform scores give the mean)', () => {
    const rng = new Rng(3);
    const g = ring(8, 3, 2, rng);
    const gt = graphTensors(g);
    const gat = new GatConv(rng, 2, 3, 1);
    tf.tidy(() => {
      // Zero attention vectors: α uniform over in-neighbours + self, so GAT = mean of W·h over them + b.
      gat.variables()[1]!.assign(tf.zerosLike(gat.variables()[1]!));
      gat.variables()[2]!.assign(tf.zerosLike(gat.variables()[2]!));
      const wh = tf.matMul(gt.x!, gat.variables()[0]!);
      const looped = gt.withSelfLoops();
      const mean = tf.div(
        tf.unsortedSegmentSum(tf.gather(wh, looped.src), looped.dst, 8),
        tf.reshape(tf.bincount(looped.dst, tf.tensor1d([], 'float32'), 8), [8, 1]),
      );
      expect(maxAbs(gat.apply(gt, gt.x!), mean)).toBeLessThan(1e-5);
    });
    gat.dispose();
    gt.dispose();
  });

  it('GatedGCN keeps widths, its gradient matches finite differences, and it fits a reachable target', () => {
    const rng = new Rng(4);
    const g = ring(10, 4, 6, rng);
    const gt = graphTensors(g);
    const layer = new GatedGcnConv(rng, 6);
    const e0 = tf.randomNormal([gt.numEdges, 6], 0, 1, 'float32', 5) as tf.Tensor2D;
    // Reachable: the residual layer adds ReLU(·) ≥ 0 to h.
    const target = tf.tidy(() => tf.add(gt.x!, tf.abs(tf.randomNormal([10, 6], 0, 1, 'float32', 6))));
    const loss = () => tf.mean(tf.square(tf.sub(layer.apply(gt, gt.x!, e0).h, target))) as tf.Scalar;
    const lossE = () => tf.sum(tf.mul(layer.apply(gt, gt.x!, e0).e, e0)) as tf.Scalar;
    for (const f of [loss, lossE])
      tf.tidy(() => {
        const vars = layer.variables();
        const { grads } = tf.variableGrads(f, vars);
        for (const v of [vars[4]!, vars[6]!, vars[9]!]) {
          const g0 = grads[v.name]!.dataSync()[1]!;
          const base = v.dataSync().slice();
          const eps = 1e-2;
          const at = (d: number) => {
            const w = base.slice();
            w[1] = w[1]! + d;
            v.assign(tf.tensor(w, v.shape));
            return f().dataSync()[0]!;
          };
          const fd = (at(eps) - at(-eps)) / (2 * eps);
          v.assign(tf.tensor(base, v.shape));
          expect(Math.abs(g0 - fd)).toBeLessThan(0.03 * Math.max(1, Math.abs(fd)));
        }
      });
    const first = tf.tidy(() => loss().dataSync()[0]!);
    const opt = tf.train.adam(0.01);
    for (let i = 0; i < 100; i++) opt.minimize(loss, true, layer.variables())?.dispose();
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(0.5 * first);
    tf.tidy(() => {
      const out = layer.apply(gt, gt.x!, e0);
      expect(out.e.shape).toEqual([gt.numEdges, 6]);
    });
    opt.dispose();
    tf.dispose([e0, target]);
    layer.dispose();
    gt.dispose();
  });

  it('LightGCN propagation averages Â^k·E over k = 0…K', () => {
    const rng = new Rng(5);
    const g = ring(5, 2, 2, rng);
    const gt = graphTensors(g);
    tf.tidy(() => {
      const e0 = gt.x!;
      const a = gt.sum();
      const one = lightGcnPropagate(a, e0, 1);
      const ref = tf.div(
        tf.add(
          e0,
          tf.matMul(
            tf.tensor2d(
              Array.from({ length: 5 }, (_, i) =>
                Array.from({ length: 5 }, (_, j) =>
                  a.csr.colIdx.subarray(a.csr.rowPtr[i]!, a.csr.rowPtr[i + 1]!).includes(j) ? 1 : 0,
                ),
              ),
            ),
            e0,
          ),
        ),
        2,
      );
      expect(maxAbs(one, ref)).toBeLessThan(1e-5);
    });
    gt.dispose();
  });
});
