import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { gatherRowsKernel, segmentMaxKernel, segmentSumKernel } from './ops/segment.js';
import { spmmKernel } from './ops/spmm.js';
import { papers } from './papers/index.js';

export {
  type ClusterOptions,
  CSL_SKIPS,
  type CslOptions,
  circulantSkipLinks,
  clusterGraphs,
  type GraphSample,
  type NodeLabelledSample,
  type PatternOptions,
  patternGraphs,
} from './data/benchmarks.js';
export {
  type InteractionOptions,
  type Interactions,
  interactionGraph,
  movieLensLike,
  negativeSampler,
} from './data/interactions.js';
export {
  ba2Motifs,
  barabasiAlbertPairs,
  baShapes,
  type MotifGraph,
  type MotifGraphSample,
  treeCycles,
} from './data/motifs.js';
export { knnGraph, uniformPoints } from './data/pointCloud.js';
export { bernoulliPairs, oneHot, randomSizes } from './data/random.js';
export { type RmatOptions, rmat } from './data/rmat.js';
export {
  type ContextualSbmOptions,
  contextualSbm,
  edgeHomophily,
  type LabelledGraph,
  type NodeTaskConfig,
  nodeTask,
  nodeTaskConfig,
  stochasticBlockModel,
  stratifiedSplit,
} from './data/sbm.js';
export {
  SKELETON_ACTIONS,
  SKELETON_BONES,
  SKELETON_JOINTS,
  type SkeletonSequence,
  skeletonGraph,
  skeletonSequences,
} from './data/skeletons.js';
export {
  expandMask,
  type FidelityMasks,
  type FidelityOutputs,
  type FidelityScores,
  fidelityMasks,
  fidelityScores,
  meanFidelity,
  type RobustFidelityOptions,
  undirectedEdgeIds,
} from './explain/fidelity.js';
export {
  addSelfLoops,
  batchGraphs,
  type Csr,
  csrRowIds,
  denseToCsr,
  type Features,
  filterEdges,
  type Graph,
  type GraphBatch,
  gcnAdjacency,
  inDegrees,
  inducedSubgraph,
  kHopIn,
  makeGraph,
  meanAdjacency,
  numEdges,
  outDegrees,
  selectRows,
  symmetricNormWeights,
  toCsr,
  transposeCsr,
  undirected,
} from './graph/graph.js';
export { type GraphTensors, graphTensors } from './graph/graphTensors.js';
export { bfsPartition, coordinatePartition, type HaloPartition, haloPartitions } from './graph/partition.js';
export { laplacianPE, randomSignFlip } from './graph/positional.js';
export {
  GatConv,
  GatedGcnConv,
  GcnConv,
  GinConv,
  type GraphLayer,
  lightGcnPropagate,
  SageConv,
} from './layers/conv.js';
export { Linear, Mlp, type Parametrised, parameterCount } from './layers/linear.js';
export { BatchNorm, LayerNorm } from './layers/norm.js';
export { SheafDiffusion } from './layers/sheaf.js';
export { GraphNet, type GraphNetKind, type GraphNetOptions } from './models/graphNet.js';
export { MeshGraphNet, type MeshGraphNetOptions } from './models/meshGraphNet.js';
export { ContinualStgcn, Stgcn, type StgcnOptions, stgcnFrameCost, windowForward } from './models/stgcn.js';
export { fakeQuantize, quantizeValues } from './ops/quantize.js';
export {
  gatherRows,
  gatherRowsKernel,
  type Segments,
  segmentMax,
  segmentMaxKernel,
  segmentMean,
  segmentSoftmax,
  segmentSum,
  segmentSumKernel,
  segments,
} from './ops/segment.js';
export { type SparseTensors, sparseTensors, spmm, spmmKernel } from './ops/spmm.js';
export { type Accumulator, rowProducts, spgemm } from './sparse/spgemm.js';
export {
  type FitGraphsOptions,
  fitGraphs,
  type GraphModel,
  predictGraph,
  type TrainingBatch,
} from './train/fitGraphs.js';
export {
  accuracy,
  argmaxRows,
  balancedAccuracy,
  balancedCrossEntropy,
  maskedCrossEntropy,
  type TopKMetrics,
  topKMetrics,
} from './train/metrics.js';
export { ranks, spearman } from './util/rank.js';

/** @paperlab/plugin-gnn: graph learning — graphs, generators, message-passing kernels and layers, papers. */
export default definePlugin({
  name: 'gnn',
  package: pkg,
  papers,
  kernels: [spmmKernel, gatherRowsKernel, segmentSumKernel, segmentMaxKernel],
});
