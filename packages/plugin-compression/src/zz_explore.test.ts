import { Rng } from '@paperlab/core';
import { loadIdxImages } from '@paperlab/core/data';
import { nodeDataSources } from '@paperlab/core/node';
import { fit } from '@paperlab/core/train';
import { it } from 'vitest';
import { useWasm } from './__tests__/setup.js';
import { CompressNet } from './nets/compressNet.js';
import { RandomSubspace, subspaceTrainee } from './subspace/randomSubspace.js';
import { accuracy } from './train/evaluate.js';

it('explore', async () => {
  await useWasm();
  const data = await loadIdxImages(nodeDataSources(), 'mnist', {
    trainLimit: 10000,
    testLimit: 2000,
    pool: 2,
    standardize: true,
    flatten: true,
  });
  const specs = [
    { type: 'dense' as const, units: 64, activation: 'relu' as const },
    { type: 'dense' as const, units: 64, activation: 'relu' as const },
    { type: 'dense' as const, units: 10 },
  ];
  let t = Date.now();
  const net = CompressNet.build(specs, [196], new Rng(1));
  const r = await fit({
    model: net,
    data: data.train,
    loss: 'softmax-ce',
    optimizer: { type: 'adam', lr: 1e-3 },
    epochs: 6,
    batchSize: 100,
    order: new Rng(2),
  });
  console.log(
    'XX full',
    accuracy(net, data.test),
    r.history.map((h) => h.loss.toFixed(3)).join(' '),
    Date.now() - t,
    'ms',
  );
  for (const [d, lr, ep, kind] of [
    [250, 0.03, 6, 'sparse'],
    [500, 0.03, 6, 'sparse'],
    [1000, 0.03, 6, 'sparse'],
    [2000, 0.03, 6, 'sparse'],
  ] as const) {
    t = Date.now();
    const n2 = CompressNet.build(specs, [196], new Rng(1));
    const sub = RandomSubspace.generate(n2.paramCount(), d, 3, kind);
    const tg = Date.now() - t;
    const tr = subspaceTrainee(n2, sub);
    const r2 = await fit({
      model: tr,
      data: data.train,
      loss: 'softmax-ce',
      optimizer: { type: 'adam', lr },
      epochs: ep,
      batchSize: 100,
      order: new Rng(2),
    });
    console.log(
      'XX sub',
      kind,
      d,
      lr,
      accuracy(tr, data.test),
      r2.history.map((h) => h.loss.toFixed(3)).join(' '),
      'gen',
      tg,
      'total',
      Date.now() - t,
      'ms',
    );
    tr.dispose();
    sub.dispose();
    n2.dispose();
  }
});
