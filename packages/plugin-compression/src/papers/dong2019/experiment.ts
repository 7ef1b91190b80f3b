import { defineExperiment, type RunContext, type Scalars, scalarKeys, z } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
import {
  claimsFor,
  fmt,
  mean,
  pairedGap,
  pct,
  points,
  table,
  type WithSem,
  withSem,
} from '@paperlab/core/kit';
import { scatterPlot } from '@paperlab/core/plots';
import * as tf from '@tensorflow/tfjs-core';
import {
  CONFIG_LIMITS,
  countField,
  seedsField,
  smallCnnConfig,
  trainingConfig,
} from '../../config/fields.js';
import { imageDataConfig, SMOKE_IMAGES } from '../../data/images.js';
import { layerHessianTraces, layerTopEigenvalues } from '../../hessian/layerHessian.js';
import { CompressNet } from '../../nets/compressNet.js';
import { smallCnn, trainInRun } from '../../nets/zoo.js';
import { fakeQuantUniform } from '../../quant/fakeQuant.js';
import { runImageSeeds } from '../../train/cells.js';
import { accuracy } from '../../train/evaluate.js';
import { spearman } from '../../util/rankCorrelation.js';

const config = z.strictObject({
  ...imageDataConfig,
  ...smallCnnConfig({ filters: [8, 16], hidden: 32, minFilters: 1 }),
  ...trainingConfig({ epochs: 12, batchSize: 100, lr: 2e-3 }),
  bits: z
    .array(z.number().int().min(2).max(8))
    .min(2)
    .max(7)
    .default([2, 4, 8])
    .describe('bit widths each layer may take'),
  budgets: z
    .array(z.number().positive().max(32))
    .min(1)
    .max(CONFIG_LIMITS.sweep)
    .default([2.5, 3, 3.5, 4, 5, 6])
    .describe('size budgets in average bits per weight'),
  hessianBatch: countField(500, 16, 10_000).describe('training images the Hessian is measured on'),
  hutchinson: countField(32, 2, 4096).describe('Rademacher probes per layer'),
  probe: z
    .enum(['per-block', 'joint'])
    .default('per-block')
    .describe('Hutchinson probes drawn inside each layer (per-block) or over all layers at once (joint)'),
  powerIterations: countField(20, 2, 1000),
  seeds: seedsField(3),
});

/** Config of compression/dong2019. */
export type Dong2019Config = z.infer<typeof config>;

type Scalar =
  | 'fp_acc'
  | 'fp_acc_min'
  | WithSem<'gain_random' | 'gain_eig' | 'gain_uniform4'>
  | 'differ_frac'
  | 'spearman_trace'
  | 'spearman_eig'
  | 'trace_rel_sem_max'
  | 'configs'
  | 'seeds'
  | 'oracle_gap';

const claim = claimsFor<Dong2019Config, Scalar>();
const fpTrained = claim.trained('fp_acc_min', 0.8, 'the float32 model');
const threeSeeds = claim.atLeast('seeds', 3, 'seeds');

/** Every assignment of `bits` to `layers` layers (first layer varies slowest). */
export function allConfigs(layers: number, bits: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (let l = 0; l < layers; l++) out = out.flatMap((c) => bits.map((b) => [...c, b]));
  return out;
}

/** The configuration with the smallest score among those within the size budget (ties: the larger one). */
export function pickWithin(sizes: readonly number[], scores: readonly number[], budget: number): number {
  let best = -1;
  for (let i = 0; i < sizes.length; i++) {
    if (sizes[i]! > budget + 1e-9) continue;
    if (best < 0 || scores[i]! < scores[best]! || (scores[i] === scores[best] && sizes[i]! > sizes[best]!))
      best = i;
  }
  return best;
}

type Cell = {
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
async function measure(ctx: RunContext, cfg: Dong2019Config, seed: number, data: ImageSplits): Promise<Cell> {
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

/** compression/dong2019: HAWQ-V2: Hessian Aware trace-Weighted Quantization of Neural Networks. */
export const dong2019 = defineExperiment({
  id: 'compression/dong2019',
  paper: {
    title: 'HAWQ-V2: Hessian Aware trace-Weighted Quantization of Neural Networks',
    authors: 'Zhen Dong, Zhewei Yao, Daiyaan Arfeen, Amir Gholami, Michael W. Mahoney, Kurt Keutzer',
    year: 2019,
    url: 'https://arxiv.org/abs/1911.03852',
    venue: 'NeurIPS 2020',
  },
  summary:
    'A four-layer CNN on 2×2-pooled Fashion-MNIST is trained in float32; the Hessian of its loss is measured per layer ' +
    '(Hutchinson trace, power-iteration top eigenvalue, both from finite-difference Hessian-vector products). Each ' +
    'layer may take 2, 4 or 8 bits (symmetric per-channel weights, post-training): all 81 configurations are scored ' +
    'by HAWQ-V2’s Ω = Σ Tr(H_l)/n_l·‖Q(W_l) − W_l‖² and by its top-eigenvalue analogue, and evaluated exactly. At ' +
    'equal size budgets, the trace-chosen configuration is compared with the eigenvalue-chosen one, a random ' +
    'configuration and uniform 4-bit.',
  config,
  presets: {
    smoke: {
      ...SMOKE_IMAGES,
      filters: [2, 4],
      hidden: 8,
      epochs: 2,
      hessianBatch: 64,
      hutchinson: 4,
      powerIterations: 3,
      seeds: 1,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'trace-beats-random',
      kind: 'paper',
      statement:
        'At equal model size, the trace-weighted (HAWQ-V2) bit allocation is more accurate than a random allocation',
      source: {
        quote:
          'a Pareto frontier based method for selecting the exact bit precision of different layers without any manual selection',
        where: 'abstract; §3.2, Figure 4 (Pareto frontier)',
        restated:
          'post-training accuracy of the min-Ω configuration within each budget vs the mean over all configurations within it, averaged over budgets',
      },
      requires: [threeSeeds, fpTrained],
      gap: 'gain_random',
      sem: 'gain_random_sem',
      a: 'trace-chosen',
      b: 'random',
      what: 'test accuracy',
      format: points,
      detail: (s) => `mean over budgets, N = ${s.seeds} seeds`,
    }),
    claim.custom({
      id: 'trace-beats-eigenvalue',
      kind: 'paper',
      statement:
        'The average Hessian eigenvalue (trace) is a better sensitivity than the top eigenvalue (HAWQ-V1): its allocations are more accurate',
      source: {
        quote: 'a better sensitivity metric is to compute the average of all of the Hessian eigenvalues',
        where: 'abstract; §3.1',
        restated:
          'accuracy gap trace-chosen − eigenvalue-chosen at equal budgets, over the budgets where the two choose differently',
      },
      requires: [
        threeSeeds,
        fpTrained,
        claim.active(
          'differ_frac',
          0.1,
          'a difference between the two criteria (fraction of budgets where they choose differently)',
        ),
      ],
      rule: {
        text: 'trace − eigenvalue accuracy gap > 0 by 2 s.e. (paired over seeds); inconclusive when it straddles 0',
        params: { margin: 0, k: 2 },
      },
      check: (s) => {
        const [lo, hi] = [s.gain_eig - 2 * s.gain_eig_sem, s.gain_eig + 2 * s.gain_eig_sem];
        return {
          verdict:
            lo > 0 ? 'reproduced' : hi < 0 || (hi === 0 && lo === 0) ? 'not-reproduced' : 'inconclusive',
          measured: `trace − eigenvalue: ${points(s.gain_eig, s.gain_eig_sem)} (choices differ at ${pct(s.differ_frac, 0)} of budgets)`,
        };
      },
    }),
    claim.beats({
      id: 'mixed-beats-uniform',
      kind: 'paper',
      statement:
        'Within the size of uniform 4-bit weights, the trace-chosen mixed precision is at least as accurate as uniform 4-bit',
      source: {
        quote: 'mixed-precision quantization, where more sensitive layers are kept at higher precision',
        where: 'abstract; Tables 1–3 (HAWQ-V2 vs uniform quantisation at similar size)',
        restated: 'one budget (uniform 4-bit size); gap > −0.5 points by 2 s.e. (no worse than uniform)',
      },
      requires: [threeSeeds, fpTrained],
      gap: 'gain_uniform4',
      sem: 'gain_uniform4_sem',
      margin: -0.005,
      a: 'trace-chosen',
      b: 'uniform 4-bit',
      what: 'test accuracy',
      format: points,
    }),
    claim.inRange({
      id: 'omega-ranks-damage',
      kind: 'control',
      statement:
        'Control: the trace-weighted Ω ranks the 81 configurations by their accuracy (Spearman of Ω vs −accuracy ≥ 0.5)',
      value: 'spearman_trace',
      range: [0.5, 1],
      label: 'Spearman(Ω_trace, accuracy drop)',
      detail: (s) => `eigenvalue Ω: ${fmt(s.spearman_eig)}`,
    }),
    claim.inRange({
      id: 'float-model-trains',
      kind: 'control',
      statement: 'Control: the float32 CNN reaches 80% test accuracy on pooled Fashion-MNIST in every seed',
      value: 'fp_acc_min',
      range: [0.8, 1],
      label: 'lowest float32 test accuracy',
    }),
    claim.inRange({
      id: 'traces-converged',
      kind: 'control',
      statement: 'Control: the Hutchinson traces are resolved (largest relative standard error ≤ 0.25)',
      value: 'trace_rel_sem_max',
      range: [0, 0.25],
      label: 'max s.e./trace over layers and seeds',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const done = await runImageSeeds(
      ctx,
      cfg,
      (data, seed) => measure(ctx, cfg, seed, data),
      (r) => `float ${pct(r.fpAcc)}`,
    );
    const configs = allConfigs(done[0]!.result.traces.length, cfg.bits);
    const u4 = configs.findIndex((c) => c.every((b) => b === 4));
    const per = done.map(({ result: r }) => {
      const rows = cfg.budgets.map((budget) => {
        const t = pickWithin(r.sizes, r.omegaTrace, budget);
        const e = pickWithin(r.sizes, r.omegaEig, budget);
        const within = r.acc.filter((_, i) => r.sizes[i]! <= budget + 1e-9);
        return {
          budget,
          trace: r.acc[t]!,
          eig: r.acc[e]!,
          random: mean(within),
          oracle: Math.max(...within),
          differ: t !== e,
        };
      });
      const t4 = pickWithin(r.sizes, r.omegaTrace, 4);
      const differing = rows.filter((x) => x.differ);
      return {
        rows,
        gainRandom: mean(rows.map((x) => x.trace - x.random)),
        gainEig: differing.length ? mean(differing.map((x) => x.trace - x.eig)) : 0,
        differ: differing.length / rows.length,
        gainU4: u4 < 0 ? Number.NaN : r.acc[t4]! - r.acc[u4]!,
        oracleGap: mean(rows.map((x) => x.oracle - x.trace)),
        rhoTrace: spearman(
          r.omegaTrace,
          r.acc.map((a) => -a),
        ),
        rhoEig: spearman(
          r.omegaEig,
          r.acc.map((a) => -a),
        ),
      };
    });
    const zero = per.map(() => 0);
    const gap = (key: 'gainRandom' | 'gainEig' | 'gainU4') =>
      pairedGap(
        per.map((p) => p[key]),
        zero,
      );
    const scalars: Scalars<Scalar> = {
      fp_acc: mean(done.map((d) => d.result.fpAcc)),
      fp_acc_min: Math.min(...done.map((d) => d.result.fpAcc)),
      ...withSem('gain_random', gap('gainRandom')),
      ...withSem('gain_eig', gap('gainEig')),
      differ_frac: mean(per.map((p) => p.differ)),
      ...withSem('gain_uniform4', gap('gainU4')),
      spearman_trace: mean(per.map((p) => p.rhoTrace)),
      spearman_eig: mean(per.map((p) => p.rhoEig)),
      trace_rel_sem_max: Math.max(
        ...done.flatMap((d) => d.result.traces.map((t, l) => d.result.traceSem[l]! / Math.abs(t))),
      ),
      configs: done[0]!.result.acc.length,
      seeds: cfg.seeds,
      oracle_gap: mean(per.map((p) => p.oracleGap)),
    };
    const budgetRows = cfg.budgets.map((budget, b) => ({
      budget,
      trace: mean(per.map((p) => p.rows[b]!.trace)),
      eigenvalue: mean(per.map((p) => p.rows[b]!.eig)),
      random: mean(per.map((p) => p.rows[b]!.random)),
      oracle: mean(per.map((p) => p.rows[b]!.oracle)),
    }));
    const first = done[0]!.result;
    const frontier = first.acc.map((a, i) => ({
      avg_bits: first.sizes[i]!,
      accuracy: a,
      omega: first.omegaTrace[i]!,
    }));
    const layerRows = first.traces.map((t, l) => [
      l,
      fmt(t, 3),
      fmt(first.traceSem[l]!, 3),
      fmt(first.eig[l]!, 3),
    ]);
    return {
      scalars,
      series: { budgets: budgetRows, configurations: frontier },
      plots: [
        scatterPlot({
          id: 'configurations',
          title: 'All bit configurations (seed 0): post-training accuracy vs average bits',
          series: 'configurations',
          x: 'avg_bits',
          y: 'accuracy',
          xTitle: 'average bits per weight',
          yTitle: 'test accuracy',
        }),
      ],
      tables: [
        table(
          'budgets',
          'Test accuracy of the configuration each method picks within a budget (mean over seeds)',
          ['budget (avg bits)', 'trace (HAWQ-V2)', 'top eigenvalue', 'random', 'best possible'],
          budgetRows.map((r) => [
            r.budget as number,
            pct(r.trace as number),
            pct(r.eigenvalue as number),
            pct(r.random as number),
            pct(r.oracle as number),
          ]),
        ),
        table(
          'layers',
          'Layer Hessians (seed 0): Hutchinson trace ± s.e., top eigenvalue',
          ['weighted layer', 'Tr(H)', '±', 'λ_max'],
          layerRows,
        ),
        table(
          'summary',
          'Paired gains over seeds',
          ['comparison', 'gain'],
          [
            ['trace − random', points(scalars.gain_random!, scalars.gain_random_sem)],
            ['trace − eigenvalue', points(scalars.gain_eig!, scalars.gain_eig_sem)],
            ['trace − uniform 4-bit', points(scalars.gain_uniform4!, scalars.gain_uniform4_sem)],
            ['float32 accuracy', pct(scalars.fp_acc)],
          ],
        ),
      ],
    };
  },
});
