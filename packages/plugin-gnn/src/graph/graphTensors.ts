import * as tf from '@tensorflow/tfjs-core';
import { type Segments, segments } from '../ops/segment.js';
import { type SparseTensors, sparseTensors } from '../ops/spmm.js';
import { addSelfLoops, type Graph, type GraphBatch, gcnAdjacency, meanAdjacency, toCsr } from './graph.js';

/**
 * A graph's structure on the device, shared by the layers that run on it: edge endpoints, edges grouped by
 * destination, and the aggregation matrices, each built on first use. Release with `dispose()`.
 */
export interface GraphTensors {
  readonly graph: Graph;
  readonly numNodes: number;
  readonly numEdges: number;
  /** Source node of every edge (int32). */
  readonly src: tf.Tensor1D;
  /** Destination node of every edge (int32). */
  readonly dst: tf.Tensor1D;
  /** Edges grouped by destination: the in-edges each node aggregates (gather by `dst`, sum into nodes). */
  readonly inEdges: Segments;
  /** Edges grouped by source (gather by `src`). */
  readonly outEdges: Segments;
  /** Nodes grouped by graph, when the graph is a block-diagonal batch (for pooling). */
  readonly graphs: Segments | undefined;
  /** Node features, if the graph has them. */
  readonly x: tf.Tensor2D | undefined;
  /** Edge features, if the graph has them. */
  readonly edgeAttr: tf.Tensor2D | undefined;
  /** Â = D̃^−½(A + I)D̃^−½ (Kipf & Welling). */
  gcn(): SparseTensors;
  /** Mean over in-neighbours D^−1·A. */
  mean(): SparseTensors;
  /** Sum over in-neighbours A. */
  sum(): SparseTensors;
  /** The same graph with a self-loop at every node (built once). */
  withSelfLoops(): GraphTensors;
  dispose(): void;
}

/** Puts a graph's structure (and features) on the device. */
export function graphTensors(graph: Graph): GraphTensors {
  // Every tensor here is kept: parts are built lazily, possibly inside a caller's tidy, and owned by this object.
  const src = tf.keep(tf.tensor1d(graph.src, 'int32'));
  const dst = tf.keep(tf.tensor1d(graph.dst, 'int32'));
  const inEdges = segments(graph.dst, graph.numNodes);
  const outEdges = segments(graph.src, graph.numNodes);
  const batch = graph as Partial<GraphBatch>;
  const graphs =
    batch.graphOf && batch.numGraphs !== undefined ? segments(batch.graphOf, batch.numGraphs) : undefined;
  const x = graph.x ? tf.keep(tf.tensor2d(graph.x.data, [graph.numNodes, graph.x.dim])) : undefined;
  const edgeAttr = graph.edgeAttr
    ? tf.keep(tf.tensor2d(graph.edgeAttr.data, [graph.src.length, graph.edgeAttr.dim]))
    : undefined;
  const cache = new Map<string, SparseTensors>();
  const matrix = (key: string, build: () => Parameters<typeof sparseTensors>[0]) => {
    let m = cache.get(key);
    if (!m) {
      m = sparseTensors(build());
      cache.set(key, m);
    }
    return m;
  };
  let looped: GraphTensors | null = null;
  return {
    graph,
    numNodes: graph.numNodes,
    numEdges: graph.src.length,
    src,
    dst,
    inEdges,
    outEdges,
    graphs,
    x,
    edgeAttr,
    gcn: () => matrix('gcn', () => gcnAdjacency(graph)),
    mean: () => matrix('mean', () => meanAdjacency(graph)),
    sum: () => matrix('sum', () => toCsr(graph)),
    withSelfLoops() {
      if (!looped) looped = graphTensors(addSelfLoops(graph) as Graph);
      return looped;
    },
    dispose() {
      tf.dispose([src, dst]);
      if (x) x.dispose();
      if (edgeAttr) edgeAttr.dispose();
      inEdges.dispose();
      outEdges.dispose();
      graphs?.dispose();
      for (const m of cache.values()) m.dispose();
      cache.clear();
      looped?.dispose();
      looped = null;
    },
  };
}
