/**
 * 2×2 complex matrices as 8 numbers, row-major with interleaved real and imaginary parts:
 * `[re00, im00, re01, im01, re10, im10, re11, im11]`. Plain arrays so compiled circuits stay JSON.
 */
export type Mat2 = [number, number, number, number, number, number, number, number];

/** Rotation-like gates whose matrix depends on one angle. */
export type RotationKind = 'rx' | 'ry' | 'rz' | 'phase';

const S2 = Math.SQRT1_2;

/** The fixed one-qubit gates by name. */
export const FIXED_GATES = {
  i: [1, 0, 0, 0, 0, 0, 1, 0],
  h: [S2, 0, S2, 0, S2, 0, -S2, 0],
  x: [0, 0, 1, 0, 1, 0, 0, 0],
  y: [0, 0, 0, -1, 0, 1, 0, 0],
  z: [1, 0, 0, 0, 0, 0, -1, 0],
  s: [1, 0, 0, 0, 0, 0, 0, 1],
  sdg: [1, 0, 0, 0, 0, 0, 0, -1],
  t: [1, 0, 0, 0, 0, 0, S2, S2],
  tdg: [1, 0, 0, 0, 0, 0, S2, -S2],
  sx: [0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5],
} as const satisfies Record<string, Mat2>;

/** Name of a fixed one-qubit gate. */
export type FixedGateName = keyof typeof FIXED_GATES;

/** Writes the 8 numbers of a 2×2 complex matrix (row-major, re/im interleaved) into `out` at `o`. */
function put(
  out: Float64Array | number[],
  o: number,
  r00: number,
  i00: number,
  r01: number,
  i01: number,
  r10: number,
  i10: number,
  r11: number,
  i11: number,
): void {
  out[o] = r00;
  out[o + 1] = i00;
  out[o + 2] = r01;
  out[o + 3] = i01;
  out[o + 4] = r10;
  out[o + 5] = i10;
  out[o + 6] = r11;
  out[o + 7] = i11;
}

/**
 * Writes a·I − i·b·P into `out` at `o`, P the Pauli axis of the rotation: R(θ) has a = cos θ/2,
 * b = sin θ/2, and dR/dθ has a = −½ sin θ/2, b = ½ cos θ/2.
 */
function axisCombinationInto(
  kind: Exclude<RotationKind, 'phase'>,
  a: number,
  b: number,
  out: Float64Array | number[],
  o: number,
): void {
  if (kind === 'rx')
    put(out, o, a, 0, 0, -b, 0, -b, a, 0); // [[a, −ib], [−ib, a]]
  else if (kind === 'ry')
    put(out, o, a, 0, -b, 0, b, 0, a, 0); // [[a, −b], [b, a]]
  else put(out, o, a, -b, 0, 0, 0, 0, a, b); // diag(a − ib, a + ib)
}

/** Writes a 2×2 matrix that depends on a rotation's kind and angle `theta` into `out` (offset `o`, default 0). */
export type RotationWriter = (
  kind: RotationKind,
  theta: number,
  out: Float64Array | number[],
  o?: number,
) => void;

/** Writes the matrix of a rotation at angle `theta` into `out` (offset `o`). */
export const rotationMatrixInto: RotationWriter = (kind, theta, out, o = 0) => {
  if (kind === 'phase') put(out, o, 1, 0, 0, 0, 0, 0, Math.cos(theta), Math.sin(theta));
  else axisCombinationInto(kind, Math.cos(theta / 2), Math.sin(theta / 2), out, o);
};

/** Writes dR/dθ of a rotation at angle `theta` into `out` (offset `o`). */
export const rotationDerivativeInto: RotationWriter = (kind, theta, out, o = 0) => {
  if (kind === 'phase') put(out, o, 0, 0, 0, 0, 0, 0, -Math.sin(theta), Math.cos(theta));
  else axisCombinationInto(kind, -Math.sin(theta / 2) / 2, Math.cos(theta / 2) / 2, out, o);
};

/** The matrix of a rotation at angle `theta`. */
export function rotationMatrix(kind: RotationKind, theta: number): Mat2 {
  const m = [0, 0, 0, 0, 0, 0, 0, 0] as Mat2;
  rotationMatrixInto(kind, theta, m);
  return m;
}

/** Conjugate transpose of a 2×2 matrix. */
export function dagger(m: Mat2): Mat2 {
  return [m[0], -m[1], m[4], -m[5], m[2], -m[3], m[6], -m[7]];
}

/** Elementwise complex conjugate of a 2×2 matrix. */
export function conjugate(m: Mat2): Mat2 {
  return [m[0], -m[1], m[2], -m[3], m[4], -m[5], m[6], -m[7]];
}

/** Product a·b of two 2×2 complex matrices. */
export function matmul2(a: Mat2, b: Mat2): Mat2 {
  const out = [0, 0, 0, 0, 0, 0, 0, 0] as Mat2;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < 2; k++) {
        const ar = a[4 * i + 2 * k]!;
        const ai = a[4 * i + 2 * k + 1]!;
        const br = b[4 * k + 2 * j]!;
        const bi = b[4 * k + 2 * j + 1]!;
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[4 * i + 2 * j] = re;
      out[4 * i + 2 * j + 1] = im;
    }
  }
  return out;
}

/** Largest deviation of m†m from the identity (0 for a unitary). */
export function unitarityError(m: Mat2): number {
  const p = matmul2(dagger(m), m);
  return Math.max(
    Math.abs(p[0] - 1),
    Math.abs(p[1]),
    Math.abs(p[2]),
    Math.abs(p[3]),
    Math.abs(p[4]),
    Math.abs(p[5]),
    Math.abs(p[6] - 1),
    Math.abs(p[7]),
  );
}
