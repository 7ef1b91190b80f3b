import type { Rng, SeriesRow } from '@paperlab/core';
import { meanSem } from '@paperlab/core/kit';
import { adam, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { ba2Motifs, type MotifGraphSample } from '../../data/motifs.js';
import {
  expandMask,
  FIDELITY_KEYS,
  type FidelityScores,
  fidelityMasks,
  fidelityScores,
  meanFidelity,
  undirectedEdgeIds,
} from '../../explain/fidelity.js';
import { batchGraphs, filterEdges, type Graph } from '../../graph/graph.js';
import { graphTensors } from '../../graph/graphTensors.js';
import { GraphNet } from '../../models/graphNet.js';
import { fitGraphs } from '../../train/fitGraphs.js';
import type { Zheng2023Config } from './experiment.js';

/** One seed: the GNN's test accuracy and the mean fidelity scores of every edit cell. */
export interface CellResult {
  [key: string]: number | Array<Record<string, number>>;
  testAcc: number;
  testGraphs: number;
  /** One row per (removed, added): mean scores over test graphs. */
  grid: Array<Record<string, number>>;
}

/** The explanation after taking `removed` true edges out and putting `added` wrong ones in (undirected ids). */
function editExplanation(truth: Uint8Array, removed: number, added: number, rng: Rng): Uint8Array {
  const inS = Array.from(truth.keys()).filter((i) => truth[i]);
  const out = Array.from(truth.keys()).filter((i) => !truth[i]);
  const e = Uint8Array.from(truth);
  for (const i of rng.shuffle(inS).slice(0, removed)) e[i] = 0;
  for (const i of rng.shuffle(out).slice(0, added)) e[i] = 1;
  return e;
}

/** Probability of each graph's own label under the model, batched. */
function labelProbabilities(net: GraphNet, graphs: Graph[], labels: number[], chunk = 2000): Float64Array {
  const out = new Float64Array(graphs.length);
  for (let s = 0; s < graphs.length; s += chunk) {
    const gt = graphTensors(batchGraphs(graphs.slice(s, s + chunk)));
    const p = tf.tidy(() => tf.softmax(net.forward(gt, { training: false })));
    const v = p.dataSync();
    p.dispose();
    gt.dispose();
    for (let i = 0; i < Math.min(chunk, graphs.length - s); i++) out[s + i] = v[2 * i + labels[s + i]!]!;
  }
  return out;
}

/** Trains the GNN of one seed on BA-2Motifs, then scores its test graphs' edited explanations over the grid. */
export async function scoreEditGrid(
  cfg: Zheng2023Config,
  seed: number,
  rng: Rng,
  signal: AbortSignal,
): Promise<CellResult> {
  const data = ba2Motifs(rng.split(`data-${seed}`), {
    graphs: cfg.graphs,
    baseNodes: cfg.baseNodes,
    attach: 1,
  });
  const order = rng.split(`split-${seed}`).permutation(data.length);
  const nTest = Math.round(cfg.testFraction * data.length);
  const test = Array.from(order.subarray(0, nTest), (i) => data[i]!);
  const train = Array.from(order.subarray(nTest), (i) => data[i]!);
  const net = new GraphNet(rng.split(`init-${seed}`), {
    kind: cfg.model,
    inDim: 1,
    hidden: cfg.hidden,
    layers: cfg.layers,
    outDim: 2,
    readout: cfg.readout,
  });
  const opt = adam(cfg.lr);
  try {
    await fitGraphs({
      model: net,
      n: train.length,
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      order: rng.split(`order-${seed}`),
      optimizer: opt,
      signal,
      label: `BA-2Motifs ${cfg.model}`,
      batch: (idx) => ({
        graph: batchGraphs(Array.from(idx, (i) => train[i]!.graph)),
        target: tf.tensor1d(
          Array.from(idx, (i) => train[i]!.label),
          'int32',
        ),
      }),
      loss: (out, target) => softmaxCrossEntropy(out, target),
    });
    const full = labelProbabilities(
      net,
      test.map((t) => t.graph),
      test.map((t) => t.label),
    );
    const testAcc = full.filter((p) => p > 0.5).length / test.length;
    const grid: Array<Record<string, number>> = [];
    for (const removed of cfg.removed)
      for (const added of cfg.added) {
        grid.push({
          removed,
          added,
          distance: removed + added,
          ...scoreEdits(cfg, net, test, full, removed, added, rng.split(`edit-${seed}-${removed}-${added}`)),
        });
      }
    return { testAcc, testGraphs: test.length, grid };
  } finally {
    opt.dispose();
    net.dispose();
  }
}

/** Mean fidelity scores over test graphs of explanations edited by (removed, added). */
function scoreEdits(
  cfg: Zheng2023Config,
  net: GraphNet,
  test: MotifGraphSample[],
  full: Float64Array,
  removed: number,
  added: number,
  rng: Rng,
): FidelityScores {
  const graphs: Graph[] = [];
  const labels: number[] = [];
  const per: Array<{ at: number; draws: number }> = [];
  test.forEach((t, i) => {
    const { ids, count } = undirectedEdgeIds(t.graph);
    const truth = new Uint8Array(count);
    for (let e = 0; e < ids.length; e++) if (t.motifEdge[e]) truth[ids[e]!] = 1;
    const expl = editExplanation(truth, removed, added, rng.split(`g${i}`));
    const m = fidelityMasks(expl, cfg, rng.split(`m${i}`));
    per.push({ at: graphs.length, draws: m.plusRobust.length });
    for (const mask of [m.plus, m.minus, ...m.plusRobust, ...m.minusRobust]) {
      graphs.push(filterEdges(t.graph, expandMask(mask, ids)));
      labels.push(t.label);
    }
  });
  const p = labelProbabilities(net, graphs, labels);
  return meanFidelity(
    per.map(({ at, draws }, i) =>
      fidelityScores({
        full: full[i]!,
        plus: p[at]!,
        minus: p[at + 1]!,
        plusRobust: Array.from(p.subarray(at + 2, at + 2 + draws)),
        minusRobust: Array.from(p.subarray(at + 2 + draws, at + 2 + 2 * draws)),
      }),
    ),
  );
}

/** Every fidelity score of each (removed, added) cell, averaged over the seeds' rows. */
export function gridMeans(
  rows: readonly SeriesRow[],
  cfg: Pick<Zheng2023Config, 'removed' | 'added'>,
): SeriesRow[] {
  const means: SeriesRow[] = [];
  for (const removed of cfg.removed)
    for (const added of cfg.added) {
      const sel = rows.filter((x) => x.removed === removed && x.added === added);
      const avg = (k: string) => meanSem(sel.map((x) => x[k] as number)).mean;
      means.push({
        removed,
        added,
        distance: removed + added,
        ...Object.fromEntries(FIDELITY_KEYS.map((k) => [k, avg(k)])),
      });
    }
  return means;
}
