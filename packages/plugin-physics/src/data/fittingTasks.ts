/** Bessel J₀(z) = (1/π)∫₀^π cos(z·sin θ) dθ by the trapezoid rule (spectrally accurate for this periodic integrand). */
export function besselJ0(z: number): number {
  const n = 64;
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.cos(z * Math.sin((Math.PI * (k + 0.5)) / n));
  return s / n;
}

/** A function-fitting task on [−1, 1]^dim. */
export interface FittingTask {
  name: string;
  dim: number;
  f: (x: readonly number[]) => number;
}

/**
 * Seven function-fitting tasks of the kind KAN papers use (Liu et al. 2024 §3; S-KAN's "representative function
 * fitting tasks"): smooth compositions, products, oscillations, a sharp step, a bump and a kink, so that no single
 * basis family suits them all.
 */
export const FITTING_TASKS: readonly FittingTask[] = [
  { name: 'J0(20x)', dim: 1, f: ([x]) => besselJ0(20 * x!) },
  { name: 'exp(sin(πx) + y²)', dim: 2, f: ([x, y]) => Math.exp(Math.sin(Math.PI * x!) + y! * y!) },
  { name: 'x·y', dim: 2, f: ([x, y]) => x! * y! },
  {
    name: 'exp(½(sin π(x₁²+x₂²) + sin π(x₃²+x₄²)))',
    dim: 4,
    f: ([a, b, c, d]) =>
      Math.exp(0.5 * (Math.sin(Math.PI * (a! * a! + b! * b!)) + Math.sin(Math.PI * (c! * c! + d! * d!)))),
  },
  { name: 'tanh(10x)', dim: 1, f: ([x]) => Math.tanh(10 * x!) },
  { name: 'exp(−(x²+y²)/0.1)', dim: 2, f: ([x, y]) => Math.exp(-(x! * x! + y! * y!) / 0.1) },
  { name: '|x|', dim: 1, f: ([x]) => Math.abs(x!) },
];
