import type { Rng, RunContext, Scalars, SeriesRow } from '@paperlab/core';
import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import {
  claimsFor,
  fmt,
  grid,
  meanSem,
  pairedGap,
  pick,
  putMeanSem,
  runCells,
  seeds,
  table,
} from '@paperlab/core/kit';
import { fit, meanSquaredError, type Trainee } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { beatsEvery } from '../../claims/beatsEvery.js';
import { countField, learningRateField, seedsField } from '../../config.js';
import { FITTING_TASKS } from '../../data/fittingTasks.js';
import type { BasisSpec } from '../../kan/bases.js';
import { Kan } from '../../kan/kanLayer.js';
import { matchedMlp } from '../../nets/mlp.js';

const FAMILIES = ['bspline', 'chebyshev', 'rbf', 'fourier'] as const;
type Family = (typeof FAMILIES)[number];
type Model = 'skan' | Family | 'mlp';
const MODELS: readonly Model[] = ['skan', ...FAMILIES, 'mlp'];

const config = z.strictObject({
  tasks: countField(1, 7, 7).describe('how many of the seven fitting tasks'),
  hidden: countField(1, 32, 4).describe('KAN hidden width ([d, hidden, 1])'),
  size: countField(2, 16, 6).describe('functions per family in S-KAN (fixed-basis KANs get families × size)'),
  train: countField(8, 8192, 512),
  test: countField(8, 8192, 1024),
  steps: countField(3, 6000, 600).describe(
    'full-batch Adam steps (S-KAN: ⅓ mixed, ⅓ selective, pruned, ⅓ fine-tuned)',
  ),
  lr: learningRateField(0.01),
  selection: z
    .number()
    .min(0)
    .max(1)
    .default(1e-3)
    .describe("weight of the group-lasso selection penalty in S-KAN's selective phase"),
  seeds: seedsField(2),
});

/** Config of physics/yang2024. */
export type Yang2024Config = z.infer<typeof config>;

type Scalar =
  | `gap_${Family | 'mlp'}`
  | `gap_${Family | 'mlp'}_sem`
  | `nmse_${Model}`
  | `share_${Family}`
  | 'skan_best_tasks'
  | 'param_ratio_max'
  | 'tasks'
  | 'seeds'
  | 'steps';

const claim = claimsFor<Yang2024Config, Scalar>();
const enough = [
  claim.atLeast('tasks', 5, 'tasks'),
  claim.atLeast('seeds', 2, 'seeds'),
  claim.atLeast('steps', 300, 'training steps'),
  // Trained: explains at least half the test variance (geometric mean over tasks of the normalised MSE ≤ 0.5).
  claim.trained((s) => 1 - s.nmse_skan, 0.5, 'S-KAN'),
];

/** Families of S-KAN, each with `size` functions; a fixed-basis KAN of family f gets families × size of them. */
function specs(cfg: Yang2024Config): { mixed: BasisSpec[]; fixed: Record<Family, BasisSpec> } {
  const n = FAMILIES.length * cfg.size;
  return {
    mixed: FAMILIES.map((family) => ({
      family,
      size: family === 'bspline' ? Math.max(1, cfg.size - 3) : cfg.size,
    })),
    fixed: {
      bspline: { family: 'bspline', size: Math.max(1, n - 3) },
      chebyshev: { family: 'chebyshev', size: n },
      rbf: { family: 'rbf', size: n },
      fourier: { family: 'fourier', size: n },
    },
  };
}

function sample(rng: Rng, n: number, dim: number, f: (x: readonly number[]) => number) {
  const x = new Float32Array(n * dim);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = Array.from({ length: dim }, () => rng.range(-1, 1));
    x.set(p, i * dim);
    y[i] = f(p);
  }
  return { x, y };
}

type CellResult = Record<Model, number> & { params: Record<Model, number>; shares: number[] };

async function runCell(
  ctx: RunContext,
  cfg: Yang2024Config,
  taskIndex: number,
  seed: number,
): Promise<CellResult> {
  const task = FITTING_TASKS[taskIndex]!;
  const rng = ctx.rng.split(`task${taskIndex}-s${seed}`);
  const tr = sample(rng.split('train'), cfg.train, task.dim, task.f);
  const te = sample(rng.split('test'), cfg.test, task.dim, task.f);
  const mean = tr.y.reduce((a, b) => a + b, 0) / cfg.train;
  const variance = te.y.reduce((a, b) => a + (b - mean) ** 2, 0) / cfg.test;
  const { mixed, fixed } = specs(cfg);
  const widths = [task.dim, cfg.hidden, 1];
  const out = { params: {} } as CellResult;
  const data = { x: tr.x, y: tr.y, n: cfg.train, shape: [task.dim], targetShape: [1] };
  const nmse = (model: { forward(x: tf.Tensor, o: { training: boolean }): tf.Tensor }) =>
    tf.tidy(
      () =>
        tf
          .mean(
            tf.square(
              tf.sub(
                model.forward(tf.tensor2d(te.x, [cfg.test, task.dim]), { training: false }),
                tf.tensor2d(te.y, [cfg.test, 1]),
              ),
            ),
          )
          .dataSync()[0]! / variance,
    );
  const train = (model: Trainee, epochs: number) =>
    fit({
      model,
      data,
      loss: 'mse',
      optimizer: { type: 'adam', lr: cfg.lr },
      epochs,
      recordEvery: epochs,
      signal: ctx.signal,
    });
  for (const m of MODELS) {
    const init = rng.split(`init-${m}`);
    if (m === 'mlp') {
      const mlp = matchedMlp(task.dim, out.params.skan, { activation: 'tanh', init: 'glorot' }, init);
      try {
        out.params.mlp = mlp.paramCount();
        await train(mlp, cfg.steps);
        out.mlp = nmse(mlp);
      } finally {
        mlp.dispose();
      }
      continue;
    }
    const kan = m === 'skan' ? Kan.selectable(widths, mixed, init) : Kan.plain(widths, fixed[m], init);
    try {
      // Selection logits count towards S-KAN's size: it is compared at its largest.
      out.params[m] = kan.paramCount();
      if (m === 'skan') {
        // The paper's three phases: all families mixed; selective (a group lasso over families pushes each edge
        // onto as few as it can); pruned to each edge's strongest family, then fine-tuned.
        const third = Math.floor(cfg.steps / 3);
        await train(kan, third);
        const X = tf.tensor2d(tr.x, [cfg.train, task.dim]);
        try {
          await fit({
            model: kan,
            data,
            loss: (p, t) =>
              tf.add(meanSquaredError(p, t), tf.mul(cfg.selection, kan.selectionPenalty(X))) as tf.Scalar,
            optimizer: { type: 'adam', lr: cfg.lr },
            epochs: third,
            recordEvery: third,
            signal: ctx.signal,
          });
          const layers = kan.prune(X);
          out.shares = FAMILIES.map((_, k) => layers.reduce((a, l) => a + l[k]!, 0) / layers.length);
        } finally {
          X.dispose();
        }
        await train(kan, cfg.steps - 2 * third);
      } else await train(kan, cfg.steps);
      out[m] = nmse(kan);
    } finally {
      kan.dispose();
    }
  }
  return out;
}

/** physics/yang2024: activation-space selectable KANs (S-KAN, Yang et al. 2024) on function fitting. */
export const yang2024 = defineExperiment({
  id: 'physics/yang2024',
  paper: {
    title: 'Activation Space Selectable Kolmogorov-Arnold Networks',
    authors: 'Zhuoqin Yang, Jiansong Zhang, Xiaoling Luo, Zheng Lu, Linlin Shen',
    year: 2024,
    url: 'https://arxiv.org/abs/2408.08338',
  },
  summary:
    'S-KAN: every KAN edge mixes several activation spaces (B-splines, Chebyshev polynomials, Gaussian RBFs, Fourier ' +
    'features) with learned softmax weights, trained in three phases — mixed; selective (a group-lasso penalty over ' +
    "families); pruned to each edge's strongest family, then fine-tuned. Compared on seven " +
    'function-fitting tasks (Bessel, compositions, products, a sharp step, a bump, a kink) with fixed-basis KANs of ' +
    'the same width whose single family gets as many functions as S-KAN has in total, and with a parameter-matched ' +
    'tanh MLP; all trained full-batch with the same Adam budget; normalised test MSE.',
  config,
  presets: {
    smoke: { tasks: 2, hidden: 2, size: 4, train: 32, test: 32, steps: 6, seeds: 1 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'skan-beats-fixed-bases',
      kind: 'paper',
      statement: 'Selectable activations beat every fixed activation space across the fitting tasks',
      source: {
        quote:
          'the use of a single activation function space results in reduced performance of KAN ... Our approach outperforms baseline methods in seven representative function fitting tasks',
        where: 'abstract; §4.1 (function fitting)',
        restated:
          'for each fixed family: mean over tasks of log10 NMSE(fixed) − log10 NMSE(S-KAN), paired over seeds, > 0 by 2 s.e.',
      },
      requires: enough,
      rule: {
        text: 'for every fixed family, log10 NMSE gap (fixed − S-KAN) > 0 by 2 s.e.',
        params: { k: 2 },
      },
      check: (s) =>
        beatsEvery(
          FAMILIES.map((f) => ({ name: f, gap: s[`gap_${f}`], sem: s[`gap_${f}_sem`] })),
          (v) => fmt(v, 2),
          ', ',
        ),
    }),
    claim.beats({
      id: 'skan-beats-mlp',
      kind: 'paper',
      statement: 'S-KAN fits better than an MLP with the same number of parameters',
      source: {
        quote: 'significantly surpasses MLP methods with the same level of parameters',
        where: 'abstract; §4.1',
        restated: 'mean over tasks of log10 NMSE(MLP) − log10 NMSE(S-KAN), paired over seeds',
      },
      requires: [...enough, claim.trained((s) => 1 - s.nmse_mlp, 0.5, 'MLP')],
      gap: 'gap_mlp',
      sem: 'gap_mlp_sem',
      a: 'log10 NMSE(MLP)',
      b: 'log10 NMSE(S-KAN)',
      what: 'gap',
    }),
    claim.inRange({
      id: 'parameters-matched',
      kind: 'control',
      statement: 'Control: every baseline has the parameter count of S-KAN within 15%',
      value: 'param_ratio_max',
      range: [0, 0.15],
      label: 'largest relative parameter-count difference',
    }),
  ],
  async run(ctx, cfg: Yang2024Config) {
    const tasks = FITTING_TASKS.slice(0, cfg.tasks).map((_, i) => i);
    const done = await runCells(ctx, {
      label: 'task × seed',
      cells: grid({ task: tasks, seed: seeds(cfg.seeds) }),
      key: ({ task, seed }) => `task${task}-s${seed}`,
      run: ({ task, seed }) => runCell(ctx, cfg, task, seed),
      describe: ({ task }, r) =>
        `${FITTING_TASKS[task]!.name}: S-KAN ${r.skan.toExponential(1)}, MLP ${r.mlp.toExponential(1)}`,
    });
    // Per seed: the mean over tasks of log10 NMSE; then paired gaps over seeds.
    const perSeed = (m: Model) =>
      seeds(cfg.seeds).map((seed) => meanSem(pick(done, { seed }).map((r) => Math.log10(r[m]))).mean);
    const scalars: Partial<Scalars<Scalar>> = { tasks: tasks.length, seeds: cfg.seeds, steps: cfg.steps };
    for (const m of [...FAMILIES, 'mlp'] as const)
      putMeanSem(scalars, `gap_${m}`, pairedGap(perSeed(m), perSeed('skan')));
    for (const m of MODELS) scalars[`nmse_${m}`] = 10 ** meanSem(perSeed(m)).mean;
    FAMILIES.forEach((f, k) => {
      scalars[`share_${f}`] = meanSem(done.map((c) => c.result.shares[k]!)).mean;
    });
    scalars.skan_best_tasks = tasks.filter((task) => {
      const mean = (m: Model) => meanSem(pick(done, { task }).map((r) => Math.log10(r[m]))).mean;
      return MODELS.every((m) => mean('skan') <= mean(m));
    }).length;
    scalars.param_ratio_max = Math.max(
      ...done.flatMap((c) =>
        MODELS.map((m) => Math.abs(c.result.params[m] - c.result.params.skan) / c.result.params.skan),
      ),
    );
    const rows: SeriesRow[] = tasks.flatMap((task) =>
      MODELS.map((m) => {
        const ms = meanSem(pick(done, { task }).map((r) => r[m]));
        return { task: FITTING_TASKS[task]!.name, model: m, nmse: ms.mean, sem: ms.sem };
      }),
    );
    return {
      scalars: scalars as Scalars<Scalar>,
      series: { nmse: rows },
      tables: [
        table(
          'nmse',
          `Normalised test MSE per task (mean over ${cfg.seeds} seeds); parameters of seed 0`,
          [
            'task',
            ...MODELS.map((m) => (m === 'skan' ? 'S-KAN' : m === 'mlp' ? 'MLP' : `KAN (${m})`)),
            'params S-KAN / MLP',
          ],
          tasks.map((task) => {
            const rs = pick(done, { task });
            return [
              FITTING_TASKS[task]!.name,
              ...MODELS.map((m) => meanSem(rs.map((r) => r[m])).mean),
              `${rs[0]!.params.skan} / ${rs[0]!.params.mlp}`,
            ];
          }),
        ),
      ],
    };
  },
});
