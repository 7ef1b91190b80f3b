import type { Rng } from '@paperlab/core';
import { adam, fit } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { Interactions } from '../../data/interactions.js';
import { negativeSampler } from '../../data/interactions.js';
import { symmetricNormWeights, toCsr } from '../../graph/graph.js';
import type { GraphTensors } from '../../graph/graphTensors.js';
import { lightGcnPropagate } from '../../layers/conv.js';
import { SheafDiffusion } from '../../layers/sheaf.js';
import { type SparseTensors, sparseTensors } from '../../ops/spmm.js';
import { topKMetrics } from '../../train/metrics.js';
import type { Purificato2023Config } from './experiment.js';

/** The trained rankers: matrix factorisation, LightGCN and sheaf diffusion, all from one initial table. */
export const models = ['mf', 'lightgcn', 'sheaf'] as const;
/** One of {@link models}. */
export type Model = (typeof models)[number];

/** One (seed, model) cell: held-out F1@k and NDCG@k, the last BPR loss, the sheaf maps’ mean |F − 1|. */
export interface Cell {
  [key: string]: number;
  f1: number;
  ndcg: number;
  loss: number;
  mapDeviation: number;
}

/** Final user and item embeddings of a model from the shared initial table. */
function embed(
  model: Model,
  e0: tf.Tensor2D,
  prop: { gt: GraphTensors; adj: SparseTensors; layers: number; sheaf: SheafDiffusion | null },
): tf.Tensor2D {
  if (model === 'mf') return e0;
  if (model === 'lightgcn') return lightGcnPropagate(prop.adj, e0, prop.layers);
  return prop.sheaf!.apply(prop.gt, e0);
}

/** Trains one ranker with BPR (one negative per pair, L2 on the batch’s initial embeddings) and scores it. */
export async function trainModel(
  cfg: Purificato2023Config,
  data: Interactions,
  gt: GraphTensors,
  model: Model,
  seed: number,
  rng: Rng,
  signal: AbortSignal,
): Promise<Cell> {
  const n = data.users + data.items;
  const init = tf.tensor2d(rng.split(`emb-${seed}`).normals(n * cfg.dim, 0, 0.1), [n, cfg.dim]);
  const table0 = tf.variable(init, true);
  init.dispose();
  const sheaf = model === 'sheaf' ? new SheafDiffusion(rng.split(`maps-${seed}`), cfg.dim, cfg.layers) : null;
  const vars = [table0, ...(sheaf?.variables() ?? [])];
  const opt = adam(cfg.lr);
  const negatives = negativeSampler(data, rng.split(`neg-${seed}`));
  const adj = sparseTensors(toCsr(gt.graph, symmetricNormWeights(gt.graph)));
  const prop = { gt, adj, layers: cfg.layers, sheaf };
  let last = Number.NaN;
  try {
    await fit({
      n: data.train.user.length,
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      order: rng.split(`order-${seed}`),
      signal,
      label: `${model} seed ${seed}`,
      step: (idx) => {
        const users = Int32Array.from(idx, (j) => data.train.user[j]!);
        const pos = Int32Array.from(idx, (j) => data.users + data.train.item[j]!);
        const neg = Int32Array.from(negatives(users), (i) => data.users + i);
        const u = tf.tensor1d(users, 'int32');
        const p = tf.tensor1d(pos, 'int32');
        const q = tf.tensor1d(neg, 'int32');
        const { value, grads } = tf.variableGrads(() => {
          const e = embed(model, table0 as tf.Tensor2D, prop);
          const eu = tf.gather(e, u);
          const diff = tf.sum(tf.mul(eu, tf.sub(tf.gather(e, p), tf.gather(e, q))), 1);
          const bpr = tf.mean(tf.softplus(tf.neg(diff)));
          const reg = tf.div(
            tf.add(
              tf.add(tf.sum(tf.square(tf.gather(table0, u))), tf.sum(tf.square(tf.gather(table0, p)))),
              tf.sum(tf.square(tf.gather(table0, q))),
            ),
            2 * idx.length,
          );
          return tf.add(bpr, tf.mul(cfg.l2, reg)) as tf.Scalar;
        }, vars);
        opt.apply(
          vars,
          vars.map((v) => grads[v.name]!),
        );
        last = value.dataSync()[0]!;
        tf.dispose([value, ...Object.values(grads), u, p, q]);
        return last;
      },
    });
    const scores = tf.tidy(() => {
      const e = embed(model, table0 as tf.Tensor2D, prop);
      const eu = tf.slice(e, [0, 0], [data.users, cfg.dim]);
      const ei = tf.slice(e, [data.users, 0], [data.items, cfg.dim]);
      return tf.matMul(eu, ei, false, true);
    });
    const m = topKMetrics(scores.dataSync(), data, data.train, data.test, cfg.k);
    scores.dispose();
    const mapDeviation = sheaf ? sheaf.mapDeviation(gt, table0 as tf.Tensor2D) : 0;
    return { f1: m.f1, ndcg: m.ndcg, loss: last, mapDeviation };
  } finally {
    adj.dispose();
    opt.dispose();
    sheaf?.dispose();
    table0.dispose();
  }
}

/** Popularity ranking (training counts), the floor every recommender must clear. */
export function popularity(cfg: Purificato2023Config, data: Interactions): { f1: number; ndcg: number } {
  const count = new Float64Array(data.items);
  for (const i of data.train.item) count[i]!++;
  const scores = new Float64Array(data.users * data.items);
  for (let u = 0; u < data.users; u++) scores.set(count, u * data.items);
  const m = topKMetrics(scores, data, data.train, data.test, cfg.k);
  return { f1: m.f1, ndcg: m.ndcg };
}
