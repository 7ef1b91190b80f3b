// Where a GCN epoch of the pytorch suite's `gcn` workload goes on wasm (one thread): tfjs kernels called per
// epoch, wall time inside them (top-level kernels only) and outside (engine, tape, JS):
//   node src/tools/gcnProfile.mjs [epochs] [--fused-adam|--tfjs-adam]
import { Rng } from '@paperlab/core';
import { adam } from '@paperlab/core/train';
import { denseToCsr, GcnConv, graphTensors, sparseTensors } from '@paperlab/plugin-gnn';
import * as tf from '@tensorflow/tfjs-core';
import { clockedEach } from '../harness.mjs';
import { timeWasmKernels, useWasm } from '../models.mjs';
import { coraLike, trainLoss } from '../suites/pytorchPlugins.mjs';

const epochs = Number(process.argv[2] ?? 100);
const useTfjs = process.argv.includes('--tfjs-adam');
await useWasm(1);
const stats = new Map();
let active = false;
timeWasmKernels(
  stats,
  () => performance.now(),
  () => active,
);
const nodes = 2708;
const features = 1433;
const { g, x, y, mask } = coraLike(new Rng(31), { nodes, edges: 5278, features, classes: 7 });
const gt = graphTensors(g);
gt.gcn();
const xs = sparseTensors(denseToCsr(x, nodes, features));
const train = trainLoss(y, mask);
const rng = new Rng(33);
const l1 = new GcnConv(rng.split('l1'), features, 16);
const l2 = new GcnConv(rng.split('l2'), 16, 7);
const vars = [...l1.variables(), ...l2.variables()];
const loss = () => train.loss(l2.apply(gt, tf.relu(l1.apply(gt, xs))));
const opt = useTfjs ? null : adam(0.01);
const tfOpt = useTfjs ? tf.train.adam(0.01) : null;
const epoch = () => {
  if (tfOpt) {
    tfOpt.minimize(loss, false, vars);
    return;
  }
  const { value, grads } = tf.variableGrads(loss, vars);
  const list = vars.map((v) => grads[v.name]);
  opt.apply(vars, list);
  tf.dispose([value, ...list]);
};
for (let i = 0; i < 10; i++) epoch();
const before = tf.memory().numTensors;
active = true;
const { ms: total, cpuMs } = await clockedEach(epochs, epoch);
active = false;
const rows = [...stats].sort((a, b) => b[1].t - a[1].t);
const inKernels = rows.reduce((a, [, e]) => a + e.t, 0) / epochs;
const calls = rows.reduce((a, [, e]) => a + e.n, 0) / epochs;
console.log(
  `gcn (${useTfjs ? 'tf.train.adam' : 'core adam'}): ${total.toFixed(2)} ms per epoch (CPU ${cpuMs.toFixed(2)} ms), ${calls} kernel calls, ${inKernels.toFixed(2)} ms in kernels, ${(total - inKernels).toFixed(2)} ms elsewhere; leaked ${tf.memory().numTensors - before}`,
);
for (const [k, e] of rows.slice(0, 40))
  console.log(`${(e.t / epochs).toFixed(3).padStart(8)} ms  ×${String(e.n / epochs).padStart(3)}  ${k}`);
