import { type Mat, matFrom, matmul, transpose } from '@paperlab/core/linalg';
import { hingeKernelMachine } from '../../inference/hingeKernelMachine.js';
import { fcKernelsHost } from '../../kernels/fcKernel.js';
import type { AlphaData, AlphaNet } from './alphaNet.js';

// The α → ∞ limit of ntk/sclocchi2023's nets: hinge kernel machines with a net's own NTK at initialisation
// (J·Jᵀ) and with the analytic NTK of the infinite-width net.

/** The parity task's points (the first `n` training rows are used) and their dimension. */
export type ParityTask = AlphaData & { d: number };

/** A hinge kernel machine trained on the task's training points with these kernels; its test error. */
function machine(task: ParityTask, kTrainTrain: Mat, kTestTrain: Mat) {
  const { yTest } = task;
  const yTrain = task.y.subarray(0, task.n);
  return { ...hingeKernelMachine({ kTrainTrain, kTestTrain, yTrain, yTest, lr: 1, maxSteps: 20_000 }) };
}

/** The hinge machine with the net's empirical NTK at initialisation (J·Jᵀ). */
export function empiricalNtkMachine(task: ParityTask, net: AlphaNet) {
  const { n, nTest } = task;
  const p = net.W1.length + net.W2.length + net.w3.length;
  const JtrT = transpose(matFrom(n, p, net.jacobian(task.x, n)));
  const Jte = matFrom(nTest, p, net.jacobian(task.xTest, nTest));
  return machine(task, matmul(transpose(JtrT), JtrT), matmul(Jte, JtrT));
}

/** The hinge machine with the analytic NTK of the infinite-width net (3 ReLU layers, σ_w² = 2, no bias). */
export function analyticNtkMachine(task: ParityTask) {
  const { n, nTest, d } = task;
  const attrs = { depth: 3, sigmaW2: 2, sigmaB2: 0, activation: 'relu' as const };
  const xs = Float32Array.from(task.x.subarray(0, n * d));
  const kTestTrain = fcKernelsHost(Float32Array.from(task.xTest), xs, d, attrs).ntk;
  return machine(task, matFrom(n, n, fcKernelsHost(xs, xs, d, attrs).ntk), matFrom(nTest, n, kTestTrain));
}
