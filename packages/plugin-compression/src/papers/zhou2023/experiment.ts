import { defineExperiment, type RunContext, type Scalars, scalarKeys, z } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
import * as kit from '@paperlab/core/kit';
import { type WithSem, withSem } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import {
  CONFIG_LIMITS,
  countField,
  epochsField,
  lrField,
  seedsField,
  widthsField,
} from '../../config/fields.js';
import { imageDataConfig, loadImageData, SMOKE_IMAGES } from '../../data/images.js';
import { CompressNet } from '../../nets/compressNet.js';
import { mlp, trainInRun } from '../../nets/zoo.js';
import { bakeMasks, magnitudeMasks, maskHook } from '../../prune/structured.js';
import { accuracy } from '../../train/evaluate.js';

const config = z.strictObject({
  ...imageDataConfig,
  hidden: widthsField([256, 256]),
  epochs: epochsField(10).describe('dense training epochs (every temperature)'),
  lr: lrField(1e-3).describe('Adam step of dense training and retraining'),
  batchSizes: z
    .array(z.number().int().min(4).max(CONFIG_LIMITS.batchSize))
    .min(2)
    .max(CONFIG_LIMITS.sweep)
    .default([512, 32])
    .describe('temperature-like parameter: dense-training batch sizes, coldest (largest) first'),
  densities: z
    .array(z.number().gt(0).lt(1))
    .min(2)
    .max(CONFIG_LIMITS.sweep)
    .default([0.01, 0.03, 0.1, 0.3])
    .describe('load-like parameter: fraction of weights kept by global magnitude pruning, sparsest first'),
  retrainEpochs: epochsField(3).describe('fine-tuning epochs of the pruned net (fixed settings)'),
  retrainBatch: countField(128, 4, CONFIG_LIMITS.batchSize),
  seeds: seedsField(3),
});

/** Config of compression/zhou2023. */
export type Zhou2023Config = z.infer<typeof config>;

type Scalar =
  | 'flip_pos'
  | 'flip_neg'
  | 'flip_sign_change'
  | WithSem<'delta_sparsest' | 'delta_densest'>
  | 'dense_acc_min'
  | 'sparsest_drop'
  | 'n_densities'
  | 'seeds';

const claim = kit.claimsFor<Zhou2023Config, Scalar>();

/**
 * Sign pattern of the temperature effect Δ_d ± sem_d across loads: how many loads have Δ significantly above 0 and
 * below 0 (2 s.e.), and whether the means change sign at all.
 */
export function flipPattern(deltas: readonly { mean: number; sem: number }[]): {
  pos: number;
  neg: number;
  signChange: boolean;
} {
  const pos = deltas.filter((d) => d.mean - 2 * d.sem > 0).length;
  const neg = deltas.filter((d) => d.mean + 2 * d.sem < 0).length;
  const signChange = deltas.some((d) => d.mean > 0) && deltas.some((d) => d.mean < 0);
  return { pos, neg, signChange };
}

type Cell = { dense: number; pruned: number[] };

/** Dense training at one temperature, then global magnitude pruning to each density and fixed fine-tuning. */
async function runTemperature(
  ctx: RunContext,
  cfg: Zhou2023Config,
  data: ImageSplits,
  batch: number,
  seed: number,
): Promise<Cell> {
  const specs = mlp(cfg.hidden, data.train.classes);
  const net = CompressNet.build(specs, data.train.shape, ctx.rng.split(`init-s${seed}`), 'mlp');
  try {
    await trainInRun(ctx, net, data.train, { ...cfg, batchSize: batch }, `order-b${batch}-s${seed}`);
    const dense = accuracy(net, data.test);
    const pruned: number[] = [];
    for (const density of cfg.densities) {
      const copy = net.clone('pruned');
      const masks = magnitudeMasks(copy, 1 - density, 'global');
      const hook = maskHook(copy, masks);
      copy.hooks = { weight: hook };
      try {
        // Retraining is identical for every temperature: same batch size, epochs and batch order.
        const retraining = { epochs: cfg.retrainEpochs, batchSize: cfg.retrainBatch, lr: cfg.lr };
        await trainInRun(ctx, copy, data.train, retraining, `retrain-s${seed}`);
        copy.hooks = {};
        bakeMasks(copy, masks);
        pruned.push(accuracy(copy, data.test));
      } finally {
        hook.dispose();
        copy.dispose();
      }
    }
    return { dense, pruned };
  } finally {
    net.dispose();
  }
}

/** compression/zhou2023: A Three-regime Model of Network Pruning (Zhou, Yang, Chang, Mahoney, ICML 2023). */
export const zhou2023 = defineExperiment({
  id: 'compression/zhou2023',
  paper: {
    title: 'A Three-regime Model of Network Pruning',
    authors: 'Yefan Zhou, Yaoqing Yang, Arin Chang, Michael W. Mahoney',
    year: 2023,
    url: 'https://arxiv.org/abs/2305.18383',
    venue: 'ICML 2023',
  },
  summary:
    'A temperature × load grid on an MLP over 2×2-pooled Fashion-MNIST: the dense model is trained at a cold and a ' +
    'hot temperature (large vs small batch, same epochs and step size), then pruned by global weight magnitude to ' +
    'densities from 1% to 30% (the load) and fine-tuned identically. The temperature effect Δ = acc(hot) − acc(cold) ' +
    'of the pruned model is measured at every density over paired seeds, to see whether its sign depends on the load.',
  config,
  presets: {
    smoke: {
      ...SMOKE_IMAGES,
      hidden: [32],
      epochs: 2,
      batchSizes: [100, 20],
      densities: [0.05, 0.5],
      retrainEpochs: 1,
      retrainBatch: 50,
      seeds: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'temperature-effect-flips',
      kind: 'paper',
      statement:
        'Raising the temperature of the dense model helps its pruned version at some loads and hurts it at others',
      source: {
        quote:
          'depending on the value of a load-like parameter in the pruned model, increasing the value of a temperature-like parameter in the pre-pruned model may either enhance or impair subsequent pruning performance',
        where: 'abstract; §4, Figure 1',
        restated:
          'temperature = dense-training batch size (small = hot); load = density after global magnitude pruning',
      },
      requires: [
        claim.atLeast('seeds', 3, 'seeds'),
        claim.atLeast('n_densities', 3, 'densities'),
        claim.trained('dense_acc_min', 0.8, 'a dense model'),
      ],
      rule: {
        text: 'some density has Δ > 0 and another Δ < 0, each by 2 s.e. (paired over seeds); not reproduced when the mean Δ never changes sign and some Δ is significant',
        params: { k: 2 },
      },
      check: (s) => {
        const measured = `${s.flip_pos} densities with Δ > 0, ${s.flip_neg} with Δ < 0 (2 s.e.); Δ sparsest ${kit.points(s.delta_sparsest, s.delta_sparsest_sem)}, densest ${kit.points(s.delta_densest, s.delta_densest_sem)}`;
        if (s.flip_pos > 0 && s.flip_neg > 0) return { verdict: 'reproduced', measured };
        if (!s.flip_sign_change && s.flip_pos + s.flip_neg > 0)
          return { verdict: 'not-reproduced', measured };
        return { verdict: 'inconclusive', measured };
      },
    }),
    claim.inRange({
      id: 'dense-models-train',
      kind: 'control',
      statement: 'Control: every dense model (both temperatures) reaches 80% test accuracy',
      value: 'dense_acc_min',
      range: [0.8, 1],
      label: 'lowest dense test accuracy',
    }),
    claim.inRange({
      id: 'load-bites',
      kind: 'control',
      statement:
        'Control: the sparsest density really is a load — it costs at least 2 points against the dense model',
      value: 'sparsest_drop',
      range: [0.02, 1],
      label: 'dense − sparsest pruned accuracy',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const data = await loadImageData(ctx.data, { ...cfg, flatten: true });
    const temps = [...cfg.batchSizes];
    const done = await kit.runCells(ctx, {
      label: 'seed × temperature',
      cells: kit.grid({ seed: kit.seeds(cfg.seeds), batch: temps }),
      key: ({ seed, batch }) => `cell-b${batch}-s${seed}`,
      run: ({ seed, batch }) => runTemperature(ctx, cfg, data, batch, seed),
      describe: ({ seed, batch }, r) => `batch ${batch} seed ${seed}: dense ${kit.pct(r.dense)}`,
    });
    const cold = temps[0]!;
    const hot = temps[temps.length - 1]!;
    const at = (batch: number, i: number) => kit.pick(done, { batch }).map((r) => r.pruned[i]!);
    const deltas = cfg.densities.map((_, i) => kit.pairedGap(at(hot, i), at(cold, i)));
    const f = flipPattern(deltas);
    const last = cfg.densities.length - 1;
    const scalars: Scalars<Scalar> = {
      flip_pos: f.pos,
      flip_neg: f.neg,
      flip_sign_change: f.signChange ? 1 : 0,
      ...withSem('delta_sparsest', deltas[0]!),
      ...withSem('delta_densest', deltas[last]!),
      dense_acc_min: Math.min(...done.map((d) => d.result.dense)),
      sparsest_drop: kit.mean(done.map((d) => d.result.dense - d.result.pruned[0]!)),
      n_densities: cfg.densities.length,
      seeds: cfg.seeds,
    };
    const rows = temps.flatMap((batch) =>
      cfg.densities.map((density, i) => ({
        temperature: `batch ${batch}`,
        density,
        acc: kit.mean(at(batch, i)),
      })),
    );
    const deltaRows = cfg.densities.map((density, i) => ({
      density,
      delta: deltas[i]!.mean,
      sem: deltas[i]!.sem,
    }));
    return {
      scalars,
      series: { accuracy: rows, delta: deltaRows },
      plots: [
        linePlot({
          id: 'pruned-accuracy',
          title: 'Pruned + fine-tuned test accuracy vs density, per dense-training temperature',
          series: 'accuracy',
          x: 'density',
          y: 'acc',
          color: 'temperature',
          logX: true,
          xTitle: 'density (fraction of weights kept)',
          yTitle: 'test accuracy',
        }),
        linePlot({
          id: 'temperature-effect',
          title: 'Temperature effect Δ = acc(hot) − acc(cold) vs density (± s.e.)',
          series: 'delta',
          x: 'density',
          y: 'delta',
          errorBar: 'sem',
          logX: true,
          xTitle: 'density',
          yTitle: 'Δ test accuracy',
        }),
      ],
      tables: [
        kit.table(
          'grid',
          `Test accuracy after pruning + fine-tuning (mean over ${cfg.seeds} seeds) and the temperature effect`,
          ['density', ...temps.map((b) => `batch ${b}`), 'Δ hot − cold'],
          cfg.densities.map((d, i) => [
            d,
            ...temps.map((b) => kit.pct(kit.mean(at(b, i)))),
            kit.points(deltas[i]!.mean, deltas[i]!.sem),
          ]),
        ),
        kit.table(
          'dense',
          'Dense test accuracy per temperature',
          ['batch', 'accuracy'],
          temps.map((b) => [b, kit.fmt(kit.mean(kit.pick(done, { batch: b }).map((r) => r.dense)))]),
        ),
      ],
    };
  },
});
