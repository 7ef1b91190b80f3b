import { defineExperiment, type Scalars, scalarKeys, z } from '@paperlab/core';
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
import { epochsField, seedsField, trainingConfig, widthSchema } from '../../config/fields.js';
import { imageDataConfig, SMOKE_IMAGES } from '../../data/images.js';
import { runImageSeeds } from '../../train/cells.js';
import { runSeed } from './cells.js';

const config = z.strictObject({
  ...imageDataConfig,
  trainSize: imageDataConfig.trainSize.default(4000),
  filters: z.tuple([widthSchema(), widthSchema(), widthSchema()]).default([16, 32, 32]),
  ...trainingConfig({ epochs: 12, batchSize: 100, lr: 2e-3 }),
  fineTuneEpochs: epochsField(3).describe('fine-tuning epochs after gating / pruning (same for both)'),
  headEpochs: epochsField(3).describe('epochs of mask-predictor training (backbone frozen)'),
  tau: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.8)
    .describe('FTWT’s heatmap-mass threshold: keep the filters carrying this share'),
  seeds: seedsField(3),
});

/** Config of compression/elkerdawy2021. */
export type Elkerdawy2021Config = z.infer<typeof config>;

type Scalar =
  | `acc_${'full' | 'dynamic' | 'static' | 'narrow'}`
  | `flops_${'full' | 'dynamic' | 'static' | 'narrow'}`
  | WithSem<'gain_static' | 'gain_narrow' | 'drop_full'>
  | 'flops_reduction'
  | 'flops_match'
  | 'head_balanced_acc'
  | 'active_frac'
  | 'seeds';

const claim = claimsFor<Elkerdawy2021Config, Scalar>();
const threeSeeds = claim.atLeast('seeds', 3, 'seeds');
const fullTrained = claim.trained('acc_full', 0.8, 'the full CNN');

/** compression/elkerdawy2021: Fire Together Wire Together — dynamic pruning with self-supervised mask prediction. */
export const elkerdawy2021 = defineExperiment({
  id: 'compression/elkerdawy2021',
  paper: {
    title: 'Fire Together Wire Together: A Dynamic Pruning Approach with Self-Supervised Mask Prediction',
    authors: 'Sara Elkerdawy, Mostafa Elhoushi, Hong Zhang, Nilanjan Ray',
    year: 2021,
    url: 'https://arxiv.org/abs/2110.08232',
    venue: 'CVPR 2022',
  },
  summary:
    'A three-conv CNN on 2×2-pooled Fashion-MNIST gets a mask predictor before its 2nd and 3rd convs (global max ' +
    'pooling of the previous layer + a 1×1 conv), trained as binary classification of which filters carry 80% of the ' +
    'layer’s activation mass on each input; the backbone is then fine-tuned with the predicted per-input masks. At ' +
    'the same mean widths (≈ equal FLOPs) it is compared with static L1-norm filter pruning given the same ' +
    'fine-tuning, and with a narrow CNN of those widths trained from scratch.',
  config,
  presets: {
    smoke: {
      ...SMOKE_IMAGES,
      filters: [4, 6, 6],
      epochs: 2,
      fineTuneEpochs: 1,
      headEpochs: 1,
      batchSize: 50,
      seeds: 1,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'dynamic-beats-static',
      kind: 'paper',
      statement:
        'At equal FLOPs, per-input (dynamic) filter selection is more accurate than static filter pruning',
      source: {
        quote:
          'we propose to predict a mask to process k filters in a layer based on the activation of its previous layer … On CIFAR, we reach similar accuracy to SOTA methods with 15% and 24% higher FLOPs reduction',
        where: 'abstract; §5, Tables 1–3',
        value: '15% and 24% higher FLOPs reduction at similar accuracy (CIFAR)',
        restated:
          'the same comparison at matched FLOPs: test-accuracy gap dynamic − static (L1 pruned to the dynamic net’s mean widths, same fine-tuning)',
      },
      requires: [
        threeSeeds,
        fullTrained,
        claim.active(
          (s) => 1 - Math.abs(s.flops_match - 1),
          0.85,
          'a FLOPs match (static within 15% of dynamic)',
        ),
      ],
      gap: 'gain_static',
      sem: 'gain_static_sem',
      a: 'dynamic',
      b: 'static',
      what: 'test accuracy',
      format: points,
      detail: (s) =>
        `${pct(s.acc_dynamic)} vs ${pct(s.acc_static)}; FLOPs ${fmt(s.flops_dynamic / 1e3, 0)}k vs ${fmt(s.flops_static / 1e3, 0)}k`,
    }),
    claim.beats({
      id: 'dynamic-keeps-accuracy',
      kind: 'paper',
      statement:
        'Dynamic pruning removes a large share of the FLOPs with a small accuracy drop (within 1 point)',
      source: {
        quote: 'we achieve lower drop in accuracy with up to 13% improvement in FLOPs reduction',
        where: 'abstract (ImageNet); Table 1 (CIFAR)',
        restated: 'dynamic − full test accuracy > −1 point by 2 s.e., with FLOPs reduction ≥ 25% required',
      },
      requires: [threeSeeds, fullTrained, claim.active('flops_reduction', 0.25, 'pruning (FLOPs reduction)')],
      gap: 'drop_full',
      sem: 'drop_full_sem',
      margin: -0.01,
      a: 'dynamic',
      b: 'full',
      what: 'test accuracy',
      format: points,
      detail: (s) => `FLOPs −${pct(s.flops_reduction, 0)}`,
    }),
    claim.inRange({
      id: 'heads-predict-masks',
      kind: 'control',
      statement:
        'Control: the mask predictors learned their task (balanced accuracy of keep/drop vs the τ-mass targets ≥ 0.7)',
      value: 'head_balanced_acc',
      range: [0.7, 1],
      label: 'head balanced accuracy',
    }),
    claim.inRange({
      id: 'full-trains',
      kind: 'control',
      statement: 'Control: the full CNN reaches 80% test accuracy',
      value: 'acc_full',
      range: [0.8, 1],
      label: 'full CNN test accuracy',
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const done = await runImageSeeds(
      ctx,
      cfg,
      (data, seed) => runSeed(ctx, cfg, data, seed),
      (r) => `dynamic ${pct(r.acc_dynamic)}, static ${pct(r.acc_static)}`,
    );
    const res = done.map((d) => d.result);
    const keys = ['full', 'dynamic', 'static', 'narrow'] as const;
    const scalars: Scalars<Scalar> = { seeds: cfg.seeds };
    for (const k of keys) {
      scalars[`acc_${k}`] = mean(res.map((r) => r[`acc_${k}`]));
      scalars[`flops_${k}`] = mean(res.map((r) => r[`flops_${k}`]));
    }
    const gap = (a: 'dynamic', b: 'static' | 'narrow' | 'full') =>
      pairedGap(
        res.map((r) => r[`acc_${a}`]),
        res.map((r) => r[`acc_${b}`]),
      );
    const gs = gap('dynamic', 'static');
    const gn = gap('dynamic', 'narrow');
    const gf = gap('dynamic', 'full');
    Object.assign(scalars, {
      ...withSem('gain_static', gs),
      ...withSem('gain_narrow', gn),
      ...withSem('drop_full', gf),
      flops_reduction: 1 - scalars.flops_dynamic! / scalars.flops_full!,
      flops_match: scalars.flops_static! / scalars.flops_dynamic!,
      head_balanced_acc: mean(res.map((r) => r.headBalanced)),
      active_frac: mean(res.flatMap((r) => r.active)),
    });
    const rows = done.flatMap(({ cell, result }) =>
      keys.map((k) => ({ seed: cell.seed, model: k, acc: result[`acc_${k}`], flops: result[`flops_${k}`] })),
    );
    return {
      scalars,
      series: { cells: rows },
      tables: [
        table(
          'models',
          `Test accuracy and FLOPs per image (mean over ${cfg.seeds} seeds); gated layers keep ${pct(scalars.active_frac, 0)} of their filters on average`,
          ['model', 'test accuracy', 'FLOPs', 'FLOPs ÷ full'],
          keys.map((k) => [
            k,
            pct(scalars[`acc_${k}`]),
            Math.round(scalars[`flops_${k}`]!),
            fmt(scalars[`flops_${k}`]! / scalars.flops_full!, 2),
          ]),
        ),
        table(
          'gaps',
          'Paired accuracy gaps',
          ['comparison', 'gap'],
          [
            ['dynamic − static (L1, same widths)', points(gs.mean, gs.sem)],
            ['dynamic − narrow from scratch', points(gn.mean, gn.sem)],
            ['dynamic − full', points(gf.mean, gf.sem)],
          ],
        ),
      ],
    };
  },
});
