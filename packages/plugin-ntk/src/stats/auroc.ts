/** Area under the ROC curve of scores (positives should score higher), ties counted half. */
export function auroc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const all = [
    ...Array.from(positives, (s) => ({ s, p: 1 })),
    ...Array.from(negatives, (s) => ({ s, p: 0 })),
  ].sort((x, y) => x.s - y.s);
  let rankSum = 0;
  let i = 0;
  while (i < all.length) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.s === all[i]!.s) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k]!.p === 1) rankSum += avg;
    i = j + 1;
  }
  const np = positives.length;
  const nn = negatives.length;
  return (rankSum - (np * (np + 1)) / 2) / (np * nn);
}
