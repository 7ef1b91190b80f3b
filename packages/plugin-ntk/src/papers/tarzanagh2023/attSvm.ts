import { eigh, matFrom, matmul } from '@paperlab/core/linalg';
import { type AttentionProblem, fro, singularValues, square } from './attention.js';

/**
 * Constraint matrices of the attention SVM for selected tokens α: A_it = (x_{iα_i} − x_it)·z_iᵀ for every
 * t ≠ α_i, so that the constraint reads ⟨A_it, W⟩ = (x_{iα_i} − x_it)ᵀ W z_i ≥ 1.
 */
export function svmConstraints(p: AttentionProblem, selected: Int32Array): Float64Array[] {
  const { n, T, d, X, Z } = p;
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const a = selected[i]!;
    for (let t = 0; t < T; t++) {
      if (t === a) continue;
      const A = new Float64Array(d * d);
      for (let r = 0; r < d; r++) {
        const diff = X[(i * T + a) * d + r]! - X[(i * T + t) * d + r]!;
        for (let c = 0; c < d; c++) A[r * d + c] = diff * Z[i * d + c]!;
      }
      out.push(A);
    }
  }
  return out;
}

/** Which norm the SVM minimises. */
export type SvmNorm = 'frobenius' | 'nuclear';

/** Solution of {@link normSvm} with its optimality certificate. */
export interface NormSvmResult {
  /** The max-margin W (feasible: every margin ≥ 1), flattened d×d. */
  W: Float64Array;
  /** Its norm (the primal value). */
  value: number;
  /** Σα / ‖𝒜*α‖_dual for the solver's multipliers α ≥ 0: a lower bound on the optimum (weak duality). */
  lowerBound: number;
  /** (value − lowerBound)/value: 0 at the exact optimum. */
  gap: number;
  iterations: number;
}

function applyA(A: Float64Array[], W: Float64Array): Float64Array {
  return Float64Array.from(A, (a) => {
    let s = 0;
    for (let k = 0; k < a.length; k++) s += a[k]! * W[k]!;
    return s;
  });
}

function applyAt(A: Float64Array[], y: ArrayLike<number>, size: number): Float64Array {
  const out = new Float64Array(size);
  A.forEach((a, j) => {
    const c = y[j]!;
    if (c !== 0) for (let k = 0; k < size; k++) out[k]! += c * a[k]!;
  });
  return out;
}

function norm(W: Float64Array, d: number, kind: SvmNorm | 'operator'): number {
  if (kind === 'frobenius') return fro(W);
  const { sigma } = singularValues(W, d);
  return kind === 'nuclear' ? sigma.reduce((a, b) => a + b, 0) : Math.max(...sigma);
}

/** prox of t·‖·‖: shrink the Frobenius norm, or soft-threshold the singular values. */
function prox(W: Float64Array, d: number, t: number, kind: SvmNorm): Float64Array {
  if (kind === 'frobenius') {
    const f = fro(W);
    const scale = f > t ? 1 - t / f : 0;
    return W.map((w) => w * scale);
  }
  const { sigma, V } = singularValues(W, d);
  // SVT(W) = W·V·diag(max(0, 1 − t/σ))·Vᵀ.
  const M = new Float64Array(d * d);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const sk = sigma[k]!;
        if (sk > t) s += V[a * d + k]! * (1 - t / sk) * V[b * d + k]!;
      }
      M[a * d + b] = s;
    }
  return matmul(square(W, d), square(M, d)).data;
}

/**
 * Hard-margin SVM in a matrix norm: min ‖W‖ s.t. ⟨A_j, W⟩ ≥ 1, by linearised ADMM (proximal steps on the norm:
 * shrinkage for Frobenius, singular-value thresholding for nuclear) with residual balancing. Returns the
 * rescaled feasible solution and a duality certificate from the multipliers.
 */
export function normSvm(
  A: Float64Array[],
  d: number,
  kind: SvmNorm,
  o: { maxIterations?: number; tol?: number } = {},
): NormSvmResult {
  const J = A.length;
  const size = d * d;
  if (J === 0) throw new Error('normSvm: no constraints');
  const maxIt = o.maxIterations ?? 50000;
  const tol = o.tol ?? 1e-6;
  // L = ‖𝒜‖² = λ_max of the constraint Gram matrix.
  const gram = new Float64Array(J * J);
  for (let j = 0; j < J; j++)
    for (let l = 0; l <= j; l++) {
      let s = 0;
      for (let k = 0; k < size; k++) s += A[j]![k]! * A[l]![k]!;
      gram[j * J + l] = s;
      gram[l * J + j] = s;
    }
  const L = eigh(matFrom(J, J, gram)).values[J - 1]!;
  let rho = 1;
  let W: Float64Array = new Float64Array(size);
  let s: Float64Array = new Float64Array(J).fill(1);
  let u: Float64Array = new Float64Array(J);
  let best: NormSvmResult | null = null;
  let it = 0;
  for (; it < maxIt; it++) {
    const a0 = applyA(A, W);
    const r = a0.map((v, j) => v - s[j]! + u[j]!);
    const step = applyAt(A, r, size);
    const Wt = W.map((w, k) => w - step[k]! / L);
    W = prox(Wt, d, 1 / (rho * L), kind);
    const a = applyA(A, W);
    const sPrev = s;
    s = a.map((v, j) => Math.max(1, v + u[j]!));
    u = u.map((v, j) => v + a[j]! - s[j]!);
    if (it % 50 === 49 || it === maxIt - 1) {
      const primal = fro(a.map((v, j) => v - s[j]!));
      const dual =
        rho *
        fro(
          applyAt(
            A,
            s.map((v, j) => v - sPrev[j]!),
            size,
          ),
        );
      const cert = certificate(A, W, u, rho, d, kind);
      if (cert && (!best || cert.gap < best.gap)) best = { ...cert, iterations: it + 1 };
      if (best && best.gap < tol) break;
      // Residual balancing (Boyd et al. 2011, §3.4.1) during a warm-up only: ρ changing for ever stalls the
      // iteration. u is the scaled multiplier, so it is rescaled with ρ.
      if (it >= 2000) continue;
      if (primal > 10 * dual) {
        rho *= 2;
        u = u.map((v) => v / 2);
      } else if (dual > 10 * primal) {
        rho /= 2;
        u = u.map((v) => v * 2);
      }
    }
  }
  if (!best) throw new Error('normSvm: no feasible direction found (is the SVM feasible?)');
  return best;
}

function certificate(
  A: Float64Array[],
  W: Float64Array,
  u: Float64Array,
  rho: number,
  d: number,
  kind: SvmNorm,
): Omit<NormSvmResult, 'iterations'> | null {
  const margins = applyA(A, W);
  const minMargin = Math.min(...margins);
  if (!(minMargin > 0)) return null;
  const Wf = W.map((w) => w / minMargin);
  const value = norm(Wf, d, kind);
  const alpha = u.map((v) => Math.max(0, -rho * v));
  const At = applyAt(A, alpha, d * d);
  const dualNorm = norm(At, d, kind === 'frobenius' ? 'frobenius' : 'operator');
  const sum = alpha.reduce((x, y) => x + y, 0);
  const lowerBound = dualNorm > 0 ? sum / dualNorm : 0;
  return { W: Wf, value, lowerBound, gap: (value - lowerBound) / value };
}

/**
 * The Frobenius SVM exactly, as the dual QP max Σα − ½αᵀGα (α ≥ 0) by coordinate ascent; W = Σα_j A_j.
 * An independent check of {@link normSvm}.
 */
export function frobeniusSvmDual(A: Float64Array[], d: number, sweeps = 5000): Float64Array {
  const J = A.length;
  const size = d * d;
  const alpha = new Float64Array(J);
  const W = new Float64Array(size);
  const diag = A.map((a) => fro(a) ** 2);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let change = 0;
    for (let j = 0; j < J; j++) {
      let m = 0;
      const a = A[j]!;
      for (let k = 0; k < size; k++) m += a[k]! * W[k]!;
      const next = Math.max(0, alpha[j]! + (1 - m) / diag[j]!);
      const delta = next - alpha[j]!;
      if (delta !== 0) {
        for (let k = 0; k < size; k++) W[k]! += delta * a[k]!;
        alpha[j] = next;
        change = Math.max(change, Math.abs(delta));
      }
    }
    if (change < 1e-13) break;
  }
  return W;
}
