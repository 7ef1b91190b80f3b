// Quantum gate-application throughput (amplitudes/s): single circuits at n = 10…22 and batches of 256 small
// circuits at n = 4…10, per implementation of quantum/apply-circuit, against the tfjs-ops reference on wasm;
// and gradient throughput (adjoint with scalar JS as the baseline, adjoint with SIMD, parameter shift).
// Two rooflines: a JS streaming rotation over the same float32 planes (what a typed-array loop can reach) and
// TypedArray.set copies (memory bandwidth: the same bytes read and written per gate). The host path is timed
// twice: scalar JS (`setHostKernel('js')`) and the wasm SIMD kernel (`setHostKernel('simd')`); runKernel rows
// use the default ('auto': SIMD where the engine has it).
import { Rng } from '@paperlab/core';
import { runKernel } from '@paperlab/core/kernels';
import {
  adjointVjp,
  Circuit,
  circuitKernel,
  compileObservables,
  hostAngles,
  parameterShiftJacobian,
  setHostKernel,
  simdAvailable,
  simulateHost,
  Z,
} from '@paperlab/plugin-quantum';
import * as tf from '@tensorflow/tfjs-core';
import { measure } from '../harness.mjs';

/** Hardware-efficient layers: RY(input or param) on every qubit, a CNOT chain, RZ(param) on every qubit. */
function layer(n, encoded, layers = 1) {
  const c = new Circuit(n);
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) c.ry(q, encoded ? c.input(q) : c.param());
    for (let q = 0; q + 1 < n; q++) c.cnot(q, q + 1);
    for (let q = 0; q < n; q++) c.rz(q, c.param());
  }
  return c.compile();
}

function zeroPlanes(batch, D) {
  const v = new Float32Array(2 * batch * D);
  for (let b = 0; b < batch; b++) v[b * D] = 1;
  return v;
}

/** A streaming read-modify-write pass over both planes: the bandwidth bound of one gate. */
function streamPass(re, im) {
  const c = Math.fround(0.8);
  const s = Math.fround(0.6);
  for (let i = 0; i < re.length; i++) {
    const a = re[i];
    const b = im[i];
    re[i] = c * a - s * b;
    im[i] = s * a + c * b;
  }
}

async function timeKernel(circuit, statePlanes, angles, batch, impl, samples) {
  const D = 2 ** circuit.nQubits;
  const G = Math.max(circuit.slots.length, 1);
  const state = tf.tensor3d(statePlanes, [2, batch, D]);
  const a = tf.tensor2d(angles, [batch, G]);
  try {
    return await measure(
      async () => {
        const out = runKernel(circuitKernel, { state, angles: a }, { circuit }, { impl });
        await out.data();
        out.dispose();
      },
      { warmup: 1, samples },
    );
  } finally {
    tf.dispose([state, a]);
  }
}

/** The fused WGSL kernel on the webgpu variant (back on wasm afterwards), or the error it failed with. */
async function webgpuRow(env, webgpu, name, work, circuit, angles, batch, suffix) {
  await env.use(webgpu);
  try {
    return {
      suite: 'quantum',
      case: name,
      variant: `webgpu · fused WGSL${suffix} (Dawn, Mesa software GL)`,
      timing: await timeKernel(circuit, zeroPlanes(batch, 2 ** circuit.nQubits), angles, batch, 'webgpu', 2),
      work,
      unit: ' amp',
    };
  } catch (err) {
    return {
      suite: 'quantum',
      case: name,
      variant: 'webgpu · fused WGSL',
      error: String(err.message ?? err).slice(0, 90),
    };
  } finally {
    await env.use('wasm');
  }
}

/** The host path in place, scalar JS and (where the engine has it) wasm SIMD. */
async function hostRows(name, work, run, samples, suffix) {
  const rows = [];
  for (const kernel of ['js', 'simd']) {
    const variant =
      kernel === 'js'
        ? `host typed arrays in place (simulateHost, scalar JS)${suffix}`
        : `host wasm SIMD (f64x2 arithmetic) in place (simulateHost)${suffix}`;
    if (kernel === 'simd' && !simdAvailable()) {
      rows.push({ suite: 'quantum', case: name, variant, error: 'no WebAssembly SIMD in this engine' });
      continue;
    }
    const previous = setHostKernel(kernel);
    try {
      rows.push({
        suite: 'quantum',
        case: name,
        variant,
        // Warm-up enough for V8 to optimise the scalar loop at small n (one call at n = 10 is ~0.1 ms).
        timing: await measure(run, { warmup: samples >= 5 ? 5 : 1, samples }),
        work,
        unit: ' amp',
      });
    } finally {
      setHostKernel(previous);
    }
  }
  return rows;
}

/** @param {{ use(b: string): Promise<void>, variants: string[] }} env */
export async function quantumSuite(env) {
  const rows = [];
  const webgpu = env.variants.find((v) => v.startsWith('webgpu'));
  const rng = new Rng(7);

  // Single circuits.
  for (const n of [10, 12, 14, 16, 18, 20, 22]) {
    const circuit = layer(n, false);
    const gates = circuit.ops.length;
    const D = 2 ** n;
    const name = `1 circuit, n = ${n} (${gates} gates)`;
    const work = gates * D;
    const angles = rng.uniforms(circuit.slots.length, 0, 6);
    const samples = n >= 20 ? 3 : 5;
    await env.use('wasm');
    if (n <= 20) {
      const t = await timeKernel(circuit, zeroPlanes(1, D), angles, 1, 'reference', n >= 18 ? 2 : 5);
      rows.push({
        suite: 'quantum',
        case: name,
        variant: 'wasm · tfjs-ops reference',
        timing: t,
        work,
        unit: ' amp',
        baseline: true,
      });
    } else {
      rows.push({
        suite: 'quantum',
        case: name,
        variant: 'wasm · tfjs-ops reference',
        error: 'skipped (≥ 20 s per sample)',
      });
    }
    rows.push({
      suite: 'quantum',
      case: name,
      variant: 'wasm · typed-array kernel (runKernel, incl. tensor I/O)',
      timing: await timeKernel(circuit, zeroPlanes(1, D), angles, 1, 'cpu', samples),
      work,
      unit: ' amp',
    });
    rows.push(...(await hostRows(name, work, () => simulateHost(circuit, angles, 1), samples, '')));
    const re = new Float32Array(D).fill(0.5);
    const im = new Float32Array(D).fill(0.5);
    rows.push({
      suite: 'quantum',
      case: name,
      variant: `roofline: ${gates} streaming passes over both planes`,
      timing: await measure(
        () => {
          for (let g = 0; g < gates; g++) streamPass(re, im);
        },
        { warmup: 1, samples },
      ),
      work,
      unit: ' amp',
    });
    const re2 = new Float32Array(D);
    const im2 = new Float32Array(D);
    rows.push({
      suite: 'quantum',
      case: name,
      variant: `memory bandwidth: ${gates} copies of both planes (TypedArray.set)`,
      timing: await measure(
        () => {
          for (let g = 0; g < gates; g++) {
            if (g % 2) {
              re.set(re2);
              im.set(im2);
            } else {
              re2.set(re);
              im2.set(im);
            }
          }
        },
        { warmup: 1, samples },
      ),
      work,
      unit: ' amp',
    });
    if (webgpu && n <= 20) {
      rows.push(await webgpuRow(env, webgpu, name, work, circuit, angles, 1, ''));
    }
  }

  // Batches of 256 small circuits with per-example inputs, against one circuit at a time.
  const batch = 256;
  for (const n of [4, 6, 8, 10]) {
    const circuit = layer(n, true);
    const gates = circuit.ops.length;
    const D = 2 ** n;
    const name = `batch ${batch}, n = ${n} (${gates} gates, per-example inputs)`;
    const work = gates * D * batch;
    const params = rng.uniforms(circuit.numParams, 0, 6);
    const inputs = rng.uniforms(batch * n, -1, 1);
    const angles = hostAngles(circuit, params, inputs, batch);
    const G = circuit.slots.length;
    await env.use('wasm');
    const oneAtATime = async (impl) => {
      const planes = zeroPlanes(1, D);
      return measure(
        async () => {
          for (let b = 0; b < batch; b++) {
            const state = tf.tensor3d(planes, [2, 1, D]);
            const a = tf.tensor2d(angles.subarray(b * G, (b + 1) * G), [1, G]);
            const out = runKernel(circuitKernel, { state, angles: a }, { circuit }, { impl });
            await out.data();
            tf.dispose([state, a, out]);
          }
        },
        { warmup: 1, samples: impl === 'reference' ? 2 : 3 },
      );
    };
    rows.push({
      suite: 'quantum',
      case: name,
      variant: 'wasm · tfjs-ops reference, one circuit at a time',
      timing: await oneAtATime('reference'),
      work,
      unit: ' amp',
      baseline: true,
    });
    rows.push({
      suite: 'quantum',
      case: name,
      variant: 'wasm · typed-array kernel, one circuit at a time',
      timing: await oneAtATime('cpu'),
      work,
      unit: ' amp',
    });
    rows.push({
      suite: 'quantum',
      case: name,
      variant: 'wasm · tfjs-ops reference, batched',
      timing: await timeKernel(circuit, zeroPlanes(batch, D), angles, batch, 'reference', 3),
      work,
      unit: ' amp',
    });
    rows.push({
      suite: 'quantum',
      case: name,
      variant: 'wasm · typed-array kernel, batched',
      timing: await timeKernel(circuit, zeroPlanes(batch, D), angles, batch, 'cpu', 5),
      work,
      unit: ' amp',
    });
    rows.push(...(await hostRows(name, work, () => simulateHost(circuit, angles, batch), 5, ', batched')));
    if (webgpu) {
      rows.push(await webgpuRow(env, webgpu, name, work, circuit, angles, batch, ', batched'));
    }
  }

  // Gradients of ⟨Z₀⟩ with respect to every angle of two hardware-efficient layers: the adjoint method (one
  // forward pass, one un-computing sweep) with scalar JS vs the SIMD kernel, and parameter shift (2 circuits
  // per angle, simulated as one batch) where it is affordable.
  for (const n of [10, 14, 18]) {
    const compiled = layer(n, false, 2);
    const G = compiled.slots.length;
    const angles = rng.uniforms(G, 0, 6);
    const obs = compileObservables(n, [Z(0)]);
    const dy = new Float64Array([1]);
    const name = `gradient of ⟨Z₀⟩, n = ${n} (${G} angles, ${compiled.ops.length} gates)`;
    const samples = n >= 18 ? 3 : 5;
    for (const kernel of ['js', 'simd']) {
      if (kernel === 'simd' && !simdAvailable()) continue;
      const previous = setHostKernel(kernel);
      try {
        rows.push({
          suite: 'quantum',
          case: name,
          variant: `adjoint (adjointVjp), ${kernel === 'js' ? 'scalar JS' : 'wasm SIMD'}`,
          timing: await measure(() => adjointVjp(compiled, angles, 1, obs, dy), { warmup: 1, samples }),
          work: 1,
          unit: ' gradients',
          baseline: kernel === 'js',
        });
      } finally {
        setHostKernel(previous);
      }
    }
    if (n <= 14) {
      rows.push({
        suite: 'quantum',
        case: name,
        variant: 'parameter shift (parameterShiftJacobian, SIMD where available)',
        timing: await measure(() => parameterShiftJacobian(compiled, angles, 1, obs), {
          warmup: 1,
          samples: 3,
        }),
        work: 1,
        unit: ' gradients',
      });
    }
  }
  return rows;
}
