import type { Rng } from '@paperlab/core';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { GraphTensors } from '../graph/graphTensors.js';
import { gatherRows, segmentSum } from '../ops/segment.js';
import type { Parametrised } from './linear.js';

/** Per-edge weights `1/d_v` and `1/√(d_u·d_v)` of the degree-normalised sheaf Laplacian, as `[edges, 1]` columns. */
function laplacianWeights(g: GraphTensors): { self: tf.Tensor2D; cross: tf.Tensor2D } {
  const deg = new Float32Array(g.numNodes);
  for (const v of g.graph.dst) deg[v]!++;
  const self = new Float32Array(g.numEdges);
  const cross = new Float32Array(g.numEdges);
  for (let e = 0; e < g.numEdges; e++) {
    const dv = deg[g.graph.dst[e]!]!;
    const du = deg[g.graph.src[e]!]!;
    self[e] = 1 / dv;
    cross[e] = du > 0 ? 1 / Math.sqrt(du * dv) : 0;
  }
  return { self: tf.tensor2d(self, [g.numEdges, 1]), cross: tf.tensor2d(cross, [g.numEdges, 1]) };
}

/**
 * Sheaf diffusion with learned diagonal restriction maps (Bodnar et al. 2022, as used by Sheaf4Rec,
 * Purificato et al. 2023). Every edge u → v carries one map per endpoint, computed from both endpoints'
 * features: `F_v = 1 + tanh(x_v·A + x_u·B)`, `F_u = 1 + tanh(x_u·A + x_v·B)` (diagonal, per step). One step is
 * `x ← x − Δ_F x` with the degree-normalised sheaf Laplacian
 * `(Δ_F x)_v = Σ_{u→v} F_v ⊙ (F_v ⊙ x_v / d_v − F_u ⊙ x_u / √(d_u·d_v))`; the output is the mean of the steps
 * 0…K, as in LightGCN. With identity maps (A = B = 0) a step is exactly LightGCN's `Â·x`.
 */
export class SheafDiffusion implements Parametrised {
  private readonly maps: Array<{ a: tf.Variable; b: tf.Variable }>;
  private weights: { graph: GraphTensors; self: tf.Tensor2D; cross: tf.Tensor2D } | null = null;

  /** `steps` diffusion steps on `dim`-dimensional stalks; map weights drawn N(0, initScale²/dim). */
  constructor(
    rng: Rng,
    readonly dim: number,
    readonly steps: number,
    o: { initScale?: number } = {},
  ) {
    const std = (o.initScale ?? 0.1) / Math.sqrt(dim);
    this.maps = Array.from({ length: steps }, (_, k) => ({
      a: ownedVariable(tf.tensor2d(rng.split(`a-${k}`).normals(dim * dim, 0, std), [dim, dim])),
      b: ownedVariable(tf.tensor2d(rng.split(`b-${k}`).normals(dim * dim, 0, std), [dim, dim])),
    }));
  }

  private laplacian(g: GraphTensors): { self: tf.Tensor2D; cross: tf.Tensor2D } {
    if (this.weights?.graph !== g) {
      if (this.weights) tf.dispose([this.weights.self, this.weights.cross]);
      const w = tf.tidy(() => laplacianWeights(g));
      this.weights = { graph: g, self: tf.keep(w.self), cross: tf.keep(w.cross) };
    }
    return this.weights;
  }

  /** The restriction maps of step `k` on every edge: `[F_v, F_u]`, each `[edges, dim]`. */
  private edgeMaps(g: GraphTensors, x: tf.Tensor2D, k: number): [tf.Tensor2D, tf.Tensor2D] {
    const m = this.maps[k]!;
    const p = tf.matMul(x, m.a) as tf.Tensor2D;
    const q = tf.matMul(x, m.b) as tf.Tensor2D;
    const fv = tf.add(1, tf.tanh(tf.add(gatherRows(p, g.inEdges), gatherRows(q, g.outEdges))));
    const fu = tf.add(1, tf.tanh(tf.add(gatherRows(p, g.outEdges), gatherRows(q, g.inEdges))));
    return [fv as tf.Tensor2D, fu as tf.Tensor2D];
  }

  /** Diffuses node features `x0 [nodes, dim]` over `g` and returns the mean over steps 0…K. */
  apply(g: GraphTensors, x0: tf.Tensor2D): tf.Tensor2D {
    const w = this.laplacian(g);
    return tf.tidy(() => {
      let x = x0;
      let acc = x0;
      for (let k = 0; k < this.steps; k++) {
        const [fv, fu] = this.edgeMaps(g, x, k);
        const own = tf.mul(tf.mul(fv, gatherRows(x, g.inEdges)), w.self);
        const other = tf.mul(tf.mul(fu, gatherRows(x, g.outEdges)), w.cross);
        const delta = segmentSum(tf.mul(fv, tf.sub(own, other)) as tf.Tensor2D, g.inEdges);
        x = tf.sub(x, delta) as tf.Tensor2D;
        acc = tf.add(acc, x) as tf.Tensor2D;
      }
      return tf.div(acc, this.steps + 1) as tf.Tensor2D;
    });
  }

  /** Mean |F − 1| of the first step's restriction maps on `g` for features `x0`: 0 means identity maps. */
  mapDeviation(g: GraphTensors, x0: tf.Tensor2D): number {
    if (this.steps === 0) return 0;
    const d = tf.tidy(() => {
      const [fv, fu] = this.edgeMaps(g, x0, 0);
      return tf.div(tf.add(tf.mean(tf.abs(tf.sub(fv, 1))), tf.mean(tf.abs(tf.sub(fu, 1)))), 2);
    });
    const v = d.dataSync()[0]!;
    d.dispose();
    return v;
  }

  variables(): tf.Variable[] {
    return this.maps.flatMap((m) => [m.a, m.b]);
  }

  dispose(): void {
    tf.dispose(this.maps.flatMap((m) => [m.a, m.b]));
    if (this.weights) tf.dispose([this.weights.self, this.weights.cross]);
    this.weights = null;
  }
}
