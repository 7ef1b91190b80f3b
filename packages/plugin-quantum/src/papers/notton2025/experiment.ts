import { type ClaimResult, defineExperiment, type ExperimentOutput, type Rng, z } from '@paperlab/core';
import { loadIdxImageDataset } from '@paperlab/core/data';
import * as tf from '@tensorflow/tfjs-core';
import { applyScaler, fitStandardizer } from '../../features/features.js';
import { accuracyOf, fitClassifier, type LabelledRows, mlpClassifier } from '../../models/classifier.js';
import { meanSem, pairedGap, pct, points, runSeedCells } from '../../models/seeds.js';
import { bosonProbabilities, sampleBosonPatterns } from '../../photonic/bosonSampling.js';
import { interferometerUnitary, meshPhaseCount } from '../../photonic/interferometer.js';

const config = z.strictObject({
  trainSize: z
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(6000)
    .describe('training images (challenge: 6000)'),
  valSize: z.number().int().min(50).max(10_000).default(600).describe('validation images (challenge: 600)'),
  modes: z
    .number()
    .int()
    .min(4)
    .max(40)
    .default(30)
    .describe('interferometer modes (challenge baseline: 30)'),
  photons: z.number().int().min(1).max(4).default(2).describe('photons (challenge baseline: 2)'),
  inputModes: z
    .array(z.number().int().min(0))
    .nullable()
    .default(null)
    .describe('modes the photons enter (null: evenly spread)'),
  phaseScale: z
    .number()
    .positive()
    .default(Math.PI)
    .describe(
      'pixel x on a mesh cell: internal phase a = phaseScale·x (θ = π/2 − a/2) or external φ = phaseScale·x',
    ),
  shots: z
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe('detection events per image for the sampled features'),
  rffScale: z
    .number()
    .positive()
    .default(1)
    .describe('random Fourier features cos(w·x + b), w ~ N(0, (rffScale·π)²/E‖x‖²)'),
  classifier: z
    .strictObject({
      epochs: z.number().int().min(1).default(15),
      batchSize: z.number().int().min(8).default(100),
      lr: z.number().positive().default(5e-3),
    })
    .default({ epochs: 15, batchSize: 100, lr: 5e-3 }),
  seeds: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe('seeds (classifier init, batch order, random features)'),
  margin: z
    .number()
    .min(0)
    .default(0.01)
    .describe('accuracy gain (fraction) that would count as a clear advantage, on top of 2 paired s.e.'),
});

/** Config of quantum/notton2025. */
export type Notton2025Config = z.infer<typeof config>;

const MODELS = {
  pixels: 'linear(784 pixels)',
  pixelsBs: 'linear(784 + boson sampler, exact)',
  pixelsBsShots: 'linear(784 + boson sampler, shots)',
  pixelsDist: 'linear(784 + distinguishable photons, same interferometer)',
  pixelsRff: 'linear(784 + random Fourier features)',
  bsOnly: 'linear(boson sampler only)',
  distOnly: 'linear(distinguishable photons only)',
  rffOnly: 'linear(random Fourier features only)',
} as const;
type ModelKey = keyof typeof MODELS;

/** Evenly spread input modes of n photons in m modes. */
export function spreadModes(m: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor((m * (2 * i + 1)) / (2 * n)));
}

/**
 * Mesh phases for one image, pixel i on phase slot i. The challenge's mesh cells are BS·PS(a)·BS·PS(b) with
 * fixed 50:50 splitters; in the (θ, φ) MZI form used here that cell is θ = π/2 − a/2, φ = b, so a pixel on a
 * θ slot gives θ = π/2 − scale·x/2 (a blank pixel makes the cell a full crossing, as in Perceval) and a pixel
 * on a φ slot gives φ = scale·x. Slots past the last pixel are crossings with zero phase.
 */
export function imagePhases(pixels: ArrayLike<number>, m: number, scale: number): Float64Array {
  const phases = new Float64Array(meshPhaseCount(m));
  const mzi = (m * (m - 1)) / 2;
  for (let i = 0; i < phases.length; i++) {
    const x = i < pixels.length ? pixels[i]! : 0;
    phases[i] = i < 2 * mzi && i % 2 === 0 ? Math.PI / 2 - (scale * x) / 2 : scale * x;
  }
  return phases;
}

/** Photonic feature blocks of every image: exact, sampled and distinguishable-photon probabilities. */
export interface PhotonicFeatures {
  /** Collision-free patterns. */
  dim: number;
  exact: Float32Array;
  shots: Float32Array;
  distinguishable: Float32Array;
  /** Mean probability mass of collision-free outcomes (the post-selection rate). */
  collisionFree: number;
  /** Mean total-variation distance between the indistinguishable and distinguishable distributions. */
  tvd: number;
}

/**
 * Boson-sampler embedding (Perceval challenge baseline): the image programs the phases of an m-mode
 * interferometer, n photons enter `inputModes`, and the collision-free output distribution (renormalised
 * to the post-selected events) is the feature vector; also its `shots`-sample estimate and the same
 * distribution for distinguishable photons (classical particles through the same interferometer).
 */
export function photonicFeatures(
  x: Float32Array,
  pixels: number,
  cfg: Pick<Notton2025Config, 'modes' | 'photons' | 'phaseScale' | 'shots'>,
  inputModes: number[],
  rng: Rng,
): PhotonicFeatures {
  const n = x.length / pixels;
  let dim = 0;
  let exact = new Float32Array(0);
  let shots = new Float32Array(0);
  let dist = new Float32Array(0);
  let mass = 0;
  let tvd = 0;
  for (let i = 0; i < n; i++) {
    const u = interferometerUnitary(
      cfg.modes,
      imagePhases(x.subarray(i * pixels, (i + 1) * pixels), cfg.modes, cfg.phaseScale),
    );
    const q = bosonProbabilities(u, inputModes, { collisionFree: true });
    const c = bosonProbabilities(u, inputModes, { collisionFree: true, distinguishable: true });
    if (i === 0) {
      dim = q.probs.length;
      exact = new Float32Array(n * dim);
      shots = new Float32Array(n * dim);
      dist = new Float32Array(n * dim);
    }
    let tq = 0;
    let tc = 0;
    for (let j = 0; j < dim; j++) {
      tq += q.probs[j]!;
      tc += c.probs[j]!;
    }
    mass += tq / n;
    for (let j = 0; j < dim; j++) {
      exact[i * dim + j] = q.probs[j]! / tq;
      dist[i * dim + j] = c.probs[j]! / tc;
      tvd += Math.abs(q.probs[j]! / tq - c.probs[j]! / tc) / (2 * n);
    }
    const s = sampleBosonPatterns(q, cfg.shots, rng.split(`image-${i}`));
    shots.set(Float32Array.from(s.frequencies), i * dim);
  }
  return { dim, exact, shots, distinguishable: dist, collisionFree: mass, tvd };
}

/** Random Fourier features cos(xW + b) `[n, k]` (tfjs matmul; W, b drawn from `rng`). */
export function randomFourierFeatures(
  train: Float32Array,
  test: Float32Array,
  d: number,
  k: number,
  scale: number,
  rng: Rng,
): { train: Float32Array; test: Float32Array } {
  const n = train.length / d;
  let sq = 0;
  for (let i = 0; i < train.length; i++) sq += train[i]! ** 2;
  const sigma = (scale * Math.PI) / Math.sqrt(Math.max(sq / n, 1e-12));
  const w = tf.tensor2d(rng.normals(d * k, 0, sigma), [d, k]);
  const b = tf.tensor1d(rng.uniforms(k, 0, 2 * Math.PI));
  const apply = (x: Float32Array) => {
    const t = tf.tidy(() => tf.cos(tf.add(tf.matMul(tf.tensor2d(x, [x.length / d, d]), w), b)));
    const v = Float32Array.from(t.dataSync());
    t.dispose();
    return v;
  };
  const out = { train: apply(train), test: apply(test) };
  tf.dispose([w, b]);
  return out;
}

function concatRows(a: Float32Array, da: number, b: Float32Array | null, db: number): Float32Array {
  if (!b) return a;
  const n = a.length / da;
  const out = new Float32Array(n * (da + db));
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * da, (i + 1) * da), i * (da + db));
    out.set(b.subarray(i * db, (i + 1) * db), i * (da + db) + da);
  }
  return out;
}

interface Cell {
  [key: string]: number;
  valAcc: number;
  trainAcc: number;
  loss: number;
}

function advantageClaim(out: ExperimentOutput, cfg: Notton2025Config): ClaimResult {
  const s = out.scalars;
  const gap = s.gap_bs_best_classical!;
  const se = s.gap_bs_best_classical_sem!;
  const bar = Math.max(cfg.margin, 2 * se);
  const measured = `linear(784+BS) ${pct(s.acc_pixelsBs)} vs best classical feature set ${pct(s.acc_best_classical)} (pixels ${pct(s.acc_pixels)}, +distinguishable ${pct(s.acc_pixelsDist)}, +random Fourier ${pct(s.acc_pixelsRff)}): gap ${points(gap, se)}`;
  const expected = `boson-sampler features add no more than max(${points(cfg.margin)}, 2 s.e.) over the best classical features (challenge: no advantage observed)`;
  if (s.seeds! < 2 || s.train_size! < 1000)
    return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
  return { verdict: gap <= bar ? 'reproduced' : 'not-reproduced', measured, expected };
}

/** quantum/notton2025: photonic QML baselines from the Perceval challenge (Notton et al. 2025). */
export const notton2025 = defineExperiment({
  id: 'quantum/notton2025',
  paper: {
    title:
      'Establishing Baselines for Photonic Quantum Machine Learning: Insights from an Open, Collaborative Initiative',
    authors:
      'Cassandre Notton, Vassilis Apostolou, Agathe Senellart, Anthony Walsh, Daphne Wang, … , Alexia Salavrakos, Jean Senellart',
    year: 2025,
    url: 'https://arxiv.org/abs/2510.25839',
  },
  summary:
    'The Perceval challenge task (reduced MNIST: 6000 training and 600 validation digits) with its boson-sampler ' +
    'embedding: each image programs the phases of a 30-mode interferometer, 2 photons enter, and the 435 ' +
    'collision-free output probabilities (exact, or estimated from 1000 detection events) are appended to the ' +
    'pixels of a softmax regression. Controls measured in the same run: pixels only, the same interferometer ' +
    'with distinguishable (classical) photons, and 435 random Fourier features, each over several seeds.',
  config,
  presets: {
    smoke: { trainSize: 200, valSize: 100, modes: 10, shots: 100, classifier: { epochs: 2 }, seeds: 1 },
    ci: { trainSize: 1500, valSize: 300, modes: 16, shots: 300, classifier: { epochs: 8 }, seeds: 3 },
    paper: {},
  },
  claims: [
    {
      id: 'bs-no-clear-advantage',
      statement:
        'Boson-sampling features give no clear advantage over classical features for a linear classifier (the challenge finds no quantum advantage)',
      check: (out, cfg) => advantageClaim(out, cfg),
    },
    {
      id: 'bs-informative-but-weaker',
      statement:
        'On their own, the boson-sampling features carry information (well above chance) but classify worse than the raw pixels (the challenge: better than random guessing, no substantial benefit)',
      check: (out) => {
        const s = out.scalars;
        const measured = `linear(BS only) ${pct(s.acc_bsOnly)} vs chance 10% and linear(pixels) ${pct(s.acc_pixels)}`;
        const expected = 'BS-only accuracy > 20% (twice chance) and below the pixel baseline by > 2 s.e.';
        if (s.seeds! < 2 || s.train_size! < 1000)
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        const ok = s.acc_bsOnly! > 0.2 && s.gap_pixels_bsonly! > 2 * s.gap_pixels_bsonly_sem!;
        return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
      },
    },
  ],
  async run(ctx, cfg) {
    const data = await loadIdxImageDataset(ctx.data, 'mnist', {
      trainLimit: cfg.trainSize,
      testLimit: cfg.valSize,
    });
    const train = data.arrays('train');
    const val = data.arrays('test');
    const pixels = 784;
    const inputModes = cfg.inputModes ?? spreadModes(cfg.modes, cfg.photons);
    if (inputModes.length !== cfg.photons || inputModes.some((m) => m >= cfg.modes))
      throw new RangeError(
        `inputModes must list ${cfg.photons} modes in [0, ${cfg.modes - 1}], got [${inputModes}]`,
      );
    const rng = ctx.rng.split('photonic');
    const ft = photonicFeatures(train.x, pixels, cfg, inputModes, rng.split('train'));
    const fv = photonicFeatures(val.x, pixels, cfg, inputModes, rng.split('val'));
    ctx.log.info(
      `boson sampler: ${ft.dim} collision-free patterns, post-selection rate ${ft.collisionFree.toFixed(3)}, TVD to distinguishable photons ${ft.tvd.toFixed(3)}`,
    );
    const k = ft.dim;
    // Appended blocks are standardised with training statistics; pixels stay in [0, 1] for every model.
    const std = (tr: Float32Array, va: Float32Array) => {
      const sc = fitStandardizer(tr, k);
      return { train: applyScaler(sc, tr), val: applyScaler(sc, va) };
    };
    const blocks = {
      bs: std(ft.exact, fv.exact),
      bsShots: std(ft.shots, fv.shots),
      dist: std(ft.distinguishable, fv.distinguishable),
    };
    const yTrain = train.y as Int32Array;
    const yVal = val.y as Int32Array;
    const keys = Object.keys(MODELS) as ModelKey[];
    const results = await runSeedCells<Cell>(
      ctx,
      keys,
      cfg.seeds,
      (key, seed) => {
        let extra: { train: Float32Array; val: Float32Array } | null = null;
        let withPixels = true;
        switch (key as ModelKey) {
          case 'pixels':
            break;
          case 'pixelsBs':
            extra = blocks.bs;
            break;
          case 'pixelsBsShots':
            extra = blocks.bsShots;
            break;
          case 'pixelsDist':
            extra = blocks.dist;
            break;
          case 'bsOnly':
            extra = blocks.bs;
            withPixels = false;
            break;
          case 'distOnly':
            extra = blocks.dist;
            withPixels = false;
            break;
          case 'pixelsRff':
          case 'rffOnly': {
            const r = randomFourierFeatures(
              train.x,
              val.x,
              pixels,
              k,
              cfg.rffScale,
              ctx.rng.split(`rff-${seed}`),
            );
            extra = std(r.train, r.test);
            withPixels = key === 'pixelsRff';
            break;
          }
        }
        const dim = (withPixels ? pixels : 0) + (extra ? k : 0);
        const rows = (px: Float32Array, ex: Float32Array | undefined) =>
          withPixels ? concatRows(px, pixels, ex ?? null, k) : ex!;
        const tr: LabelledRows = { x: rows(train.x, extra?.train), y: yTrain, dim };
        const va: LabelledRows = { x: rows(val.x, extra?.val), y: yVal, dim };
        const model = mlpClassifier(
          dim,
          [],
          10,
          ctx.rng.split(`init-${seed}`),
          `notton-${ctx.runId}-${key}-${seed}`,
        );
        try {
          const loss = fitClassifier(model, tr, {
            ...cfg.classifier,
            rng: ctx.rng.split(`order-${seed}`),
            signal: ctx.signal,
          });
          return { valAcc: accuracyOf(model, va), trainAcc: accuracyOf(model, tr), loss };
        } finally {
          model.dispose();
        }
      },
      (key, seed, r) => `${key} seed ${seed}: ${pct(r.valAcc)}`,
    );

    const acc = (key: ModelKey) => results[key]!.map((c) => c.valAcc);
    const scalars: Record<string, number> = {
      train_size: yTrain.length,
      val_size: yVal.length,
      seeds: cfg.seeds,
      modes: cfg.modes,
      photons: cfg.photons,
      bs_features: k,
      postselection_rate: ft.collisionFree,
      tvd_bs_distinguishable: ft.tvd,
    };
    const rows: Array<Array<string | number>> = [];
    for (const key of keys) {
      const a = meanSem(acc(key));
      scalars[`acc_${key}`] = a.mean;
      scalars[`acc_${key}_sem`] = a.sem;
      scalars[`train_acc_${key}`] = meanSem(results[key]!.map((c) => c.trainAcc)).mean;
      rows.push([MODELS[key], a.mean, a.sem, scalars[`train_acc_${key}`]!]);
    }
    // The best classical feature set (by mean), and the paired BS gain over it.
    const classical: ModelKey[] = ['pixels', 'pixelsDist', 'pixelsRff'];
    const best = classical.reduce((b, c) => (scalars[`acc_${c}`]! > scalars[`acc_${b}`]! ? c : b));
    scalars.acc_best_classical = scalars[`acc_${best}`]!;
    const g = pairedGap(acc('pixelsBs'), acc(best));
    scalars.gap_bs_best_classical = g.mean;
    scalars.gap_bs_best_classical_sem = g.sem;
    const gp = pairedGap(acc('pixelsBs'), acc('pixels'));
    scalars.gap_bs_pixels = gp.mean;
    scalars.gap_bs_pixels_sem = gp.sem;
    const gs = pairedGap(acc('pixelsBsShots'), acc('pixelsBs'));
    scalars.gap_shots_exact = gs.mean;
    scalars.gap_shots_exact_sem = gs.sem;
    const go = pairedGap(acc('pixels'), acc('bsOnly'));
    scalars.gap_pixels_bsonly = go.mean;
    scalars.gap_pixels_bsonly_sem = go.sem;
    return {
      scalars,
      tables: [
        {
          id: 'accuracy',
          title: `Validation accuracy on ${yVal.length} MNIST digits (${yTrain.length} training, ${cfg.photons} photons in ${cfg.modes} modes, ${k} collision-free features, ${cfg.shots} shots, ${cfg.seeds} seeds)`,
          columns: ['features', 'val accuracy', 's.e.', 'train accuracy'],
          rows,
        },
      ],
    };
  },
});
