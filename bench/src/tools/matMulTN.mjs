// Aᵀ·B on one-thread wasm: paperlab's gemmTN reading A by columns (the patched BatchMatMul's route for
// transposeA) against the route it replaced (a transpose, then XNNPACK, which packs the fresh B every call),
// selected in the same process by turning the SIMD helpers off; samples alternate A/B so both see the same load.
//   node src/tools/matMulTN.mjs [samples] [P×K×N ...]
import * as tf from '@tensorflow/tfjs-core';
import { useSimdKernels } from '../../../packages/core/dist/backends/wasm/simdKernels.js';
import { useWasm } from '../models.mjs';

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
await useWasm(1);
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
for (const [P, K, N] of shapes) {
  const a = tf.randomNormal([P, K], 0, 1, 'float32', 1);
  const b = tf.randomNormal([P, N], 0, 1, 'float32', 2);
  // Repeats per sample: ≥ 3 calls and ~100 MFLOP, so small products are timed over many calls.
  const reps = Math.max(3, Math.round(1e8 / (2 * P * K * N)));
  // Fresh operands for every call, as in training (XNNPACK keeps the packing of an operand it saw before).
  const time = (simd) => {
    const as = Array.from({ length: reps }, () => tf.mul(a, 1));
    const bs = Array.from({ length: reps }, () => tf.mul(b, 1));
    useSimdKernels(simd);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) tf.matMul(as[r], bs[r], true, false).dispose();
    const ms = (performance.now() - t0) / reps;
    const c = process.cpuUsage(c0);
    useSimdKernels(true);
    tf.dispose([...as, ...bs]);
    return { ms, cpu: (c.user + c.system) / 1000 / reps };
  };
  time(true);
  time(false);
  const runs = { gemm: [], old: [] };
  for (let s = 0; s < samples; s++) {
    runs.gemm.push(time(true));
    runs.old.push(time(false));
  }
  const m = (r, k) => med(r.map((x) => x[k]));
  const [g, o] = [m(runs.gemm, 'ms'), m(runs.old, 'ms')];
  const [gc, oc] = [m(runs.gemm, 'cpu'), m(runs.old, 'cpu')];
  console.log(
    `${P}x${K}ᵀ·${P}x${N}: gemmTN ${(g * 1000).toFixed(1)} µs (CPU ${(gc * 1000).toFixed(1)}), transpose+XNNPACK ${(o * 1000).toFixed(1)} µs (CPU ${(oc * 1000).toFixed(1)}), old/new wall ${(o / g).toFixed(2)}×, CPU ${(oc / gc).toFixed(2)}× (${reps} calls/sample, median of ${samples})`,
  );
  tf.dispose([a, b]);
}
