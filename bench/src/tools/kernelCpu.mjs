// CPU time per wasm kernel over training steps of the pytorch suite's CNN or MLP (robust to a loaded machine:
// process CPU time, not wall time), by wrapping every registered wasm kernel:
//   node src/tools/kernelCpu.mjs [cnn|mlp] [steps]
import { Rng } from '@paperlab/core';
import { configureNodeWasm, nodeBackendLoaders } from '@paperlab/core/node';
import { ensureBackend } from '@paperlab/core/runs';
import { adam, Sequential, softmaxCrossEntropy } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';

const which = process.argv[2] ?? 'cnn';
const steps = Number(process.argv[3] ?? 20);
await configureNodeWasm({ threads: 1 });
await ensureBackend('wasm', { backends: nodeBackendLoaders({ wasmThreads: 1 }), platform: 'node' });
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
const specs = {
  cnn: [
    { type: 'conv2d', filters: 16, kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'conv2d', filters: 32, kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10 },
  ],
  mlp: [
    { type: 'dense', units: 256, activation: 'relu' },
    { type: 'dense', units: 10 },
  ],
};
const shape = which === 'cnn' ? [28, 28, 1] : [784];
const bs = which === 'cnn' ? 64 : 128;
const model = Sequential.build(specs[which], shape, new Rng(1));
const rng = new Rng(2);
const x = tf.tensor(rng.uniforms(bs * shape.reduce((a, b) => a * b, 1)), [bs, ...shape]);
const y = tf.tensor1d(
  Int32Array.from({ length: bs }, () => rng.int(10)),
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
tf.dispose([x, y]);
opt.dispose();
model.dispose();
