import { type Rng, type RunContext, throwIfAborted } from '@paperlab/core';
import { logSpacedSteps } from '../../util/logSpacedSteps.js';
import {
  cosine,
  fro,
  normalisedGd,
  nuclearNorm,
  optimalTokens,
  randomAttentionProblem,
  selectedTokens,
} from './attention.js';
import { frobeniusSvmDual, type NormSvmResult, normSvm, svmConstraints } from './attSvm.js';
import type { Tarzanagh2023Config } from './experiment.js';

// One random dataset of ntk/tarzanagh2023: both parametrisations trained by normalised GD, and their iterates
// compared with the max-margin SVMs of the tokens they select.

/** One random dataset: W- and KQ-parametrised normalised GD, the SVMs of the tokens each selects, the baselines. */
export function runCell(ctx: RunContext, cfg: Tarzanagh2023Config, d: number, rng: Rng) {
  const p = randomAttentionProblem(rng.split('data'), cfg.sequences, cfg.tokens, d);
  const opt = optimalTokens(p);
  const checkpoints = logSpacedSteps(cfg.steps, 10);
  const svmCache = new Map<string, { F: NormSvmResult; N: NormSvmResult }>();
  const tol = { tol: cfg.svmTolerance };
  const svms = (sel: Int32Array) => {
    const key = sel.join(',');
    const A = svmCache.has(key) ? undefined : svmConstraints(p, sel);
    if (A) svmCache.set(key, { F: normSvm(A, d, 'frobenius', tol), N: normSvm(A, d, 'nuclear', tol) });
    return svmCache.get(key)!;
  };
  const gd = (parametrisation: 'W' | 'KQ', init: number) =>
    normalisedGd(p, {
      parametrisation,
      steps: cfg.steps,
      eta: cfg.eta,
      init,
      rng: rng.split(`gd-${parametrisation}`),
      checkpoints,
      signal: ctx.signal,
    });
  const w = gd('W', cfg.initW);
  throwIfAborted(ctx.signal);
  const kq = gd('KQ', cfg.initKQ);
  const wLast = w.W[w.W.length - 1]!;
  const kqLast = kq.W[kq.W.length - 1]!;
  const selW = selectedTokens(p, wLast);
  const selKQ = selectedTokens(p, kqLast);
  const svmW = svms(selW);
  const svmKQ = svms(selKQ);
  const svmOpt = svms(opt);
  const qp = frobeniusSvmDual(svmConstraints(p, opt), d);
  const rand = rng.split('random-direction').normals(d * d);
  // Cosines of the W- and KQ-parametrised iterates with the Frobenius (F) and nuclear (N) SVMs of their tokens.
  return {
    d,
    steps: w.steps,
    wCosF: w.W.map((m) => cosine(m, svmW.F.W)),
    wCosN: w.W.map((m) => cosine(m, svmW.N.W)),
    wNorm: w.W.map((m) => fro(m)),
    kqCosN: kq.W.map((m) => cosine(m, svmKQ.N.W)),
    kqCosF: kq.W.map((m) => cosine(m, svmKQ.F.W)),
    kqNorm: kq.W.map((m) => fro(m)),
    // 1 when GD selected the highest-score token in every sequence.
    wGlobal: sameTokens(selW, opt) ? 1 : 0,
    kqGlobal: sameTokens(selKQ, opt) ? 1 : 0,
    // How different the norms' answers are, and a random direction's |cos| with the Frobenius SVM.
    svmCosFN: cosine(svmOpt.F.W, svmOpt.N.W),
    randomCos: Math.abs(cosine(rand, svmOpt.F.W)),
    // Nuclear-to-Frobenius ratios of the KQ solution and of the nuclear SVM (low rank ⇒ small).
    kqNuclearRatio: nuclearNorm(kqLast, d) / fro(kqLast),
    svmNuclearRatio: nuclearNorm(svmKQ.N.W, d) / fro(svmKQ.N.W),
    svmGap: Math.max(svmW.F.gap, svmW.N.gap, svmKQ.F.gap, svmKQ.N.gap),
    svmQpCos: cosine(qp, svmOpt.F.W),
    finalLossW: w.loss[w.loss.length - 1]!,
  };
}

/** What one dataset measured. */
export type Cell = ReturnType<typeof runCell>;
/** Whether two token selections agree in every sequence. */
export const sameTokens = (a: Int32Array, b: Int32Array) => a.every((v, i) => v === b[i]);
