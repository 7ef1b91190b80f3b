/** Examples and targets split into a training and a test part (views on the same buffers, no copies). */
export interface TrainTest {
  x: Float32Array;
  y: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
}

/**
 * Splits row-major examples (`xPer` values each) and their targets (`yPer` values each) after the first
 * `trainSize`: those train, the rest test.
 */
export function splitAt(
  x: Float32Array,
  y: Float32Array,
  trainSize: number,
  xPer: number,
  yPer = 1,
): TrainTest {
  if (x.length % xPer || y.length % yPer || x.length / xPer !== y.length / yPer)
    throw new Error(
      `splitAt: ${x.length} values of x (${xPer} each) do not pair with ${y.length} of y (${yPer} each)`,
    );
  if (trainSize < 0 || trainSize > x.length / xPer)
    throw new Error(`splitAt: trainSize ${trainSize} is outside 0 … ${x.length / xPer} examples`);
  return {
    x: x.subarray(0, trainSize * xPer),
    y: y.subarray(0, trainSize * yPer),
    testX: x.subarray(trainSize * xPer),
    testY: y.subarray(trainSize * yPer),
  };
}
