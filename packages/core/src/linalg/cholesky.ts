import { type Mat, zeros } from './matrix.js';

/** Lower-triangular Cholesky factor and the jitter that was needed. */
export interface CholeskyResult {
  L: Mat;
  jitter: number;
}

/**
 * Cholesky factorisation A = L·Lᵀ in Float64. If A is not numerically positive definite, retries with
 * jitter·I added, growing it tenfold from `initialJitter` × mean diagonal (reported, never silent).
 */
export function cholesky(
  a: Mat,
  options: { initialJitter?: number; maxTries?: number } = {},
): CholeskyResult {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`cholesky: matrix is ${a.rows}×${a.cols}, not square`);
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += a.data[i * n + i]!;
  meanDiag = Math.abs(meanDiag / Math.max(1, n)) || 1;
  let jitter = 0;
  const tries = options.maxTries ?? 8;
  for (let t = 0; t <= tries; t++) {
    const L = tryCholesky(a, jitter);
    if (L) return { L, jitter };
    jitter = jitter === 0 ? (options.initialJitter ?? 1e-10) * meanDiag : jitter * 10;
  }
  throw new Error(`cholesky: matrix is not positive definite even with jitter ${jitter.toExponential(2)}`);
}

function tryCholesky(a: Mat, jitter: number): Mat | null {
  const n = a.rows;
  const L = zeros(n, n);
  const l = L.data;
  for (let j = 0; j < n; j++) {
    let s = a.data[j * n + j]! + jitter;
    const rj = j * n;
    for (let k = 0; k < j; k++) s -= l[rj + k]! * l[rj + k]!;
    if (!(s > 0)) return null;
    const d = Math.sqrt(s);
    l[rj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let v = a.data[ri + j]!;
      for (let k = 0; k < j; k++) v -= l[ri + k]! * l[rj + k]!;
      l[ri + j] = v / d;
    }
  }
  return L;
}

/** Solves L·X = B (forward substitution) for every column of B. */
export function solveLower(L: Mat, B: Mat): Mat {
  const n = L.rows;
  const m = B.cols;
  const X = { rows: n, cols: m, data: B.data.slice() };
  for (let i = 0; i < n; i++) {
    const li = i * n;
    for (let k = 0; k < i; k++) {
      const lik = L.data[li + k]!;
      if (lik === 0) continue;
      for (let c = 0; c < m; c++) X.data[i * m + c]! -= lik * X.data[k * m + c]!;
    }
    const d = L.data[li + i]!;
    for (let c = 0; c < m; c++) X.data[i * m + c]! /= d;
  }
  return X;
}

/** Solves Lᵀ·X = B (back substitution). */
export function solveUpperT(L: Mat, B: Mat): Mat {
  const n = L.rows;
  const m = B.cols;
  const X = { rows: n, cols: m, data: B.data.slice() };
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const lki = L.data[k * n + i]!;
      if (lki === 0) continue;
      for (let c = 0; c < m; c++) X.data[i * m + c]! -= lki * X.data[k * m + c]!;
    }
    const d = L.data[i * n + i]!;
    for (let c = 0; c < m; c++) X.data[i * m + c]! /= d;
  }
  return X;
}

/** Solves A·X = B for symmetric positive-definite A via Cholesky. */
export function solveSPD(
  a: Mat,
  B: Mat,
  options?: { initialJitter?: number },
): { X: Mat; jitter: number; logDet: number } {
  const { L, jitter } = cholesky(a, options);
  const X = solveUpperT(L, solveLower(L, B));
  let logDet = 0;
  for (let i = 0; i < L.rows; i++) logDet += 2 * Math.log(L.data[i * L.rows + i]!);
  return { X, jitter, logDet };
}

/** Solves A·X = B for a general square A (LU with partial pivoting). */
export function solveLU(a: Mat, B: Mat): Mat {
  const n = a.rows;
  if (a.cols !== n || B.rows !== n) throw new Error('solveLU: shape mismatch');
  const A = a.data.slice();
  const m = B.cols;
  const X = B.data.slice();
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]!) > Math.abs(A[p * n + c]!)) p = r;
    if (A[p * n + c] === 0) throw new Error('solveLU: matrix is singular');
    if (p !== c) {
      for (let k = 0; k < n; k++) [A[c * n + k], A[p * n + k]] = [A[p * n + k]!, A[c * n + k]!];
      for (let k = 0; k < m; k++) [X[c * m + k], X[p * m + k]] = [X[p * m + k]!, X[c * m + k]!];
    }
    const piv = A[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c]! / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k]! -= f * A[c * n + k]!;
      for (let k = 0; k < m; k++) X[r * m + k]! -= f * X[c * m + k]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    for (let k = r + 1; k < n; k++) {
      const f = A[r * n + k]!;
      if (f === 0) continue;
      for (let j = 0; j < m; j++) X[r * m + j]! -= f * X[k * m + j]!;
    }
    for (let j = 0; j < m; j++) X[r * m + j]! /= A[r * n + r]!;
  }
  return { rows: n, cols: m, data: X };
}
