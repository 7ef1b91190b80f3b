import type { Rng } from '@paperlab/core';
import { activate } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { convShape, OperatorNet, type ParamShape, zerosShape } from './params.js';

/** Sizes of a {@link UNet}. */
export interface UNetSpec {
  /** Channels of the finest level (doubled per level down). */
  width: number;
  /** Down-sampling steps (2× average pooling each); the grid must be divisible by 2^depth. */
  depth: number;
}

function block(p: string, ci: number, co: number): ParamShape[] {
  return [
    convShape(`${p}/c1`, 3, ci, co, 'he'),
    zerosShape(`${p}/b1`, co),
    convShape(`${p}/c2`, 3, co, co, 'he'),
    zerosShape(`${p}/b2`, co),
  ];
}

/** Every weight of a {@link UNet}: two 3 × 3 convolutions per level down and up, 2 × 2 transposed convs, a 1 × 1 head. */
export function unetShapes(spec: UNetSpec): ParamShape[] {
  const c = (l: number) => spec.width * 2 ** l;
  const out: ParamShape[] = block('enc0', 1, c(0));
  for (let l = 1; l <= spec.depth; l++) out.push(...block(`enc${l}`, c(l - 1), c(l)));
  for (let l = spec.depth; l >= 1; l--)
    out.push(
      { name: `up${l}/w`, shape: [2, 2, c(l - 1), c(l)], fanIn: c(l), init: 'he' },
      zerosShape(`up${l}/b`, c(l - 1)),
      ...block(`dec${l}`, 2 * c(l - 1), c(l - 1)),
    );
  out.push(convShape('head/w', 1, c(0), 1), zerosShape('head/b', 1));
  return out;
}

/**
 * A small U-Net (Ronneberger et al. 2015) for fields: per level two 3 × 3 GELU convolutions, 2 × 2 average pooling
 * down, 2 × 2 stride-2 transposed convolutions up with skip concatenation, a 1 × 1 output head.
 */
export class UNet extends OperatorNet {
  readonly spec: UNetSpec;

  constructor(spec: UNetSpec, rng: Rng) {
    if (spec.depth < 1) throw new RangeError(`UNet: depth must be ≥ 1, got ${spec.depth}`);
    super(unetShapes(spec), rng, 'unet');
    this.spec = spec;
  }

  private conv(x: tf.Tensor4D, p: string, k: string, b: string): tf.Tensor4D {
    const w = this.params.get(`${p}/${k}`) as tf.Tensor as tf.Tensor4D;
    return tf.add(tf.conv2d(x, w, 1, 'same'), this.params.get(`${p}/${b}`));
  }

  private block(x: tf.Tensor4D, p: string): tf.Tensor4D {
    const h = activate(this.conv(x, p, 'c1', 'b1'), 'gelu') as tf.Tensor4D;
    return activate(this.conv(h, p, 'c2', 'b2'), 'gelu') as tf.Tensor4D;
  }

  /** Input [b, n, n, 1] → output [b, n, n, 1]. */
  forward(x: tf.Tensor, _options: { training: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const [b, n] = x.shape as [number, number];
      if (n % 2 ** this.spec.depth !== 0)
        throw new RangeError(`UNet: grid ${n} is not divisible by 2^depth = ${2 ** this.spec.depth}`);
      const skips: tf.Tensor4D[] = [this.block(x as tf.Tensor4D, 'enc0')];
      for (let l = 1; l <= this.spec.depth; l++)
        skips.push(this.block(tf.avgPool(skips[l - 1]!, 2, 2, 'valid'), `enc${l}`));
      let h = skips[this.spec.depth]!;
      for (let l = this.spec.depth; l >= 1; l--) {
        const w = this.params.get(`up${l}/w`) as tf.Tensor as tf.Tensor4D;
        const [, hh, ww] = h.shape;
        const up = tf.add(
          tf.conv2dTranspose(h, w, [b, 2 * hh, 2 * ww, w.shape[2]], 2, 'same'),
          this.params.get(`up${l}/b`),
        ) as tf.Tensor4D;
        h = this.block(tf.concat([skips[l - 1]!, up], 3), `dec${l}`);
      }
      return this.conv(h, 'head', 'w', 'b');
    });
  }
}
