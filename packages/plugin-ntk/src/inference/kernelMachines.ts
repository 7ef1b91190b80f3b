/**
 * Kernel machines trained in function space by the same full-batch (sub)gradient descent a network would use,
 * written in the dual: g = K·α, and a step on θ − θ₀ = Σ αᵢ∇f(xᵢ) is a step on α. With the ℓ2 penalty
 * (λ/2)‖θ − θ₀‖² = (λ/2)αᵀKα every coefficient decays by (1 − ηλ) per step (Chen et al. 2021, §3).
 */

/** Loss of the kernel machine. */
export type KernelLoss = 'hinge' | 'squared';

/** A recorded point of a training trajectory. */
export interface KernelTrajectoryPoint {
  step: number;
  /** Objective: mean loss + (λ/2)αᵀKα. */
  objective: number;
  /** Mean data loss alone. */
  dataLoss: number;
  /** Outputs at the test points. */
  test: Float64Array;
  /** Outputs at the training points. */
  train: Float64Array;
}

/** Options of {@link trainKernelMachine}. */
export interface KernelTrainOptions {
  loss: KernelLoss;
  lr: number;
  lambda: number;
  steps: number;
  /** Steps (0 … steps) at which to record the state. */
  recordAt: number[];
}

function matvec(K: Float64Array, rows: number, cols: number, a: Float64Array): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += K[i * cols + j]! * a[j]!;
    out[i] = s;
  }
  return out;
}

/** Mean hinge max(0, 1 − y·g) or mean ½(g − y)². */
export function meanLoss(loss: KernelLoss, g: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++)
    s += loss === 'hinge' ? Math.max(0, 1 - y[i]! * g[i]!) : 0.5 * (g[i]! - y[i]!) ** 2;
  return s / y.length;
}

/**
 * Full-batch (sub)gradient descent of a kernel machine from α = 0: soft-margin SVM (hinge) or kernel ridge
 * regression (squared loss), both with penalty (λ/2)αᵀKα. K is N×N (train), kTest M×N.
 */
export function trainKernelMachine(
  K: Float64Array,
  kTest: Float64Array,
  y: Float64Array,
  o: KernelTrainOptions,
): KernelTrajectoryPoint[] {
  const n = y.length;
  const m = kTest.length / n;
  const alpha = new Float64Array(n);
  const record = new Set(o.recordAt);
  const out: KernelTrajectoryPoint[] = [];
  for (let t = 0; t <= o.steps; t++) {
    const g = matvec(K, n, n, alpha);
    if (record.has(t)) {
      let reg = 0;
      for (let i = 0; i < n; i++) reg += alpha[i]! * g[i]!;
      const dataLoss = meanLoss(o.loss, g, y);
      out.push({
        step: t,
        dataLoss,
        objective: dataLoss + 0.5 * o.lambda * reg,
        test: matvec(kTest, m, n, alpha),
        train: g,
      });
    }
    if (t === o.steps) break;
    const decay = 1 - o.lr * o.lambda;
    for (let i = 0; i < n; i++) {
      // −∂loss/∂g_i: hinge subgradient y·1[y·g < 1], squared loss (y − g).
      const drive = o.loss === 'hinge' ? (y[i]! * g[i]! < 1 ? y[i]! : 0) : y[i]! - g[i]!;
      alpha[i] = decay * alpha[i]! + (o.lr / n) * drive;
    }
  }
  return out;
}
