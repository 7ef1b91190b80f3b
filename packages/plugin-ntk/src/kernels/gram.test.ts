import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as stax from '../stax/index.js';
import { gramInto, jointGramTf, type RowSet, selfDots, symmetricGramInto } from './gram.js';

beforeAll(useWasm);

/** Sequential Float64 dot product: what every entry must equal bit for bit. */
function dot(a: RowSet, i: number, b: RowSet, j: number, c: number): number {
  let s = 0;
  for (let k = 0; k < c; k++)
    s += a.values[a.offset + i * a.stride + k]! * b.values[b.offset + j * b.stride + k]!;
  return s;
}

describe('host Gram (gram.ts)', () => {
  it('every entry is the sequential dot product, for block remainders, strides and layouts', () => {
    const rng = new Rng(1);
    const c = 37;
    const values = rng.normals(50 * 3 * c);
    // Rows of pixel 1 of 50 three-pixel images: stride 3c, offset c.
    const a: RowSet = { values, offset: c, stride: 3 * c, rows: 11 };
    const b: RowSet = { values, offset: 2 * c, stride: 3 * c, rows: 7 };
    const out = new Float64Array(3 + 11 * 20);
    gramInto(a, b, c, c, out, { offset: 3, rowStride: 20, colStride: 2 });
    for (let i = 0; i < 11; i++)
      for (let j = 0; j < 7; j++) expect(out[3 + i * 20 + j * 2]).toBe(dot(a, i, b, j, c) / c);
    const norms = selfDots(a, c, c);
    for (let i = 0; i < 11; i++) expect(norms[i]).toBe(dot(a, i, a, i, c) / c);
  });

  it('the symmetric Gram equals the full one bit for bit and its diagonal equals the self norms', () => {
    const rng = new Rng(2);
    const c = 100;
    const n = 71;
    const a: RowSet = { values: rng.normals(n * c), offset: 0, stride: c, rows: n };
    const full = new Float64Array(n * n);
    const sym = new Float64Array(n * n);
    gramInto(a, a, c, c, full, { offset: 0, rowStride: n, colStride: 1 });
    symmetricGramInto(a, c, c, sym, { offset: 0, rowStride: n, colStride: 1 });
    expect(sym).toEqual(full);
    const norms = selfDots(a, c, c);
    for (let i = 0; i < n; i++) expect(full[i * n + i]).toBe(norms[i]);
  });

  it('stax kernels of a set with itself equal those against an identical copy (C > 64, pooling and not)', () => {
    const rng = new Rng(3);
    const shape = [4, 80];
    const n = 6;
    const values = rng.normals(n * 4 * 80);
    const copy = values.slice();
    const w = { sigmaW2: 2, sigmaB2: 0.1 };
    for (const net of [
      stax.serial(stax.conv(8, [2], w), stax.relu(), stax.globalAvgPool(), stax.dense(1, w)),
      stax.serial(stax.conv(8, [2], w), stax.relu(), stax.flatten(), stax.dense(1, w)),
    ]) {
      const self = stax.kernelFn(net, { values, shape: [n, ...shape] });
      const cross = stax.kernelFn(
        net,
        { values, shape: [n, ...shape] },
        { values: copy, shape: [n, ...shape] },
      );
      expect(cross.ntk).toEqual(self.ntk);
      expect(cross.nngp).toEqual(self.nngp);
    }
  });
});

describe('tfjs joint Gram', () => {
  it('self blocks are the diagonal blocks of the cross Gram; no tensors leak', () => {
    const rng = new Rng(4);
    const before = tf.memory().numTensors;
    const X = rng.normals(3 * 2 * 70);
    const x = tf.tensor3d(X, [3, 2, 70]);
    // y = [x1, −x0]: cross (1, 0) must be selfX[1], cross (0, 1) must be −selfX[0].
    const y = tf.tensor3d([...X.subarray(140, 280), ...X.subarray(0, 140).map((v) => -v)], [2, 2, 70]);
    const g = jointGramTf(x, y, 70);
    const cross = g.cross.arraySync();
    const selfX = g.selfX.arraySync();
    expect(cross[1]![0]).toEqual(selfX[1]);
    expect(cross[0]![1]!.flat()).toEqual(selfX[0]!.flat().map((v) => -v));
    tf.dispose([x, y, g.cross, g.selfX, g.selfY]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
