import type { GaussianPrediction } from '../nets/heteroscedastic.js';

/** Coefficient of determination per output column of `pred` vs `truth` ([n × d] each). */
export function r2PerOutput(pred: ArrayLike<number>, truth: ArrayLike<number>, d: number): number[] {
  const n = truth.length / d;
  return Array.from({ length: d }, (_, k) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += truth[i * d + k]! / n;
    let sse = 0;
    let sst = 0;
    for (let i = 0; i < n; i++) {
      sse += (pred[i * d + k]! - truth[i * d + k]!) ** 2;
      sst += (truth[i * d + k]! - m) ** 2;
    }
    return sst > 0 ? 1 - sse / sst : 0;
  });
}

/** Root-mean-square error over every entry. */
export function rmse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (pred[i]! - truth[i]!) ** 2;
  return Math.sqrt(s / truth.length);
}

/** Share of examples whose truth lies within ±`z`σ of the predicted mean, per output (σ from the diagonal of Σ). */
export function intervalCoverage(
  preds: readonly GaussianPrediction[],
  truth: ArrayLike<number>,
  d: number,
  z = 1,
): number[] {
  return Array.from({ length: d }, (_, k) => {
    let hit = 0;
    preds.forEach((p, i) => {
      if (Math.abs(truth[i * d + k]! - p.mean[k]!) <= z * Math.sqrt(p.cov[k * d + k]!)) hit++;
    });
    return hit / preds.length;
  });
}

/**
 * Predicted vs empirical correlations of the outputs' errors: for each pair (i < j), the mean predicted
 * correlation Σ_ij/√(Σ_ii Σ_jj) over examples, and the correlation of the residuals truth − μ across examples.
 */
export function errorCorrelations(
  preds: readonly GaussianPrediction[],
  truth: ArrayLike<number>,
  d: number,
): Array<{ i: number; j: number; predicted: number; empirical: number }> {
  const n = preds.length;
  const res = preds.map((p, e) => Array.from({ length: d }, (_, k) => truth[e * d + k]! - p.mean[k]!));
  const mean = Array.from({ length: d }, (_, k) => res.reduce((s, r) => s + r[k]!, 0) / n);
  const out: Array<{ i: number; j: number; predicted: number; empirical: number }> = [];
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) {
      let predicted = 0;
      for (const p of preds)
        predicted += p.cov[i * d + j]! / Math.sqrt(p.cov[i * d + i]! * p.cov[j * d + j]!) / n;
      let sij = 0;
      let sii = 0;
      let sjj = 0;
      for (const r of res) {
        const a = r[i]! - mean[i]!;
        const b = r[j]! - mean[j]!;
        sij += a * b;
        sii += a * a;
        sjj += b * b;
      }
      out.push({ i, j, predicted, empirical: sij / Math.sqrt(sii * sjj) });
    }
  return out;
}

/** Column means and standard deviations of [n × d] rows (std floored at 1e-8). */
export function columnStats(x: ArrayLike<number>, d: number): { mean: Float64Array; std: Float64Array } {
  const n = x.length / d;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k]! += x[i * d + k]! / n;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) std[k]! += (x[i * d + k]! - mean[k]!) ** 2 / n;
  for (let k = 0; k < d; k++) std[k] = Math.max(1e-8, Math.sqrt(std[k]!));
  return { mean, std };
}

/** (x − mean) / std column-wise, as a new Float32Array. */
export function standardize(
  x: ArrayLike<number>,
  s: { mean: Float64Array; std: Float64Array },
): Float32Array {
  const d = s.mean.length;
  return Float32Array.from({ length: x.length }, (_, i) => (x[i]! - s.mean[i % d]!) / s.std[i % d]!);
}

/** RMSE on `testY` of the constant predictor that outputs the column means of `trainY` ([n × d] each). */
export function meanPredictorRmse(trainY: ArrayLike<number>, testY: ArrayLike<number>, d: number): number {
  const n = trainY.length / d;
  const m = Array.from({ length: d }, (_, k) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += trainY[i * d + k]!;
    return s / n;
  });
  return rmse(
    Float32Array.from({ length: testY.length }, (_, i) => m[i % d]!),
    testY,
  );
}
