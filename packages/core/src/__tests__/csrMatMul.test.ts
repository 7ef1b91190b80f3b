import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSimdKernels } from '../backends/wasm/simdKernels.js';
import { csrTimesDense, wasmCsrMatMul } from '../kernels/csr.js';
import { Rng } from '../rng/rng.js';
import { useBackend, useWasm } from '../testing/backends.js';

/** A random CSR [rows, m] with about `perRow` entries a row, some rows empty, and x [m, f]. */
function problem(seed: number, rows: number, m: number, f: number, perRow: number) {
  const rng = new Rng(seed);
  const rowPtr = new Int32Array(rows + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < rows; r++) {
    const n = r % 5 === 3 ? 0 : rng.int(2 * perRow + 1);
    for (let k = 0; k < n; k++) {
      cols.push(rng.int(m));
      vals.push(rng.normal());
    }
    rowPtr[r + 1] = cols.length;
  }
  return {
    rowPtr,
    colIdx: Int32Array.from(cols),
    values: Float32Array.from(vals),
    x: rng.normals(m * f),
  };
}

/** The product in double precision, for the tolerance check. */
function exact(p: ReturnType<typeof problem>, rows: number, f: number): Float64Array {
  const out = new Float64Array(rows * f);
  for (let r = 0; r < rows; r++)
    for (let k = p.rowPtr[r]!; k < p.rowPtr[r + 1]!; k++)
      for (let j = 0; j < f; j++) out[r * f + j]! += p.values[k]! * p.x[p.colIdx[k]! * f + j]!;
  return out;
}

function maxRelErr(got: Float32Array, want: Float64Array, scale: number): number {
  expect(got.length).toBe(want.length);
  let e = 0;
  for (let i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i]! - want[i]!) / scale);
  return e;
}

describe('CSR × dense (wasm kernel and host loop)', () => {
  beforeAll(useWasm);

  const shapes = [
    [37, 23, 16, 3],
    [50, 40, 20, 6],
    [31, 9, 4, 2],
    [20, 11, 6, 3],
    [12, 30, 7, 4],
    [9, 5, 1, 3],
    [1, 4, 8, 0],
  ] as const;
  for (const simd of [true, false])
    for (const [rows, m, f, perRow] of shapes)
      it(`${rows}×${m} (≈ ${perRow} a row) · [${m}, ${f}] agrees with a float64 product (${simd ? 'SIMD' : 'typed arrays'})`, async () => {
        const p = problem(rows * 1000 + f, rows, m, f, perRow);
        const want = exact(p, rows, f);
        const scale = Math.max(1, ...want.map(Math.abs));
        const previous = useSimdKernels(simd);
        const before = tf.memory().numTensors;
        try {
          const got = tf.tidy(() => {
            const out = wasmCsrMatMul(
              {
                rowPtr: tf.tensor1d(p.rowPtr, 'int32'),
                colIdx: tf.tensor1d(p.colIdx, 'int32'),
                values: tf.tensor1d(p.values, 'float32'),
              },
              tf.tensor2d(p.x, [m, f]),
            );
            expect(out).not.toBeNull();
            expect(out!.shape).toEqual([rows, f]);
            return out!.dataSync() as Float32Array;
          });
          expect(tf.memory().numTensors).toBe(before);
          expect(maxRelErr(got, want, scale)).toBeLessThan(2e-6);
          if (want.some((w) => w !== 0)) expect(got.some((g) => g !== 0)).toBe(true);
          const host = csrTimesDense(rows, p.rowPtr, p.colIdx, p.values, p.x, f);
          expect(maxRelErr(host, want, scale)).toBeLessThan(2e-6);
        } finally {
          useSimdKernels(previous);
        }
      });

  it('names the expected dtypes when given float indices, and is null off wasm', async () => {
    tf.tidy(() => {
      const a = {
        rowPtr: tf.tensor1d([0, 1]),
        colIdx: tf.tensor1d([0], 'int32'),
        values: tf.tensor1d([1]),
      };
      expect(() => wasmCsrMatMul(a, tf.ones([1, 4]) as tf.Tensor2D)).toThrow(/expected int32 rowPtr/);
    });
    await useBackend('cpu');
    tf.tidy(() => {
      const a = {
        rowPtr: tf.tensor1d([0, 1], 'int32'),
        colIdx: tf.tensor1d([0], 'int32'),
        values: tf.tensor1d([1]),
      };
      expect(wasmCsrMatMul(a, tf.ones([1, 4]) as tf.Tensor2D)).toBeNull();
    });
    await tf.setBackend('wasm');
  });
});
