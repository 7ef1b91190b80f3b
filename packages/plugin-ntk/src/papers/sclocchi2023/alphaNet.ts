import type { Rng } from '@paperlab/core';

/**
 * A small fully-connected ReLU net in NTK parametrisation, in Float64 host code with hand-written backprop
 * (per-step work is tiny, so tfjs op overhead would dominate): f(x) = √(2/h)·w₃·ReLU(√(2/h)·W₂·ReLU(√(2/d)·W₁x)),
 * all weights N(0, 1) (σw² = 2 in every layer, so its NTK is `fcKernels` with depth 3, σw² = 2, σb² = 0). Its output is centred and scaled as f_α(x) = α(f(w, x) − f(w₀, x)) (Chizat et al.; Geiger et al.):
 * α ≫ 1 is the lazy (NTK) regime, α ≪ 1 the feature-learning regime.
 */
export class AlphaNet {
  readonly d: number;
  readonly h: number;
  readonly W1: Float64Array;
  readonly W2: Float64Array;
  readonly w3: Float64Array;
  private readonly a1: Float64Array;
  private readonly a2: Float64Array;
  private readonly z1: Float64Array;
  private readonly z2: Float64Array;

  /** Draws the initial weights from the Rng. */
  constructor(rng: Rng, d: number, h: number) {
    this.d = d;
    this.h = h;
    this.W1 = Float64Array.from(rng.split('W1').normals(h * d));
    this.W2 = Float64Array.from(rng.split('W2').normals(h * h));
    this.w3 = Float64Array.from(rng.split('w3').normals(h));
    this.a1 = new Float64Array(h);
    this.a2 = new Float64Array(h);
    this.z1 = new Float64Array(h);
    this.z2 = new Float64Array(h);
  }

  /** Raw output f(w, x) for the row x[off … off+d). Leaves activations for {@link accumulateGrad}. */
  forward(x: ArrayLike<number>, off: number): number {
    const { d, h, W1, W2, w3, a1, a2, z1, z2 } = this;
    const s1 = Math.sqrt(2 / d);
    const s2 = Math.sqrt(2 / h);
    const s3 = Math.sqrt(2 / h);
    for (let i = 0; i < h; i++) {
      let s = 0;
      const r = i * d;
      for (let k = 0; k < d; k++) s += W1[r + k]! * x[off + k]!;
      z1[i] = s * s1;
      a1[i] = Math.max(z1[i]!, 0);
    }
    let out = 0;
    for (let i = 0; i < h; i++) {
      let s = 0;
      const r = i * h;
      for (let k = 0; k < h; k++) s += W2[r + k]! * a1[k]!;
      z2[i] = s * s2;
      a2[i] = Math.max(z2[i]!, 0);
      out += w3[i]! * a2[i]!;
    }
    return out * s3;
  }

  /** Adds c·∂f/∂w (at the last forward input x) into the gradient buffers. */
  accumulateGrad(
    x: ArrayLike<number>,
    off: number,
    c: number,
    g: { W1: Float64Array; W2: Float64Array; w3: Float64Array },
  ) {
    const { d, h, W2, w3, a1, a2, z1, z2 } = this;
    const s1 = Math.sqrt(2 / d);
    const s2 = Math.sqrt(2 / h);
    const s3 = Math.sqrt(2 / h);
    const delta2 = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      g.w3[i]! += c * a2[i]! * s3;
      delta2[i] = z2[i]! > 0 ? c * w3[i]! * s3 * s2 : 0; // ∂(c f)/∂z2_i times the s2 of z2 = s2·W2·a1
    }
    const delta1 = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      const di = delta2[i]!;
      if (di === 0) continue;
      const r = i * h;
      for (let k = 0; k < h; k++) {
        g.W2[r + k]! += di * a1[k]!;
        delta1[k]! += di * W2[r + k]!;
      }
    }
    for (let k = 0; k < h; k++) {
      const dk = z1[k]! > 0 ? delta1[k]! * s1 : 0;
      if (dk === 0) continue;
      const r = k * d;
      for (let j = 0; j < d; j++) g.W1[r + j]! += dk * x[off + j]!;
    }
  }

  /** Per-example Jacobians ∂f/∂w of rows of x, [n, params] row-major (the empirical NTK is J·Jᵀ). */
  jacobian(x: ArrayLike<number>, n: number): Float64Array {
    const p = this.W1.length + this.W2.length + this.w3.length;
    const J = new Float64Array(n * p);
    const g = {
      W1: new Float64Array(this.W1.length),
      W2: new Float64Array(this.W2.length),
      w3: new Float64Array(this.h),
    };
    for (let i = 0; i < n; i++) {
      g.W1.fill(0);
      g.W2.fill(0);
      g.w3.fill(0);
      this.forward(x, i * this.d);
      this.accumulateGrad(x, i * this.d, 1, g);
      J.set(g.W1, i * p);
      J.set(g.W2, i * p + g.W1.length);
      J.set(g.w3, i * p + g.W1.length + g.W2.length);
    }
    return J;
  }

  /** Squared distance of the weights from another net's (for the relative weight change). */
  distance2(other: AlphaNet): { diff: number; norm: number } {
    let diff = 0;
    let norm = 0;
    for (const [a, b] of [
      [this.W1, other.W1],
      [this.W2, other.W2],
      [this.w3, other.w3],
    ] as const)
      for (let i = 0; i < a.length; i++) {
        diff += (a[i]! - b[i]!) ** 2;
        norm += b[i]! ** 2;
      }
    return { diff, norm };
  }

  /** A copy with the same weights. */
  clone(): AlphaNet {
    const c = Object.create(AlphaNet.prototype) as AlphaNet;
    Object.assign(c, {
      d: this.d,
      h: this.h,
      W1: this.W1.slice(),
      W2: this.W2.slice(),
      w3: this.w3.slice(),
      a1: new Float64Array(this.h),
      a2: new Float64Array(this.h),
      z1: new Float64Array(this.h),
      z2: new Float64Array(this.h),
    });
    return c;
  }
}

/** Options of {@link trainAlphaNet}. */
export interface AlphaTrainOptions {
  alpha: number;
  /** SGD temperature T = η/B. */
  temperature: number;
  batch: number;
  /** Stop after this many epochs if some training margin is still < 1. */
  maxEpochs: number;
}

/** Outcome of one SGD run. */
export interface AlphaRun {
  [key: string]: number | boolean;
  testError: number;
  converged: boolean;
  /** Weights or outputs blew up (learning rate too large for this α). */
  diverged: boolean;
  epochs: number;
  /** Training time t* = η × steps. */
  time: number;
  /** ‖w_T − w₀‖/‖w₀‖. */
  weightChange: number;
}

/** Training points (n rows of `x`) with ±1 labels, and test points. */
export interface AlphaData {
  x: Float64Array;
  y: Float64Array;
  n: number;
  xTest: Float64Array;
  yTest: Float64Array;
  nTest: number;
}

/**
 * SGD on the hinge loss L = (1/α²)·mean_batch max(0, 1 − y·f_α(x)) until every training margin y·f_α ≥ 1
 * (zero training loss: the stopping process whose noise sensitivity Sclocchi et al. study) or maxEpochs.
 * In function space the lazy dynamics is α-independent, and T = η/B sets the noise.
 */
export function trainAlphaNet(rng: Rng, net: AlphaNet, data: AlphaData, o: AlphaTrainOptions): AlphaRun {
  const w0 = net.clone();
  const d = net.d;
  const f0 = Float64Array.from({ length: data.n }, (_, i) => w0.forward(data.x, i * d));
  const f0Test = Float64Array.from({ length: data.nTest }, (_, i) => w0.forward(data.xTest, i * d));
  const eta = o.temperature * o.batch;
  const g = {
    W1: new Float64Array(net.W1.length),
    W2: new Float64Array(net.W2.length),
    w3: new Float64Array(net.h),
  };
  let steps = 0;
  let converged = false;
  let diverged = false;
  let epoch = 0;
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  for (; epoch < o.maxEpochs && !converged; epoch++) {
    // Reshuffle, then one pass of mini-batches.
    for (let i = data.n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let start = 0; start + o.batch <= data.n; start += o.batch) {
      g.W1.fill(0);
      g.W2.fill(0);
      g.w3.fill(0);
      let active = 0;
      for (let b = 0; b < o.batch; b++) {
        const i = order[start + b]!;
        const margin = data.y[i]! * o.alpha * (net.forward(data.x, i * d) - f0[i]!);
        if (margin < 1) {
          active++;
          // −∂L/∂w = (1/(α²B))·y·α·∂f/∂w for active points.
          net.accumulateGrad(data.x, i * d, data.y[i]! / (o.alpha * o.batch), g);
        }
      }
      if (active > 0) {
        for (let k = 0; k < g.W1.length; k++) net.W1[k]! += eta * g.W1[k]!;
        for (let k = 0; k < g.W2.length; k++) net.W2[k]! += eta * g.W2[k]!;
        for (let k = 0; k < g.w3.length; k++) net.w3[k]! += eta * g.w3[k]!;
      }
      steps++;
    }
    // Blow-up check (a learning rate too large for this α), then a full check of the training margins.
    const drift = net.distance2(w0);
    if (!(drift.diff < 1e4 * drift.norm)) {
      diverged = true;
      epoch++;
      break;
    }
    converged = true;
    for (let i = 0; i < data.n; i++) {
      const m = data.y[i]! * o.alpha * (net.forward(data.x, i * d) - f0[i]!);
      if (!Number.isFinite(m) || Math.abs(m) > 1e8) {
        diverged = true;
        break;
      }
      if (m < 1) {
        converged = false;
        break;
      }
    }
    if (diverged) {
      converged = false;
      epoch++;
      break;
    }
  }
  let errors = 0;
  for (let i = 0; i < data.nTest; i++) {
    const f = o.alpha * (net.forward(data.xTest, i * d) - f0Test[i]!);
    if (!(f * data.yTest[i]! > 0)) errors++;
  }
  const { diff, norm } = net.distance2(w0);
  const change = Math.sqrt(diff / norm);
  return {
    testError: errors / data.nTest,
    converged,
    diverged,
    epochs: epoch,
    time: eta * steps,
    weightChange: Number.isFinite(change) ? change : 1e9,
  };
}
