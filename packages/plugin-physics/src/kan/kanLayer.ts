import type { Rng } from '@paperlab/core';
import { initTensor, ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { type BasisSpec, basisCount, evaluateBasis } from './bases.js';

/**
 * One KAN layer (Liu et al. 2024, in the efficient-KAN form): every edge i → j carries φ_ij(x) =
 * w_ij·silu(x) + Σ_m c_ijm·B_m(x), a SiLU base branch plus a learnable combination of basis functions;
 * outputs sum over edges. Computed as silu(x)·W + vec(B(x))·C.
 */
export class KanLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly basis: BasisSpec;
  readonly base: tf.Variable;
  readonly coef: tf.Variable;

  constructor(inputs: number, outputs: number, basis: BasisSpec, rng: Rng) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.basis = basis;
    const m = basisCount(basis);
    this.base = ownedVariable(initTensor([inputs, outputs], 'glorot', rng.split('base'), inputs, outputs));
    this.coef = ownedVariable(
      initTensor(
        [inputs * m, outputs],
        { normal: 0.1 / Math.sqrt(inputs) },
        rng.split('coef'),
        inputs * m,
        outputs,
      ),
    );
  }

  /** Outputs [n, outputs] of inputs [n, inputs]. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const b = evaluateBasis(x, this.basis);
      const flat = tf.reshape(b, [x.shape[0], -1]) as tf.Tensor2D;
      return tf.add(
        tf.matMul(tf.mul(x, tf.sigmoid(x)), this.base),
        tf.matMul(flat, this.coef as tf.Tensor2D),
      );
    });
  }

  variables(): tf.Variable[] {
    return [this.base, this.coef];
  }
}

/**
 * A selectable KAN layer (S-KAN, Yang et al. 2024): each edge mixes several basis families with softmax weights
 * over per-edge logits. Training runs in three phases: mixed; selective (a group-lasso {@link selectionPenalty}
 * pushes every edge onto as few families as it can); then `prune()` keeps each edge's strongest family only (hard
 * selection) for fine-tuning.
 */
export class SelectableKanLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly families: readonly BasisSpec[];
  readonly base: tf.Variable;
  readonly coef: tf.Variable[];
  readonly logits: tf.Variable;
  private mask: tf.Tensor | null = null;

  constructor(inputs: number, outputs: number, families: readonly BasisSpec[], rng: Rng) {
    if (families.length < 1) throw new Error('SelectableKanLayer needs at least one basis family');
    this.inputs = inputs;
    this.outputs = outputs;
    this.families = families;
    this.base = ownedVariable(initTensor([inputs, outputs], 'glorot', rng.split('base'), inputs, outputs));
    this.coef = families.map((f, k) => {
      const m = basisCount(f);
      return ownedVariable(
        initTensor(
          [inputs, m, outputs],
          { normal: 0.1 / Math.sqrt(inputs) },
          rng.split(`coef${k}`),
          inputs * m,
          outputs,
        ),
      );
    });
    this.logits = ownedVariable(tf.zeros([inputs, outputs, families.length]));
  }

  /** Per-edge family weights [inputs, outputs, families]: softmax of the logits, or the kept weights after {@link prune}. */
  weights(): tf.Tensor3D {
    return tf.tidy(() => (this.mask ? tf.clone(this.mask) : this.soft()) as tf.Tensor3D);
  }

  private soft(): tf.Tensor {
    return tf.softmax(this.logits, 2);
  }

  /**
   * How much each family contributes on each edge for the inputs x [n, inputs]: the RMS over the batch of
   * w_f·Σ_m c_fm·B_fm(x_i), as [inputs, outputs, families]. Measured on data, so a family whose basis is idle
   * where the inputs lie (a grid the activations have left) counts for nothing.
   */
  contributions(x: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const w = this.mask ?? this.soft();
      const per = this.families.map((f, k) => {
        const b = tf.transpose(evaluateBasis(x, f), [1, 0, 2]) as tf.Tensor3D; // [in, n, m]
        const v = tf.matMul(b, this.coef[k] as tf.Tensor3D); // [in, n, out]
        return tf.sqrt(tf.add(tf.mean(tf.square(v), 1), 1e-12)); // [in, out]
      });
      return tf.mul(w, tf.stack(per, 2)) as tf.Tensor3D;
    });
  }

  /**
   * The selective-phase penalty on inputs x: Σ_f of the per-edge contributions, averaged over edges (a group lasso
   * over families), which drives each edge to express its function with as few families as it can.
   */
  selectionPenalty(x: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => tf.mul(this.families.length, tf.mean(this.contributions(x))) as tf.Scalar);
  }

  /** Outputs [n, outputs]. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const n = x.shape[0];
      const w = this.mask ?? this.soft();
      let y = tf.matMul(tf.mul(x, tf.sigmoid(x)), this.base);
      this.families.forEach((f, k) => {
        const wk = tf.squeeze(tf.slice(w, [0, 0, k], [-1, -1, 1]), [2]);
        const c = tf.reshape(tf.mul(this.coef[k]!, tf.expandDims(wk, 1)), [-1, this.outputs]) as tf.Tensor2D;
        y = tf.add(y, tf.matMul(tf.reshape(evaluateBasis(x, f), [n, -1]) as tf.Tensor2D, c));
      });
      return y as tf.Tensor2D;
    });
  }

  /** Hard selection on inputs x: each edge keeps the family contributing most; the logits stop training. Returns the share of each family. */
  prune(x: tf.Tensor2D): number[] {
    const F = this.families.length;
    // Keep, on every edge, the family contributing most; it keeps its current weight, so the edge's function
    // changes only by the dropped families' (small, after the selective phase) contributions.
    const next = tf.tidy(() => {
      // int32 one-hot, then cast: tfjs-wasm's OneHot with dtype 'float32' returns all zeros (tfjs 4.22).
      const hot = tf.cast(tf.oneHot(tf.argMax(this.contributions(x), 2), F), 'float32');
      return tf.mul(hot, this.weights());
    });
    const sum = tf.tidy(() => tf.sum(tf.reshape(tf.cast(tf.greater(next, 0), 'float32'), [-1, F]), 0));
    const counts = Array.from(sum.dataSync());
    sum.dispose();
    this.mask?.dispose();
    this.mask = next;
    const total = this.inputs * this.outputs;
    return counts.map((c) => c / total);
  }

  /** Trainable variables (logits only before pruning). */
  variables(): tf.Variable[] {
    return this.mask ? [this.base, ...this.coef] : [this.base, ...this.coef, this.logits];
  }

  dispose(): void {
    tf.dispose([this.base, ...this.coef, this.logits]);
    this.mask?.dispose();
  }
}

/** A stack of KAN layers (plain or selectable) as a {@link Trainee} for `fit`. */
export class Kan {
  readonly layers: Array<KanLayer | SelectableKanLayer>;

  constructor(layers: Array<KanLayer | SelectableKanLayer>) {
    this.layers = layers;
  }

  /** Plain KAN of widths `[in, …, out]` on one basis family. */
  static plain(widths: readonly number[], basis: BasisSpec, rng: Rng): Kan {
    return new Kan(widths.slice(1).map((w, i) => new KanLayer(widths[i]!, w, basis, rng.split(`layer${i}`))));
  }

  /** Selectable KAN of widths `[in, …, out]` over several families. */
  static selectable(widths: readonly number[], families: readonly BasisSpec[], rng: Rng): Kan {
    return new Kan(
      widths.slice(1).map((w, i) => new SelectableKanLayer(widths[i]!, w, families, rng.split(`layer${i}`))),
    );
  }

  forward(x: tf.Tensor, _options: { training: boolean } = { training: false }): tf.Tensor2D {
    return tf.tidy(() => this.layers.reduce((h, l) => l.forward(h), x as tf.Tensor2D));
  }

  /** Sum over selectable layers of their {@link SelectableKanLayer.selectionPenalty} on the inputs each one sees for x. */
  selectionPenalty(x: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      let h = x;
      let total: tf.Scalar = tf.scalar(0);
      for (const l of this.layers) {
        if (l instanceof SelectableKanLayer) total = tf.add(total, l.selectionPenalty(h));
        h = l.forward(h);
      }
      return total;
    });
  }

  /** Prunes every selectable layer on the inputs it sees for x (S-KAN's last phase); returns each layer's family shares. */
  prune(x: tf.Tensor2D): number[][] {
    const shares: number[][] = [];
    let h = tf.clone(x);
    for (const l of this.layers) {
      if (l instanceof SelectableKanLayer) shares.push(l.prune(h));
      const next = l.forward(h);
      h.dispose();
      h = next;
    }
    h.dispose();
    return shares;
  }

  variables(): tf.Variable[] {
    return this.layers.flatMap((l) => l.variables());
  }

  /** Trainable scalars (the selection logits included before pruning). */
  paramCount(): number {
    return this.variables().reduce((a, v) => a + v.size, 0);
  }

  dispose(): void {
    for (const l of this.layers) {
      if (l instanceof SelectableKanLayer) l.dispose();
      else tf.dispose(l.variables());
    }
  }
}
