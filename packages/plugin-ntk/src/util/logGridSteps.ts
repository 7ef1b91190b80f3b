/** About `count` log-spaced steps in 0 … steps (0 and `steps` always included), ascending and distinct. */
export function logGridSteps(steps: number, count: number): number[] {
  const s = new Set<number>([0, steps]);
  for (let i = 0; i < count; i++) s.add(Math.round(Math.exp((Math.log(steps + 1) * i) / (count - 1))) - 1);
  return [...s].filter((v) => v >= 0 && v <= steps).sort((a, b) => a - b);
}
