"""numpy / PyTorch twins of paperlab's solver, KAN and SpMM workloads (issues 11 and 13) for the `pytorch` suite.

Merged into reference.py's OPS. Every op reads its inputs from the files bench/src/suites/pytorchSolvers.mjs writes
(raw little-endian arrays), times only the computation and replies {"ms", "cpuMs", ...}; results the JS side checks
are written to the request's `output` file or returned in the reply.
"""

import time

import numpy as np
import torch
import torch.nn.functional as F


def _clock():
    t0, c0 = time.perf_counter(), time.process_time()
    return lambda: ((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000)


# --- KdV: Fourier pseudo-spectral + ETDRK4 (Kassam & Trefethen 2005), the numpy way --------------------------------


def etdrk4_coefficients(lin, h, m=64):
    """E, E2, Q, f1, f2, f3 of ETDRK4 for the diagonal linear operator `lin`: φ-functions as the mean over the M points
    θ_j = 2π(j − ½)/M, j = 1…M, of the unit circle around each h·L. (solveKdv averages the upper 32 of these points;
    with its complex FFT and real parts, the real solution it carries sees the mean over all 64, as here.)"""
    hl = h * lin
    r = np.exp(2j * np.pi * (np.arange(1, m + 1) - 0.5) / m)
    z = hl[:, None] + r[None, :]
    ez = np.exp(z)
    q = h * np.mean((np.exp(z / 2) - 1) / z, axis=1)
    f1 = h * np.mean((-4 - z + ez * (4 - 3 * z + z * z)) / z**3, axis=1)
    f2 = h * np.mean((2 + z + ez * (z - 2)) / z**3, axis=1)
    f3 = h * np.mean((-4 - 3 * z - z * z + ez * (4 - z)) / z**3, axis=1)
    return np.exp(hl), np.exp(hl / 2), q, f1, f2, f3


def kdv_etdrk4(u0, delta, length, dt, steps, dealias=True):
    """u after `steps` ETDRK4 steps of u_t + u·u_x + δ²·u_xxx = 0 on a periodic grid (rfft: u is real)."""
    n = u0.shape[0]
    j = np.arange(n // 2 + 1)
    k = 2 * np.pi / length * j
    lin = 1j * delta * delta * k**3
    e, e2, q, f1, f2, f3 = etdrk4_coefficients(lin, dt)
    g = -0.5j * k
    if dealias:
        g[j >= (2 / 3) * (n / 2)] = 0  # 2/3 rule
    fft, ifft = np.fft.rfft, np.fft.irfft

    def nonlinear(v):
        return g * fft(ifft(v, n) ** 2)

    v = fft(u0)
    for _ in range(steps):
        nv = nonlinear(v)
        a = e2 * v + q * nv
        na = nonlinear(a)
        b = e2 * v + q * na
        nb = nonlinear(b)
        c = e2 * a + q * (2 * nb - nv)
        nc = nonlinear(c)
        v = e * v + f1 * nv + 2 * f2 * (na + nb) + f3 * nc
    return ifft(v, n)


def op_kdv(r):
    """The KdV soliton run of solveKdv in numpy: same n, dt, steps and 2/3 dealiasing; u(T) to `output` (float64)."""
    u0 = np.fromfile(r["u0"], dtype=np.float64, count=r["n"])
    done = _clock()
    u = kdv_etdrk4(u0, r["delta"], r["length"], r["dt"], r["steps"])
    ms, cpu = done()
    u.astype(np.float64).tofile(r["output"])
    return {"ms": ms, "cpuMs": cpu}


# --- Lid-driven cavity: stream function / vorticity, red-black ordering --------------------------------------------


def _colour(n, c):
    """The interior nodes (j, i), 1 ≤ i, j < n, with (i + j) % 2 == c, as two strided sub-lattices, each with its
    four neighbour sub-lattices: (centre, east, west, north, south) index pairs."""
    a, b = slice(1, n, 2), slice(2, n, 2)

    def sh(s, d):
        return slice(s.start + d, s.stop + d, 2)

    blocks = [(a, a), (b, b)] if c == 0 else [(a, b), (b, a)]
    return [((sj, si), (sj, sh(si, 1)), (sj, sh(si, -1)), (sh(sj, 1), si), (sh(sj, -1), si)) for sj, si in blocks]


def cavity_level(n, re, psi, om, tol, max_sweeps, poisson_sweeps, relax):
    """One grid level of solveCavity's iteration, vectorised by red-black ordering: SOR for ∇²ψ = −ω, Thom's wall
    vorticity, then the deferred-correction upwind update of ω relaxed by `relax`; stops when the largest ω change of
    a sweep is ≤ tol·max|ω|. Returns (sweeps, converged)."""
    h = 1.0 / n
    h2 = h * h
    rh = re * h
    w = 2 / (1 + np.sin(np.pi / n))
    lid = np.ones(n - 1)  # uniform lid, u = 1
    colours = [_colour(n, 0), _colour(n, 1)]
    for sweep in range(1, max_sweeps + 1):
        for _ in range(poisson_sweeps):
            for blocks in colours:
                for c, e, wst, nth, sth in blocks:
                    p = psi[c]
                    gs = 0.25 * (psi[e] + psi[wst] + psi[nth] + psi[sth] + h2 * om[c])
                    p += w * (gs - p)
        om[0, 1:n] = -2 * psi[1, 1:n] / h2
        om[n, 1:n] = -2 * psi[n - 1, 1:n] / h2 - 2 * lid / h
        om[1:n, 0] = -2 * psi[1:n, 1] / h2
        om[1:n, n] = -2 * psi[1:n, n - 1] / h2
        change = 0.0
        scale = 0.0
        for blocks in colours:
            for c, e, wst, nth, sth in blocks:
                u = (psi[nth] - psi[sth]) / (2 * h)
                v = (psi[wst] - psi[e]) / (2 * h)
                up, um = np.maximum(u, 0), np.minimum(u, 0)
                vp, vm = np.maximum(v, 0), np.minimum(v, 0)
                we, ww, wn, ws = om[e], om[wst], om[nth], om[sth]
                wp = om[c]
                # central minus upwind convection at the current iterate (deferred correction)
                dc = (
                    u * (we - ww) * 0.5
                    - (up * (wp - ww) + um * (we - wp))
                    + v * (wn - ws) * 0.5
                    - (vp * (wp - ws) + vm * (wn - wp))
                )
                nxt = (we * (1 - rh * um) + ww * (1 + rh * up) + wn * (1 - rh * vm) + ws * (1 + rh * vp) - rh * dc) / (
                    4 + rh * (np.abs(u) + np.abs(v))
                )
                step = relax * (nxt - wp)
                change = max(change, float(np.abs(step).max()))
                wp += step
                scale = max(scale, float(np.abs(wp).max()))
        if change <= tol * max(scale, 1e-30):
            return sweep, True
    return max_sweeps, False


def _refine(n, f):
    """Bilinear prolongation from an (n + 1)² grid to a (2n + 1)² grid (as solveCavity's)."""
    big = np.arange(2 * n + 1)
    lo = big // 2
    hi = np.minimum(lo + (big & 1), n)
    return 0.25 * (f[np.ix_(lo, lo)] + f[np.ix_(lo, hi)] + f[np.ix_(hi, lo)] + f[np.ix_(hi, hi)])


def op_cavity(r):
    """Steady cavity at Re on n cells, coarse-to-fine from n/8 as solveCavity (tolerance ×100 on coarse levels);
    replies the fine-grid sweeps and u(0.5, y_j) on the grid's nodes."""
    n, re, tol = r["n"], r["re"], r["tol"]
    max_sweeps, poisson, relax = r["maxSweeps"], r["poissonSweeps"], r["relax"]
    done = _clock()
    level = max(8, n // 8)
    psi = np.zeros((level + 1, level + 1))
    om = np.zeros((level + 1, level + 1))
    while True:
        sweeps, converged = cavity_level(level, re, psi, om, tol if level == n else tol * 100, max_sweeps, poisson, relax)
        if level == n:
            break
        psi, om = _refine(level, psi), _refine(level, om)
        level *= 2
    ms, cpu = done()
    h = 1.0 / n
    c = n // 2
    u = np.zeros(n + 1)
    u[1:n] = (psi[2:, c] - psi[:-2, c]) / (2 * h)
    u[n] = 1.0
    return {"ms": ms, "cpuMs": cpu, "sweeps": sweeps, "converged": converged, "u": u.tolist()}


# --- KAN: efficient-kan's B-spline layer ---------------------------------------------------------------------------


class KanLinear(torch.nn.Module):
    """efficient-kan's KANLinear without the standalone spline scaler: silu(x)·Wᵀ + B(x)·Cᵀ, B by Cox–de Boor in
    torch ops on the uniform knot grid lo + (i − order)·h, i = 0 … grid + 2·order."""

    def __init__(self, base, coef, grid, order, lo, hi):
        super().__init__()
        fin, fout = base.shape
        count = grid + order
        h = (hi - lo) / grid
        knots = torch.arange(-order, grid + order + 1, dtype=torch.float32) * h + lo
        self.register_buffer("grid", knots.expand(fin, -1).contiguous())
        self.order = order
        self.base_weight = torch.nn.Parameter(base.t().contiguous())  # [out, in]
        self.spline_weight = torch.nn.Parameter(coef.t().reshape(fout, fin, count).contiguous())  # [out, in, count]

    def b_splines(self, x):
        g = self.grid
        x = x.unsqueeze(-1)
        bases = ((x >= g[:, :-1]) & (x < g[:, 1:])).to(x.dtype)
        for k in range(1, self.order + 1):
            bases = (x - g[:, : -(k + 1)]) / (g[:, k:-1] - g[:, : -(k + 1)]) * bases[:, :, :-1] + (
                g[:, k + 1 :] - x
            ) / (g[:, k + 1 :] - g[:, 1:(-k)]) * bases[:, :, 1:]
        return bases

    def forward(self, x):
        base = F.linear(F.silu(x), self.base_weight)
        spline = F.linear(self.b_splines(x).reshape(x.shape[0], -1), self.spline_weight.reshape(self.spline_weight.shape[0], -1))
        return base + spline


def op_kan(r):
    """`reps` forward + backward passes (MSE loss, gradient w.r.t. every weight) of a B-spline KAN of widths `widths`
    with the caller's weights; ms per pass; the last output, then every gradient in paperlab's layout, to `output`."""
    widths, batch, grid, order, lo, hi = r["widths"], r["batch"], r["grid"], r["order"], r["lo"], r["hi"]
    count = grid + order
    flat = torch.from_numpy(np.fromfile(r["weights"], dtype=np.float32))
    layers, off = [], 0
    for fin, fout in zip(widths[:-1], widths[1:]):
        base = flat[off : off + fin * fout].reshape(fin, fout)
        off += fin * fout
        coef = flat[off : off + fin * count * fout].reshape(fin * count, fout)
        off += fin * count * fout
        layers.append(KanLinear(base, coef, grid, order, lo, hi))
    model = torch.nn.Sequential(*layers)
    x = torch.from_numpy(np.fromfile(r["x"], dtype=np.float32, count=batch * widths[0]).reshape(batch, widths[0]))
    y = torch.from_numpy(np.fromfile(r["y"], dtype=np.float32, count=batch * widths[-1]).reshape(batch, widths[-1]))
    reps = r["reps"]
    done = _clock()
    for _ in range(reps):
        model.zero_grad(set_to_none=True)
        out = model(x)
        loss = F.mse_loss(out, y)
        loss.backward()
    ms, cpu = done()
    parts = [out.detach().reshape(-1)]
    for layer in layers:
        fout, fin, _ = layer.spline_weight.shape
        parts.append(layer.base_weight.grad.t().reshape(-1))
        parts.append(layer.spline_weight.grad.reshape(fout, fin * count).t().reshape(-1))
    torch.cat(parts).numpy().astype(np.float32).tofile(r["output"])
    return {"ms": ms / reps, "cpuMs": cpu / reps, "loss": float(loss)}


# --- SpMM: torch.sparse.mm -----------------------------------------------------------------------------------------


def op_spmm(r):
    """`reps` products A·X with A [rows, cols] from the caller's CSR (as a coalesced COO tensor, torch.sparse.mm's
    usual input) and X [cols, f]; ms per product; the last product to `output`."""
    rows, cols, nnz, f = r["rows"], r["cols"], r["nnz"], r["f"]
    row_ptr = np.fromfile(r["rowPtr"], dtype=np.int32, count=rows + 1)
    col = np.fromfile(r["colIdx"], dtype=np.int32, count=nnz).astype(np.int64)
    val = np.fromfile(r["values"], dtype=np.float32, count=nnz)
    row = np.repeat(np.arange(rows, dtype=np.int64), np.diff(row_ptr))
    a = torch.sparse_coo_tensor(torch.from_numpy(np.stack([row, col])), torch.from_numpy(val), (rows, cols)).coalesce()
    x = torch.from_numpy(np.fromfile(r["x"], dtype=np.float32, count=cols * f).reshape(cols, f))
    out = torch.sparse.mm(a, x)
    reps = r["reps"]
    done = _clock()
    for _ in range(reps):
        out = torch.sparse.mm(a, x)
    ms, cpu = done()
    out.numpy().astype(np.float32).tofile(r["output"])
    return {"ms": ms / reps, "cpuMs": cpu / reps}


OPS = {"kdv": op_kdv, "cavity": op_cavity, "kan": op_kan, "spmm": op_spmm}
