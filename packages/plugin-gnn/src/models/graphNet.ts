import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { GraphTensors } from '../graph/graphTensors.js';
import { GatConv, GatedGcnConv, GcnConv, GinConv, type GraphLayer, SageConv } from '../layers/conv.js';
import { Linear, Mlp } from '../layers/linear.js';
import { BatchNorm } from '../layers/norm.js';
import { segmentMax, segmentMean, segmentSum } from '../ops/segment.js';
import type { GraphModel } from '../train/fitGraphs.js';

/** Message-passing layer kinds of {@link GraphNet} (`mlp`: no message passing, the features-only baseline). */
export type GraphNetKind = 'mlp' | 'gcn' | 'sage' | 'gin' | 'gat' | 'gatedgcn';

/** Options of {@link GraphNet}. */
export interface GraphNetOptions {
  kind: GraphNetKind;
  inDim: number;
  hidden: number;
  layers: number;
  outDim: number;
  /** `node`: one output per node; otherwise graph outputs pooled over each graph of a batch. */
  readout: 'node' | 'mean' | 'sum' | 'max';
  /** Residual connections `h ← h + ReLU(layer(h))` (default true). */
  residual?: boolean;
  /** Attention heads for `gat` (hidden must be divisible by it; default 4). */
  heads?: number;
  /** Batch normalisation after every layer, before the ReLU (default true, as in Dwivedi et al.). */
  batchNorm?: boolean;
}

/**
 * The Benchmarking-GNNs architecture (Dwivedi et al. 2020): input embedding, `layers` message-passing layers
 * of one kind, each `h ← h + ReLU(BN(layer(h)))` (residual and batch norm optional), then an MLP readout
 * (hidden → hidden/2 → hidden/4 → out), applied per node or after pooling each graph of a block-diagonal batch.
 */
export class GraphNet implements GraphModel {
  private readonly embed: Linear;
  private readonly edgeEmbed: Linear | null;
  private readonly convs: GraphLayer[];
  private readonly gated: GatedGcnConv[];
  private readonly dense: Linear[];
  private readonly norms: BatchNorm[];
  private readonly head: Mlp;

  constructor(
    rng: Rng,
    readonly o: GraphNetOptions,
  ) {
    const d = o.hidden;
    this.embed = new Linear(rng.split('embed'), o.inDim, d);
    this.edgeEmbed = o.kind === 'gatedgcn' ? new Linear(rng.split('edge-embed'), 1, d) : null;
    const heads = o.heads ?? 4;
    if (o.kind === 'gat' && d % heads)
      throw new RangeError(`GraphNet: hidden ${d} is not divisible by ${heads} attention heads`);
    const make = (i: number): GraphLayer | null => {
      const r = rng.split(`layer-${i}`);
      switch (o.kind) {
        case 'gcn':
          return new GcnConv(r, d, d);
        case 'sage':
          return new SageConv(r, d, d);
        case 'gin':
          return new GinConv(r, d, d);
        case 'gat':
          return new GatConv(r, d, d / heads, heads);
        default:
          return null;
      }
    };
    this.convs = [];
    this.gated = [];
    this.dense = [];
    const bn = o.batchNorm ?? true;
    this.norms = bn && o.kind !== 'gatedgcn' ? Array.from({ length: o.layers }, () => new BatchNorm(d)) : [];
    for (let i = 0; i < o.layers; i++) {
      if (o.kind === 'gatedgcn')
        this.gated.push(
          new GatedGcnConv(rng.split(`layer-${i}`), d, { batchNorm: bn, edgeOutput: i < o.layers - 1 }),
        );
      else if (o.kind === 'mlp') this.dense.push(new Linear(rng.split(`layer-${i}`), d, d));
      else this.convs.push(make(i)!);
    }
    this.head = new Mlp(rng.split('head'), [d, Math.max(1, d >> 1), Math.max(1, d >> 2), o.outDim]);
  }

  /** Node embeddings after the message-passing layers. */
  embedNodes(g: GraphTensors, x: tf.Tensor2D, training = false): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.embed.apply(x);
      const residual = this.o.residual ?? true;
      const step = (next: tf.Tensor2D, i: number) => {
        const norm = this.norms[i];
        const n = norm ? norm.apply(next, training) : next;
        return (residual ? tf.add(h, tf.relu(n)) : tf.relu(n)) as tf.Tensor2D;
      };
      if (this.o.kind === 'gatedgcn') {
        let e = this.edgeEmbed!.apply(tf.ones([g.numEdges, 1]) as tf.Tensor2D);
        for (const layer of this.gated) {
          // GatedGcnConv carries its own residual and batch norm.
          const out = layer.apply(g, h, e, training);
          h = out.h;
          e = out.e;
        }
        return h;
      }
      this.dense.forEach((l, i) => {
        h = step(l.apply(h), i);
      });
      this.convs.forEach((l, i) => {
        h = step(l.apply(g, h), i);
      });
      return h;
    });
  }

  forward(g: GraphTensors, o: { training: boolean }): tf.Tensor2D {
    if (!g.x) throw new Error('GraphNet: the graph has no node features (graph.x)');
    return this.forwardWith(g, g.x, o.training);
  }

  /** Forward pass on explicit node features (e.g. with positional encodings appended). */
  forwardWith(g: GraphTensors, x: tf.Tensor2D, training = false): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.embedNodes(g, x, training);
      if (this.o.readout === 'node') return this.head.apply(h);
      const graphs = g.graphs;
      if (!graphs) throw new Error('GraphNet: graph readout needs a batch of graphs (batchGraphs)');
      const pooled =
        this.o.readout === 'mean'
          ? segmentMean(h, graphs)
          : this.o.readout === 'sum'
            ? segmentSum(h, graphs)
            : segmentMax(h, graphs);
      return this.head.apply(pooled);
    });
  }

  variables(): tf.Variable[] {
    return [
      ...this.embed.variables(),
      ...(this.edgeEmbed?.variables() ?? []),
      ...this.convs.flatMap((l) => l.variables()),
      ...this.gated.flatMap((l) => l.variables()),
      ...this.dense.flatMap((l) => l.variables()),
      ...this.norms.flatMap((l) => l.variables()),
      ...this.head.variables(),
    ];
  }

  buffers(): tf.Variable[] {
    return [...this.gated.flatMap((l) => l.buffers()), ...this.norms.flatMap((l) => l.buffers())];
  }

  dispose(): void {
    this.embed.dispose();
    this.edgeEmbed?.dispose();
    for (const l of [...this.convs, ...this.gated, ...this.dense, ...this.norms]) l.dispose();
    this.head.dispose();
  }
}
