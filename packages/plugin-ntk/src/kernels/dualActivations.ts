/** Activations whose dual (arc-cosine-type) kernels are closed-form. */
export type DualActivation = 'relu' | 'erf';

/** E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]). */
export interface DualValue {
  /** E[φ(u)φ(v)] */
  k: number;
  /** E[φ'(u)φ'(v)] */
  kdot: number;
}

/** The dual of an activation: E[φφ] and E[φ'φ'] from the covariance entries k11, k22, k12. */
export type DualFn = (k11: number, k22: number, k12: number) => DualValue;

/**
 * A dual of the arc-cosine family (ReLU, abs, leaky ReLU): E[φ'φ'] = `kdotAtZero` where a variance is 0, else
 * `terms` of √(k11k22), cos θ = k12/√(k11k22) (clamped to [−1, 1]) and θ.
 */
function arcCosine(kdotAtZero: number, terms: (norm: number, c: number, theta: number) => DualValue): DualFn {
  return (k11, k22, k12) => {
    const norm = Math.sqrt(k11 * k22);
    if (norm === 0) return { k: 0, kdot: kdotAtZero };
    const c = Math.max(-1, Math.min(1, k12 / norm));
    return terms(norm, c, Math.acos(c));
  };
}

/**
 * ReLU dual (Cho & Saul arc-cosine kernel of order 1): with θ = arccos(k12/√(k11k22)),
 * E[φφ] = √(k11k22)(sin θ + (π−θ)cos θ)/2π and E[φ'φ'] = (π−θ)/2π.
 */
export const reluDual: DualFn = arcCosine(0.25, (norm, c, theta) => ({
  k: (norm * (Math.sin(theta) + (Math.PI - theta) * c)) / (2 * Math.PI),
  kdot: (Math.PI - theta) / (2 * Math.PI),
}));

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

/**
 * Abs dual: |u| = relu(u) + relu(−u), so with θ as for ReLU E[|u||v|] = √(k11k22)(2 sin θ + (π − 2θ)cos θ)/π
 * and E[sign(u)sign(v)] = 1 − 2θ/π.
 */
export const absDual: DualFn = arcCosine(0, (norm, c, theta) => ({
  k: (norm * (2 * Math.sin(theta) + (Math.PI - 2 * theta) * c)) / Math.PI,
  kdot: 1 - (2 * theta) / Math.PI,
}));

/**
 * Leaky-ReLU dual, φ(u) = max(u, αu): φ = relu(u) − α·relu(−u) gives E[φφ] = (1+α²)A(θ) − 2α·A(π−θ) with
 * A the ReLU arc-cosine term, and E[φ'φ'] = (1+α²)(π−θ)/2π + αθ/π.
 */
export function leakyReluDual(alpha: number): DualFn {
  const a2 = 1 + alpha * alpha;
  return arcCosine((a2 + 2 * alpha) / 4, (norm, c, theta) => {
    const s = Math.sin(theta);
    const same = (s + (Math.PI - theta) * c) / (2 * Math.PI);
    const opposite = (s - theta * c) / (2 * Math.PI);
    return {
      k: norm * (a2 * same - 2 * alpha * opposite),
      kdot: (a2 * (Math.PI - theta)) / (2 * Math.PI) + (alpha * theta) / Math.PI,
    };
  });
}

/** The dual of a named activation. */
export function dualOf(activation: DualActivation): DualFn {
  return activation === 'relu' ? reluDual : erfDual;
}

/** Derivative of the activation (for backprop signals of finite networks). */
export function activationDerivative(activation: DualActivation, h: number): number {
  return activation === 'relu' ? (h > 0 ? 1 : 0) : (2 / Math.sqrt(Math.PI)) * Math.exp(-h * h);
}
