// The pytorch suite's plugin workloads (issues 11–14): each builds its inputs and initial weights once in JS,
// writes them to the suite's temp folder for bench/pytorch/reference.py, and times the same model on both
// sides. Each returns the row's `check` text (agreement of the two sides' results).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@paperlab/core';
import { runKernel } from '@paperlab/core/kernels';
import { adam, fit, softmaxCrossEntropy } from '@paperlab/core/train';
import { GZ_OUTPUTS, galaxyImages, MultiViewNet, viewTaps, volunteerVotes } from '@paperlab/plugin-astro';
import {
  packedByteLength,
  packedMatmulKernel,
  packedTensors,
  packWeights,
  unpackWeights,
} from '@paperlab/plugin-compression';
import { denseToCsr, GatConv, GcnConv, graphTensors, sparseTensors, undirected } from '@paperlab/plugin-gnn';
import { navierStokesResiduals, Mlp as PinnMlp, splitVelocityPressure } from '@paperlab/plugin-physics';
import * as tf from '@tensorflow/tfjs-core';

/** Writes a typed array's bytes to `file` and returns the path. */
function put(file, arr) {
  writeFileSync(file, new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
  return file;
}

/** `clocked(fn)` with its wall and CPU ms divided by the `n` steps `fn` runs. */
const perStepOf = (clocked) => async (n, fn) => {
  const r = await clocked(fn);
  return { ...r, ms: r.ms / n, cpuMs: r.cpuMs / n };
};

/**
 * `n` full-batch Adam steps on `loss` from the fixed initial weights `init` (the same start on both sides of a pair):
 * the loss of the last step, for the agreement check. Core's `adam` (tf.train.adam's arithmetic, fused per variable).
 */
function adamSteps(vars, init, lr, n, loss) {
  tf.tidy(() => {
    vars.forEach((v, i) => {
      v.assign(tf.tensor(init[i], v.shape));
    });
  });
  const opt = adam(lr);
  let last = 0;
  for (let k = 0; k < n; k++) {
    const { value, grads } = tf.variableGrads(loss, vars);
    const list = vars.map((v) => grads[v.name]);
    opt.apply(vars, list);
    if (k === n - 1) last = value.dataSync()[0];
    tf.dispose([value, ...list]);
  }
  opt.dispose();
  return { loss: last };
}

/**
 * Cross-entropy on the training nodes, as reference.py's `F.cross_entropy(out[train], y[train])`: the training rows
 * are gathered first (indices and labels built once from the mask), so the softmax runs on them only.
 */
export function trainLoss(y, mask) {
  const rows = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] > 0) rows.push(i);
  const idx = tf.tensor1d(rows, 'int32');
  const labels = tf.tensor1d(
    rows.map((i) => y[i]),
    'int32',
  );
  return {
    loss: (logits) => softmaxCrossEntropy(tf.gather(logits, idx), labels),
    dispose: () => tf.dispose([idx, labels]),
  };
}

const relDiff = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

/**
 * A Cora-sized homophilous graph (seeded): `nodes` nodes in `classes` classes, `edges` undirected edges (80 %
 * inside a class), `features` sparse binary features (≈ 18 active per node, biased by class), 20 training
 * nodes per class.
 */
export function coraLike(rng, { nodes, edges, features, classes }) {
  const y = new Int32Array(nodes);
  for (let i = 0; i < nodes; i++) y[i] = rng.int(classes);
  const byClass = Array.from({ length: classes }, () => []);
  for (let i = 0; i < nodes; i++) byClass[y[i]].push(i);
  const pairs = [];
  const seen = new Set();
  while (seen.size < edges) {
    const a = rng.int(nodes);
    const pool = byClass[y[a]];
    const b = rng.uniform() < 0.8 ? pool[rng.int(pool.length)] : rng.int(nodes);
    if (a === b) continue;
    const key = Math.min(a, b) * nodes + Math.max(a, b);
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push(a, b);
  }
  const x = new Float32Array(nodes * features);
  const block = Math.floor(features / classes);
  for (let i = 0; i < nodes; i++) {
    for (let k = 0; k < 18; k++) {
      const f = rng.uniform() < 0.5 ? y[i] * block + rng.int(block) : rng.int(features);
      x[i * features + f] = 1;
    }
  }
  const mask = new Float32Array(nodes);
  for (const pool of byClass) for (const i of pool.slice(0, 20)) mask[i] = 1;
  const g = undirected(nodes, pairs);
  return { g, x, y, mask };
}

/**
 * One clocked epoch of core's `fit` with Adam (no accuracy) on a fresh `model`, disposed after: the epoch's loss
 * with its ms and CPU ms; fails if the epoch leaks tensors (`what` names it in the error).
 */
export async function adamEpoch(clocked, what, model, { data, loss, lr, batchSize, order }) {
  const before = tf.memory().numTensors;
  const out = await clocked(async () => {
    const report = await fit({
      model,
      data,
      loss,
      optimizer: { type: 'adam', lr },
      epochs: 1,
      batchSize,
      order,
      accuracy: false,
    });
    return { loss: report.loss };
  });
  const leaked = tf.memory().numTensors - before;
  model.dispose();
  if (leaked !== 0) throw new Error(`${what} epoch leaked ${leaked} tensors`);
  return out;
}

/** Writes a Cora-like graph (edges, features, labels, train mask) for the PyTorch side as `<kind>-src.i32`, …. */
function graphFiles(tmp, kind, { g, x, y, mask }) {
  return {
    src: put(join(tmp, `${kind}-src.i32`), g.src),
    dst: put(join(tmp, `${kind}-dst.i32`), g.dst),
    x: put(join(tmp, `${kind}-x.f32`), x),
    y: put(join(tmp, `${kind}-y.i32`), y),
    mask: put(join(tmp, `${kind}-mask.f32`), mask),
  };
}

/** Our side of a graph pair: `epochs` full-batch Adam epochs on `loss` (2 when warming up), per epoch. */
const graphEpochs = (perStep, vars, init, lr, epochs, loss) => (warm) => {
  const n = warm ? 2 : epochs;
  return perStep(n, () => adamSteps(vars, init, lr, n, loss));
};

/**
 * Times a graph pair, one thread a side: PyTorch's `request.op` on the same graph files and sizes (2 epochs when
 * warming up) against `ours`; the row's kind is the op.
 */
function graphPair(pair, ref, title, samples, request, ours) {
  const torch = (w) => ref.call({ ...request, epochs: w ? 2 : request.epochs, threads: 1 });
  return pair(title, 1, samples, 1, torch, ours, { kind: request.op });
}

/**
 * The end of a graph workload: disposes its `tensors`, fails if it leaked any since `before`, and states both sides'
 * losses after `epochs` from the same initial weights (the row's check).
 */
function graphCheck(kind, before, tensors, t, ref, epochs) {
  const leaked = tf.memory().numTensors - before;
  for (const x of tensors) x.dispose();
  if (leaked > 0) throw new Error(`${kind} workload leaked ${leaked} tensors`);
  if (!ref) return '';
  const a = t.last.a.loss;
  const b = t.last.b.loss;
  return `same init.: loss after ${epochs} epochs PyTorch ${a.toFixed(4)}, paperlab ${b.toFixed(4)} (rel. diff ${relDiff(b, a).toExponential(1)})`;
}

/** GCN (issue 11): `epochs` full-batch Adam epochs of a 2-layer GCN, Â sparse on both sides. */
export async function gcnWorkload({ s, pair, ref, tmp, clocked }) {
  const perStep = perStepOf(clocked);
  const nodes = s['gcn.nodes'];
  const features = s['gcn.features'];
  const classes = 7;
  const hidden = s['gcn.hidden'];
  const epochs = s['gcn.epochs'];
  const graph = coraLike(new Rng(31), { nodes, edges: s['gcn.edges'], features, classes });
  const { g, x, y, mask } = graph;
  const wrng = new Rng(32);
  const glorot = (fin, fout) => {
    const a = Math.sqrt(6 / (fin + fout));
    return wrng.uniforms(fin * fout, -a, a);
  };
  const w1 = glorot(features, hidden);
  const w2 = glorot(hidden, classes);
  const files = {
    ...graphFiles(tmp, 'gcn', graph),
    w1: put(join(tmp, 'gcn-w1.f32'), w1),
    w2: put(join(tmp, 'gcn-w2.f32'), w2),
  };
  const gt = graphTensors(g);
  gt.gcn(); // Â built once, outside the timed region (PyTorch builds its sparse Â outside too)
  // The features are sparse binary (≈ 18 of 1,433 per node), as Cora's: CSR on this side, torch.sparse on PyTorch's.
  const xs = sparseTensors(denseToCsr(x, nodes, features));
  const train = trainLoss(y, mask);
  const rng = new Rng(33);
  const l1 = new GcnConv(rng.split('l1'), features, hidden);
  const l2 = new GcnConv(rng.split('l2'), hidden, classes);
  const vars = [...l1.variables(), ...l2.variables()];
  const init = [w1, new Float32Array(hidden), w2, new Float32Array(classes)];
  const ours = graphEpochs(perStep, vars, init, s['gcn.lr'], epochs, () =>
    train.loss(l2.apply(gt, tf.relu(l1.apply(gt, xs)))),
  );
  await ours(true); // builds the lazily cached device structures (e.g. Âᵀ for the backward) before counting
  const before = tf.memory().numTensors;
  const t = await graphPair(
    pair,
    ref,
    `GCN ${epochs} full-batch Adam epochs (ms per epoch), ${nodes} nodes, ${g.src.length} directed edges, ${features} binary features, ${features}-${hidden}-${classes}`,
    s['gcn.samples'],
    { op: 'gcn', nodes, edges: g.src.length, features, hidden, classes, epochs, lr: s['gcn.lr'], ...files },
    ours,
  );
  return graphCheck('gcn', before, [xs, train, l1, l2, gt], t, ref, epochs);
}

/**
 * PINN (issue 13): Adam steps on the steady Navier–Stokes residual, second derivatives by autodiff (paperlab: `Mlp.jet`,
 * the stacked forward-mode jet with its fused layer kernels; PyTorch: nested reverse mode).
 */
export async function pinnWorkload({ s, pair, ref, tmp, clocked }) {
  const perStep = perStepOf(clocked);
  const width = s['pinn.width'];
  const depth = s['pinn.depth'];
  const points = s['pinn.points'];
  const steps = s['pinn.steps'];
  const re = 100;
  const sizes = [2, ...Array.from({ length: depth }, () => width), 3];
  const net = new PinnMlp({ sizes, activation: 'tanh' }, new Rng(41));
  const vars = net.variables();
  const init = vars.map((v) => v.dataSync().slice());
  const flatInit = new Float32Array(init.reduce((a, w) => a + w.length, 0));
  let off = 0;
  for (const w of init) {
    flatInit.set(w, off);
    off += w.length;
  }
  const pts = new Rng(42).uniforms(points * 2);
  const files = {
    pointsFile: put(join(tmp, 'pinn-x.f32'), pts),
    weights: put(join(tmp, 'pinn-w.f32'), flatInit),
  };
  const xt = tf.tensor2d(pts, [points, 2]);
  const ours = (warm) => {
    const n = warm ? 1 : steps;
    return perStep(n, () =>
      adamSteps(vars, init, s['pinn.lr'], n, () => {
        const [u, v, p] = splitVelocityPressure(net.jet(xt, 2));
        const r = navierStokesResiduals(u, v, p, re);
        return tf.addN([
          tf.mean(tf.square(r.momentumX)),
          tf.mean(tf.square(r.momentumY)),
          tf.mean(tf.square(r.continuity)),
        ]);
      }),
    );
  };
  await ours(true); // builds the lazily cached device structures (e.g. Âᵀ for the backward) before counting
  const before = tf.memory().numTensors;
  const t = await pair(
    `PINN Adam step (ms per step, ${steps} per sample), tanh MLP ${sizes.join('-')}, steady Navier–Stokes residual (Re ${re}), ${points} collocation points`,
    1,
    s['pinn.samples'],
    1,
    (w) =>
      ref.call({
        op: 'pinn',
        sizes,
        points,
        steps: w ? 1 : steps,
        lr: s['pinn.lr'],
        re,
        ...files,
        threads: 1,
      }),
    ours,
    { kind: 'pinn' },
  );
  const leaked = tf.memory().numTensors - before;
  xt.dispose();
  net.dispose();
  if (leaked > 0) throw new Error(`pinn workload leaked ${leaked} tensors`);
  if (!ref) return '';
  const a = t.last.a.loss;
  const b = t.last.b.loss;
  return `same init.: loss after ${steps} steps PyTorch ${a.toExponential(4)}, paperlab ${b.toExponential(4)} (rel. diff ${relDiff(b, a).toExponential(1)}); paperlab: stacked forward-mode jets, one fused kernel per layer (plugin-physics' physics/jet-activation), PyTorch: nested reverse mode`;
}

/**
 * Packed 4-bit matmul (issue 12): x [batch, K] · W [K, N] with W packed 4-bit (per-channel scale and zero point),
 * paperlab's typed-array packed kernel against PyTorch's float32 mm of the dequantised W, and paperlab's own
 * float32 tfjs matMul of the same dequantised W against PyTorch as a second row.
 */
export async function packed4Workload({ s, pair, ref, tmp, clocked, rows }) {
  const batch = s['packed4.batch'];
  const k = s['packed4.k'];
  const n = s['packed4.n'];
  const reps = s['packed4.reps'];
  const rng = new Rng(51);
  const x = rng.uniforms(batch * k);
  const w = rng.normals(k * n, 0, 0.05);
  const packed = packWeights(w, k, n, 4, { symmetric: false });
  const wq = unpackWeights(packed);
  const files = {
    x: put(join(tmp, 'p4-x.f32'), x),
    w: put(join(tmp, 'p4-w.f32'), wq),
    out: join(tmp, 'p4-out.f32'),
  };
  const floatBytes = k * n * 4;
  const packedBytes = packedByteLength(packed);
  const xt = tf.tensor2d(x, [batch, k]);
  const wt = tf.tensor2d(wq, [k, n]);
  const pt = packedTensors(packed);
  const outs = {};
  const timed = (name, product) => () =>
    clocked(() => {
      for (let r = 0; r < reps; r++) {
        const y = product();
        const v = y.dataSync();
        if (r === reps - 1) outs[name] = v.slice();
        y.dispose();
      }
      return {};
    }).then((c) => ({ ...c, ms: c.ms / reps, cpuMs: c.cpuMs / reps }));
  const torch = () => ref.call({ op: 'packed4', batch, k, n, reps, ...files, threads: 1 });
  const before = tf.memory().numTensors;
  const label = `${batch}×${k} · ${k}×${n} (ms per product)`;
  await pair(
    `matmul with packed 4-bit weights ${label}: paperlab packed kernel (typed arrays, ${packedBytes} B of weights) vs PyTorch float32 mm of the dequantised W (${floatBytes} B)`,
    1,
    s['packed4.samples'],
    1,
    torch,
    timed('packed', () =>
      runKernel(packedMatmulKernel, { x: xt, ...pt }, { bits: 4, rows: k }, { impl: 'cpu' }),
    ),
    { kind: 'packed4' },
  );
  const packedRow = rows.at(-1);
  await pair(
    `float32 matmul of the dequantised W ${label}: paperlab tfjs matMul (${floatBytes} B of weights) vs PyTorch`,
    1,
    s['packed4.samples'],
    1,
    torch,
    timed('float', () => tf.matMul(xt, wt)),
    { kind: 'packed4' },
  );
  const floatRow = rows.at(-1);
  tf.dispose([xt, wt, pt.groups, pt.scale, pt.zero]);
  const leaked = tf.memory().numTensors - before;
  if (leaked > 0) throw new Error(`packed4 workload leaked ${leaked} tensors`);
  const bytes = `weights ${packedBytes} B packed vs ${floatBytes} B float32 (${(floatBytes / packedBytes).toFixed(1)}× smaller)`;
  if (!ref) {
    packedRow.check = bytes;
    return;
  }
  const theirs = new Float32Array(readFileSync(files.out).buffer.slice(0));
  const worst = (ours) => {
    let m = 0;
    let scale = 0;
    for (let i = 0; i < theirs.length; i++) {
      m = Math.max(m, Math.abs(ours[i] - theirs[i]));
      scale = Math.max(scale, Math.abs(theirs[i]));
    }
    return (m / scale).toExponential(1);
  };
  packedRow.check = `${bytes}; max abs. diff to PyTorch ${worst(outs.packed)} of max abs. output`;
  floatRow.check = `max abs. diff to PyTorch ${worst(outs.float)} of max abs. output`;
}

/**
 * 16-view CNN (issue 14): one epoch of plugin-astro's MultiViewNet (Dieleman et al.'s 16 rotated/flipped views
 * through a shared conv trunk, concatenated into a dense head, sigmoid outputs, MSE on simulated vote
 * fractions) on synthesized galaxies, against the same network in PyTorch with the views cut in torch (the
 * same bilinear taps, gathered per batch inside the epoch).
 */
export async function views16Workload({ s, pair, ref, tmp, clocked }) {
  const n = s['views16.n'];
  const size = s['views16.size'];
  const bs = s['views16.batch'];
  const filters = list(s['views16.filters']);
  const dense = s['views16.dense'];
  const lr = 2e-3;
  const view = Math.round((size * 45) / 69);
  const margin = Math.max(1, Math.round((view * 10) / 45));
  const rng = new Rng(61);
  const { params, images } = galaxyImages(rng.split('images'), n, { size });
  const votes = volunteerVotes(params.truth, rng.split('votes'), { volunteers: 40 });
  const taps = viewTaps(size, view, margin);
  const files = {
    images: put(join(tmp, 'v16-x.f32'), images),
    votes: put(join(tmp, 'v16-y.f32'), votes),
    tapIndex: put(join(tmp, 'v16-ti.i32'), taps.index),
    tapWeight: put(join(tmp, 'v16-tw.f32'), taps.weight),
  };
  const trunk = filters.flatMap((f) => [
    { type: 'conv2d', filters: f, kernel: 3, activation: 'relu' },
    { type: 'maxPool', size: 2 },
  ]);
  const head = [
    { type: 'dense', units: dense, activation: 'relu' },
    { type: 'dense', units: GZ_OUTPUTS, activation: 'sigmoid', init: 'glorot' },
  ];
  const data = { x: images, y: votes, n, shape: [size, size, 1], targetShape: [GZ_OUTPUTS] };
  const warmN = Math.min(n, 2 * bs);
  const warmData = {
    ...data,
    n: warmN,
    x: images.subarray(0, warmN * size * size),
    y: votes.subarray(0, warmN * GZ_OUTPUTS),
  };
  const ours = async (warm) => {
    const net = MultiViewNet.build(trunk, head, { view, margin }, 1, new Rng(62));
    const epoch = { data: warm ? warmData : data, loss: 'mse', lr, batchSize: bs, order: new Rng(63) };
    return adamEpoch(clocked, 'views16', net, epoch);
  };
  const t = await pair(
    `16-view CNN epoch (MultiViewNet: ${view}-px views of ${size}-px galaxies, trunk ${filters.map((f) => `conv${f}-pool`).join('-')}, head dense${dense}-${GZ_OUTPUTS} sigmoid), MSE, Adam, batch ${bs}, ${n} images`,
    1,
    s['views16.samples'],
    1,
    (w) =>
      ref.call({
        op: 'views16',
        n: w ? warmN : n,
        size,
        view,
        batch: bs,
        filters,
        dense,
        outputs: GZ_OUTPUTS,
        lr,
        ...files,
        threads: 1,
      }),
    ours,
    { kind: 'views16' },
  );
  if (!ref) return '';
  return `mean batch loss PyTorch ${t.last.a.loss.toFixed(4)}, paperlab ${t.last.b.loss.toFixed(4)} (own inits.; views: same bilinear taps)`;
}

const list = (v) =>
  String(v)
    .split(/[,;/ ]/)
    .map(Number)
    .filter((x) => x > 0);

/**
 * GAT (issue 11, optional): full-batch Adam epochs of a 2-layer GAT (heads × perHead concatenated, ELU, then
 * one averaged head) on the same Cora-sized graph: plugin-gnn's GatConv (gather, segment softmax, segment
 * sum) vs PyTorch index ops (index_select, scatter_reduce amax, index_add_); the same initial weights.
 */
export async function gatWorkload({ s, pair, ref, tmp, clocked }) {
  const perStep = perStepOf(clocked);
  const nodes = s['gcn.nodes'];
  const features = s['gcn.features'];
  const classes = 7;
  const heads = s['gat.heads'];
  const hidden = s['gat.hidden'];
  const epochs = s['gat.epochs'];
  const graph = coraLike(new Rng(31), { nodes, edges: s['gcn.edges'], features, classes });
  const { g, x, y, mask } = graph;
  const rng = new Rng(34);
  const l1 = new GatConv(rng.split('l1'), features, hidden, heads);
  const l2 = new GatConv(rng.split('l2'), heads * hidden, classes, 1, { concat: false });
  const vars = [...l1.variables(), ...l2.variables()];
  const init = vars.map((v) => v.dataSync().slice());
  const flat = new Float32Array(init.reduce((a, w) => a + w.length, 0));
  let off = 0;
  for (const w of init) {
    flat.set(w, off);
    off += w.length;
  }
  const files = { ...graphFiles(tmp, 'gat', graph), weights: put(join(tmp, 'gat-w.f32'), flat) };
  const gt = graphTensors(g);
  const xt = tf.tensor2d(x, [nodes, features]);
  const train = trainLoss(y, mask);
  const ours = graphEpochs(perStep, vars, init, s['gcn.lr'], epochs, () =>
    train.loss(l2.apply(gt, tf.elu(l1.apply(gt, xt)))),
  );
  await ours(true); // builds the self-looped graph's device structures before counting
  const before = tf.memory().numTensors;
  const t = await graphPair(
    pair,
    ref,
    `GAT ${epochs} full-batch Adam epochs (ms per epoch), same graph, ${features}-${heads}×${hidden}-${classes} (ELU, ${heads} heads concatenated, 1 output head)`,
    s['gat.samples'],
    {
      op: 'gat',
      nodes,
      edges: g.src.length,
      features,
      heads,
      hidden,
      classes,
      epochs,
      lr: s['gcn.lr'],
      ...files,
    },
    ours,
  );
  return graphCheck('gat', before, [xt, train, l1, l2, gt], t, ref, epochs);
}
