import * as tf from '@tensorflow/tfjs-core';

/*
 * The input layer of every analytic kernel is a Gram matrix x·y/C and the rows' own squared norms |x|²/C; the
 * first activation reads cos θ = x·y/(|x||y|) from them. Near θ = 0 or π the arc-cosine amplifies any mismatch
 * between the two (θ ≈ √(2(1 − cos θ))): a Gram entry in Float32 against norms in Float64 gives identical
 * points cos θ = 1 − 1e-7, θ ≈ 5e-4 and an NTK off by ~5e-5 per ReLU layer. So the norms here always come out
 * of the very same summation as the cross entries: on the host one Float64 dot product summed in order
 * k = 0…C−1 for every entry; on a tfjs backend one matmul whose diagonal gives the norms.
 */

/** Rows of a row-major matrix inside a flat array: row r starts at offset + r·stride and has C entries. */
export interface RowSet {
  values: ArrayLike<number>;
  offset: number;
  stride: number;
  rows: number;
}

/** Where {@link gramInto} writes entry (i, j): out[offset + i·rowStride + j·colStride]. */
export interface GramLayout {
  offset: number;
  rowStride: number;
  colStride: number;
}

function dotAt(a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number, c: number): number {
  let s = 0;
  for (let k = 0; k < c; k++) s += a[ia + k]! * b[ib + k]!;
  return s;
}

/**
 * Float64 dot products of two row sets divided by `scale`: out(i, j) = (Σ_k a_ik·b_jk)/scale. Every entry is
 * summed in the order k = 0…c−1 (4×4 register blocks keep one accumulator per entry), so it equals
 * {@link selfDots} bit for bit when the two rows are the same values, and x·(−x) = −(x·x) exactly.
 */
export function gramInto(
  a: RowSet,
  b: RowSet,
  c: number,
  scale: number,
  out: Float64Array,
  at: GramLayout,
): void {
  const { values: A, offset: aOff, stride: aS, rows: na } = a;
  const { values: B, offset: bOff, stride: bS, rows: nb } = b;
  const { offset: oOff, rowStride: oR, colStride: oC } = at;
  const i4 = na - (na % 4);
  const j4 = nb - (nb % 4);
  for (let i = 0; i < i4; i += 4) {
    const a0 = aOff + i * aS;
    const a1 = a0 + aS;
    const a2 = a1 + aS;
    const a3 = a2 + aS;
    for (let j = 0; j < j4; j += 4) {
      const b0 = bOff + j * bS;
      const b1 = b0 + bS;
      const b2 = b1 + bS;
      const b3 = b2 + bS;
      // biome-ignore format: one accumulator per entry of the 4×4 block
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      // biome-ignore format: one accumulator per entry of the 4×4 block
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < c; k++) {
        const y0 = B[b0 + k]!;
        const y1 = B[b1 + k]!;
        const y2 = B[b2 + k]!;
        const y3 = B[b3 + k]!;
        let x = A[a0 + k]!;
        s00 += x * y0;
        s01 += x * y1;
        s02 += x * y2;
        s03 += x * y3;
        x = A[a1 + k]!;
        s10 += x * y0;
        s11 += x * y1;
        s12 += x * y2;
        s13 += x * y3;
        x = A[a2 + k]!;
        s20 += x * y0;
        s21 += x * y1;
        s22 += x * y2;
        s23 += x * y3;
        x = A[a3 + k]!;
        s30 += x * y0;
        s31 += x * y1;
        s32 += x * y2;
        s33 += x * y3;
      }
      let o = oOff + i * oR + j * oC;
      out[o] = s00 / scale;
      out[o + oC] = s01 / scale;
      out[o + 2 * oC] = s02 / scale;
      out[o + 3 * oC] = s03 / scale;
      o += oR;
      out[o] = s10 / scale;
      out[o + oC] = s11 / scale;
      out[o + 2 * oC] = s12 / scale;
      out[o + 3 * oC] = s13 / scale;
      o += oR;
      out[o] = s20 / scale;
      out[o + oC] = s21 / scale;
      out[o + 2 * oC] = s22 / scale;
      out[o + 3 * oC] = s23 / scale;
      o += oR;
      out[o] = s30 / scale;
      out[o + oC] = s31 / scale;
      out[o + 2 * oC] = s32 / scale;
      out[o + 3 * oC] = s33 / scale;
    }
    for (let j = j4; j < nb; j++) {
      const bj = bOff + j * bS;
      const o = oOff + i * oR + j * oC;
      out[o] = dotAt(A, a0, B, bj, c) / scale;
      out[o + oR] = dotAt(A, a1, B, bj, c) / scale;
      out[o + 2 * oR] = dotAt(A, a2, B, bj, c) / scale;
      out[o + 3 * oR] = dotAt(A, a3, B, bj, c) / scale;
    }
  }
  for (let i = i4; i < na; i++) {
    const ai = aOff + i * aS;
    for (let j = 0; j < nb; j++) out[oOff + i * oR + j * oC] = dotAt(A, ai, B, bOff + j * bS, c) / scale;
  }
}

/** Rows per strip in {@link symmetricGramInto}. */
const STRIP = 32;

/**
 * {@link gramInto} of a row set with itself: only the strips on and below the diagonal are summed, the rest is
 * mirrored (exact: x_i·x_j and x_j·x_i are the same products in the same order).
 */
export function symmetricGramInto(
  a: RowSet,
  c: number,
  scale: number,
  out: Float64Array,
  at: GramLayout,
): void {
  const n = a.rows;
  for (let r0 = 0; r0 < n; r0 += STRIP) {
    const rows = Math.min(STRIP, n - r0);
    gramInto({ ...a, offset: a.offset + r0 * a.stride, rows }, { ...a, rows: r0 + rows }, c, scale, out, {
      ...at,
      offset: at.offset + r0 * at.rowStride,
    });
  }
  const { offset: o, rowStride: oR, colStride: oC } = at;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) out[o + i * oR + j * oC] = out[o + j * oR + i * oC]!;
}

/** Squared norms of a row set divided by `scale`, summed exactly as {@link gramInto} sums its entries. */
export function selfDots(a: RowSet, c: number, scale: number): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    const ai = a.offset + i * a.stride;
    out[i] = dotAt(a.values, ai, a.values, ai, c) / scale;
  }
  return out;
}

/** Pixel-pair input covariances of two image batches on a tfjs backend (see {@link jointGramTf}). */
export interface JointGram {
  /** x_i(p1)·y_j(p2)/scale, [n, m, S, S]. */
  cross: tf.Tensor4D;
  /** x_i(p1)·x_i(p2)/scale, [n, S, S]. */
  selfX: tf.Tensor3D;
  /** y_j(p1)·y_j(p2)/scale, [m, S, S]. */
  selfY: tf.Tensor3D;
}

/**
 * The input covariances of x [n, S, C] and y [m, S, C] (y = null or the same tensor: x with itself) from ONE
 * matmul over the stacked rows, so a self entry and the cross entry of an identical pair are the same number
 * (a GEMM sums every entry of one product the same way; two different products need not). Costs (n + m)²
 * entries instead of n·m when y is a different tensor: this is the tfjs-ops path; hosts use {@link gramInto}.
 */
export function jointGramTf(x: tf.Tensor3D, y: tf.Tensor3D | null, scale: number): JointGram {
  return tf.tidy(() => {
    const [n, S, C] = x.shape;
    const same = y === null || y === x;
    const m = same ? n : y.shape[0];
    const z = same ? x : tf.concat([x, y], 0);
    const N = same ? n : n + m;
    const rows = tf.reshape(z, [N * S, C]) as tf.Tensor2D;
    const G = tf.div(tf.matMul(rows, rows, false, true), scale);
    // [N·S, N·S] → [N·N, S, S]: block (a, b) holds z_a(p1)·z_b(p2).
    const blocks = tf.reshape(tf.transpose(tf.reshape(G, [N, S, N, S]), [0, 2, 1, 3]), [N * N, S, S]);
    const pick = (ids: number[]) => tf.gather(blocks, tf.tensor1d(ids, 'int32'));
    const crossIds: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) crossIds.push(i * N + (same ? j : n + j));
    const selfX = pick(Array.from({ length: n }, (_, i) => i * N + i)) as tf.Tensor3D;
    const selfY = same
      ? selfX.clone()
      : (pick(Array.from({ length: m }, (_, j) => (n + j) * N + n + j)) as tf.Tensor3D);
    return { cross: tf.reshape(pick(crossIds), [n, m, S, S]) as tf.Tensor4D, selfX, selfY };
  });
}
