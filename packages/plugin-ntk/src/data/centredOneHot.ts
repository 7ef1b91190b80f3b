/** An array type the targets can be written into. */
type FloatArrayType<A extends Float32Array | Float64Array> = new (length: number) => A;

/**
 * Centred one-hot regression targets: 1 − 1/C for the label, −1/C elsewhere, [n, C] row-major, in Float64 or
 * (with `type` Float32Array) computed and stored in Float32.
 */
export function centredOneHot(y: Int32Array, C: number): Float64Array;
export function centredOneHot<A extends Float32Array | Float64Array>(
  y: Int32Array,
  C: number,
  type: FloatArrayType<A>,
): A;
export function centredOneHot(
  y: Int32Array,
  C: number,
  type: FloatArrayType<Float32Array | Float64Array> = Float64Array,
): Float32Array | Float64Array {
  const out = new type(y.length * C).fill(-1 / C);
  for (let i = 0; i < y.length; i++) out[i * C + y[i]!]! += 1;
  return out;
}
