/** A dense row-major Float64 matrix. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A zero matrix. */
export function zeros(rows: number, cols: number): Mat {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** The identity matrix. */
export function eye(n: number): Mat {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** Wraps (and copies to Float64) row-major values. */
export function matFrom(rows: number, cols: number, values: ArrayLike<number>): Mat {
  if (values.length !== rows * cols)
    throw new Error(`matFrom: ${values.length} values for a ${rows}×${cols} matrix`);
  return { rows, cols, data: Float64Array.from(values) };
}

/** Builds a matrix from nested arrays. */
export function matFromRows(rows: number[][]): Mat {
  const r = rows.length;
  const c = rows[0]?.length ?? 0;
  const m = zeros(r, c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new Error('matFromRows: ragged rows');
    m.data.set(row, i * c);
  });
  return m;
}

/** Element (i, j). */
export function at(m: Mat, i: number, j: number): number {
  return m.data[i * m.cols + j]!;
}

/** Transpose. */
export function transpose(m: Mat): Mat {
  const out = zeros(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j]!;
  return out;
}

/** Matrix product A·B (i-k-j loop order for cache friendliness). */
export function matmul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new Error(`matmul: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  const out = zeros(a.rows, b.cols);
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    const oi = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k]!;
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) out.data[oi + j]! += aik * b.data[bk + j]!;
    }
  }
  return out;
}

/** Matrix–vector product. */
export function matvec(a: Mat, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const o = i * a.cols;
    for (let j = 0; j < a.cols; j++) s += a.data[o + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/** A + s·I (copy). */
export function addDiagonal(a: Mat, s: number): Mat {
  const out = { rows: a.rows, cols: a.cols, data: a.data.slice() };
  for (let i = 0; i < Math.min(a.rows, a.cols); i++) out.data[i * a.cols + i]! += s;
  return out;
}

/** Frobenius norm. */
export function frobenius(a: Mat | ArrayLike<number>): number {
  const d = 'data' in a ? a.data : a;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return Math.sqrt(s);
}

/** ‖A − B‖_F. */
export function frobeniusDiff(a: Mat | ArrayLike<number>, b: Mat | ArrayLike<number>): number {
  const x = 'data' in a ? a.data : a;
  const y = 'data' in b ? b.data : b;
  if (x.length !== y.length) throw new Error('frobeniusDiff: size mismatch');
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Symmetrises in place: (A + Aᵀ)/2. */
export function symmetrize(a: Mat): Mat {
  const n = a.rows;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (a.data[i * n + j]! + a.data[j * n + i]!);
      a.data[i * n + j] = v;
      a.data[j * n + i] = v;
    }
  }
  return a;
}

/** Sub-block rows [r0,r1) × cols [c0,c1). */
export function block(a: Mat, r0: number, r1: number, c0: number, c1: number): Mat {
  const out = zeros(r1 - r0, c1 - c0);
  for (let i = r0; i < r1; i++)
    out.data.set(a.data.subarray(i * a.cols + c0, i * a.cols + c1), (i - r0) * out.cols);
  return out;
}
