/** Piecewise-linear interpolation of the uniform frontier's accuracy at `log2(size)`. */
export function frontierAt(points: Array<{ size: number; acc: number }>, size: number): number {
  const pts = points
    .slice()
    .sort((a, b) => a.size - b.size)
    .reduce<Array<{ size: number; acc: number }>>((out, p) => {
      // Best accuracy at each size (several widths of activations share a weight size).
      const last = out[out.length - 1];
      if (last && last.size === p.size) last.acc = Math.max(last.acc, p.acc);
      else out.push({ ...p });
      return out;
    }, []);
  const x = Math.log2(size);
  if (x <= Math.log2(pts[0]!.size)) return pts[0]!.acc;
  for (let i = 1; i < pts.length; i++) {
    const x0 = Math.log2(pts[i - 1]!.size);
    const x1 = Math.log2(pts[i]!.size);
    if (x <= x1) return pts[i - 1]!.acc + ((x - x0) / (x1 - x0)) * (pts[i]!.acc - pts[i - 1]!.acc);
  }
  return pts[pts.length - 1]!.acc;
}
