import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint, Checkpointer } from '../contracts/runContext.js';
import type { JsonValue } from '../contracts/state.js';
import type { LabelledArrays } from '../data/labelledArrays.js';
import { gatherBatch } from '../data/labelledArrays.js';
import { type LayerSpec, Sequential } from '../models/sequential.js';
import { Rng } from '../rng/rng.js';
import { decodeCheckpoint, encodeCheckpoint } from '../runs/checkpointCodec.js';
import { useWasm } from '../testing/backends.js';
import { type BatchSource, fit, type HostFitOptions } from '../train/fit.js';
import { adam, momentumSgd, sgd } from '../train/fitOptimizer.js';
import { softmaxCrossEntropy } from '../train/losses.js';
import { detectPlateau } from '../train/plateau.js';
import { RunInterruptedError } from '../util/errors.js';

/** Three Gaussian blobs in `d` dimensions, linearly separable with margin. */
function blobs(n: number, d: number, rng: Rng): LabelledArrays {
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(3);
    for (let k = 0; k < d; k++) x[i * d + k] = rng.normal(k === y[i] ? 3 : 0, 0.6);
  }
  return { x, y, n, shape: [d], classes: 3 };
}

const MLP: LayerSpec[] = [
  { type: 'dense', units: 16, activation: 'relu' },
  { type: 'dense', units: 3 },
];

async function weights(vars: tf.Variable[]): Promise<Float32Array[]> {
  return Promise.all(vars.map(async (v) => Float32Array.from(await v.data())));
}

/** A checkpointer that round-trips through the binary codec, as the run store does. */
class MemoryCheckpointer implements Checkpointer {
  readonly saved = new Map<string, Uint8Array>();
  constructor(public resuming = false) {}
  async save(key: string, c: Checkpoint): Promise<void> {
    this.saved.set(key, encodeCheckpoint(c));
  }
  async load(key: string): Promise<Checkpoint | undefined> {
    const b = this.saved.get(key);
    return b ? decodeCheckpoint(b) : undefined;
  }
  async cached<T extends JsonValue>(_key: string, compute: () => Promise<T>): Promise<T> {
    return compute();
  }
}

/** The quantum plugin's `fitMinibatches` loop, verbatim in substance: the reference `fit` must match bit for bit. */
function referenceAdamLoop(
  model: Sequential,
  data: LabelledArrays,
  o: { epochs: number; batchSize: number; lr: number; rng: Rng },
): number[] {
  const opt = tf.train.adam(o.lr);
  const vars = model.variables();
  const losses: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = o.rng.split(`epoch-${epoch}`).permutation(data.n);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < data.n; i += o.batchSize) {
      const { x, y } = gatherBatch(data, order.subarray(i, Math.min(data.n, i + o.batchSize)));
      const cost = opt.minimize(
        () => softmaxCrossEntropy(model.forward(x, { training: true }), y),
        true,
        vars,
      );
      sum += cost!.dataSync()[0]!;
      count++;
      tf.dispose([x, y, cost!]);
    }
    losses.push(sum / count);
  }
  opt.dispose();
  return losses;
}

describe('fit', () => {
  beforeAll(useWasm);

  it('trains an MLP to high accuracy on separable blobs, with validation, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const train = blobs(240, 6, new Rng(1));
    const test = blobs(120, 6, new Rng(2));
    const model = Sequential.build(MLP, [6], new Rng(3));
    const rows: number[] = [];
    const r = await fit({
      model,
      data: train,
      validation: test,
      loss: 'softmax-ce',
      optimizer: { type: 'adam', lr: 0.02 },
      epochs: 12,
      batchSize: 32,
      order: new Rng(4),
      onEpoch: (row) => {
        rows.push(row.epoch);
      },
    });
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.history).toHaveLength(12);
    expect(r.steps).toBe(12 * Math.ceil(240 / 32));
    expect(r.history[11]!.accuracy).toBeGreaterThan(0.97);
    expect(r.history[11]!.valAccuracy).toBeGreaterThan(0.95);
    expect(r.loss).toBeLessThan(r.history[0]!.loss / 4);
    expect(r.stopReason).toBe('epochs');
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('two runs with the same seeds give bitwise identical losses and weights', async () => {
    const data = blobs(100, 5, new Rng(10));
    const run = async () => {
      const model = Sequential.build(
        [
          { type: 'dense', units: 12, activation: 'tanh' },
          { type: 'dropout', rate: 0.2 },
          { type: 'dense', units: 3 },
        ],
        [5],
        new Rng(11),
      );
      const r = await fit({
        model,
        data,
        loss: 'softmax-ce',
        optimizer: { type: 'adam', lr: 0.01 },
        epochs: 4,
        batchSize: 16,
        order: new Rng(12),
      });
      const w = await weights(model.variables());
      model.dispose();
      return { losses: r.history.map((h) => h.loss), w };
    };
    const a = await run();
    const b = await run();
    expect(b.losses).toEqual(a.losses);
    expect(b.w).toEqual(a.w);
  });

  it('matches the plugins’ hand-written Adam loop bit for bit (papers can switch without changing numbers)', async () => {
    const data = blobs(90, 4, new Rng(20));
    const a = Sequential.build(MLP, [4], new Rng(21));
    const b = Sequential.build(MLP, [4], new Rng(21));
    const ref = referenceAdamLoop(a, data, { epochs: 3, batchSize: 20, lr: 0.01, rng: new Rng(22) });
    const r = await fit({
      model: b,
      data,
      loss: 'softmax-ce',
      optimizer: { type: 'adam', lr: 0.01 },
      epochs: 3,
      batchSize: 20,
      order: new Rng(22),
    });
    expect(r.history.map((h) => h.loss)).toEqual(ref);
    expect(await weights(b.variables())).toEqual(await weights(a.variables()));
    a.dispose();
    b.dispose();
  });

  it('models given one order Rng see the same batches, whatever else drew from it', async () => {
    const data = blobs(50, 3, new Rng(30));
    const seen = (log: number[][]): BatchSource => ({
      n: data.n,
      batch: (idx) => {
        log.push(Array.from(idx));
        return gatherBatch(data, idx);
      },
    });
    const train = async (order: Rng, spec: LayerSpec[], log: number[][]) => {
      const m = Sequential.build(spec, [3], new Rng(31));
      await fit({
        model: m,
        data: seen(log),
        loss: 'softmax-ce',
        optimizer: { type: 'sgd', lr: 0.1 },
        epochs: 3,
        batchSize: 8,
        order,
      });
      m.dispose();
    };
    const shared = new Rng(32);
    const la: number[][] = [];
    const lb: number[][] = [];
    const lc: number[][] = [];
    await train(shared, MLP, la);
    shared.normals(17); // another consumer advanced the stream
    await train(shared, [{ type: 'dense', units: 3 }], lb);
    await train(new Rng(33), MLP, lc);
    expect(la).toHaveLength(3 * 7);
    expect(lb).toEqual(la);
    expect(lc).not.toEqual(la);
    expect(
      la
        .slice(0, 7)
        .flat()
        .sort((p, q) => p - q),
    ).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('stops early on patience and on a loss plateau, and reports whether training plateaued', async () => {
    const before = tf.memory().numTensors;
    const data = blobs(60, 4, new Rng(40));
    const model = Sequential.build(MLP, [4], new Rng(41));
    const base = { model, data, loss: 'softmax-ce' as const, batchSize: 20, order: new Rng(42) };
    const patient = await fit({
      ...base,
      optimizer: { type: 'sgd', lr: 0.01 },
      epochs: 50,
      earlyStop: { patience: 2, minDelta: 1e9 },
    });
    expect(patient.stopReason).toBe('early-stop');
    expect(patient.epochs).toBe(3);
    expect(patient.best).toEqual({ monitor: 'loss', value: patient.history[0]!.loss, epoch: 1 });
    // A learning rate this small leaves the loss flat: the plateau ends training after window + 1 epochs.
    const flat = await fit({
      ...base,
      optimizer: { type: 'sgd', lr: 1e-7 },
      epochs: 50,
      plateau: { window: 3, stop: true },
    });
    expect(flat.stopReason).toBe('plateau');
    expect(flat.epochs).toBe(4);
    expect(flat.plateaued).toBe(true);
    expect(flat.plateauEpoch).toBe(4);
    // Training that still improves fast has not plateaued.
    const fresh = Sequential.build(MLP, [4], new Rng(43));
    const moving = await fit({ ...base, model: fresh, optimizer: { type: 'adam', lr: 0.01 }, epochs: 5 });
    expect(moving.plateaued).toBe(false);
    expect(moving.plateauEpoch).toBeNull();
    model.dispose();
    fresh.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('detectPlateau judges hand-made curves', () => {
    expect(detectPlateau([1, 0.5, 0.3, 0.2, 0.15]).plateaued).toBe(false);
    const v = detectPlateau([1, 0.5, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2], { window: 3 });
    expect(v).toMatchObject({ plateaued: true, since: 6 });
    expect(v.lastGain).toBe(0);
    expect(detectPlateau([1, 0.5, 0.3, 0.2, 0.199, 0.2, 0.199], { window: 3, relTol: 0.01 }).plateaued).toBe(
      true,
    );
    expect(detectPlateau([1, 0.5, 0.3, 0.2, 0.199, 0.2, 0.199], { window: 3, relTol: 0.001 }).plateaued).toBe(
      false,
    );
    expect(detectPlateau([0.5, 0.5, 0.5]).plateaued).toBe(false); // too short to tell
    expect(detectPlateau([0.5, 0.9, 0.95, 0.95, 0.951, 0.95], { mode: 'max' }).plateaued).toBe(true);
    expect(detectPlateau([1, Number.NaN, 0.5, 0.5, 0.5]).plateaued).toBe(false);
  });

  it('momentum SGD matches a hand-computed update, tf.train.momentum bit for bit, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    // f(w) = ½(w·x − t)² with x = (1, 2), t = 1; w0 = (0.5, −0.25).
    const x = [1, 2];
    const t = 1;
    const lr = 0.1;
    const mu = 0.9;
    let w = [0.5, -0.25];
    let u = [0, 0];
    for (let s = 0; s < 3; s++) {
      const r = w[0]! * x[0]! + w[1]! * x[1]! - t;
      const g = x.map((xi) => r * xi);
      u = u.map((ui, i) => mu * ui + g[i]!);
      w = w.map((wi, i) => wi - lr * u[i]!);
    }
    const wv = tf.tidy(() => tf.variable(tf.tensor1d([0.5, -0.25])));
    const xs = tf.tensor1d(x);
    const opt = momentumSgd(lr, mu);
    for (let s = 0; s < 3; s++) {
      const { value, grads } = tf.variableGrads(
        () => tf.mul(0.5, tf.square(tf.sub(tf.sum(tf.mul(wv, xs)), t))) as tf.Scalar,
        [wv],
      );
      opt.apply([wv], [grads[wv.name]!]);
      tf.dispose([value, grads[wv.name]!]);
    }
    const got = Array.from(await wv.data());
    expect(got[0]).toBeCloseTo(w[0]!, 6);
    expect(got[1]).toBeCloseTo(w[1]!, 6);
    expect(opt.steps).toBe(3);
    const state = await opt.getState();
    expect(Object.keys(state.tensors)).toEqual(['velocity/0']);
    expect(Array.from(state.tensors['velocity/0']!.values)[0]).toBeCloseTo(u[0]!, 6);
    opt.dispose();
    tf.dispose([wv, xs]);
    expect(tf.memory().numTensors).toBe(before);

    // Against tfjs on an MLP, six minibatch steps: identical weights.
    const data = blobs(30, 4, new Rng(50));
    const a = Sequential.build(MLP, [4], new Rng(51));
    const b = Sequential.build(MLP, [4], new Rng(51));
    const beforeRef = tf.memory().numTensors;
    const ref = tf.train.momentum(0.05, 0.9);
    for (let s = 0; s < 6; s++) {
      const { x: bx, y: by } = gatherBatch(
        data,
        Int32Array.from({ length: 10 }, (_, i) => (s % 3) * 10 + i),
      );
      ref.minimize(() => softmaxCrossEntropy(a.forward(bx, { training: true }), by), false, a.variables());
      tf.dispose([bx, by]);
    }
    const r = await fit({
      model: b,
      data,
      loss: 'softmax-ce',
      optimizer: { type: 'momentum', lr: 0.05, momentum: 0.9 },
      epochs: 2,
      batchSize: 10,
      order: 'sequential',
    });
    expect(r.steps).toBe(6);
    expect(await weights(b.variables())).toEqual(await weights(a.variables()));
    ref.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose() leaves its −lr scalar behind (one of the reasons core has its own).
    expect(tf.memory().numTensors - beforeRef).toBe(1);
    a.dispose();
    b.dispose();
  });

  it('full-batch momentum and per-layer SGD match the NTK papers’ hand-written updates bit for bit', async () => {
    const before = tf.memory().numTensors;
    const data = blobs(24, 4, new Rng(60));
    const a = Sequential.build(MLP, [4], new Rng(61));
    const b = Sequential.build(MLP, [4], new Rng(61));
    const x = tf.tensor2d(data.x, [24, 4]);
    const y = tf.tensor1d(data.y, 'int32');
    // sagun2017's heavy-ball loop.
    const vars = a.variables();
    const velocity = vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
    for (let s = 0; s < 5; s++) {
      const { value, grads } = tf.variableGrads(
        () => softmaxCrossEntropy(a.forward(x, { training: true }), y),
        vars,
      );
      tf.tidy(() => {
        vars.forEach((v, i) => {
          velocity[i]!.assign(tf.add(tf.mul(velocity[i]!, 0.9), grads[v.name]!));
          v.assign(tf.sub(v, tf.mul(velocity[i]!, 0.05)));
        });
      });
      tf.dispose([value, ...Object.values(grads)]);
    }
    await fit({
      model: b,
      data,
      loss: 'softmax-ce',
      optimizer: { type: 'momentum', lr: 0.05, momentum: 0.9 },
      epochs: 5,
    });
    expect(await weights(b.variables())).toEqual(await weights(vars));
    // yang2020's per-layer learning rates: w ← w − (lr·scale_i)·g.
    const scale = [2, 2, 0.5, 0.5];
    for (let s = 0; s < 3; s++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => softmaxCrossEntropy(a.forward(x, { training: true }), y),
          vars,
        );
        vars.forEach((v, i) => {
          v.assign(tf.sub(v, tf.mul(0.1 * scale[i]!, grads[v.name]!)));
        });
      });
    }
    await fit({ model: b, data, loss: 'softmax-ce', optimizer: sgdWithScale(scale), epochs: 3 });
    expect(await weights(b.variables())).toEqual(await weights(vars));
    tf.dispose([x, y, ...velocity]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes after k epochs, or after an abort mid-epoch, to bitwise identical weights and history', async () => {
    const before = tf.memory().numTensors;
    const data = blobs(70, 5, new Rng(70));
    const spec: LayerSpec[] = [
      { type: 'dense', units: 10, activation: 'relu' },
      { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 3 },
    ];
    const opts = {
      data,
      loss: 'softmax-ce' as const,
      optimizer: { type: 'adam' as const, lr: 0.02 },
      batchSize: 16,
    };
    // Uninterrupted: 4 epochs.
    const full = Sequential.build(spec, [5], new Rng(71));
    const ref = await fit({ ...opts, model: full, epochs: 4, order: new Rng(72) });
    const want = await weights(full.variables());
    full.dispose();

    /** A fresh model (init from `seed`) resumed from `from` to 4 epochs must end where the full run did. */
    const resumeMatches = async (from: MemoryCheckpointer, seed: number) => {
      from.resuming = true;
      const model = Sequential.build(spec, [5], new Rng(seed));
      const r = await fit({
        ...opts,
        model,
        epochs: 4,
        order: new Rng(72),
        checkpoint: { store: from, key: 'm' },
      });
      expect(r.resumed).toBe(true);
      expect(r.history).toEqual(ref.history);
      expect(await weights(model.variables())).toEqual(want);
      model.dispose();
    };

    // 2 epochs, then a fresh process (new model instance, different init) resumes to 4.
    const store = new MemoryCheckpointer();
    const first = Sequential.build(spec, [5], new Rng(71));
    await fit({ ...opts, model: first, epochs: 2, order: new Rng(72), checkpoint: { store, key: 'm' } });
    first.dispose();
    await resumeMatches(store, 999);

    // Abort in the middle of epoch 3 (the loss function is called once per step), then resume.
    const store2 = new MemoryCheckpointer();
    const ac = new AbortController();
    let calls = 0;
    const abortingLoss = (p: tf.Tensor, t: tf.Tensor) => {
      if (++calls === 2 * 5 + 3) ac.abort();
      return softmaxCrossEntropy(p, t);
    };
    const third = Sequential.build(spec, [5], new Rng(71));
    await expect(
      fit({
        ...opts,
        loss: abortingLoss,
        accuracy: true,
        model: third,
        epochs: 4,
        order: new Rng(72),
        signal: ac.signal,
        checkpoint: { store: store2, key: 'm' },
      }),
    ).rejects.toBeInstanceOf(RunInterruptedError);
    third.dispose();
    const saved = await store2.load('m');
    expect(saved?.step).toBe(13);
    await resumeMatches(store2, 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('records every k-th epoch, reports or throws on divergence, and demands an order for minibatches', async () => {
    const before = tf.memory().numTensors;
    const data = blobs(30, 4, new Rng(80));
    const model = Sequential.build(MLP, [4], new Rng(81));
    const sparse = await fit({
      model,
      data,
      loss: 'softmax-ce',
      optimizer: { type: 'sgd', lr: 0.05 },
      epochs: 10,
      recordEvery: 4,
    });
    expect(sparse.history.map((h) => h.epoch)).toEqual([4, 8, 10]);
    expect(sparse.steps).toBe(10);
    const blowUp = {
      model,
      data,
      loss: 'mse' as const,
      optimizer: { type: 'sgd' as const, lr: 50 },
      epochs: 20,
    };
    const target: LabelledArrays = { ...data };
    const regression = { ...target, y: Float32Array.from(data.y, (v) => v * 100), targetShape: [1] };
    const mseModel = Sequential.build([{ type: 'dense', units: 1 }], [4], new Rng(82));
    const stopped = await fit({
      ...blowUp,
      model: mseModel,
      data: regression,
      divergence: { above: 1e6, action: 'stop' },
    });
    expect(stopped.diverged).toBe(true);
    expect(stopped.stopReason).toBe('diverged');
    expect(stopped.epochs).toBeLessThan(20);
    await expect(fit({ ...blowUp, model: mseModel, data: regression, epochs: 200 })).rejects.toThrow(
      /lower the learning rate/,
    );
    await expect(
      fit({ model, data, loss: 'softmax-ce', optimizer: { type: 'sgd', lr: 0.1 }, epochs: 1, batchSize: 8 }),
    ).rejects.toThrow(/need an order/);
    await expect(
      fit({
        model,
        data: { ...data, n: 31 },
        loss: 'softmax-ce',
        optimizer: { type: 'sgd', lr: 0.1 },
        epochs: 1,
      }),
    ).rejects.toThrow(/fit: training data: x has 120 values, expected n × 4 = 124/);
    await expect(
      fit({
        model,
        data,
        validation: { ...data, classes: 2 },
        loss: 'softmax-ce',
        optimizer: { type: 'sgd', lr: 0.1 },
        epochs: 1,
      }),
    ).rejects.toThrow(/validation data: label 2 of example \d+ is outside \[0, 2\)/);
    model.dispose();
    mseModel.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs host-side steps through the same loop, with stopWhen and resume', async () => {
    // Least squares w·x ≈ y on the host, SGD by hand.
    const n = 40;
    const rng = new Rng(90);
    const xs = Array.from({ length: n }, () => rng.normal());
    const ys = xs.map((v) => 3 * v);
    const make = () => {
      let w = 0;
      return {
        get w() {
          return w;
        },
        step(idx: Int32Array) {
          let g = 0;
          let l = 0;
          for (const i of idx) {
            const r = w * xs[i]! - ys[i]!;
            g += (r * xs[i]!) / idx.length;
            l += (r * r) / idx.length;
          }
          w -= 0.1 * g;
          return l;
        },
        state: {
          getState: () => ({ tensors: {}, json: { w } }),
          setState: (s: { json?: JsonValue }) => {
            w = (s.json as { w: number }).w;
          },
        },
      };
    };
    /** The same host loop (batches of 8, one batch order) for a fresh learner; `extra` adds options. */
    const run = (m: ReturnType<typeof make>, epochs: number, extra: Partial<HostFitOptions> = {}) =>
      fit({ n, step: (i) => m.step(i), epochs, batchSize: 8, order: new Rng(91), ...extra });
    const a = make();
    const ra = await run(a, 20);
    expect(ra.history).toHaveLength(20);
    expect(Math.abs(a.w - 3)).toBeLessThan(1e-3);
    const b = make();
    const rb = await run(b, 50, { stopWhen: (row) => row.loss < 1e-3 });
    expect(rb.stopReason).toBe('stop-when');
    const store = new MemoryCheckpointer();
    const c = make();
    await run(c, 3, { state: c.state, checkpoint: { store, key: 'h' } });
    const d = make();
    await run(d, 20, { state: d.state, checkpoint: { store, key: 'h', resume: true } });
    expect(d.w).toBe(a.w);
  });

  it('Adam state restores exactly into a new optimizer', async () => {
    // tfjs's setWeights recomputes β₂^t with pow(); after 20 or 100 steps that differs from the running
    // product in the last bit, and so do the weights 5 steps later (measured on wasm, tfjs 4.22).
    const before = tf.memory().numTensors;
    for (const k of [20, 100]) {
      const v1 = tf.tidy(() => tf.variable(tf.tensor1d([1, -2, 3])));
      const v2 = tf.tidy(() => tf.variable(tf.tensor1d([1, -2, 3])));
      const o1 = adam(0.01);
      const g = tf.tensor1d([0.3, -0.1, 0.7]);
      for (let s = 0; s < k; s++) o1.apply([v1], [g]);
      const o2 = adam(0.01);
      await o2.setState(await o1.getState());
      tf.tidy(() => v2.assign(v1));
      for (let s = 0; s < 5; s++) {
        o1.apply([v1], [g]);
        o2.apply([v2], [g]);
      }
      expect(o2.steps).toBe(k + 5);
      expect(Array.from(await v2.data())).toEqual(Array.from(await v1.data()));
      o1.dispose();
      o2.dispose();
      tf.dispose([v1, v2, g]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

function sgdWithScale(scale: number[]) {
  return sgd(0.1, { lrScale: scale });
}
