import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { claimsFor, fmt, grid, pct, runCells, type ScalarView, seeds } from '@paperlab/core/kit';
import { beatsEvery } from '../../claims/beatsEvery.js';
import { countField, minibatchTrainingFields, seedsField } from '../../config.js';
import { darcyDataset } from '../../operators/darcyData.js';
import { BASELINES, type Baseline, LABEL, MODELS, type ModelName, trainModel } from './models.js';
import { meanFieldErrors, prepare } from './prepared.js';
import { errorsTable, type Figure, summarise } from './summary.js';

const config = z
  .strictObject({
    grid: z
      .union([z.literal(16), z.literal(32), z.literal(64)])
      .default(32)
      .describe('grid side s (nodes; a power of two for the GRF)'),
    trainSize: countField(8, 2000, 192).describe('training problems (a, u)'),
    testSize: countField(4, 1000, 48).describe('test problems'),
    ...minibatchTrainingFields({ epochs: 30, batchSize: 16, lr: 3e-3 }),
    mgno: z
      .strictObject({
        channels: countField(1, 64, 8).describe('channels (neurons) of the hidden operator layers'),
        layers: countField(1, 8, 4).describe('operator layers (the last one linear)'),
        levels: countField(1, 6, 4).describe('grid levels of each V-cycle'),
        smoothing: countField(1, 4, 1).describe('smoothing iterations per level'),
      })
      .prefault({}),
    fno: z
      .strictObject({
        modes: countField(1, 32, 6).describe('kept Fourier modes per direction'),
        layers: countField(1, 8, 4),
        pad: countField(0, 32, 4).describe('zero padding before the Fourier layers'),
      })
      .prefault({}),
    unet: z.strictObject({ depth: countField(1, 4, 2).describe('pooling steps') }).prefault({}),
    seeds: seedsField(3),
  })
  .superRefine((c, ctx) => {
    const step = 2 ** (c.mgno.levels - 1);
    if (c.grid % step !== 0 || c.grid / step < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['mgno', 'levels'],
        message: `expected at most ${Math.log2(c.grid)} levels for grid ${c.grid} (coarsest grid ≥ 2)`,
      });
    if (2 * c.fno.modes > c.grid + c.fno.pad)
      ctx.addIssue({
        code: 'custom',
        path: ['fno', 'modes'],
        message: `expected at most ${Math.floor((c.grid + c.fno.pad) / 2)} modes for grid ${c.grid} + pad ${c.fno.pad}`,
      });
    if (c.grid % 2 ** c.unet.depth !== 0 || c.grid / 2 ** c.unet.depth < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['unet', 'depth'],
        message: `expected at most ${Math.log2(c.grid) - 1} pooling steps for grid ${c.grid}`,
      });
  });

/** Config of physics/he2023. */
export type He2023Config = z.infer<typeof config>;

/** Scalar keys of physics/he2023. */
export type He2023Scalar =
  | `${Figure}_${ModelName}`
  | `${Figure}_${ModelName}_sem`
  | `params_${ModelName}`
  | `train_ratio_${ModelName}`
  | `${'l2' | 'h1' | 'gap' | 'train'}_adv_${Baseline}`
  | `${'l2' | 'h1' | 'gap' | 'train'}_adv_${Baseline}_sem`
  | 'meanfield_l2'
  | 'meanfield_margin'
  | 'meanfield_margin_sem'
  | 'param_spread'
  | 'solver_residual'
  | 'seeds'
  | 'train_size';

const claim = claimsFor<He2023Config, He2023Scalar>();
type View = ScalarView<He2023Scalar>;

/** The mean-field predictor's error is the yardstick of "trained": every model must at least halve it on its training set. */
const TRAINED_RATIO = 0.5;
/** Preconditions of a comparison: run size, and each of `models` trained. */
function comparable(models: readonly ModelName[]) {
  return [
    claim.atLeast('seeds', 3, 'seeds'),
    claim.atLeast('train_size', 100, 'training problems'),
    (s: View) => {
      const bad = models.filter((m) => !(s[`train_ratio_${m}`] <= TRAINED_RATIO));
      return bad.length
        ? `${bad.map((m) => LABEL[m]).join(', ')} did not train: train error / mean-field error ${bad
            .map((m) => fmt(s[`train_ratio_${m}`], 2))
            .join(', ')} > ${TRAINED_RATIO}`
        : undefined;
    },
  ];
}

/**
 * "MgNO is best on a figure against every baseline": reproduced when each paired advantage (baseline − MgNO,
 * over seeds) exceeds 0 by 2 s.e.; not reproduced when some baseline is better by 2 s.e.; inconclusive otherwise.
 */
function lowestAgainst(
  key: 'l2' | 'h1' | 'gap' | 'train',
  what: string,
  format: (v: number) => string,
  against: readonly Baseline[] = BASELINES,
) {
  const text = `for each of ${against.map((b) => LABEL[b]).join(', ')}: paired (baseline − MgNO) ${what} > 0 by 2 s.e. over seeds`;
  return {
    rule: { text, type: 'beats-all', params: { margin: 0, k: 2 } },
    check(s: View) {
      const gaps = against.map((b) => ({
        name: `${LABEL[b]} − MgNO`,
        gap: s[`${key}_adv_${b}`],
        sem: s[`${key}_adv_${b}_sem`],
      }));
      return beatsEvery(gaps, format, '; ');
    },
  };
}

const pts = (v: number) => `${(100 * v).toFixed(2)} pts`;
function lessOverfitting(requires: ReturnType<typeof comparable>) {
  return claim.custom({
    id: 'mgno-less-overfitting-than-fno',
    kind: 'paper',
    statement:
      'MgNO overfits less than the spectral-type operator: its train/test gap in relative L2 is smaller than FNO’s',
    source: {
      quote:
        'displaying a reduced susceptibility to overfitting when contrasted with spectral-type neural operators',
      where: 'abstract; §5 (training and test curves)',
      restated: 'gap = test − train relative L2 error; paired over seeds, FNO’s gap minus MgNO’s',
    },
    requires,
    ...lowestAgainst('gap', 'train/test gap', pts, ['fno']),
  });
}

function trainsEasier(requires: ReturnType<typeof comparable>) {
  return claim.custom({
    id: 'mgno-trains-easier-than-unet',
    kind: 'paper',
    statement:
      'MgNO is easier to train than the CNN-based model: with the same data, batches and epochs its training error is lower than U-Net’s',
    source: {
      quote: 'MgNO exhibits superior ease of training compared to other CNN-based models',
      where: 'abstract; §5',
      restated: 'paired over seeds: U-Net’s final relative L2 training error minus MgNO’s',
    },
    requires,
    ...lowestAgainst('train', 'relative L2 training error', pts, ['unet']),
  });
}

/** physics/he2023: MgNO — multigrid-parameterised neural operators on Darcy flow (He, Liu & Xu 2023). */
export const he2023 = defineExperiment({
  id: 'physics/he2023',
  paper: {
    title: 'MgNO: Efficient Parameterization of Linear Operators via Multigrid',
    authors: 'Juncai He, Xinliang Liu, Jinchao Xu',
    year: 2023,
    url: 'https://arxiv.org/abs/2310.19809',
  },
  summary:
    'Learning the Darcy solution operator a ↦ u of −∇·(a∇u) = 1 (u = 0 on the boundary) with a drawn as a ' +
    'thresholded Gaussian random field (values 12 / 3) and u from the 5-point finite-volume solver with conjugate ' +
    'gradient, on a small grid. MgNO — neurons are functions, connections are linear operators each parameterised by a ' +
    'multi-channel V-cycle (smoothing, stride-2 restriction, transposed-conv prolongation), no lifting or projection — ' +
    'is compared with an FNO (truncated Fourier layers) and a U-Net at matched parameter counts, trained on the same ' +
    'data, batches and relative-L2 loss; relative L2 and H1 test errors and the train/test gap over seeds.',
  config,
  presets: {
    smoke: {
      grid: 16,
      trainSize: 12,
      testSize: 6,
      epochs: 2,
      batchSize: 6,
      mgno: { channels: 4, layers: 2, levels: 3 },
      fno: { modes: 3, layers: 2, pad: 2 },
      unet: { depth: 1 },
      seeds: 1,
    },
    paper: {},
  },
  scalars: scalarKeys<He2023Scalar>(),
  claims: [
    claim.custom({
      id: 'mgno-lowest-l2',
      kind: 'paper',
      statement: 'MgNO has the lowest relative L2 test error on Darcy flow, against FNO and U-Net',
      source: {
        quote:
          'We demonstrate the efficiency and accuracy of our method with consistently state-of-the-art performance on different types of partial differential equations (PDEs)',
        where: 'abstract; §5 (Darcy benchmark, relative L2 and H1 errors)',
        restated:
          'at CPU scale (32² grid, 192 training problems, 30 epochs) and matched parameter counts: paired over seeds, each baseline’s mean relative L2 test error minus MgNO’s',
      },
      requires: comparable(MODELS),
      ...lowestAgainst('l2', 'relative L2 test error', pts),
    }),
    claim.custom({
      id: 'mgno-lowest-h1',
      kind: 'paper',
      statement: 'MgNO has the lowest relative H1 test error on Darcy flow, against FNO and U-Net',
      source: {
        quote:
          'consistently state-of-the-art performance on different types of partial differential equations',
        where: 'abstract; §5 (Darcy benchmark, relative L2 and H1 errors)',
        restated:
          'as mgno-lowest-l2, with the relative H1 error (forward-difference gradients on the node grid)',
      },
      requires: comparable(MODELS),
      ...lowestAgainst('h1', 'relative H1 test error', pts),
    }),
    claim.revise(lessOverfitting(comparable(MODELS)), {
      date: '2026-12-03',
      reason:
        'the original precondition asked all three models to train, so a U-Net that did not train blocked a claim about MgNO and FNO only; CLAIMS.md §4 asks it of the compared models',
      revised: lessOverfitting(comparable(['mgno', 'fno'])),
    }),
    claim.revise(trainsEasier(comparable(MODELS)), {
      date: '2026-12-03',
      reason:
        'the original precondition asked the U-Net to train, but a U-Net that fails to train in the shared budget is the effect this claim is about; the revised rule asks it of MgNO only',
      revised: trainsEasier(comparable(['mgno'])),
    }),
    claim.beats({
      id: 'all-beat-mean-field',
      kind: 'control',
      statement:
        'Control: every model beats the mean-field predictor (the training mean of u) on the test set',
      requires: [claim.atLeast('seeds', 2, 'seeds')],
      gap: 'meanfield_margin',
      sem: 'meanfield_margin_sem',
      a: 'mean field',
      b: 'worst model',
      what: 'relative L2 test error',
      format: (g, e) => `${pts(g)} ± ${pts(e)}`,
    }),
    claim.inRange({
      id: 'parameters-matched',
      kind: 'control',
      statement: 'Control: the three models have matched parameter counts (within 15% of each other)',
      value: 'param_spread',
      range: [0, 0.15],
      label: 'largest / smallest parameter count − 1',
      detail: (s) => `MgNO ${s.params_mgno}, FNO ${s.params_fno}, U-Net ${s.params_unet}`,
    }),
    claim.inRange({
      id: 'solver-converged',
      kind: 'control',
      statement:
        'Control: every reference solution solves the discrete Darcy system (CG relative residual ≤ 1e-6)',
      value: 'solver_residual',
      range: [0, 1e-6],
      label: 'largest CG relative residual',
    }),
  ],
  async run(ctx, cfg) {
    const s = cfg.grid;
    const dataRng = ctx.rng.split('data');
    ctx.log.info(`generating ${cfg.trainSize} + ${cfg.testSize} Darcy problems on a ${s}² grid`);
    const data = prepare(
      darcyDataset(dataRng.split('train'), cfg.trainSize, s),
      darcyDataset(dataRng.split('test'), cfg.testSize, s),
    );
    // Mean-field predictor: the training mean of u, scored on the test set (and on the training set, the
    // yardstick of "trained").
    const meanfield = meanFieldErrors(data);
    const done = await runCells(ctx, {
      label: 'seed × model',
      cells: grid({ seed: seeds(cfg.seeds), model: MODELS }),
      key: ({ seed, model }) => `seed-${seed}-${model}`,
      run: ({ seed, model }) => trainModel(ctx, cfg, data, model, seed),
      describe: ({ seed, model }, r) =>
        `seed ${seed} ${LABEL[model]}: test L2 ${pct(r.test_l2, 2)}, H1 ${pct(r.test_h1, 2)}, train ${pct(r.train_l2, 2)}`,
      log: ({ seed, model }, r, i) => ({
        scalars: { [`test_l2_${model}`]: r.test_l2, [`train_l2_${model}`]: r.train_l2 },
        step: seed * MODELS.length + (i % MODELS.length),
      }),
    });
    const { scalars, rows } = summarise(cfg, done, meanfield, data.residual);
    return { scalars, series: { errors: rows }, tables: [errorsTable(cfg, scalars)] };
  },
});
