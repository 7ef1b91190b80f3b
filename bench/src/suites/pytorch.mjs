// paperlab against PyTorch on the same machine: the same workloads in PyTorch (Debian's python3-torch on
// OpenBLAS, run by bench/pytorch/reference.py) and in paperlab (tfjs-wasm with paperlab's kernels), sample by
// sample in alternation (A B, then B A) so both see the same machine load, with each side's thread count set
// to the same value. Reported as paperlab time / PyTorch time (> 1: paperlab is slower).
//
//   MLP epoch  784-256-10, Adam 1e-3, batch 128, real Fashion-MNIST (first n training images)
//   CNN epoch  conv16-pool-conv32-pool-dense10 (3×3 'same', ReLU, 2×2 max-pool), Adam, batch 64
//   NTK Gram   analytic ReLU NNGP + NTK, depth 5, N×N from N inputs of dimension d: numpy float64 recursion
//              over the full N×N against stax.kernelMatrix; agreement checked on the first rows
//   quantum    batch of 256 circuits, RY encoding + 4 layers of RY and a CNOT ring, value and gradient of
//              Σ_b ⟨Z₀⟩_b with respect to the 4n parameters: PyTorch autograd vs paperlab's adjoint method
//   matmul     1024² float32
//   gcn        (issue 11) full-batch Adam epochs of a 2-layer GCN (plugin-gnn GcnConv, CSR SpMM) on a generated
//              Cora-sized graph vs torch.sparse.mm; the same initial weights, loss agreement checked
//   gat        (issue 11) the same for a 2-layer GAT (plugin-gnn GatConv) vs PyTorch index ops (scatter softmax)
//   pinn       (issue 13) Adam steps of a tanh-MLP PINN on the steady 2-D Navier–Stokes residual: plugin-physics'
//              forward-mode jets vs PyTorch's nested autograd (create_graph=True); same init., loss checked
//   packed4    (issue 12) x·W with W packed 4-bit (plugin-compression's typed-array kernel) and paperlab's float32
//              tfjs matMul, each against PyTorch's float32 mm of the dequantised W; bytes and outputs compared
//   kdv, cavity, kan, spmm  (issues 11, 13) plugin-physics' KdV and cavity solvers vs numpy, its KAN vs a PyTorch
//              B-spline KAN, plugin-gnn's CSR SpMM vs torch.sparse.mm (bench/src/suites/pytorchSolvers.mjs)
//   views16    (issue 14) one epoch of plugin-astro's MultiViewNet (16 views) on synthesized galaxies vs the same
//              network in PyTorch with the views cut in torch from the same bilinear taps
//
// Sizes: `--set key=value` (see DEFAULTS), `--quick` for a short run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Rng } from '@paperlab/core';
import { loadIdxImages } from '@paperlab/core/data';
import { nodeDataSources } from '@paperlab/core/node';
import { Sequential } from '@paperlab/core/train';
import { stax } from '@paperlab/plugin-ntk';
import { adjointVjp, Circuit, compileObservables, hostAngles, Z } from '@paperlab/plugin-quantum';
import * as tf from '@tensorflow/tfjs-core';
import { clocked, timingOf } from '../harness.mjs';
import { CNN, MLP, useWasm } from '../models.mjs';
import { ensureDebianPackages } from '../system.mjs';
import {
  adamEpoch,
  gatWorkload,
  gcnWorkload,
  packed4Workload,
  pinnWorkload,
  views16Workload,
} from './pytorchPlugins.mjs';
import { cavityWorkload, kanWorkload, kdvWorkload, spmmWorkload } from './pytorchSolvers.mjs';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'pytorch', 'reference.py');
const DATA_DIR = '/usr/share/datasets';
const PACKAGES = ['python3-torch', 'libopenblas0-pthread', 'python3-threadpoolctl', 'dataset-fashion-mnist'];

/** Workload sizes: full run, and `--quick`. Any key can be overridden with `--set key=value`. */
const DEFAULTS = {
  full: {
    workloads: 'matmul,mlp,cnn,ntk,quantum,gcn,gat,pinn,packed4,views16,kdv,cavity,kan,spmm',
    threads: '1,2',
    'matmul.n': 1024,
    'mlp.n': 60_000,
    'mlp.batch': 128,
    'mlp.samples': 3,
    'cnn.n': 10_000,
    'cnn.batch': 64,
    'cnn.samples': 3,
    'ntk.n': 4096,
    'ntk.d': 784,
    'ntk.depth': 5,
    'ntk.samples': 2,
    'ntk.checkRows': 64,
    'quantum.qubits': '4,6,8,10',
    'quantum.batch': 256,
    'quantum.layers': 4,
    'quantum.samples': 7,
    'gcn.nodes': 2708,
    'gcn.edges': 5278,
    'gcn.features': 1433,
    'gcn.hidden': 16,
    'gcn.lr': 0.01,
    'gcn.epochs': 50,
    'gcn.samples': 9,
    'gat.heads': 8,
    'gat.hidden': 8,
    'gat.epochs': 20,
    'gat.samples': 7,
    'pinn.width': 50,
    'pinn.depth': 4,
    'pinn.points': 4096,
    'pinn.steps': 5,
    'pinn.lr': 1e-3,
    'pinn.samples': 9,
    'packed4.batch': 256,
    'packed4.k': 784,
    'packed4.n': 256,
    'packed4.reps': 20,
    'packed4.samples': 7,
    'views16.n': 256,
    'views16.size': 64,
    'views16.batch': 32,
    'views16.filters': '8,16',
    'views16.dense': 64,
    'views16.samples': 3,
    'kdv.n': '256,512',
    'kdv.samples': 3,
    'cavity.n': '64,128',
    'cavity.samples': 2,
    'kan.widths': '8,64,64,1',
    'kan.batch': 1024,
    'kan.grid': 5,
    'kan.reps': 10,
    'kan.samples': 5,
    'spmm.f': '16,64,256',
    'spmm.rmatScale': 15,
    'spmm.rmatEdgeFactor': 8,
    'spmm.rmatF': '64',
    'spmm.flops': 4e7,
    'spmm.samples': 5,
  },
  quick: {
    workloads: 'matmul,mlp,cnn,ntk,quantum,gcn,gat,pinn,packed4,views16,kdv,cavity,kan,spmm',
    threads: '1,2',
    'matmul.n': 512,
    'mlp.n': 10_000,
    'mlp.batch': 128,
    'mlp.samples': 1,
    'cnn.n': 1024,
    'cnn.batch': 64,
    'cnn.samples': 1,
    'ntk.n': 1024,
    'ntk.d': 784,
    'ntk.depth': 5,
    'ntk.samples': 1,
    'ntk.checkRows': 16,
    'quantum.qubits': '4,10',
    'quantum.batch': 256,
    'quantum.layers': 4,
    'quantum.samples': 3,
    'gcn.nodes': 2708,
    'gcn.edges': 5278,
    'gcn.features': 1433,
    'gcn.hidden': 16,
    'gcn.lr': 0.01,
    'gcn.epochs': 10,
    'gcn.samples': 2,
    'gat.heads': 8,
    'gat.hidden': 8,
    'gat.epochs': 5,
    'gat.samples': 2,
    'pinn.width': 50,
    'pinn.depth': 4,
    'pinn.points': 1024,
    'pinn.steps': 2,
    'pinn.lr': 1e-3,
    'pinn.samples': 2,
    'packed4.batch': 256,
    'packed4.k': 784,
    'packed4.n': 256,
    'packed4.reps': 5,
    'packed4.samples': 2,
    'views16.n': 64,
    'views16.size': 64,
    'views16.batch': 32,
    'views16.filters': '8,16',
    'views16.dense': 64,
    'views16.samples': 1,
    'kdv.n': '256',
    'kdv.samples': 1,
    'cavity.n': '64',
    'cavity.samples': 1,
    'kan.widths': '8,64,64,1',
    'kan.batch': 256,
    'kan.grid': 5,
    'kan.reps': 3,
    'kan.samples': 1,
    'spmm.f': '16,64',
    'spmm.rmatScale': 13,
    'spmm.rmatEdgeFactor': 8,
    'spmm.rmatF': '64',
    'spmm.flops': 1e7,
    'spmm.samples': 1,
  },
};

/** Targets of issue 10 (paperlab / PyTorch at one thread each). */
const TARGETS = { mlp: 1.5, cnn: 2.0, ntk: 1.0, quantum: 1.0, gcn: 2.0, pinn: 2.0 };

/** The pytorch suite's sizes (full run and `--quick`), for `--help`. */
export const PYTORCH_SIZES = DEFAULTS;

function log(msg) {
  process.stderr.write(`[pytorch] ${msg}\n`);
}

function sizes(options) {
  const base = options.quick ? DEFAULTS.quick : DEFAULTS.full;
  const out = { ...base };
  for (const [k, v] of Object.entries(options.set ?? {})) {
    if (!(k in base))
      throw new Error(`pytorch suite: unknown size '${k}' (known: ${Object.keys(base).join(', ')})`);
    out[k] = typeof base[k] === 'number' ? Number(v) : v;
    if (typeof base[k] === 'number' && !(Number.isFinite(out[k]) && out[k] > 0))
      throw new Error(`pytorch suite: --set ${k}=${v} must be a positive number`);
  }
  return out;
}

const list = (s) =>
  String(s)
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The reference process: JSON lines in and out; `describe` is its first line. */
async function startReference() {
  const env = { ...process.env };
  // Tuning overrides meant for other processes on these machines; the reference runs OpenBLAS's own choice.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  // libgomp's default busy-waiting made PyTorch's 2-thread epochs 3× slower again on this shared 2-core
  // machine (its OpenMP threads spin while OpenBLAS' threads need the cores); sleeping waits are its better
  // setting here, so the comparison uses them (a value set by the caller wins).
  env.OMP_WAIT_POLICY ??= 'PASSIVE';
  const child = spawn(PYTHON, [SCRIPT], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  let failure = null;
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  const fail = (err) => {
    failure = err;
    for (const w of waiting.splice(0)) w.reject(err);
  };
  child.on('error', fail);
  child.on('exit', (code) => fail(new Error(`${PYTHON} ${SCRIPT} exited with code ${code}`)));
  const next = () =>
    new Promise((resolve, reject) => {
      if (failure) reject(failure);
      else waiting.push({ resolve, reject });
    });
  const describe = JSON.parse(await next());
  return {
    describe,
    async call(request) {
      const reply = next();
      child.stdin.write(`${JSON.stringify(request)}\n`);
      const out = JSON.parse(await reply);
      if (out.error) throw new Error(`PyTorch ${request.op}: ${out.error}`);
      return out;
    },
    close() {
      child.removeAllListeners('exit');
      child.stdin.end();
      child.kill();
    },
  };
}

/**
 * Runs `a` and `b` in alternation (A B, B A, …); each returns its own measured wall ms and process CPU ms
 * (`cpuMs`, all threads): on a shared machine the CPU time is what the work cost, the wall time what it took.
 */
async function alternate(samples, warmup, a, b) {
  const out = { a: [], b: [], aCpu: [], bCpu: [], last: { a: null, b: null } };
  for (let r = 0; r < warmup + samples; r++) {
    const order = r % 2 ? ['b', 'a'] : ['a', 'b'];
    for (const side of order) {
      const res = await (side === 'a' ? a : b)(r < warmup);
      if (r >= warmup) {
        out[side].push(res.ms);
        out[`${side}Cpu`].push(res.cpuMs ?? Number.NaN);
      }
      out.last[side] = res;
    }
  }
  return out;
}

async function useThreads(threads) {
  const setup = await useWasm(threads);
  if (setup.threads !== threads)
    throw new Error(`asked for ${threads} wasm threads, got ${setup.threads} (${setup.fallbackReason})`);
  return setup;
}

/** One epoch of paperlab's `fit` with Adam on a fresh model; ms of the epoch only. */
async function paperlabEpoch(spec, data, batchSize, seed) {
  const model = Sequential.build(spec, data.shape, new Rng(seed));
  const epoch = { data, loss: 'softmax-ce', lr: 1e-3, batchSize, order: new Rng(seed) };
  return adamEpoch(clocked, 'paperlab', model, epoch);
}

function head(data, n) {
  const size = data.shape.reduce((a, b) => a * b, 1);
  return { ...data, n, x: data.x.subarray(0, n * size), y: data.y.subarray(0, n) };
}

/** Hardware-efficient circuit: RY(input) on every qubit, then `layers` × (RY(param) on every qubit, CNOT ring). */
function quantumCircuit(n, layers) {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(q, c.input(q));
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) c.ry(q, c.param());
    for (let q = 0; q < n; q++) c.cnot(q, (q + 1) % n);
  }
  return c.compile();
}

/** The scheduler priority of this session's autogroup (Linux), e.g. ' nice -15', or '' where unknown. */
function autogroupNice() {
  try {
    const m = readFileSync('/proc/self/autogroup', 'utf8').match(/nice (-?\d+)/);
    return m && m[1] !== '0' ? m[1] : '';
  } catch {
    return '';
  }
}

const fmtMs = (t) =>
  t.median >= 100
    ? `${t.median.toFixed(0)} (${t.q1.toFixed(0)}–${t.q3.toFixed(0)})`
    : `${t.median.toFixed(1)} (${t.q1.toFixed(1)}–${t.q3.toFixed(1)})`;

/** @param {{ options?: { quick?: boolean, set?: Record<string, string> } }} env */
export async function pytorchSuite(env) {
  const s = sizes(env.options ?? {});
  const loadBefore = loadavg()[0];
  const workloads = new Set(list(s.workloads));
  const threadCounts = list(s.threads).map(Number);
  const notes = [];
  const { note } = ensureDebianPackages(PACKAGES, log);
  if (note) notes.push(note);
  let ref = null;
  if (!existsSync(PYTHON)) notes.push(`${PYTHON} not found: PyTorch side skipped`);
  else {
    try {
      ref = await startReference();
    } catch (err) {
      notes.push(`PyTorch reference did not start (${String(err.message ?? err).slice(0, 160)}): skipped`);
    }
  }
  for (const n of notes) log(n);
  const d = ref?.describe;
  if (d && !d.openblas)
    notes.push('threadpoolctl does not see OpenBLAS: the PyTorch/numpy figures use another BLAS');
  const rows = [];
  const add = (row) => {
    rows.push(row);
    const r =
      row.ratio === undefined ? '' : ` → ${row.ratio.toFixed(2)}× (CPU time ${row.cpuRatio.toFixed(2)}×)`;
    log(
      `${row.workload} · ${row.threads} thread(s): PyTorch ${row.torch ? fmtMs(row.torch) : '—'} ms, paperlab ${row.ours ? fmtMs(row.ours) : '—'} ms${r}`,
    );
  };
  const pair = async (workload, threads, samples, warmup, torchFn, oursFn, extra = {}) => {
    if (!ref) {
      const t = await alternate(samples, warmup, oursFn, oursFn);
      add({ workload, threads, ours: timingOf([...t.a, ...t.b]), ...extra });
      return t;
    }
    const t = await alternate(samples, warmup, torchFn, oursFn);
    const torch = timingOf(t.a);
    const ours = timingOf(t.b);
    const cpuRatio = timingOf(t.bCpu).median / timingOf(t.aCpu).median;
    add({
      workload,
      threads,
      torch,
      ours,
      ratio: ours.median / torch.median,
      cpuRatio,
      ...extra,
      last: t.last,
    });
    return t;
  };

  const needData = workloads.has('mlp') || workloads.has('cnn');
  const images = needData
    ? await loadIdxImages(nodeDataSources({ dataDir: DATA_DIR }), 'fashion-mnist', {
        trainLimit: Math.max(workloads.has('mlp') ? s['mlp.n'] : 0, workloads.has('cnn') ? s['cnn.n'] : 0),
      }).then((r) => r.train)
    : null;
  const flat = images ? { ...images, shape: [784] } : null;

  for (const threads of threadCounts) {
    await useThreads(threads);
    if (workloads.has('matmul')) {
      const n = s['matmul.n'];
      const a = tf.tensor2d(new Rng(3).uniforms(n * n), [n, n]);
      const reps = 5;
      await pair(
        `matmul ${n}² float32 (ms per product)`,
        threads,
        5,
        1,
        () => ref.call({ op: 'matmul', n, reps, threads }),
        async () => {
          const r = await clocked(() => {
            for (let i = 0; i < reps; i++) {
              const p = tf.matMul(a, a);
              p.dataSync();
              p.dispose();
            }
            return {};
          });
          return { ms: r.ms / reps, cpuMs: r.cpuMs / reps };
        },
      );
      a.dispose();
    }
    const epochs = [
      { kind: 'mlp', title: 'MLP epoch 784-256-10', spec: MLP, pool: flat, warmMax: 4096 },
      {
        kind: 'cnn',
        title: 'CNN epoch conv16-pool-conv32-pool-dense10',
        spec: CNN,
        pool: images,
        warmMax: 512,
      },
    ];
    for (const { kind, title, spec, pool, warmMax } of epochs) {
      if (!workloads.has(kind)) continue;
      const n = s[`${kind}.n`];
      const bs = s[`${kind}.batch`];
      const warm = Math.min(n, warmMax);
      const data = head(pool, n);
      const warmData = head(pool, warm);
      const t = await pair(
        `${title}, Adam, batch ${bs}, ${n} Fashion-MNIST`,
        threads,
        s[`${kind}.samples`],
        1,
        (w) => ref.call({ op: kind, data: `${DATA_DIR}/fashion-mnist`, n: w ? warm : n, batch: bs, threads }),
        (w) => paperlabEpoch(spec, w ? warmData : data, bs, 1),
        { kind },
      );
      rows.at(-1).check = lossCheck(t.last);
    }
  }
  await useThreads(1);

  const tmp = mkdtempSync(join(tmpdir(), 'paperlab-bench-'));
  try {
    if (workloads.has('ntk')) {
      const n = s['ntk.n'];
      const dim = s['ntk.d'];
      const depth = s['ntk.depth'];
      const checkRows = Math.min(n, s['ntk.checkRows']);
      const X = new Float64Array(new Rng(11).normals(n * dim));
      const input = join(tmp, 'ntk-x.f64');
      const output = join(tmp, 'ntk-ref.f64');
      writeFileSync(input, new Uint8Array(X.buffer));
      const net = stax.serial(
        ...Array.from({ length: depth - 1 }, () => [
          stax.dense(512, { sigmaW2: 2, sigmaB2: 0.05 }),
          stax.relu(),
        ]).flat(),
        stax.dense(1, { sigmaW2: 2, sigmaB2: 0.05 }),
      );
      let last = null;
      const t = await pair(
        `ReLU NNGP+NTK Gram, depth ${depth}, N = ${n}, d = ${dim} (N×N out; numpy computes all N², stax the lower triangle)`,
        1,
        s['ntk.samples'],
        0,
        () => ref.call({ op: 'ntk', n, d: dim, depth, input, output, checkRows, threads: 1 }),
        () =>
          clocked(async () => {
            last = await stax.kernelMatrix(net, { values: X, shape: [n, dim] });
            return {};
          }),
        { kind: 'ntk' },
      );
      if (ref && last) {
        const refVals = new Float64Array(readFileSync(output).buffer.slice(0));
        let worst = 0;
        const m = checkRows * n;
        for (const [k, arr] of [
          [0, last.nngp],
          [1, last.ntk],
        ])
          for (let i = 0; i < m; i++) {
            const r = refVals[k * m + i];
            worst = Math.max(worst, Math.abs(arr[i] - r) / Math.max(Math.abs(r), 1e-12));
          }
        rows.at(-1).check =
          `max rel. diff ${worst.toExponential(1)} on ${checkRows} rows (${worst <= 1e-6 ? 'within' : 'outside'} 1e-6)`;
      }
      void t;
    }
    if (workloads.has('quantum')) {
      const batch = s['quantum.batch'];
      const layers = s['quantum.layers'];
      for (const nq of list(s['quantum.qubits']).map(Number)) {
        const compiled = quantumCircuit(nq, layers);
        const rng = new Rng(20 + nq);
        const inputs = Float64Array.from(rng.uniforms(batch * nq, -1, 1));
        const params = Float64Array.from(rng.uniforms(layers * nq, 0, 6));
        const fi = join(tmp, `q${nq}-inputs.f64`);
        const fp = join(tmp, `q${nq}-params.f64`);
        writeFileSync(fi, new Uint8Array(inputs.buffer));
        writeFileSync(fp, new Uint8Array(params.buffer));
        const obs = compileObservables(nq, [Z(0)]);
        const dy = new Float64Array(batch).fill(1);
        const G = compiled.slots.length;
        const ours = () =>
          clocked(() => {
            const angles = hostAngles(compiled, params, inputs, batch);
            const r = adjointVjp(compiled, angles, batch, obs, dy);
            const grad = new Float64Array(compiled.numParams);
            let value = 0;
            for (let b = 0; b < batch; b++) {
              value += r.values[b];
              for (let g = 0; g < G; g++) {
                const slot = compiled.slots[g];
                if (slot.source === 'param') grad[slot.index] += slot.scale * r.grad[b * G + g];
              }
            }
            return { value, grad };
          });
        const t = await pair(
          `quantum batch ${batch}, n = ${nq}, RY enc. + ${layers}×(RY, CNOT ring), value + grad of Σ⟨Z₀⟩`,
          1,
          s['quantum.samples'],
          2,
          () => ref.call({ op: 'quantum', qubits: nq, batch, layers, inputs: fi, params: fp, threads: 1 }),
          ours,
          { kind: 'quantum' },
        );
        if (ref) {
          const a = t.last.a;
          const b = t.last.b;
          let worst = Math.abs(a.value - b.value) / Math.max(1, Math.abs(a.value));
          const scale = Math.max(1, ...a.grad.map(Math.abs));
          for (let i = 0; i < a.grad.length; i++)
            worst = Math.max(worst, Math.abs(a.grad[i] - b.grad[i]) / scale);
          rows.at(-1).check = `value and gradient agree to ${worst.toExponential(1)} (float32 angles)`;
        }
      }
    }
    const ctx = { s, pair, ref, tmp, clocked, rows };
    for (const [kind, run] of [
      ['gcn', gcnWorkload],
      ['gat', gatWorkload],
      ['pinn', pinnWorkload],
      ['views16', views16Workload],
    ]) {
      if (!workloads.has(kind)) continue;
      const check = await run(ctx);
      rows.at(-1).check = check;
    }
    if (workloads.has('packed4')) await packed4Workload(ctx);
    for (const [kind, run] of [
      ['kdv', kdvWorkload],
      ['cavity', cavityWorkload],
      ['kan', kanWorkload],
      ['spmm', spmmWorkload],
    ])
      if (workloads.has(kind)) await run(ctx);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    ref?.close();
  }

  const lines = [];
  if (d)
    lines.push(
      `PyTorch ${d.torch} and numpy ${d.numpy} (Python ${d.python}, Debian), BLAS: ${d.blas
        .map((b) => `${b.internal_api} ${b.version} (${b.architecture}, ${b.threading_layer})`)
        .join(', ')}, confirmed by threadpoolctl; \`OPENBLAS_CORETYPE\`/\`OPENBLAS_L2_SIZE\` unset and ` +
        `\`OMP_WAIT_POLICY=${d.env.OMP_WAIT_POLICY ?? 'unset'}\` for that process. ` +
        `paperlab: tfjs-wasm ${tf.version_core} with paperlab's kernels (threads > 1: tfjs' threaded SIMD build). ` +
        `Each pair alternates A/B sample by sample in one run; both sides use the same thread count. ` +
        `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, shared with other work${
          autogroupNice() ? ` (this run's session at scheduler priority nice ${autogroupNice()})` : ''
        }: 1-minute load average ` +
        `${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (wall times stretch with the load; the ` +
        'CPU-time ratio compares the process CPU time of the same regions, all threads).' +
        `${env.options?.quick ? ' **Quick run (reduced sizes).**' : ''}`,
    );
  for (const n of notes) lines.push(`Note: ${n}.`);
  lines.push('');
  lines.push(
    '| workload | threads | PyTorch ms, median (IQR) | paperlab ms, median (IQR) | paperlab / PyTorch | CPU-time ratio | target (wall, 1 thread) | check |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const target = TARGETS[r.kind] && r.threads === 1 ? TARGETS[r.kind] : null;
    const met = target && r.ratio !== undefined ? (r.ratio <= target ? ' ✓ met' : ' ✗ not met') : '';
    lines.push(
      `| ${r.workload} | ${r.threads} | ${r.torch ? fmtMs(r.torch) : '—'} | ${r.ours ? fmtMs(r.ours) : '—'} | ${r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`} | ${r.cpuRatio === undefined || Number.isNaN(r.cpuRatio) ? '—' : `${r.cpuRatio.toFixed(2)}×`} | ${target ? `≤ ${target}×${met}` : '—'} | ${r.check ?? ''} |`,
    );
  }
  return { rows, markdown: lines.join('\n') };
}

function lossCheck(last) {
  if (!last?.a || !last?.b || last.a.loss === undefined) return '';
  return `mean batch loss PyTorch ${last.a.loss.toFixed(3)}, paperlab ${last.b.loss.toFixed(3)}`;
}
