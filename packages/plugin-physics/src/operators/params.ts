import type { Rng } from '@paperlab/core';
import { type InitScheme, initTensor, ownedVariable } from '@paperlab/core/train';
import type * as tf from '@tensorflow/tfjs-core';

/** One named weight of an operator network: its shape, fan-in and initialisation. */
export interface ParamShape {
  name: string;
  shape: readonly number[];
  /** Inputs summed per output (for the lecun/he scale). */
  fanIn: number;
  init: InitScheme;
}

/** Number of trainable scalars of a weight list (exact: the models build their variables from the same list). */
export function countParams(shapes: readonly ParamShape[]): number {
  return shapes.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
}

let builtSets = 0;

/** The variables of one network, built from its {@link ParamShape} list and drawn from a seeded Rng. */
export class ParamSet {
  private readonly byName = new Map<string, tf.Variable>();

  constructor(shapes: readonly ParamShape[], rng: Rng, prefix: string) {
    const instance = `${prefix}#${++builtSets}`;
    for (const p of shapes) {
      if (this.byName.has(p.name)) throw new Error(`ParamSet: duplicate weight name '${p.name}'`);
      const t = initTensor([...p.shape], p.init, rng.split(p.name), p.fanIn, p.fanIn);
      this.byName.set(p.name, ownedVariable(t, `${instance}/${p.name}`));
    }
  }

  /** The variable named `name` (an error names the missing weight). */
  get(name: string): tf.Variable {
    const v = this.byName.get(name);
    if (!v) throw new Error(`ParamSet: no weight named '${name}'`);
    return v;
  }

  /** All variables, in build order. */
  variables(): tf.Variable[] {
    return [...this.byName.values()];
  }

  /** Number of trainable scalars. */
  count(): number {
    return this.variables().reduce((a, v) => a + v.size, 0);
  }

  /** Releases every variable. */
  dispose(): void {
    for (const v of this.byName.values()) v.dispose();
    this.byName.clear();
  }
}

/**
 * The width in [lo, hi] whose parameter count is closest to `target` (counts are increasing in the width), for
 * comparing architectures at matched parameter counts.
 */
export function matchWidth(
  count: (width: number) => number,
  target: number,
  lo: number,
  hi: number,
): { width: number; params: number } {
  let best = { width: lo, params: count(lo) };
  for (let w = lo + 1; w <= hi; w++) {
    const params = count(w);
    if (Math.abs(params - target) < Math.abs(best.params - target)) best = { width: w, params };
  }
  return best;
}

/** A k × k convolution weight [k, k, cin, cout] (LeCun-normal unless `init` says otherwise). */
export function convShape(name: string, k: number, cin: number, cout: number, init?: InitScheme): ParamShape {
  return { name, shape: [k, k, cin, cout], fanIn: k * k * cin, init: init ?? 'lecun' };
}

/** A bias (or any zero-initialised weight) of shape `shape`. */
export function zerosShape(name: string, ...shape: number[]): ParamShape {
  return { name, shape, fanIn: 1, init: 'zeros' };
}

/** The common part of the operator networks: weights built from a {@link ParamShape} list, counted and released. */
export abstract class OperatorNet {
  protected readonly params: ParamSet;

  protected constructor(shapes: readonly ParamShape[], rng: Rng, prefix: string) {
    this.params = new ParamSet(shapes, rng, prefix);
  }

  /** Fields [b, n, n, cin] → [b, n, n, cout]. */
  abstract forward(x: tf.Tensor, options: { training: boolean }): tf.Tensor;

  /** Trainable variables. */
  variables(): tf.Variable[] {
    return this.params.variables();
  }

  /** Number of trainable scalars. */
  paramCount(): number {
    return this.params.count();
  }

  /** Releases the variables. */
  dispose(): void {
    this.params.dispose();
  }
}
