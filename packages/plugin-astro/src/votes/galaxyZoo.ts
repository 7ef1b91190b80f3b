import type { Rng } from '@paperlab/core';
import type { GalaxyTruth } from '../images/galaxy.js';

/**
 * The reduced Galaxy Zoo decision tree: each answer with its question and the answer that leads to the question
 * (null: asked of everyone). Vote fractions are weighted down the tree as in the Galaxy Zoo challenge: an
 * answer's target is its share among all volunteers, not among those asked.
 */
export const GZ_ANSWERS = [
  { id: 'smooth', question: 'Q1 smooth or featured', parent: null },
  { id: 'features', question: 'Q1 smooth or featured', parent: null },
  { id: 'round', question: 'Q2 how rounded', parent: 'smooth' },
  { id: 'in-between', question: 'Q2 how rounded', parent: 'smooth' },
  { id: 'cigar', question: 'Q2 how rounded', parent: 'smooth' },
  { id: 'edge-on', question: 'Q3 edge-on', parent: 'features' },
  { id: 'not-edge-on', question: 'Q3 edge-on', parent: 'features' },
  { id: 'bar', question: 'Q4 bar', parent: 'not-edge-on' },
  { id: 'no-bar', question: 'Q4 bar', parent: 'not-edge-on' },
  { id: 'spiral', question: 'Q5 spiral arms', parent: 'not-edge-on' },
  { id: 'no-spiral', question: 'Q5 spiral arms', parent: 'not-edge-on' },
] as const;

/** Number of vote-fraction targets of the reduced tree. */
export const GZ_OUTPUTS = GZ_ANSWERS.length;

/** Options of {@link volunteerVotes}. */
export interface VolunteerOptions {
  /** Volunteers per galaxy (Galaxy Zoo 2: ~40). */
  volunteers: number;
  /** Spread of a volunteer's personal threshold (logit units): disagreement between people. */
  spread?: number;
  /** Steepness of the response to the latent signal (logit per unit signal). */
  sharpness?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * A stochastic volunteer model: each volunteer walks the tree, answering each question with a probability that
 * rises with the galaxy's latent signal (disc share, flatness, bar share, arm amplitude, axis ratio) through a
 * logistic response with a personal threshold. Returns [n × GZ_OUTPUTS] weighted vote fractions.
 */
export function volunteerVotes(t: GalaxyTruth, rng: Rng, o: VolunteerOptions): Float32Array {
  const n = t.discFrac.length;
  const k = o.sharpness ?? 10;
  const spread = o.spread ?? 1;
  const out = new Float32Array(n * GZ_OUTPUTS);
  for (let i = 0; i < n; i++) {
    const g = rng.split(i);
    const counts = new Float64Array(GZ_OUTPUTS);
    for (let v = 0; v < o.volunteers; v++) {
      const answer = (signal: number, threshold: number) =>
        g.bernoulli(sigmoid(k * (signal - threshold) + g.normal(0, spread)));
      if (!answer(t.discFrac[i]!, 0.3)) {
        counts[0]!++;
        const q = t.bulgeQ[i]!;
        // Roundness: three ordered answers from one noisy impression of the axis ratio.
        const seen = q + g.normal(0, spread / k);
        counts[seen > 0.75 ? 2 : seen > 0.45 ? 3 : 4]!++;
        continue;
      }
      counts[1]!++;
      if (answer(1 - t.discQ[i]!, 0.7)) {
        counts[5]!++;
        continue;
      }
      counts[6]!++;
      counts[answer(t.barFrac[i]!, 0.06) ? 7 : 8]!++;
      counts[answer(t.armAmp[i]!, 0.3) ? 9 : 10]!++;
    }
    for (let a = 0; a < GZ_OUTPUTS; a++) out[i * GZ_OUTPUTS + a] = counts[a]! / o.volunteers;
  }
  return out;
}
