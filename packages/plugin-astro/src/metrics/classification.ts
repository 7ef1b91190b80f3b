/**
 * The highest completeness (recall) reachable by thresholding `scores` while contamination (false share of the
 * selected, 1 − precision) stays ≤ `contamination`; 0 when no threshold qualifies. `labels` are 1 (positive) / 0.
 */
export function completenessAtContamination(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  contamination: number,
): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]! ? 1 : 0;
  if (!positives) return 0;
  let tp = 0;
  let fp = 0;
  let best = 0;
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k]!]) tp++;
    else fp++;
    // Only cut between distinct scores.
    if (k + 1 < order.length && scores[order[k + 1]!] === scores[order[k]!]) continue;
    if (fp / (tp + fp) <= contamination) best = Math.max(best, tp / positives);
  }
  return best;
}

/** Area under the ROC curve (rank statistic, ties counted half). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let pos = 0;
  for (let k = 0; k < idx.length; ) {
    let e = k;
    while (e + 1 < idx.length && scores[idx[e + 1]!] === scores[idx[k]!]) e++;
    const rank = (k + e) / 2 + 1;
    for (let q = k; q <= e; q++)
      if (labels[idx[q]!]) {
        rankSum += rank;
        pos++;
      }
    k = e + 1;
  }
  const neg = scores.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : Number.NaN;
}

/** Accuracy of logit scores against 0/1 labels: the share of items where `score > 0` agrees with `label > 0.5`. */
export function logitAccuracy(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (scores[i]! > 0 === labels[i]! > 0.5) correct++;
  return correct / labels.length;
}
