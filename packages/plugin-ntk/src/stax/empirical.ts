import { type Rng, throwIfAborted } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { single } from './flow.js';
import { gramBlockEntries, writeGramBlock } from './gramBlocks.js';
import type { HostBatch, InputBatch, KernelBlock, KernelGet } from './kernelFn.js';
import { rowsOf, toHostBatch, yieldToEventLoop } from './kernelFn.js';
import type { AffineLayer, Layer, Params, Shape, TangentFeatures, Tap } from './types.js';

/** Per-example tangent features of one block of inputs: [output channel][affine layer]. */
interface BlockTangents {
  feats: TangentFeatures[][];
  owned: tf.Tensor[];
  bytes: number;
}

function hostToTensor(b: HostBatch): tf.Tensor {
  const v = b.values instanceof Float32Array ? b.values : Float32Array.from(b.values);
  return tf.tensor(v, [b.n, ...b.shape], 'float32');
}

function asInput(h: HostBatch): InputBatch {
  return { values: h.values, shape: [h.n, ...h.shape] };
}

function disposeTangents(t: BlockTangents): void {
  for (const x of t.owned) x.dispose();
}

/**
 * Per-example tangent features of `layer` at `params` for the inputs x: one forward pass records every affine
 * layer's input; per output channel, one backward pass gives every affine layer's output cotangent δ (the
 * gradient of Σ_examples f_c with respect to that layer's output, which is per-example because examples do not
 * interact); each layer turns (input, δ) into its per-example parameter Jacobian.
 */
function blockTangents(layer: Layer, params: Params, x: tf.Tensor): BlockTangents {
  const recorded: Array<{
    layer: AffineLayer;
    params: readonly tf.Variable[];
    input: tf.Tensor;
    shape: number[];
  }> = [];
  const owned: tf.Tensor[] = [];
  const recordTap: Tap = {
    affine(l, p, input, output) {
      const kept = tf.keep(tf.clone(input));
      owned.push(kept);
      recorded.push({ layer: l, params: p, input: kept, shape: [...output.shape] });
      return output;
    },
  };
  const outShape = tf.tidy(() => single(layer.name, layer.apply(params, x, recordTap)).shape);
  if (outShape.length !== 2)
    throw new Error(
      `empiricalNtk: the network output has shape [${outShape.join(', ')}], expected [n, outputs]`,
    );
  const k = outShape[1]!;
  const feats: TangentFeatures[][] = [];
  for (let c = 0; c < k; c++) {
    const eps = recorded.map((r) => tf.zeros(r.shape));
    const deltas = tf.grads((...e: tf.Tensor[]) => {
      let i = 0;
      const tap: Tap = { affine: (_l, _p, _input, output) => tf.add(output, e[i++]!) };
      const out = single(layer.name, layer.apply(params, x, tap));
      return tf.sum(tf.slice(out, [0, c], [-1, 1]));
    })(eps);
    tf.dispose(eps);
    owned.push(...deltas);
    const fc = recorded.map((r, l) => r.layer.tangentFeatures(r.params, r.input, deltas[l]!));
    for (const f of fc) {
      if (f.kind === 'jacobian') owned.push(f.J);
      else owned.push(f.a, f.delta);
    }
    feats.push(fc);
  }
  let bytes = 0;
  for (const t of owned) bytes += 4 * t.size;
  return { feats, owned, bytes };
}

/** Θ̂ between two blocks: (1/k)·Σ_outputs Σ_layers J_F·J_Gᵀ (factorised for dense layers). */
function contract(F: BlockTangents, G: BlockTangents): tf.Tensor2D {
  return tf.tidy(() => {
    let acc: tf.Tensor | null = null;
    const k = F.feats.length;
    for (let c = 0; c < k; c++) {
      const fc = F.feats[c]!;
      const gc = G.feats[c]!;
      for (let l = 0; l < fc.length; l++) {
        const f = fc[l]!;
        const g = gc[l]!;
        let term: tf.Tensor;
        if (f.kind === 'outer' && g.kind === 'outer') {
          const aa = tf.add(tf.mul(tf.matMul(f.a, g.a, false, true), f.cW), f.cB);
          term = tf.mul(aa, tf.matMul(f.delta, g.delta, false, true));
        } else if (f.kind === 'jacobian' && g.kind === 'jacobian') {
          term = tf.matMul(f.J, g.J, false, true);
        } else throw new Error('empiricalNtk: inconsistent tangent features between blocks');
        acc = acc ? tf.add(acc, term) : term;
      }
    }
    if (!acc) throw new Error('empiricalNtk: the network has no parameters');
    return (k === 1 ? acc : tf.div(acc, k)) as tf.Tensor2D;
  });
}

/** Options of {@link empiricalNtk}. */
export interface EmpiricalNtkOptions {
  /** Examples per block (default 128). */
  blockSize?: number;
  /** Bytes of column-block features kept between row blocks (default 256 MiB); beyond, they are recomputed. */
  cacheBytes?: number;
  /** Called after each block with entries done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between blocks. */
  signal?: AbortSignal;
  /** Preallocated [n1·n2] output. */
  out?: Float32Array;
}

/** An empirical NTK Gram matrix, Float32 row-major [n1, n2]. */
export interface EmpiricalNtkResult {
  n1: number;
  n2: number;
  ntk: Float32Array;
}

/**
 * Empirical NTK Θ̂(x, x') = (1/k)·Σ_c ∂f_c(x)/∂θ · ∂f_c(x')/∂θ of a finite stax network from per-example
 * Jacobians, in row × column blocks written into a Float32 buffer (x2 omitted: symmetric, lower blocks only).
 */
export async function empiricalNtk(
  layer: Layer,
  params: Params,
  x1: InputBatch,
  x2?: InputBatch | null,
  options: EmpiricalNtkOptions = {},
): Promise<EmpiricalNtkResult> {
  const bs = options.blockSize ?? 128;
  if (!(Number.isInteger(bs) && bs >= 1))
    throw new Error('empiricalNtk: blockSize must be a positive integer');
  const a = toHostBatch(x1);
  const b = x2 ? toHostBatch(x2) : null;
  const n1 = a.n;
  const n2 = b ? b.n : a.n;
  const total = n1 * n2;
  const out = options.out ?? new Float32Array(total);
  if (out.length !== total) throw new Error(`empiricalNtk: out has ${out.length} entries, need ${total}`);
  const budget = options.cacheBytes ?? 256 * 2 ** 20;
  const cache = new Map<number, BlockTangents>();
  let cached = 0;
  const colTangents = (c0: number, c1: number): { t: BlockTangents; temporary: boolean } => {
    const hit = cache.get(c0);
    if (hit) return { t: hit, temporary: false };
    const x = hostToTensor(rowsOf(b ?? a, c0, c1));
    const t = blockTangents(layer, params, x);
    x.dispose();
    if (cached + t.bytes <= budget) {
      cache.set(c0, t);
      cached += t.bytes;
      return { t, temporary: false };
    }
    return { t, temporary: true };
  };
  let done = 0;
  try {
    for (let r0 = 0; r0 < n1; r0 += bs) {
      const r1 = Math.min(n1, r0 + bs);
      if (options.signal) throwIfAborted(options.signal);
      const xr = hostToTensor(rowsOf(a, r0, r1));
      const rowT = blockTangents(layer, params, xr);
      xr.dispose();
      try {
        for (let c0 = 0; c0 < (b ? n2 : r1); c0 += bs) {
          if (options.signal) throwIfAborted(options.signal);
          const c1 = Math.min(n2, c0 + bs);
          const diagonal = !b && c0 === r0;
          const col = diagonal ? { t: rowT, temporary: false } : colTangents(c0, c1);
          const blk = contract(rowT, col.t);
          const v = blk.dataSync();
          blk.dispose();
          if (col.temporary) disposeTangents(col.t);
          const block = { r0, r1, c0, c1 };
          const mirror = !b && !diagonal;
          writeGramBlock(out, v, block, n2, mirror);
          done += gramBlockEntries(block, mirror);
          options.onProgress?.(done, total);
          await yieldToEventLoop();
        }
      } finally {
        // Symmetric case: this row block is a column block of every later row block — keep it if it fits.
        if (!b && r1 < n1 && cached + rowT.bytes <= budget) {
          cache.set(r0, rowT);
          cached += rowT.bytes;
        } else disposeTangents(rowT);
      }
    }
  } finally {
    for (const t of cache.values()) disposeTangents(t);
  }
  return { n1, n2, ntk: out };
}

/** Options of {@link monteCarloKernels}. */
export interface MonteCarloOptions {
  /** Random networks to average over. */
  samples: number;
  /** Which kernels (default 'nngp'; the NTK costs one empirical NTK per network). */
  get?: KernelGet;
  /** Called after each network. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between networks. */
  signal?: AbortSignal;
}

/**
 * Monte-Carlo kernels of finite networks: the output covariance (1/(S·k))·Σ_s Σ_c f_c(x1)f_c(x2) over S random
 * initialisations (the NNGP estimate, exact as width → ∞ and S·k → ∞) and the mean empirical NTK.
 */
export async function monteCarloKernels(
  layer: Layer,
  inputShape: Shape,
  rng: Rng,
  x1: InputBatch,
  x2?: InputBatch | null,
  options: MonteCarloOptions = { samples: 64 },
): Promise<KernelBlock & { samples: number }> {
  const get = options.get ?? 'nngp';
  const a = toHostBatch(x1);
  const b = x2 ? toHostBatch(x2) : null;
  const n1 = a.n;
  const n2 = b ? b.n : a.n;
  const nngp = new Float64Array(n1 * n2);
  const ntk = get === 'nngp' ? null : new Float64Array(n1 * n2);
  const ta = hostToTensor(a);
  const tb = b ? hostToTensor(b) : null;
  try {
    for (let s = 0; s < options.samples; s++) {
      if (options.signal) throwIfAborted(options.signal);
      const params = layer.init(rng.split(`mc-${s}`), inputShape);
      try {
        if (get !== 'ntk') {
          const g = tf.tidy(() => {
            const f1 = single(layer.name, layer.apply(params, ta)) as tf.Tensor2D;
            const f2 = tb ? (single(layer.name, layer.apply(params, tb)) as tf.Tensor2D) : f1;
            return tf.div(tf.matMul(f1, f2, false, true), f1.shape[1]!);
          });
          const v = g.dataSync();
          for (let i = 0; i < v.length; i++) nngp[i]! += v[i]!;
          g.dispose();
        }
        if (ntk) {
          const e = await empiricalNtk(layer, params, asInput(a), b ? asInput(b) : null);
          for (let i = 0; i < e.ntk.length; i++) ntk[i]! += e.ntk[i]!;
        }
      } finally {
        disposeParams(params);
      }
      options.onProgress?.(s + 1, options.samples);
    }
  } finally {
    ta.dispose();
    tb?.dispose();
  }
  for (let i = 0; i < nngp.length; i++) nngp[i]! /= options.samples;
  if (ntk) for (let i = 0; i < ntk.length; i++) ntk[i]! /= options.samples;
  return { n1, n2, nngp, ntk, samples: options.samples };
}

/** All variables of a parameter tree, in a stable (depth-first) order. */
export function flattenParams(params: Params): tf.Variable[] {
  const out: tf.Variable[] = [];
  const walk = (p: Params) => {
    for (const q of p) {
      if (q instanceof tf.Variable) out.push(q);
      else walk(q as Params);
    }
  };
  walk(params);
  return out;
}

/** Disposes every variable of a parameter tree. */
export function disposeParams(params: Params): void {
  for (const v of flattenParams(params)) v.dispose();
}
