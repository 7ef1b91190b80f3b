// NTK Gram-matrix throughput (entries/s) per implementation: the fused fully-connected recursion (depth 5),
// the generic stax kernel (same network, blocked, Float64 host), a small CNN with and without global average
// pooling (ntk/conv-kernel-recursion), and the empirical NTK from per-example Jacobians.
import { Rng } from '@paperlab/core';
import { runKernel } from '@paperlab/core/kernels';
import { convKernelRecursion, fcKernelRecursion, stax } from '@paperlab/plugin-ntk';
import * as tf from '@tensorflow/tfjs-core';
import { measure } from '../harness.mjs';

/** Implementations of a KernelSpec worth timing on a variant (backend). */
function implsFor(variants) {
  const out = [];
  for (const variant of variants) {
    if (variant === 'wasm (stock tfjs)') continue;
    if (variant.startsWith('wasm')) out.push([variant, 'reference'], [variant, 'cpu']);
    else if (variant.startsWith('webgpu')) out.push([variant, 'reference'], [variant, 'webgpu']);
    else out.push([variant, 'reference']);
  }
  return out;
}

/** A timed m×m Gram row; the reference implementation on wasm is the baseline of its case. */
function gramRow(kase, variant, impl, timing, m) {
  return {
    suite: 'ntk-gram',
    case: kase,
    variant: `${variant} · ${impl}`,
    timing,
    work: m * m,
    unit: ' entries',
    baseline: variant.startsWith('wasm') && impl === 'reference',
  };
}

/** @param {{ use(b: string): Promise<void>, variants: string[] }} env */
export async function ntkGramSuite(env) {
  const rows = [];
  const slow = (variant) => variant.startsWith('webgpu') || variant.startsWith('cpu');

  // 1. Fully-connected ReLU NTK + NNGP, depth 5, fused KernelSpec.
  const attrs = { depth: 5, sigmaW2: 2, sigmaB2: 0.05, activation: 'relu' };
  const n = 512;
  const d = 32;
  const X = new Rng(9).normals(n * d);
  const fcCase = `FC ReLU NTK+NNGP depth 5, ${n}×${n} Gram`;
  for (const [variant, impl] of implsFor(env.variants)) {
    await env.use(variant);
    const x = tf.tensor2d(X, [n, d]);
    const inputs = {
      gram: tf.div(tf.matMul(x, x, false, true), d),
      diagX: tf.div(tf.sum(tf.square(x), 1), d),
      diagY: tf.div(tf.sum(tf.square(x), 1), d),
    };
    const timing = await measure(
      async () => {
        const out = runKernel(fcKernelRecursion, inputs, attrs, { impl });
        await out.data();
        out.dispose();
      },
      { samples: slow(variant) ? 2 : 5 },
    );
    rows.push(gramRow(fcCase, variant, impl, timing, n));
    tf.dispose([x, ...Object.values(inputs)]);
  }

  // The same network through the generic stax kernel (host Float64, blocks of 256, symmetric).
  await env.use('wasm (paperlab)');
  const mlp = stax.serial(
    ...Array.from({ length: 4 }, () => [stax.dense(512, { sigmaW2: 2, sigmaB2: 0.05 }), stax.relu()]).flat(),
    stax.dense(1, { sigmaW2: 2, sigmaB2: 0.05 }),
  );
  rows.push({
    suite: 'ntk-gram',
    case: fcCase,
    variant: 'stax.kernelMatrix (host Float64, symmetric blocks)',
    timing: await measure(() => stax.kernelMatrix(mlp, { values: X, shape: [n, d] }), { samples: 3 }),
    work: n * n,
    unit: ' entries',
  });

  // At scale: the full 10k × 10k NNGP and NTK (763 MiB of Float32) in blocks of 512, one sample.
  const big = 10_000;
  const XB = new Rng(11).normals(big * d);
  rows.push({
    suite: 'ntk-gram',
    case: `FC ReLU NTK+NNGP depth 5, ${big}×${big} Gram (2 × 381 MiB)`,
    variant: 'stax.kernelMatrix (host Float64, symmetric blocks of 512)',
    timing: await measure(
      () => stax.kernelMatrix(mlp, { values: XB, shape: [big, d] }, null, { blockSize: 512 }),
      {
        warmup: 0,
        samples: 1,
      },
    ),
    work: big * big,
    unit: ' entries',
  });

  // 2. Small CNN: 8×8×3 images, 3 conv layers (3×3, 'same'), ReLU, then global average pooling or flatten.
  const m = 24;
  const img = [8, 8];
  const C = 3;
  const XI = new Rng(10).normals(m * 64 * C);
  for (const readout of ['gap', 'flatten']) {
    const cAttrs = {
      spatial: img,
      filter: 3,
      depth: 3,
      sigmaW2: 2,
      sigmaB2: 0.05,
      activation: 'relu',
      readout,
    };
    const cCase = `CNN 8×8×3, 3×(Conv3×3+ReLU), ${readout === 'gap' ? 'global avg pool' : 'flatten'}, ${m}×${m} Gram`;
    for (const [variant, impl] of implsFor(env.variants)) {
      if (variant.startsWith('cpu') && impl === 'reference') continue; // minutes on the cpu backend
      await env.use(variant);
      const x = tf.tensor3d(XI, [m, 64, C]);
      try {
        const timing = await measure(
          async () => {
            const out = runKernel(convKernelRecursion, { x, y: x }, cAttrs, { impl });
            await out.data();
            out.dispose();
          },
          { samples: slow(variant) ? 1 : 3, warmup: slow(variant) ? 0 : 1 },
        );
        rows.push(gramRow(cCase, variant, impl, timing, m));
      } catch (err) {
        rows.push({
          suite: 'ntk-gram',
          case: cCase,
          variant: `${variant} · ${impl}`,
          error: String(err.message ?? err),
        });
      }
      x.dispose();
    }
  }

  // 3. Empirical NTK from per-example Jacobians (stax MLP 32-512-512-1 and a CNN), blocks of 128.
  await env.use('wasm (paperlab)');
  const ne = 512;
  const emlp = stax.serial(
    stax.dense(512, { sigmaW2: 2 }),
    stax.relu(),
    stax.dense(512, { sigmaW2: 2 }),
    stax.relu(),
    stax.dense(1),
  );
  const pm = emlp.init(new Rng(11), [d]);
  rows.push({
    suite: 'ntk-gram',
    case: `empirical NTK, MLP 32-512-512-1, ${ne}×${ne} Gram`,
    variant: 'wasm (paperlab) · stax.empiricalNtk',
    timing: await measure(() => stax.empiricalNtk(emlp, pm, { values: X, shape: [ne, d] }), { samples: 3 }),
    work: ne * ne,
    unit: ' entries',
  });
  stax.disposeParams(pm);
  const ecnn = stax.serial(
    stax.conv(64, [3, 3], { sigmaW2: 2 }),
    stax.relu(),
    stax.conv(64, [3, 3], { sigmaW2: 2 }),
    stax.relu(),
    stax.globalAvgPool(),
    stax.dense(1),
  );
  const pc = ecnn.init(new Rng(12), [8, 8, C]);
  const nc = 128;
  const XE = new Rng(13).normals(nc * 64 * C);
  rows.push({
    suite: 'ntk-gram',
    case: `empirical NTK, CNN 2×Conv3×3(64)+GAP on 8×8×3, ${nc}×${nc} Gram`,
    variant: 'wasm (paperlab) · stax.empiricalNtk',
    timing: await measure(() => stax.empiricalNtk(ecnn, pc, { values: XE, shape: [nc, 8, 8, C] }), {
      samples: 3,
    }),
    work: nc * nc,
    unit: ' entries',
  });
  stax.disposeParams(pc);
  return rows;
}
