import { type Rng, throwIfAborted } from '@paperlab/core';
import { eigh, type Mat, matmul, transpose } from '@paperlab/core/linalg';
import { logAddExp } from '../../util/logAddExp.js';

/**
 * One-layer softmax attention f(X) = vᵀXᵀ softmax(XWz) on a fixed synthetic dataset, in Float64 on the host:
 * the problems are tiny (d ≤ 32) and directional convergence needs ‖W‖ ≫ 1, where float32 softmax saturates.
 */
export interface AttentionProblem {
  n: number;
  T: number;
  d: number;
  /** Tokens x_it, [n, T, d] row-major. */
  X: Float64Array;
  /** Queries z_i, [n, d]. */
  Z: Float64Array;
  /** Labels Y_i ∈ {±1}. */
  Y: Float64Array;
  /** Fixed value/head vector v. */
  v: Float64Array;
  /** Token scores γ_it = Y_i·vᵀx_it. */
  scores: Float64Array;
}

function unitVectors(rng: Rng, count: number, d: number): Float64Array {
  const out = Float64Array.from(rng.normals(count * d));
  for (let k = 0; k < count; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += out[k * d + j]! ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) out[k * d + j]! *= inv;
  }
  return out;
}

/** Tokens, queries and v uniform on the unit sphere; random ±1 labels. */
export function randomAttentionProblem(rng: Rng, n: number, T: number, d: number): AttentionProblem {
  const X = unitVectors(rng.split('tokens'), n * T, d);
  const Z = unitVectors(rng.split('queries'), n, d);
  const v = unitVectors(rng.split('head'), 1, d);
  const yr = rng.split('labels');
  const Y = Float64Array.from({ length: n }, () => (yr.bernoulli(0.5) ? 1 : -1));
  const scores = new Float64Array(n * T);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      let g = 0;
      for (let j = 0; j < d; j++) g += v[j]! * X[(i * T + t) * d + j]!;
      scores[i * T + t] = Y[i]! * g;
    }
  return { n, T, d, X, Z, Y, v, scores };
}

/** Index of the highest-score token of each sequence (the globally optimal tokens). */
export function optimalTokens(p: AttentionProblem): Int32Array {
  const sel = new Int32Array(p.n);
  for (let i = 0; i < p.n; i++) {
    let best = 0;
    for (let t = 1; t < p.T; t++) if (p.scores[i * p.T + t]! > p.scores[i * p.T + best]!) best = t;
    sel[i] = best;
  }
  return sel;
}

/** Token with the largest attention weight in each sequence (the tokens W selects). */
export function selectedTokens(p: AttentionProblem, W: Float64Array): Int32Array {
  const s = attentionWeights(p, W);
  return Int32Array.from({ length: p.n }, (_, i) => {
    let best = 0;
    for (let t = 1; t < p.T; t++) if (s[i * p.T + t]! > s[i * p.T + best]!) best = t;
    return best;
  });
}

/** Writes the attention logits x_tᵀ·W·z_i of sample i to out[offset…offset + T) (`u`: d values of scratch). */
function attentionLogits(
  p: AttentionProblem,
  W: Float64Array,
  i: number,
  u: Float64Array,
  out: Float64Array,
  offset: number,
): void {
  const { T, d, X, Z } = p;
  for (let a = 0; a < d; a++) {
    let acc = 0;
    for (let b = 0; b < d; b++) acc += W[a * d + b]! * Z[i * d + b]!;
    u[a] = acc;
  }
  for (let t = 0; t < T; t++) {
    let acc = 0;
    for (let a = 0; a < d; a++) acc += X[(i * T + t) * d + a]! * u[a]!;
    out[offset + t] = acc;
  }
}

/** Softmax attention weights s_it for a d×d W (row-major). */
export function attentionWeights(p: AttentionProblem, W: Float64Array): Float64Array {
  const { n, T, d } = p;
  const s = new Float64Array(n * T);
  const u = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    attentionLogits(p, W, i, u, s, i * T);
    let max = -Infinity;
    for (let t = 0; t < T; t++) if (s[i * T + t]! > max) max = s[i * T + t]!;
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const e = Math.exp(s[i * T + t]! - max);
      s[i * T + t] = e;
      sum += e;
    }
    for (let t = 0; t < T; t++) s[i * T + t]! /= sum;
  }
  return s;
}

/** Logistic loss (1/n)Σ log(1 + e^{−Y_i f(X_i)}) and its gradient with respect to W. */
export function lossAndGradient(p: AttentionProblem, W: Float64Array): { loss: number; grad: Float64Array } {
  const { n, T, d, X, Z, Y } = p;
  const s = attentionWeights(p, W);
  const grad = new Float64Array(d * d);
  const r = new Float64Array(d);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    // f_i = Σ_t s_t g_t with g_t = vᵀx_t = Y_i·γ_t.
    let f = 0;
    for (let t = 0; t < T; t++) f += s[i * T + t]! * Y[i]! * p.scores[i * T + t]!;
    const margin = Y[i]! * f;
    loss += margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
    const dl = (-1 / (1 + Math.exp(margin))) * Y[i]!; // ℓ'(Yf)·Y
    r.fill(0);
    for (let t = 0; t < T; t++) {
      const c = s[i * T + t]! * (Y[i]! * p.scores[i * T + t]! - f);
      for (let a = 0; a < d; a++) r[a]! += c * X[(i * T + t) * d + a]!;
    }
    for (let a = 0; a < d; a++) {
      const ra = (dl * r[a]!) / n;
      for (let b = 0; b < d; b++) grad[a * d + b]! += ra * Z[i * d + b]!;
    }
  }
  return { loss: loss / n, grad };
}

/**
 * Unit-norm direction of ∇_W L, computed in the log domain. Once ‖W‖ is large the softmax puts weight
 * e^{−(gap)} on the unselected tokens; every gradient term carries such a factor and the selected token's term
 * carries f − g_t, a difference of O(1) numbers equal to a tiny sum. Computed naively both underflow or
 * drown in round-off, and normalised GD then follows noise. Here each term's logarithm is formed exactly
 * (f − g_t = Σ_u s_u(g_u − g_t) split into signed log-sum-exps) and all are rescaled by the largest before
 * exponentiating, so the direction is exact to round-off at any ‖W‖.
 */
export function gradientDirection(p: AttentionProblem, W: Float64Array): Float64Array {
  const { n, T, d, X, Z, Y } = p;
  const logits = new Float64Array(T);
  const logS = new Float64Array(T);
  const u = new Float64Array(d);
  const terms: Array<{ i: number; t: number; logMag: number; sign: number }> = [];
  for (let i = 0; i < n; i++) {
    attentionLogits(p, W, i, u, logits, 0);
    let lse = -Infinity;
    for (let t = 0; t < T; t++) lse = logAddExp(lse, logits[t]!);
    for (let t = 0; t < T; t++) logS[t] = logits[t]! - lse;
    const g = (t: number) => Y[i]! * p.scores[i * T + t]!; // vᵀx_t
    let f = 0;
    for (let t = 0; t < T; t++) f += Math.exp(logS[t]!) * g(t);
    const margin = Y[i]! * f;
    // ∂ℓ(Y f)/∂f = −Y/(1 + e^{Yf}): its sign is −Y, its size O(1).
    const logDl = -Math.log1p(Math.exp(margin));
    for (let t = 0; t < T; t++) {
      // g_t − f = Σ_u s_u (g_t − g_u) = e^{pos} − e^{neg}.
      let pos = -Infinity;
      let neg = -Infinity;
      for (let v = 0; v < T; v++) {
        const diff = g(t) - g(v);
        if (diff > 0) pos = logAddExp(pos, logS[v]! + Math.log(diff));
        else if (diff < 0) neg = logAddExp(neg, logS[v]! + Math.log(-diff));
      }
      if (pos === neg) continue;
      const big = Math.max(pos, neg);
      const logDiff = big + Math.log1p(-Math.exp(Math.min(pos, neg) - big));
      const sign = (pos > neg ? 1 : -1) * -Y[i]!;
      terms.push({ i, t, logMag: logDl + logS[t]! + logDiff, sign });
    }
  }
  const grad = new Float64Array(d * d);
  if (terms.length === 0) return grad;
  const top = Math.max(...terms.map((x) => x.logMag));
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    r.fill(0);
    for (const term of terms) {
      if (term.i !== i) continue;
      const c = term.sign * Math.exp(term.logMag - top);
      for (let a = 0; a < d; a++) r[a]! += c * X[(i * T + term.t) * d + a]!;
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) grad[a * d + b]! += r[a]! * Z[i * d + b]!;
  }
  const norm = fro(grad);
  return norm > 0 ? grad.map((x) => x / norm) : grad;
}

/** Frobenius norm. */
export function fro(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** Cosine similarity ⟨A, B⟩/(‖A‖‖B‖) of two matrices (flattened). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  for (let i = 0; i < a.length; i++) ab += a[i]! * b[i]!;
  return ab / (fro(a) * fro(b));
}

/** A d×d row-major array as a matrix (a view: no copy). */
export function square(a: Float64Array, d: number): Mat {
  return { rows: d, cols: d, data: a };
}

/** Singular values and right singular vectors of a d×d matrix, via the eigendecomposition of WᵀW. */
export function singularValues(W: Float64Array, d: number): { sigma: Float64Array; V: Float64Array } {
  const e = eigh(matmul(transpose(square(W, d)), square(W, d)));
  return { sigma: e.values.map((l) => Math.sqrt(Math.max(l, 0))), V: Float64Array.from(e.vectors.data) };
}

/** Nuclear norm Σσ. */
export function nuclearNorm(W: Float64Array, d: number): number {
  return singularValues(W, d).sigma.reduce((a, b) => a + b, 0);
}

/** Records of one gradient-descent run at log-spaced checkpoints. */
export interface GdTrace {
  steps: number[];
  /** W at each checkpoint (flattened d×d). */
  W: Float64Array[];
  loss: number[];
}

/**
 * Normalised gradient descent W ← W − η·∇L/‖∇L‖_F on W directly (the Frobenius-norm implicit bias), or on
 * (K, Q) with W = KQᵀ (the nuclear-norm implicit bias), the step normalised by the joint gradient norm.
 */
export function normalisedGd(
  p: AttentionProblem,
  o: {
    parametrisation: 'W' | 'KQ';
    steps: number;
    eta: number;
    init: number;
    rng: Rng;
    checkpoints: number[];
    signal?: AbortSignal;
  },
): GdTrace {
  const d = p.d;
  const trace: GdTrace = { steps: [], W: [], loss: [] };
  const marks = new Set(o.checkpoints);
  let W: Float64Array = Float64Array.from(o.rng.split('W').normals(d * d, 0, o.init));
  const K = Float64Array.from(o.rng.split('K').normals(d * d, 0, o.init));
  const Q = Float64Array.from(o.rng.split('Q').normals(d * d, 0, o.init));
  const kq = () => matmul(square(K, d), transpose(square(Q, d))).data;
  if (o.parametrisation === 'KQ') W = kq();
  for (let step = 1; step <= o.steps; step++) {
    if (step % 256 === 0 && o.signal) throwIfAborted(o.signal);
    const grad = gradientDirection(p, W);
    if (o.parametrisation === 'W') {
      const g = fro(grad);
      if (g > 0) for (let k = 0; k < d * d; k++) W[k]! -= (o.eta * grad[k]!) / g;
    } else {
      // ∂L/∂K = ∇_W·Q, ∂L/∂Q = ∇_Wᵀ·K.
      const gK = matmul(square(grad, d), square(Q, d)).data;
      const gQ = matmul(transpose(square(grad, d)), square(K, d)).data;
      const g = Math.sqrt(fro(gK) ** 2 + fro(gQ) ** 2);
      if (g > 0)
        for (let k = 0; k < d * d; k++) {
          K[k]! -= (o.eta * gK[k]!) / g;
          Q[k]! -= (o.eta * gQ[k]!) / g;
        }
      W = kq();
    }
    if (marks.has(step)) {
      trace.steps.push(step);
      trace.W.push(Float64Array.from(W));
      trace.loss.push(lossAndGradient(p, W).loss);
    }
  }
  return trace;
}
