import { Rng } from '@paperlab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { denseSimulate } from '../__tests__/denseReference.js';
import { randomBindings, randomCircuit } from '../__tests__/randomCircuit.js';
import { Circuit, type CompiledCircuit, hostAngles } from '../circuits/circuit.js';
import { basisState, type StateVector, setHostKernel, simdAvailable, simulateHost } from './host.js';
import { resetSimdKernel, simdModuleBytes } from './simdKernel.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A random normalised start state, so that every amplitude is exercised (not only those reachable from |0⟩). */
function randomState(n: number, batch: number, seed: number): StateVector {
  const s = basisState(n, batch);
  const rng = new Rng(seed);
  const D = 2 ** n;
  for (let b = 0; b < batch; b++) {
    let norm = 0;
    for (let i = 0; i < D; i++) {
      s.re[b * D + i] = rng.range(-1, 1);
      s.im[b * D + i] = rng.range(-1, 1);
      norm += s.re[b * D + i]! ** 2 + s.im[b * D + i]! ** 2;
    }
    const k = 1 / Math.sqrt(norm);
    for (let i = 0; i < D; i++) {
      s.re[b * D + i]! *= k;
      s.im[b * D + i]! *= k;
    }
  }
  return s;
}

function run(
  kernel: 'js' | 'simd' | 'auto',
  compiled: CompiledCircuit,
  angles: Float32Array | null,
  batch: number,
  initial?: StateVector,
): StateVector {
  const previous = setHostKernel(kernel);
  try {
    return simulateHost(compiled, angles, batch, initial);
  } finally {
    setHostKernel(previous);
  }
}

/** Controlled gates with controls above and below targets on the lowest bits (tbit 1, 2) and high bits. */
function lowBitCircuit(n: number): Circuit {
  const c = new Circuit(n);
  const last = n - 1; // bit 1
  const second = n - 2; // bit 2
  for (let q = 0; q < n; q++)
    c.h(q)
      .ry(q, c.input(q % 3, 0.7))
      .rz(q, c.param());
  for (const t of [last, second, 0, Math.floor(n / 2)]) {
    for (let ctl = 0; ctl < n; ctl++) {
      if (ctl === t) continue;
      c.cnot(ctl, t)
        .crx(ctl, t, c.param())
        .cry(ctl, t, c.input(ctl % 3))
        .crz(ctl, t, c.param());
      c.cphase(ctl, t, 0.37 * (ctl + 1));
    }
    const others = [...Array(n).keys()].filter((q) => q !== t);
    for (let k = 0; k + 1 < others.length; k += 2) {
      c.toffoli(others[k]!, others[k + 1]!, t);
      c.ry(t, c.param(), { controls: [others[k + 1]!, others[k]!] });
      c.u3(t, c.param(), c.input(1), 0.3);
    }
  }
  c.swap(last, second)
    .swap(0, last)
    .swap(second, 0, { controls: [last] });
  return c;
}

describe('wasm SIMD gate kernel', () => {
  afterEach(() => {
    setHostKernel('auto');
  });

  it('assembles a valid module and is available on this engine', () => {
    expect(WebAssembly.validate(simdModuleBytes())).toBe(true);
    expect(simdAvailable()).toBe(true);
  });

  it('random circuits: SIMD equals the JS path (1e-6) and the dense reference (n = 1…12, batch 1 and 7)', () => {
    let worst = 0;
    for (let n = 1; n <= 12; n++) {
      for (const batch of [1, 7]) {
        const circuit = randomCircuit(n, n <= 8 ? 60 : 30, 300 + n);
        const compiled = circuit.compile();
        const { params, inputs } = randomBindings(circuit, batch, n + batch);
        const angles = hostAngles(compiled, params, inputs, batch);
        const js = run('js', compiled, angles, batch);
        const simd = run(n >= 4 ? 'simd' : 'auto', compiled, angles, batch);
        const d = Math.max(maxDiff(js.re, simd.re), maxDiff(js.im, simd.im));
        worst = Math.max(worst, d);
        expect(d, `n=${n} batch=${batch}`).toBeLessThan(1e-6);
        // Dense 2^n × 2^n unitaries (as the existing tests, n ≤ 10; the costly n = 9, 10 for batch 1 only).
        if (n <= 8 || (n <= 10 && batch === 1)) {
          const D = 2 ** n;
          for (const b of new Set([0, batch - 1])) {
            const [dr, di] = denseSimulate(compiled, angles, b);
            expect(maxDiff(simd.re.subarray(b * D, (b + 1) * D), dr), `dense re n=${n}`).toBeLessThan(1e-5);
            expect(maxDiff(simd.im.subarray(b * D, (b + 1) * D), di), `dense im n=${n}`).toBeLessThan(1e-5);
          }
        }
      }
    }
    console.log(`SIMD vs JS, random circuits: max |Δ| = ${worst.toExponential(2)}`);
  });

  it('low-bit targets, controls above and below, with and without per-example angles, random start states', () => {
    let worst = 0;
    for (const n of [4, 5, 6, 9, 12]) {
      const circuit = lowBitCircuit(n);
      const compiled = circuit.compile();
      for (const batch of [1, 7]) {
        const { params, inputs } = randomBindings(circuit, batch, 17 * n + batch);
        // Per-example angles, and the same angles on every row (inputs constant across the batch).
        const shared = new Float32Array(inputs.length);
        for (let b = 0; b < batch; b++)
          shared.set(inputs.subarray(0, circuit.numInputs), b * circuit.numInputs);
        for (const ins of [inputs, shared]) {
          const angles = hostAngles(compiled, params, ins, batch);
          const start = randomState(n, batch, n * 100 + batch);
          const js = run('js', compiled, angles, batch, start);
          const simd = run('simd', compiled, angles, batch, start);
          const d = Math.max(maxDiff(js.re, simd.re), maxDiff(js.im, simd.im));
          worst = Math.max(worst, d);
          expect(d, `n=${n} batch=${batch}`).toBeLessThan(1e-6);
        }
      }
    }
    // Slot-free circuits (fixed gates only).
    for (const n of [4, 7, 11]) {
      const c = new Circuit(n);
      for (let q = 0; q < n; q++) c.h(q).t(q).sx(q);
      for (let q = 0; q + 1 < n; q++)
        c.cnot(q + 1, q)
          .cz(q, q + 1)
          .cnot(q, q + 1);
      c.toffoli(n - 1, n - 2, 0)
        .toffoli(0, 1, n - 1)
        .toffoli(0, n - 1, n - 2);
      const compiled = c.compile();
      const start = randomState(n, 3, n);
      const js = run('js', compiled, null, 3, start);
      const simd = run('simd', compiled, null, 3, start);
      const d = Math.max(maxDiff(js.re, simd.re), maxDiff(js.im, simd.im));
      worst = Math.max(worst, d);
      expect(d, `fixed n=${n}`).toBeLessThan(1e-6);
    }
    console.log(`SIMD vs JS, low-bit/controlled circuits: max |Δ| = ${worst.toExponential(2)}`);
  });

  it('many rows span several cache blocks (batch 300 at n = 8: blocks of 128 rows)', () => {
    const circuit = randomCircuit(8, 40, 5);
    const compiled = circuit.compile();
    const batch = 300;
    const { params, inputs } = randomBindings(circuit, batch, 9);
    const angles = hostAngles(compiled, params, inputs, batch);
    const js = run('js', compiled, angles, batch);
    const simd = run('simd', compiled, angles, batch);
    expect(Math.max(maxDiff(js.re, simd.re), maxDiff(js.im, simd.im))).toBeLessThan(1e-6);
  });

  it('falls back to the JS path when SIMD is forced off, or WebAssembly is missing', () => {
    const circuit = randomCircuit(6, 40, 21);
    const compiled = circuit.compile();
    const batch = 3;
    const { params, inputs } = randomBindings(circuit, batch, 2);
    const angles = hostAngles(compiled, params, inputs, batch);
    const js = run('js', compiled, angles, batch);
    for (let b = 0; b < batch; b++) {
      const [dr, di] = denseSimulate(compiled, angles, b);
      expect(maxDiff(js.re.subarray(b * 64, (b + 1) * 64), dr)).toBeLessThan(1e-5);
      expect(maxDiff(js.im.subarray(b * 64, (b + 1) * 64), di)).toBeLessThan(1e-5);
    }
    // 'js' bypasses the wasm kernel; without WebAssembly, 'auto' falls back to it and 'simd' refuses.
    const wasm = globalThis.WebAssembly;
    try {
      // biome-ignore lint/suspicious/noExplicitAny: removing the global for the test
      (globalThis as any).WebAssembly = undefined;
      resetSimdKernel();
      expect(simdAvailable()).toBe(false);
      const auto = run('auto', compiled, angles, batch);
      expect(Array.from(auto.re)).toEqual(Array.from(js.re));
      expect(Array.from(auto.im)).toEqual(Array.from(js.im));
      expect(() => run('simd', compiled, angles, batch)).toThrow(/no WebAssembly SIMD/);
    } finally {
      globalThis.WebAssembly = wasm;
      resetSimdKernel();
    }
    expect(simdAvailable()).toBe(true);
    const simd = run('auto', compiled, angles, batch);
    expect(Math.max(maxDiff(js.re, simd.re), maxDiff(js.im, simd.im))).toBeLessThan(1e-6);
  });
});
