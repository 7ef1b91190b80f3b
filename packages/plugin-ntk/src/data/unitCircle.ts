/** `n` points on the unit circle at angles γᵢ = 2π(i + offset)/n, as flat (cos γ, sin γ) rows, with their angles. */
export function unitCircle(n: number, offset: number): { x: Float32Array; gamma: number[] } {
  const x = new Float32Array(2 * n);
  const gamma: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = (2 * Math.PI * (i + offset)) / n;
    gamma.push(g);
    x[2 * i] = Math.cos(g);
    x[2 * i + 1] = Math.sin(g);
  }
  return { x, gamma };
}
