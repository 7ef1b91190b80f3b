import type { RunContext } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
import * as tf from '@tensorflow/tfjs-core';
import { layerHessianTraces, layerTopEigenvalues } from '../../hessian/layerHessian.js';
import { CompressNet } from '../../nets/compressNet.js';
import { smallCnn, trainInRun } from '../../nets/zoo.js';
import { fakeQuantUniform } from '../../quant/fakeQuant.js';
import { accuracy } from '../../train/evaluate.js';
import { allConfigs } from './allocation.js';
import type { Dong2019Config } from './experiment.js';

/** One seed of dong2019: float accuracy, layer Hessians, and size, Ω scores and accuracy of every bit configuration. */
export type Cell = {
  fpAcc: number;
  traces: number[];
  traceSem: number[];
  eig: number[];
  sizes: number[];
  omegaTrace: number[];
  omegaEig: number[];
  acc: number[];
};

/** dong2019: one float model, its layer Hessians, and the post-training accuracy of every bit configuration. */
export async function measure(
  ctx: RunContext,
  cfg: Dong2019Config,
  seed: number,
  data: ImageSplits,
): Promise<Cell> {
  const specs = smallCnn({ filters: cfg.filters, hidden: cfg.hidden, classes: data.train.classes });
  const net = CompressNet.build(specs, data.train.shape, ctx.rng.split(`init-s${seed}`), 'cnn');
  try {
    await trainInRun(ctx, net, data.train, cfg, `order-s${seed}`);
    const fpAcc = accuracy(net, data.test);
    const m = Math.min(cfg.hessianBatch, data.train.n);
    const d = data.train.shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(data.train.x.subarray(0, m * d), [m, ...data.train.shape]);
    const y = tf.tensor1d(data.train.y.subarray(0, m), 'int32');
    const tr = layerHessianTraces(net, x, y, ctx.rng.split(`hutchinson-s${seed}`), cfg.hutchinson, cfg.probe);
    const ev = layerTopEigenvalues(net, x, y, ctx.rng.split(`power-s${seed}`), cfg.powerIterations);
    tf.dispose([x, y]);
    const layers = tr.layers;
    const kernels = layers.map((l) => net.layers[l]!.kernel!);
    const n = kernels.map((k) => k.size);
    // ‖Q_b(W) − W‖² per layer and bit width (symmetric per-channel uniform grid).
    const perturb = kernels.map((k) =>
      cfg.bits.map((b) => {
        const e = tf.tidy(() =>
          tf.sum(tf.square(tf.sub(fakeQuantUniform(k, { bits: b, channelAxis: -1 }), k))),
        );
        const v = e.dataSync()[0]!;
        e.dispose();
        return v;
      }),
    );
    const configs = allConfigs(layers.length, cfg.bits);
    const bi = (b: number) => cfg.bits.indexOf(b);
    const sizes = configs.map((c) => c.reduce((s, b, l) => s + b * n[l]!, 0));
    const omegaTrace = configs.map((c) =>
      c.reduce((s, b, l) => s + (tr.trace[l]! / n[l]!) * perturb[l]![bi(b)]!, 0),
    );
    const omegaEig = configs.map((c) => c.reduce((s, b, l) => s + ev.values[l]! * perturb[l]![bi(b)]!, 0));
    const acc = configs.map((c) => {
      const bitsOf = new Map(layers.map((l, i) => [l, c[i]!]));
      net.hooks = { weight: (l, k) => fakeQuantUniform(k, { bits: bitsOf.get(l)!, channelAxis: -1 }) };
      const a = accuracy(net, data.test);
      net.hooks = {};
      return a;
    });
    return {
      fpAcc,
      traces: tr.trace,
      traceSem: tr.sem,
      eig: ev.values,
      sizes: sizes.map((s) => s / n.reduce((a, b) => a + b, 0)),
      omegaTrace,
      omegaEig,
      acc,
    };
  } finally {
    net.dispose();
  }
}
