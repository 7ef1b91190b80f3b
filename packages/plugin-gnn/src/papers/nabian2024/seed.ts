import type { Rng } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { knnGraph, uniformPoints } from '../../data/pointCloud.js';
import { type Graph, kHopIn } from '../../graph/graph.js';
import { coordinatePartition } from '../../graph/partition.js';
import { MeshGraphNet } from '../../models/meshGraphNet.js';
import { maxRel, relErr } from './equivalence.js';
import type { Nabian2024Config } from './experiment.js';
import { multiScale, samples, withEdgeAttr } from './field.js';
import {
  haloPieces,
  noHaloPieces,
  type Piece,
  probePieces,
  sampleBatch,
  trainOnPieces,
  wholePiece,
} from './pieces.js';

/** The graphs compared: (a) full, (c) L-hop halo partitions, (b) no-halo partitions, (d) multi-scale. */
export type Variant = 'full' | 'halo' | 'nohalo' | 'multiscale';

/** One seed: the equivalence errors at initialisation and the trained variants’ test errors. */
export interface SeedResult {
  [key: string]: number;
  gradErrHalo: number;
  outErrHalo: number;
  outErrShort: number;
  lossErrHalo: number;
  gradErrShort: number;
  mseFull: number;
  mseHalo: number;
  mseNohalo: number;
  mseMultiscale: number;
  r2Full: number;
  seamRatioFull: number;
  seamRatioNohalo: number;
}

/**
 * One seed: (1) halo partitions against the full graph at initialisation, (2) every variant trained from the
 * same weights on the same batches, (3) their test errors at partition seams against the interior.
 */
export async function runSeed(
  cfg: Nabian2024Config,
  seed: number,
  rng: Rng,
  signal: AbortSignal,
): Promise<SeedResult> {
  const n = cfg.points;
  const scale = Math.sqrt(n);
  const pos = uniformPoints(rng.split(`points-${seed}`), n, 2);
  const fine = withEdgeAttr(knnGraph(pos, cfg.k), pos, null, scale);
  const multi = multiScale(pos, cfg, rng.split(`coarse-${seed}`), scale);
  const all = samples(pos, cfg, cfg.trainSamples + cfg.testSamples, rng.split(`samples-${seed}`));
  // Standardise targets with the training statistics.
  const trainY = all.slice(0, cfg.trainSamples).flatMap((s) => Array.from(s.y));
  const mu = trainY.reduce((a, b) => a + b, 0) / trainY.length;
  const sd = Math.sqrt(trainY.reduce((a, b) => a + (b - mu) ** 2, 0) / trainY.length);
  for (const s of all) for (let i = 0; i < n; i++) s.y[i] = (s.y[i]! - mu) / sd;
  const train = all.slice(0, cfg.trainSamples);
  const test = all.slice(cfg.trainSamples);
  const part = coordinatePartition(pos, cfg.parts);
  const withHalo = (hops: number) => haloPieces(fine, part, hops);
  const init = (label: string) =>
    new MeshGraphNet(rng.split(`init-${seed}-${label}`), {
      nodeIn: 3,
      edgeIn: 4,
      hidden: cfg.hidden,
      steps: cfg.layers,
      out: 1,
    });

  // (1) Gradient equivalence at initialisation, on the first training batch: full vs L-hop and (L−1)-hop halos.
  const probe = init('shared');
  const first = sampleBatch(
    train,
    Array.from({ length: Math.min(cfg.batch, train.length) }, (_, i) => i),
    n,
  );
  const b0 = Math.min(cfg.batch, train.length);
  const measure = (pieces: Piece[]) => probePieces(probe, pieces, first, b0, n);
  const ref = measure(wholePiece(fine));
  const halo = measure(withHalo(cfg.layers));
  const short = measure(withHalo(cfg.layers - 1));
  probe.dispose();
  tf.dispose([first.x, first.y]);

  // (2) Training: every variant from the same initial weights, on the same batches; each is evaluated the way
  // it is trained (no-halo partitions at test time too).
  const results: Partial<Record<Variant, { mse: number; perNode: Float64Array }>> = {};
  const variants: Array<[Variant, Piece[]]> = [
    ['full', wholePiece(fine)],
    ['nohalo', noHaloPieces(fine, part, cfg.parts)],
    ['multiscale', wholePiece(multi)],
  ];
  if (cfg.trainHalo) variants.push(['halo', withHalo(cfg.layers)]);
  for (const [variant, pieces] of variants) {
    const model = init('shared');
    try {
      results[variant] = await trainOnPieces(model, pieces, {
        train,
        test,
        n,
        lr: cfg.lr,
        batch: cfg.batch,
        steps: cfg.steps,
        order: rng.split(`order-${seed}`),
        signal,
        label: `X-MeshGraphNet ${variant}`,
      });
    } finally {
      model.dispose();
    }
  }
  const seam = seamNodes(fine, part, cfg.layers);
  const ratio = (perNode: Float64Array) => seamRatio(perNode, seam);
  let varY = 0;
  for (const s of test) for (let v = 0; v < n; v++) varY += s.y[v]! ** 2;
  varY /= test.length * n;
  return {
    gradErrHalo: relErr(halo.g, ref.g),
    lossErrHalo: Math.abs(halo.loss - ref.loss) / ref.loss,
    outErrHalo: maxRel(halo.out, ref.out),
    outErrShort: maxRel(short.out, ref.out),
    gradErrShort: relErr(short.g, ref.g),
    mseFull: results.full!.mse,
    mseHalo: results.halo?.mse ?? Number.NaN,
    mseNohalo: results.nohalo!.mse,
    mseMultiscale: results.multiscale!.mse,
    r2Full: 1 - results.full!.mse / varY,
    seamRatioFull: ratio(results.full!.perNode),
    seamRatioNohalo: ratio(results.nohalo!.perNode),
  };
}

/** Seam nodes (1): nodes whose `hops`-hop in-neighbourhood reaches another partition. */
function seamNodes(g: Graph, part: ArrayLike<number>, hops: number): Uint8Array {
  const seam = new Uint8Array(g.numNodes);
  for (let v = 0; v < g.numNodes; v++)
    if (Array.from(kHopIn(g, [v], hops)).some((u) => part[u] !== part[v])) seam[v] = 1;
  return seam;
}

/** Mean per-node error on seam nodes over the mean on the other nodes. */
function seamRatio(perNode: Float64Array, seam: Uint8Array): number {
  let s = 0;
  let ns = 0;
  let i = 0;
  let ni = 0;
  for (let v = 0; v < seam.length; v++)
    if (seam[v]) {
      s += perNode[v]!;
      ns++;
    } else {
      i += perNode[v]!;
      ni++;
    }
  return s / Math.max(1, ns) / (i / Math.max(1, ni));
}
