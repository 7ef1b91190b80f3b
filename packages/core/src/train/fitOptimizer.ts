import * as tf from '@tensorflow/tfjs-core';
import type { JsonValue, StateDict, TensorData } from '../contracts/state.js';
import { runKernel } from '../kernels/kernelSpec.js';
import { optimizerState, restoreOptimizer, tensorData } from '../models/state.js';
import { adamKernel, wasmAdam } from './adamKernel.js';
import type { OptimizerConfig } from './optimizers.js';

/**
 * An optimizer `fit` drives: applies gradients given in the variables' order, and saves/restores its slots
 * under position-based keys (`m/0`, `velocity/3`...), so a checkpoint restores into another model instance.
 */
export interface FitOptimizer {
  /** What it is, e.g. `adam(lr=0.001)`. */
  readonly label: string;
  /** Updates applied so far. */
  readonly steps: number;
  /** One update of `variables` from their gradients (same order, same shapes). */
  apply(variables: readonly tf.Variable[], grads: readonly tf.Tensor[]): void;
  /** Slots and step count, detached from the backend. */
  getState(): Promise<StateDict>;
  /** Restores {@link getState}'s output (slots are created from it if none exist yet). */
  setState(state: StateDict): Promise<void>;
  /** Releases every slot tensor. */
  dispose(): void;
}

/** Options shared by the optimizers. */
export interface OptimizerOptions {
  /** Per-variable learning-rate factors (variable i uses lr·lrScale[i]); e.g. µP's per-layer rates. */
  lrScale?: readonly number[];
}

/** An optimizer by config: the `optimizerSchema` shape (`{ type, lr, momentum, beta1, beta2 }`) plus extras. */
export type OptimizerSpec = Partial<OptimizerConfig> &
  Pick<OptimizerConfig, 'type' | 'lr'> &
  OptimizerOptions & { epsilon?: number; nesterov?: boolean };

/** Slot variables (velocities, moments) with stable keys `<slot>/<i>`. */
class Slots {
  readonly names: string[];
  private vars: Map<string, tf.Variable[]> = new Map();

  constructor(names: string[]) {
    this.names = names;
  }

  get(name: string, variables: readonly tf.Variable[]): tf.Variable[] {
    let vs = this.vars.get(name);
    if (!vs) {
      vs = variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
      this.vars.set(name, vs);
    }
    return vs;
  }

  async state(into: Record<string, TensorData>): Promise<void> {
    for (const [name, vs] of this.vars)
      for (let i = 0; i < vs.length; i++) into[`${name}/${i}`] = await tensorData(vs[i]!);
  }

  restore(tensors: Record<string, TensorData>, label: string): void {
    for (const name of this.names) {
      const saved: TensorData[] = [];
      for (let i = 0; tensors[`${name}/${i}`]; i++) saved.push(tensors[`${name}/${i}`]!);
      if (!saved.length) continue;
      const current = this.vars.get(name);
      if (current && current.length !== saved.length)
        throw new Error(
          `${label}: state has ${saved.length} '${name}' slots, the optimizer has ${current.length}`,
        );
      const next = saved.map((t, i) => {
        const v = current?.[i];
        if (v && t.shape.join(',') !== v.shape.join(','))
          throw new Error(
            `${label}: state slot '${name}/${i}' has shape [${t.shape}], the variable [${v.shape}]`,
          );
        return tf.tidy(() => {
          const value = tf.tensor(t.values, t.shape, t.dtype);
          if (v) {
            v.assign(value);
            return v;
          }
          return tf.variable(value, false);
        });
      });
      this.vars.set(name, next);
    }
  }

  dispose(): void {
    for (const vs of this.vars.values()) tf.dispose(vs);
    this.vars.clear();
  }
}

/** What sets core's optimizers apart; {@link slotOptimizer} adds the step count, checks and checkpointing. */
interface UpdateRule {
  label: string;
  lr: number;
  lrScale: readonly number[] | undefined;
  /** Names of the per-variable slots. */
  slots: string[];
  /** One update of every variable, run inside a tidy; `step[i]` is −lr·lrScale[i]. */
  update(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], step: number[], slots: Slots): void;
  /** State kept beyond the slots (Adam's running products). */
  extra?: {
    save(into: Record<string, TensorData>): Promise<void>;
    load(tensors: Record<string, TensorData>): void;
    dispose(): void;
  };
}

/** An optimizer below its step count, which {@link counted} adds along with the gradient-count check. */
interface OptimizerCore {
  apply(variables: readonly tf.Variable[], grads: readonly tf.Tensor[]): void;
  /** Tensors and JSON fields of the state (`steps` is added). */
  save(): Promise<{ tensors: Record<string, TensorData>; json?: { [key: string]: JsonValue } }>;
  load(state: StateDict): void | Promise<void>;
  dispose(): void;
}

function counted(label: string, core: OptimizerCore): FitOptimizer {
  let steps = 0;
  return {
    label,
    get steps() {
      return steps;
    },
    apply(variables, grads) {
      if (variables.length !== grads.length)
        throw new RangeError(`${label}: ${grads.length} gradients for ${variables.length} variables`);
      core.apply(variables, grads);
      steps++;
    },
    async getState() {
      const s = await core.save();
      return { tensors: s.tensors, json: { ...s.json, steps } };
    },
    async setState(state) {
      await core.load(state);
      const j = state.json as { steps?: unknown } | undefined;
      steps = typeof j?.steps === 'number' ? j.steps : 0;
    },
    dispose: () => core.dispose(),
  };
}

function slotOptimizer(rule: UpdateRule): FitOptimizer {
  const { label, lr, lrScale } = rule;
  const slots = new Slots(rule.slots);
  return counted(label, {
    apply(variables, grads) {
      if (lrScale && lrScale.length !== variables.length)
        throw new RangeError(`lrScale has ${lrScale.length} factors for ${variables.length} variables`);
      const step = variables.map((_, i) => -(lrScale ? lr * lrScale[i]! : lr));
      tf.tidy(() => rule.update(variables, grads, step, slots));
    },
    async save() {
      const tensors: Record<string, TensorData> = {};
      await slots.state(tensors);
      await rule.extra?.save(tensors);
      return { tensors };
    },
    load(state) {
      slots.restore(state.tensors, label);
      rule.extra?.load(state.tensors);
    },
    dispose() {
      slots.dispose();
      rule.extra?.dispose();
    },
  });
}

/**
 * Plain gradient descent `w ← w − lr·g` (as `tf.train.sgd`, bit for bit); no slots.
 */
export function sgd(lr: number, options: OptimizerOptions = {}): FitOptimizer {
  return slotOptimizer({
    label: `sgd(lr=${lr})`,
    lr,
    lrScale: options.lrScale,
    slots: [],
    update(variables, grads, step) {
      // add(mul(−lr, g), w): tfjs's SGD arithmetic, so swapping it in changes no number.
      for (const [i, v] of variables.entries()) v.assign(tf.add(tf.mul(step[i]!, grads[i]!), v));
    },
  });
}

/**
 * Heavy-ball momentum `u ← µ·u + g; w ← w − lr·u` (Nesterov: `w ← w − lr·(g + µ·u)`), the arithmetic of
 * `tf.train.momentum` bit for bit, but leak-free (tfjs's `dispose()` leaves its learning-rate scalar
 * behind and `setWeights` drops the old accumulators undisposed) and checkpointable with stable keys.
 */
export function momentumSgd(
  lr: number,
  momentum: number,
  options: OptimizerOptions & { nesterov?: boolean } = {},
): FitOptimizer {
  return slotOptimizer({
    label: `momentum(lr=${lr}, mu=${momentum}${options.nesterov ? ', nesterov' : ''})`,
    lr,
    lrScale: options.lrScale,
    slots: ['velocity'],
    update(variables, grads, step, slots) {
      const vel = slots.get('velocity', variables);
      variables.forEach((v, i) => {
        const g = grads[i]!;
        const u = vel[i]!;
        const next = tf.add(tf.mul(momentum, u), g);
        const c = step[i]!;
        const w = options.nesterov
          ? tf.add(tf.mul(c, tf.add(g, tf.mul(next, momentum))), v)
          : tf.add(tf.mul(c, next), v);
        u.assign(next);
        v.assign(w);
      });
    },
  });
}

/**
 * Adam (Kingma & Ba), the arithmetic of `tf.train.adam` bit for bit (bias corrections from running products β₁ᵗ,
 * β₂ᵗ rounded to float32 after every step, as tfjs' float32 variables are), but its state — moments and both
 * running products — restores exactly: tfjs recomputes β^t with `pow` on restore, which can differ in the last
 * bit. Each variable's update is one fused pass: SIMD in the backend's memory on wasm ({@link wasmAdam}), the
 * {@link adamKernel} typed-array pass on cpu, its tfjs ops elsewhere — all bitwise equal to the tfjs ops.
 * `epsilon` defaults to the backend's (1e-7 on float32 backends), as tfjs does.
 */
export function adam(
  lr: number,
  options: OptimizerOptions & { beta1?: number; beta2?: number; epsilon?: number } = {},
): FitOptimizer {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  // β₁ᵗ, β₂ᵗ as float32 values (the product of two float32 numbers rounded once, as a float32 `mul`).
  let b1 = Math.fround(beta1);
  let b2 = Math.fround(beta2);
  let kept = false; // whether there are products to save (after a step or a restore), as tfjs' lazily made ones
  const powerData = (p: number): TensorData => ({
    shape: [],
    dtype: 'float32',
    values: Float32Array.of(p),
  });
  return slotOptimizer({
    label: `adam(lr=${lr}, beta1=${beta1}, beta2=${beta2})`,
    lr,
    lrScale: options.lrScale,
    slots: ['m', 'v'],
    update(variables, grads, step, slots) {
      const epsilon = options.epsilon ?? tf.backend().epsilon();
      const m = slots.get('m', variables);
      const s = slots.get('v', variables);
      variables.forEach((x, i) => {
        const inputs = { x, g: grads[i]!, m: m[i]!, v: s[i]! };
        const attrs = { step: step[i]!, beta1, beta2, epsilon, beta1Power: b1, beta2Power: b2 };
        const [x1, m1, v1] = wasmAdam(inputs, attrs) ?? runKernel(adamKernel, inputs, attrs);
        m[i]!.assign(m1!);
        s[i]!.assign(v1!);
        x.assign(x1!);
      });
      b1 = Math.fround(b1 * Math.fround(beta1));
      b2 = Math.fround(b2 * Math.fround(beta2));
      kept = true;
    },
    extra: {
      async save(into) {
        if (!kept) return;
        into.beta1Power = powerData(b1);
        into.beta2Power = powerData(b2);
      },
      load(tensors) {
        const p1 = tensors.beta1Power?.values[0];
        const p2 = tensors.beta2Power?.values[0];
        if (p1 === undefined || p2 === undefined) return;
        b1 = Math.fround(p1);
        b2 = Math.fround(p2);
        kept = true;
      },
      dispose() {
        b1 = Math.fround(beta1);
        b2 = Math.fround(beta2);
        kept = false;
      },
    },
  });
}

/**
 * Adapts a tfjs optimizer (RMSProp, Adagrad, or one configured elsewhere). Its state goes through
 * `optimizerState`/`restoreOptimizer`; keys are the tfjs slot names, which contain variable names, so
 * prefer {@link sgd}, {@link momentumSgd} or {@link adam} where a checkpoint must cross model instances.
 * `owned`: whether `dispose()` disposes the tfjs optimizer.
 */
export function fromTfjsOptimizer(optimizer: tf.Optimizer, owned = false): FitOptimizer {
  return counted(`tfjs:${optimizer.getClassName()}`, {
    apply(variables, grads) {
      const named: Record<string, tf.Tensor> = {};
      variables.forEach((v, i) => {
        named[v.name] = grads[i]!;
      });
      optimizer.applyGradients(named);
    },
    async save() {
      const s = await optimizerState(optimizer);
      return { tensors: s.tensors, json: { order: s.json ?? [] } };
    },
    async load(state) {
      const j = state.json as { order?: string[] } | undefined;
      await restoreOptimizer(optimizer, {
        tensors: state.tensors,
        json: j?.order ?? Object.keys(state.tensors),
      });
    },
    dispose() {
      if (owned) optimizer.dispose();
    },
  });
}

/** Builds an optimizer from a config (`sgd`, `momentum` and `adam` are core's; the rest wrap tfjs's). */
export function createFitOptimizer(spec: OptimizerSpec): FitOptimizer {
  if (!(spec.lr > 0)) throw new RangeError(`optimizer lr must be positive, got ${spec.lr}`);
  const o = spec.lrScale ? { lrScale: spec.lrScale } : {};
  switch (spec.type) {
    case 'sgd':
      return sgd(spec.lr, o);
    case 'momentum':
      return momentumSgd(spec.lr, spec.momentum ?? 0.9, { ...o, nesterov: spec.nesterov ?? false });
    case 'adam':
      return adam(spec.lr, { ...o, beta1: spec.beta1, beta2: spec.beta2, epsilon: spec.epsilon });
    case 'rmsprop':
    case 'adagrad':
      if (spec.lrScale)
        throw new Error(`lrScale is not supported by ${spec.type}; use sgd, momentum or adam`);
      return fromTfjsOptimizer(
        spec.type === 'rmsprop' ? tf.train.rmsprop(spec.lr) : tf.train.adagrad(spec.lr),
        true,
      );
  }
}
