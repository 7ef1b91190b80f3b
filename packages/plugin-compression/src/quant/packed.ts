import * as tf from '@tensorflow/tfjs-core';

/** Bit widths that pack without straddling a byte group: 1, 2, 4 or 8. */
export type PackBits = 1 | 2 | 4 | 8;

/**
 * Low-bit weights of a dense kernel W [rows = K inputs, cols = N outputs], packed column by column: column n holds
 * its K codes in 24-bit groups (3 bytes, 24/bits codes each, lowest bits first), so every group is an integer below
 * 2^24 that float32 and every tfjs backend hold exactly. Dequantised, w[k, n] = scale[n]·(code[k, n] − zero[n]).
 */
export interface PackedWeights {
  bits: PackBits;
  rows: number;
  cols: number;
  /** Packed codes: `cols × groupsPerColumn(rows, bits) × 3` bytes. */
  data: Uint8Array;
  /** Per-output-channel scale. */
  scale: Float32Array;
  /** Per-output-channel zero point (in code units). */
  zero: Float32Array;
}

/** Codes held by one 24-bit group. */
export function codesPerGroup(bits: PackBits): number {
  return 24 / bits;
}

/** 24-bit groups per packed column of `rows` codes. */
export function groupsPerColumn(rows: number, bits: PackBits): number {
  return Math.ceil(rows / codesPerGroup(bits));
}

/** Bytes a packed tensor really occupies: codes plus per-channel scales and zero points (`byteLength`s summed). */
export function packedByteLength(p: { data: Uint8Array; scale: Float32Array; zero?: Float32Array }): number {
  return p.data.byteLength + p.scale.byteLength + (p.zero?.byteLength ?? 0);
}

function checkBits(bits: number): asserts bits is PackBits {
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8)
    throw new RangeError(`packed weights take 1, 2, 4 or 8 bits, got ${bits}`);
}

/**
 * Quantises a row-major kernel W [rows, cols] per output channel to `bits`-bit codes: 1 bit is α·sign(w) with
 * α = mean|w| (code 1 ↔ +α); otherwise a symmetric grid ±(2^(b−1) − 1)·s, s = max|w|/(2^(b−1) − 1), or with
 * `symmetric: false` an asymmetric min/max grid. Returns one code per weight (row-major) and the channel parameters.
 */
export function quantizeColumns(
  w: Float32Array,
  rows: number,
  cols: number,
  bits: PackBits,
  o: { symmetric?: boolean } = {},
): { codes: Uint8Array; scale: Float32Array; zero: Float32Array } {
  checkBits(bits);
  if (w.length !== rows * cols)
    throw new RangeError(`quantizeColumns: ${w.length} values for a ${rows}×${cols} kernel`);
  const codes = new Uint8Array(rows * cols);
  const scale = new Float32Array(cols);
  const zero = new Float32Array(cols);
  const symmetric = o.symmetric ?? true;
  for (let n = 0; n < cols; n++) {
    if (bits === 1) {
      let a = 0;
      for (let k = 0; k < rows; k++) a += Math.abs(w[k * cols + n]!);
      a /= rows;
      scale[n] = 2 * a;
      zero[n] = 0.5;
      for (let k = 0; k < rows; k++) codes[k * cols + n] = w[k * cols + n]! >= 0 ? 1 : 0;
      continue;
    }
    let lo = 0;
    let hi = 0;
    for (let k = 0; k < rows; k++) {
      const v = w[k * cols + n]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const top = 2 ** bits - 1;
    let s: number;
    let z: number;
    if (symmetric) {
      const half = 2 ** (bits - 1) - 1;
      s = Math.max(Math.max(-lo, hi) / half, 1e-12);
      z = 2 ** (bits - 1);
    } else {
      s = Math.max((hi - lo) / top, 1e-12);
      z = Math.min(top, Math.max(0, Math.round(-lo / s)));
    }
    scale[n] = Math.fround(s);
    zero[n] = z;
    for (let k = 0; k < rows; k++) {
      const q = Math.round(w[k * cols + n]! / scale[n]!) + z;
      codes[k * cols + n] = Math.min(top, Math.max(symmetric ? 1 : 0, q));
    }
  }
  return { codes, scale, zero };
}

/** Packs row-major codes [rows, cols] (each below 2^bits) column by column into 24-bit groups. */
export function packCodes(codes: Uint8Array, rows: number, cols: number, bits: PackBits): Uint8Array {
  checkBits(bits);
  const per = codesPerGroup(bits);
  const groups = groupsPerColumn(rows, bits);
  const out = new Uint8Array(cols * groups * 3);
  for (let n = 0; n < cols; n++)
    for (let g = 0; g < groups; g++) {
      let word = 0;
      for (let j = 0; j < per; j++) {
        const k = g * per + j;
        if (k >= rows) break;
        const c = codes[k * cols + n]!;
        if (c >= 2 ** bits) throw new RangeError(`packCodes: code ${c} does not fit in ${bits} bits`);
        word += c * 2 ** (j * bits);
      }
      const at = (n * groups + g) * 3;
      out[at] = word & 0xff;
      out[at + 1] = (word >>> 8) & 0xff;
      out[at + 2] = (word >>> 16) & 0xff;
    }
  return out;
}

/** Row-major codes [rows, cols] of packed weights. */
export function unpackCodes(p: PackedWeights): Uint8Array {
  const per = codesPerGroup(p.bits);
  const groups = groupsPerColumn(p.rows, p.bits);
  const mask = 2 ** p.bits - 1;
  const codes = new Uint8Array(p.rows * p.cols);
  for (let n = 0; n < p.cols; n++)
    for (let g = 0; g < groups; g++) {
      const at = (n * groups + g) * 3;
      const word = p.data[at]! | (p.data[at + 1]! << 8) | (p.data[at + 2]! << 16);
      for (let j = 0; j < per; j++) {
        const k = g * per + j;
        if (k >= p.rows) break;
        codes[k * p.cols + n] = (word >>> (j * p.bits)) & mask;
      }
    }
  return codes;
}

/** Quantises and packs a row-major dense kernel W [rows, cols] (see {@link quantizeColumns}). */
export function packWeights(
  w: Float32Array,
  rows: number,
  cols: number,
  bits: PackBits,
  o: { symmetric?: boolean } = {},
): PackedWeights {
  const { codes, scale, zero } = quantizeColumns(w, rows, cols, bits, o);
  return { bits, rows, cols, data: packCodes(codes, rows, cols, bits), scale, zero };
}

/** Dequantised row-major kernel [rows, cols]: scale[n]·(code − zero[n]). */
export function unpackWeights(p: PackedWeights): Float32Array {
  const codes = unpackCodes(p);
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const n = i % p.cols;
    out[i] = p.scale[n]! * (codes[i]! - p.zero[n]!);
  }
  return out;
}

/** The packed groups as an int32 vector [cols × groupsPerColumn] (each < 2^24), the form the matmul kernel reads. */
export function packedGroups(p: PackedWeights): Int32Array {
  const n = p.data.length / 3;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++)
    out[i] = p.data[3 * i]! | (p.data[3 * i + 1]! << 8) | (p.data[3 * i + 2]! << 16);
  return out;
}

/** Tensors of packed weights for {@link packedMatmulKernel}: the int32 groups and the channel parameters. */
export interface PackedTensors {
  groups: tf.Tensor1D;
  scale: tf.Tensor1D;
  zero: tf.Tensor1D;
}

/** Uploads packed weights as tensors (caller disposes). */
export function packedTensors(p: PackedWeights): PackedTensors {
  return {
    groups: tf.tensor1d(packedGroups(p), 'int32'),
    scale: tf.tensor1d(p.scale),
    zero: tf.tensor1d(p.zero),
  };
}

/** Weights stored as indices into a level set (power-of-two, APoT) times a per-channel α, packed like {@link PackedWeights}. */
export interface PackedLevels {
  bits: PackBits;
  rows: number;
  cols: number;
  data: Uint8Array;
  /** Per-output-channel α (the largest |w| of the channel). */
  scale: Float32Array;
  /** The level set on [−1, 1] the codes index. */
  levels: Float32Array;
}

/**
 * Stores a row-major kernel [rows, cols] as the index of its nearest level (`levels` sorted on [−1, 1], scaled by
 * each channel's max |w|), packed in the smallest of 1/2/4/8 bits that holds every index. Dequantised values equal
 * `fakeQuantLevels` with a per-channel α.
 */
export function packLevels(w: Float32Array, rows: number, cols: number, levels: Float32Array): PackedLevels {
  const bits = ([1, 2, 4, 8] as const).find((b) => 2 ** b >= levels.length);
  if (!bits) throw new RangeError(`packLevels: ${levels.length} levels do not fit in 8 bits`);
  const scale = new Float32Array(cols);
  for (let n = 0; n < cols; n++) {
    let m = 0;
    for (let k = 0; k < rows; k++) m = Math.max(m, Math.abs(w[k * cols + n]!));
    scale[n] = Math.max(m, 1e-12);
  }
  const codes = new Uint8Array(rows * cols);
  for (let i = 0; i < codes.length; i++) {
    const u = w[i]! / scale[i % cols]!;
    let j = 0;
    while (j + 1 < levels.length && u > (levels[j]! + levels[j + 1]!) / 2) j++;
    codes[i] = j;
  }
  return { bits, rows, cols, data: packCodes(codes, rows, cols, bits), scale, levels };
}

/** Dequantised row-major kernel of {@link packLevels}' output. */
export function unpackLevels(p: PackedLevels): Float32Array {
  const codes = unpackCodes({ ...p, zero: new Float32Array(p.cols) });
  return Float32Array.from(codes, (c, i) => p.levels[c]! * p.scale[i % p.cols]!);
}

/**
 * A 1-bit tensor α·sign(w) with one α = mean|w| for the whole tensor, its sign bits packed along the longer axis of
 * the [rows, cols] matrix (so a short side does not pad every group).
 */
export interface PackedSigns {
  rows: number;
  cols: number;
  /** True when the bits run along rows (the matrix was packed transposed). */
  transposed: boolean;
  data: Uint8Array;
  alpha: number;
}

/** Packs α·sign(w) (see {@link PackedSigns}). */
export function packSigns(w: Float32Array, rows: number, cols: number): PackedSigns {
  const transposed = cols > rows;
  const [r, c] = transposed ? [cols, rows] : [rows, cols];
  const codes = new Uint8Array(rows * cols);
  let alpha = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = w[i * cols + j]!;
      alpha += Math.abs(v);
      codes[transposed ? j * rows + i : i * cols + j] = v >= 0 ? 1 : 0;
    }
  return { rows, cols, transposed, data: packCodes(codes, r, c, 1), alpha: alpha / (rows * cols) };
}

/** Stored bytes of {@link PackedSigns}: the sign bits plus one float32 α. */
export function packedSignsByteLength(p: PackedSigns): number {
  return p.data.byteLength + 4;
}

/** The dequantised row-major matrix α·sign(w). */
export function unpackSigns(p: PackedSigns): Float32Array {
  const [r, c] = p.transposed ? [p.cols, p.rows] : [p.rows, p.cols];
  const codes = unpackCodes({
    bits: 1,
    rows: r,
    cols: c,
    data: p.data,
    scale: new Float32Array(c),
    zero: new Float32Array(c),
  });
  const out = new Float32Array(p.rows * p.cols);
  for (let i = 0; i < p.rows; i++)
    for (let j = 0; j < p.cols; j++)
      out[i * p.cols + j] = (codes[p.transposed ? j * p.rows + i : i * p.cols + j] ? 1 : -1) * p.alpha;
  return out;
}
