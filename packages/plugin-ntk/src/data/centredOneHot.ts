/** Centred one-hot regression targets: 1 − 1/C for the label, −1/C elsewhere, [n, C] row-major in Float64. */
export function centredOneHot(y: Int32Array, C: number): Float64Array {
  const out = new Float64Array(y.length * C).fill(-1 / C);
  for (let i = 0; i < y.length; i++) out[i * C + y[i]!]! += 1;
  return out;
}
