// Aᵀ·B on wasm: paperlab's gemmTN reading A by columns (the patched BatchMatMul's route for transposeA) against the
// route it replaced (a transpose, then XNNPACK, which packs the fresh B every call), switched in the same process
// (`useGemmTN`); samples alternate A/B so both see the same load. Products at a few shapes (where the patched
// kernel's size rule sends a shape to the old route, both columns time the old route), or whole Adam steps of the
// pytorch suite's MLP or CNN on one synthetic batch.
//   [THREADS=n] node src/tools/matMulTN.mjs [samples] [P×K×N ...]
//   [THREADS=n] node src/tools/matMulTN.mjs steps [mlp|cnn] [batch] [samples] [steps per sample]
import * as tf from '@tensorflow/tfjs-core';
import { useGemmTN } from '../../../packages/core/dist/backends/wasm/matMul.js';
import { syntheticTrainStep, useWasm } from '../models.mjs';

await useWasm(Number(process.env.THREADS ?? 1));
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/** Runs `fn` `reps` times with the gemmTN route on or off: wall and process CPU milliseconds per repetition. */
function timed(gemm, reps, fn) {
  useGemmTN(gemm);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) fn(r);
  const ms = (performance.now() - t0) / reps;
  const c = process.cpuUsage(c0);
  useGemmTN(true);
  return { ms, cpu: (c.user + c.system) / 1000 / reps };
}

/** Alternates `sample(gemm)` with gemm on and off `samples` times (after one warm-up each); medians as text. */
function ab(samples, sample) {
  sample(true);
  sample(false);
  const runs = { gemm: [], old: [] };
  for (let s = 0; s < samples; s++) {
    runs.gemm.push(sample(true));
    runs.old.push(sample(false));
  }
  const m = (r, k) => med(r.map((x) => x[k]));
  const [g, o, gc, oc] = [m(runs.gemm, 'ms'), m(runs.old, 'ms'), m(runs.gemm, 'cpu'), m(runs.old, 'cpu')];
  const f = (x) => (x < 1 ? `${(x * 1000).toFixed(1)} µs` : `${x.toFixed(2)} ms`);
  return `gemmTN ${f(g)} (CPU ${f(gc)}), transpose+XNNPACK ${f(o)} (CPU ${f(oc)}), old/new wall ${(o / g).toFixed(2)}×, CPU ${(oc / gc).toFixed(2)}× (median of ${samples})`;
}

if (process.argv[2] === 'steps') {
  const [which = 'mlp', batch = '128', samples = '11', steps = '20'] = process.argv.slice(3);
  const { step, dispose } = syntheticTrainStep(which, Number(batch));
  console.log(
    `${which} Adam step, batch ${batch}: ${ab(Number(samples), (g) => timed(g, Number(steps), step))}`,
  );
  dispose();
} else {
  const samples = Number(process.argv[2] ?? 15);
  const shapes = (
    process.argv.length > 3
      ? process.argv.slice(3)
      : [
          '16x16x16',
          '64x32x10',
          '128x784x256',
          '128x256x10',
          '4096x37x50',
          '4096x50x50',
          '4096x50x3',
          '512x512x512',
        ]
  ).map((s) => s.split('x').map(Number));
  for (const [P, K, N] of shapes) {
    const a = tf.randomNormal([P, K], 0, 1, 'float32', 1);
    const b = tf.randomNormal([P, N], 0, 1, 'float32', 2);
    // Repeats per sample: ≥ 3 calls and ~100 MFLOP, so small products are timed over many calls.
    const reps = Math.max(3, Math.round(1e8 / (2 * P * K * N)));
    // Fresh operands for every call, as in training (XNNPACK keeps the packing of an operand it saw before).
    const sample = (gemm) => {
      const as = Array.from({ length: reps }, () => tf.mul(a, 1));
      const bs = Array.from({ length: reps }, () => tf.mul(b, 1));
      const t = timed(gemm, reps, (r) => tf.matMul(as[r], bs[r], true, false).dispose());
      tf.dispose([...as, ...bs]);
      return t;
    };
    console.log(`${P}x${K}ᵀ·${P}x${N} (${reps} calls/sample): ${ab(samples, sample)}`);
    tf.dispose([a, b]);
  }
}
