import { Rng } from '@paperlab/core';
import { loadIdxImages, pickExamples } from '@paperlab/core/data';
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
    trainLimit: 500,
    testLimit: 100,
    pool: 2,
    standardize: true,
    flatten: true,
  });
  const perm = new Rng(5).permutation(500);
  const shuf = { ...data.train, y: Int32Array.from(perm, (j) => data.train.y[j]!) };
  const specs = [
    { type: 'dense' as const, units: 32, activation: 'relu' as const },
    { type: 'dense' as const, units: 32, activation: 'relu' as const },
    { type: 'dense' as const, units: 10 },
  ];
  for (const [lr, ep] of [
    [1e-3, 60],
    [3e-3, 60],
    [1e-2, 60],
  ] as const) {
    const t = Date.now();
    const net = CompressNet.build(specs, [196], new Rng(1));
    await fit({
      model: net,
      data: shuf,
      loss: 'softmax-ce',
      optimizer: { type: 'adam', lr },
      epochs: ep,
      batchSize: 50,
      order: new Rng(2),
    });
    console.log('XX full shuffled', lr, ep, accuracy(net, shuf), Date.now() - t, 'ms');
    net.dispose();
  }
  for (const [d, lab] of [
    [250, 'real'],
    [2000, 'shuf'],
    [4000, 'shuf'],
  ] as const) {
    const t = Date.now();
    const n2 = CompressNet.build(specs, [196], new Rng(1));
    const sub = RandomSubspace.generate(n2.paramCount(), Math.min(d, n2.paramCount()), 3, 'sparse');
    const tr = subspaceTrainee(n2, sub);
    const dd = lab === 'real' ? data.train : shuf;
    await fit({
      model: tr,
      data: dd,
      loss: 'softmax-ce',
      optimizer: { type: 'adam', lr: 0.03 },
      epochs: 60,
      batchSize: 50,
      order: new Rng(2),
    });
    console.log('XX sub', lab, d, accuracy(tr, dd), Date.now() - t, 'ms');
    tr.dispose();
    sub.dispose();
    n2.dispose();
  }
});
