// CPU time per wasm kernel over training steps of the pytorch suite's CNN or MLP (robust to a loaded machine:
// process CPU time, not wall time), by wrapping every registered wasm kernel:
//   node src/tools/kernelCpu.mjs [cnn|mlp] [steps]
import { syntheticTrainStep, timeWasmKernels, useWasm } from '../models.mjs';

const which = process.argv[2] ?? 'cnn';
const steps = Number(process.argv[3] ?? 20);
await useWasm(1);
const stats = new Map();
timeWasmKernels(stats, () => {
  const c = process.cpuUsage();
  return c.user + c.system;
});
const { step, dispose } = syntheticTrainStep(which, which === 'cnn' ? 64 : 128);
for (let i = 0; i < 5; i++) step();
stats.clear();
const c0 = process.cpuUsage();
for (let i = 0; i < steps; i++) step();
const c = process.cpuUsage(c0);
const total = (c.user + c.system) / 1000 / steps;
const rows = [...stats].sort((a, b) => b[1].t - a[1].t);
const inKernels = rows.reduce((a, [, e]) => a + e.t, 0) / 1000 / steps;
console.log(
  `${which}: ${total.toFixed(2)} ms CPU per step, ${inKernels.toFixed(2)} ms in kernels, ${(total - inKernels).toFixed(2)} ms elsewhere (engine, tape, JS)`,
);
for (const [k, e] of rows.slice(0, 25))
  console.log(`${(e.t / 1000 / steps).toFixed(3).padStart(8)} ms  ×${String(e.n / steps).padStart(2)}  ${k}`);
dispose();
