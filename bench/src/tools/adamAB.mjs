// Core's fused Adam against tf.train.adam (the ~12 tfjs ops per variable core's adam used to run) on one-thread wasm,
// alternating epoch by epoch so both see the same load: MLP 784-256-10 or the pytorch suite's CNN on Fashion-MNIST.
//   node src/tools/adamAB.mjs [mlp|cnn] [n] [pairs]
import { Rng } from '@paperlab/core';
import { loadIdxImages } from '@paperlab/core/data';
import { nodeDataSources } from '@paperlab/core/node';
import { fit, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { clocked } from '../harness.mjs';
import { CNN, MLP, useWasm } from '../models.mjs';

const which = process.argv[2] ?? 'mlp';
const n = Number(process.argv[3] ?? 10_000);
const pairs = Number(process.argv[4] ?? 3);
await useWasm(1);
const { train } = await loadIdxImages(nodeDataSources({ dataDir: '/usr/share/datasets' }), 'fashion-mnist', {
  trainLimit: n,
  flatten: which === 'mlp',
});
const spec = which === 'mlp' ? MLP : CNN;
const epoch = async (fused) => {
  const model = Sequential.build(spec, train.shape, new Rng(1));
  const tfAdam = fused ? null : tf.train.adam(1e-3);
  const { ms, cpuMs, loss } = await clocked(() =>
    fit({
      model,
      data: train,
      loss: 'softmax-ce',
      optimizer: tfAdam ?? { type: 'adam', lr: 1e-3 },
      epochs: 1,
      batchSize: which === 'mlp' ? 128 : 64,
      order: new Rng(1),
      accuracy: false,
    }),
  );
  const w = model.variables()[0].dataSync().slice(0, 4);
  tfAdam?.dispose();
  model.dispose();
  return { ms, cpuMs, loss, w };
};
await epoch(true); // warm-up
const rows = { fused: [], tfjs: [] };
let same = true;
for (let p = 0; p < pairs; p++) {
  const a = await epoch(true);
  const b = await epoch(false);
  rows.fused.push(a);
  rows.tfjs.push(b);
  same &&= a.loss === b.loss && a.w.every((v, i) => v === b.w[i]);
}
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
for (const [k, r] of Object.entries(rows))
  console.log(
    `${which} ${n} samples, ${k} Adam: wall ${med(r.map((x) => x.ms)).toFixed(0)} ms, CPU ${med(r.map((x) => x.cpuMs)).toFixed(0)} ms (median of ${pairs}), loss ${r[0].loss}`,
  );
console.log(
  `fused/tfjs: wall ${(med(rows.fused.map((x) => x.ms)) / med(rows.tfjs.map((x) => x.ms))).toFixed(2)}, CPU ${(med(rows.fused.map((x) => x.cpuMs)) / med(rows.tfjs.map((x) => x.cpuMs))).toFixed(2)}; losses and weights bitwise equal: ${same}`,
);
