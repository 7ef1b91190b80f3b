// An independent Float64 reference for tests: every gate as a dense 2^n × 2^n unitary built from Kronecker
// products of 2×2 matrices (no index arithmetic shared with the simulators).
import type { CompiledCircuit, PrimitiveOp } from '../circuits/circuit.js';
import { type Mat2, rotationMatrix } from '../circuits/matrices.js';
import type { Observable } from '../circuits/observables.js';

/** Dense complex matrix, row-major, separate planes. */
export interface CMatrix {
  dim: number;
  re: Float64Array;
  im: Float64Array;
}

const I2: Mat2 = [1, 0, 0, 0, 0, 0, 1, 0];
const P0: Mat2 = [1, 0, 0, 0, 0, 0, 0, 0];
const P1: Mat2 = [0, 0, 0, 0, 0, 0, 1, 0];
const PX: Mat2 = [0, 0, 1, 0, 1, 0, 0, 0];
const PY: Mat2 = [0, 0, 0, -1, 0, 1, 0, 0];
const PZ: Mat2 = [1, 0, 0, 0, 0, 0, -1, 0];

function fromMat2(m: Mat2): CMatrix {
  return {
    dim: 2,
    re: Float64Array.from([m[0], m[2], m[4], m[6]]),
    im: Float64Array.from([m[1], m[3], m[5], m[7]]),
  };
}

export function kron(a: CMatrix, b: CMatrix): CMatrix {
  const dim = a.dim * b.dim;
  const re = new Float64Array(dim * dim);
  const im = new Float64Array(dim * dim);
  for (let i = 0; i < a.dim; i++)
    for (let j = 0; j < a.dim; j++) {
      const ar = a.re[i * a.dim + j]!;
      const ai = a.im[i * a.dim + j]!;
      if (ar === 0 && ai === 0) continue;
      for (let k = 0; k < b.dim; k++)
        for (let l = 0; l < b.dim; l++) {
          const br = b.re[k * b.dim + l]!;
          const bi = b.im[k * b.dim + l]!;
          const r = (i * b.dim + k) * dim + j * b.dim + l;
          re[r] = ar * br - ai * bi;
          im[r] = ar * bi + ai * br;
        }
    }
  return { dim, re, im };
}

/** ⊗ over wires 0..n−1 of the given per-wire matrices (identity where absent). */
export function kronWires(n: number, perWire: Map<number, Mat2>): CMatrix {
  let out = fromMat2(perWire.get(0) ?? I2);
  for (let w = 1; w < n; w++) out = kron(out, fromMat2(perWire.get(w) ?? I2));
  return out;
}

export function add(a: CMatrix, b: CMatrix, sb = 1): CMatrix {
  return {
    dim: a.dim,
    re: a.re.map((v, i) => v + sb * b.re[i]!),
    im: a.im.map((v, i) => v + sb * b.im[i]!),
  };
}

export function scale(a: CMatrix, s: number): CMatrix {
  return { dim: a.dim, re: a.re.map((v) => v * s), im: a.im.map((v) => v * s) };
}

export function cmatmul(a: CMatrix, b: CMatrix): CMatrix {
  const d = a.dim;
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const ar = a.re[i * d + k]!;
      const ai = a.im[i * d + k]!;
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < d; j++) {
        re[i * d + j]! += ar * b.re[k * d + j]! - ai * b.im[k * d + j]!;
        im[i * d + j]! += ar * b.im[k * d + j]! + ai * b.re[k * d + j]!;
      }
    }
  return { dim: d, re, im };
}

export function identity(dim: number): CMatrix {
  const re = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) re[i * dim + i] = 1;
  return { dim, re, im: new Float64Array(dim * dim) };
}

/** Dense unitary of a controlled 2×2 gate: I − P1…P1⊗I + P1…P1⊗M. */
function controlledDense(n: number, target: number, controls: number[], m: Mat2): CMatrix {
  const on = new Map<number, Mat2>(controls.map((c) => [c, P1]));
  const onI = kronWires(n, on);
  on.set(target, m);
  const onM = kronWires(n, on);
  return add(add(identity(2 ** n), onI, -1), onM);
}

/** Dense unitary of one primitive op at the given angle (channels are not unitary: throws). */
export function opDense(n: number, op: PrimitiveOp, angle = 0): CMatrix {
  if (op.kind === 'channel') throw new Error('channel');
  if (op.kind === 'swap') {
    // SWAP = (I + XX + YY + ZZ)/2
    let sw = identity(2 ** n);
    for (const p of [PX, PY, PZ])
      sw = add(
        sw,
        kronWires(
          n,
          new Map([
            [op.target, p],
            [op.target2, p],
          ]),
        ),
      );
    sw = scale(sw, 0.5);
    if (!op.controls.length) return sw;
    const on = kronWires(n, new Map(op.controls.map((c) => [c, P1])));
    // `on` is diagonal: on·SWAP scales the rows of SWAP.
    const d = on.dim;
    const scaled = scale(sw, 1);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        scaled.re[i * d + j]! *= on.re[i * d + i]!;
        scaled.im[i * d + j]! *= on.re[i * d + i]!;
      }
    return add(add(identity(2 ** n), on, -1), scaled);
  }
  const m = op.kind === 'fixed' ? op.matrix : rotationMatrix(op.kind, angle);
  return controlledDense(n, op.target, op.controls, m);
}

export function matvec(a: CMatrix, re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const d = a.dim;
  const or = new Float64Array(d);
  const oi = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sr = 0;
    let si = 0;
    for (let k = 0; k < d; k++) {
      const ar = a.re[i * d + k]!;
      const ai = a.im[i * d + k]!;
      sr += ar * re[k]! - ai * im[k]!;
      si += ar * im[k]! + ai * re[k]!;
    }
    or[i] = sr;
    oi[i] = si;
  }
  return [or, oi];
}

/** Final state of one example by dense matrix-vector products from |0…0⟩. */
export function denseSimulate(
  c: CompiledCircuit,
  angles: ArrayLike<number>,
  b = 0,
): [Float64Array, Float64Array] {
  const D = 2 ** c.nQubits;
  const G = c.slots.length;
  let re: Float64Array = new Float64Array(D);
  let im: Float64Array = new Float64Array(D);
  re[0] = 1;
  for (const op of c.ops) {
    const u = opDense(c.nQubits, op, 'slot' in op ? angles[b * G + op.slot]! : 0);
    [re, im] = matvec(u, re, im);
  }
  return [re, im];
}

/** The whole circuit's unitary (product of dense gate matrices). */
export function denseUnitary(c: CompiledCircuit, angles: ArrayLike<number>, b = 0): CMatrix {
  const G = c.slots.length;
  let u = identity(2 ** c.nQubits);
  for (const op of c.ops) u = cmatmul(opDense(c.nQubits, op, 'slot' in op ? angles[b * G + op.slot]! : 0), u);
  return u;
}

/** Dense matrix of an observable. */
export function observableDense(n: number, o: Observable): CMatrix {
  let out = scale(identity(2 ** n), 0);
  for (const { coeff, term } of o.terms) {
    const map = new Map<number, Mat2>();
    if (term.kind === 'pauli') {
      for (const { wire, pauli } of term.ops) map.set(wire, pauli === 'X' ? PX : pauli === 'Y' ? PY : PZ);
    } else {
      term.wires.forEach((w, j) => {
        map.set(w, term.bits[j] ? P1 : P0);
      });
    }
    out = add(out, scale(kronWires(n, map), coeff));
  }
  return out;
}

/** ⟨ψ|O|ψ⟩ (real part). */
export function denseExpectation(o: CMatrix, re: Float64Array, im: Float64Array): number {
  const [or, oi] = matvec(o, re, im);
  let s = 0;
  for (let i = 0; i < re.length; i++) s += re[i]! * or[i]! + im[i]! * oi[i]!;
  return s;
}
