/** Steps 1·10ᵉ and 3·10ᵉ from `min` up to `steps`, plus `steps` itself, ascending: where to record a long run. */
export function logSpacedSteps(steps: number, min = 1): number[] {
  const marks = new Set<number>();
  for (let e = 0; 10 ** e <= steps; e++) {
    for (const m of [1, 3]) {
      const s = Math.round(m * 10 ** e);
      if (s >= min && s <= steps) marks.add(s);
    }
  }
  marks.add(steps);
  return [...marks].sort((a, b) => a - b);
}
