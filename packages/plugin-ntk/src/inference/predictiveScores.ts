import { studentTLogPdf } from '../stats/distributions.js';

/** The predictive of every output: mean [m, C] row-major and the variance shared by a point's C outputs [m]. */
export interface Predictive {
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * Scores a Gaussian (ν = ∞) or Student-t predictive with scale² = factor·variance on regression targets y [m, C]
 * (one-hot style: the label's entry is the positive one): the NLL per output (overall and per point, for paired
 * comparisons) and the accuracy of the argmax mean.
 */
export function predictiveScores(
  p: Predictive,
  y: Float64Array,
  o: { factor: number; nu: number },
): { nll: number; accuracy: number; perPoint: Float64Array } {
  const m = p.variance.length;
  const C = y.length / m;
  let nll = 0;
  let correct = 0;
  const perPoint = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    const before = nll;
    const s2 = o.factor * p.variance[t]!;
    let best = 0;
    for (let c = 0; c < C; c++) {
      const mu = p.mean[t * C + c]!;
      const yv = y[t * C + c]!;
      nll -= Number.isFinite(o.nu)
        ? studentTLogPdf(yv, o.nu, mu, Math.sqrt(s2))
        : -0.5 * Math.log(2 * Math.PI * s2) - (yv - mu) ** 2 / (2 * s2);
      if (mu > p.mean[t * C + best]!) best = c;
    }
    if (y[t * C + best]! > 0) correct++;
    perPoint[t] = (nll - before) / C;
  }
  return { nll: nll / (m * C), accuracy: correct / m, perPoint };
}
