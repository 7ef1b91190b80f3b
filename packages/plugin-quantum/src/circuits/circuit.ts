import * as tf from '@tensorflow/tfjs-core';
import { FIXED_GATES, type FixedGateName, type Mat2, type RotationKind, rotationMatrix } from './matrices.js';

/** A trainable parameter of a circuit: angle = scale·θ[param] + shift. */
export interface ParamRef {
  readonly param: number;
  readonly scale?: number;
  readonly shift?: number;
}

/** A per-example input feature: angle = scale·x[b, input] + shift. */
export interface InputRef {
  readonly input: number;
  readonly scale?: number;
  readonly shift?: number;
}

/** An angle: a constant (radians), a trainable parameter or a per-example input. */
export type Angle = number | ParamRef | InputRef;

/** Where a compiled angle slot takes its value from. */
export interface AngleSlot {
  source: 'param' | 'input';
  index: number;
  scale: number;
  shift: number;
}

/**
 * A primitive operation of a compiled circuit. Every gate compiles to these: a fixed 2×2 matrix or a
 * one-angle rotation on `target`, applied where all `controls` are |1⟩; a (controlled) swap; or a noise
 * channel given by its Kraus operators (density-matrix simulation only).
 */
export type PrimitiveOp =
  | { kind: 'fixed'; target: number; controls: number[]; matrix: Mat2 }
  | { kind: RotationKind; target: number; controls: number[]; slot: number }
  | { kind: 'swap'; target: number; target2: number; controls: number[] }
  | { kind: 'channel'; target: number; name: string; kraus: Mat2[] };

/**
 * A circuit lowered to primitive operations over angle slots. Plain JSON (kernel attrs). Qubit 0 is the
 * most significant bit of a basis-state index (|q0 q1 … q(n−1)⟩, as in PennyLane).
 */
export interface CompiledCircuit {
  nQubits: number;
  ops: PrimitiveOp[];
  /** One entry per angle column of the `[batch, slots]` angle matrix. */
  slots: AngleSlot[];
  numParams: number;
  numInputs: number;
}

/** Options of a one-qubit gate. */
export interface GateOptions {
  /** Control qubits: the gate acts only where all of them are |1⟩. */
  controls?: number[];
}

/** One gate as the user wrote it (for display and inversion-free inspection). */
export interface GateRecord {
  name: string;
  wires: number[];
  angles: Angle[];
}

function isParam(a: Angle): a is ParamRef {
  return typeof a === 'object' && 'param' in a;
}

/** The largest qubit count any simulator here accepts (2^24 amplitudes per example). */
export const MAX_QUBITS = 24;

/**
 * A typed circuit builder. Angles are constants, trainable parameters (`c.param()`, shared by the
 * batch) or per-example inputs (`c.input(j)`); `compile()` lowers the gates to {@link PrimitiveOp}s.
 *
 * ```ts
 * const c = new Circuit(2);
 * c.ry(0, c.input(0)).ry(1, c.input(1)).cnot(0, 1).rx(0, c.param()).rx(1, c.param());
 * ```
 */
export class Circuit {
  /** Number of qubits. */
  readonly nQubits: number;
  private readonly records: GateRecord[] = [];
  private readonly ops: PrimitiveOp[] = [];
  private readonly slots: AngleSlot[] = [];
  private nParams = 0;
  private nInputs = 0;

  constructor(nQubits: number) {
    if (!Number.isInteger(nQubits) || nQubits < 1 || nQubits > MAX_QUBITS) {
      throw new RangeError(`Circuit: nQubits must be an integer in [1, ${MAX_QUBITS}], got ${nQubits}`);
    }
    this.nQubits = nQubits;
  }

  /** Number of trainable parameters referenced so far. */
  get numParams(): number {
    return this.nParams;
  }

  /** Number of per-example input features referenced so far. */
  get numInputs(): number {
    return this.nInputs;
  }

  /** Number of angle slots (columns of the angle matrix). */
  get numSlots(): number {
    return this.slots.length;
  }

  /** The gates in order. */
  get gates(): readonly GateRecord[] {
    return this.records;
  }

  /** A new trainable parameter (or a reference to parameter `index`), angle = scale·θ + shift. */
  param(index?: number, scale = 1, shift = 0): ParamRef {
    const i = index ?? this.nParams;
    if (!Number.isInteger(i) || i < 0) throw new RangeError(`Circuit.param: bad index ${i}`);
    this.nParams = Math.max(this.nParams, i + 1);
    return { param: i, scale, shift };
  }

  /** `k` new trainable parameters. */
  params(k: number): ParamRef[] {
    return Array.from({ length: k }, () => this.param());
  }

  /** Per-example input feature `index`, angle = scale·x + shift. */
  input(index: number, scale = 1, shift = 0): InputRef {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`Circuit.input: bad index ${index}`);
    this.nInputs = Math.max(this.nInputs, index + 1);
    return { input: index, scale, shift };
  }

  private wire(w: number, what: string): number {
    if (!Number.isInteger(w) || w < 0 || w >= this.nQubits) {
      throw new RangeError(`Circuit.${what}: wire ${w} is outside [0, ${this.nQubits - 1}]`);
    }
    return w;
  }

  private checkDistinct(wires: number[], what: string): void {
    for (const w of wires) this.wire(w, what);
    if (new Set(wires).size !== wires.length) {
      throw new RangeError(`Circuit.${what}: wires must be distinct, got [${wires.join(', ')}]`);
    }
  }

  private slotOf(a: ParamRef | InputRef): number {
    if (isParam(a)) {
      if (a.param >= this.nParams) this.nParams = a.param + 1;
      this.slots.push({ source: 'param', index: a.param, scale: a.scale ?? 1, shift: a.shift ?? 0 });
    } else {
      if (a.input >= this.nInputs) this.nInputs = a.input + 1;
      this.slots.push({ source: 'input', index: a.input, scale: a.scale ?? 1, shift: a.shift ?? 0 });
    }
    return this.slots.length - 1;
  }

  /** Any fixed 2×2 matrix (see {@link Mat2}) on one wire (unitary, or a projector for post-selection). */
  unitary(wire: number, matrix: Mat2, options: GateOptions & { name?: string } = {}): this {
    const controls = options.controls ?? [];
    this.checkDistinct([wire, ...controls], options.name ?? 'unitary');
    this.ops.push({ kind: 'fixed', target: wire, controls: [...controls], matrix: [...matrix] as Mat2 });
    this.records.push({ name: options.name ?? 'unitary', wires: [...controls, wire], angles: [] });
    return this;
  }

  private fixed(name: FixedGateName, wire: number, options: GateOptions = {}): this {
    return this.unitary(wire, [...FIXED_GATES[name]] as Mat2, { ...options, name });
  }

  /** A rotation by `angle` (radians) on `wire`, optionally controlled. */
  rotation(kind: RotationKind, wire: number, angle: Angle, options: GateOptions = {}): this {
    const controls = options.controls ?? [];
    this.checkDistinct([wire, ...controls], kind);
    if (typeof angle === 'number') {
      if (!Number.isFinite(angle))
        throw new RangeError(`Circuit.${kind}: angle must be finite, got ${angle}`);
      this.ops.push({
        kind: 'fixed',
        target: wire,
        controls: [...controls],
        matrix: rotationMatrix(kind, angle),
      });
    } else {
      this.ops.push({ kind, target: wire, controls: [...controls], slot: this.slotOf(angle) });
    }
    const name = controls.length ? `${'c'.repeat(controls.length)}${kind}` : kind;
    this.records.push({ name, wires: [...controls, wire], angles: [angle] });
    return this;
  }

  /** Hadamard. */
  h(wire: number, options?: GateOptions): this {
    return this.fixed('h', wire, options);
  }
  /** Pauli X. */
  x(wire: number, options?: GateOptions): this {
    return this.fixed('x', wire, options);
  }
  /** Pauli Y. */
  y(wire: number, options?: GateOptions): this {
    return this.fixed('y', wire, options);
  }
  /** Pauli Z. */
  z(wire: number, options?: GateOptions): this {
    return this.fixed('z', wire, options);
  }
  /** S = diag(1, i). */
  s(wire: number, options?: GateOptions): this {
    return this.fixed('s', wire, options);
  }
  /** S† = diag(1, −i). */
  sdg(wire: number, options?: GateOptions): this {
    return this.fixed('sdg', wire, options);
  }
  /** T = diag(1, e^{iπ/4}). */
  t(wire: number, options?: GateOptions): this {
    return this.fixed('t', wire, options);
  }
  /** T† = diag(1, e^{−iπ/4}). */
  tdg(wire: number, options?: GateOptions): this {
    return this.fixed('tdg', wire, options);
  }
  /** √X. */
  sx(wire: number, options?: GateOptions): this {
    return this.fixed('sx', wire, options);
  }
  /** RX(θ) = exp(−iθX/2). */
  rx(wire: number, angle: Angle, options?: GateOptions): this {
    return this.rotation('rx', wire, angle, options);
  }
  /** RY(θ) = exp(−iθY/2). */
  ry(wire: number, angle: Angle, options?: GateOptions): this {
    return this.rotation('ry', wire, angle, options);
  }
  /** RZ(θ) = exp(−iθZ/2). */
  rz(wire: number, angle: Angle, options?: GateOptions): this {
    return this.rotation('rz', wire, angle, options);
  }
  /** Phase shift P(φ) = diag(1, e^{iφ}). */
  phase(wire: number, angle: Angle, options?: GateOptions): this {
    return this.rotation('phase', wire, angle, options);
  }
  /** U3(θ, φ, λ) = P(φ)·RY(θ)·P(λ) = [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]]. */
  u3(wire: number, theta: Angle, phi: Angle, lambda: Angle, options?: GateOptions): this {
    const before = this.records.length;
    this.rotation('phase', wire, lambda, options).rotation('ry', wire, theta, options);
    this.rotation('phase', wire, phi, options);
    this.records.splice(before, 3, {
      name: options?.controls?.length ? 'cu3' : 'u3',
      wires: [...(options?.controls ?? []), wire],
      angles: [theta, phi, lambda],
    });
    return this;
  }
  /** CNOT (controlled X). */
  cnot(control: number, target: number): this {
    return this.fixed('x', target, { controls: [control] });
  }
  /** Controlled Y. */
  cy(control: number, target: number): this {
    return this.fixed('y', target, { controls: [control] });
  }
  /** Controlled Z. */
  cz(control: number, target: number): this {
    return this.fixed('z', target, { controls: [control] });
  }
  /** Controlled RX. */
  crx(control: number, target: number, angle: Angle): this {
    return this.rotation('rx', target, angle, { controls: [control] });
  }
  /** Controlled RY. */
  cry(control: number, target: number, angle: Angle): this {
    return this.rotation('ry', target, angle, { controls: [control] });
  }
  /** Controlled RZ. */
  crz(control: number, target: number, angle: Angle): this {
    return this.rotation('rz', target, angle, { controls: [control] });
  }
  /** Controlled phase diag(1, 1, 1, e^{iφ}). */
  cphase(control: number, target: number, angle: Angle): this {
    return this.rotation('phase', target, angle, { controls: [control] });
  }
  /** Toffoli (doubly controlled X). */
  toffoli(c1: number, c2: number, target: number): this {
    return this.fixed('x', target, { controls: [c1, c2] });
  }
  /** SWAP of two wires, optionally controlled (Fredkin). */
  swap(a: number, b: number, options: GateOptions = {}): this {
    const controls = options.controls ?? [];
    this.checkDistinct([a, b, ...controls], 'swap');
    this.ops.push({ kind: 'swap', target: a, target2: b, controls: [...controls] });
    this.records.push({ name: controls.length ? 'cswap' : 'swap', wires: [...controls, a, b], angles: [] });
    return this;
  }

  /**
   * Projects `wire` onto |bit⟩ without renormalising (post-selection): afterwards ‖ψ‖² is the probability
   * that the measurement gave `bit`. Linear, so both simulators and {@link circuitVjp} handle it.
   */
  postselect(wire: number, bit: 0 | 1 = 0): this {
    const m: Mat2 = bit ? [0, 0, 0, 0, 0, 0, 1, 0] : [1, 0, 0, 0, 0, 0, 0, 0];
    return this.unitary(wire, m, { name: `postselect-${bit}` });
  }

  /** A noise channel Σₖ Kₖ ρ Kₖ† on one wire (density-matrix simulation only). */
  channel(wire: number, kraus: Mat2[], name = 'kraus'): this {
    this.wire(wire, name);
    if (kraus.length === 0) throw new RangeError(`Circuit.${name}: needs at least one Kraus operator`);
    this.ops.push({ kind: 'channel', target: wire, name, kraus: kraus.map((k) => [...k] as Mat2) });
    this.records.push({ name, wires: [wire], angles: [] });
    return this;
  }

  /** Depolarising channel: ρ → (1−p)ρ + (p/3)(XρX + YρY + ZρZ), p ∈ [0, 1]. */
  depolarizing(wire: number, p: number): this {
    return this.channel(wire, depolarizingKraus(p), 'depolarizing');
  }

  /** Amplitude damping with decay probability γ ∈ [0, 1] (|1⟩ → |0⟩). */
  amplitudeDamping(wire: number, gamma: number): this {
    return this.channel(wire, amplitudeDampingKraus(gamma), 'amplitude-damping');
  }

  /** Appends every gate of `other` (same qubit count; its slots are re-numbered after this circuit's). */
  append(other: Circuit): this {
    if (other.nQubits !== this.nQubits) {
      throw new RangeError(`Circuit.append: ${other.nQubits} qubits into a ${this.nQubits}-qubit circuit`);
    }
    const offset = this.slots.length;
    const compiled = other.compile();
    for (const s of compiled.slots) this.slots.push({ ...s });
    for (const op of compiled.ops) {
      this.ops.push(
        'slot' in op ? { ...op, slot: op.slot + offset, controls: [...op.controls] } : structuredClone(op),
      );
    }
    this.records.push(...other.gates.map((g) => ({ ...g, wires: [...g.wires], angles: [...g.angles] })));
    this.nParams = Math.max(this.nParams, other.numParams);
    this.nInputs = Math.max(this.nInputs, other.numInputs);
    return this;
  }

  /** True when the circuit contains noise channels. */
  get hasChannels(): boolean {
    return this.ops.some((o) => o.kind === 'channel');
  }

  /** Lowers the circuit to primitive operations (a snapshot; later gates are not included). */
  compile(): CompiledCircuit {
    return {
      nQubits: this.nQubits,
      ops: this.ops.map((o) => structuredClone(o)),
      slots: this.slots.map((s) => ({ ...s })),
      numParams: this.nParams,
      numInputs: this.nInputs,
    };
  }
}

/** Kraus operators of the depolarising channel with probability p. */
export function depolarizingKraus(p: number): Mat2[] {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`depolarizing: p must be in [0, 1], got ${p}`);
  const a = Math.sqrt(1 - p);
  const b = Math.sqrt(p / 3);
  const scale = (m: readonly number[], f: number) => m.map((v) => v * f) as Mat2;
  return [scale(FIXED_GATES.i, a), scale(FIXED_GATES.x, b), scale(FIXED_GATES.y, b), scale(FIXED_GATES.z, b)];
}

/** Kraus operators of amplitude damping with decay probability γ. */
export function amplitudeDampingKraus(gamma: number): Mat2[] {
  if (!(gamma >= 0 && gamma <= 1))
    throw new RangeError(`amplitudeDamping: γ must be in [0, 1], got ${gamma}`);
  return [
    [1, 0, 0, 0, 0, 0, Math.sqrt(1 - gamma), 0],
    [0, 0, Math.sqrt(gamma), 0, 0, 0, 0, 0],
  ];
}

/** A noise model applied after every gate, on each wire the gate touches. */
export interface NoiseModel {
  /** Depolarising probability per touched wire. */
  depolarizing?: number;
  /** Amplitude-damping γ per touched wire. */
  amplitudeDamping?: number;
}

/** A copy of `compiled` with the noise model's channels inserted after every gate. */
export function withNoise(compiled: CompiledCircuit, noise: NoiseModel): CompiledCircuit {
  const ops: PrimitiveOp[] = [];
  const dep = noise.depolarizing ? depolarizingKraus(noise.depolarizing) : null;
  const amp = noise.amplitudeDamping ? amplitudeDampingKraus(noise.amplitudeDamping) : null;
  for (const op of compiled.ops) {
    ops.push(structuredClone(op));
    if (op.kind === 'channel') continue;
    const wires = [...op.controls, op.target, ...(op.kind === 'swap' ? [op.target2] : [])];
    for (const w of wires) {
      if (dep) ops.push({ kind: 'channel', target: w, name: 'depolarizing', kraus: dep });
      if (amp) ops.push({ kind: 'channel', target: w, name: 'amplitude-damping', kraus: amp });
    }
  }
  return { ...compiled, ops, slots: compiled.slots.map((s) => ({ ...s })) };
}

/**
 * Host angle matrix `[batch, slots]` (row-major) from parameters θ `[numParams]` and inputs x
 * `[batch, numInputs]` (row-major).
 */
export function hostAngles(
  compiled: CompiledCircuit,
  params: ArrayLike<number> | null,
  inputs: ArrayLike<number> | null,
  batch: number,
): Float32Array {
  const G = compiled.slots.length;
  const I = compiled.numInputs;
  if (compiled.numParams > 0 && (!params || params.length < compiled.numParams)) {
    throw new RangeError(`hostAngles: need ${compiled.numParams} parameters, got ${params?.length ?? 0}`);
  }
  if (I > 0 && (!inputs || inputs.length < batch * I)) {
    throw new RangeError(`hostAngles: need inputs [${batch}, ${I}], got ${inputs?.length ?? 0} values`);
  }
  const out = new Float32Array(batch * G);
  for (let b = 0; b < batch; b++) {
    for (let g = 0; g < G; g++) {
      const s = compiled.slots[g]!;
      const v = s.source === 'param' ? params![s.index]! : inputs![b * I + s.index]!;
      out[b * G + g] = s.scale * v + s.shift;
    }
  }
  return out;
}

/**
 * The angle matrix `[batch, slots]` as a differentiable tfjs function of parameters `[numParams]` and
 * inputs `[batch, numInputs]` (a matmul with the sparse slot map, so gradients flow to both).
 */
export function angleMatrix(
  compiled: CompiledCircuit,
  params: tf.Tensor1D | null,
  inputs: tf.Tensor2D | null,
  batch?: number,
): tf.Tensor2D {
  const G = compiled.slots.length;
  const P = compiled.numParams;
  const I = compiled.numInputs;
  const B = batch ?? inputs?.shape[0];
  if (B === undefined) throw new RangeError('angleMatrix: give inputs or a batch size');
  if (P > 0 && (!params || params.shape[0] !== P)) {
    throw new RangeError(`angleMatrix: need params of shape [${P}], got [${params?.shape ?? ''}]`);
  }
  if (I > 0 && (!inputs || inputs.shape[1] !== I || inputs.shape[0] !== B)) {
    throw new RangeError(`angleMatrix: need inputs of shape [${B}, ${I}], got [${inputs?.shape ?? ''}]`);
  }
  return tf.tidy(() => {
    const shift = new Float32Array(G);
    const wp = new Float32Array(P * G);
    const wi = new Float32Array(I * G);
    compiled.slots.forEach((s, g) => {
      shift[g] = s.shift;
      if (s.source === 'param') wp[s.index * G + g] = s.scale;
      else wi[s.index * G + g] = s.scale;
    });
    let out: tf.Tensor = tf.tile(tf.tensor2d(shift, [1, G]), [B, 1]);
    if (P > 0 && params) out = tf.add(out, tf.matMul(tf.reshape(params, [1, P]), tf.tensor2d(wp, [P, G])));
    if (I > 0 && inputs) out = tf.add(out, tf.matMul(inputs, tf.tensor2d(wi, [I, G])));
    return out as tf.Tensor2D;
  });
}
