import { type Rng, throwIfAborted } from '@paperlab/core';
import { type Model, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** Images (or any inputs) with integer labels, row-major `[n, ...shape]`. */
export interface LabelledImages {
  x: Float32Array;
  y: Int32Array;
  /** Shape of one example (e.g. [14, 14, 1]). */
  shape: number[];
}

/** A differentiable classifier: logits `[batch, classes]` for inputs `[batch, ...shape]`. */
export type LogitsFn = (x: tf.Tensor) => tf.Tensor;

/** The logits function of a {@link Model} in evaluation mode. */
export function logitsOf(model: Model): LogitsFn {
  return (x) => model.forward(x, { training: false });
}

/** ∇ₓ of the mean cross-entropy (the white-box attack direction). */
export function inputGradient(f: LogitsFn, x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.grad((xx: tf.Tensor) => softmaxCrossEntropy(f(xx), y))(x));
}

/** Options of an L∞ attack. */
export interface LinfAttack {
  /** Perturbation budget ε (‖δ‖∞ ≤ ε). */
  eps: number;
  /** Valid input range (default [0, 1], pixels). */
  clip?: [number, number];
}

/** Fast gradient sign method (Goodfellow et al. 2015): x + ε·sign(∇ₓ loss), clipped. */
export function fgsm(f: LogitsFn, x: tf.Tensor, y: tf.Tensor, o: LinfAttack): tf.Tensor {
  const [lo, hi] = o.clip ?? [0, 1];
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(o.eps, tf.sign(inputGradient(f, x, y)))), lo, hi));
}

/** Options of {@link pgd}. */
export interface PgdOptions extends LinfAttack {
  /** Gradient steps. */
  steps: number;
  /** Step size α (default 2.5·ε/steps, Madry et al. 2018). */
  stepSize?: number;
  /** Start from a uniform point in the ε-ball drawn from this generator (default: start at x). */
  rng?: Rng;
  /** Continue from this point instead (a previous PGD iterate inside the ball; not disposed). */
  start?: tf.Tensor;
}

/** Projected gradient descent on the cross-entropy within the L∞ ε-ball (Madry et al. 2018). */
export function pgd(f: LogitsFn, x: tf.Tensor, y: tf.Tensor, o: PgdOptions): tf.Tensor {
  const [lo, hi] = o.clip ?? [0, 1];
  const alpha = o.stepSize ?? (2.5 * o.eps) / Math.max(o.steps, 1);
  let adv = o.start
    ? tf.clone(o.start)
    : o.rng
      ? tf.tidy(() =>
          tf.clipByValue(tf.add(x, tf.tensor(o.rng!.uniforms(x.size, -o.eps, o.eps), x.shape)), lo, hi),
        )
      : tf.clone(x);
  for (let s = 0; s < o.steps; s++) {
    const next = tf.tidy(() => {
      const stepped = tf.add(adv, tf.mul(alpha, tf.sign(inputGradient(f, adv, y))));
      const projected = tf.minimum(tf.maximum(stepped, tf.sub(x, o.eps)), tf.add(x, o.eps));
      return tf.clipByValue(projected, lo, hi);
    });
    adv.dispose();
    adv = next;
  }
  return adv;
}

/** FGSM on `f` as an {@link Attack}. */
export function fgsmOn(f: LogitsFn, o: LinfAttack): Attack {
  return (x, y) => fgsm(f, x, y, o);
}

/** PGD on `f` as an {@link Attack} (one random-start generator for every batch). */
export function pgdOn(f: LogitsFn, o: PgdOptions): Attack {
  return (x, y) => pgd(f, x, y, o);
}

/** Robust accuracy and attack success rate after each listed number of PGD steps. */
export interface PgdCurve {
  /** Clean accuracy on the attacked examples. */
  clean: number;
  /** The step counts evaluated. */
  steps: number[];
  /** Robust accuracy after each step count. */
  robust: number[];
  /** Attack success rate after each step count. */
  successRate: number[];
}

/**
 * One PGD run of `max(checkpoints)` steps over `data`, evaluated after each checkpoint step count — a
 * PGD-steps sweep for the price of its longest attack (same start and step size for every count).
 */
export function pgdCurve(
  f: LogitsFn,
  data: LabelledImages,
  o: PgdOptions & { checkpoints: number[] },
  options: { batchSize?: number; signal?: AbortSignal } = {},
): PgdCurve {
  const steps = [...new Set(o.checkpoints)].sort((a, b) => a - b);
  const total = steps[steps.length - 1]!;
  const n = data.y.length;
  const bs = options.batchSize ?? 100;
  let clean = 0;
  const robust = steps.map(() => 0);
  const flipped = steps.map(() => 0);
  forEachImageBatch(
    data,
    bs,
    (x, y, i, count) => {
      const labels = data.y.subarray(i, i + count);
      const pc = predictions(f, x);
      for (let k = 0; k < count; k++) if (pc[k] === labels[k]) clean++;
      let done = 0;
      let adv = tf.clone(x);
      steps.forEach((s, si) => {
        const next = pgd(f, x, y, {
          ...o,
          steps: s - done,
          stepSize: o.stepSize ?? (2.5 * o.eps) / total,
          start: done === 0 ? undefined : adv,
          rng: done === 0 ? o.rng : undefined,
        });
        adv.dispose();
        adv = next;
        done = s;
        const pa = predictions(f, adv);
        for (let k = 0; k < count; k++) {
          if (pa[k] === labels[k]) robust[si]!++;
          else if (pc[k] === labels[k]) flipped[si]!++;
        }
      });
      adv.dispose();
    },
    options.signal,
  );
  return {
    clean: clean / n,
    steps,
    robust: robust.map((r) => r / n),
    successRate: flipped.map((fl) => (clean > 0 ? fl / clean : 0)),
  };
}

/** Crafts adversarial inputs for a batch (any attack). */
export type Attack = (x: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/** Batch `idx` of labelled images as tensors. */
export function imageBatch(
  data: LabelledImages,
  start: number,
  count: number,
): { x: tf.Tensor; y: tf.Tensor1D } {
  const d = data.shape.reduce((a, b) => a * b, 1);
  return {
    x: tf.tensor(data.x.subarray(start * d, (start + count) * d), [count, ...data.shape]),
    y: tf.tensor1d(data.y.subarray(start, start + count), 'int32'),
  };
}

/**
 * Calls `visit` on consecutive batches of `data` as tensors (disposed after each call) with the batch's first
 * index and size, checking `signal` before each batch.
 */
function forEachImageBatch(
  data: LabelledImages,
  batchSize: number,
  visit: (x: tf.Tensor, y: tf.Tensor1D, start: number, count: number) => void,
  signal?: AbortSignal,
): void {
  const n = data.y.length;
  for (let i = 0; i < n; i += batchSize) {
    if (signal) throwIfAborted(signal);
    const count = Math.min(batchSize, n - i);
    const { x, y } = imageBatch(data, i, count);
    try {
      visit(x, y, i, count);
    } finally {
      tf.dispose([x, y]);
    }
  }
}

/** Clean and adversarial outcome of one attack on one model. */
export interface AttackResult {
  /** Accuracy on clean inputs. */
  clean: number;
  /** Accuracy on the adversarial inputs (robust accuracy). */
  robust: number;
  /** Attack success rate: fraction of correctly classified inputs that the attack flips. */
  successRate: number;
  /** Mean ‖δ‖∞ actually used (≤ ε). */
  linf: number;
}

function predictions(f: LogitsFn, x: tf.Tensor): Int32Array {
  const p = tf.tidy(() => tf.argMax(f(x), -1));
  const out = p.dataSync() as Int32Array;
  p.dispose();
  return Int32Array.from(out);
}

/**
 * Runs `attack` over `data` in batches and evaluates the `targets` (default: the attacked model) on the
 * result — a transfer attack when the target differs from the model the attack differentiates.
 */
export function evaluateAttack(
  data: LabelledImages,
  attack: Attack,
  targets: LogitsFn[],
  options: { batchSize?: number; signal?: AbortSignal } = {},
): AttackResult[] {
  const n = data.y.length;
  const bs = options.batchSize ?? 100;
  const stats = targets.map(() => ({ clean: 0, robust: 0, flipped: 0 }));
  let linf = 0;
  forEachImageBatch(
    data,
    bs,
    (x, y, i, count) => {
      const adv = attack(x, y);
      const dist = tf.tidy(() =>
        tf.max(
          tf.abs(tf.sub(adv, x)),
          [...Array(x.rank - 1).keys()].map((k) => k + 1),
        ),
      );
      for (const v of dist.dataSync()) linf += v;
      const labels = data.y.subarray(i, i + count);
      targets.forEach((f, t) => {
        const pc = predictions(f, x);
        const pa = predictions(f, adv);
        for (let k = 0; k < count; k++) {
          const ok = pc[k] === labels[k];
          if (ok) stats[t]!.clean++;
          if (pa[k] === labels[k]) stats[t]!.robust++;
          if (ok && pa[k] !== labels[k]) stats[t]!.flipped++;
        }
      });
      tf.dispose([adv, dist]);
    },
    options.signal,
  );
  return stats.map((s) => ({
    clean: s.clean / n,
    robust: s.robust / n,
    successRate: s.clean > 0 ? s.flipped / s.clean : 0,
    linf: linf / n,
  }));
}

/** The white-box outcome of `attack` (crafted on `f`) on `f` itself over `data`. */
export function attackOn(
  f: LogitsFn,
  data: LabelledImages,
  attack: Attack,
  signal?: AbortSignal,
): AttackResult {
  return evaluateAttack(data, attack, [f], signal ? { signal } : {})[0]!;
}

/**
 * Transfer matrix: the attack crafted on each model (`craft(f, i)`, called once per source) evaluated on every
 * model — `[source][target]`, white-box on the diagonal.
 */
export function transferMatrix(
  fs: LogitsFn[],
  data: LabelledImages,
  craft: (f: LogitsFn, i: number) => Attack,
  signal?: AbortSignal,
): AttackResult[][] {
  return fs.map((f, i) => evaluateAttack(data, craft(f, i), fs, signal ? { signal } : {}));
}

/** A budget ε as a scalar-key fragment: 0.1 → `0p1`, 0.05 → `0p05`. */
export function epsKey(eps: number): string {
  return eps.toFixed(3).replace(/0+$/, '').replace('.', 'p');
}

/** Accuracy of a logits function on labelled images (batched, no gradient). */
export function imageAccuracy(f: LogitsFn, data: LabelledImages, batchSize = 250): number {
  const n = data.y.length;
  let correct = 0;
  forEachImageBatch(data, batchSize, (x, _y, i, count) => {
    const p = predictions(f, x);
    for (let k = 0; k < count; k++) if (p[k] === data.y[i + k]) correct++;
  });
  return n ? correct / n : Number.NaN;
}

/** Mean ‖∇ₓ loss‖₁ per example over `data` (tiny values flag gradient masking). */
export function meanGradientNorm(f: LogitsFn, data: LabelledImages, batchSize = 100): number {
  let total = 0;
  forEachImageBatch(data, batchSize, (x, y, _i, count) => {
    // The loss is a batch mean: scale back to per-example gradients.
    const g = tf.tidy(() => tf.mul(tf.sum(tf.abs(inputGradient(f, x, y))), count));
    total += g.dataSync()[0]!;
    g.dispose();
  });
  return total / data.y.length;
}

/** Options of {@link attackProfile}. */
export interface AttackProfileOptions {
  /** Headline L∞ budget of FGSM and of the PGD-steps curve. */
  eps: number;
  /** PGD steps at which the curve is read (its last entry is `pgd_asr`). */
  pgdSteps: number[];
  /** Budgets of the PGD ε sweep, each with `sweepSteps` steps. */
  epsSweep: number[];
  /** PGD steps of the ε sweep. */
  sweepSteps: number;
  /** A generator per attack: `pgd` for the curve, `sweep-<ε>` for the sweep. */
  rngOf(tag: string): Rng;
  /** Aborts the attacks. */
  signal?: AbortSignal;
}

/**
 * Adaptive white-box attacks on one model: FGSM at ε (`fgsm_asr`, `fgsm_robust`), the PGD-steps curve at ε
 * (`pgd<steps>_asr`, `pgd<steps>_robust`, and `pgd_asr` at the most steps) and a PGD ε sweep
 * (`pgd_eps_<ε>_asr`, see {@link epsKey}). ASR: the fraction of correctly classified images the attack flips.
 */
export function attackProfile(
  f: LogitsFn,
  data: LabelledImages,
  o: AttackProfileOptions,
): Record<string, number> {
  const out: Record<string, number> = {};
  const fg = attackOn(f, data, fgsmOn(f, { eps: o.eps }), o.signal);
  [out.fgsm_asr, out.fgsm_robust] = [fg.successRate, fg.robust];
  const pgdO = { eps: o.eps, steps: Math.max(...o.pgdSteps), checkpoints: o.pgdSteps, rng: o.rngOf('pgd') };
  const curve = pgdCurve(f, data, pgdO, { signal: o.signal });
  curve.steps.forEach((st, i) => {
    out[`pgd${st}_asr`] = curve.successRate[i]!;
    out[`pgd${st}_robust`] = curve.robust[i]!;
  });
  out.pgd_asr = curve.successRate[curve.steps.length - 1]!;
  for (const e of o.epsSweep) {
    const sweep = pgdOn(f, { eps: e, steps: o.sweepSteps, rng: o.rngOf(`sweep-${e}`) });
    out[`pgd_eps_${epsKey(e)}_asr`] = attackOn(f, data, sweep, o.signal).successRate;
  }
  return out;
}
