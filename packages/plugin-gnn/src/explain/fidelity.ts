import type { Rng } from '@paperlab/core';
import type { Graph } from '../graph/graph.js';

/**
 * Undirected edge id of every directed edge (`u → v` and `v → u` share one id), and the number of ids:
 * explanations and perturbations act on undirected edges.
 */
export function undirectedEdgeIds(g: Graph): { ids: Int32Array; count: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(g.src.length);
  for (let e = 0; e < g.src.length; e++) {
    const a = Math.min(g.src[e]!, g.dst[e]!);
    const b = Math.max(g.src[e]!, g.dst[e]!);
    const key = a * g.numNodes + b;
    let id = map.get(key);
    if (id === undefined) {
      id = map.size;
      map.set(key, id);
    }
    ids[e] = id;
  }
  return { ids, count: map.size };
}

/** Options of the robust fidelity measures (Zheng et al. 2023). */
export interface RobustFidelityOptions {
  /** Fid_{α1,+}: each explanation edge is removed with probability α1 (paper default 0.1). */
  alpha1: number;
  /** Fid_{α2,−}: each non-explanation edge is kept with probability α2 (removed with 1 − α2; default 0.9). */
  alpha2: number;
  /** Random draws averaged per instance. */
  draws: number;
}

/**
 * The edge masks (1 = edge kept, over undirected edge ids) on which a model is evaluated to score one
 * explanation: the full graph; Fid+ removes the explanation; Fid− keeps only the explanation; the robust
 * versions remove a random α1-fraction of the explanation, or a random (1 − α2)-fraction of the rest.
 */
export interface FidelityMasks {
  full: Uint8Array;
  plus: Uint8Array;
  minus: Uint8Array;
  plusRobust: Uint8Array[];
  minusRobust: Uint8Array[];
}

/** Draws the {@link FidelityMasks} of one explanation (`explanation[id]` = 1 on explanation edges). */
export function fidelityMasks(explanation: Uint8Array, o: RobustFidelityOptions, rng: Rng): FidelityMasks {
  const m = explanation.length;
  const full = new Uint8Array(m).fill(1);
  const plus = Uint8Array.from(explanation, (s) => 1 - s);
  const minus = Uint8Array.from(explanation);
  const plusRobust: Uint8Array[] = [];
  const minusRobust: Uint8Array[] = [];
  for (let d = 0; d < o.draws; d++) {
    plusRobust.push(Uint8Array.from(explanation, (s) => (s && rng.uniform() < o.alpha1 ? 0 : 1)));
    minusRobust.push(Uint8Array.from(explanation, (s) => (s || rng.uniform() < o.alpha2 ? 1 : 0)));
  }
  return { full, plus, minus, plusRobust, minusRobust };
}

/** A model's probability of the true class on each of an instance's masks (same layout as the masks). */
export interface FidelityOutputs {
  full: number;
  plus: number;
  minus: number;
  plusRobust: readonly number[];
  minusRobust: readonly number[];
}

/** Fidelity scores of one explanation (probability form; higher Fid+ and lower Fid− are better). */
export interface FidelityScores {
  /** p(G) − p(G ∖ S). */
  fidPlus: number;
  /** p(G) − p(S). */
  fidMinus: number;
  /** Fid+ − Fid−. */
  fidDelta: number;
  /** p(G) − E p(G ∖ S_α1). */
  fidPlusRobust: number;
  /** p(G) − E p(G ∖ (G∖S)_{1−α2}). */
  fidMinusRobust: number;
  /** Robust Fid+ − robust Fid−. */
  fidDeltaRobust: number;
}

const avg = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);

/** Scores one explanation from the model's outputs on its masks. */
export function fidelityScores(p: FidelityOutputs): FidelityScores {
  const fidPlus = p.full - p.plus;
  const fidMinus = p.full - p.minus;
  const fidPlusRobust = p.full - avg(p.plusRobust);
  const fidMinusRobust = p.full - avg(p.minusRobust);
  return {
    fidPlus,
    fidMinus,
    fidDelta: fidPlus - fidMinus,
    fidPlusRobust,
    fidMinusRobust,
    fidDeltaRobust: fidPlusRobust - fidMinusRobust,
  };
}

/** The names of the six scores, in {@link FidelityScores}' order. */
export const FIDELITY_KEYS = [
  'fidPlus',
  'fidMinus',
  'fidDelta',
  'fidPlusRobust',
  'fidMinusRobust',
  'fidDeltaRobust',
] as const satisfies ReadonlyArray<keyof FidelityScores>;

/** The mean of each score over instances. */
export function meanFidelity(scores: readonly FidelityScores[]): FidelityScores {
  const out = {} as FidelityScores;
  for (const k of FIDELITY_KEYS) out[k] = avg(scores.map((s) => s[k]));
  return out;
}

/** Expands a mask over undirected edge ids to the directed edges. */
export function expandMask(mask: Uint8Array, ids: Int32Array): Uint8Array {
  return Uint8Array.from(ids, (id) => mask[id]!);
}
