import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import { type LayerSpec, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Chain } from './chain.js';

const ENC: LayerSpec[] = [{ type: 'dense', units: 3, activation: 'tanh' }];
const DEC: LayerSpec[] = [{ type: 'dense', units: 4 }];

function chain(seed: number): Chain {
  const rng = new Rng(seed);
  return new Chain([
    Sequential.build(ENC, [4], rng.split('enc'), 'enc'),
    Sequential.build(DEC, [3], rng.split('dec'), 'dec'),
  ]);
}

describe('Chain', () => {
  beforeAll(useWasm);

  it('runs its parts in turn and restores its state into another instance of the same specs', async () => {
    const before = tf.memory().numTensors;
    const a = chain(1);
    const b = chain(2);
    const x = tf.tensor2d([0.5, -1, 2, 0, 1, 1, -0.5, 0.25], [2, 4]);
    const direct = tf.tidy(() =>
      a.parts[1]!.forward(a.parts[0]!.forward(x, { training: false }), { training: false }),
    );
    const ya = a.forward(x, { training: false });
    expect(Array.from(await ya.data())).toEqual(Array.from(await direct.data()));
    expect(a.variables()).toHaveLength(4);
    b.setState(await a.getState());
    const yb = b.forward(x, { training: false });
    expect(Array.from(await yb.data())).toEqual(Array.from(await ya.data()));
    tf.dispose([x, direct, ya, yb]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
