import type { HostTensor, RunKernelOptions, WebGPUKernelContext, WgslProgram } from '@paperlab/core/kernels';
import { defineKernel, runKernel } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { Circuit, type CompiledCircuit, type PrimitiveOp } from '../circuits/circuit.js';
import { wireBit } from '../circuits/observables.js';
import { applyCircuitHost, type StateVector } from './host.js';
import { applyOpTf, type TfState } from './tfSim.js';

/** Inputs of the circuit kernel: stacked state planes `[2, batch, 2^n]` and angles `[batch, max(slots, 1)]`. */
export type CircuitKernelInputs = { state: tf.Tensor3D; angles: tf.Tensor2D };

/** Attributes of the circuit kernel: the compiled circuit (no noise channels). */
export interface CircuitKernelAttrs {
  circuit: CompiledCircuit;
}

/** Threads per workgroup of the WGSL program (WebGPU compatibility mode allows at most 128). */
const WORKGROUP = 128;
/** The WGSL dispatch is one-dimensional: at most 65535 workgroups. */
const MAX_WGSL_ELEMENTS = 65535 * WORKGROUP;

const CMUL = `
  fn cmul(a : vec2<f32>, b : vec2<f32>) -> vec2<f32> {
    return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
  }`;

function matrixCode(kind: Exclude<PrimitiveOp['kind'], 'swap' | 'channel'>): string {
  if (kind === 'fixed') {
    return `
      let m00 = vec2<f32>(uniforms.m00r, uniforms.m00i);
      let m01 = vec2<f32>(uniforms.m01r, uniforms.m01i);
      let m10 = vec2<f32>(uniforms.m10r, uniforms.m10i);
      let m11 = vec2<f32>(uniforms.m11r, uniforms.m11i);`;
  }
  const theta = 'let th = A[b * uniforms.nslots + uniforms.slot];';
  if (kind === 'phase') {
    return `${theta}
      let m00 = vec2<f32>(1.0, 0.0);
      let m01 = vec2<f32>(0.0, 0.0);
      let m10 = vec2<f32>(0.0, 0.0);
      let m11 = vec2<f32>(cos(th), sin(th));`;
  }
  const cs = `${theta}
      let c = cos(0.5 * th);
      let s = sin(0.5 * th);`;
  if (kind === 'rx') {
    return `${cs}
      let m00 = vec2<f32>(c, 0.0);
      let m01 = vec2<f32>(0.0, -s);
      let m10 = vec2<f32>(0.0, -s);
      let m11 = vec2<f32>(c, 0.0);`;
  }
  if (kind === 'ry') {
    return `${cs}
      let m00 = vec2<f32>(c, 0.0);
      let m01 = vec2<f32>(-s, 0.0);
      let m10 = vec2<f32>(s, 0.0);
      let m11 = vec2<f32>(c, 0.0);`;
  }
  return `${cs}
      let m00 = vec2<f32>(c, -s);
      let m01 = vec2<f32>(0.0, 0.0);
      let m10 = vec2<f32>(0.0, 0.0);
      let m11 = vec2<f32>(c, s);`;
}

/** One fused WGSL pass per primitive op: each thread writes one real or imaginary amplitude. */
function wgslProgram(
  op: Exclude<PrimitiveOp, { kind: 'channel' }>,
  n: number,
  batch: number,
  G: number,
): WgslProgram {
  const D = 2 ** n;
  let cmask = 0;
  for (const c of op.controls) cmask |= wireBit(n, c);
  const m = op.kind === 'fixed' ? op.matrix : [0, 0, 0, 0, 0, 0, 0, 0];
  const body =
    op.kind === 'swap'
      ? `
      let xa = (i & uniforms.tbit) != 0;
      let xb = (i & uniforms.tbit2) != 0;
      if (xa != xb) {
        v = S[plane * half + base + (i ^ uniforms.tbit ^ uniforms.tbit2)];
      }`
      : `
      ${matrixCode(op.kind)}
      let i0 = i & ~uniforms.tbit;
      let i1 = i | uniforms.tbit;
      let a0 = vec2<f32>(S[base + i0], S[half + base + i0]);
      let a1 = vec2<f32>(S[base + i1], S[half + base + i1]);
      var o : vec2<f32>;
      if ((i & uniforms.tbit) == 0) {
        o = cmul(m00, a0) + cmul(m01, a1);
      } else {
        o = cmul(m10, a0) + cmul(m11, a1);
      }
      v = select(o.x, o.y, plane == 1);`;
  return {
    key: `quantum_gate_${op.kind}`,
    outputShape: [2, batch, D],
    variableNames: ['S', 'A'],
    workgroupSize: WORKGROUP,
    uniforms:
      'dim : i32, tbit : i32, tbit2 : i32, cmask : i32, nslots : i32, slot : i32, ' +
      'm00r : f32, m00i : f32, m01r : f32, m01i : f32, m10r : f32, m10i : f32, m11r : f32, m11i : f32,',
    uniformData: [
      { type: 'int32', data: [D] },
      { type: 'int32', data: [wireBit(n, op.target)] },
      { type: 'int32', data: [op.kind === 'swap' ? wireBit(n, op.target2) : 0] },
      { type: 'int32', data: [cmask] },
      { type: 'int32', data: [Math.max(G, 1)] },
      { type: 'int32', data: ['slot' in op ? op.slot : 0] },
      ...m.map((v) => ({ type: 'float32' as const, data: [v] })),
    ],
    userCode: `
      ${CMUL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let half = uniforms.size / 2;
          let plane = index / half;
          let r = index - plane * half;
          let b = r / uniforms.dim;
          let i = r - b * uniforms.dim;
          let base = b * uniforms.dim;
          _ = A[0];
          var v = S[index];
          if ((i & uniforms.cmask) == uniforms.cmask) {
            ${body}
          }
          setOutputAtIndex(index, v);
        }
      }`,
  };
}

function checkNoChannels(circuit: CompiledCircuit): void {
  const ch = circuit.ops.find((o) => o.kind === 'channel');
  if (ch) {
    throw new Error(
      `quantum/apply-circuit: the circuit contains the noise channel '${ch.kind === 'channel' ? ch.name : ''}'; ` +
        'use the density-matrix simulator (simulateDensityHost / simulateDensityTf)',
    );
  }
}

/**
 * Batched state-vector simulation of a whole circuit: the state `[2, batch, 2^n]` (real plane, imaginary
 * plane) through every gate, with per-example angles. Reference in tfjs ops (differentiable), an in-place
 * typed-array version for cpu/wasm, and one fused WGSL pass per gate on webgpu.
 */
export const circuitKernel = defineKernel<CircuitKernelInputs, CircuitKernelAttrs, tf.Tensor3D>({
  name: 'quantum/apply-circuit',
  description: 'Batched state-vector simulation: apply a compiled circuit to [2, batch, 2^n] state planes',
  reference({ state, angles }, { circuit }) {
    checkNoChannels(circuit);
    return tf.tidy(() => {
      const [re, im] = tf.unstack(state) as [tf.Tensor2D, tf.Tensor2D];
      let s: TfState = { re, im };
      for (const op of circuit.ops) s = applyOpTf(s, circuit.nQubits, op, angles);
      return tf.stack([s.re, s.im]) as tf.Tensor3D;
    });
  },
  cpu({ state, angles }, { circuit }): HostTensor {
    checkNoChannels(circuit);
    const [, batch, D] = state.shape as [number, number, number];
    const values = state.values.slice();
    const sv: StateVector = {
      nQubits: circuit.nQubits,
      batch,
      re: values.subarray(0, batch * D),
      im: values.subarray(batch * D),
    };
    applyCircuitHost(sv, circuit, angles.values);
    return { shape: [2, batch, D], values };
  },
  webgpu({ state, angles }, { circuit }, gpu: WebGPUKernelContext) {
    checkNoChannels(circuit);
    const [, batch, D] = state.shape;
    if (2 * batch * D > MAX_WGSL_ELEMENTS) {
      throw new RangeError(
        `quantum/apply-circuit (webgpu): 2·batch·2^n = ${2 * batch * D} exceeds ${MAX_WGSL_ELEMENTS}; split the batch`,
      );
    }
    let s: tf.Tensor = state;
    for (const op of circuit.ops) {
      if (op.kind === 'channel') continue;
      const next = gpu.run(wgslProgram(op, circuit.nQubits, batch, circuit.slots.length), [s, angles]);
      if (s !== state) s.dispose();
      s = next;
    }
    return (s === state ? tf.clone(state) : s) as tf.Tensor3D;
  },
  examples() {
    return [1, 3, 5].map((n) => {
      const c = new Circuit(n);
      for (let w = 0; w < n; w++) c.h(w).ry(w, c.param()).rz(w, c.input(w));
      for (let w = 0; w + 1 < n; w++) c.cnot(w, w + 1);
      for (let w = 0; w < n; w++) c.ry(w, c.param());
      const circuit = c.compile();
      const batch = 3;
      const D = 2 ** n;
      const S = circuit.slots.length;
      // A deterministic normalised complex state per example, so every amplitude is exercised.
      const init = new Float32Array(2 * batch * D);
      for (let b = 0; b < batch; b++) {
        let norm = 0;
        for (let i = 0; i < D; i++) {
          init[b * D + i] = Math.cos(1.3 * i + b);
          init[batch * D + b * D + i] = Math.sin(0.7 * i - b);
          norm += init[b * D + i]! ** 2 + init[batch * D + b * D + i]! ** 2;
        }
        for (let i = 0; i < D; i++) {
          init[b * D + i]! /= Math.sqrt(norm);
          init[batch * D + b * D + i]! /= Math.sqrt(norm);
        }
      }
      const angles = Float32Array.from(
        { length: batch * S },
        (_, k) => 0.3 + 0.7 * Math.floor(k / S) + 1.1 * (k % S),
      );
      return {
        name: `${n} qubits, batch ${batch}`,
        inputs: () => ({ state: tf.tensor3d(init, [2, batch, D]), angles: tf.tensor2d(angles, [batch, S]) }),
        attrs: { circuit },
      };
    });
  },
});

/** Options of {@link runCircuit}. */
export interface RunCircuitOptions extends RunKernelOptions {
  /** Initial states `[2, batch, 2^n]` (default |0…0⟩ for every example). */
  initial?: tf.Tensor3D;
  /** Batch size when there are neither angles nor an initial state. */
  batch?: number;
}

/**
 * Simulates a compiled circuit for a batch with the implementation that suits the backend (typed arrays on
 * cpu/wasm, WGSL on webgpu, tfjs ops elsewhere) and returns the final state `[2, batch, 2^n]`.
 */
export function runCircuit(
  circuit: CompiledCircuit,
  angles: tf.Tensor2D | null,
  options: RunCircuitOptions = {},
): tf.Tensor3D {
  const B = options.initial?.shape[1] ?? angles?.shape[0] ?? options.batch;
  if (B === undefined) throw new RangeError('runCircuit: give angles, an initial state or a batch size');
  const D = 2 ** circuit.nQubits;
  const G = circuit.slots.length;
  if (G > 0 && (!angles || angles.shape[1] !== G || angles.shape[0] !== B)) {
    throw new RangeError(`runCircuit: angles must be [${B}, ${G}], got [${angles?.shape ?? ''}]`);
  }
  const state =
    options.initial ??
    tf.tidy(() =>
      tf.concat([tf.concat([tf.ones([1, B, 1]), tf.zeros([1, B, D - 1])], 2), tf.zeros([1, B, D])], 0),
    );
  const a = G > 0 ? angles! : tf.zeros([B, 1]);
  try {
    return runKernel(
      circuitKernel,
      { state: state as tf.Tensor3D, angles: a as tf.Tensor2D },
      { circuit },
      options,
    );
  } finally {
    if (!options.initial) state.dispose();
    if (a !== angles) a.dispose();
  }
}
