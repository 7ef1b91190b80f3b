// CPU time per wasm kernel over training steps of the pytorch suite's CNN or MLP (robust to a loaded machine:
// process CPU time, not wall time), by wrapping every registered wasm kernel:
//   node src/tools/kernelCpu.mjs [cnn|mlp] [steps]
import * as tf from '@tensorflow/tfjs-core';
import { syntheticTrainStep, useWasm } from '../models.mjs';

const which = process.argv[2] ?? 'cnn';
const steps = Number(process.argv[3] ?? 20);
await useWasm(1);
const stats = new Map();
let depth = 0;
for (const k of tf.getKernelsForBackend('wasm')) {
  const inner = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, 'wasm');
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      if (depth > 0) return inner(args); // kernels called from kernels count for their caller
      depth++;
      const c = process.cpuUsage();
      try {
        return inner(args);
      } finally {
        depth--;
        const u = process.cpuUsage(c);
        const key = `${k.kernelName} [${Object.values(args.inputs)
          .map((t) => t.shape.join('×'))
          .join(', ')}]`;
        const e = stats.get(key) ?? { us: 0, n: 0 };
        e.us += u.user + u.system;
        e.n++;
        stats.set(key, e);
      }
    },
  });
}
const { step, dispose } = syntheticTrainStep(which, which === 'cnn' ? 64 : 128);
for (let i = 0; i < 5; i++) step();
stats.clear();
const c0 = process.cpuUsage();
for (let i = 0; i < steps; i++) step();
const c = process.cpuUsage(c0);
const total = (c.user + c.system) / 1000 / steps;
const rows = [...stats].sort((a, b) => b[1].us - a[1].us);
const inKernels = rows.reduce((a, [, e]) => a + e.us, 0) / 1000 / steps;
console.log(
  `${which}: ${total.toFixed(2)} ms CPU per step, ${inKernels.toFixed(2)} ms in kernels, ${(total - inKernels).toFixed(2)} ms elsewhere (engine, tape, JS)`,
);
for (const [k, e] of rows.slice(0, 25))
  console.log(
    `${(e.us / 1000 / steps).toFixed(3).padStart(8)} ms  ×${String(e.n / steps).padStart(2)}  ${k}`,
  );
dispose();
