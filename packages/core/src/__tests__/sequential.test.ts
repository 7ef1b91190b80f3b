import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '../models/sequential.js';
import { Sequential } from '../models/sequential.js';
import { Rng } from '../rng/rng.js';
import { onBackendWithoutLeaks } from '../testing/backends.js';
import { fit } from '../train/fit.js';

const SPEC: LayerSpec[] = [
  { type: 'dense', units: 8, activation: 'relu' },
  { type: 'dense', units: 3 },
];

async function values(model: Sequential): Promise<Float32Array[]> {
  return Promise.all(model.variables().map(async (v) => Float32Array.from(await v.data())));
}

function blobs(n: number, rng: Rng) {
  const x = new Float32Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let k = 0; k < 4; k++) x[i * 4 + k] = rng.normal(k === y[i] ? 2 : 0, 0.5);
  }
  return { x, y, n, shape: [4], classes: 3 };
}

describe('Sequential (every test leak-free)', () => {
  onBackendWithoutLeaks('wasm');

  it('builds two models of one spec and name side by side, trains both, disposes both', async () => {
    const a = Sequential.build(SPEC, [4], new Rng(1));
    const b = Sequential.build(SPEC, [4], new Rng(2));
    expect(a.variables().map((v) => v.name)).not.toEqual(b.variables().map((v) => v.name));
    expect(Object.keys(a.namedVariables())).toEqual(Object.keys(b.namedVariables()));
    expect(Object.keys(a.namedVariables())).toEqual([
      'seq/0-dense/kernel',
      'seq/0-dense/bias',
      'seq/1-dense/kernel',
      'seq/1-dense/bias',
    ]);
    const data = blobs(60, new Rng(3));
    for (const m of [a, b]) {
      const r = await fit({
        model: m,
        data,
        loss: 'softmax-ce',
        optimizer: { type: 'adam', lr: 0.05 },
        epochs: 5,
      });
      expect(r.history[4]!.loss).toBeLessThan(r.history[0]!.loss);
    }
    a.dispose();
    b.dispose();
    // The names are free again, and a third build with the first seed gives the first weights.
    const c = Sequential.build(SPEC, [4], new Rng(1));
    expect(c.paramCount()).toBe(4 * 8 + 8 + 8 * 3 + 3);
    c.dispose();
  });

  it('weights depend on the Rng only, not on how many models were built before', async () => {
    const first = Sequential.build(SPEC, [4], new Rng(7), 'net');
    const others = Array.from({ length: 5 }, (_, i) => Sequential.build(SPEC, [4], new Rng(100 + i), 'net'));
    const again = Sequential.build(SPEC, [4], new Rng(7), 'net');
    expect(await values(again)).toEqual(await values(first));
    for (const m of [first, again, ...others]) m.dispose();
  });

  it('state dicts are keyed by stable names, so a state restores into another instance', async () => {
    const src = Sequential.build(
      [...SPEC.slice(0, 1), { type: 'dropout', rate: 0.5 }, ...SPEC.slice(1)],
      [4],
      new Rng(4),
      'clf',
    );
    await fit({
      model: src,
      data: blobs(30, new Rng(5)),
      loss: 'softmax-ce',
      optimizer: { type: 'sgd', lr: 0.1 },
      epochs: 2,
    });
    const state = await src.getState();
    expect(Object.keys(state.tensors)).toEqual([
      'clf/0-dense/kernel',
      'clf/0-dense/bias',
      'clf/2-dense/kernel',
      'clf/2-dense/bias',
    ]);
    const dst = Sequential.build(
      [...SPEC.slice(0, 1), { type: 'dropout', rate: 0.5 }, ...SPEC.slice(1)],
      [4],
      new Rng(99),
      'clf',
    );
    expect(await values(dst)).not.toEqual(await values(src));
    dst.setState(state);
    expect(await values(dst)).toEqual(await values(src));
    // The dropout stream continues identically in both.
    const x = tf.ones([2, 4]);
    const ya = src.forward(x, { training: true });
    const yb = dst.forward(x, { training: true });
    expect(Array.from(await yb.data())).toEqual(Array.from(await ya.data()));
    tf.dispose([x, ya, yb]);
    src.dispose();
    dst.dispose();
  });
});
