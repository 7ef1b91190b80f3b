/** Activations whose dual (arc-cosine-type) kernels are closed-form. */
export type DualActivation = 'relu' | 'erf';

/** E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]). */
export interface DualValue {
  /** E[φ(u)φ(v)] */
  k: number;
  /** E[φ'(u)φ'(v)] */
  kdot: number;
}

/**
 * ReLU dual (Cho & Saul arc-cosine kernel of order 1): with θ = arccos(k12/√(k11k22)),
 * E[φφ] = √(k11k22)(sin θ + (π−θ)cos θ)/2π and E[φ'φ'] = (π−θ)/2π.
 */
export function reluDual(k11: number, k22: number, k12: number): DualValue {
  const norm = Math.sqrt(k11 * k22);
  if (norm === 0) return { k: 0, kdot: 0.25 };
  const c = Math.max(-1, Math.min(1, k12 / norm));
  const theta = Math.acos(c);
  return {
    k: (norm * (Math.sin(theta) + (Math.PI - theta) * c)) / (2 * Math.PI),
    kdot: (Math.PI - theta) / (2 * Math.PI),
  };
}

/**
 * Erf dual (Williams 1997): E[φφ] = (2/π)·asin(2k12/√((1+2k11)(1+2k22))),
 * E[φ'φ'] = (4/π)/√((1+2k11)(1+2k22) − 4k12²).
 */
export function erfDual(k11: number, k22: number, k12: number): DualValue {
  const a = (1 + 2 * k11) * (1 + 2 * k22);
  const s = Math.max(-1, Math.min(1, (2 * k12) / Math.sqrt(a)));
  return {
    k: (2 / Math.PI) * Math.asin(s),
    kdot: 4 / Math.PI / Math.sqrt(Math.max(a - 4 * k12 * k12, 1e-300)),
  };
}

/** The dual of a named activation. */
export function dualOf(activation: DualActivation): (k11: number, k22: number, k12: number) => DualValue {
  return activation === 'relu' ? reluDual : erfDual;
}

/** Derivative of the activation (for backprop signals of finite networks). */
export function activationDerivative(activation: DualActivation, h: number): number {
  return activation === 'relu' ? (h > 0 ? 1 : 0) : (2 / Math.sqrt(Math.PI)) * Math.exp(-h * h);
}
