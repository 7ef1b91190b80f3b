/** Share of rows of `scores` ([n, classes] row-major) whose largest entry (first on ties) is the row's label. */
export function argmaxAccuracy(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let b = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c]! > scores[i * classes + b]!) b = c;
    if (b === labels[i]) correct++;
  }
  return correct / labels.length;
}
