/**
 * Asymmetry features of centred galaxy images [n × size²] (one channel): the residual after subtracting the
 * 180°-rotated image (a point-symmetric model of the host), summed in `rings` annuli as total |residual| and
 * positive residual, each over the image's total light. Returns [n × 2·rings + 1] (last: global asymmetry).
 */
export function symmetricResidualFeatures(images: Float32Array, size: number, rings = 4): Float32Array {
  const per = size * size;
  const n = images.length / per;
  const f = 2 * rings + 1;
  const out = new Float32Array(n * f);
  const c = (size - 1) / 2;
  const rMax = Math.SQRT2 * c + 1e-6;
  for (let b = 0; b < n; b++) {
    const img = images.subarray(b * per, (b + 1) * per);
    let light = 1e-6;
    for (let k = 0; k < per; k++) light += Math.abs(img[k]!);
    let total = 0;
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++) {
        const res = img[i * size + j]! - img[(size - 1 - i) * size + (size - 1 - j)]!;
        const ring = Math.min(rings - 1, Math.floor((Math.hypot(i - c, j - c) / rMax) * rings));
        out[b * f + 2 * ring]! += Math.abs(res) / light;
        if (res > 0) out[b * f + 2 * ring + 1]! += res / light;
        total += Math.abs(res);
      }
    out[b * f + f - 1] = total / light;
  }
  return out;
}
