import { defineExperiment, type Scalars, scalarKeys, z } from '@paperlab/core';
import {
  claimsFor,
  fmt,
  intervalVerdict,
  mean,
  meanSem,
  pairedGap,
  pct,
  pctPm,
  points,
  table,
  type WithSem,
  withSem,
} from '@paperlab/core/kit';
import {
  CONFIG_LIMITS,
  epochsField,
  lrField,
  seedsField,
  smallCnnConfig,
  trainingConfig,
  widthSchema,
} from '../../config/fields.js';
import { imageDataConfig, SMOKE_IMAGES } from '../../data/images.js';
import { runImageSeeds } from '../../train/cells.js';
import { runSeed, type Student } from './chain.js';

const config = z.strictObject({
  ...imageDataConfig,
  dataset: imageDataConfig.dataset.default('mnist'),
  trainSize: imageDataConfig.trainSize.default(10_000),
  ...smallCnnConfig({ filters: [16, 32], hidden: 64 }),
  ...trainingConfig({ epochs: 16, batchSize: 100, lr: 2e-3 }),
  epochs: epochsField(16).describe('training epochs of the CNN teacher'),
  channels: z
    .array(widthSchema(1))
    .min(1)
    .max(CONFIG_LIMITS.sweep)
    .default([32, 16, 8, 4])
    .describe('channels E of the progressively smaller S6 students (the chain, largest first)'),
  state: widthSchema(1).default(4).describe('state size N of every student'),
  studentEpochs: epochsField(8).describe('training epochs of every student and MLP'),
  studentLr: lrField(3e-3).describe('Adam step of the students and MLPs'),
  alpha: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('weight α of the hard-label loss (1 − α on the soft)'),
  temperature: z.number().min(0.1).max(100).default(4).describe('softmax temperature of the soft targets'),
  seeds: seedsField(3),
});

/** Config of compression/medina2025. */
export type Medina2025Config = z.infer<typeof config>;

type Scalar =
  | 'acc_teacher'
  | 'teacher_acc_min'
  | 'flops_teacher'
  | WithSem<'acc_smallest' | 'ensemble_gap' | 'ssm_vs_mlp_smallest'>
  | 'flops_ratio_smallest'
  | 'acc_ensemble'
  | 'flops_ratio_ensemble'
  | 'seeds';

const claim = claimsFor<Medina2025Config, Scalar>();
const threeSeeds = claim.atLeast('seeds', 3, 'seeds');

const TEACHER_FLOOR =
  'the small CNN teacher on 10,000 pooled images levels off below the 97% floor we had set from the paper’s 98% teacher (first paper run, 8 epochs, seed 0: 96.3%; second, 16 epochs: 96.0–96.7%), so every claim was inconclusive; the floor only asks that the teacher trained, which 96% shows: lowered to 95%';

/** The weakest student’s accuracy at its FLOPs share (preconditions: 3 seeds, a teacher at `teacherMin`). */
function weakStudentClaim(teacherMin: number) {
  return claim.custom({
    id: 'weak-student-accuracy',
    kind: 'paper',
    statement: 'The weakest student keeps 72% accuracy with about 1% of the teacher’s FLOPs',
    source: {
      quote: 'The weak student used only 1% of the teacher’s FLOPs and maintained 72% accuracy',
      where: 'abstract; §4 (MNIST)',
      value: '72% MNIST accuracy at 1% of the teacher’s FLOPs',
      restated:
        'smallest S6 student’s test accuracy ≥ 72% by 2 s.e. (over seeds) at ≤ 2% of the teacher’s FLOPs',
    },
    requires: [threeSeeds, claim.trained('teacher_acc_min', teacherMin, 'the CNN teacher')],
    rule: {
      text: 'FLOPs(smallest)/FLOPs(teacher) ≤ 0.02 (else inconclusive); accuracy − 2 s.e. ≥ 0.72 reproduces, accuracy + 2 s.e. < 0.72 does not',
      params: { maxFlopsRatio: 0.02, min: 0.72, k: 2 },
    },
    check: (s) => {
      const measured = `${pctPm(s.acc_smallest, s.acc_smallest_sem)} at ${pct(s.flops_ratio_smallest, 1)} of the teacher’s FLOPs`;
      if (s.flops_ratio_smallest > 0.02)
        return { verdict: 'inconclusive', measured: `${measured} (too many FLOPs)` };
      return { verdict: intervalVerdict(s.acc_smallest, s.acc_smallest_sem, 0.72, Infinity), measured };
    },
  });
}

/** The students’ ensemble against the teacher (preconditions: 3 seeds, a teacher at `teacherMin`). */
function ensembleClaim(teacherMin: number) {
  return claim.beats({
    id: 'students-approximate-teacher',
    kind: 'paper',
    statement: 'The group of students approximates the teacher’s accuracy with fewer FLOPs',
    source: {
      quote:
        'A set of seven student models as a group retained 63% of the teacher’s FLOPs, approximating the teacher’s performance with 98% accuracy',
      where: 'abstract; §4 (MNIST)',
      value: '98% (teacher 98%) at 63% of the teacher’s FLOPs',
      restated: 'ensemble (mean probabilities) of the chain − teacher test accuracy > −1 point by 2 s.e.',
    },
    requires: [threeSeeds, claim.trained('teacher_acc_min', teacherMin, 'the CNN teacher')],
    gap: 'ensemble_gap',
    sem: 'ensemble_gap_sem',
    margin: -0.01,
    a: 'students’ ensemble',
    b: 'teacher',
    what: 'test accuracy',
    format: points,
    detail: (s) =>
      `${pct(s.acc_ensemble)} vs ${pct(s.acc_teacher)} at ${pct(s.flops_ratio_ensemble, 0)} of the teacher’s FLOPs`,
  });
}

/** Control: the teacher reaches `teacherMin` in every seed. */
function teacherControl(teacherMin: number) {
  return claim.inRange({
    id: 'teacher-trains',
    kind: 'control',
    statement: `Control: the CNN teacher reaches ${pct(teacherMin, 0)} test accuracy in every seed`,
    value: 'teacher_acc_min',
    range: [teacherMin, 1],
    label: 'lowest teacher test accuracy',
  });
}

/** compression/medina2025: Mamba base PKD for efficient knowledge compression. */
export const medina2025 = defineExperiment({
  id: 'compression/medina2025',
  paper: {
    title: 'Mamba base PKD for efficient knowledge compression',
    authors: 'José Medina, Amnir Hadachi, Paul Honeine, Abdelaziz Bensrhair',
    year: 2025,
    url: 'https://arxiv.org/abs/2503.01727',
  },
  summary:
    'A small CNN teacher on 2×2-pooled MNIST is distilled progressively into a chain of ever smaller one-block ' +
    'selective state-space (Mamba S6) students that read the image row by row (E = 32, 16, 8, 4 channels, state ' +
    '4): each student learns from α·hard + (1 − α)·soft targets of its predecessor. The smallest student’s ' +
    'accuracy at its FLOPs share and the students’ ensemble against the teacher are checked; one-hidden-layer MLPs ' +
    'of matching FLOPs, distilled the same way, are the baseline.',
  config,
  presets: {
    smoke: {
      ...SMOKE_IMAGES,
      filters: [4, 8],
      hidden: 16,
      epochs: 2,
      channels: [8, 4],
      studentEpochs: 2,
      batchSize: 50,
      seeds: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.revise(weakStudentClaim(0.97), {
      date: '2026-12-02',
      reason: TEACHER_FLOOR,
      revised: weakStudentClaim(0.95),
    }),
    claim.revise(ensembleClaim(0.97), {
      date: '2026-12-02',
      reason: TEACHER_FLOOR,
      revised: ensembleClaim(0.95),
    }),
    claim.revise(teacherControl(0.97), {
      date: '2026-12-02',
      reason: TEACHER_FLOOR,
      revised: teacherControl(0.95),
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const done = await runImageSeeds(
      ctx,
      cfg,
      (data, seed) => runSeed(ctx, cfg, data, seed),
      (r) => `teacher ${pct(r.teacherAcc)}, students ${r.students.map((s) => pct(s.acc)).join(' → ')}`,
    );
    const res = done.map((d) => d.result);
    const last = (r: (typeof res)[number]) => r.students[r.students.length - 1]!;
    const smallest = meanSem(res.map((r) => last(r).acc));
    const ensemble = pairedGap(
      res.map((r) => r.ensembleAcc),
      res.map((r) => r.teacherAcc),
    );
    const vsMlp = pairedGap(
      res.map((r) => last(r).acc),
      res.map((r) => last(r).mlpAcc),
    );
    const teacherFlops = res[0]!.teacherFlops;
    const scalars: Scalars<Scalar> = {
      acc_teacher: mean(res.map((r) => r.teacherAcc)),
      teacher_acc_min: Math.min(...res.map((r) => r.teacherAcc)),
      flops_teacher: teacherFlops,
      ...withSem('acc_smallest', smallest),
      flops_ratio_smallest: last(res[0]!).flops / teacherFlops,
      acc_ensemble: mean(res.map((r) => r.ensembleAcc)),
      flops_ratio_ensemble: res[0]!.ensembleFlops / teacherFlops,
      ...withSem('ensemble_gap', ensemble),
      ...withSem('ssm_vs_mlp_smallest', vsMlp),
      seeds: cfg.seeds,
    };
    const rows = done.flatMap(({ cell, result }) =>
      result.students.map((st) => ({ seed: cell.seed, ...st, teacher: result.teacherAcc })),
    );
    const at = (i: number, k: keyof Student) => mean(res.map((r) => r.students[i]![k]!));
    return {
      scalars,
      series: { students: rows },
      tables: [
        table(
          'chain',
          'The progressive chain: each S6 student distilled from its predecessor, and a one-hidden-layer MLP of matching FLOPs distilled from the same targets (mean test accuracy over seeds)',
          ['model', 'FLOPs', 'FLOPs ÷ teacher', 'S6 accuracy', 'MLP (hidden)', 'MLP accuracy'],
          [
            ['teacher CNN', teacherFlops, '1', pct(scalars.acc_teacher), '—', '—'],
            ...cfg.channels.map((c, i) => [
              `S6 student E=${c}`,
              Math.round(at(i, 'flops')),
              fmt(at(i, 'flops') / teacherFlops, 3),
              pct(at(i, 'acc')),
              `${at(i, 'mlpHidden')} (${Math.round(at(i, 'mlpFlops'))} FLOPs)`,
              pct(at(i, 'mlpAcc')),
            ]),
            [
              'students’ ensemble',
              res[0]!.ensembleFlops,
              fmt(scalars.flops_ratio_ensemble!, 3),
              pct(scalars.acc_ensemble),
              '—',
              '—',
            ],
          ],
        ),
      ],
    };
  },
});
