import * as tf from '@tensorflow/tfjs-core';

/** Mean softmax cross-entropy; targets are class labels ([batch]) or one-hot rows ([batch, k], any dtype). */
export function softmaxCrossEntropy(logits: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1]!;
    const onehot =
      target.rank === logits.rank
        ? tf.cast(target, 'float32')
        : tf.oneHot(tf.cast(target, 'int32') as tf.Tensor1D, k);
    const logp = tf.logSoftmax(logits);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), -1))) as tf.Scalar;
  });
}

/** Mean squared error (mean over all elements). */
export function meanSquaredError(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(pred, tf.reshape(target, pred.shape)))) as tf.Scalar);
}

/** Mean hinge loss max(0, 1 − y·f) for labels in {−1, +1}. */
export function hingeLoss(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () => tf.mean(tf.relu(tf.sub(1, tf.mul(tf.reshape(target, pred.shape), pred)))) as tf.Scalar,
  );
}

/** Mean binary cross-entropy on logits, labels in {0, 1}. */
export function sigmoidCrossEntropy(logits: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.cast(tf.reshape(target, logits.shape), 'float32');
    // max(x,0) - x*y + log(1 + exp(-|x|))
    return tf.mean(
      tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))),
    ) as tf.Scalar;
  });
}
