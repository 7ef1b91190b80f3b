import type { RunContext } from '@paperlab/core';
import type { ImageSplits } from '@paperlab/core/data';
import { mean } from '@paperlab/core/kit';
import type { LayerSpec } from '@paperlab/core/train';
import { netCost } from '../../cost/accounting.js';
import { teacherLogits, trainDistilled } from '../../distill/train.js';
import { CompressNet } from '../../nets/compressNet.js';
import { SelectiveSsm } from '../../nets/selectiveSsm.js';
import { mlp, smallCnn, trainClassifier } from '../../nets/zoo.js';
import { accuracyFromProbs, predictProbs } from '../../train/evaluate.js';
import type { Medina2025Config } from './experiment.js';

/** Test accuracy, probabilities and FLOPs of one student of the chain, and of the MLP of matching FLOPs. */
export interface Student {
  [key: string]: number;
  channels: number;
  flops: number;
  acc: number;
  mlpHidden: number;
  mlpFlops: number;
  mlpAcc: number;
}

/** Hidden width of a one-hidden-layer MLP on `inputs` pixels whose FLOPs come closest to `flops`. */
function mlpWidthFor(flops: number, inputs: number, classes: number): number {
  return Math.max(1, Math.round(flops / (2 * (inputs + classes))));
}

/** Trains the teacher, then the chain of S6 students (each distilled from its predecessor) and matching MLPs. */
export async function runSeed(ctx: RunContext, cfg: Medina2025Config, data: ImageSplits, seed: number) {
  const rng = ctx.rng.split(`s${seed}`);
  const classes = data.train.classes;
  const [rows, cols] = data.train.shape as [number, number];
  const specs = smallCnn({ filters: cfg.filters, hidden: cfg.hidden, classes });
  const teacher = CompressNet.build(specs, data.train.shape, rng.split('teacher'), 'teacher');
  const train = { epochs: cfg.studentEpochs, batchSize: cfg.batchSize, lr: cfg.studentLr };
  const kd = { alpha: cfg.alpha, temperature: cfg.temperature, signal: ctx.signal };
  try {
    await trainClassifier(teacher, data.train, {
      ...cfg,
      order: rng.split('order-teacher'),
      signal: ctx.signal,
    });
    const teacherFlops = netCost(specs, data.train.shape).flops;
    let previous = teacherLogits(teacher, data.train);
    const teacherAcc = accuracyFromProbs(predictProbs(teacher, data.test), data.test.y);
    const probs: Float32Array[] = [];
    const students: Student[] = [];
    for (const [i, channels] of cfg.channels.entries()) {
      const size = { channels, state: cfg.state };
      const student = SelectiveSsm.build(data.train.shape, size, classes, rng.split(`student-${i}`));
      const flops = SelectiveSsm.flops(rows, cols, size, classes);
      const mlpHidden = mlpWidthFor(flops, rows * cols, classes);
      const mlpSpecs: LayerSpec[] = [{ type: 'flatten' }, ...mlp([mlpHidden], classes)];
      const baseline = CompressNet.build(mlpSpecs, data.train.shape, rng.split(`mlp-${i}`), 'mlp');
      try {
        const order = rng.split(`order-student-${i}`);
        await trainDistilled(student, data.train, previous, { ...train, ...kd, order });
        await trainDistilled(baseline, data.train, previous, { ...train, ...kd, order });
        const p = predictProbs(student, data.test);
        probs.push(p);
        students.push({
          channels,
          flops,
          acc: accuracyFromProbs(p, data.test.y),
          mlpHidden,
          mlpFlops: netCost(mlpSpecs, data.train.shape).flops,
          mlpAcc: accuracyFromProbs(predictProbs(baseline, data.test), data.test.y),
        });
        previous = teacherLogits(student, data.train);
      } finally {
        student.dispose();
        baseline.dispose();
      }
    }
    const ensemble = probs[0]!.map((_, j) => mean(probs.map((p) => p[j]!)));
    return {
      teacherAcc,
      teacherFlops,
      ensembleAcc: accuracyFromProbs(ensemble, data.test.y),
      ensembleFlops: students.reduce((s, st) => s + st.flops, 0),
      students,
    };
  } finally {
    teacher.dispose();
  }
}
