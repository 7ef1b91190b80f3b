import type { Rng } from '@paperlab/core';
import { initTensor, ownedVariable } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { type Graph, gcnAdjacency } from '../graph/graph.js';
import type { Parametrised } from '../layers/linear.js';

/** Options of {@link Stgcn}. */
export interface StgcnOptions {
  /** Joints of the skeleton. */
  joints: number;
  /** Input channels per joint (3 for coordinates). */
  inChannels: number;
  /** Channels of every block. */
  channels: number;
  /** Spatio-temporal blocks. */
  blocks: number;
  /** Temporal kernel size (no padding, stride 1). */
  kernel: number;
  classes: number;
}

/** Weights of one block on the host (row-major), for the typed-array forward passes. */
interface HostBlock {
  cin: number;
  ws: Float32Array;
  bs: Float32Array;
  wt: Float32Array;
  bt: Float32Array;
}

/**
 * A small ST-GCN (Yan et al. 2018): blocks of a spatial graph convolution over the skeleton (Â·X·W per frame)
 * and a temporal convolution over frames (kernel K, stride 1, **no temporal padding**), each followed by
 * ReLU, then the mean over joints and frames and a linear classifier. Without padding, the output at a time
 * step depends only on the last `receptiveField` frames, which is what makes an exact continual version
 * ({@link ContinualStgcn}) possible. Trained with tfjs; inference also runs on the host from the same weights.
 */
export class Stgcn implements Parametrised {
  readonly adj: Float32Array;
  private readonly ws: tf.Variable[] = [];
  private readonly bs: tf.Variable[] = [];
  private readonly wt: tf.Variable[] = [];
  private readonly bt: tf.Variable[] = [];
  private readonly wc: tf.Variable;
  private readonly bc: tf.Variable;
  /** Sparse Â (CSR over joints) for the host passes. */
  readonly csr: ReturnType<typeof gcnAdjacency>;

  constructor(
    rng: Rng,
    readonly o: StgcnOptions,
    skeleton: Graph,
  ) {
    this.csr = gcnAdjacency(skeleton);
    const J = o.joints;
    this.adj = new Float32Array(J * J);
    for (let i = 0; i < J; i++)
      for (let k = this.csr.rowPtr[i]!; k < this.csr.rowPtr[i + 1]!; k++)
        this.adj[i * J + this.csr.colIdx[k]!] = this.csr.values[k]!;
    for (let b = 0; b < o.blocks; b++) {
      const cin = b === 0 ? o.inChannels : o.channels;
      const r = rng.split(`block-${b}`);
      this.ws.push(ownedVariable(initTensor([cin, o.channels], 'he', r.split('s'), cin, o.channels)));
      this.bs.push(ownedVariable(tf.zeros([o.channels])));
      const fan = o.kernel * o.channels;
      this.wt.push(
        ownedVariable(initTensor([o.kernel, 1, o.channels, o.channels], 'he', r.split('t'), fan, o.channels)),
      );
      this.bt.push(ownedVariable(tf.zeros([o.channels])));
    }
    this.wc = ownedVariable(
      initTensor([o.channels, o.classes], 'glorot', rng.split('cls'), o.channels, o.classes),
    );
    this.bc = ownedVariable(tf.zeros([o.classes]));
  }

  /** Frames of input needed for one output frame. */
  get receptiveField(): number {
    return this.o.blocks * (this.o.kernel - 1) + 1;
  }

  /** Logits for a batch of windows `x [batch, frames, joints, channels]`. */
  forward(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const J = this.o.joints;
      const a = tf.tensor2d(this.adj, [J, J]);
      let h: tf.Tensor4D = x;
      for (let b = 0; b < this.o.blocks; b++) {
        const [B, T, , C] = h.shape;
        // Â over joints: move joints first, multiply, move back.
        const jf = tf.reshape(tf.transpose(h, [2, 0, 1, 3]), [J, B * T * C]);
        const mixed = tf.transpose(tf.reshape(tf.matMul(a, jf), [J, B, T, C]), [1, 2, 0, 3]);
        const s = tf.relu(
          tf.add(
            tf.reshape(tf.matMul(tf.reshape(mixed, [B * T * J, C]), this.ws[b]!), [B, T, J, this.o.channels]),
            this.bs[b]!,
          ),
        );
        h = tf.relu(
          tf.add(tf.conv2d(s as tf.Tensor4D, this.wt[b] as tf.Tensor4D, 1, 'valid'), this.bt[b]!),
        ) as tf.Tensor4D;
      }
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      return tf.add(tf.matMul(pooled, this.wc), this.bc) as tf.Tensor2D;
    });
  }

  variables(): tf.Variable[] {
    return [...this.ws, ...this.bs, ...this.wt, ...this.bt, this.wc, this.bc];
  }

  dispose(): void {
    tf.dispose(this.variables());
  }

  /** The weights on the host, for {@link windowForward} and {@link ContinualStgcn}. */
  hostWeights(): { blocks: HostBlock[]; wc: Float32Array; bc: Float32Array } {
    const read = (v: tf.Variable) => Float32Array.from(v.dataSync());
    return {
      blocks: this.ws.map((w, b) => ({
        cin: w.shape[0]!,
        ws: read(w),
        bs: read(this.bs[b]!),
        wt: read(this.wt[b]!),
        bt: read(this.bt[b]!),
      })),
      wc: read(this.wc),
      bc: read(this.bc),
    };
  }
}

/** Multiply–adds of one frame through block `b`'s spatial step, and of one output frame of its temporal step. */
export function stgcnFrameCost(
  o: StgcnOptions,
  nnzAdj: number,
  b: number,
): { spatial: number; temporal: number } {
  const cin = b === 0 ? o.inChannels : o.channels;
  return {
    spatial: nnzAdj * cin + o.joints * cin * o.channels,
    temporal: o.kernel * o.joints * o.channels * o.channels,
  };
}

type HostModel = ReturnType<Stgcn['hostWeights']>;

/** Spatial step of one frame on the host: ReLU(Â·x·Ws + bs), x `[J, cin]` → `[J, C]`. */
function spatialFrame(
  csr: Stgcn['csr'],
  blk: HostBlock,
  x: Float32Array,
  xOff: number,
  J: number,
  C: number,
  out: Float32Array,
  outOff: number,
  tmp: Float32Array,
): void {
  const cin = blk.cin;
  tmp.fill(0, 0, J * cin);
  for (let i = 0; i < J; i++)
    for (let k = csr.rowPtr[i]!; k < csr.rowPtr[i + 1]!; k++) {
      const w = csr.values[k]!;
      const src = xOff + csr.colIdx[k]! * cin;
      for (let c = 0; c < cin; c++) tmp[i * cin + c]! += w * x[src + c]!;
    }
  for (let i = 0; i < J; i++)
    for (let d = 0; d < C; d++) {
      let s = blk.bs[d]!;
      for (let c = 0; c < cin; c++) s += tmp[i * cin + c]! * blk.ws[c * C + d]!;
      out[outOff + i * C + d] = Math.max(s, 0);
    }
}

/** Temporal step for one output frame: ReLU(Σ_k s[t+k]·Wt[k] + bt) over `K` consecutive frames at `frame(k)`. */
function temporalFrame(
  blk: HostBlock,
  frame: (k: number) => number,
  s: Float32Array,
  J: number,
  C: number,
  K: number,
  out: Float32Array,
  outOff: number,
): void {
  for (let j = 0; j < J; j++)
    for (let d = 0; d < C; d++) {
      let acc = blk.bt[d]!;
      for (let k = 0; k < K; k++) {
        const base = frame(k) + j * C;
        for (let c = 0; c < C; c++) acc += s[base + c]! * blk.wt[(k * C + c) * C + d]!;
      }
      out[outOff + j * C + d] = Math.max(acc, 0);
    }
}

/**
 * The window model on the host: logits of a window `x [T, J, cin]` — what a sliding-window deployment
 * recomputes for every new frame.
 */
export function windowForward(model: Stgcn, w: HostModel, x: Float32Array, frames: number): Float32Array {
  const { joints: J, channels: C, kernel: K, classes } = model.o;
  let T = frames;
  let input = x;
  const tmp = new Float32Array(J * Math.max(C, model.o.inChannels));
  for (const blk of w.blocks) {
    const s = new Float32Array(T * J * C);
    for (let t = 0; t < T; t++) spatialFrame(model.csr, blk, input, t * J * blk.cin, J, C, s, t * J * C, tmp);
    const To = T - K + 1;
    const y = new Float32Array(To * J * C);
    for (let t = 0; t < To; t++) temporalFrame(blk, (k) => (t + k) * J * C, s, J, C, K, y, t * J * C);
    input = y;
    T = To;
  }
  const pooled = new Float64Array(C);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < J; j++) for (let d = 0; d < C; d++) pooled[d]! += input[(t * J + j) * C + d]!;
  const logits = new Float32Array(classes);
  for (let k = 0; k < classes; k++) {
    let s = w.bc[k]!;
    for (let d = 0; d < C; d++) s += (pooled[d]! / (T * J)) * w.wc[d * classes + k]!;
    logits[k] = s;
  }
  return logits;
}

/**
 * Continual inference of an {@link Stgcn} (Hedegaard et al.): each block keeps a ring buffer of its last K
 * spatial frames and emits one temporal output per new frame; the temporal mean is a running sum over the
 * last `window − receptiveField + 1` outputs. After warm-up, `step` returns the logits the window model gives
 * on the last `window` frames, at the cost of one frame per layer.
 */
export class ContinualStgcn {
  private readonly bufs: Float32Array[];
  private readonly layerOut: Float32Array[];
  private readonly tmp: Float32Array;
  private readonly pooledRing: Float64Array;
  private readonly pooledSum: Float64Array;
  private seen = 0;
  private outputs = 0;
  /** Final-layer frames averaged per prediction. */
  readonly poolFrames: number;

  constructor(
    private readonly model: Stgcn,
    private readonly w: HostModel,
    readonly window: number,
  ) {
    const { joints: J, channels: C, kernel: K, blocks } = model.o;
    this.poolFrames = window - model.receptiveField + 1;
    if (this.poolFrames < 1)
      throw new RangeError(
        `ContinualStgcn: window ${window} is shorter than the receptive field ${model.receptiveField}`,
      );
    this.bufs = Array.from({ length: blocks }, () => new Float32Array(K * J * C));
    this.layerOut = Array.from({ length: blocks }, () => new Float32Array(J * C));
    this.tmp = new Float32Array(J * Math.max(C, model.o.inChannels));
    this.pooledRing = new Float64Array(this.poolFrames * C);
    this.pooledSum = new Float64Array(C);
  }

  /** Feeds one frame `[J, cin]`; returns the logits once `window` frames have been seen, else null. */
  step(frame: Float32Array): Float32Array | null {
    const { joints: J, channels: C, kernel: K, classes } = this.model.o;
    let input = frame;
    const t = this.seen++;
    for (let b = 0; b < this.w.blocks.length; b++) {
      // Block b's spatial frame number t − b(K−1) is its (t − b(K−1))-th; it emits once K of them exist.
      const idx = t - b * (K - 1);
      if (idx < 0) return null;
      const blk = this.w.blocks[b]!;
      const buf = this.bufs[b]!;
      spatialFrame(this.model.csr, blk, input, 0, J, C, buf, (idx % K) * J * C, this.tmp);
      if (idx < K - 1) return null;
      temporalFrame(blk, (k) => ((idx - K + 1 + k) % K) * J * C, buf, J, C, K, this.layerOut[b]!, 0);
      input = this.layerOut[b]!;
    }
    // Running temporal sum of the joint-summed final features over the last poolFrames outputs.
    const slot = (this.outputs % this.poolFrames) * C;
    for (let d = 0; d < C; d++) {
      let s = 0;
      for (let j = 0; j < J; j++) s += input[j * C + d]!;
      if (this.outputs >= this.poolFrames) this.pooledSum[d]! -= this.pooledRing[slot + d]!;
      this.pooledRing[slot + d] = s;
      this.pooledSum[d]! += s;
    }
    this.outputs++;
    if (this.outputs < this.poolFrames) return null;
    const logits = new Float32Array(classes);
    for (let k = 0; k < classes; k++) {
      let s = this.w.bc[k]!;
      for (let d = 0; d < C; d++)
        s += (this.pooledSum[d]! / (this.poolFrames * J)) * this.w.wc[d * classes + k]!;
      logits[k] = s;
    }
    return logits;
  }
}
