import * as tf from '@tensorflow/tfjs-core';
import { list, single } from './flow.js';
import { type Kernel, unionIds } from './kernel.js';
import type { Flow, Layer, Params, Shape } from './types.js';

function sub(params: Params, i: number, name: string): Params {
  const p = params[i];
  if (!Array.isArray(p)) throw new Error(`${name}: parameters do not match the architecture (child ${i})`);
  return p as Params;
}

/** Layers applied one after the other (the network's architecture). */
export function serial(...layers: Layer[]): Layer {
  const name = `serial(${layers.map((l) => l.name).join(', ')})`;
  return {
    name,
    needsFullSpatial: layers.some((l) => l.needsFullSpatial),
    outputShape(input) {
      return layers.reduce<Flow<Shape>>((s, l) => l.outputShape(s), input);
    },
    init(rng, input) {
      let shape = input;
      return layers.map((l, i) => {
        const p = l.init(rng.split(`${i}`), shape);
        shape = l.outputShape(shape);
        return p;
      });
    },
    apply(params, x, tap) {
      if (params.length !== layers.length)
        throw new Error(`serial: ${params.length} parameter groups for ${layers.length} layers`);
      return tf.tidy(() => layers.reduce((h, l, i) => l.apply(sub(params, i, 'serial'), h, tap), x));
    },
    kernel(k, ctx) {
      return layers.reduce((kk, l) => l.kernel(kk, ctx), k);
    },
  };
}

/** Layers applied side by side to a list of inputs (one each), giving a list of outputs. */
export function parallel(...layers: Layer[]): Layer {
  const name = `parallel(${layers.map((l) => l.name).join(', ')})`;
  return {
    name,
    needsFullSpatial: layers.some((l) => l.needsFullSpatial),
    outputShape(input) {
      const xs = list<Shape>(name, input, layers.length);
      return layers.map((l, i) => single(name, l.outputShape(xs[i]!)));
    },
    init(rng, input) {
      const xs = list<Shape>(name, input, layers.length);
      return layers.map((l, i) => l.init(rng.split(`${i}`), xs[i]!));
    },
    apply(params, x, tap) {
      const xs = list(name, x, layers.length);
      return layers.map((l, i) => single(name, l.apply(sub(params, i, 'parallel'), xs[i]!, tap)));
    },
    kernel(k, ctx) {
      const ks = list(name, k, layers.length);
      return layers.map((l, i) => single(name, l.kernel(ks[i]!, ctx)));
    },
  };
}

/** The identity layer (e.g. the skip branch of a residual block). */
export function identity(): Layer {
  return {
    name: 'Identity',
    needsFullSpatial: false,
    outputShape: (s) => s,
    init: () => [],
    apply: (_p, x) => x,
    kernel: (k) => k,
  };
}

/** Copies one input into `n` identical branches. */
export function fanOut(n: number): Layer {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`fanOut: n must be a positive integer, got ${n}`);
  const name = `FanOut(${n})`;
  return {
    name,
    needsFullSpatial: false,
    outputShape: (s) => Array.from({ length: n }, () => single(name, s)),
    init: () => [],
    apply: (_p, x) => Array.from({ length: n }, () => single(name, x)),
    kernel: (k) => Array.from({ length: n }, () => single(name, k)),
  };
}

function sameLayout(name: string, ks: Kernel[]): void {
  const a = ks[0]!;
  for (const k of ks) {
    if (k.n1 !== a.n1 || k.n2 !== a.n2 || k.full !== a.full || k.spatial.join() !== a.spatial.join())
      throw new Error(`${name}: branches have different spatial shapes ([${a.spatial}] vs [${k.spatial}])`);
  }
}

function disjoint(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  for (const v of a) if (b.has(v)) return false;
  return true;
}

/** Whether two branch outputs are uncorrelated: one is a sum of fresh affine outputs the other never saw. */
function uncorrelated(a: Kernel, b: Kernel): boolean {
  return (
    (a.fresh.size > 0 && disjoint(a.fresh, b.depends)) || (b.fresh.size > 0 && disjoint(b.fresh, a.depends))
  );
}

/**
 * The branches' NNGP, NTK and covariances summed entry by entry, branch k weighted by `weight(k)`; the NTK is
 * null unless every branch has one, and cov2 stays cov1 where every branch's does.
 */
function weightedKernelSum(
  ks: Kernel[],
  weight: (k: Kernel) => number,
): Pick<Kernel, 'nngp' | 'ntk' | 'cov1' | 'cov2'> {
  const sum = (get: (k: Kernel) => Float64Array) => {
    const out = new Float64Array(get(ks[0]!).length);
    for (const kk of ks) {
      const v = get(kk);
      const w = weight(kk);
      for (let i = 0; i < out.length; i++) out[i]! += w * v[i]!;
    }
    return out;
  };
  const cov1 = sum((kk) => kk.cov1);
  return {
    nngp: sum((kk) => kk.nngp),
    ntk: ks.every((kk) => kk.ntk) ? sum((kk) => kk.ntk!) : null,
    cov1,
    cov2: ks.every((kk) => kk.cov2 === kk.cov1) ? cov1 : sum((kk) => kk.cov2),
  };
}

/**
 * Sums the branches (residual connections). The summed kernel is exact when the branches are uncorrelated,
 * i.e. all but at most one end in their own Dense/Conv layer; otherwise the kernel call throws.
 */
export function fanInSum(): Layer {
  const name = 'FanInSum';
  return {
    name,
    needsFullSpatial: false,
    outputShape(input) {
      const xs = list<Shape>(name, input);
      for (const s of xs)
        if (s.join() !== xs[0]!.join())
          throw new Error(`${name}: branch shapes differ ([${xs[0]}] vs [${s}])`);
      return xs[0]!;
    },
    init: () => [],
    apply: (_p, x) => tf.addN(list(name, x)),
    kernel(k): Kernel {
      const ks = list(name, k);
      sameLayout(name, ks);
      for (let i = 0; i < ks.length; i++)
        for (let j = i + 1; j < ks.length; j++)
          if (!uncorrelated(ks[i]!, ks[j]!))
            throw new Error(
              `${name}: branches ${i} and ${j} are correlated (neither ends in its own Dense/Conv layer), so ` +
                'the sum of their kernels would not be the kernel of the sum; end all but one branch with an affine layer',
            );
      const allFresh = ks.every((kk) => kk.fresh.size > 0);
      return {
        ...ks[0]!,
        ...weightedKernelSum(ks, () => 1),
        fresh: allFresh ? unionIds(...ks.map((kk) => kk.fresh)) : new Set(),
        depends: unionIds(...ks.map((kk) => kk.depends)),
      };
    },
  };
}

/** Concatenates the branches along the channel axis; kernel: the channel-weighted mean of branch kernels. */
export function fanInConcat(): Layer {
  const name = 'FanInConcat';
  return {
    name,
    needsFullSpatial: false,
    outputShape(input) {
      const xs = list<Shape>(name, input);
      const spatial = xs[0]!.slice(0, -1).join();
      for (const s of xs)
        if (s.slice(0, -1).join() !== spatial) throw new Error(`${name}: branch spatial shapes differ`);
      return [...xs[0]!.slice(0, -1), xs.reduce((a, s) => a + s[s.length - 1]!, 0)];
    },
    init: () => [],
    apply: (_p, x) => tf.concat(list(name, x), -1),
    kernel(k): Kernel {
      const ks = list(name, k);
      sameLayout(name, ks);
      const total = ks.reduce((a, kk) => a + kk.channels, 0);
      return {
        ...ks[0]!,
        ...weightedKernelSum(ks, (kk) => kk.channels / total),
        channels: total,
        fresh: new Set(),
        depends: unionIds(...ks.map((kk) => kk.depends)),
      };
    },
  };
}
