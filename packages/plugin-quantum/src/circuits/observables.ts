/** A Pauli operator on one wire. */
export type Pauli = 'X' | 'Y' | 'Z';

/** A tensor product of Pauli operators (identity elsewhere). */
export interface PauliTerm {
  kind: 'pauli';
  ops: Array<{ wire: number; pauli: Pauli }>;
}

/** The projector |bits⟩⟨bits| on `wires` (identity elsewhere). */
export interface ProjectorTerm {
  kind: 'projector';
  wires: number[];
  bits: number[];
}

/** One Hermitian term of an observable. */
export type ObservableTerm = PauliTerm | ProjectorTerm;

/** An observable: a real linear combination of Pauli strings and projectors. */
export interface Observable {
  terms: Array<{ coeff: number; term: ObservableTerm }>;
  /** Display name, e.g. `Z0` or `P(01)`. */
  label: string;
}

/**
 * A Pauli string: `pauli('XZ', [0, 2])` is X₀Z₂; `pauli('ZIZ')` reads one letter per wire from wire 0;
 * `pauli({ 0: 'X', 2: 'Z' })`. Coefficient 1.
 */
export function pauli(spec: string | Record<number, Pauli | 'I'>, wires?: number[]): Observable {
  const ops: Array<{ wire: number; pauli: Pauli }> = [];
  const push = (w: number, p: string) => {
    const up = p.toUpperCase();
    if (up === 'I') return;
    if (up !== 'X' && up !== 'Y' && up !== 'Z') throw new RangeError(`pauli: unknown Pauli '${p}'`);
    if (ops.some((o) => o.wire === w)) throw new RangeError(`pauli: wire ${w} appears twice`);
    ops.push({ wire: w, pauli: up });
  };
  if (typeof spec === 'string') {
    const ws = wires ?? Array.from({ length: spec.length }, (_, i) => i);
    if (ws.length !== spec.length) throw new RangeError(`pauli: '${spec}' needs ${spec.length} wires`);
    [...spec].forEach((p, i) => {
      push(ws[i]!, p);
    });
  } else {
    for (const [w, p] of Object.entries(spec)) push(Number(w), p);
  }
  ops.sort((a, b) => a.wire - b.wire);
  const label = ops.length ? ops.map((o) => `${o.pauli}${o.wire}`).join(' ') : 'I';
  return { terms: [{ coeff: 1, term: { kind: 'pauli', ops } }], label };
}

/** Pauli X on one wire. */
export function X(wire: number): Observable {
  return pauli('X', [wire]);
}
/** Pauli Y on one wire. */
export function Y(wire: number): Observable {
  return pauli('Y', [wire]);
}
/** Pauli Z on one wire. */
export function Z(wire: number): Observable {
  return pauli('Z', [wire]);
}

/** ⟨Z⟩ on each of the wires 0 … n − 1 (one output per qubit). */
export function zEach(n: number): Observable[] {
  return Array.from({ length: n }, (_, q) => Z(q));
}

/**
 * `count` readouts of an n-qubit classifier head: ⟨Zᵢ⟩ on every qubit, then ⟨ZᵢZᵢ₊₁⟩ around the ring
 * (throws when 2n < count).
 */
export function zzRingReadout(qubits: number, count = 10): Observable[] {
  const out: Observable[] = [];
  for (let i = 0; i < qubits && out.length < count; i++) out.push(Z(i));
  for (let i = 0; i < qubits && out.length < count; i++)
    out.push(pauli({ [i]: 'Z', [(i + 1) % qubits]: 'Z' }));
  if (out.length < count)
    throw new RangeError(`zzRingReadout: ${qubits} qubits give fewer than ${count} outputs`);
  return out;
}

/** The projector |bits⟩⟨bits| on `wires`: its expectation is the probability of measuring `bits`. */
export function projector(wires: number[], bits: number[]): Observable {
  if (wires.length !== bits.length) throw new RangeError('projector: wires and bits differ in length');
  if (new Set(wires).size !== wires.length) throw new RangeError('projector: wires must be distinct');
  for (const b of bits) if (b !== 0 && b !== 1) throw new RangeError(`projector: bits must be 0/1, got ${b}`);
  return {
    terms: [{ coeff: 1, term: { kind: 'projector', wires: [...wires], bits: [...bits] } }],
    label: `P${wires.length ? `(${bits.join('')}@${wires.join(',')})` : '(I)'}`,
  };
}

/** The 2^k basis-state probabilities of `wires` as projectors, wire 0 of the list most significant. */
export function probabilities(wires: number[]): Observable[] {
  const k = wires.length;
  return Array.from({ length: 1 << k }, (_, v) =>
    projector(
      wires,
      Array.from({ length: k }, (_, j) => (v >> (k - 1 - j)) & 1),
    ),
  );
}

/** A real linear combination Σ cᵢ·Oᵢ of observables. */
export function hamiltonian(parts: Array<[number, Observable]>, label?: string): Observable {
  const terms = parts.flatMap(([c, o]) => o.terms.map((t) => ({ coeff: c * t.coeff, term: t.term })));
  return { terms, label: label ?? parts.map(([c, o]) => `${c}·${o.label}`).join(' + ') };
}

/** Compiled form of one term: bit masks over basis-state indices. */
export interface TermMasks {
  kind: 'pauli' | 'projector';
  /** Pauli: indices flipped by X/Y. */
  flip: number;
  /** Pauli: parity of these bits gives the sign (Z and Y wires). */
  sign: number;
  /** Pauli: number of Y factors (phase (−i)^nY). */
  nY: number;
  /** Projector: bits compared. */
  mask: number;
  /** Projector: the required values of the masked bits. */
  value: number;
}

/** Deduplicated terms of a list of observables with the coefficient matrix [terms × observables]. */
export interface CompiledObservables {
  nQubits: number;
  terms: TermMasks[];
  /** coeffs[t * K + k]: weight of term t in observable k. */
  coeffs: Float64Array;
  numObservables: number;
}

/** Bit of `wire` in a basis-state index of an n-qubit register (wire 0 = most significant). */
export function wireBit(nQubits: number, wire: number): number {
  return 2 ** (nQubits - 1 - wire);
}

/** Lowers observables to bit masks and a coefficient matrix (shared terms counted once). */
export function compileObservables(nQubits: number, observables: Observable[]): CompiledObservables {
  const terms: TermMasks[] = [];
  const keys = new Map<string, number>();
  const entries: Array<[number, number, number]> = [];
  const check = (w: number) => {
    if (!Number.isInteger(w) || w < 0 || w >= nQubits) {
      throw new RangeError(`observable: wire ${w} is outside [0, ${nQubits - 1}]`);
    }
  };
  observables.forEach((o, k) => {
    for (const { coeff, term } of o.terms) {
      const t: TermMasks = { kind: term.kind, flip: 0, sign: 0, nY: 0, mask: 0, value: 0 };
      if (term.kind === 'pauli') {
        for (const { wire, pauli: p } of term.ops) {
          check(wire);
          const bit = wireBit(nQubits, wire);
          if (p === 'X' || p === 'Y') t.flip |= bit;
          if (p === 'Z' || p === 'Y') t.sign |= bit;
          if (p === 'Y') t.nY++;
        }
      } else {
        term.wires.forEach((w, j) => {
          check(w);
          const bit = wireBit(nQubits, w);
          t.mask |= bit;
          if (term.bits[j]) t.value |= bit;
        });
      }
      const key = `${t.kind}:${t.flip}:${t.sign}:${t.nY}:${t.mask}:${t.value}`;
      let idx = keys.get(key);
      if (idx === undefined) {
        idx = terms.length;
        keys.set(key, idx);
        terms.push(t);
      }
      entries.push([idx, k, coeff]);
    }
  });
  const K = observables.length;
  const coeffs = new Float64Array(terms.length * K);
  for (const [t, k, c] of entries) coeffs[t * K + k]! += c;
  return { nQubits, terms, coeffs, numObservables: K };
}

/** Parity (0/1) of the set bits of a non-negative integer below 2^31. */
export function parity(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  v ^= v >>> 1;
  return v & 1;
}

/**
 * Diagonal of a diagonal term (Z-string or projector) over all 2^n basis states; null for terms with
 * X/Y factors.
 */
export function termDiagonal(t: TermMasks, nQubits: number): Float32Array | null {
  if (t.kind === 'pauli' && t.flip !== 0) return null;
  const D = 2 ** nQubits;
  const out = new Float32Array(D);
  if (t.kind === 'projector') {
    for (let i = 0; i < D; i++) out[i] = (i & t.mask) === t.value ? 1 : 0;
  } else {
    for (let i = 0; i < D; i++) out[i] = parity(i & t.sign) ? -1 : 1;
  }
  return out;
}
