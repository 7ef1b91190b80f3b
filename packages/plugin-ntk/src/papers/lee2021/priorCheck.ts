import type { Rng } from '@paperlab/core';
import { mean } from '@paperlab/core/kit';
import { reluDual } from '../../kernels/dualActivations.js';
import { ksDistance } from '../../spectra/randomMatrixLaws.js';
import { bootstrapSe } from '../../stats/bootstrapSe.js';
import { normalCdf, sampleInverseGamma, studentTCdf } from '../../stats/distributions.js';
import { excessKurtosis } from '../../stats/excessKurtosis.js';
import type { Lee2021Config } from './experiment.js';

// The prior check of ntk/lee2021: outputs of random networks under the scale mixture against the NNGP.

/** The kurtosis figures of the prior check. */
export type Kurtosis = `kurtosis_${'t' | 't_se' | 'gauss' | 'gauss_se' | 'theory'}`;
/** What the prior check measures. */
export type Prior =
  | Kurtosis
  | `ks_${'t' | 't_vs_gauss' | 'gauss'}`
  | `prior_${'variance' | 'variance_theory'}`;

/**
 * Prior check: outputs at one input of random 1-hidden-layer ReLU nets (NNGP parametrisation) whose readout
 * variance is drawn per network from InvGamma(a, b) (the scale mixture) or fixed to its mean b/(a−1) (NNGP).
 * The first-layer pre-activations at the input are drawn exactly as N(0, σw²‖x‖²/d) per unit.
 */
export function priorCheck(rng: Rng, cfg: Lee2021Config): Record<Prior, number> {
  const { a, b, width, nets } = cfg.prior;
  const q = 2; // σw²‖x‖²/d with σw² = 2 and ‖x‖² = d
  const outT = new Float64Array(nets);
  const outG = new Float64Array(nets);
  for (let s = 0; s < nets; s++) {
    const r = rng.split(`net-${s}`);
    let sum = 0;
    for (let j = 0; j < width; j++) {
      const u = Math.sqrt(q) * r.normal();
      const h = Math.max(u, 0);
      sum += h * r.normal();
    }
    // f = σ_last · (σw/√m) Σ_j v_j relu(u_j), σw² = 2.
    const base = Math.sqrt(2 / width) * sum;
    outT[s] = Math.sqrt(sampleInverseGamma(r, a, b)) * base;
    outG[s] = Math.sqrt(b / (a - 1)) * base;
  }
  const kxx = 2 * reluDual(q, q, q).k; // NNGP K(x, x) = σw²·E[relu(u)²]
  const nu = 2 * a;
  const scaleT = Math.sqrt((b / a) * kxx);
  const varG = (b / (a - 1)) * kxx;
  const gauss = (x: number) => normalCdf(x / Math.sqrt(varG));
  return {
    kurtosis_t: excessKurtosis(outT),
    kurtosis_t_se: bootstrapSe(rng.split('bootstrap-t'), outT, excessKurtosis, 200),
    kurtosis_gauss: excessKurtosis(outG),
    kurtosis_gauss_se: bootstrapSe(rng.split('bootstrap-g'), outG, excessKurtosis, 200),
    kurtosis_theory: 6 / (nu - 4),
    ks_t: ksDistance(outT, (x) => studentTCdf(x / scaleT, nu)),
    ks_t_vs_gauss: ksDistance(outT, gauss),
    ks_gauss: ksDistance(outG, gauss),
    prior_variance: mean(Float64Array.from(outT, (v) => v * v)),
    prior_variance_theory: (b / (a - 1)) * kxx,
  };
}
