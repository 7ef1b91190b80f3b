/**
 * One of the 8 symmetries of the square applied to [n × size × size × channels] host images: `t` = rotation by
 * (t mod 4)·90° after a mirror when t ≥ 4. Exact (no resampling); returns a new array.
 */
export function dihedral(images: Float32Array, size: number, channels: number, t: number): Float32Array {
  const per = size * size * channels;
  const n = images.length / per;
  const out = new Float32Array(images.length);
  const last = size - 1;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++) {
        let si = i;
        let sj = t >= 4 ? last - j : j;
        for (let r = 0; r < t % 4; r++) [si, sj] = [sj, last - si];
        const src = b * per + (si * size + sj) * channels;
        const dst = b * per + (i * size + j) * channels;
        for (let c = 0; c < channels; c++) out[dst + c] = images[src + c]!;
      }
  return out;
}
