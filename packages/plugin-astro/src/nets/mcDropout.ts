import { predictInBatches, type Trainee } from '@paperlab/core/train';
import { type GaussianPrediction, unpackCholesky } from './heteroscedastic.js';

/**
 * Monte Carlo dropout (Gal & Ghahramani 2016): `samples` stochastic forward passes with dropout on, over inputs
 * `x` ([n × shape], host) in batches; returns [samples × n × outputs] raw outputs.
 */
export function mcDropoutOutputs(
  model: Trainee,
  x: Float32Array,
  shape: readonly number[],
  samples: number,
  batchSize = 1024,
): { values: Float32Array; outputs: number } {
  const per = shape.reduce((a, b) => a * b, 1);
  const n = x.length / per;
  const runs = Array.from({ length: samples }, () =>
    predictInBatches(model, x, shape, { batchSize, training: true }),
  );
  const outputs = runs[0]!.length / n;
  const values = new Float32Array(samples * n * outputs);
  runs.forEach((r, t) => {
    values.set(r, t * n * outputs);
  });
  return { values, outputs };
}

/** Moments of an equal-weight Gaussian mixture: μ = mean μ_m, Σ = mean(Σ_m + μ_m μ_mᵀ) − μ μᵀ. */
export function mixtureMoments(parts: readonly GaussianPrediction[]): GaussianPrediction {
  const d = parts[0]!.mean.length;
  const mean = new Float64Array(d);
  const cov = new Float64Array(d * d);
  for (const p of parts)
    for (let i = 0; i < d; i++) {
      mean[i]! += p.mean[i]! / parts.length;
      for (let j = 0; j < d; j++)
        cov[i * d + j]! += (p.cov[i * d + j]! + p.mean[i]! * p.mean[j]!) / parts.length;
    }
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j]! -= mean[i]! * mean[j]!;
  return { mean, cov };
}

/**
 * The predictive distribution of an ensemble of MC-dropout Cholesky networks for example i: every member's every
 * dropout sample is one Gaussian of the mixture. `members[m]` is that member's {@link mcDropoutOutputs}.
 */
export function ensemblePrediction(
  members: ReadonlyArray<{ values: Float32Array; outputs: number }>,
  n: number,
  i: number,
  d: number,
): GaussianPrediction {
  const parts: GaussianPrediction[] = [];
  for (const m of members) {
    const samples = m.values.length / (n * m.outputs);
    for (let t = 0; t < samples; t++) {
      const o = (t * n + i) * m.outputs;
      parts.push(unpackCholesky(m.values.subarray(o, o + m.outputs), d));
    }
  }
  return mixtureMoments(parts);
}
