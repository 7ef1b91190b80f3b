import {
  defineExperiment,
  type RunContext,
  type Scalars,
  type SeriesRow,
  scalarKeys,
  z,
} from '@paperlab/core';
import {
  claimsFor,
  fmt,
  grid,
  mean,
  meanSem,
  pairedGap,
  pct,
  pick,
  putMeanSem,
  runCells,
  type ScalarView,
  seeds,
  table,
} from '@paperlab/core/kit';
import { fit } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { beatsEvery } from '../../claims/beatsEvery.js';
import { countField, minibatchTrainingFields, seedsField } from '../../config.js';
import { type DarcyData, darcyDataset } from '../../operators/darcyData.js';
import { relativeErrors, relativeL2Loss } from '../../operators/errors.js';
import { Fno, type FnoSpec, fnoShapes } from '../../operators/fno.js';
import { Mgno, type MgnoSpec, mgnoShapes } from '../../operators/multigrid.js';
import { countParams, matchWidth } from '../../operators/params.js';
import { UNet, type UNetSpec, unetShapes } from '../../operators/unet.js';

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

const MODELS = ['mgno', 'fno', 'unet'] as const;
type ModelName = (typeof MODELS)[number];
const BASELINES = ['fno', 'unet'] as const;
type Baseline = (typeof BASELINES)[number];
/** The per-model figures, in table order: test L2, test H1, train L2 and the train/test gap. */
const FIGURES = ['test_l2', 'test_h1', 'train_l2', 'gap'] as const;
type Figure = (typeof FIGURES)[number];
type Scalar =
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

const LABEL: Record<ModelName, string> = { mgno: 'MgNO', fno: 'FNO', unet: 'U-Net' };

/** Widths of the two baselines matched to MgNO's parameter count. */
function architectures(cfg: He2023Config): { mgno: MgnoSpec; fno: FnoSpec; unet: UNetSpec } {
  const s = cfg.grid;
  const mgno: MgnoSpec = { grid: s, ...cfg.mgno };
  const target = countParams(mgnoShapes(mgno));
  const fnoOf = (width: number): FnoSpec => ({ grid: s, width, ...cfg.fno });
  const fw = matchWidth((w) => countParams(fnoShapes(fnoOf(w))), target, 1, 256);
  const uw = matchWidth((w) => countParams(unetShapes({ width: w, depth: cfg.unet.depth })), target, 1, 256);
  return { mgno, fno: fnoOf(fw.width), unet: { width: uw.width, depth: cfg.unet.depth } };
}

const claim = claimsFor<He2023Config, Scalar>();
type View = ScalarView<Scalar>;

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

interface ModelResult {
  [key: string]: number;
  test_l2: number;
  test_h1: number;
  train_l2: number;
  params: number;
  trainLoss: number;
}

/** Predicted fields [n, s, s] of a model on normalised inputs, in batches. */
function predict(model: Mgno | Fno | UNet, x: Float32Array, n: number, s: number): Float32Array {
  const out = new Float32Array(n * s * s);
  const bs = 32;
  for (let i = 0; i < n; i += bs) {
    const m = Math.min(bs, n - i);
    const y = tf.tidy(() =>
      model.forward(tf.tensor4d(x.subarray(i * s * s, (i + m) * s * s), [m, s, s, 1]), { training: false }),
    );
    out.set(y.dataSync(), i * s * s);
    y.dispose();
  }
  return out;
}

/** Normalised data: a ↦ (a − mid)/half, u ↦ u / rms(u_train) (relative errors do not change under a global scale). */
interface Prepared {
  s: number;
  train: { n: number; a: Float32Array; u: Float32Array };
  test: { n: number; a: Float32Array; u: Float32Array };
  residual: number;
}

function prepare(train: DarcyData, test: DarcyData): Prepared {
  let ss = 0;
  for (const v of train.u) ss += v * v;
  const rms = Math.sqrt(ss / train.u.length);
  const na = (a: Float32Array) => a.map((v) => (v - 7.5) / 4.5);
  const nu = (u: Float32Array) => u.map((v) => v / rms);
  return {
    s: train.s,
    train: { n: train.n, a: na(train.a), u: nu(train.u) },
    test: { n: test.n, a: na(test.a), u: nu(test.u) },
    residual: Math.max(train.maxResidual, test.maxResidual),
  };
}

async function trainModel(
  ctx: RunContext,
  cfg: He2023Config,
  data: Prepared,
  name: ModelName,
  seed: number,
): Promise<ModelResult> {
  const arch = architectures(cfg);
  const rng = ctx.rng.split(`seed${seed}`);
  const init = rng.split(`init-${name}`);
  const model =
    name === 'mgno'
      ? new Mgno(arch.mgno, init)
      : name === 'fno'
        ? new Fno(arch.fno, init)
        : new UNet(arch.unet, init);
  const s = data.s;
  try {
    const r = await fit({
      model,
      data: { x: data.train.a, y: data.train.u, n: data.train.n, shape: [s, s, 1], targetShape: [s, s, 1] },
      loss: relativeL2Loss,
      optimizer: { type: 'adam', lr: cfg.lr },
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      // The same batch order for the three models of a seed.
      order: rng.split('order'),
      recordEvery: Math.max(1, Math.floor(cfg.epochs / 5)),
      signal: ctx.signal,
      label: `he2023 ${name} seed ${seed}`,
    });
    const tr = relativeErrors(predict(model, data.train.a, data.train.n, s), data.train.u, data.train.n, s);
    const te = relativeErrors(predict(model, data.test.a, data.test.n, s), data.test.u, data.test.n, s);
    return {
      test_l2: mean(te.l2),
      test_h1: mean(te.h1),
      train_l2: mean(tr.l2),
      params: model.paramCount(),
      trainLoss: r.loss,
    };
  } finally {
    model.dispose();
  }
}

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
  scalars: scalarKeys<Scalar>(),
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
    // Mean-field predictor: the training mean of u, scored on the test set.
    const mu = new Float32Array(s * s);
    for (let i = 0; i < data.train.n; i++)
      for (let q = 0; q < s * s; q++) mu[q] = mu[q]! + data.train.u[i * s * s + q]! / data.train.n;
    const meanfieldError = ({ n, u }: Prepared['train']) => {
      const tiled = new Float32Array(n * s * s);
      for (let i = 0; i < n; i++) tiled.set(mu, i * s * s);
      return mean(relativeErrors(tiled, u, n, s).l2);
    };
    const meanfield = meanfieldError(data.test);
    const meanfieldTrain = meanfieldError(data.train);

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
    const per = (m: ModelName) => pick(done, { model: m });
    const col = (m: ModelName, k: keyof ModelResult) => per(m).map((r) => r[k] as number);
    const gapOf = (m: ModelName) => per(m).map((r) => r.test_l2 - r.train_l2);
    const scalars: Partial<Scalars<Scalar>> = {
      seeds: cfg.seeds,
      train_size: cfg.trainSize,
      meanfield_l2: meanfield,
      solver_residual: data.residual,
    };
    const rows: SeriesRow[] = [];
    for (const m of MODELS) {
      for (const [f, vals] of [
        ['test_l2', col(m, 'test_l2')],
        ['test_h1', col(m, 'test_h1')],
        ['train_l2', col(m, 'train_l2')],
        ['gap', gapOf(m)],
      ] as const) {
        const ms = meanSem(vals);
        putMeanSem(scalars, `${f}_${m}`, ms);
        rows.push({ model: LABEL[m], figure: f, mean: ms.mean, sem: ms.sem });
      }
      scalars[`params_${m}`] = col(m, 'params')[0]!;
      scalars[`train_ratio_${m}`] = scalars[`train_l2_${m}`]! / meanfieldTrain;
    }
    const mg = (k: keyof ModelResult) => col('mgno', k);
    for (const b of BASELINES) {
      for (const [key, field] of [
        ['l2', 'test_l2'],
        ['h1', 'test_h1'],
        ['train', 'train_l2'],
      ] as const) {
        putMeanSem(scalars, `${key}_adv_${b}`, pairedGap(col(b, field), mg(field)));
      }
      putMeanSem(scalars, `gap_adv_${b}`, pairedGap(gapOf(b), gapOf('mgno')));
    }
    const worst = seeds(cfg.seeds).map((i) => Math.max(...MODELS.map((m) => col(m, 'test_l2')[i]!)));
    putMeanSem(scalars, 'meanfield_margin', meanSem(worst.map((w) => meanfield - w)));
    const counts = MODELS.map((m) => scalars[`params_${m}`]!);
    scalars.param_spread = Math.max(...counts) / Math.min(...counts) - 1;
    const arch = architectures(cfg);
    return {
      scalars: scalars as Scalars<Scalar>,
      series: { errors: rows },
      tables: [
        table(
          'errors',
          `Relative errors on ${cfg.testSize} test problems (mean ± s.e. over ${cfg.seeds} seeds), ${s}² grid, ${cfg.trainSize} training problems; mean-field predictor ${pct(meanfield, 2)}`,
          ['model', 'parameters', 'test L2', '±', 'test H1', '±', 'train L2', '±', 'test − train L2', '±'],
          MODELS.map((m) => [
            `${LABEL[m]} (${m === 'mgno' ? `${arch.mgno.channels} channels, ${arch.mgno.levels} levels` : m === 'fno' ? `width ${arch.fno.width}, ${arch.fno.modes} modes` : `width ${arch.unet.width}, depth ${arch.unet.depth}`})`,
            scalars[`params_${m}`]!,
            ...FIGURES.flatMap((f) => [scalars[`${f}_${m}`]!, scalars[`${f}_${m}_sem`]!]),
          ]),
        ),
      ],
    };
  },
});
