/** @paperlab/core/linalg — small dense linear algebra on host arrays (float64). */
export {
  type CholeskyResult,
  cholesky,
  solveLower,
  solveLU,
  solveSPD,
  solveUpperT,
} from './cholesky.js';
export { type EighResult, eigh, symmetricFunction } from './eigh.js';
export { symmetricEigenvalues } from './eigvalsh.js';
export { type CgResult, conjugateGradient, lanczos } from './iterative.js';
export {
  addDiagonal,
  at,
  block,
  eye,
  frobenius,
  frobeniusDiff,
  type Mat,
  matFrom,
  matFromRows,
  matmul,
  matvec,
  symmetrize,
  transpose,
  zeros,
} from './matrix.js';
