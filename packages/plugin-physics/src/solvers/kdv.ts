import { fft, wavenumbers } from './fft.js';

/** Options of {@link solveKdv}. */
export interface KdvOptions {
  /** Dispersion δ in u_t + u·u_x + δ²·u_xxx = 0. */
  delta: number;
  /** Periodic domain length. */
  length: number;
  /** Initial condition on the n-point grid x_j = j·L/n (n a power of two). */
  u0: ArrayLike<number>;
  /** Times at which to record the solution (ascending, ≥ 0). */
  times: readonly number[];
  /** Time step (default: 1e-3·L/n·… chosen so that the largest |k|·max|u| step is ≤ 0.5). */
  dt?: number;
  /** Zero the top third of modes in the nonlinear term (2/3 rule; default true). */
  dealias?: boolean;
}

type C = [number, number];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const cexp = (a: C): C => {
  const e = Math.exp(a[0]);
  return [e * Math.cos(a[1]), e * Math.sin(a[1])];
};

/** A complex vector as two float64 arrays. */
interface CVec {
  re: Float64Array;
  im: Float64Array;
}

const cvec = (n: number): CVec => ({ re: new Float64Array(n), im: new Float64Array(n) });

/**
 * ETDRK4 coefficients for a diagonal linear operator (Kassam & Trefethen 2005): φ-functions by the mean over
 * M = 32 points of a unit circle around each h·L, which avoids cancellation for small |h·L|.
 */
function etdrk4Coefficients(L: C[], h: number): Record<'E' | 'E2' | 'Q' | 'f1' | 'f2' | 'f3', CVec> {
  const M = 32;
  const n = L.length;
  const out = { E: cvec(n), E2: cvec(n), Q: cvec(n), f1: cvec(n), f2: cvec(n), f3: cvec(n) };
  const put = (v: CVec, k: number, c: C, scale = 1) => {
    v.re[k] = scale * c[0];
    v.im[k] = scale * c[1];
  };
  for (let k = 0; k < n; k++) {
    const hl: C = [h * L[k]![0], h * L[k]![1]];
    put(out.E, k, cexp(hl));
    put(out.E2, k, cexp([hl[0] / 2, hl[1] / 2]));
    const acc = { Q: [0, 0] as C, f1: [0, 0] as C, f2: [0, 0] as C, f3: [0, 0] as C };
    const add = (key: keyof typeof acc, v: C) => {
      acc[key][0] += v[0] / M;
      acc[key][1] += v[1] / M;
    };
    for (let j = 1; j <= M; j++) {
      const th = (Math.PI * (j - 0.5)) / M;
      const z: C = [hl[0] + Math.cos(th), hl[1] + Math.sin(th)];
      const ez = cexp(z);
      const ez2 = cexp([z[0] / 2, z[1] / 2]);
      const z2 = cmul(z, z);
      const z3 = cmul(z2, z);
      add('Q', cdiv([ez2[0] - 1, ez2[1]], z));
      // f1 = (−4 − z + e^z(4 − 3z + z²))/z³
      const t1 = cmul(ez, [4 - 3 * z[0] + z2[0], -3 * z[1] + z2[1]]);
      add('f1', cdiv([-4 - z[0] + t1[0], -z[1] + t1[1]], z3));
      // f2 = (2 + z + e^z(−2 + z))/z³
      const t2 = cmul(ez, [-2 + z[0], z[1]]);
      add('f2', cdiv([2 + z[0] + t2[0], z[1] + t2[1]], z3));
      // f3 = (−4 − 3z − z² + e^z(4 − z))/z³
      const t3 = cmul(ez, [4 - z[0], -z[1]]);
      add('f3', cdiv([-4 - 3 * z[0] - z2[0] + t3[0], -3 * z[1] - z2[1] + t3[1]], z3));
    }
    put(out.Q, k, acc.Q, h);
    put(out.f1, k, acc.f1, h);
    put(out.f2, k, acc.f2, h);
    put(out.f3, k, acc.f3, h);
  }
  return out;
}

/** out = Σ w·coef⊙x over the terms (elementwise complex products; out may alias an x). */
function combine(out: CVec, terms: ReadonlyArray<readonly [CVec, CVec, number]>): void {
  const n = out.re.length;
  for (let j = 0; j < n; j++) {
    let [sr, si] = [0, 0];
    for (const [c, x, w] of terms) {
      const [a, b, p, q] = [c.re[j]!, c.im[j]!, x.re[j]!, x.im[j]!];
      sr += w * (a * p - b * q);
      si += w * (a * q + b * p);
    }
    out.re[j] = sr;
    out.im[j] = si;
  }
}

/** The KdV solution at the requested times, and the step used. */
export interface KdvSolution {
  x: Float64Array;
  /** u at each requested time, in order. */
  u: Float64Array[];
  dt: number;
}

/**
 * Periodic KdV u_t + u·u_x + δ²·u_xxx = 0 by Fourier pseudo-spectral discretisation in space and ETDRK4 in
 * time (the stiff dispersive term is integrated exactly). Checked against the travelling soliton in the tests.
 */
export function solveKdv(options: KdvOptions): KdvSolution {
  const n = options.u0.length;
  const { delta, length } = options;
  if ((n & (n - 1)) !== 0 || n < 8)
    throw new RangeError(`solveKdv: grid size must be a power of two ≥ 8, got ${n}`);
  const k = wavenumbers(n, length);
  const umax = Math.max(...Array.from(options.u0, Math.abs), 1e-6);
  const dt = options.dt ?? Math.min(0.5 / (umax * Math.max(...k.map(Math.abs))), 0.01);
  // Linear operator: û_t = i·δ²·k³·û.
  const L: C[] = Array.from(k, (kj) => [0, delta * delta * kj * kj * kj] as C);
  const c = etdrk4Coefficients(L, dt);
  const cut = options.dealias === false ? Number.POSITIVE_INFINITY : (2 / 3) * (n / 2);
  // −½ik with the 2/3 rule (the top third of modes is zeroed).
  const g = cvec(n);
  for (let j = 0; j < n; j++) g.im[j] = (j < n / 2 ? j : n - j) >= cut ? 0 : -0.5 * k[j]!;
  const work = cvec(n);
  // N(v̂) = −½ik·FFT(u²), u = real(IFFT(v̂)).
  const nonlinear = (v: CVec, out: CVec) => {
    work.re.set(v.re);
    work.im.set(v.im);
    fft(work.re, work.im, true);
    for (let j = 0; j < n; j++) {
      work.re[j] = work.re[j]! * work.re[j]!;
      work.im[j] = 0;
    }
    fft(work.re, work.im);
    combine(out, [[g, work, 1]]);
  };
  const v: CVec = { re: Float64Array.from(options.u0), im: new Float64Array(n) };
  fft(v.re, v.im);
  const [Nv, a, Na, b, Nb, cc, Nc, Nb2] = Array.from({ length: 8 }, () => cvec(n)) as [
    CVec,
    CVec,
    CVec,
    CVec,
    CVec,
    CVec,
    CVec,
    CVec,
  ];
  const out: Float64Array[] = [];
  let t = 0;
  for (const target of options.times) {
    if (target < t - 1e-12) throw new RangeError('solveKdv: times must be ascending and ≥ 0');
    while (t < target - 1e-12) {
      const h = Math.min(dt, target - t);
      const co = h === dt ? c : etdrk4Coefficients(L, h);
      nonlinear(v, Nv);
      combine(a, [
        [co.E2, v, 1],
        [co.Q, Nv, 1],
      ]);
      nonlinear(a, Na);
      combine(b, [
        [co.E2, v, 1],
        [co.Q, Na, 1],
      ]);
      nonlinear(b, Nb);
      for (let j = 0; j < n; j++) {
        Nb2.re[j] = 2 * Nb.re[j]! - Nv.re[j]!;
        Nb2.im[j] = 2 * Nb.im[j]! - Nv.im[j]!;
      }
      combine(cc, [
        [co.E2, a, 1],
        [co.Q, Nb2, 1],
      ]);
      nonlinear(cc, Nc);
      for (let j = 0; j < n; j++) {
        Na.re[j] = Na.re[j]! + Nb.re[j]!;
        Na.im[j] = Na.im[j]! + Nb.im[j]!;
      }
      combine(v, [
        [co.E, v, 1],
        [co.f1, Nv, 1],
        [co.f2, Na, 2],
        [co.f3, Nc, 1],
      ]);
      t += h;
    }
    const u = Float64Array.from(v.re);
    fft(u, Float64Array.from(v.im), true);
    out.push(u);
  }
  return { x: Float64Array.from({ length: n }, (_, j) => (j * length) / n), u: out, dt };
}

/** The KdV soliton of speed c: u = 3c·sech²(√c·(x − x₀ − ct)/(2δ)), wrapped onto a periodic domain of length L. */
export function kdvSoliton(
  x: number,
  t: number,
  c: number,
  delta: number,
  x0: number,
  length: number,
): number {
  let s = 0;
  const d = x - x0 - c * t;
  const wrapped = d - length * Math.round(d / length);
  // The nearest periodic images: the tails beyond them are negligible for solitons narrower than L/4.
  for (const shift of [-length, 0, length]) {
    const xi = (Math.sqrt(c) * (wrapped + shift)) / (2 * delta);
    const ch = Math.cosh(xi);
    s += (3 * c) / (ch * ch);
  }
  return s;
}
