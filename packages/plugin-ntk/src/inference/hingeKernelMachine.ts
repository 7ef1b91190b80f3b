import type { Mat } from '@paperlab/core/linalg';

/** Inputs of {@link hingeKernelMachine}. */
export interface HingeKernelMachineInputs {
  /** K(X, X), N × N. */
  kTrainTrain: Mat;
  /** K(X*, X), M × N. */
  kTestTrain: Mat;
  /** Labels ±1, N. */
  yTrain: ArrayLike<number>;
  /** Labels ±1, M. */
  yTest: ArrayLike<number>;
  /** Gradient-descent step on the mean hinge loss. */
  lr: number;
  maxSteps: number;
}

/** Test error of the trained machine and whether it fitted every training margin. */
export interface HingeKernelMachine {
  testError: number;
  steps: number;
  fitted: boolean;
}

/**
 * A kernel machine f = Σ aᵢK(·, xᵢ) trained by full-batch gradient descent on the mean hinge loss from zero until
 * every training margin is ≥ 1 (no regulariser: the hinge gradient then vanishes) — the α → ∞ (lazy) limit of a
 * network trained on the hinge loss, with the network's NTK as the kernel.
 */
export function hingeKernelMachine(inputs: HingeKernelMachineInputs): HingeKernelMachine {
  const { yTrain: y, yTest, lr } = inputs;
  const K = inputs.kTrainTrain.data;
  const n = y.length;
  if (inputs.kTrainTrain.rows !== n || inputs.kTrainTrain.cols !== n)
    throw new Error(
      `hingeKernelMachine: K(X,X) is ${inputs.kTrainTrain.rows}×${inputs.kTrainTrain.cols} for ${n} labels`,
    );
  const a = new Float64Array(n);
  const g = new Float64Array(n);
  let steps = 0;
  let fitted = false;
  for (; steps < inputs.maxSteps; steps++) {
    fitted = true;
    for (let i = 0; i < n; i++) if (y[i]! * g[i]! < 1) fitted = false;
    if (fitted) break;
    const active: number[] = [];
    for (let i = 0; i < n; i++) if (y[i]! * g[i]! < 1) active.push(i);
    for (const i of active) {
      const da = (lr / n) * y[i]!;
      a[i]! += da;
      for (let j = 0; j < n; j++) g[j]! += da * K[j * n + i]!;
    }
  }
  let errors = 0;
  const m = yTest.length;
  const kTest = inputs.kTestTrain.data;
  for (let t = 0; t < m; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += kTest[t * n + i]! * a[i]!;
    if (!(s * yTest[t]! > 0)) errors++;
  }
  return { testError: errors / m, steps, fitted };
}
