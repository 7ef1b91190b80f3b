import { Rng } from '@paperlab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { denseSimulate } from '../__tests__/denseReference.js';
import { randomBindings, randomCase, randomCircuit } from '../__tests__/randomCircuit.js';
import { Circuit, type CompiledCircuit, hostAngles } from '../circuits/circuit.js';
import { compileObservables, pauli, Z } from '../circuits/observables.js';
import { adjointVjp } from './gradients.js';
import type { StateVector } from './host.js';
import { applyOpHost, basisState, setHostKernel, simdAvailable, simulateHost } from './host.js';
import { resetSimdKernel, simdModuleBytes } from './simdKernel.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Index of the first amplitude whose float32 bits differ between two states (re, then im), or -1. */
function firstBitDiff(a: StateVector, b: StateVector): number {
  const planes: [Float32Array, Float32Array][] = [
    [a.re, b.re],
    [a.im, b.im],
  ];
  let offset = 0;
  for (const [x, y] of planes) {
    expect(x.length).toBe(y.length);
    const xb = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const yb = new Uint32Array(y.buffer, y.byteOffset, y.length);
    for (let i = 0; i < xb.length; i++) if (xb[i] !== yb[i]) return offset + i;
    offset += x.length;
  }
  return -1;
}

/** SIMD and JS results are bit-identical (signed zeros included); counts the amplitudes compared. */
let compared = 0;
function expectBitIdentical(js: StateVector, simd: StateVector, label: string): void {
  const at = firstBitDiff(js, simd);
  if (at !== -1) {
    const all = [...js.re, ...js.im];
    const got = [...simd.re, ...simd.im];
    expect.fail(
      `${label}: amplitude ${at} differs: JS ${Object.is(all[at], -0) ? '-0' : all[at]} vs SIMD ${Object.is(got[at], -0) ? '-0' : got[at]}`,
    );
  }
  expect(Array.from(simd.re)).toEqual(Array.from(js.re));
  expect(Array.from(simd.im)).toEqual(Array.from(js.im));
  compared += 2 * js.re.length;
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

  it('random circuits: SIMD is bit-identical to the JS path and the dense reference (n = 1…12, batch 1 and 7)', () => {
    for (let n = 1; n <= 12; n++) {
      for (const batch of [1, 7]) {
        const { compiled, angles } = randomCase(n, n <= 8 ? 60 : 30, 300 + n, batch, n + batch);
        const js = run('js', compiled, angles, batch);
        const simd = run(n >= 4 ? 'simd' : 'auto', compiled, angles, batch);
        expectBitIdentical(js, simd, `n=${n} batch=${batch}`);
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
    console.log(`SIMD vs JS bit-identical so far: ${compared} amplitudes`);
  });

  it('low-bit targets, controls above and below, with and without per-example angles, random start states', () => {
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
          expectBitIdentical(js, simd, `n=${n} batch=${batch}`);
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
      expectBitIdentical(js, simd, `fixed n=${n}`);
    }
    console.log(`SIMD vs JS bit-identical so far: ${compared} amplitudes`);
  });

  it('signed zeros: zero angles (identity, diagonal m00 = 1, real matrices) on states with exact ±0 amplitudes', () => {
    for (const n of [4, 5, 9]) {
      const circuit = lowBitCircuit(n);
      const compiled = circuit.compile();
      const batch = 3;
      const { params, inputs } = randomBindings(circuit, batch, n);
      params.fill(0);
      inputs.fill(0);
      for (const ins of [inputs, randomBindings(circuit, batch, n + 1).inputs]) {
        const angles = hostAngles(compiled, params, ins, batch);
        const start = randomState(n, batch, 7 * n);
        // A quarter of the amplitudes +0, a quarter −0 (re and im independently).
        const rng = new Rng(n);
        for (const plane of [start.re, start.im]) {
          for (let i = 0; i < plane.length; i++) {
            const u = rng.uniform();
            if (u < 0.25) plane[i] = 0;
            else if (u < 0.5) plane[i] = -0;
          }
        }
        for (const initial of [start, undefined]) {
          const js = run('js', compiled, angles, batch, initial);
          const simd = run('simd', compiled, angles, batch, initial);
          expectBitIdentical(js, simd, `zeros n=${n}`);
        }
      }
    }
  });

  it('many rows span several cache blocks (batch 300 at n = 8: blocks of 128 rows)', () => {
    const batch = 300;
    const { compiled, angles } = randomCase(8, 40, 5, batch, 9);
    const js = run('js', compiled, angles, batch);
    const simd = run('simd', compiled, angles, batch);
    expectBitIdentical(js, simd, 'batch 300');
  });

  it('single ops on large states (the adjoint sweep) run in SIMD, bit-identical, forward and adjoint, on row ranges', () => {
    for (const n of [10, 11]) {
      const batch = 3;
      const { compiled, angles } = randomCase(n, 24, 700 + n, batch, 7 * n);
      const G = compiled.slots.length;
      for (const mode of ['forward', 'adjoint'] as const) {
        const states = (['js', 'simd'] as const).map((k) => {
          const s = randomState(n, batch, n);
          const previous = setHostKernel(k);
          try {
            for (const op of compiled.ops) applyOpHost(s, op, angles, G, mode, [1, 3]);
          } finally {
            setHostKernel(previous);
          }
          return s;
        });
        expectBitIdentical(states[0]!, states[1]!, `applyOpHost n=${n} ${mode}`);
      }
      // The whole adjoint gradient: values and dL/dθ bit-identical.
      const obs = compileObservables(n, [Z(0), pauli({ 1: 'X', [n - 1]: 'Y' })]);
      const dy = Float64Array.from({ length: batch * 2 }, (_, i) => (i % 3) - 0.5);
      const [js, simd] = (['js', 'simd'] as const).map((k) => {
        const previous = setHostKernel(k);
        try {
          return adjointVjp(compiled, angles, batch, obs, dy);
        } finally {
          setHostKernel(previous);
        }
      });
      expect(Array.from(simd!.values)).toEqual(Array.from(js!.values));
      expect(Array.from(simd!.grad)).toEqual(Array.from(js!.grad));
    }
  });

  it('falls back to the JS path when SIMD is forced off, or WebAssembly is missing', () => {
    const batch = 3;
    const { compiled, angles } = randomCase(6, 40, 21, batch, 2);
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
      // Single ops reach the SIMD kernel from 1024 amplitudes on (so the adjoint-sweep test above uses it).
      const big = randomState(10, 1, 1);
      const op = randomCircuit(10, 4, 3)
        .compile()
        .ops.find((o) => o.kind === 'fixed')!;
      const previous = setHostKernel('simd');
      try {
        expect(() => applyOpHost(big, op, null, 0)).toThrow(/no WebAssembly SIMD/);
        expect(() => applyOpHost(randomState(9, 1, 1), op, null, 0)).not.toThrow();
      } finally {
        setHostKernel(previous);
      }
    } finally {
      globalThis.WebAssembly = wasm;
      resetSimdKernel();
    }
    expect(simdAvailable()).toBe(true);
    const simd = run('auto', compiled, angles, batch);
    expectBitIdentical(js, simd, 'auto');
  });
});
