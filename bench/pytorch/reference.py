#!/usr/bin/python3
"""PyTorch / numpy reference workloads for paperlab's `pytorch` bench suite.

Run by bench/src/suites/pytorch.mjs with Debian's /usr/bin/python3 (python3-torch, libopenblas0-pthread,
python3-threadpoolctl). Protocol: one JSON request per line on stdin, one JSON reply per line on stdout
(logs go to stderr). The first reply describes the environment (versions, BLAS as threadpoolctl sees it).

Requests: {"op": "mlp"|"cnn"|"ntk"|"quantum"|"matmul"|"gcn"|"pinn"|…, "threads": t, ...sizes}. Every reply carries "ms",
the wall time of the timed region only (data loading, imports and model construction are outside it), and
"cpuMs", the process CPU time of the same region (all threads).
"""

import gzip
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_info, threadpool_limits

from solvers import OPS as SOLVER_OPS


def log(msg):
    sys.stderr.write(f"[reference.py] {msg}\n")
    sys.stderr.flush()


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


_DATA = {}


def fashion(root, n):
    """The first n Fashion-MNIST training images in [0, 1] (float32) and their labels (int64)."""
    if root not in _DATA:
        x = read_idx(os.path.join(root, "train-images-idx3-ubyte.gz")).astype(np.float32) * np.float32(1 / 255)
        y = read_idx(os.path.join(root, "train-labels-idx1-ubyte.gz")).astype(np.int64)
        _DATA[root] = (x, y)
    x, y = _DATA[root]
    return torch.from_numpy(np.ascontiguousarray(x[:n])), torch.from_numpy(np.ascontiguousarray(y[:n]))


def train_epoch(model, x, y, batch, lr, seed):
    """One epoch of Adam on shuffled minibatches; the loss is read back at the end (CPU work is synchronous)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(x.shape[0], generator=g)
    total = torch.zeros(())
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(0, x.shape[0], batch):
        idx = perm[i : i + batch]
        xb, yb = x[idx], y[idx]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.detach()
    steps = math.ceil(x.shape[0] / batch)
    mean = float(total) / steps
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, mean, steps


def op_mlp(r):
    torch.manual_seed(r.get("seed", 1))
    x, y = fashion(r["data"], r["n"])
    x = x.reshape(x.shape[0], -1)
    h = r.get("hidden", 256)
    model = torch.nn.Sequential(torch.nn.Linear(784, h), torch.nn.ReLU(), torch.nn.Linear(h, 10))
    ms, cpu, loss, steps = train_epoch(model, x, y, r["batch"], r.get("lr", 1e-3), r.get("seed", 1))
    return {"ms": ms, "cpuMs": cpu, "loss": loss, "steps": steps}


def op_cnn(r):
    torch.manual_seed(r.get("seed", 1))
    x, y = fashion(r["data"], r["n"])
    x = x.reshape(x.shape[0], 1, 28, 28)
    c1, c2 = r.get("filters", [16, 32])
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, c1, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(c1, c2, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(c2 * 7 * 7, 10),
    )
    ms, cpu, loss, steps = train_epoch(model, x, y, r["batch"], r.get("lr", 1e-3), r.get("seed", 1))
    return {"ms": ms, "cpuMs": cpu, "loss": loss, "steps": steps}


def op_matmul(r):
    n = r["n"]
    g = torch.Generator().manual_seed(3)
    a = torch.rand((n, n), generator=g)
    torch.mm(a, a)
    reps = r.get("reps", 5)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(reps):
        torch.mm(a, a)
    return {"ms": (time.perf_counter() - t0) * 1000 / reps, "cpuMs": (time.process_time() - c0) * 1000 / reps}


def relu_ntk_gram(x, depth, sw2, sb2):
    """NNGP and NTK of a depth-`depth` ReLU network (depth dense layers, depth - 1 ReLUs), full N×N, float64.

    The same network as stax.serial(dense, relu, …, dense) with sigmaW2 = sw2, sigmaB2 = sb2 on every dense.
    """
    d = x.shape[1]
    k = x @ x.T * (sw2 / d) + sb2
    theta = k.copy()
    for _ in range(depth - 1):
        diag = np.sqrt(np.diag(k))
        norm = np.outer(diag, diag)
        cos = np.clip(k / norm, -1.0, 1.0)
        ang = np.arccos(cos)
        # Arc-cosine kernel of order 1 and its derivative (Cho & Saul), then the next dense layer.
        k = (norm * (np.sqrt(1.0 - cos * cos) + (math.pi - ang) * cos)) * (sw2 / (2 * math.pi)) + sb2
        theta = k + theta * ((math.pi - ang) * (sw2 / (2 * math.pi)))
    return k, theta


def op_ntk(r):
    n, d = r["n"], r["d"]
    x = np.fromfile(r["input"], dtype=np.float64, count=n * d).reshape(n, d)
    t0 = time.perf_counter()
    c0 = time.process_time()
    k, theta = relu_ntk_gram(x, r.get("depth", 5), r.get("sigmaW2", 2.0), r.get("sigmaB2", 0.05))
    ms = (time.perf_counter() - t0) * 1000
    cpu = (time.process_time() - c0) * 1000
    rows = r.get("checkRows", 0)
    if rows and r.get("output"):
        np.concatenate([k[:rows].ravel(), theta[:rows].ravel()]).astype(np.float64).tofile(r["output"])
    return {"ms": ms, "cpuMs": cpu, "entries": n * n}


def op_quantum(r):
    """Batched state vectors (float64; RY and CNOT keep amplitudes real), forward + autograd of Σ_b ⟨Z₀⟩_b.

    Wire 0 is the most significant bit, as in paperlab. Gates act on strided views (no index gathers), the
    fastest of the formulations tried (gathers with a permutation per CNOT and 2×2 matmuls were 2–3× slower).
    """
    nq, batch, layers = r["qubits"], r["batch"], r.get("layers", 4)
    inputs = torch.from_numpy(np.fromfile(r["inputs"], dtype=np.float64, count=batch * nq).reshape(batch, nq))
    params0 = np.fromfile(r["params"], dtype=np.float64, count=layers * nq)
    params = torch.tensor(params0.reshape(layers, nq), requires_grad=True)
    dim = 2**nq

    def ry(psi, q, c, s):
        p = psi.reshape(batch, 1 << q, 2, dim >> (q + 1))
        a, b = p[:, :, 0], p[:, :, 1]
        return torch.stack((c * a - s * b, s * a + c * b), 2).reshape(batch, dim)

    def cnot(psi, control, target):
        lo, hi = min(control, target), max(control, target)
        p = psi.reshape(batch, 1 << lo, 2, 1 << (hi - lo - 1), 2, dim >> (hi + 1))
        x0, x1 = p[:, :, 0], p[:, :, 1]  # split on the lower wire: [batch, L, M, 2, R] each
        if control < target:  # control is the lower wire: flip the target where it is 1
            return torch.stack((x0, x1.flip(3)), 2).reshape(batch, dim)
        n0 = torch.stack((x0[:, :, :, 0], x1[:, :, :, 1]), 3)
        n1 = torch.stack((x1[:, :, :, 0], x0[:, :, :, 1]), 3)
        return torch.stack((n0, n1), 2).reshape(batch, dim)

    def forward():
        psi = torch.zeros((batch, dim), dtype=torch.float64)
        psi[:, 0] = 1
        ci, si = torch.cos(inputs / 2), torch.sin(inputs / 2)
        for q in range(nq):
            psi = ry(psi, q, ci[:, q].reshape(batch, 1, 1), si[:, q].reshape(batch, 1, 1))
        cp, sp = torch.cos(params / 2), torch.sin(params / 2)
        for layer in range(layers):
            for q in range(nq):
                psi = ry(psi, q, cp[layer, q], sp[layer, q])
            for q in range(nq):
                psi = cnot(psi, q, (q + 1) % nq)
        p = (psi * psi).reshape(batch, 2, dim // 2)
        return p[:, 0].sum() - p[:, 1].sum()

    forward().backward()  # warm-up of the op dispatch
    params.grad = None
    t0 = time.perf_counter()
    c0 = time.process_time()
    value = forward()
    value.backward()
    grad = params.grad.detach().numpy().ravel().tolist()
    ms = (time.perf_counter() - t0) * 1000
    cpu = (time.process_time() - c0) * 1000
    return {"ms": ms, "cpuMs": cpu, "value": float(value), "grad": grad}


def adam_steps(params, init, lr, n, loss_fn):
    """n full-batch Adam steps of loss_fn() from the caller's initial weights (reset inside the timed region), as
    ms/cpuMs per step and the last loss; the twin of bench/src/suites/pytorchPlugins.mjs's adamSteps."""
    t0 = time.perf_counter()
    c0 = time.process_time()
    with torch.no_grad():
        for p, p0 in zip(params, init):
            p.copy_(p0)
    opt = torch.optim.Adam(params, lr=lr)
    for _ in range(n):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        opt.step()
    return {
        "ms": (time.perf_counter() - t0) * 1000 / n,
        "cpuMs": (time.process_time() - c0) * 1000 / n,
        "loss": float(loss),
    }


def op_gcn(r):
    """Full-batch Adam epochs of a 2-layer GCN (Kipf & Welling): Â and the binary features X sparse (torch.sparse.mm).

    Â = D̃^-1/2 (A + I) D̃^-1/2 from the edge list, built outside the timed region; weights from the caller's
    files (the same initial weights as paperlab), zero biases; loss: cross-entropy on the training mask.
    """
    n, m, f, h, c = r["nodes"], r["edges"], r["features"], r["hidden"], r["classes"]
    src = torch.from_numpy(np.fromfile(r["src"], dtype=np.int32, count=m).astype(np.int64))
    dst = torch.from_numpy(np.fromfile(r["dst"], dtype=np.int32, count=m).astype(np.int64))
    x = torch.from_numpy(np.fromfile(r["x"], dtype=np.float32, count=n * f).reshape(n, f)).to_sparse()
    y = torch.from_numpy(np.fromfile(r["y"], dtype=np.int32, count=n).astype(np.int64))
    mask = torch.from_numpy(np.fromfile(r["mask"], dtype=np.float32, count=n)) > 0
    w1_0 = torch.from_numpy(np.fromfile(r["w1"], dtype=np.float32, count=f * h).reshape(f, h))
    w2_0 = torch.from_numpy(np.fromfile(r["w2"], dtype=np.float32, count=h * c).reshape(h, c))
    loops = torch.arange(n)
    rows = torch.cat([dst, loops])  # row = destination: out_i = Σ_j Â_ij h_j over in-edges j → i
    cols = torch.cat([src, loops])
    deg = torch.zeros(n).index_add_(0, rows, torch.ones(rows.shape[0]))
    vals = deg[rows].rsqrt() * deg[cols].rsqrt()
    a_hat = torch.sparse_coo_tensor(torch.stack([rows, cols]), vals, (n, n)).coalesce()
    train = mask.nonzero().squeeze(1)
    w1 = w1_0.clone().requires_grad_(True)
    b1 = torch.zeros(h, requires_grad=True)
    w2 = w2_0.clone().requires_grad_(True)
    b2 = torch.zeros(c, requires_grad=True)
    params = [w1, b1, w2, b2]

    def loss_fn():
        hid = torch.relu(torch.sparse.mm(a_hat, torch.sparse.mm(x, w1)) + b1)
        out = torch.sparse.mm(a_hat, hid @ w2) + b2
        return F.cross_entropy(out[train], y[train])

    return adam_steps(params, [w1_0, torch.zeros(h), w2_0, torch.zeros(c)], r["lr"], r["epochs"], loss_fn)


def op_pinn(r):
    """Adam steps of a tanh-MLP PINN on the steady 2-D Navier–Stokes residual (u, v, p; ν = 1/Re), second
    derivatives by nested reverse mode (torch.autograd.grad with create_graph=True); weights from the caller."""
    sizes, n, re = r["sizes"], r["points"], r["re"]
    x0 = torch.from_numpy(np.fromfile(r["pointsFile"], dtype=np.float32, count=n * 2).reshape(n, 2))
    flat = torch.from_numpy(np.fromfile(r["weights"], dtype=np.float32))
    init, off = [], 0
    for fin, fout in zip(sizes[:-1], sizes[1:]):
        init.append(flat[off : off + fin * fout].reshape(fin, fout))
        off += fin * fout
        init.append(flat[off : off + fout])
        off += fout
    params = [p.clone().requires_grad_(True) for p in init]

    def net(z):
        for i in range(0, len(params), 2):
            z = z @ params[i] + params[i + 1]
            if i + 2 < len(params):
                z = torch.tanh(z)
        return z

    def grad(out, inp):
        return torch.autograd.grad(out.sum(), inp, create_graph=True)[0]

    nu = 1.0 / re

    def loss_fn():
        x = x0.clone().requires_grad_(True)
        out = net(x)
        u, v, p = out[:, 0:1], out[:, 1:2], out[:, 2:3]
        du, dv, dp = grad(u, x), grad(v, x), grad(p, x)
        ux, uy, vx, vy = du[:, 0:1], du[:, 1:2], dv[:, 0:1], dv[:, 1:2]
        uxx, uyy = grad(ux, x)[:, 0:1], grad(uy, x)[:, 1:2]
        vxx, vyy = grad(vx, x)[:, 0:1], grad(vy, x)[:, 1:2]
        mx = u * ux + v * uy + dp[:, 0:1] - nu * (uxx + uyy)
        my = u * vx + v * vy + dp[:, 1:2] - nu * (vxx + vyy)
        cont = ux + vy
        return (mx * mx).mean() + (my * my).mean() + (cont * cont).mean()

    return adam_steps(params, init, r["lr"], r["steps"], loss_fn)


def op_packed4(r):
    """float32 x @ W with W the dequantised 4-bit weights (PyTorch has no packed 4-bit CPU matmul); the last
    product is written to r["out"] for the caller's agreement check."""
    b, k, n, reps = r["batch"], r["k"], r["n"], r.get("reps", 20)
    x = torch.from_numpy(np.fromfile(r["x"], dtype=np.float32, count=b * k).reshape(b, k))
    w = torch.from_numpy(np.fromfile(r["w"], dtype=np.float32, count=k * n).reshape(k, n))
    torch.mm(x, w)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(reps):
        y = torch.mm(x, w)
    ms = (time.perf_counter() - t0) * 1000 / reps
    cpu = (time.process_time() - c0) * 1000 / reps
    y.numpy().astype(np.float32).tofile(r["out"])
    return {"ms": ms, "cpuMs": cpu}


def op_views16(r):
    """One epoch of Dieleman et al.'s 16-view CNN: per batch, the 16 rotated/flipped views are cut in torch from
    the caller's bilinear taps (gather + weighted sum), go through a shared conv trunk, and their features are
    concatenated into a dense head with sigmoid outputs; MSE against vote fractions, Adam."""
    torch.manual_seed(r.get("seed", 1))
    n, size, v, bs = r["n"], r["size"], r["view"], r["batch"]
    outputs, filters, dense = r["outputs"], r["filters"], r["dense"]
    x = torch.from_numpy(np.fromfile(r["images"], dtype=np.float32, count=n * size * size).reshape(n, size * size))
    y = torch.from_numpy(np.fromfile(r["votes"], dtype=np.float32, count=n * outputs).reshape(n, outputs))
    idx = torch.from_numpy(np.fromfile(r["tapIndex"], dtype=np.int32).astype(np.int64))
    wts = torch.from_numpy(np.fromfile(r["tapWeight"], dtype=np.float32))
    wts = torch.where(idx >= 0, wts, torch.zeros(()))
    idx = idx.clamp(min=0)
    layers, c, side = [], 1, v
    for f in filters:
        layers += [torch.nn.Conv2d(c, f, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
        c, side = f, side // 2
    trunk = torch.nn.Sequential(*layers, torch.nn.Flatten())
    head = torch.nn.Sequential(
        torch.nn.Linear(16 * c * side * side, dense),
        torch.nn.ReLU(),
        torch.nn.Linear(dense, outputs),
        torch.nn.Sigmoid(),
    )
    params = list(trunk.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=r["lr"])
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(r.get("seed", 1)))
    total = torch.zeros(())
    t0 = time.perf_counter()
    c0 = time.process_time()
    steps = 0
    for i in range(0, n, bs):
        b = perm[i : i + bs]
        views = (x[b][:, idx] * wts).reshape(b.shape[0] * 16, 1, v, v, 4).sum(-1)
        opt.zero_grad(set_to_none=True)
        feats = trunk(views).reshape(b.shape[0], -1)
        loss = F.mse_loss(head(feats), y[b])
        loss.backward()
        opt.step()
        total += loss.detach()
        steps += 1
    mean = float(total) / steps
    return {"ms": (time.perf_counter() - t0) * 1000, "cpuMs": (time.process_time() - c0) * 1000, "loss": mean}


def op_gat(r):
    """Full-batch Adam epochs of a 2-layer GAT (Veličković et al.) with index ops: per head, α_ij = softmax over
    the in-edges of i (self-loops added) of LeakyReLU(a_dst·Wh_i + a_src·Wh_j), output Σ_j α_ij Wh_j; heads
    concatenated + ELU, then one averaged output head. Weights from the caller (paperlab's GatConv order)."""
    n, m, f, heads, hid, c = r["nodes"], r["edges"], r["features"], r["heads"], r["hidden"], r["classes"]
    src = torch.from_numpy(np.fromfile(r["src"], dtype=np.int32, count=m).astype(np.int64))
    dst = torch.from_numpy(np.fromfile(r["dst"], dtype=np.int32, count=m).astype(np.int64))
    x = torch.from_numpy(np.fromfile(r["x"], dtype=np.float32, count=n * f).reshape(n, f))
    y = torch.from_numpy(np.fromfile(r["y"], dtype=np.int32, count=n).astype(np.int64))
    train = (torch.from_numpy(np.fromfile(r["mask"], dtype=np.float32, count=n)) > 0).nonzero().squeeze(1)
    loops = torch.arange(n)
    src, dst = torch.cat([src, loops]), torch.cat([dst, loops])
    warnings.filterwarnings("ignore", message="scatter_reduce")  # "in beta" notice of PyTorch 1.13
    flat = torch.from_numpy(np.fromfile(r["weights"], dtype=np.float32))
    shapes = [(f, heads * hid), (heads, hid), (heads, hid), (heads * hid,), (heads * hid, c), (1, c), (1, c), (c,)]
    init, off = [], 0
    for s in shapes:
        size = int(np.prod(s))
        init.append(flat[off : off + size].reshape(s))
        off += size
    params = [p.clone().requires_grad_(True) for p in init]

    def layer(h, w, a_src, a_dst, bias, nh, per, concat):
        z = (h @ w).reshape(n, nh, per)
        s_src = (z * a_src).sum(-1)
        s_dst = (z * a_dst).sum(-1)
        e = F.leaky_relu(s_src[src] + s_dst[dst], 0.2)
        emax = torch.full((n, nh), -math.inf).scatter_reduce(0, dst[:, None].expand(-1, nh), e, "amax")
        ex = torch.exp(e - emax[dst].detach())
        den = torch.zeros(n, nh).index_add_(0, dst, ex)
        alpha = ex / den[dst]
        out = torch.zeros(n, nh, per).index_add_(0, dst, z[src] * alpha[:, :, None])
        out = out.reshape(n, nh * per) if concat else out.mean(1)
        return out + bias

    def loss_fn():
        h = F.elu(layer(x, *params[:4], heads, hid, True))
        out = layer(h, *params[4:], 1, c, False)
        return F.cross_entropy(out[train], y[train])

    return adam_steps(params, init, r["lr"], r["epochs"], loss_fn)


OPS = {"mlp": op_mlp, "cnn": op_cnn, "matmul": op_matmul, "ntk": op_ntk, "quantum": op_quantum, "gcn": op_gcn, "pinn": op_pinn, "packed4": op_packed4, "views16": op_views16, "gat": op_gat}
OPS.update(SOLVER_OPS)  # kdv, cavity, kan, spmm (bench/pytorch/solvers.py)


def describe():
    info = threadpool_info()
    blas = [i for i in info if i.get("user_api") == "blas"]
    return {
        "ready": True,
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "numpy": np.__version__,
        "blas": [
            {k: i.get(k) for k in ("internal_api", "version", "architecture", "threading_layer", "num_threads")}
            for i in blas
        ],
        "openblas": any(i.get("internal_api") == "openblas" for i in blas),
        "env": {
            k: os.environ.get(k)
            for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS", "OMP_WAIT_POLICY")
        },
    }


def main():
    # numpy's BLAS is loaded lazily by some builds; one tiny product makes threadpoolctl see it.
    np.ones((2, 2)) @ np.ones((2, 2))
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    print(json.dumps(describe()), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        try:
            threads = int(r.get("threads", 1))
            torch.set_num_threads(threads)
            with threadpool_limits(limits=threads):
                out = OPS[r["op"]](r)
            out["threads"] = threads
        except Exception as err:  # reported to the caller, which prints it in the table
            out = {"error": f"{type(err).__name__}: {err}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
