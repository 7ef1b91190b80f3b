import * as tf from '@tensorflow/tfjs-core';

/** An objective on the host: value and gradient at x. */
export type Objective = (x: Float64Array) => { f: number; g: Float64Array };

/** Options of {@link lbfgs}. */
export interface LbfgsOptions {
  /** Iterations (default 200). */
  maxIter?: number;
  /** Correction pairs kept (default 10). */
  memory?: number;
  /** Stop when ‖g‖∞ falls below this (default 1e-7). */
  gradTol?: number;
  /** Stop when the relative decrease of f in an iteration falls below this (default 1e-12). */
  fTol?: number;
  /** Objective evaluations allowed in total (default 25 × maxIter). */
  maxEval?: number;
  /** Checked every iteration. */
  signal?: AbortSignal;
}

/** What {@link lbfgs} returns. */
export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  /** `gradient` (‖g‖∞ small), `progress` (f stalled), `line-search` (no Wolfe step found), or `budget`. */
  reason: 'gradient' | 'progress' | 'line-search' | 'budget';
  /** f after each iteration. */
  history: number[];
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

interface LinePoint {
  t: number;
  f: number;
  g: Float64Array;
  dg: number;
  x: Float64Array;
}

/**
 * Strong-Wolfe line search (Nocedal & Wright, Alg. 3.5/3.6, c1 = 1e-4, c2 = 0.9) with cubic interpolation in
 * the zoom; returns null when no acceptable step is found within its budget.
 */
function wolfe(
  fg: Objective,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  d: Float64Array,
  t0: number,
  count: () => boolean,
): LinePoint | null {
  const c1 = 1e-4;
  const c2 = 0.9;
  const dg0 = dot(g0, d);
  const at = (t: number): LinePoint | null => {
    if (!count()) return null;
    const xt = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) xt[i] = x[i]! + t * d[i]!;
    const { f, g } = fg(xt);
    return { t, f, g, dg: dot(g, d), x: xt };
  };
  const interpolate = (a: LinePoint, b: LinePoint): number => {
    // Minimiser of the cubic through (a.t, a.f, a.dg), (b.t, b.f, b.dg); bisection when it is unusable.
    const d1 = a.dg + b.dg - (3 * (a.f - b.f)) / (a.t - b.t);
    const disc = d1 * d1 - a.dg * b.dg;
    const lo = Math.min(a.t, b.t);
    const hi = Math.max(a.t, b.t);
    if (disc >= 0 && Number.isFinite(disc)) {
      const d2 = Math.sign(b.t - a.t) * Math.sqrt(disc);
      const t = b.t - (b.t - a.t) * ((b.dg + d2 - d1) / (b.dg - a.dg + 2 * d2));
      if (Number.isFinite(t) && t > lo + 0.1 * (hi - lo) && t < hi - 0.1 * (hi - lo)) return t;
    }
    return (lo + hi) / 2;
  };
  const zoom = (lo: LinePoint, hi: LinePoint): LinePoint | null => {
    for (let k = 0; k < 20; k++) {
      const p = at(interpolate(lo, hi));
      if (!p) return null;
      if (!Number.isFinite(p.f) || p.f > f0 + c1 * p.t * dg0 || p.f >= lo.f) hi = p;
      else {
        if (Math.abs(p.dg) <= -c2 * dg0) return p;
        if (p.dg * (hi.t - lo.t) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.t - lo.t) < 1e-12 * Math.max(1, lo.t)) break;
    }
    return lo.t > 0 && lo.f < f0 ? lo : null;
  };
  let prev: LinePoint = { t: 0, f: f0, g: g0, dg: dg0, x };
  let t = t0;
  for (let i = 0; i < 20; i++) {
    const p = at(t);
    if (!p) return null;
    if (!Number.isFinite(p.f) || p.f > f0 + c1 * t * dg0 || (i > 0 && p.f >= prev.f)) return zoom(prev, p);
    if (Math.abs(p.dg) <= -c2 * dg0) return p;
    if (p.dg >= 0) return zoom(p, prev);
    prev = p;
    t *= 2;
  }
  return prev.t > 0 ? prev : null;
}

/**
 * Limited-memory BFGS (two-loop recursion, strong-Wolfe line search) in float64 on the host. The usual PINN
 * recipe runs Adam first, then L-BFGS from Adam's weights: see {@link lbfgsVariables}.
 */
export function lbfgs(fg: Objective, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const maxIter = options.maxIter ?? 200;
  const m = options.memory ?? 10;
  const gradTol = options.gradTol ?? 1e-7;
  const fTol = options.fTol ?? 1e-12;
  const maxEval = options.maxEval ?? 25 * maxIter;
  let evaluations = 1;
  const count = () => evaluations++ < maxEval;
  let x: Float64Array = Float64Array.from(x0);
  let { f, g } = fg(x);
  if (!Number.isFinite(f)) throw new Error(`lbfgs: the objective is ${f} at the starting point`);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const history: number[] = [];
  let reason: LbfgsResult['reason'] = 'budget';
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    if (options.signal?.aborted) break;
    if (maxAbs(g) < gradTol) {
      reason = 'gradient';
      break;
    }
    // Two-loop recursion: d = −H g.
    const q = Float64Array.from(g);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = dot(S[k]!, q) / dot(Y[k]!, S[k]!);
      alpha[k] = a;
      for (let i = 0; i < q.length; i++) q[i]! -= a * Y[k]![i]!;
    }
    const last = S.length - 1;
    const gamma =
      last >= 0 ? dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < q.length; i++) q[i]! *= gamma;
    for (let k = 0; k < S.length; k++) {
      const b = dot(Y[k]!, q) / dot(Y[k]!, S[k]!);
      for (let i = 0; i < q.length; i++) q[i]! += S[k]![i]! * (alpha[k]! - b);
    }
    const d = q.map((v) => -v);
    if (dot(d, g) >= 0) {
      // Not a descent direction (float32 gradients): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      for (let i = 0; i < d.length; i++) d[i] = -g[i]! / Math.max(1, Math.sqrt(dot(g, g)));
    }
    const step = wolfe(fg, x, f, g, d, 1, count);
    if (!step) {
      reason = evaluations >= maxEval ? 'budget' : 'line-search';
      break;
    }
    const s = new Float64Array(x.length);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      s[i] = step.x[i]! - x[i]!;
      y[i] = step.g[i]! - g[i]!;
    }
    if (dot(s, y) > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
      S.push(s);
      Y.push(y);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    const decrease = (f - step.f) / Math.max(Math.abs(f), Math.abs(step.f), 1e-30);
    x = step.x;
    f = step.f;
    g = step.g;
    history.push(f);
    if (decrease < fTol) {
      reason = 'progress';
      iterations++;
      break;
    }
  }
  return { x, f, iterations, evaluations: Math.min(evaluations, maxEval), reason, history };
}

/**
 * L-BFGS on tfjs variables: `loss` is evaluated (with its gradient) at host float64 iterates written into the
 * variables; on return the variables hold the best point found.
 */
export function lbfgsVariables(
  variables: readonly tf.Variable[],
  loss: () => tf.Scalar,
  options: LbfgsOptions = {},
): LbfgsResult {
  const sizes = variables.map((v) => v.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const assign = (x: Float64Array) => {
    let o = 0;
    variables.forEach((v, i) => {
      const part = Float32Array.from(x.subarray(o, o + sizes[i]!));
      tf.tidy(() => v.assign(tf.tensor(part, v.shape, 'float32')));
      o += sizes[i]!;
    });
  };
  const fg: Objective = (x) => {
    assign(x);
    const g = new Float64Array(total);
    const f = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, variables as tf.Variable[]);
      let o = 0;
      variables.forEach((v, i) => {
        g.set(grads[v.name]!.dataSync(), o);
        o += sizes[i]!;
      });
      return value.dataSync()[0]!;
    });
    return { f, g };
  };
  const x0 = new Float64Array(total);
  let o = 0;
  variables.forEach((v, i) => {
    x0.set(v.dataSync(), o);
    o += sizes[i]!;
  });
  const result = lbfgs(fg, x0, options);
  assign(result.x);
  return result;
}
