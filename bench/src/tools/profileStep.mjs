// Kernel-by-kernel profile of one training step of the pytorch suite's CNN (or MLP) on wasm:
//   node src/tools/profileStep.mjs [cnn|mlp] [--threads 1] [--batch 64] [--steps 5]
// Prints total ms per kernel name (summed over the profiled steps / steps), sorted.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { clockedEach } from '../harness.mjs';
import { syntheticTrainStep, useWasm } from '../models.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    threads: { type: 'string', default: '1' },
    batch: { type: 'string' },
    steps: { type: 'string', default: '5' },
  },
});
const which = positionals[0] ?? 'cnn';
const threads = Number(values.threads);
await useWasm(threads);
const bs = Number(values.batch ?? (which === 'cnn' ? 64 : 128));
const { step, dispose } = syntheticTrainStep(which, bs);
for (let i = 0; i < 3; i++) step();
const steps = Number(values.steps);
const { ms: wall, cpuMs: cpu } = await clockedEach(steps, step);
const byName = new Map();
const prof = await tf.profile(() => {
  for (let i = 0; i < steps; i++) step();
});
// The machine is shared: per kernel call (same position in every step), keep the fastest of the steps.
const perStep = prof.kernels.length / steps;
for (let i = 0; i < perStep; i++) {
  const k = prof.kernels[i];
  let ms = Infinity;
  for (let s = 0; s < steps; s++) ms = Math.min(ms, Number(prof.kernels[s * perStep + i].kernelTimeMs) || 0);
  const key = `${k.name} [${k.inputShapes.map((s) => s?.join('×')).join(', ')}]`;
  const e = byName.get(key) ?? { ms: 0, n: 0 };
  e.ms += ms;
  e.n++;
  byName.set(key, e);
}
const rows = [...byName].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((a, [, e]) => a + e.ms, 0);
console.log(
  `${which}, batch ${bs}, ${threads} thread(s): ${wall.toFixed(1)} ms per step (wall, mean), ${cpu.toFixed(1)} ms CPU, kernels ${total.toFixed(1)} ms (sum of per-call minima)`,
);
for (const [k, e] of rows.slice(0, 30))
  console.log(`${e.ms.toFixed(2).padStart(8)} ms  ×${String(e.n).padStart(2)}  ${k}`);
dispose();
