import * as tf from '@tensorflow/tfjs-core';
import type { Checkpointer } from '../contracts/runContext.js';
import type { JsonValue, StateDict } from '../contracts/state.js';
import {
  checkLabelled,
  checkTargets,
  gatherBatch,
  type LabelledArrays,
  type TargetArrays,
} from '../data/labelledArrays.js';
import { assignVariables, variablesState } from '../models/state.js';
import { Rng } from '../rng/rng.js';
import { throwIfAborted } from '../util/errors.js';
import { yieldToEventLoop } from '../util/yield.js';
import {
  createFitOptimizer,
  type FitOptimizer,
  fromTfjsOptimizer,
  type OptimizerSpec,
} from './fitOptimizer.js';
import { hingeLoss, meanSquaredError, sigmoidCrossEntropy, softmaxCrossEntropy } from './losses.js';
import { correctCount } from './metrics.js';
import { detectPlateau, type PlateauOptions } from './plateau.js';

/** Built-in losses by name: softmax / sigmoid cross-entropy on logits, mean squared error, hinge. */
export type LossName = 'softmax-ce' | 'sigmoid-ce' | 'mse' | 'hinge';

/** A batch loss: predictions and targets to a scalar. */
export type LossFn = (pred: tf.Tensor, target: tf.Tensor) => tf.Scalar;

/** What `fit` trains: a forward pass and its variables. Every {@link Model} qualifies. */
export interface Trainee {
  /** Forward pass on a batch. */
  forward(x: tf.Tensor, options: { training: boolean }): tf.Tensor;
  /** The trainable variables, in a stable order. */
  variables(): tf.Variable[];
  /** Saved state (else checkpoints save the variables by position). */
  getState?(): Promise<StateDict>;
  /** Restores {@link getState}'s output. */
  setState?(state: StateDict): void;
}

/** Batches built on demand: `batch(indices)` returns fresh tensors, which `fit` disposes. */
export interface BatchSource {
  /** Number of examples. */
  readonly n: number;
  /** Tensors of the examples at `indices` (e.g. gathered from typed arrays, or augmented). */
  batch(indices: Int32Array): { x: tf.Tensor; y: tf.Tensor };
}

/** Training data: labelled arrays, target arrays, or a batch source. */
export type FitData = LabelledArrays | TargetArrays | BatchSource;

/**
 * Batch order of each epoch: an {@link Rng} (epoch e uses `rng.split('epoch-e').permutation(n)`, so two
 * models given the same Rng see the same batches, whatever else drew from it), `'sequential'`, or a function.
 */
export type BatchOrder = Rng | 'sequential' | ((epoch: number, n: number) => ArrayLike<number>);

/** One recorded epoch. */
export interface FitEpochRow {
  [key: string]: number;
  /** 1-based epoch. */
  epoch: number;
  /** Optimizer steps taken so far. */
  steps: number;
  /** Mean of the epoch's batch losses (full batch: the loss before the epoch's one step). */
  loss: number;
}

/** Values an early stop can watch. */
export type FitMonitor = 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy';

/** Stop when a monitored value has not improved for `patience` recorded epochs. */
export interface EarlyStopOptions {
  /** What to watch (default `valLoss` when validation data is given, else `loss`). */
  monitor?: FitMonitor;
  /** Recorded epochs without improvement before stopping. */
  patience: number;
  /** A change must beat the best by more than this to count as improvement (default 0). */
  minDelta?: number;
}

/** Plateau detection on the training loss (see {@link detectPlateau}); `stop` ends training on a plateau. */
export interface FitPlateauOptions extends Omit<PlateauOptions, 'mode'> {
  /** End training as soon as the loss has plateaued. */
  stop?: boolean;
}

/** Where and how often `fit` checkpoints; it resumes from the checkpoint when the run is resuming. */
export interface FitCheckpointOptions {
  /** The run's checkpointer (`ctx.checkpoint`) or any other. */
  store: Checkpointer;
  /** Key, unique within the run (one per trained model). */
  key: string;
  /** Save every this many epochs (default 1); always on abort and at the end. */
  every?: number;
  /** Resume from a saved checkpoint (default: `store.resuming`). */
  resume?: boolean;
}

/** Options shared by tensor and host training. */
export interface FitCommonOptions {
  /** Epochs (passes over the data; with full batches, gradient steps). */
  epochs: number;
  /** Examples per step (default: all of them, i.e. full-batch gradient descent in stored order). */
  batchSize?: number;
  /** Batch order; required for minibatches. */
  order?: BatchOrder;
  /** Skip the last, smaller batch of each epoch. */
  dropRemainder?: boolean;
  /** Read the loss back and record a row only every this many epochs (and the last); default 1. */
  recordEvery?: number;
  /** Early stop on a monitored value. */
  earlyStop?: EarlyStopOptions;
  /** Plateau detection on the recorded training loss (defaults: window 3, relTol 0.01). */
  plateau?: FitPlateauOptions;
  /** Custom stop criterion, checked after each recorded epoch (e.g. "every margin ≥ 1"). */
  stopWhen?: (row: FitEpochRow) => boolean;
  /** A recorded loss that is non-finite or above `above` diverged: `throw` (default) or `stop` and report. */
  divergence?: { above?: number; action?: 'throw' | 'stop' };
  /** Checked before every step; on abort a checkpoint (if configured) is saved, then the run stops. */
  signal?: AbortSignal;
  /** Called after each recorded epoch (logging, progress). */
  onEpoch?: (row: FitEpochRow) => void | Promise<void>;
  /** Checkpoint/resume. */
  checkpoint?: FitCheckpointOptions;
  /** Names this training in errors (default `fit`). */
  label?: string;
}

/** Gradient training of a tfjs model (or forward function) on typed-array data. */
export interface TensorFitOptions extends FitCommonOptions {
  /** What is trained. */
  model: Trainee;
  /** Training data. */
  data: FitData;
  /** Loss by name or function `(pred, y) => scalar`. */
  loss: LossName | LossFn;
  /**
   * A config (`{ type: 'adam', lr }`, created and disposed by `fit`), a {@link FitOptimizer}, or a tfjs
   * optimizer (both owned by the caller, so training can continue across calls).
   */
  optimizer: OptimizerSpec | FitOptimizer | tf.Optimizer;
  /** Record accuracy (default: on for the classification losses). */
  accuracy?: boolean;
  /** Held-out data scored (loss, accuracy) at every recorded epoch. */
  validation?: FitData;
  /** Batch size of the validation pass (default 1024). */
  evalBatchSize?: number;
  /** Clip gradients to this global norm. */
  clipNorm?: number;
}

/** Training whose step runs outside tfjs (host-side models): `fit` supplies epochs, order, stops, resume. */
export interface HostFitOptions extends FitCommonOptions {
  /** Number of examples. */
  n: number;
  /** One update on the examples at `indices`; returns the batch loss. */
  step(indices: Int32Array, epoch: number): number;
  /** The trained state, for checkpoints. */
  state?: { getState(): StateDict | Promise<StateDict>; setState(state: StateDict): void };
}

/** Options of {@link fit}. */
export type FitLoopOptions = TensorFitOptions | HostFitOptions;

/** Why training ended. */
export type FitStopReason = 'epochs' | 'early-stop' | 'plateau' | 'stop-when' | 'diverged';

/** What {@link fit} returns. */
export interface FitReport {
  /** Recorded epochs: `epoch`, `steps`, `loss` and, where measured, `accuracy`, `valLoss`, `valAccuracy`. */
  history: FitEpochRow[];
  /** Last recorded training loss. */
  loss: number;
  /** Epochs completed. */
  epochs: number;
  /** Optimizer steps taken. */
  steps: number;
  /** Why training ended. */
  stopReason: FitStopReason;
  /** A recorded loss was non-finite or above the divergence bound. */
  diverged: boolean;
  /** The recorded training loss ended on a plateau (see {@link detectPlateau}). */
  plateaued: boolean;
  /** 1-based epoch from which the final plateau holds (null if not plateaued). */
  plateauEpoch: number | null;
  /** Best monitored value of the early stop, and its epoch. */
  best: { monitor: FitMonitor; value: number; epoch: number } | null;
  /** Training continued from a checkpoint. */
  resumed: boolean;
}

const LOSSES: Record<LossName, LossFn> = {
  'softmax-ce': softmaxCrossEntropy,
  'sigmoid-ce': sigmoidCrossEntropy,
  mse: meanSquaredError,
  hinge: hingeLoss,
};

interface StepResult {
  loss: number;
  correct?: number;
}

interface Engine {
  step(indices: Int32Array, epoch: number, record: boolean): StepResult;
  evaluate(): Record<string, number>;
  getState(): Promise<Record<string, StateDict>>;
  setState(states: Record<string, StateDict>): Promise<void>;
  dispose(): void;
}

interface Cursor {
  epoch: number;
  batch: number;
  steps: number;
  lossSum: number;
  batches: number;
  correct: number;
  seen: number;
  history: FitEpochRow[];
  best: number;
  bestEpoch: number;
  wait: number;
  stopReason: FitStopReason | null;
}

function dataSize(data: FitData): number {
  return data.n;
}

/** A batch source over `data`, after checking array sizes (and label range) so errors name the data. */
function sourceOf(data: FitData, what: string): BatchSource {
  if ('batch' in data) return data;
  if (data.y instanceof Int32Array) checkLabelled(data as LabelledArrays, what);
  else checkTargets(data as TargetArrays, what);
  return { n: data.n, batch: (idx) => gatherBatch(data, idx) };
}

function isFitOptimizer(o: TensorFitOptions['optimizer']): o is FitOptimizer {
  return (
    typeof (o as FitOptimizer).apply === 'function' && typeof (o as FitOptimizer).getState === 'function'
  );
}

function tensorEngine(o: TensorFitOptions, fullBatch: boolean): Engine {
  const label = o.label ?? 'fit';
  const model = o.model;
  const vars = model.variables();
  if (!vars.length) throw new Error(`${label}: the model has no variables to train`);
  const lossFn = typeof o.loss === 'function' ? o.loss : LOSSES[o.loss];
  if (!lossFn)
    throw new Error(
      `${label}: unknown loss '${String(o.loss)}' (use ${Object.keys(LOSSES).join(', ')} or a function)`,
    );
  const wantAccuracy =
    o.accuracy ?? (o.loss === 'softmax-ce' || o.loss === 'sigmoid-ce' || o.loss === 'hinge');
  const source = sourceOf(o.data, `${label}: training data`);
  const val = o.validation ? sourceOf(o.validation, `${label}: validation data`) : null;
  let optimizer: FitOptimizer;
  let ownsOptimizer = false;
  if (o.optimizer instanceof tf.Optimizer) optimizer = fromTfjsOptimizer(o.optimizer, false);
  else if (isFitOptimizer(o.optimizer)) optimizer = o.optimizer;
  else {
    optimizer = createFitOptimizer(o.optimizer);
    ownsOptimizer = true;
  }
  let cached: { x: tf.Tensor; y: tf.Tensor } | null = null;
  const named = () => Object.fromEntries(vars.map((v, i) => [`param/${i}`, v]));
  return {
    step(indices, _epoch, record) {
      if (fullBatch && !cached) cached = source.batch(indices);
      const batch = fullBatch && cached ? cached : source.batch(indices);
      // Counted inside the gradient closure, from the same forward pass (no second forward).
      const kept: { correct?: tf.Scalar } = {};
      try {
        const f = () => {
          const pred = model.forward(batch.x, { training: true });
          if (record && wantAccuracy) kept.correct = tf.keep(correctCount(pred, batch.y));
          return lossFn(pred, batch.y);
        };
        const { value, grads } = tf.variableGrads(f, vars);
        let list: tf.Tensor[] = vars.map((v) => {
          const g = grads[v.name];
          if (!g)
            throw new Error(
              `${label}: variable '${v.name}' gets no gradient from the loss; leave it out of variables()`,
            );
          return g;
        });
        if (o.clipNorm) {
          const clip = o.clipNorm;
          const clipped = tf.tidy(() => {
            const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
            const scale = tf.minimum(1, tf.div(clip, tf.add(norm, 1e-12)));
            return list.map((g) => tf.mul(g, scale));
          });
          tf.dispose(list);
          list = clipped;
        }
        try {
          optimizer.apply(vars, list);
        } finally {
          tf.dispose(list);
        }
        const loss = record ? value.dataSync()[0]! : Number.NaN;
        value.dispose();
        const out: StepResult = { loss };
        if (kept.correct) out.correct = kept.correct.dataSync()[0]!;
        return out;
      } finally {
        kept.correct?.dispose();
        if (!fullBatch) tf.dispose([batch.x, batch.y]);
      }
    },
    evaluate() {
      if (!val) return {};
      const bs = o.evalBatchSize ?? 1024;
      let lossSum = 0;
      let correct = 0;
      for (let i = 0; i < val.n; i += bs) {
        const idx = Int32Array.from({ length: Math.min(bs, val.n - i) }, (_, k) => i + k);
        const { x, y } = val.batch(idx);
        const [l, c] = tf.tidy(() => {
          const pred = model.forward(x, { training: false });
          return [lossFn(pred, y), wantAccuracy ? correctCount(pred, y) : tf.scalar(0, 'int32')];
        });
        lossSum += l!.dataSync()[0]! * idx.length;
        correct += c!.dataSync()[0]!;
        tf.dispose([x, y, l!, c!]);
      }
      const out: Record<string, number> = { valLoss: lossSum / val.n };
      if (wantAccuracy) out.valAccuracy = correct / val.n;
      return out;
    },
    async getState() {
      const m = model.getState ? await model.getState() : await variablesState(named());
      return { model: m, optimizer: await optimizer.getState() };
    },
    async setState(states) {
      const m = states.model;
      const opt = states.optimizer;
      if (!m || !opt) throw new Error(`${label}: checkpoint lacks the model or optimizer state`);
      if (model.setState) model.setState(m);
      else assignVariables(named(), m);
      await optimizer.setState(opt);
    },
    dispose() {
      if (cached) tf.dispose([cached.x, cached.y]);
      cached = null;
      if (ownsOptimizer) optimizer.dispose();
    },
  };
}

function hostEngine(o: HostFitOptions): Engine {
  return {
    step: (indices, epoch) => ({ loss: o.step(indices, epoch) }),
    evaluate: () => ({}),
    async getState(): Promise<Record<string, StateDict>> {
      return o.state ? { host: await o.state.getState() } : {};
    },
    async setState(states) {
      if (o.state) {
        const s = states.host;
        if (!s) throw new Error(`${o.label ?? 'fit'}: checkpoint lacks the host state`);
        o.state.setState(s);
      }
    },
    dispose() {},
  };
}

// JSON has no NaN/Infinity: history rows and the early-stop best travel as strings when non-finite.
function toJson(c: Cursor): JsonValue {
  const num = (v: number): JsonValue => (Number.isFinite(v) ? v : String(v));
  return {
    ...c,
    lossSum: num(c.lossSum),
    best: num(c.best),
    history: c.history.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, num(v)]))),
  } as unknown as JsonValue;
}

function fromJson(j: JsonValue): Cursor {
  const c = j as unknown as Cursor & { history: Array<Record<string, number | string>> };
  return {
    ...c,
    lossSum: Number(c.lossSum),
    best: Number(c.best),
    history: c.history.map(
      (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as FitEpochRow,
    ),
  };
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * The training loop every paper shares: epochs of full-batch or minibatch steps on typed-array data, a
 * seeded batch order two models can share, built-in or custom losses, core's leak-free optimizers,
 * early stop / plateau / divergence / custom stops, abort checks, a per-epoch callback, and exact resume
 * from checkpoints (model, optimizer slots, step, order Rng and the epoch cursor). Host-side models pass
 * `step` instead of `model` and get the same loop. Returns the per-epoch history and why training ended.
 */
export async function fit(o: FitLoopOptions): Promise<FitReport> {
  const label = o.label ?? 'fit';
  const host = 'step' in o;
  const n = host ? o.n : dataSize(o.data);
  if (!Number.isInteger(o.epochs) || o.epochs < 0)
    throw new RangeError(`${label}: epochs must be a count, got ${o.epochs}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${label}: no training examples (n = ${n})`);
  const bs = o.batchSize ?? n;
  if (!Number.isInteger(bs) || bs < 1)
    throw new RangeError(`${label}: batchSize must be a positive integer, got ${bs}`);
  const fullBatch = bs >= n;
  if (!fullBatch && o.order === undefined)
    throw new Error(
      `${label}: minibatches (batchSize ${bs} < ${n} examples) need an order: an Rng (share it between models ` +
        `that must see the same batches) or 'sequential'`,
    );
  const perEpoch = fullBatch ? 1 : o.dropRemainder ? Math.floor(n / bs) : Math.ceil(n / bs);
  const recordEvery = o.recordEvery ?? 1;
  if (!Number.isInteger(recordEvery) || recordEvery < 1)
    throw new RangeError(`${label}: recordEvery must be a positive integer, got ${recordEvery}`);
  const hasVal = !host && (o as TensorFitOptions).validation !== undefined;
  const monitor: FitMonitor = o.earlyStop?.monitor ?? (hasVal ? 'valLoss' : 'loss');
  const maximise = monitor === 'accuracy' || monitor === 'valAccuracy';
  const divergeAbove = o.divergence?.above ?? Infinity;
  const everySave = o.checkpoint?.every ?? 1;
  const order = o.order ?? 'sequential';
  const orderOf = (epoch: number): Int32Array => {
    if (fullBatch || order === 'sequential') return identity(n);
    if (order instanceof Rng) return order.split(`epoch-${epoch}`).permutation(n);
    const p = order(epoch, n);
    if (p.length !== n)
      throw new RangeError(`${label}: order(${epoch}) gave ${p.length} indices for ${n} examples`);
    return Int32Array.from(p);
  };

  const engine = host ? hostEngine(o) : tensorEngine(o, fullBatch);
  let cursor: Cursor = {
    epoch: 0,
    batch: 0,
    steps: 0,
    lossSum: 0,
    batches: 0,
    correct: 0,
    seen: 0,
    history: [],
    best: maximise ? -Infinity : Infinity,
    bestEpoch: 0,
    wait: 0,
    stopReason: null,
  };
  let resumed = false;
  const save = async () => {
    const ck = o.checkpoint;
    if (!ck) return;
    await ck.store.save(ck.key, {
      step: cursor.steps,
      states: await engine.getState(),
      ...(order instanceof Rng ? { rng: order.state() } : {}),
      json: toJson(cursor),
    });
  };
  try {
    const ck = o.checkpoint;
    if (ck && (ck.resume ?? ck.store.resuming)) {
      const saved = await ck.store.load(ck.key);
      if (saved?.json) {
        await engine.setState(saved.states);
        cursor = fromJson(saved.json);
        if (order instanceof Rng && saved.rng) order.restore(saved.rng);
        resumed = true;
      }
    }
    for (let epoch = cursor.epoch; epoch < o.epochs && cursor.stopReason === null; epoch++) {
      const record = (epoch + 1) % recordEvery === 0 || epoch === o.epochs - 1;
      const perm = orderOf(epoch);
      for (let b = cursor.batch; b < perEpoch; b++) {
        await yieldToEventLoop();
        if (o.signal?.aborted) {
          cursor.epoch = epoch;
          cursor.batch = b;
          await save();
          throwIfAborted(o.signal);
        }
        const idx = perm.subarray(b * bs, Math.min(n, (b + 1) * bs));
        const r = engine.step(idx, epoch, record);
        cursor.steps++;
        if (record) {
          cursor.lossSum += r.loss;
          cursor.batches++;
          if (r.correct !== undefined) {
            cursor.correct += r.correct;
            cursor.seen += idx.length;
          }
        }
      }
      let row: FitEpochRow | null = null;
      if (record) {
        row = { epoch: epoch + 1, steps: cursor.steps, loss: cursor.lossSum / Math.max(1, cursor.batches) };
        if (cursor.seen) row.accuracy = cursor.correct / cursor.seen;
        Object.assign(row, engine.evaluate());
        cursor.history.push(row);
        if (!Number.isFinite(row.loss) || row.loss > divergeAbove) {
          if ((o.divergence?.action ?? 'throw') === 'throw')
            throw new Error(
              `${label}: the training loss became ${row.loss} at epoch ${epoch + 1}; lower the learning rate ` +
                `(or pass divergence: { action: 'stop' } to record divergence instead)`,
            );
          cursor.stopReason = 'diverged';
        }
        if (cursor.stopReason === null && o.earlyStop) {
          const v = row[monitor];
          if (v === undefined)
            throw new Error(`${label}: earlyStop monitors '${monitor}', which is not recorded`);
          const delta = o.earlyStop.minDelta ?? 0;
          if (maximise ? v > cursor.best + delta : v < cursor.best - delta) {
            cursor.best = v;
            cursor.bestEpoch = epoch + 1;
            cursor.wait = 0;
          } else if (++cursor.wait >= o.earlyStop.patience) cursor.stopReason = 'early-stop';
        }
        if (cursor.stopReason === null && o.plateau?.stop) {
          if (
            detectPlateau(
              cursor.history.map((h) => h.loss),
              o.plateau,
            ).plateaued
          )
            cursor.stopReason = 'plateau';
        }
        if (cursor.stopReason === null && o.stopWhen?.(row)) cursor.stopReason = 'stop-when';
      }
      cursor = { ...cursor, epoch: epoch + 1, batch: 0, lossSum: 0, batches: 0, correct: 0, seen: 0 };
      if (row) await o.onEpoch?.(row);
      if ((epoch + 1) % everySave === 0 || epoch === o.epochs - 1 || cursor.stopReason !== null) await save();
    }
  } finally {
    engine.dispose();
  }
  const losses = cursor.history.map((h) => h.loss);
  const verdict = detectPlateau(losses, o.plateau ?? {});
  const last = cursor.history[cursor.history.length - 1];
  return {
    history: cursor.history,
    loss: last?.loss ?? Number.NaN,
    epochs: cursor.epoch,
    steps: cursor.steps,
    stopReason: cursor.stopReason ?? 'epochs',
    diverged: cursor.stopReason === 'diverged',
    plateaued: verdict.plateaued,
    plateauEpoch: verdict.since === null ? null : cursor.history[verdict.since]!.epoch,
    best: o.earlyStop ? { monitor, value: cursor.best, epoch: cursor.bestEpoch } : null,
    resumed,
  };
}
