import { SKELETON_JOINTS, type SkeletonSequence } from '../../data/skeletons.js';
import { ContinualStgcn, type Stgcn, windowForward } from '../../models/stgcn.js';

/** The continual model against the sliding-window model over every step of some streams. */
export interface StreamComparison {
  /** max |Δlogit| / max |logit| over every compared step. */
  maxRelDiff: number;
  /** Steps compared (every frame from the end of the first window on). */
  compared: number;
  /** Mean |logit| of the window model. */
  meanAbsLogit: number;
  /** Wall time per step of the window model (ms). */
  msWindow: number;
  /** Wall time per step of the continual model (ms). */
  msContinual: number;
}

/**
 * Feeds every stream frame by frame to a continual model and, from the first full window on, compares its
 * output at each step with the window model recomputed on the last `T` frames (same host weights), timing both.
 */
export function compareOnStreams(
  model: Stgcn,
  streams: readonly SkeletonSequence[],
  T: number,
): StreamComparison {
  const J = SKELETON_JOINTS.length;
  const w = model.hostWeights();
  let maxRel = 0;
  let compared = 0;
  let absLogit = 0;
  let msWindow = 0;
  let msContinual = 0;
  let steps = 0;
  for (const s of streams) {
    const co = new ContinualStgcn(model, w, T);
    for (let t = 0; t < s.frames; t++) {
      const frame = s.data.subarray(t * J * 3, (t + 1) * J * 3);
      const t0 = performance.now();
      const online = co.step(frame);
      const t1 = performance.now();
      if (t < T - 1) continue;
      const ref = windowForward(model, w, s.data.subarray((t - T + 1) * J * 3, (t + 1) * J * 3), T);
      const t2 = performance.now();
      if (!online) throw new Error(`continual model gave no output at frame ${t} (window ${T})`);
      let scale = 0;
      let diff = 0;
      for (let k = 0; k < ref.length; k++) {
        scale = Math.max(scale, Math.abs(ref[k]!));
        diff = Math.max(diff, Math.abs(ref[k]! - online[k]!));
      }
      maxRel = Math.max(maxRel, diff / Math.max(scale, 1e-12));
      for (let k = 0; k < ref.length; k++) absLogit += Math.abs(ref[k]!) / ref.length;
      compared++;
      // Steady-state timing only (after the first window's warm-up).
      msContinual += t1 - t0;
      msWindow += t2 - t1;
      steps++;
    }
  }
  return {
    maxRelDiff: maxRel,
    compared,
    meanAbsLogit: absLogit / compared,
    msWindow: msWindow / steps,
    msContinual: msContinual / steps,
  };
}
