import type { Rng } from '@paperlab/core';
import { ownedVariable, type Trainee } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { CompressNet } from '../../nets/compressNet.js';
import { binarize } from '../../quant/fakeQuant.js';
import { packedSignsByteLength, packSigns } from '../../quant/packed.js';

/** The downstream models compared: float32 and 1-bit adapters of rank r, a float32 one of rank r/32, a linear probe. */
export const METHODS = ['fp32', 'binary', 'lowrank', 'probe'] as const;
/** One downstream model. */
export type Method = (typeof METHODS)[number];

/** Bottleneck adapters h ← h + up(relu(down(h))) after each hidden layer (up starts at zero: the identity). */
export class Adapters {
  readonly down: tf.Variable[];
  readonly up: tf.Variable[];
  readonly head: [tf.Variable, tf.Variable];

  constructor(widths: readonly number[], rank: number, classes: number, rng: Rng) {
    this.down = widths.map((w, i) =>
      ownedVariable(tf.tensor2d(rng.split(`down-${i}`).normals(w * rank, 0, Math.sqrt(2 / w)), [w, rank])),
    );
    this.up = widths.map((w) => ownedVariable(tf.zeros([rank, w])));
    const last = widths[widths.length - 1]!;
    this.head = [
      ownedVariable(
        tf.tensor2d(rng.split('head').normals(last * classes, 0, Math.sqrt(1 / last)), [last, classes]),
      ),
      ownedVariable(tf.zeros([classes])),
    ];
  }

  /** The trained variables: adapters and head, or the head alone (linear probe). */
  variables(withAdapters: boolean): tf.Variable[] {
    return withAdapters ? [...this.down, ...this.up, ...this.head] : [...this.head];
  }

  /** Frees every variable. */
  dispose(): void {
    tf.dispose([...this.down, ...this.up, ...this.head]);
  }
}

/** A downstream model: the frozen trunk (pretrained hidden layers), adapters (optionally 1-bit), a new head. */
export function downstream(trunk: CompressNet, a: Adapters, method: Method): Trainee {
  const hidden = trunk.weightedLayers();
  const q = (w: tf.Tensor) => (method === 'binary' ? binarize(w) : w);
  return {
    variables: () => a.variables(method !== 'probe'),
    forward(x) {
      return tf.tidy(() => {
        const h = trunk.forwardWith(
          x,
          method === 'probe'
            ? {}
            : {
                output: (l, y) => {
                  const i = hidden.indexOf(l);
                  if (i < 0) return y;
                  return tf.add(
                    y,
                    tf.matMul(
                      tf.relu(tf.matMul(y as tf.Tensor2D, q(a.down[i]!) as tf.Tensor2D)),
                      q(a.up[i]!) as tf.Tensor2D,
                    ),
                  );
                },
              },
          false,
        );
        return tf.add(tf.matMul(h as tf.Tensor2D, a.head[0]), a.head[1]);
      });
    },
  };
}

/** Stored bytes of a method's task-specific adapters: float32, or packed sign bits with one α per matrix (the head is apart). */
export function adapterBytes(a: Adapters, method: Method): number {
  if (method === 'probe') return 0;
  let bytes = 0;
  for (const w of [...a.down, ...a.up]) {
    const [rows, cols] = w.shape as [number, number];
    const v = w.dataSync() as Float32Array;
    bytes += method === 'binary' ? packedSignsByteLength(packSigns(v, rows, cols)) : v.byteLength;
  }
  return bytes;
}
