// Setup shared by the suites and tools: the benchmark networks, wasm backend selection and a synthetic
// training step of the pytorch suite's CNN or MLP.
import { Rng } from '@paperlab/core';
import { configureNodeWasm, nodeBackendLoaders } from '@paperlab/core/node';
import { ensureBackend } from '@paperlab/core/runs';
import { adam, Sequential, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

/** The 784-256-10 ReLU MLP. */
export const MLP = [
  { type: 'dense', units: 256, activation: 'relu' },
  { type: 'dense', units: 10 },
];

/** conv(f1)-pool-conv(f2)-pool-flatten-dense10, 3×3 ReLU convolutions and 2×2 max-pooling. */
export function cnnSpec(f1, f2) {
  return [
    { type: 'conv2d', filters: f1, kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'conv2d', filters: f2, kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10 },
  ];
}

/** The pytorch suite's CNN: conv16-pool-conv32-pool-dense10. */
export const CNN = cnnSpec(16, 32);

/** Configures node's wasm backend with `threads` threads and makes it the active backend; returns the setup. */
export async function useWasm(threads) {
  const setup = await configureNodeWasm({ threads });
  await ensureBackend('wasm', { backends: nodeBackendLoaders({ wasmThreads: threads }), platform: 'node' });
  return setup;
}

/**
 * A full Adam training step of the pytorch suite's CNN (28×28×1) or MLP (784) on one fixed random batch of
 * `batch` examples; `dispose` frees the model, optimizer and batch.
 */
export function syntheticTrainStep(which, batch) {
  const shape = which === 'cnn' ? [28, 28, 1] : [784];
  const model = Sequential.build(which === 'cnn' ? CNN : MLP, shape, new Rng(1));
  const rng = new Rng(2);
  const x = tf.tensor(rng.uniforms(batch * shape.reduce((a, b) => a * b, 1)), [batch, ...shape]);
  const y = tf.tensor1d(
    Int32Array.from({ length: batch }, () => rng.int(10)),
    'int32',
  );
  const opt = adam(1e-3);
  const vars = model.variables();
  const step = () => {
    const { value, grads } = tf.variableGrads(
      () => softmaxCrossEntropy(model.forward(x, { training: true }), y),
      vars,
    );
    const list = vars.map((v) => grads[v.name]);
    opt.apply(vars, list);
    tf.dispose(list);
    value.dataSync();
    value.dispose();
  };
  const dispose = () => {
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  };
  return { step, dispose };
}

/**
 * Wraps every registered wasm kernel so that `stats` (a Map) adds up `clock()` differences (`t`) and calls (`n`) per
 * `Kernel [input shapes]`, for top-level calls while `on()` holds (kernels called from kernels count for their caller).
 */
export function timeWasmKernels(stats, clock, on = () => true) {
  let depth = 0;
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        if (depth > 0 || !on()) return inner(args);
        depth++;
        const t0 = clock();
        try {
          return inner(args);
        } finally {
          depth--;
          const key = `${k.kernelName} [${Object.values(args.inputs)
            .map((t) => t.shape.join('×'))
            .join(', ')}]`;
          const e = stats.get(key) ?? { t: 0, n: 0 };
          e.t += clock() - t0;
          e.n++;
          stats.set(key, e);
        }
      },
    });
  }
}
