import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { GraphTensors } from '../graph/graphTensors.js';
import { Mlp, type Parametrised } from '../layers/linear.js';
import { LayerNorm } from '../layers/norm.js';
import { gatherRows, segmentSum } from '../ops/segment.js';

/** Options of {@link MeshGraphNet}. */
export interface MeshGraphNetOptions {
  nodeIn: number;
  edgeIn: number;
  hidden: number;
  /** Message-passing steps (processor blocks). */
  steps: number;
  out: number;
  /** Layer norm after each MLP, as in MeshGraphNet (default true); it removes the scale of a node's features. */
  layerNorm?: boolean;
}

/** A two-layer MLP followed by layer norm, MeshGraphNet's building block. */
class NormedMlp implements Parametrised {
  private readonly mlp: Mlp;
  private readonly norm: LayerNorm | null;
  constructor(rng: Rng, dims: number[], norm: boolean) {
    this.mlp = new Mlp(rng, dims);
    this.norm = norm ? new LayerNorm(dims[dims.length - 1]!) : null;
  }
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const y = this.mlp.apply(x);
    return this.norm ? this.norm.apply(y) : y;
  }
  variables(): tf.Variable[] {
    return [...this.mlp.variables(), ...(this.norm?.variables() ?? [])];
  }
  dispose(): void {
    this.mlp.dispose();
    this.norm?.dispose();
  }
}

/**
 * MeshGraphNet (Pfaff et al. 2021) as used by X-MeshGraphNet: encode nodes and edges with MLPs, then `steps`
 * residual blocks — edge update `e_ij += MLP[e_ij, h_i, h_j]`, node update `h_i += MLP[h_i, Σ_j e_ij]` over
 * in-edges — and decode nodes. Sum aggregation and no degree normalisation: a node's output depends only on
 * its `steps`-hop in-neighbourhood, so halo partitions reproduce it exactly.
 */
export class MeshGraphNet implements Parametrised {
  private readonly nodeEnc: NormedMlp;
  private readonly edgeEnc: NormedMlp;
  private readonly edgeBlocks: NormedMlp[];
  private readonly nodeBlocks: NormedMlp[];
  private readonly decoder: Mlp;

  constructor(
    rng: Rng,
    readonly o: MeshGraphNetOptions,
  ) {
    const d = o.hidden;
    const ln = o.layerNorm ?? true;
    this.nodeEnc = new NormedMlp(rng.split('node-enc'), [o.nodeIn, d, d], ln);
    this.edgeEnc = new NormedMlp(rng.split('edge-enc'), [o.edgeIn, d, d], ln);
    this.edgeBlocks = Array.from(
      { length: o.steps },
      (_, i) => new NormedMlp(rng.split(`edge-${i}`), [3 * d, d, d], ln),
    );
    this.nodeBlocks = Array.from(
      { length: o.steps },
      (_, i) => new NormedMlp(rng.split(`node-${i}`), [2 * d, d, d], ln),
    );
    this.decoder = new Mlp(rng.split('dec'), [d, d, o.out]);
  }

  /** Node outputs for node features `x` and edge features `edgeAttr` on graph `g`. */
  apply(g: GraphTensors, x: tf.Tensor2D, edgeAttr: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.nodeEnc.apply(x);
      let e = this.edgeEnc.apply(edgeAttr);
      for (let s = 0; s < this.o.steps; s++) {
        const msg = tf.concat([e, gatherRows(h, g.inEdges), gatherRows(h, g.outEdges)], 1) as tf.Tensor2D;
        e = tf.add(e, this.edgeBlocks[s]!.apply(msg)) as tf.Tensor2D;
        const agg = segmentSum(e, g.inEdges);
        h = tf.add(h, this.nodeBlocks[s]!.apply(tf.concat([h, agg], 1) as tf.Tensor2D)) as tf.Tensor2D;
      }
      return this.decoder.apply(h);
    });
  }

  variables(): tf.Variable[] {
    return [
      ...this.nodeEnc.variables(),
      ...this.edgeEnc.variables(),
      ...this.edgeBlocks.flatMap((b) => b.variables()),
      ...this.nodeBlocks.flatMap((b) => b.variables()),
      ...this.decoder.variables(),
    ];
  }

  dispose(): void {
    for (const b of [this.nodeEnc, this.edgeEnc, ...this.edgeBlocks, ...this.nodeBlocks]) b.dispose();
    this.decoder.dispose();
  }
}
