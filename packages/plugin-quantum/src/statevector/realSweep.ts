import type { CompiledCircuit } from '../circuits/circuit.js';
import { geometryOf, type StateVector, spreadBits } from './host.js';

// Circuits of RY rotations, real fixed gates (X, Z, H, CNOT, CZ, …) and swaps map real states to real states:
// their adjoint sweep needs one real plane per state instead of two, and can run a whole example's sweep on
// two float64 rows that stay in the L1 cache, with the derivative overlap fused into the un-computation.

const realCircuits = new WeakMap<CompiledCircuit, boolean>();

/** Whether every operation of the circuit has a real matrix at every angle, so that real states stay real. */
export function isRealCircuit(compiled: CompiledCircuit): boolean {
  const cached = realCircuits.get(compiled);
  if (cached !== undefined) return cached;
  const real = compiled.ops.every(
    (op) =>
      op.kind === 'ry' ||
      op.kind === 'swap' ||
      (op.kind === 'fixed' &&
        op.matrix[1] === 0 &&
        op.matrix[3] === 0 &&
        op.matrix[5] === 0 &&
        op.matrix[7] === 0),
  );
  realCircuits.set(compiled, real);
  return real;
}

/** Most amplitude-index entries the pair table of one circuit may hold; larger circuits use the general sweep. */
const MAX_PAIR_INDICES = 1 << 22;

interface PairTable {
  /** Op g's pairs are `index[start[g] … start[g + 1])`, as (i, j) amplitude indices. */
  start: Int32Array;
  index: Int32Array;
}

const pairTables = new WeakMap<CompiledCircuit, PairTable | null>();

/** The amplitude pairs (i, j) each operation mixes, in one table (cached per circuit); null when too large. */
function pairTableOf(compiled: CompiledCircuit): PairTable | null {
  if (pairTables.has(compiled)) return pairTables.get(compiled)!;
  const n = compiled.nQubits;
  const D = 2 ** n;
  const start = new Int32Array(compiled.ops.length + 1);
  let total = 0;
  for (let g = 0; g < compiled.ops.length; g++) {
    const op = compiled.ops[g]!;
    if (op.kind === 'channel') {
      pairTables.set(compiled, null);
      return null;
    }
    start[g] = total;
    total += 2 * (D / 2 ** geometryOf(n, op).bits.length);
  }
  start[compiled.ops.length] = total;
  if (total > MAX_PAIR_INDICES) {
    pairTables.set(compiled, null);
    return null;
  }
  const index = new Int32Array(total);
  compiled.ops.forEach((op, g) => {
    if (op.kind === 'channel') return;
    const { tbit, t2bit, cmask, bits } = geometryOf(n, op);
    const count = (start[g + 1]! - start[g]!) / 2;
    for (let k = 0; k < count; k++) {
      const base = spreadBits(k, bits) | cmask;
      index[start[g]! + 2 * k] = op.kind === 'swap' ? base | tbit : base;
      index[start[g]! + 2 * k + 1] = op.kind === 'swap' ? base | t2bit : base | tbit;
    }
  });
  const table = { start, index };
  pairTables.set(compiled, table);
  return table;
}

function allZero(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/**
 * The adjoint method's backward sweep for a real circuit on real states: un-computes `psi` and `lambda`
 * (the forward state and Σ dy·O|ψ⟩) op by op in float64, adding each RY's Re⟨λ|dU|ψ⟩ to `grad[b·G + slot]`.
 * Returns false, having done nothing, where it does not apply (a complex gate, a complex state or observable,
 * a pair table too large); the caller then runs the general sweep. `psi` and `lambda` are left as they were.
 */
export function realAdjointSweep(
  compiled: CompiledCircuit,
  angles: ArrayLike<number> | null,
  G: number,
  psi: StateVector,
  lambda: StateVector,
  grad: Float64Array,
): boolean {
  if (!isRealCircuit(compiled) || !allZero(psi.im) || !allZero(lambda.im)) return false;
  const table = pairTableOf(compiled);
  if (!table) return false;
  const { start, index } = table;
  const ops = compiled.ops;
  const D = 2 ** compiled.nQubits;
  const p = new Float64Array(D);
  const l = new Float64Array(D);
  for (let b = 0; b < psi.batch; b++) {
    for (let a = 0; a < D; a++) {
      p[a] = psi.re[b * D + a]!;
      l[a] = lambda.re[b * D + a]!;
    }
    for (let g = ops.length - 1; g >= 0; g--) {
      const op = ops[g]!;
      const e = start[g + 1]!;
      if (op.kind === 'ry') {
        // U = [[c, −s], [s, c]], applied as Uᵀ; dU/dθ = ½·[[−s, −c], [c, −s]] (the ½ cancels the adjoint's 2).
        const theta = angles![b * G + op.slot]!;
        const c = Math.cos(theta / 2);
        const s = Math.sin(theta / 2);
        let acc = 0;
        for (let k = start[g]!; k < e; k += 2) {
          const i = index[k]!;
          const j = index[k + 1]!;
          const p0 = p[i]!;
          const p1 = p[j]!;
          const q0 = c * p0 + s * p1;
          const q1 = c * p1 - s * p0;
          p[i] = q0;
          p[j] = q1;
          const l0 = l[i]!;
          const l1 = l[j]!;
          acc += l0 * (-s * q0 - c * q1) + l1 * (c * q0 - s * q1);
          l[i] = c * l0 + s * l1;
          l[j] = c * l1 - s * l0;
        }
        grad[b * G + op.slot]! += acc;
      } else if (op.kind === 'fixed') {
        // Real U = [[u00, u01], [u10, u11]]; its adjoint is the transpose.
        const u00 = op.matrix[0];
        const u01 = op.matrix[2];
        const u10 = op.matrix[4];
        const u11 = op.matrix[6];
        for (let k = start[g]!; k < e; k += 2) {
          const i = index[k]!;
          const j = index[k + 1]!;
          const p0 = p[i]!;
          const p1 = p[j]!;
          p[i] = u00 * p0 + u10 * p1;
          p[j] = u01 * p0 + u11 * p1;
          const l0 = l[i]!;
          const l1 = l[j]!;
          l[i] = u00 * l0 + u10 * l1;
          l[j] = u01 * l0 + u11 * l1;
        }
      } else {
        for (let k = start[g]!; k < e; k += 2) {
          const i = index[k]!;
          const j = index[k + 1]!;
          const pt = p[i]!;
          p[i] = p[j]!;
          p[j] = pt;
          const lt = l[i]!;
          l[i] = l[j]!;
          l[j] = lt;
        }
      }
    }
  }
  return true;
}
