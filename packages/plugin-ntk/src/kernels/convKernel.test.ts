import { Rng } from '@paperlab/core';
import { checkKernelAgreement, useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConvKernelAttrs, convKernelRecursion } from './convKernel.js';
import { fcKernelsHost } from './fcKernel.js';

function inputs(n: number, m: number, s: number, c: number, seed: number) {
  const rng = new Rng(seed);
  const X = rng.normals(n * s * c);
  const Y = rng.normals(m * s * c);
  return () => ({ x: tf.tensor3d(X, [n, s, c]), y: tf.tensor3d(Y, [m, s, c]) });
}

describe('ntk/conv-kernel-recursion', () => {
  beforeAll(useWasm);

  // The spec's own examples (1-D asymmetric padding with erf and flatten; 2-D with GAP and ReLU) plus a
  // 1-D GAP case, on every backend this machine has (the plugin's conformance test runs wasm only).
  const gap1d: ConvKernelAttrs = {
    spatial: [7],
    filter: 3,
    depth: 3,
    sigmaW2: 2,
    sigmaB2: 0.05,
    activation: 'relu',
    readout: 'gap',
  };

  it('typed-array (stax) and WGSL implementations agree with the tfjs reference', async () => {
    const { results, skipped } = await checkKernelAgreement(
      convKernelRecursion,
      [
        { name: '1-D, filter 3, GAP, ReLU', inputs: inputs(4, 3, 7, 2, 0), attrs: gap1d },
        ...convKernelRecursion.examples!(),
      ],
      convKernelRecursion.tolerance,
    );
    if (skipped.length) console.info(`[kernel agreement] skipped: ${skipped.join('; ')}`);
    expect(results.some((r) => r.impl === 'cpu')).toBe(true);
    if (!skipped.some((s) => s.startsWith('webgpu')))
      expect(results.some((r) => r.impl === 'webgpu')).toBe(true);
    for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it('with 1×1 filters it is the fully-connected kernel at every position (flatten readout)', () => {
    const make = inputs(4, 3, 5, 3, 9);
    const { x, y } = make();
    const attrs: ConvKernelAttrs = {
      spatial: [5],
      filter: 1,
      depth: 3,
      sigmaW2: 2,
      sigmaB2: 0.1,
      activation: 'relu',
      readout: 'flatten',
    };
    const out = convKernelRecursion.reference({ x, y }, attrs);
    const v = out.dataSync();
    const X = x.dataSync() as Float32Array;
    const Y = y.dataSync() as Float32Array;
    // Flatten averages the same-pixel kernels: mean over positions p of the FC kernel of x(p), y(p).
    const expected = new Float64Array(2 * 12);
    for (let p = 0; p < 5; p++) {
      const pick = (A: Float32Array, rows: number) =>
        Float64Array.from({ length: rows * 3 }, (_, q) => A[(Math.floor(q / 3) * 5 + p) * 3 + (q % 3)]!);
      const h = fcKernelsHost(pick(X, 4), pick(Y, 3), 3, {
        depth: 4,
        sigmaW2: 2,
        sigmaB2: 0.1,
        activation: 'relu',
      });
      for (let q = 0; q < 12; q++) {
        expected[q]! += h.nngp[q]! / 5;
        expected[12 + q]! += h.ntk[q]! / 5;
      }
    }
    for (let q = 0; q < 24; q++) expect(v[q]).toBeCloseTo(expected[q]!, 4);
    tf.dispose([x, y, out]);
  });
});
