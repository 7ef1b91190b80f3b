import type { Rng } from '@paperlab/core';
import { runKernel } from '@paperlab/core/kernels';
import { type LayerSpec, Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { VIEWS, type Views16Attrs, views16Kernel } from '../kernels/views16.js';

/**
 * Dieleman et al.'s multi-view network: the 16 views of each image go through one shared convolutional trunk;
 * their feature vectors are concatenated (in view order) and read by a dense head. Views are cut by the
 * `astro/views16` kernel (the input is data, so no gradient flows through the cut).
 */
export class MultiViewNet {
  private constructor(
    private readonly trunk: Sequential,
    private readonly head: Sequential,
    private readonly attrs: Views16Attrs,
  ) {}

  /** Builds trunk (on one view of `channels` channels) and head (on the 16 concatenated feature vectors). */
  static build(
    trunk: LayerSpec[],
    head: LayerSpec[],
    attrs: Views16Attrs,
    channels: number,
    rng: Rng,
  ): MultiViewNet {
    const t = Sequential.build(
      [...trunk, { type: 'flatten' }],
      [attrs.view, attrs.view, channels],
      rng.split('trunk'),
      'trunk',
    );
    const features = t.outputShape[0]!;
    const h = Sequential.build(head, [VIEWS * features], rng.split('head'), 'head');
    return new MultiViewNet(t, h, attrs);
  }

  /** Forward pass on [n, size, size, c] images. */
  forward(x: tf.Tensor, options: { training: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const views = runKernel(views16Kernel, { images: x as tf.Tensor4D }, this.attrs);
      const f = this.trunk.forward(views, options);
      return this.head.forward(tf.reshape(f, [x.shape[0]!, -1]), options);
    });
  }

  /** Trunk then head variables. */
  variables(): tf.Variable[] {
    return [...this.trunk.variables(), ...this.head.variables()];
  }

  /** Number of trainable scalars. */
  paramCount(): number {
    return this.trunk.paramCount() + this.head.paramCount();
  }

  /** Frees the variables. */
  dispose(): void {
    this.trunk.dispose();
    this.head.dispose();
  }
}
