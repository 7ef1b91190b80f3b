// The pytorch suite's solver, KAN and SpMM workloads (issues 11 and 13): plugin-physics' KdV and cavity solvers
// against the same discretisations in numpy, its B-spline KAN against an efficient-kan-style PyTorch KAN with the
// same weights, and plugin-gnn's CSR SpMM against torch.sparse.mm. Inputs are generated here (seeded) and written
// to the suite's temp folder for bench/pytorch/solvers.py; each workload sets its rows' `check` texts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@paperlab/core';
import { gcnAdjacency, rmat, sparseTensors, spmm } from '@paperlab/plugin-gnn';
import { GHIA_1982, Kan, kdvSoliton, sampleGrid, solveCavity, solveKdv } from '@paperlab/plugin-physics';
import * as tf from '@tensorflow/tfjs-core';
import { coraLike } from './pytorchPlugins.mjs';

/** Writes a typed array's bytes to `file` and returns the path. */
function put(file, arr) {
  writeFileSync(file, new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
  return file;
}

/** A float file written by the reference, as a typed array of `Type`. */
function readArray(file, Type) {
  const b = readFileSync(file);
  return new Type(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const sizeList = (v) =>
  String(v)
    .split(/[,;/ ]/)
    .map(Number)
    .filter((x) => x > 0);

/** max |a − b| over the entries. */
function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** max |a − b| relative to max |b|. */
function relToMax(a, b) {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  return maxAbsDiff(a, b) / Math.max(scale, 1e-30);
}

const ex = (x) => x.toExponential(1);

/**
 * KdV (issue 13): the soliton run of plugin-physics' spectral test (δ = 0.8, L = 40δ, c = 1, to T = L/3) by
 * `solveKdv` against numpy ETDRK4 with np.fft on the same grid, step, step count and 2/3 dealiasing.
 */
export async function kdvWorkload({ s, pair, ref, tmp, clocked, rows }) {
  const [delta, c] = [0.8, 1];
  const length = 40 * delta;
  const x0 = 10 * delta;
  const T = length / 3;
  for (const n of sizeList(s['kdv.n'])) {
    // solveKdv's default step bound: |k|max·max|u|·dt ≤ 0.5 (max|u| = 3c), rounded to a whole number of steps.
    const kmax = (Math.PI * n) / length;
    const steps = Math.ceil(T / Math.min(0.5 / (3 * c * kmax), 0.01));
    const dt = T / steps;
    const xs = Float64Array.from({ length: n }, (_, j) => (j * length) / n);
    const u0 = xs.map((x) => kdvSoliton(x, 0, c, delta, x0, length));
    const exact = xs.map((x) => kdvSoliton(x, T, c, delta, x0, length));
    const files = { u0: put(join(tmp, `kdv-${n}-u0.f64`), u0), output: join(tmp, `kdv-${n}-u.f64`) };
    let ours = null;
    await pair(
      `KdV soliton, pseudo-spectral ETDRK4, n = ${n}, ${steps} steps to T = ${T.toFixed(2)} (ms per solve)`,
      1,
      s['kdv.samples'],
      1,
      () => ref.call({ op: 'kdv', n, delta, length, dt, steps, ...files, threads: 1 }),
      () =>
        clocked(() => {
          ours = solveKdv({ delta, length, u0, times: [T], dt }).u[0];
          return {};
        }),
      { kind: 'kdv' },
    );
    const soliton = (u) => ex(maxAbsDiff(u, exact) / (3 * c));
    if (!ref) {
      rows.at(-1).check = `paperlab vs soliton ${soliton(ours)} × height`;
      continue;
    }
    const theirs = readArray(files.output, Float64Array);
    rows.at(-1).check =
      `‖Δu‖∞ numpy vs paperlab ${ex(maxAbsDiff(ours, theirs))}; vs the analytic soliton (÷ height 3c): ` +
      `paperlab ${soliton(ours)}, numpy ${soliton(theirs)}`;
  }
}

/** u(0.5, y) at Ghia's y positions from the u column on nodes y_j = j/n (linear in y). */
function columnAt(column, n, y) {
  const f = Math.min(Math.max(y * n, 0), n);
  const j = Math.min(Math.floor(f), n - 1);
  return column[j] + (f - j) * (column[j + 1] - column[j]);
}

/**
 * Lid-driven cavity (issue 13): `solveCavity` (lexicographic SOR/Gauss–Seidel) against the same discretisation
 * vectorised in numpy by red-black ordering, each converged to the same tolerance from the same coarse-to-fine
 * start; the u-centrelines checked against Ghia et al. (1982) and against each other.
 */
export async function cavityWorkload({ s, pair, ref, clocked, rows }) {
  const re = 100;
  const o = { tol: 1e-8, maxSweeps: 40_000, poissonSweeps: 2, relax: 1.4 };
  const ghia = GHIA_1982[re];
  let warm = 1;
  for (const n of sizeList(s['cavity.n'])) {
    let ours = null;
    const t = await pair(
      `lid-driven cavity Re ${re}, ${n}×${n} cells, converged to ‖Δω‖∞ ≤ ${o.tol}·‖ω‖∞ (ms per solve, coarse-to-fine from ${Math.max(8, n / 8)})`,
      1,
      s['cavity.samples'],
      warm,
      () => ref.call({ op: 'cavity', n, re, ...o, threads: 1 }),
      () =>
        clocked(() => {
          ours = solveCavity({ re, n, ...o });
          return {};
        }),
      { kind: 'cavity' },
    );
    warm = 0; // the JIT is warm after the first size; the larger sizes are long enough not to need a discarded run
    const m = n + 1;
    const column = Float64Array.from({ length: m }, (_, j) => ours.u[j * m + n / 2]);
    const vsGhia = (at) => ex(Math.max(...ghia.y.map((y, k) => Math.abs(at(y) - ghia.u[k]))));
    const oursGhia = vsGhia((y) => sampleGrid(n, ours.u, 0.5, y));
    const conv = (ok) => (ok ? '' : ' (NOT converged)');
    if (!ref) {
      rows.at(-1).check =
        `paperlab ${ours.sweeps} sweeps${conv(ours.converged)}; u(0.5, y) vs Ghia ${oursGhia}`;
      continue;
    }
    const theirs = t.last.a;
    rows.at(-1).check =
      `fine-grid sweeps: paperlab ${ours.sweeps}${conv(ours.converged)} (lexicographic), numpy ${theirs.sweeps}${conv(theirs.converged)} (red-black); ` +
      `‖Δu(0.5, y)‖∞ at Ghia's 17 points: paperlab ${oursGhia}, numpy ${vsGhia((y) => columnAt(theirs.u, n, y))}; ` +
      `between them on the ${m} nodes ${ex(maxAbsDiff(column, theirs.u))}`;
  }
}

/**
 * KAN (issue 13): forward + backward (MSE loss, gradient w.r.t. every weight) of plugin-physics' B-spline `Kan`
 * against efficient-kan's KANLinear written in torch ops (Cox–de Boor), with the same weights and batch.
 */
export async function kanWorkload({ s, pair, ref, tmp, clocked, rows }) {
  const widths = sizeList(s['kan.widths']);
  const batch = s['kan.batch'];
  const grid = s['kan.grid'];
  const order = 3;
  const [lo, hi] = [-1, 1];
  const reps = s['kan.reps'];
  const kan = Kan.plain(widths, { family: 'bspline', size: grid, order, lo, hi }, new Rng(51));
  const vars = kan.variables();
  const init = vars.map((v) => v.dataSync());
  const flat = new Float32Array(init.reduce((a, w) => a + w.length, 0));
  let off = 0;
  for (const w of init) {
    flat.set(w, off);
    off += w.length;
  }
  const rng = new Rng(52);
  const xv = rng.uniforms(batch * widths[0], lo, hi);
  const yv = rng.normals(batch * widths.at(-1), 0, 0.5);
  const files = {
    weights: put(join(tmp, 'kan-w.f32'), flat),
    x: put(join(tmp, 'kan-x.f32'), xv),
    y: put(join(tmp, 'kan-y.f32'), yv),
    output: join(tmp, 'kan-out.f32'),
  };
  const x = tf.tensor2d(xv, [batch, widths[0]]);
  const y = tf.tensor2d(yv, [batch, widths.at(-1)]);
  let last = null;
  // variableGrads records only the ops inside its function: the forward runs inside it.
  const step = () => {
    let outT = null;
    const { value, grads } = tf.variableGrads(() => {
      outT = tf.keep(kan.forward(x)); // kept: the check reads the last pass's outputs
      return tf.losses.meanSquaredError(y, outT);
    }, vars);
    return { value, grads, out: outT };
  };
  const ours = () =>
    clocked(() => {
      let loss = 0;
      for (let r = 0; r < reps; r++) {
        const { value, grads, out } = step();
        loss = value.dataSync()[0];
        if (r === reps - 1)
          last = { out: out.dataSync().slice(), grads: vars.map((v) => grads[v.name].dataSync().slice()) };
        tf.dispose([value, out, ...Object.values(grads)]);
      }
      return { loss };
    }).then((r) => ({ ...r, ms: r.ms / reps, cpuMs: r.cpuMs / reps }));
  const before = tf.memory().numTensors;
  const params = kan.paramCount();
  await pair(
    `KAN ${widths.join('-')} (cubic B-splines, grid ${grid}, SiLU base; ${params} weights), batch ${batch}: forward + backward (ms per pass)`,
    1,
    s['kan.samples'],
    1,
    (w) =>
      ref.call({ op: 'kan', widths, batch, grid, order, lo, hi, reps: w ? 1 : reps, ...files, threads: 1 }),
    ours,
    { kind: 'kan' },
  );
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, y]);
  kan.dispose();
  if (leaked > 0) throw new Error(`kan workload leaked ${leaked} tensors`);
  if (!ref) return;
  const theirs = readArray(files.output, Float32Array);
  const nOut = last.out.length;
  let worst = 0;
  off = nOut;
  for (const g of last.grads) {
    worst = Math.max(worst, relToMax(g, theirs.subarray(off, off + g.length)));
    off += g.length;
  }
  rows.at(-1).check =
    `same weights: outputs agree to ${ex(relToMax(last.out, theirs.subarray(0, nOut)))}, every weight gradient to ${ex(worst)} (‖Δ‖∞ / ‖·‖∞, per tensor)`;
}

/**
 * SpMM (issue 11): plugin-gnn's `spmm` (CSR, typed-array kernel on wasm) against torch.sparse.mm on a coalesced COO
 * tensor: the Cora-sized Â = D̃^−½(A + I)D̃^−½ times dense [2708, f] for each f, and an R-MAT adjacency times
 * [2^scale, f].
 */
export async function spmmWorkload({ s, pair, ref, tmp, clocked, rows }) {
  const { g } = coraLike(new Rng(31), {
    nodes: s['gcn.nodes'],
    edges: s['gcn.edges'],
    features: 8,
    classes: 7,
  });
  const cora = gcnAdjacency(g);
  const scale = s['spmm.rmatScale'];
  const graph = rmat(new Rng(61), { scale, edgeFactor: s['spmm.rmatEdgeFactor'] });
  const cases = [
    ...sizeList(s['spmm.f']).map((f) => ({ name: `Cora-sized Â (${cora.rows} nodes)`, a: cora, f })),
    ...sizeList(s['spmm.rmatF']).map((f) => ({ name: `R-MAT 2^${scale} nodes`, a: graph, f })),
  ];
  for (const [k, { name, a, f }] of cases.entries()) {
    const nnz = a.colIdx.length;
    const reps = Math.min(200, Math.max(5, Math.round(s['spmm.flops'] / (2 * nnz * f))));
    const xv = new Rng(62 + k).normals(a.cols * f);
    const files = {
      rowPtr: put(join(tmp, `spmm${k}-rp.i32`), a.rowPtr),
      colIdx: put(join(tmp, `spmm${k}-ci.i32`), a.colIdx),
      values: put(join(tmp, `spmm${k}-v.f32`), a.values),
      x: put(join(tmp, `spmm${k}-x.f32`), xv),
      output: join(tmp, `spmm${k}-out.f32`),
    };
    const st = sparseTensors(a);
    const x = tf.tensor2d(xv, [a.cols, f]);
    let last = null;
    const before = tf.memory().numTensors;
    await pair(
      `SpMM ${name}, ${nnz} nonzeros, × dense ${a.cols}×${f} (ms per product)`,
      1,
      s['spmm.samples'],
      1,
      () => ref.call({ op: 'spmm', rows: a.rows, cols: a.cols, nnz, f, reps, ...files, threads: 1 }),
      () =>
        clocked(() => {
          for (let r = 0; r < reps; r++) {
            const out = spmm(st, x);
            if (r === reps - 1) last = out.dataSync().slice();
            out.dispose();
          }
          return {};
        }).then((r) => ({ ...r, ms: r.ms / reps, cpuMs: r.cpuMs / reps })),
      { kind: 'spmm' },
    );
    const leaked = tf.memory().numTensors - before;
    x.dispose();
    st.dispose();
    if (leaked > 0) throw new Error(`spmm workload leaked ${leaked} tensors`);
    const gflops = (ms) => ((2 * nnz * f) / (ms * 1e6)).toFixed(2);
    const row = rows.at(-1);
    if (!ref) {
      row.check = `paperlab ${gflops(row.ours.median)} GFLOP/s (2·nnz·f)`;
      continue;
    }
    const theirs = readArray(files.output, Float32Array);
    row.check = `‖Δ‖∞ / ‖out‖∞ ${ex(relToMax(last, theirs))}; GFLOP/s (2·nnz·f): PyTorch ${gflops(row.torch.median)}, paperlab ${gflops(row.ours.median)}`;
  }
}
