import type { Rng } from '@paperlab/core';
import type { LabelledArrays } from '@paperlab/core/data';
import { type FitReport, fit, type Trainee } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { predictProbs } from '../train/evaluate.js';
import { distillationLoss } from './losses.js';

/** Options of {@link trainDistilled}. */
export interface DistillTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Weight α of the hard-label cross-entropy (1 − α on the soft targets). */
  alpha: number;
  /** Softmax temperature T of the soft targets. */
  temperature: number;
  /** Batch order. */
  order: Rng;
  signal?: AbortSignal;
}

/** A teacher's logits on labelled arrays (log-probabilities: the same softmax at every temperature), row-major [n, k]. */
export function teacherLogits(teacher: Trainee, data: LabelledArrays): Float32Array {
  return Float32Array.from(predictProbs(teacher, data), (p) => Math.log(Math.max(p, 1e-12)));
}

/**
 * Trains `student` with Adam on α·CE(labels) + (1 − α)·T²·KL(teacher_T ‖ student_T) (Hinton et al. 2015), the
 * teacher's logits given per example; α = 1 is plain cross-entropy training.
 */
export function trainDistilled(
  student: Trainee,
  data: LabelledArrays,
  teacher: Float32Array,
  o: DistillTrainOptions,
): Promise<FitReport> {
  const k = data.classes;
  const y = new Float32Array(data.n * 2 * k);
  for (let i = 0; i < data.n; i++) {
    y[i * 2 * k + data.y[i]!] = 1;
    y.set(teacher.subarray(i * k, (i + 1) * k), i * 2 * k + k);
  }
  return fit({
    model: student,
    data: { x: data.x, y, n: data.n, shape: data.shape, targetShape: [2 * k] },
    loss: (pred, target) =>
      tf.tidy(() =>
        distillationLoss(pred, tf.slice(target, [0, 0], [-1, k]), tf.slice(target, [0, k], [-1, k]), {
          alpha: o.alpha,
          temperature: o.temperature,
        }),
      ),
    optimizer: { type: 'adam', lr: o.lr },
    epochs: o.epochs,
    batchSize: o.batchSize,
    order: o.order,
    signal: o.signal,
    recordEvery: o.epochs,
    accuracy: false,
  });
}
