import type { Rng } from '@paperlab/core';
import { ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { GraphTensors } from '../graph/graphTensors.js';
import { gatherRows, segmentSoftmax, segmentSum } from '../ops/segment.js';
import { type SparseTensors, spmm } from '../ops/spmm.js';
import { Linear, Mlp, type Parametrised } from './linear.js';
import { BatchNorm } from './norm.js';

/** A message-passing layer on node features: `h [n, in] → [n, out]`. */
export interface GraphLayer extends Parametrised {
  readonly inDim: number;
  readonly outDim: number;
  /** One round of message passing on graph `g`. */
  apply(g: GraphTensors, h: tf.Tensor2D): tf.Tensor2D;
}

/** GCN (Kipf & Welling 2017): `Â·H·W + b` with Â the symmetrically normalised adjacency with self-loops. */
export class GcnConv implements GraphLayer {
  private readonly lin: Linear;
  private readonly bias: tf.Variable;

  constructor(
    rng: Rng,
    readonly inDim: number,
    readonly outDim: number,
  ) {
    this.lin = new Linear(rng, inDim, outDim, { bias: false });
    this.bias = ownedVariable(tf.zeros([outDim]));
  }

  /**
   * `Â·(H·W) + b`. `h` may be a sparse matrix (e.g. sparse binary node features from {@link sparseTensors} of
   * `denseToCsr(...)`): then `H·W` is a sparse-dense product whose gradient `Hᵀ·dY` reaches `W`.
   */
  apply(g: GraphTensors, h: tf.Tensor2D | SparseTensors): tf.Tensor2D {
    return tf.tidy(() => {
      const hw = h instanceof tf.Tensor ? this.lin.apply(h) : spmm(h, this.lin.w as tf.Tensor2D);
      return tf.add(spmm(g.gcn(), hw), this.bias) as tf.Tensor2D;
    });
  }

  variables(): tf.Variable[] {
    return [...this.lin.variables(), this.bias];
  }

  dispose(): void {
    tf.dispose(this.variables());
  }
}

/** GraphSAGE with mean aggregation (Hamilton et al. 2017): `H·W_self + mean_{in-neighbours}(H)·W_neigh + b`. */
export class SageConv implements GraphLayer {
  private readonly self: Linear;
  private readonly neigh: Linear;

  constructor(
    rng: Rng,
    readonly inDim: number,
    readonly outDim: number,
  ) {
    this.self = new Linear(rng.split('self'), inDim, outDim);
    this.neigh = new Linear(rng.split('neigh'), inDim, outDim, { bias: false });
  }

  apply(g: GraphTensors, h: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.add(this.self.apply(h), this.neigh.apply(spmm(g.mean(), h))) as tf.Tensor2D);
  }

  variables(): tf.Variable[] {
    return [...this.self.variables(), ...this.neigh.variables()];
  }

  dispose(): void {
    this.self.dispose();
    this.neigh.dispose();
  }
}

/** GIN (Xu et al. 2019): `MLP((1 + ε)·H + Σ_{in-neighbours} H)`, ε learnable (or fixed at 0: GIN-0). */
export class GinConv implements GraphLayer {
  private readonly mlp: Mlp;
  private readonly eps: tf.Variable | null;

  constructor(
    rng: Rng,
    readonly inDim: number,
    readonly outDim: number,
    o: { learnEps?: boolean } = {},
  ) {
    this.mlp = new Mlp(rng, [inDim, outDim, outDim]);
    this.eps = o.learnEps ? ownedVariable(tf.scalar(0)) : null;
  }

  apply(g: GraphTensors, h: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const self = this.eps ? tf.mul(h, tf.add(1, this.eps)) : h;
      return this.mlp.apply(tf.add(self, spmm(g.sum(), h)) as tf.Tensor2D);
    });
  }

  variables(): tf.Variable[] {
    return this.eps ? [...this.mlp.variables(), this.eps] : this.mlp.variables();
  }

  dispose(): void {
    this.mlp.dispose();
    this.eps?.dispose();
  }
}

/**
 * GAT (Veličković et al. 2018): per head, attention `α_ij = softmax_j LeakyReLU(a_dst·Wh_i + a_src·Wh_j)`
 * over the in-neighbours (self-loops added) and output `Σ_j α_ij·Wh_j`; heads concatenated (`outDim =
 * heads × perHead`) or averaged.
 */
export class GatConv implements GraphLayer {
  readonly outDim: number;
  private readonly lin: Linear;
  private readonly aSrc: tf.Variable;
  private readonly aDst: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    rng: Rng,
    readonly inDim: number,
    readonly perHead: number,
    readonly heads: number,
    readonly o: { concat?: boolean; slope?: number } = {},
  ) {
    this.lin = new Linear(rng.split('w'), inDim, heads * perHead, { bias: false });
    const a = Math.sqrt(6 / (perHead + 1));
    this.aSrc = ownedVariable(
      tf.tensor(rng.split('a-src').uniforms(heads * perHead, -a, a), [heads, perHead]),
    );
    this.aDst = ownedVariable(
      tf.tensor(rng.split('a-dst').uniforms(heads * perHead, -a, a), [heads, perHead]),
    );
    this.outDim = o.concat === false ? perHead : heads * perHead;
    this.bias = ownedVariable(tf.zeros([this.outDim]));
  }

  apply(graph: GraphTensors, h: tf.Tensor2D): tf.Tensor2D {
    const g = graph.withSelfLoops();
    return tf.tidy(() => {
      const n = g.numNodes;
      const z = tf.reshape(this.lin.apply(h), [n, this.heads, this.perHead]);
      const sSrc = tf.sum(tf.mul(z, this.aSrc), -1) as tf.Tensor2D;
      const sDst = tf.sum(tf.mul(z, this.aDst), -1) as tf.Tensor2D;
      const e = tf.leakyRelu(
        tf.add(gatherRows(sSrc, g.outEdges), gatherRows(sDst, g.inEdges)),
        this.o.slope ?? 0.2,
      );
      const alpha = segmentSoftmax(e as tf.Tensor2D, g.inEdges);
      const zSrc = gatherRows(tf.reshape(z, [n, this.heads * this.perHead]) as tf.Tensor2D, g.outEdges);
      const msg = tf.mul(tf.reshape(zSrc, [g.numEdges, this.heads, this.perHead]), tf.expandDims(alpha, -1));
      const out = tf.reshape(
        segmentSum(tf.reshape(msg, [g.numEdges, this.heads * this.perHead]) as tf.Tensor2D, g.inEdges),
        [n, this.heads, this.perHead],
      );
      const merged = this.o.concat === false ? tf.mean(out, 1) : tf.reshape(out, [n, this.outDim]);
      return tf.add(merged, this.bias) as tf.Tensor2D;
    });
  }

  variables(): tf.Variable[] {
    return [...this.lin.variables(), this.aSrc, this.aDst, this.bias];
  }

  dispose(): void {
    tf.dispose(this.variables());
  }
}

/**
 * Gated graph convolution with edge features (Bresson & Laurent 2017, as in Dwivedi et al. 2020), residual:
 * `ê_ij = D·h_i + E·h_j + C·e_ij`, `h_i ← h_i + ReLU(A·h_i + Σ_j σ(ê_ij) ⊙ B·h_j / (Σ_j σ(ê_ij) + ε))`,
 * `e_ij ← e_ij + ReLU(ê_ij)` for edges `j → i`. Width is kept (`dim → dim`).
 */
export class GatedGcnConv implements Parametrised {
  private readonly lins: Linear[];
  private readonly hNorm: BatchNorm | null;
  private readonly eNorm: BatchNorm | null;
  private readonly edgeOutput: boolean;

  /**
   * With `batchNorm`, node and edge updates are batch-normalised before the ReLU (as in Dwivedi et al.);
   * `edgeOutput: false` (a last layer) returns the edge features unchanged.
   */
  constructor(
    rng: Rng,
    readonly dim: number,
    o: { batchNorm?: boolean; edgeOutput?: boolean } = {},
  ) {
    this.lins = ['A', 'B', 'C', 'D', 'E'].map((k) => new Linear(rng.split(k), dim, dim));
    this.edgeOutput = o.edgeOutput ?? true;
    this.hNorm = o.batchNorm ? new BatchNorm(dim) : null;
    this.eNorm = o.batchNorm && this.edgeOutput ? new BatchNorm(dim) : null;
  }

  /** One layer on node features `h [n, dim]` and edge features `e [edges, dim]`. */
  apply(
    g: GraphTensors,
    h: tf.Tensor2D,
    e: tf.Tensor2D,
    training = false,
  ): { h: tf.Tensor2D; e: tf.Tensor2D } {
    const [A, B, C, D, E] = this.lins as [Linear, Linear, Linear, Linear, Linear];
    const out = tf.tidy(() => {
      const eHat = tf.add(
        tf.add(gatherRows(D.apply(h), g.inEdges), gatherRows(E.apply(h), g.outEdges)),
        C.apply(e),
      ) as tf.Tensor2D;
      const gate = tf.sigmoid(eHat) as tf.Tensor2D;
      const num = segmentSum(tf.mul(gate, gatherRows(B.apply(h), g.outEdges)) as tf.Tensor2D, g.inEdges);
      const den = tf.add(segmentSum(gate, g.inEdges), 1e-6);
      let hUpd = tf.add(A.apply(h), tf.div(num, den)) as tf.Tensor2D;
      if (this.hNorm) hUpd = this.hNorm.apply(hUpd, training);
      const hNew = tf.add(h, tf.relu(hUpd)) as tf.Tensor2D;
      if (!this.edgeOutput) return [hNew, e];
      const eUpd = this.eNorm ? this.eNorm.apply(eHat, training) : eHat;
      const eNew = tf.add(e, tf.relu(eUpd)) as tf.Tensor2D;
      return [hNew, eNew];
    });
    return { h: out[0] as tf.Tensor2D, e: out[1] as tf.Tensor2D };
  }

  variables(): tf.Variable[] {
    return [...this.lins.flatMap((l) => l.variables()), ...this.normsList().flatMap((n) => n.variables())];
  }

  buffers(): tf.Variable[] {
    return this.normsList().flatMap((n) => n.buffers());
  }

  private normsList(): BatchNorm[] {
    return [this.hNorm, this.eNorm].filter((n): n is BatchNorm => n !== null);
  }

  dispose(): void {
    for (const l of this.lins) l.dispose();
    for (const n of this.normsList()) n.dispose();
  }
}

/**
 * LightGCN propagation (He et al. 2020): no weights, no nonlinearity — `E_{k+1} = Â·E_k` with the
 * symmetric normalisation without self-loops, output the mean of `E_0 … E_K`.
 */
export function lightGcnPropagate(
  adj: Parameters<typeof spmm>[0],
  e0: tf.Tensor2D,
  layers: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    let e = e0;
    let acc = e0;
    for (let k = 0; k < layers; k++) {
      e = spmm(adj, e);
      acc = tf.add(acc, e);
    }
    return tf.div(acc, layers + 1) as tf.Tensor2D;
  });
}
