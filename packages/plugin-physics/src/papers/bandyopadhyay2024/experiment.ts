import { defineExperiment, type Rng, type RunContext, type Scalars, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { fit, Sequential, type Trainee } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { countField, minibatchTrainingFields, seedsField } from '../../config.js';
import { ALLOY_DESCRIPTORS as DESCRIPTORS, proxyAlloy } from '../../data/alloys.js';
import { columnStandardiser } from '../../data/standardise.js';
import { Kan } from '../../kan/kanLayer.js';
import { matchedMlp } from '../../nets/mlp.js';

type Model = 'kan' | 'mlp' | 'lin';
const MODELS: readonly Model[] = ['kan', 'mlp', 'lin'];
const NAME: Record<Model, string> = { kan: 'KAN', mlp: 'MLP (matched)', lin: 'linear (control)' };

const config = z.strictObject({
  train: countField(16, 100_000, 1024).describe('proxy alloys for training'),
  test: countField(16, 100_000, 512),
  hidden: countField(1, 256, 6).describe('KAN hidden width ([7, hidden, 1])'),
  grid: countField(1, 64, 5).describe('B-spline grid intervals (cubic)'),
  ...minibatchTrainingFields({ epochs: 60, batchSize: 128, lr: 0.01 }),
  seeds: seedsField(3),
});

/** Config of physics/bandyopadhyay2024. */
export type Bandyopadhyay2024Config = z.infer<typeof config>;

type Scalar =
  | `${'f1' | 'r2' | 'mse'}_${Model}`
  | `gap_${'f1' | 'r2'}`
  | `gap_${'f1' | 'r2'}_sem`
  | `control_${'f1' | 'r2'}`
  | 'param_ratio'
  | 'hea_fraction'
  | 'seeds'
  | 'epochs';

const claim = kit.claimsFor<Bandyopadhyay2024Config, Scalar>();
const enough = [claim.atLeast('seeds', 2, 'seeds'), claim.atLeast('epochs', 20, 'epochs')];

/** Standardised descriptor matrix [n, 7] from the training statistics; labels and standardised bulk moduli. */
function dataset(rng: Rng, n: number) {
  const alloys = Array.from({ length: n }, () => proxyAlloy(rng));
  return {
    x: alloys.map((a) => a.descriptors),
    hea: alloys.map((a) => a.hea),
    bulk: alloys.map((a) => a.bulk),
  };
}

function build(
  m: Model,
  cfg: Bandyopadhyay2024Config,
  rng: Rng,
  kanParams: number,
): Trainee & { dispose(): void; paramCount(): number } {
  const d = DESCRIPTORS.length;
  if (m === 'kan')
    return Kan.plain([d, cfg.hidden, 1], { family: 'bspline', size: cfg.grid, lo: -3, hi: 3 }, rng);
  if (m === 'lin') return Sequential.build([{ type: 'dense', units: 1, init: 'glorot' }], [d], rng, 'linear');
  return matchedMlp(d, kanParams, { activation: 'relu' }, rng);
}

type CellResult = Record<`${'f1' | 'r2' | 'mse'}_${Model}`, number> & {
  params: Record<Model, number>;
  heaFraction: number;
};

async function runCell(ctx: RunContext, cfg: Bandyopadhyay2024Config, seed: number): Promise<CellResult> {
  const rng = ctx.rng.split(`seed${seed}`);
  const tr = dataset(rng.split('train'), cfg.train);
  const te = dataset(rng.split('test'), cfg.test);
  const std = columnStandardiser(tr.x.flat(), DESCRIPTORS.length);
  const [xtr, xte] = [std(tr.x.flat()), std(te.x.flat())];
  const bMu = tr.bulk.reduce((a, b) => a + b, 0) / cfg.train;
  const bSd = Math.sqrt(tr.bulk.reduce((a, b) => a + (b - bMu) ** 2, 0) / cfg.train);
  const ytrB = Float32Array.from(tr.bulk, (v) => (v - bMu) / bSd);
  const yteB = te.bulk.map((v) => (v - bMu) / bSd);
  const out = { params: {}, heaFraction: tr.hea.reduce((a, b) => a + b, 0) / cfg.train } as CellResult;
  const d = DESCRIPTORS.length;
  const predict = (model: Trainee) =>
    tf.tidy(() => Array.from(model.forward(tf.tensor2d(xte, [cfg.test, d]), { training: false }).dataSync()));
  let kanParams = 0;
  for (const m of MODELS)
    for (const task of ['cls', 'reg'] as const) {
      const model = build(m, cfg, rng.split(`init-${m}-${task}`), kanParams);
      try {
        if (m === 'kan') kanParams = model.paramCount();
        out.params[m] = model.paramCount();
        await fit({
          model,
          data: {
            x: xtr,
            y: task === 'cls' ? Float32Array.from(tr.hea) : ytrB,
            n: cfg.train,
            shape: [d],
            targetShape: [1],
          },
          loss: task === 'cls' ? 'sigmoid-ce' : 'mse',
          accuracy: false,
          optimizer: { type: 'adam', lr: cfg.lr },
          epochs: cfg.epochs,
          batchSize: cfg.batchSize,
          order: rng.split(`order-${task}`),
          recordEvery: cfg.epochs,
          signal: ctx.signal,
        });
        const p = predict(model);
        if (task === 'cls') {
          let [tp, fp, fn] = [0, 0, 0];
          p.forEach((logit, i) => {
            const [yhat, y] = [Number(logit > 0), te.hea[i]!];
            tp += yhat & y;
            fp += yhat & (1 - y);
            fn += (1 - yhat) & y;
          });
          out[`f1_${m}`] = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
        } else {
          const mse = p.reduce((s, v, i) => s + (v - yteB[i]!) ** 2, 0) / cfg.test;
          const mean = yteB.reduce((a, b) => a + b, 0) / cfg.test;
          const variance = yteB.reduce((s, v) => s + (v - mean) ** 2, 0) / cfg.test;
          out[`mse_${m}`] = mse;
          out[`r2_${m}`] = 1 - mse / variance;
        }
      } finally {
        model.dispose();
      }
    }
  return out;
}

/** physics/bandyopadhyay2024: Kolmogorov–Arnold networks for high-entropy alloy design (on PROXY descriptors). */
export const bandyopadhyay2024 = defineExperiment({
  id: 'physics/bandyopadhyay2024',
  paper: {
    title: 'Kolmogorov-Arnold Neural Networks for High-Entropy Alloys Design',
    authors: 'Yagnik Bandyopadhyay, Harshil Avlani, Houlong L. Zhuang',
    year: 2024,
    url: 'https://arxiv.org/abs/2410.08452',
  },
  summary:
    'PROXY DATA: random 4–6-element compositions over 15 metals, described by the usual alloy-design descriptors ' +
    '(mixing entropy, mixing enthalpy from a proxy pair formula, size mismatch δ, VEC, Δχ, T_m, Ω) computed from ' +
    'handbook element constants; labels from a softened Yang–Zhang rule (Ω ≥ 1.1, δ ≤ 6.6%) for HEA vs non-HEA, and a ' +
    'rule-of-mixtures bulk modulus with a mismatch penalty and noise for regression. A B-spline KAN against a ' +
    'parameter-matched ReLU MLP (and a linear control) on the same data, batches and budget: F1 and R². The real ' +
    'datasets of the paper are not shipped; the comparison of architectures on this kind of tabular task is what is tested.',
  config,
  presets: {
    smoke: { train: 64, test: 32, hidden: 2, grid: 3, epochs: 2, batchSize: 32, seeds: 1 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'kan-matches-mlp-classification',
      kind: 'paper',
      statement: 'KAN matches or beats the MLP on HEA vs non-HEA classification (F1)',
      source: {
        quote:
          'In all three examples, KAN either outperform or match the performance in terms of accuracy such as F1 score for classification',
        where: 'abstract; §3 (examples 1 and 3)',
        restated:
          'on proxy descriptors and labels: F1(KAN) − F1(MLP) > −0.02 (non-inferiority), paired over seeds',
      },
      requires: enough,
      gap: 'gap_f1',
      sem: 'gap_f1_sem',
      margin: -0.02,
      a: 'F1(KAN)',
      b: 'F1(MLP)',
      what: '',
    }),
    claim.beats({
      id: 'kan-matches-mlp-regression',
      kind: 'paper',
      statement: 'KAN matches or beats the MLP on bulk-modulus regression (R²)',
      source: {
        quote:
          'KAN either outperform or match the performance ... Mean Square Error (MSE), and coefficient of determination (R2) for regression of the multilayer perceptron (MLP)',
        where: 'abstract; §3 (examples 2 and 3)',
        restated: 'on proxy data: R²(KAN) − R²(MLP) > −0.02 (non-inferiority), paired over seeds',
      },
      requires: enough,
      gap: 'gap_r2',
      sem: 'gap_r2_sem',
      margin: -0.02,
      a: 'R²(KAN)',
      b: 'R²(MLP)',
      what: '',
    }),
    claim.custom({
      id: 'tasks-discriminate',
      kind: 'control',
      statement:
        'Control: the tasks can separate models — the MLP beats a linear model by more than the non-inferiority margin on both',
      requires: enough,
      rule: { text: 'F1(MLP) − F1(linear) > 0.02 and R²(MLP) − R²(linear) > 0.02', params: { margin: 0.02 } },
      check: (s) => ({
        verdict: kit.verdictOf(s.control_f1 > 0.02 && s.control_r2 > 0.02),
        measured: `MLP − linear: F1 ${kit.fmt(s.control_f1)}, R² ${kit.fmt(s.control_r2)}`,
      }),
    }),
    claim.inRange({
      id: 'parameters-matched',
      kind: 'control',
      statement: 'Control: KAN and MLP have the same number of parameters within 15%',
      value: 'param_ratio',
      range: [0, 0.15],
      label: 'relative parameter-count difference',
    }),
  ],
  async run(ctx, cfg: Bandyopadhyay2024Config) {
    const done = await kit.runSeeds(ctx, cfg.seeds, (seed) => runCell(ctx, cfg, seed), {
      describe: (r) =>
        `F1 KAN ${kit.fmt(r.f1_kan)} MLP ${kit.fmt(r.f1_mlp)}; R² KAN ${kit.fmt(r.r2_kan)} MLP ${kit.fmt(r.r2_mlp)}`,
    });
    const all = kit.pick(done, {});
    const col = (k: keyof CellResult & string) => all.map((r) => r[k] as number);
    const scalars: Partial<Scalars<Scalar>> = {
      seeds: cfg.seeds,
      epochs: cfg.epochs,
      hea_fraction: kit.meanSem(col('heaFraction')).mean,
    };
    for (const m of MODELS)
      for (const k of ['f1', 'r2', 'mse'] as const) scalars[`${k}_${m}`] = kit.meanSem(col(`${k}_${m}`)).mean;
    for (const k of ['f1', 'r2'] as const) {
      kit.putMeanSem(scalars, `gap_${k}`, kit.pairedGap(col(`${k}_kan`), col(`${k}_mlp`)));
      scalars[`control_${k}`] = kit.pairedGap(col(`${k}_mlp`), col(`${k}_lin`)).mean;
    }
    scalars.param_ratio = Math.abs(all[0]!.params.mlp - all[0]!.params.kan) / all[0]!.params.kan;
    return {
      scalars: scalars as Scalars<Scalar>,
      tables: [
        kit.table(
          'metrics',
          `Test metrics on proxy alloys (mean over ${cfg.seeds} seeds); parameters of seed 0`,
          ['model', 'F1 (HEA)', 'R² (bulk modulus)', 'MSE (standardised)', 'parameters'],
          MODELS.map((m) => [
            NAME[m],
            scalars[`f1_${m}`]!,
            scalars[`r2_${m}`]!,
            scalars[`mse_${m}`]!,
            all[0]!.params[m],
          ]),
        ),
      ],
    };
  },
});
