import { type RunContext, throwIfAborted } from '@paperlab/core';
import { frobenius } from '@paperlab/core/linalg';
import type * as tf from '@tensorflow/tfjs-core';
import { disposeNtkMlp, initNtkMlp, type NtkMlpSpec, ntkMlpForward } from '../nets/ntkMlp.js';
import { readHost } from '../util/readHost.js';
import { relativeError } from '../util/relativeError.js';

/** A Monte-Carlo NNGP against the analytic one: its relative error and the error sampling alone explains. */
export type MonteCarloNngp = { relErr: number; expectedRelErr: number };

/**
 * Monte-Carlo NNGP: the output covariance (1/S)·Σ f(x)f(x)ᵀ of `samples` random networks of `spec` at the rows
 * of `x`, compared with the analytic NNGP `nngp` (N×N). For zero-mean Gaussian outputs the expected squared error
 * is E‖K̂ − K‖²_F = (1/S)·Σᵢⱼ (KᵢᵢKⱼⱼ + Kᵢⱼ²), an independent check of the kernel recursion.
 */
export async function monteCarloNngp(
  ctx: Pick<RunContext, 'rng' | 'progress' | 'signal'>,
  spec: NtkMlpSpec,
  x: tf.Tensor2D,
  nngp: Float64Array,
  samples: number,
): Promise<MonteCarloNngp> {
  const N = x.shape[0];
  const cov = new Float64Array(N * N);
  const task = ctx.progress.task('Monte-Carlo NNGP', samples);
  for (let s = 0; s < samples; s++) {
    if (s % 8 === 0) throwIfAborted(ctx.signal);
    const params = initNtkMlp(spec, ctx.rng.split(`mc-${s}`));
    const f = readHost(ntkMlpForward(spec, params, x));
    disposeNtkMlp(params);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) cov[i * N + j]! += f[i]! * f[j]!;
    task.tick();
  }
  task.done();
  for (let i = 0; i < N * N; i++) cov[i]! /= samples;
  let expected = 0;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) expected += nngp[i * N + i]! * nngp[j * N + j]! + nngp[i * N + j]! ** 2;
  return {
    relErr: relativeError(cov, nngp),
    expectedRelErr: Math.sqrt(expected / samples) / frobenius(nngp),
  };
}
