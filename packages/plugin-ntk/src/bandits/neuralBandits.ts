import { type Rng, throwIfAborted } from '@paperlab/core';

/**
 * Contextual bandits built from classification data and the learners that play them, in Float64 on the
 * host: every round is one forward pass over K arms and one online gradient step on one example — work that
 * is sequential by nature and too small (10⁴–10⁵ multiply-adds) to pay for tensor-op dispatch.
 */

/** A stream of contexts with their true class: playing arm a earns reward 1 iff a is the class. */
export interface ClassificationStream {
  /** Contexts, [rounds, dim] row-major. */
  x: Float64Array;
  labels: Int32Array;
  dim: number;
  arms: number;
}

/** Online regression loss of the reward model: squared loss on f, or KL (log) loss on sigmoid(f). */
export type RegressionLoss = 'squared' | 'kl';

/** Options of {@link WideArmNet}. */
export interface WideArmNetOptions {
  dim: number;
  arms: number;
  width: number;
  /** Online gradient-descent step. */
  lr: number;
  loss: RegressionLoss;
  /** Scale σ of the prediction perturbation ⟨θ − θ₀, ε_t⟩, ε_t with i.i.d. ±σ/√P entries; 0 turns it off. */
  perturbation: number;
}

/**
 * A wide two-layer ReLU reward model in NTK parametrisation on block-encoded arm features (the context placed
 * in arm a's block, so each arm has its own first layer and all share the readout):
 * f(x, a) = (1/√m)·Σ_j v_j·relu(√(2/d)·⟨W_{a,·,j}, x⟩). Optionally perturbed: f̃_t = f + ⟨θ − θ₀, ε_t⟩.
 */
export class WideArmNet {
  /** The options it was built with. */
  readonly o: WideArmNetOptions;
  /** First layer, [arms, dim, width]. */
  readonly W: Float64Array;
  /** Readout, [width]. */
  readonly v: Float64Array;
  private readonly W0: Float64Array;
  private readonly v0: Float64Array;
  private readonly eps: Float64Array | null;
  private readonly rng: Rng;
  private readonly hidden: Float64Array;
  private offset = 0;

  /** Draws the weights (standard normal, NTK scaling in the forward pass). */
  constructor(o: WideArmNetOptions, rng: Rng) {
    this.o = o;
    const nW = o.arms * o.dim * o.width;
    this.W = Float64Array.from(rng.split('W').normals(nW));
    this.v = Float64Array.from(rng.split('v').normals(o.width));
    this.W0 = Float64Array.from(this.W);
    this.v0 = Float64Array.from(this.v);
    this.eps = o.perturbation > 0 ? new Float64Array(nW + o.width) : null;
    this.rng = rng.split('perturbation');
    this.hidden = new Float64Array(o.arms * o.width);
  }

  /** Number of parameters P. */
  get size(): number {
    return this.W.length + this.v.length;
  }

  /** Starts round t: draws ε_t (±σ/√P per entry) and the offset ⟨θ − θ₀, ε_t⟩ shared by all arms. */
  beginRound(): void {
    const eps = this.eps;
    if (!eps) return;
    const s = this.o.perturbation / Math.sqrt(eps.length);
    const rng = this.rng;
    for (let k = 0; k < eps.length; k += 32) {
      const bits = rng.nextUint32();
      const end = Math.min(32, eps.length - k);
      for (let b = 0; b < end; b++) eps[k + b] = s * (((bits >>> b) & 1) * 2 - 1); // branch-free: the bits are random
    }
    const { W, W0, v, v0 } = this;
    const nW = W.length;
    let off = 0;
    for (let k = 0; k < nW; k++) off += eps[k]! * (W[k]! - W0[k]!);
    for (let j = 0; j < v.length; j++) off += eps[nW + j]! * (v[j]! - v0[j]!);
    this.offset = off;
  }

  /** Raw scores f̃(x, a) for every arm (also caches the hidden activations for {@link update}). */
  scores(x: Float64Array, xOff = 0): Float64Array {
    const { arms, dim, width } = this.o;
    const out = new Float64Array(arms);
    const c = Math.sqrt(2 / dim);
    const h = this.hidden;
    for (let a = 0; a < arms; a++) {
      const base = a * dim * width;
      const ha = a * width;
      h.fill(0, ha, ha + width);
      for (let i = 0; i < dim; i++) {
        const xi = x[xOff + i]!;
        if (xi === 0) continue;
        const row = base + i * width;
        for (let j = 0; j < width; j++) h[ha + j]! += xi * this.W[row + j]!;
      }
      let f = 0;
      for (let j = 0; j < width; j++) {
        const pre = c * h[ha + j]!;
        h[ha + j] = pre;
        if (pre > 0) f += this.v[j]! * pre;
      }
      out[a] = f / Math.sqrt(width) + this.offset;
    }
    return out;
  }

  /** Predicted reward of each arm: f̃ (squared loss) or sigmoid(f̃) (KL loss). */
  predict(x: Float64Array, xOff = 0): Float64Array {
    const s = this.scores(x, xOff);
    return this.o.loss === 'kl' ? s.map((z) => 1 / (1 + Math.exp(-z))) : s;
  }

  /**
   * The squared gradient g² of f(x, a) (without the perturbation term), from the activations cached by the last
   * {@link scores} call on this x: `mode` 'quad' returns Σ_k g_k²/z_k; 'add' adds g² into z and returns 0.
   */
  gradientSquares(x: Float64Array, xOff: number, arm: number, z: Float64Array, mode: 'quad' | 'add'): number {
    const { dim, width } = this.o;
    const c2 = 2 / dim;
    const ha = arm * width;
    const base = arm * dim * width;
    const nW = this.W.length;
    let q = 0;
    // ∂f/∂v_j = relu(pre_j)/√m; ∂f/∂W_{a,i,j} = x_i·v_j·c·1[pre_j > 0]/√m.
    for (let j = 0; j < width; j++) {
      const pre = this.hidden[ha + j]!;
      const gv = pre > 0 ? (pre * pre) / width : 0;
      if (mode === 'add') z[nW + j]! += gv;
      else q += gv / z[nW + j]!;
    }
    for (let i = 0; i < dim; i++) {
      const xi2 = x[xOff + i]! ** 2;
      if (xi2 === 0) continue;
      const row = base + i * width;
      for (let j = 0; j < width; j++) {
        if (this.hidden[ha + j]! <= 0) continue;
        const g = (xi2 * this.v[j]! ** 2 * c2) / width;
        if (mode === 'add') z[row + j]! += g;
        else q += g / z[row + j]!;
      }
    }
    return q;
  }

  /**
   * One online gradient step on the played arm's loss ℓ(f̃(x, a), r), using the activations cached by the
   * last {@link scores}/{@link predict} call on this x. Returns the loss before the step.
   */
  update(x: Float64Array, xOff: number, arm: number, reward: number, prediction: number): number {
    const { dim, width, lr } = this.o;
    // dℓ/df̃: f̃ − r for ½(f̃ − r)², σ(f̃) − r for the log loss.
    const g = prediction - reward;
    const loss =
      this.o.loss === 'kl'
        ? -(
            reward * Math.log(Math.max(prediction, 1e-12)) +
            (1 - reward) * Math.log(Math.max(1 - prediction, 1e-12))
          )
        : 0.5 * g * g;
    const c = Math.sqrt(2 / dim);
    const inv = 1 / Math.sqrt(width);
    const ha = arm * width;
    const base = arm * dim * width;
    const step = lr * g;
    const eps = this.eps;
    const nW = this.W.length;
    // Readout first (its gradient uses the pre-update hidden layer), then the played arm's first layer.
    const gW = new Float64Array(width);
    for (let j = 0; j < width; j++) {
      const pre = this.hidden[ha + j]!;
      gW[j] = pre > 0 ? this.v[j]! * inv * c : 0;
      this.v[j]! -= step * (pre > 0 ? pre * inv : 0);
    }
    for (let i = 0; i < dim; i++) {
      const xi = x[xOff + i]!;
      if (xi === 0) continue;
      const row = base + i * width;
      for (let j = 0; j < width; j++) this.W[row + j]! -= step * xi * gW[j]!;
    }
    if (eps) {
      // ∇_θ⟨θ − θ₀, ε_t⟩ = ε_t: every parameter moves (that is what breaks the minima's degeneracy).
      const { W, v } = this;
      for (let k = 0; k < nW; k++) W[k]! -= step * eps[k]!;
      for (let j = 0; j < width; j++) v[j]! -= step * eps[nW + j]!;
    }
    return loss;
  }
}

/**
 * SquareCB's inverse-gap weighting (Foster & Rakhlin 2020) on predicted rewards: p_a = 1/(K + γ(r̂_b − r̂_a))
 * for a ≠ b = argmax r̂, the rest on b.
 */
export function squareCbProbabilities(rewardHat: Float64Array, gamma: number): Float64Array {
  const K = rewardHat.length;
  let b = 0;
  for (let a = 1; a < K; a++) if (rewardHat[a]! > rewardHat[b]!) b = a;
  const p = new Float64Array(K);
  let rest = 0;
  for (let a = 0; a < K; a++) {
    if (a === b) continue;
    p[a] = 1 / (K + gamma * (rewardHat[b]! - rewardHat[a]!));
    rest += p[a]!;
  }
  p[b] = 1 - rest;
  return p;
}

/**
 * FastCB's weighting (Foster & Krishnamurthy 2021) on predicted losses ŷ = 1 − r̂:
 * p_a = ŷ_b/(K·ŷ_b + γ(ŷ_a − ŷ_b)) for a ≠ b = argmin ŷ — exploration shrinks as the best arm's loss does.
 */
export function fastCbProbabilities(rewardHat: Float64Array, gamma: number): Float64Array {
  const K = rewardHat.length;
  const y = rewardHat.map((r) => Math.min(1, Math.max(1e-6, 1 - r)));
  let b = 0;
  for (let a = 1; a < K; a++) if (y[a]! < y[b]!) b = a;
  const p = new Float64Array(K);
  let rest = 0;
  for (let a = 0; a < K; a++) {
    if (a === b) continue;
    p[a] = y[b]! / (K * y[b]! + gamma * (y[a]! - y[b]!));
    rest += p[a]!;
  }
  p[b] = 1 - rest;
  return p;
}

/** Disjoint LinUCB (Li et al. 2010): per-arm ridge regression with an α·√(xᵀA_a⁻¹x) bonus. */
export class LinUcb {
  private readonly Ainv: Float64Array[];
  private readonly b: Float64Array[];
  private readonly theta: Float64Array[];
  private readonly dim: number;
  private readonly alpha: number;

  /** A_a = λI initially. */
  constructor(arms: number, dim: number, alpha: number, lambda: number) {
    this.dim = dim;
    this.alpha = alpha;
    this.Ainv = Array.from({ length: arms }, () => {
      const m = new Float64Array(dim * dim);
      for (let i = 0; i < dim; i++) m[i * dim + i] = 1 / lambda;
      return m;
    });
    this.b = Array.from({ length: arms }, () => new Float64Array(dim));
    this.theta = Array.from({ length: arms }, () => new Float64Array(dim));
  }

  /** Arm with the largest upper confidence bound (first on ties). */
  choose(x: Float64Array, xOff = 0): number {
    const d = this.dim;
    let best = 0;
    let bestVal = -Infinity;
    this.Ainv.forEach((Ai, a) => {
      let mean = 0;
      let q = 0;
      for (let i = 0; i < d; i++) {
        const xi = x[xOff + i]!;
        mean += this.theta[a]![i]! * xi;
        let s = 0;
        for (let j = 0; j < d; j++) s += Ai[i * d + j]! * x[xOff + j]!;
        q += xi * s;
      }
      const ucb = mean + this.alpha * Math.sqrt(Math.max(q, 0));
      if (ucb > bestVal) {
        bestVal = ucb;
        best = a;
      }
    });
    return best;
  }

  /** Sherman–Morrison update of the played arm. */
  update(x: Float64Array, xOff: number, arm: number, reward: number): void {
    const d = this.dim;
    const Ai = this.Ainv[arm]!;
    const u = new Float64Array(d);
    let denom = 1;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Ai[i * d + j]! * x[xOff + j]!;
      u[i] = s;
      denom += x[xOff + i]! * s;
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Ai[i * d + j]! -= (u[i]! * u[j]!) / denom;
    const b = this.b[arm]!;
    for (let i = 0; i < d; i++) b[i]! += reward * x[xOff + i]!;
    const th = this.theta[arm]!;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Ai[i * d + j]! * b[j]!;
      th[i] = s;
    }
  }
}

/** A bandit algorithm's configuration. */
export type BanditPolicy =
  | { kind: 'squarecb'; loss: RegressionLoss; perturbation: number; gamma0: number }
  | { kind: 'fastcb'; loss: RegressionLoss; perturbation: number; gamma0: number }
  | { kind: 'epsilon-greedy'; loss: RegressionLoss; eps0: number }
  | { kind: 'neuralucb'; gamma: number; lambda: number }
  | { kind: 'neuralts'; nu: number; lambda: number }
  | { kind: 'linucb'; alpha: number; lambda: number }
  | { kind: 'random' };

/** Cumulative regret of one run, recorded at the requested rounds. */
export interface BanditTrace {
  rounds: number[];
  regret: number[];
  /** Mean online loss of the reward model over the run (NaN for policies without one). */
  meanLoss: number;
}

/**
 * Plays a classification stream with a policy: regret_t = 1 − r_t (the best arm always earns 1). Exploration
 * weights use γ_t = γ₀·√(K·t) (SquareCB's √(KT) scaling, made anytime); ε-greedy uses ε_t = min(1, ε₀·t^{−1/3}).
 */
export function runBandit(
  stream: ClassificationStream,
  policy: BanditPolicy,
  o: { rounds: number; width: number; lr: number; record: number[]; rng: Rng; signal?: AbortSignal },
): BanditTrace {
  const { dim, arms } = stream;
  const T = Math.min(o.rounds, stream.labels.length);
  const choice = o.rng.split('choices');
  const neural = policy.kind === 'neuralucb' || policy.kind === 'neuralts';
  const net =
    policy.kind === 'squarecb' || policy.kind === 'fastcb' || policy.kind === 'epsilon-greedy' || neural
      ? new WideArmNet(
          {
            dim,
            arms,
            width: o.width,
            lr: o.lr,
            loss: neural ? 'squared' : policy.loss,
            perturbation: policy.kind === 'squarecb' || policy.kind === 'fastcb' ? policy.perturbation : 0,
          },
          o.rng.split('net'),
        )
      : null;
  // NeuralUCB / NeuralTS: Z = λI + Σ g gᵀ in the diagonal approximation of the authors' experiments.
  const z = neural ? new Float64Array(net!.size).fill(policy.lambda) : null;
  const lin = policy.kind === 'linucb' ? new LinUcb(arms, dim, policy.alpha, policy.lambda) : null;
  const marks = new Set(o.record);
  const trace: BanditTrace = { rounds: [], regret: [], meanLoss: Number.NaN };
  let regret = 0;
  let lossSum = 0;
  for (let t = 1; t <= T; t++) {
    if (t % 256 === 0 && o.signal) throwIfAborted(o.signal);
    const off = (t - 1) * dim;
    const label = stream.labels[t - 1]!;
    let arm: number;
    let rHat: Float64Array | null = null;
    if (net) {
      net.beginRound();
      rHat = net.predict(stream.x, off);
    }
    switch (policy.kind) {
      case 'squarecb':
        arm = choice.categorical(squareCbProbabilities(rHat!, policy.gamma0 * Math.sqrt(arms * t)));
        break;
      case 'fastcb':
        arm = choice.categorical(fastCbProbabilities(rHat!, policy.gamma0 * Math.sqrt(arms * t)));
        break;
      case 'epsilon-greedy': {
        const eps = Math.min(1, policy.eps0 * t ** (-1 / 3));
        if (choice.uniform() < eps) arm = choice.int(arms);
        else {
          arm = 0;
          for (let a = 1; a < arms; a++) if (rHat![a]! > rHat![arm]!) arm = a;
        }
        break;
      }
      case 'neuralucb':
      case 'neuralts': {
        const scale = policy.kind === 'neuralucb' ? policy.gamma : policy.nu;
        let best = -Infinity;
        arm = 0;
        for (let a = 0; a < arms; a++) {
          const sd = Math.sqrt(net!.gradientSquares(stream.x, off, a, z!, 'quad'));
          const v = rHat![a]! + scale * sd * (policy.kind === 'neuralts' ? choice.normal() : 1);
          if (v > best) [best, arm] = [v, a];
        }
        net!.gradientSquares(stream.x, off, arm, z!, 'add');
        break;
      }
      case 'linucb':
        arm = lin!.choose(stream.x, off);
        break;
      default:
        arm = choice.int(arms);
    }
    const reward = arm === label ? 1 : 0;
    regret += 1 - reward;
    if (net) lossSum += net.update(stream.x, off, arm, reward, rHat![arm]!);
    if (lin) lin.update(stream.x, off, arm, reward);
    if (marks.has(t)) {
      trace.rounds.push(t);
      trace.regret.push(regret);
    }
  }
  if (net) trace.meanLoss = lossSum / T;
  return trace;
}
