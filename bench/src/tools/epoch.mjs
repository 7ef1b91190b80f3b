// One paperlab epoch of the pytorch suite's MLP or CNN on Fashion-MNIST, for profiling (node --cpu-prof):
//   node src/tools/epoch.mjs [mlp|cnn] [n] [threads]
import { Rng } from '@paperlab/core';
import { loadIdxImages } from '@paperlab/core/data';
import { nodeDataSources } from '@paperlab/core/node';
import { Sequential } from '@paperlab/core/train';
import { clocked } from '../harness.mjs';
import { CNN, MLP, useWasm } from '../models.mjs';
import { adamEpoch } from '../suites/pytorchPlugins.mjs';

const which = process.argv[2] ?? 'mlp';
const n = Number(process.argv[3] ?? 10_000);
const threads = Number(process.argv[4] ?? 1);
await useWasm(threads);
const { train } = await loadIdxImages(nodeDataSources({ dataDir: '/usr/share/datasets' }), 'fashion-mnist', {
  trainLimit: n,
  flatten: which === 'mlp',
});
const spec = which === 'mlp' ? MLP : CNN;
for (let e = 0; e < 2; e++) {
  const model = Sequential.build(spec, train.shape, new Rng(1));
  const epoch = {
    data: train,
    loss: 'softmax-ce',
    lr: 1e-3,
    batchSize: which === 'mlp' ? 128 : 64,
    order: new Rng(1),
  };
  const r = await adamEpoch(clocked, which, model, epoch);
  console.log(
    `${which} epoch ${e}: ${r.ms.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU, loss ${r.loss.toFixed(4)}`,
  );
}
