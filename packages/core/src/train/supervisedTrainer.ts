import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, Split } from '../contracts/dataset.js';
import type { Metric } from '../contracts/metric.js';
import type { Model } from '../contracts/model.js';
import type { RunContext } from '../contracts/runContext.js';
import type { JsonValue } from '../contracts/state.js';
import type { FitOptions, FitResult, Trainer } from '../contracts/trainer.js';
import { optimizerState, restoreOptimizer } from '../models/state.js';
import { throwIfAborted } from '../util/errors.js';
import { yieldToEventLoop } from '../util/yield.js';

interface Cursor {
  epoch: number;
  batch: number;
  lossSum: number;
  lossCount: number;
  history: Array<Record<string, number>>;
}

/** Evaluates metrics of a model on a split (no gradient, batch by batch). */
export async function evaluate(
  model: Model,
  data: Dataset,
  split: Split,
  metrics: Metric[],
  batchSize: number,
  rng: RunContext['rng'],
): Promise<Record<string, number>> {
  for (const m of metrics) m.reset();
  for await (const batch of data.batches(split, { batchSize, rng, shuffle: false })) {
    const pred = model.forward(batch.x, { training: false });
    for (const m of metrics) m.update(pred, batch.y);
    pred.dispose();
    batch.x.dispose();
    batch.y.dispose();
  }
  const out: Record<string, number> = {};
  for (const m of metrics) out[m.name] = m.compute();
  return out;
}

/**
 * Mini-batch trainer: shuffles each epoch with `rng.split('epoch-k')`, checkpoints model, optimizer slots
 * and data cursor (at epoch ends, every `checkpointEvery` steps, and when interrupted), and resumes exactly.
 */
export class SupervisedTrainer implements Trainer {
  async fit(ctx: RunContext, model: Model, data: Dataset, o: FitOptions): Promise<FitResult> {
    const key = o.checkpointKey ?? 'trainer';
    const prefix = o.logPrefix ?? '';
    const vars = model.variables();
    const rng = ctx.rng.split(`fit:${key}`);
    const nTrain = data.size('train');
    const batchesPerEpoch = Math.ceil(nTrain / o.batchSize);
    let cursor: Cursor = { epoch: 0, batch: 0, lossSum: 0, lossCount: 0, history: [] };
    let step = 0;
    let resumed = false;
    if (ctx.checkpoint.resuming) {
      const ck = await ctx.checkpoint.load(key);
      if (ck?.states.model && ck.states.optimizer) {
        model.setState(ck.states.model);
        await restoreOptimizer(o.optimizer, ck.states.optimizer);
        cursor = ck.json as unknown as Cursor;
        step = ck.step;
        resumed = true;
        ctx.log.info(`${key}: resumed at epoch ${cursor.epoch + 1}, batch ${cursor.batch}, step ${step}`);
      }
    }
    const save = async () => {
      await ctx.checkpoint.save(key, {
        step,
        states: { model: await model.getState(), optimizer: await optimizerState(o.optimizer) },
        json: cursor as unknown as JsonValue,
      });
    };
    const evalRng = ctx.rng.split(`eval:${key}`);
    let lastMetrics: Record<string, number> = {};
    for (let epoch = cursor.epoch; epoch < o.epochs; epoch++) {
      const task = ctx.progress.task(`${prefix || 'train '}epoch ${epoch + 1}/${o.epochs}`, batchesPerEpoch);
      if (cursor.batch > 0) task.tick(cursor.batch);
      for await (const batch of data.batches('train', {
        batchSize: o.batchSize,
        rng: rng.split(`epoch-${epoch}`),
        shuffle: true,
        startBatch: cursor.batch,
      })) {
        await yieldToEventLoop();
        if (ctx.signal.aborted) {
          batch.x.dispose();
          batch.y.dispose();
          cursor = { ...cursor, epoch, batch: batch.index };
          await save();
          throwIfAborted(ctx.signal);
        }
        const loss = this.step(model, vars, batch.x, batch.y, o);
        batch.x.dispose();
        batch.y.dispose();
        const value = loss.dataSync()[0]!;
        loss.dispose();
        if (!Number.isFinite(value))
          throw new Error(
            `${key}: loss became ${value} at step ${step} (epoch ${epoch + 1}); lower the learning rate`,
          );
        cursor.lossSum += value * 1;
        cursor.lossCount += 1;
        step++;
        cursor.batch = batch.index + 1;
        task.tick(1, `loss ${value.toFixed(4)}`);
        if (step % 10 === 0) ctx.log.scalars({ [`${prefix}loss`]: value }, step);
        if (o.checkpointEvery && step % o.checkpointEvery === 0) {
          cursor.epoch = epoch;
          await save();
        }
      }
      task.done();
      const row: Record<string, number> = {
        epoch: epoch + 1,
        loss: cursor.lossSum / Math.max(1, cursor.lossCount),
      };
      if (o.metrics?.length && data.size(o.evalSplit ?? 'test') > 0) {
        lastMetrics = await evaluate(
          model,
          data,
          o.evalSplit ?? 'test',
          o.metrics,
          Math.max(o.batchSize, 256),
          evalRng,
        );
        Object.assign(row, lastMetrics);
      }
      ctx.log.scalars(
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [`${prefix}${k === 'loss' ? 'epoch_loss' : k}`, v]),
        ),
        step,
      );
      cursor = { epoch: epoch + 1, batch: 0, lossSum: 0, lossCount: 0, history: [...cursor.history, row] };
      await save();
    }
    const last = cursor.history[cursor.history.length - 1];
    return {
      steps: step,
      epochs: o.epochs,
      loss: last?.loss ?? Number.NaN,
      metrics: lastMetrics,
      history: cursor.history,
      resumed,
    };
  }

  private step(model: Model, vars: tf.Variable[], x: tf.Tensor, y: tf.Tensor, o: FitOptions): tf.Scalar {
    const f = () => o.loss(model.forward(x, { training: true }), y);
    if (!o.clipNorm) return o.optimizer.minimize(f, true, vars)!;
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(f, vars);
      const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
      const scale = tf.minimum(1, tf.div(o.clipNorm!, tf.add(norm, 1e-12)));
      const clipped: Record<string, tf.Tensor> = {};
      for (const [k, g] of Object.entries(grads)) clipped[k] = tf.mul(g, scale);
      o.optimizer.applyGradients(clipped);
      return tf.keep(value);
    });
  }
}
