import type { StateDict } from '@paperlab/core';
import type { FitCommonOptions, FitOptimizer, FitReport } from '@paperlab/core/train';
import { assignVariables, fit, variablesState } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { Graph } from '../graph/graph.js';
import { type GraphTensors, graphTensors } from '../graph/graphTensors.js';
import type { Parametrised } from '../layers/linear.js';

/** A model run on a graph (or a block-diagonal batch of graphs): node or graph outputs. */
export interface GraphModel extends Parametrised {
  /** Forward pass; `training` switches dropout-like behaviour and random augmentations. */
  forward(g: GraphTensors, o: { training: boolean }): tf.Tensor;
}

/** One training batch: the graph it runs on and the targets its loss reads (disposed after the step). */
export interface TrainingBatch {
  graph: Graph;
  target: tf.Tensor;
}

/** Options of {@link fitGraphs}. */
export interface FitGraphsOptions extends FitCommonOptions {
  model: GraphModel;
  /** Number of examples (graphs, or 1 for full-batch training on one graph). */
  n: number;
  /**
   * Builds the batch of examples `indices` (e.g. a block-diagonal batch of graphs). Returning the same
   * `Graph` object again reuses its device tensors (full-batch training on one graph).
   */
  batch(indices: Int32Array, epoch: number): TrainingBatch;
  /** The batch loss from the model output. */
  loss(output: tf.Tensor, target: tf.Tensor): tf.Scalar;
  /** Optimizer (owned by the caller). */
  optimizer: FitOptimizer;
}

/**
 * Gradient training of a graph model with core's loop (`fit` with a host step): epochs, shared batch order,
 * stops, abort and checkpoint/resume (model variables and optimizer slots) come from `fit`; each step puts the
 * batch's graph on the device, differentiates the loss and applies the optimizer.
 */
export async function fitGraphs(o: FitGraphsOptions): Promise<FitReport> {
  const { model, optimizer } = o;
  const vars = model.variables();
  const label = o.label ?? 'fitGraphs';
  const cache = new WeakMap<Graph, GraphTensors>();
  const owned: GraphTensors[] = [];
  const tensorsOf = (g: Graph) => {
    let gt = cache.get(g);
    if (!gt) {
      gt = graphTensors(g);
      cache.set(g, gt);
      owned.push(gt);
    }
    return gt;
  };
  const buffers = model.buffers?.() ?? [];
  const named = () =>
    Object.fromEntries([
      ...vars.map((v, i) => [`param/${i}`, v] as const),
      ...buffers.map((v, i) => [`buffer/${i}`, v] as const),
    ]);
  try {
    return await fit({
      ...o,
      label,
      n: o.n,
      step(indices, epoch) {
        const b = o.batch(indices, epoch);
        const reused = cache.has(b.graph);
        const gt = tensorsOf(b.graph);
        try {
          const { value, grads } = tf.variableGrads(
            () => o.loss(model.forward(gt, { training: true }), b.target),
            vars,
          );
          const list = vars.map((v) => {
            const g = grads[v.name];
            if (!g)
              throw new Error(
                `${label}: variable '${v.name}' gets no gradient from the loss; leave it out of variables()`,
              );
            return g;
          });
          optimizer.apply(vars, list);
          tf.dispose(list);
          const loss = value.dataSync()[0]!;
          value.dispose();
          return loss;
        } finally {
          b.target.dispose();
          if (!reused) {
            gt.dispose();
            cache.delete(b.graph);
            owned.splice(owned.indexOf(gt), 1);
          }
        }
      },
      state: {
        async getState(): Promise<StateDict> {
          const m = await variablesState(named());
          const opt = await optimizer.getState();
          return {
            tensors: {
              ...m.tensors,
              ...Object.fromEntries(Object.entries(opt.tensors).map(([k, t]) => [`opt/${k}`, t])),
            },
            json: opt.json ?? null,
          };
        },
        setState(state) {
          assignVariables(named(), state);
          const tensors = Object.fromEntries(
            Object.entries(state.tensors)
              .filter(([k]) => k.startsWith('opt/'))
              .map(([k, t]) => [k.slice(4), t]),
          );
          void optimizer.setState({ tensors, ...(state.json ? { json: state.json } : {}) });
        },
      },
    });
  } finally {
    for (const gt of owned) gt.dispose();
  }
}

/** Runs the model (no training) on a graph and returns its output on the host, row-major. */
export function predictGraph(model: GraphModel, g: Graph): { values: Float32Array; shape: number[] } {
  const gt = graphTensors(g);
  try {
    const out = tf.tidy(() => model.forward(gt, { training: false }));
    const values = out.dataSync() as Float32Array;
    const shape = out.shape;
    out.dispose();
    return { values: Float32Array.from(values), shape };
  } finally {
    gt.dispose();
  }
}
