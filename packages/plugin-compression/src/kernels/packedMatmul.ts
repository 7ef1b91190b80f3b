import { defineKernel, type WgslProgram } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';
import type { PackBits } from '../quant/packed.js';
import { codesPerGroup, groupsPerColumn, packCodes, packedGroups, quantizeColumns } from '../quant/packed.js';

/** Inputs of {@link packedMatmulKernel}: activations and the packed kernel as uploaded by `packedTensors`. */
export type PackedMatmulInputs = {
  /** Activations [M, K]. */
  x: tf.Tensor2D;
  /** Packed codes, int32 [N × groupsPerColumn(K, bits)], 24 bits used per element. */
  groups: tf.Tensor1D;
  /** Per-output-channel scale [N]. */
  scale: tf.Tensor1D;
  /** Per-output-channel zero point [N]. */
  zero: tf.Tensor1D;
};

/** Attributes of {@link packedMatmulKernel}. */
export interface PackedMatmulAttrs {
  bits: PackBits;
  /** K: rows of the packed kernel (= columns of x). */
  rows: number;
}

/**
 * y = x · W for a low-bit kernel W [K, N] held packed (see `PackedWeights`): the reference dequantises the codes with
 * integer tfjs ops and multiplies; the typed-array implementation decodes one packed column at a time and never
 * materialises W; the WGSL one reads the packed groups directly in the dot-product loop.
 */
export const packedMatmulKernel = defineKernel<PackedMatmulInputs, PackedMatmulAttrs, tf.Tensor2D>({
  name: 'compression/packedMatmul',
  description: 'matmul with 1/2/4/8-bit packed weights (per-channel scale and zero point)',
  reference({ x, groups, scale, zero }, { bits, rows }) {
    return tf.tidy(() => {
      const n = scale.shape[0];
      const g = groupsPerColumn(rows, bits);
      const per = codesPerGroup(bits);
      const words = tf.reshape(groups, [n, g]);
      const radix = tf.scalar(2 ** bits, 'int32');
      const parts = Array.from({ length: per }, (_, j) =>
        tf.mod(tf.floorDiv(words, tf.scalar(2 ** (j * bits), 'int32')), radix),
      );
      const codes = tf.slice(tf.reshape(tf.stack(parts, 2), [n, g * per]), [0, 0], [n, rows]);
      const w = tf.mul(
        tf.sub(tf.cast(codes, 'float32'), tf.reshape(zero, [n, 1])),
        tf.reshape(scale, [n, 1]),
      );
      return tf.matMul(x, w, false, true) as tf.Tensor2D;
    });
  },
  cpu({ x, groups, scale, zero }, { bits, rows }) {
    const [m, k] = x.shape as [number, number];
    if (k !== rows)
      throw new RangeError(`packedMatmul: x has ${k} columns but the packed kernel ${rows} rows`);
    const n = scale.values.length;
    const g = groupsPerColumn(rows, bits);
    const per = codesPerGroup(bits);
    const mask = 2 ** bits - 1;
    const xs = x.values;
    const rowSum = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += xs[i * k + j]!;
      rowSum[i] = s;
    }
    const col = new Float32Array(k);
    const out = new Float32Array(m * n);
    for (let c = 0; c < n; c++) {
      for (let gi = 0; gi < g; gi++) {
        const word = groups.values[c * g + gi]! | 0;
        for (let j = 0; j < per; j++) {
          const kk = gi * per + j;
          if (kk >= k) break;
          col[kk] = (word >>> (j * bits)) & mask;
        }
      }
      const s = scale.values[c]!;
      const z = zero.values[c]!;
      // Four rows per pass share each decoded code.
      let i = 0;
      for (; i + 3 < m; i += 4) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        const o0 = i * k;
        for (let j = 0; j < k; j++) {
          const q = col[j]!;
          a0 += xs[o0 + j]! * q;
          a1 += xs[o0 + k + j]! * q;
          a2 += xs[o0 + 2 * k + j]! * q;
          a3 += xs[o0 + 3 * k + j]! * q;
        }
        out[i * n + c] = s * (a0 - z * rowSum[i]!);
        out[(i + 1) * n + c] = s * (a1 - z * rowSum[i + 1]!);
        out[(i + 2) * n + c] = s * (a2 - z * rowSum[i + 2]!);
        out[(i + 3) * n + c] = s * (a3 - z * rowSum[i + 3]!);
      }
      for (; i < m; i++) {
        let acc = 0;
        const off = i * k;
        for (let j = 0; j < k; j++) acc += xs[off + j]! * col[j]!;
        out[i * n + c] = s * (acc - z * rowSum[i]!);
      }
    }
    return { shape: [m, n], values: out };
  },
  webgpu({ x, groups, scale, zero }, { bits, rows }, gpu) {
    const [m] = x.shape;
    const n = scale.shape[0];
    const per = codesPerGroup(bits);
    const program: WgslProgram = {
      key: `compression_packed_matmul_b${bits}`,
      outputShape: [m, n],
      variableNames: ['X', 'W', 'S', 'Z'],
      uniforms: 'rows : i32, cols : i32, groups : i32,',
      uniformData: [
        { type: 'int32', data: [rows] },
        { type: 'int32', data: [n] },
        { type: 'int32', data: [groupsPerColumn(rows, bits)] },
      ],
      userCode: `
        fn main(index : i32) {
          if (index < uniforms.size) {
            let row = index / uniforms.cols;
            let col = index % uniforms.cols;
            var acc = 0.0;
            var sx = 0.0;
            for (var g = 0; g < uniforms.groups; g = g + 1) {
              let word = u32(W[col * uniforms.groups + g]);
              for (var j = 0; j < ${per}; j = j + 1) {
                let k = g * ${per} + j;
                if (k < uniforms.rows) {
                  let code = f32((word >> u32(j * ${bits})) & ${2 ** bits - 1}u);
                  let xv = X[row * uniforms.rows + k];
                  acc = acc + xv * code;
                  sx = sx + xv;
                }
              }
            }
            setOutputAtIndex(index, S[col] * (acc - Z[col] * sx));
          }
        }`,
    };
    return gpu.run(program, [x, groups, scale, zero]) as tf.Tensor2D;
  },
  examples() {
    const cases: Array<[number, number, number, PackBits, boolean]> = [
      [3, 7, 5, 1, true],
      [4, 13, 6, 2, true],
      [5, 33, 9, 4, true],
      [2, 10, 3, 4, false],
      [3, 17, 4, 8, false],
    ];
    return cases.map(([m, k, n, bits, symmetric], c) => ({
      name: `${m}x${k}·${k}x${n} ${bits}-bit ${symmetric ? 'symmetric' : 'asymmetric'}`,
      attrs: { bits, rows: k },
      inputs: () => {
        // Deterministic, irregular values (no RNG needed for a fixed case).
        const w = Float32Array.from({ length: k * n }, (_, i) => Math.sin(1.3 * i + c) * (1 + (i % 3)));
        const xs = Float32Array.from({ length: m * k }, (_, i) => Math.cos(0.7 * i - c));
        const q = quantizeColumns(w, k, n, bits, { symmetric });
        const p = {
          bits,
          rows: k,
          cols: n,
          data: packCodes(q.codes, k, n, bits),
          scale: q.scale,
          zero: q.zero,
        };
        return {
          x: tf.tensor2d(xs, [m, k]),
          groups: tf.tensor1d(packedGroups(p), 'int32'),
          scale: tf.tensor1d(p.scale),
          zero: tf.tensor1d(p.zero),
        };
      },
    }));
  },
  tolerance: { atol: 1e-4, rtol: 1e-4 },
});
