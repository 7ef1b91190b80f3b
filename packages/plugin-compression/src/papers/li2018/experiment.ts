import { defineExperiment, type Rng, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import { type LabelledArrays, pickExamples } from '@paperlab/core/data';
import {
  claimsFor,
  fmt,
  grid,
  intervalVerdict,
  mean,
  meanSem,
  pick,
  pm,
  runCells,
  seeds,
  sem,
  table,
  type WithSem,
  withSem,
} from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import { fit, type LayerSpec, type TensorFitOptions } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import {
  CONFIG_LIMITS,
  countField,
  epochsField,
  lrField,
  seedsField,
  trainingConfig,
  widthSchema,
  widthsField,
} from '../../config/fields.js';
import { loadImageData, SMOKE_IMAGES } from '../../data/images.js';
import { CompressNet } from '../../nets/compressNet.js';
import { RandomSubspace, subspaceTrainee } from '../../subspace/randomSubspace.js';
import { accuracy } from '../../train/evaluate.js';

const config = z.strictObject({
  trainSize: z.number().int().min(200).max(60_000).default(10_000).describe('MNIST training images'),
  testSize: z.number().int().min(100).max(10_000).default(2_000).describe('MNIST test images'),
  pool: z
    .number()
    .int()
    .min(1)
    .max(4)
    .default(2)
    .describe('average-pool factor (2: 28×28 → 14×14 = 196 inputs)'),
  widths: widthsField([32, 64]).describe('hidden widths of the FC nets'),
  depth: z.number().int().min(1).max(4).default(2).describe('hidden layers (paper: 784-200-200-10, depth 2)'),
  dims: z
    .array(z.number().int().min(1).max(100_000))
    .min(2)
    .max(CONFIG_LIMITS.sweep)
    .default([125, 250, 500, 1000, 2000])
    .describe('subspace dimensions d tried (ascending)'),
  seeds: seedsField(3).describe('independent (θ₀, P) draws per width'),
  ...trainingConfig({ epochs: 6, batchSize: 100, lr: 0.03 }),
  epochs: epochsField(6).describe('epochs of every training run (full and subspace)'),
  lr: lrField(0.03).describe('Adam step on θ_d (subspace training)'),
  baselineLr: lrField(3e-3).describe('Adam step of the full-parameter baseline'),
  projection: z
    .enum(['sparse', 'dense'])
    .default('sparse')
    .describe(
      'P: very sparse rows (≈√D non-zeros, Li et al.’s choice for larger nets) or dense Gaussian rows',
    ),
  shuffled: z
    .strictObject({
      trainSize: countField(500, 50, 60_000).describe('training images memorised (labels permuted)'),
      width: widthSchema(4).default(32),
      epochs: epochsField(60),
      batchSize: countField(50, 8, CONFIG_LIMITS.batchSize),
      seeds: seedsField(2),
    })
    .prefault({}),
});

/** Config of compression/li2018. */
export type Li2018Config = z.infer<typeof config>;

type Scalar =
  | WithSem<'dint90' | 'log_width_ratio'>
  | 'dint90_reached'
  | 'dint90_narrow'
  | 'dint90_wide'
  | 'param_ratio'
  | 'n_widths'
  | 'seeds'
  | 'dmax'
  | 'baseline_acc'
  | 'baseline_acc_min'
  | 'params_narrow'
  | 'params_wide'
  | 'compression_ratio'
  | 'regen_max_diff'
  | 'real_train_dint90'
  | 'shuffled_dint90'
  | 'shuffled_reached'
  | 'shuffled_ratio'
  | 'shuffled_baseline_train_acc';

const claim = claimsFor<Li2018Config, Scalar>();

/** The FC net of the paper: `depth` ReLU layers of `width`, softmax readout over 10 digits. */
const fcNet = (width: number, depth: number): LayerSpec[] => [
  ...Array.from({ length: depth }, () => ({
    type: 'dense' as const,
    units: width,
    activation: 'relu' as const,
  })),
  { type: 'dense', units: 10 },
];

/**
 * The smallest d at which `acc` reaches `threshold`, interpolated in log d between the grid points around the first
 * crossing (the first grid point itself when it already reaches it); null when no d reaches it.
 */
export function firstCrossing(
  dims: readonly number[],
  acc: readonly number[],
  threshold: number,
): number | null {
  for (let i = 0; i < dims.length; i++) {
    if (acc[i]! < threshold) continue;
    if (i === 0) return dims[0]!;
    const [a, b] = [acc[i - 1]!, acc[i]!];
    const t = b > a ? (threshold - a) / (b - a) : 1;
    return Math.exp(Math.log(dims[i - 1]!) + t * (Math.log(dims[i]!) - Math.log(dims[i - 1]!)));
  }
  return null;
}

type Cell = { acc: number; loss: number; regen: number | null };

interface Trainable {
  net: CompressNet;
  data: LabelledArrays;
  epochs: number;
  batchSize: number;
  order: Rng;
}

/** Adam on softmax cross-entropy over the data of `t` for its epochs (the loss recorded once, at the end). */
function fitTrainable(model: TensorFitOptions['model'], t: Trainable, lr: number, signal: AbortSignal) {
  return fit({
    model,
    data: t.data,
    loss: 'softmax-ce',
    optimizer: { type: 'adam', lr },
    epochs: t.epochs,
    batchSize: t.batchSize,
    order: t.order,
    signal,
    recordEvery: t.epochs,
  });
}

/** Trains in a random d-subspace around the net's weights; returns the trained trainee's accuracy on `evalOn`. */
async function trainSubspace(
  t: Trainable,
  cfg: Li2018Config,
  d: number,
  subSeed: number,
  evalOn: LabelledArrays,
  signal: AbortSignal,
) {
  const sub = RandomSubspace.generate(t.net.paramCount(), d, subSeed, cfg.projection);
  const trainee = subspaceTrainee(t.net, sub);
  try {
    const r = await fitTrainable(trainee, t, cfg.lr, signal);
    const theta = Float32Array.from(trainee.thetaD.dataSync());
    return { acc: accuracy(trainee, evalOn), loss: r.loss, theta, probe: probeLogits(trainee, evalOn) };
  } finally {
    trainee.dispose();
    sub.dispose();
  }
}

/** Full-parameter training of the same net (the baseline d = D). */
async function trainFull(
  t: Trainable,
  cfg: Li2018Config,
  evalOn: LabelledArrays,
  signal: AbortSignal,
): Promise<Cell> {
  const r = await fitTrainable(t.net, t, cfg.baselineLr, signal);
  return { acc: accuracy(t.net, evalOn), loss: r.loss, regen: null };
}

/** Logits of a model on the first (up to) 200 examples, for the regeneration check. */
function probeLogits(
  model: { forward(x: tf.Tensor, o: { training: boolean }): tf.Tensor },
  data: LabelledArrays,
): Float32Array {
  const m = Math.min(200, data.n);
  const x = tf.tensor2d(data.x.subarray(0, m * data.shape[0]!), [m, data.shape[0]!]);
  const y = model.forward(x, { training: false });
  const out = Float32Array.from(y.dataSync());
  tf.dispose([x, y]);
  return out;
}

/** Regenerates θ₀ and P from their seeds, loads the stored θ_d, and returns the largest logit difference to `probe`. */
function regenerationGap(
  fresh: CompressNet,
  sub: RandomSubspace,
  theta: Float32Array,
  probe: Float32Array,
  test: LabelledArrays,
): number {
  const trainee = subspaceTrainee(fresh, sub);
  try {
    tf.tidy(() => trainee.thetaD.assign(tf.tensor1d(theta)));
    const again = probeLogits(trainee, test);
    return again.reduce((m, v, i) => Math.max(m, Math.abs(v - probe[i]!)), 0);
  } finally {
    trainee.dispose();
    sub.dispose();
    fresh.dispose();
  }
}

/** compression/li2018: Measuring the Intrinsic Dimension of Objective Landscapes (Li, Farkhoor, Liu, Yosinski, ICLR 2018). */
export const li2018 = defineExperiment({
  id: 'compression/li2018',
  paper: {
    title: 'Measuring the Intrinsic Dimension of Objective Landscapes',
    authors: 'Chunyuan Li, Heerad Farkhoor, Rosanne Liu, Jason Yosinski',
    year: 2018,
    url: 'https://arxiv.org/abs/1804.08838',
    venue: 'ICLR 2018',
  },
  summary:
    'Fully-connected ReLU nets on MNIST (2×2-pooled to 196 inputs, 10k training images) are trained only inside a ' +
    'random d-dimensional subspace θ = θ₀ + Pᵀθ_d of their D parameters, P (very sparse, unit rows) regenerated from a seed. Test accuracy ' +
    'against d gives d_int90, the smallest d reaching 90% of the full-parameter net’s accuracy, for two widths; the ' +
    'same measurement on training accuracy compares memorising permuted labels with learning the real ones. A ' +
    'trained model is stored as (seed, θ_d).',
  config,
  presets: {
    smoke: {
      ...SMOKE_IMAGES,
      widths: [8, 16],
      depth: 1,
      dims: [10, 40, 160],
      seeds: 1,
      epochs: 2,
      shuffled: { trainSize: 100, width: 16, epochs: 3, seeds: 1 },
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'dint90-mnist-fc',
      kind: 'paper',
      statement: 'The intrinsic dimension d_int90 of MNIST with a fully-connected net is about 750',
      source: {
        quote: 'for MNIST with a fully connected network … the intrinsic dimension d_int90 is 750',
        where: '§3.1, Figure 3 (FC on MNIST, 784-200-200-10)',
        value: 'd_int90 = 750 (650–1050 across widths and depths)',
        restated:
          'order of magnitude at CPU scale: within a factor 2 of 750, on 2×2-pooled MNIST with 10k images',
      },
      requires: [claim.trained('baseline_acc_min', 0.9, 'the full-parameter baseline')],
      rule: {
        text: 'mean d_int90 ± 2 s.e. inside [375, 1500] (a factor 2 around 750); not reproduced when wholly outside or when the largest d never reaches 90%',
        params: { lo: 375, hi: 1500, k: 2 },
      },
      check: (s) => {
        const [lo, hi] = [375, 1500];
        const measured = `d_int90 = ${pm(s.dint90, s.dint90_sem, 0)} (reached in ${fmt(100 * s.dint90_reached, 0)}% of cells; widths × ${s.seeds} seeds)`;
        if (s.dint90_reached < 1)
          return {
            verdict: s.dmax > hi ? 'not-reproduced' : 'inconclusive',
            measured: `${measured}; some cells never reach 90% by d = ${s.dmax}`,
          };
        return { verdict: intervalVerdict(s.dint90, s.dint90_sem, lo, hi), measured };
      },
    }),
    claim.custom({
      id: 'width-independence',
      kind: 'paper',
      statement:
        'd_int90 varies little across nets of different size: doubling the width leaves it within ×1.5',
      source: {
        quote:
          'the intrinsic dimension for a given dataset varies little across a family of models with vastly different sizes',
        where: 'abstract; §3.1, Figure 3',
        value: '650–1050 for FC widths 50–400 and depths 1–5',
        restated:
          'two widths (parameter counts differ by param_ratio); a d_int90 proportional to D would give the log ratio log(param_ratio)',
      },
      requires: [
        claim.atLeast('n_widths', 2, 'widths'),
        claim.trained('baseline_acc_min', 0.9, 'the full-parameter baseline'),
        claim.atLeast('dint90_reached', 1, '(fraction of cells reaching 90%)'),
      ],
      rule: {
        text: 'log(d_int90 widest / narrowest) ± 2 s.e. (paired over seeds) inside [−log 1.5, log 1.5]',
        params: { maxRatio: 1.5, k: 2 },
      },
      check: (s) => {
        const r = Math.log(1.5);
        return {
          verdict: intervalVerdict(s.log_width_ratio, s.log_width_ratio_sem, -r, r),
          measured: `d_int90 ${fmt(s.dint90_narrow, 0)} → ${fmt(s.dint90_wide, 0)} as D grows ×${fmt(s.param_ratio, 2)} (log ratio ${pm(s.log_width_ratio, s.log_width_ratio_sem)})`,
        };
      },
    }),
    claim.custom({
      id: 'shuffled-labels-harder',
      kind: 'paper',
      statement:
        'Memorising permuted labels needs a far larger subspace than learning the real labels of the same images',
      source: {
        quote: 'MNIST with shuffled labels … requires a much larger intrinsic dimension',
        where: '§3.3 (random labels), Table 1',
        value: 'd_int90 = 190,000 (shuffled) vs 750 (real) for the FC net',
        restated: 'on training accuracy of a 1k-image subset: d_int90(shuffled) ≥ 4 × d_int90(real)',
      },
      requires: [
        claim.trained('shuffled_baseline_train_acc', 0.9, 'the full-parameter net on permuted labels'),
      ],
      rule: {
        text: 'd_int90(shuffled)/d_int90(real) ≥ 4 (a lower bound dmax/d_int90(real) when shuffled never reaches 90%)',
        params: { minRatio: 4 },
      },
      check: (s) => {
        const bound = s.shuffled_reached < 1;
        const measured = `ratio ${bound ? '≥ ' : ''}${fmt(s.shuffled_ratio, 1)} (shuffled ${bound ? `> ${s.dmax}` : fmt(s.shuffled_dint90, 0)}, real ${fmt(s.real_train_dint90, 0)})`;
        return {
          verdict: s.shuffled_ratio >= 4 ? 'reproduced' : bound ? 'inconclusive' : 'not-reproduced',
          measured,
        };
      },
    }),
    claim.inRange({
      id: 'baseline-trains',
      kind: 'control',
      statement:
        'Control: every full-parameter baseline reaches 90% test accuracy (the reference for d_int90)',
      value: 'baseline_acc_min',
      range: [0.9, 1],
      label: 'lowest baseline test accuracy',
    }),
    claim.inRange({
      id: 'regenerated-from-seed',
      kind: 'control',
      statement:
        'Control: a model stored as (seeds, θ_d) regenerates the trained model exactly (P is never stored)',
      value: 'regen_max_diff',
      range: [0, 1e-5],
      label: 'max |Δlogit| after regeneration',
      digits: 7,
    }),
  ],
  datasets: () => ['mnist'],
  async run(ctx, cfg) {
    const data = await loadImageData(ctx.data, { ...cfg, dataset: 'mnist', flatten: true });
    const dims = [...cfg.dims].sort((a, b) => a - b);
    const dmax = dims[dims.length - 1]!;
    const widths = [...cfg.widths].sort((a, b) => a - b);
    const inputs = data.train.shape;
    const theta0 = (width: number, seed: number) => ctx.rng.split(`theta0-w${width}-s${seed}`);
    const subSeed = (width: number, seed: number) => ctx.rng.split(`P-w${width}-s${seed}`).seedInt();
    const order = (width: number, seed: number) => ctx.rng.split(`order-w${width}-s${seed}`);
    const build = (width: number, seed: number) =>
      CompressNet.build(fcNet(width, cfg.depth), inputs, theta0(width, seed), `fc${width}`);
    /**
     * One cell: full-parameter training (d = 0) or training in a d-subspace of a fresh net, scored on `evalOn`;
     * with `regenerate`, the subspace solution is also rebuilt from its seeds and compared.
     */
    const trainCell = async (
      width: number,
      seed: number,
      d: number,
      p: { data: LabelledArrays; evalOn: LabelledArrays; epochs: number; batchSize: number },
      regenerate: boolean,
    ): Promise<Cell> => {
      const net = build(width, seed);
      const t = { net, data: p.data, epochs: p.epochs, batchSize: p.batchSize, order: order(width, seed) };
      try {
        if (d === 0) return await trainFull(t, cfg, p.evalOn, ctx.signal);
        const r = await trainSubspace(t, cfg, d, subSeed(width, seed), p.evalOn, ctx.signal);
        const regen = regenerate
          ? regenerationGap(
              build(width, seed),
              RandomSubspace.generate(net.paramCount(), d, subSeed(width, seed), cfg.projection),
              r.theta,
              r.probe,
              p.evalOn,
            )
          : null;
        return { acc: r.acc, loss: r.loss, regen };
      } finally {
        net.dispose();
      }
    };

    // Real labels: full-parameter baselines (d = 0 marks them) and subspace training, scored on test accuracy.
    const cells = await runCells(ctx, {
      label: 'width × seed × d',
      cells: grid({ width: widths, seed: seeds(cfg.seeds), d: [0, ...dims] }),
      key: ({ width, seed, d }) => `real-w${width}-s${seed}-d${d}`,
      run: ({ width, seed, d }) =>
        trainCell(
          width,
          seed,
          d,
          { epochs: cfg.epochs, batchSize: cfg.batchSize, data: data.train, evalOn: data.test },
          seed === 0 && d === dims[0],
        ),
      describe: ({ width, seed, d }, r) => `width ${width} seed ${seed} d ${d || 'full'}: ${fmt(r.acc)}`,
      log: (_, r, i) => ({ scalars: { acc: r.acc, loss: r.loss }, step: i }),
    });
    // Permuted labels on a small subset, scored on training accuracy; real labels of the same images alongside.
    const sub = pickExamples(
      data.train,
      Array.from({ length: Math.min(cfg.shuffled.trainSize, data.train.n) }, (_, i) => i),
    );
    const perm = ctx.rng.split('label-permutation').permutation(sub.n);
    const shuffled: LabelledArrays = { ...sub, y: Int32Array.from(perm, (j) => sub.y[j]!) };
    const memo = await runCells(ctx, {
      label: 'labels × seed × d',
      cells: grid({
        labels: ['real', 'shuffled'] as const,
        seed: seeds(cfg.shuffled.seeds),
        d: [0, ...dims],
      }),
      key: ({ labels, seed, d }) => `memo-${labels}-s${seed}-d${d}`,
      run: ({ labels, seed, d }) => {
        const train = labels === 'real' ? sub : shuffled;
        return trainCell(cfg.shuffled.width, seed, d, { ...cfg.shuffled, data: train, evalOn: train }, false);
      },
      describe: ({ labels, seed, d }, r) => `${labels} seed ${seed} d ${d || 'full'}: train ${fmt(r.acc)}`,
    });

    // d_int90 per (width, seed): the first d reaching 90% of that seed's full-parameter accuracy.
    const dint = (results: typeof cells | typeof memo, where: Record<string, number | string>) => {
      const base = pick(results as Array<{ cell: Record<string, unknown>; result: Cell }>, {
        ...where,
        d: 0,
      })[0]!.acc;
      const acc = dims.map(
        (d) =>
          pick(results as Array<{ cell: Record<string, unknown>; result: Cell }>, { ...where, d })[0]!.acc,
      );
      return { base, acc, d90: firstCrossing(dims, acc, 0.9 * base) };
    };
    const rows: SeriesRow[] = [];
    const perWidth = widths.map((width) =>
      seeds(cfg.seeds).map((seed) => {
        const r = dint(cells, { width, seed });
        for (const [i, d] of dims.entries())
          rows.push({ width: `width ${width}`, seed, d, acc: r.acc[i]!, threshold: 0.9 * r.base });
        return r;
      }),
    );
    const all = perWidth.flat();
    const reached = all.filter((r) => r.d90 !== null);
    const d90 = all.map((r) => r.d90 ?? dmax);
    const narrow = perWidth[0]!.map((r) => r.d90 ?? dmax);
    const wide = perWidth[perWidth.length - 1]!.map((r) => r.d90 ?? dmax);
    const logRatio = narrow.map((v, i) => Math.log(wide[i]! / v));
    const params = widths.map((w) => {
      const n = build(w, 0);
      const p = n.paramCount();
      n.dispose();
      return p;
    });
    const memoReal = seeds(cfg.shuffled.seeds).map((seed) => dint(memo, { labels: 'real', seed }));
    const memoShuf = seeds(cfg.shuffled.seeds).map((seed) => dint(memo, { labels: 'shuffled', seed }));
    const realD = mean(memoReal.map((r) => r.d90 ?? dmax));
    const shufD = mean(memoShuf.map((r) => r.d90 ?? dmax));
    const regen = cells.map((c) => c.result.regen).filter((v): v is number => v !== null);
    const scalars: Scalars<Scalar> = {
      ...withSem('dint90', meanSem(d90)),
      dint90_reached: reached.length / all.length,
      dint90_narrow: mean(narrow),
      dint90_wide: mean(wide),
      ...withSem('log_width_ratio', meanSem(logRatio)),
      param_ratio: params[params.length - 1]! / params[0]!,
      params_narrow: params[0]!,
      params_wide: params[params.length - 1]!,
      n_widths: widths.length,
      seeds: cfg.seeds,
      dmax,
      baseline_acc: mean(all.map((r) => r.base)),
      baseline_acc_min: Math.min(...all.map((r) => r.base)),
      compression_ratio: (4 * params[0]!) / (4 * mean(narrow) + 8),
      regen_max_diff: Math.max(...regen),
      real_train_dint90: realD,
      shuffled_dint90: shufD,
      shuffled_reached: memoShuf.filter((r) => r.d90 !== null).length / memoShuf.length,
      shuffled_ratio: shufD / realD,
      shuffled_baseline_train_acc: Math.min(...memoShuf.map((r) => r.base)),
    };
    const memoRows: SeriesRow[] = memo
      .filter((c) => c.cell.d > 0)
      .map(({ cell, result }) => ({
        labels: cell.labels,
        seed: cell.seed,
        d: cell.d,
        train_acc: result.acc,
      }));
    return {
      scalars,
      series: { accuracy_vs_d: rows, memorisation: memoRows },
      plots: [
        linePlot({
          id: 'accuracy-vs-d',
          title: 'Test accuracy of subspace training vs d (dashed: 90% of the full net)',
          series: 'accuracy_vs_d',
          x: 'd',
          y: 'acc',
          color: 'width',
          logX: true,
          xTitle: 'subspace dimension d',
          yTitle: 'test accuracy',
        }),
        linePlot({
          id: 'memorisation-vs-d',
          title: 'Training accuracy vs d: real vs permuted labels (1k images)',
          series: 'memorisation',
          x: 'd',
          y: 'train_acc',
          color: 'labels',
          logX: true,
          xTitle: 'subspace dimension d',
          yTitle: 'training accuracy',
        }),
      ],
      tables: [
        table(
          'dint90',
          'd_int90 per width (mean ± s.e. over seeds; baseline = full-parameter test accuracy)',
          ['width', 'parameters D', 'baseline acc', 'd_int90', '±', 'D / d_int90'],
          widths.map((w, i) => {
            const ds = perWidth[i]!.map((r) => r.d90 ?? dmax);
            return [
              w,
              params[i]!,
              fmt(mean(perWidth[i]!.map((r) => r.base))),
              fmt(mean(ds), 0),
              fmt(sem(ds), 0),
              fmt(params[i]! / mean(ds), 1),
            ];
          }),
        ),
      ],
    };
  },
});
