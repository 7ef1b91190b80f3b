import type { Csr } from '../graph/graph.js';

/**
 * How a row of `C = A·B` is accumulated (Gustavson's row-wise product):
 * - `hash`: an open-addressing table sized to the row's products (SMASH; Nagasaka et al.), then the row's
 *   columns sorted — cost ∝ products + nnz·log nnz;
 * - `dense`: a dense accumulator as wide as `B` (values + occupancy flags), read back by scanning every
 *   column — cost ∝ products + columns;
 * - `sort`: expand–sort–compress (ESC): all products of the row sorted by column, then merged — cost ∝
 *   products·log products.
 * All three add a column's products in the same order, so their results are bit-identical.
 */
export type Accumulator = 'hash' | 'dense' | 'sort';

class Growable {
  cols: Int32Array;
  vals: Float32Array;
  size = 0;
  constructor(capacity: number) {
    this.cols = new Int32Array(Math.max(16, capacity));
    this.vals = new Float32Array(this.cols.length);
  }
  reserve(extra: number): void {
    if (this.size + extra <= this.cols.length) return;
    let cap = this.cols.length * 2;
    while (cap < this.size + extra) cap *= 2;
    const c = new Int32Array(cap);
    const v = new Float32Array(cap);
    c.set(this.cols.subarray(0, this.size));
    v.set(this.vals.subarray(0, this.size));
    this.cols = c;
    this.vals = v;
  }
}

function checkShapes(a: Csr, b: Csr): void {
  if (a.cols !== b.rows)
    throw new RangeError(
      `spgemm: A is ${a.rows}×${a.cols} but B is ${b.rows}×${b.cols}; A.cols must equal B.rows`,
    );
}

/** Multiply–add count of each row of `A·B`: Σ_{k ∈ row i of A} nnz(row k of B). */
export function rowProducts(a: Csr, b: Csr): Float64Array {
  checkShapes(a, b);
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) out[i] = productsOfRow(a, b, i);
  return out;
}

/** Multiply–add count of row `i` of `A·B`. */
function productsOfRow(a: Csr, b: Csr, i: number): number {
  let s = 0;
  for (let p = a.rowPtr[i]!; p < a.rowPtr[i + 1]!; p++) {
    const k = a.colIdx[p]!;
    s += b.rowPtr[k + 1]! - b.rowPtr[k]!;
  }
  return s;
}

/**
 * Row-wise sparse × sparse product `C = A·B` with the chosen accumulator; columns of every output row are
 * sorted. With `rows`, only those rows of A are multiplied (C then has one row per entry of `rows`).
 */
export function spgemm(a: Csr, b: Csr, accumulator: Accumulator, o: { rows?: ArrayLike<number> } = {}): Csr {
  checkShapes(a, b);
  const rows = o.rows ?? null;
  const nRows = rows ? rows.length : a.rows;
  // Grows by doubling: a modest start keeps small row sets from paying for a large zeroed buffer.
  const out = new Growable(Math.min(a.rowPtr[a.rows]! * 4, 1 << 16));
  const rowPtr = new Int32Array(nRows + 1);
  const row =
    accumulator === 'hash' ? hashRow(b.cols) : accumulator === 'dense' ? denseRow(b.cols) : sortRow();
  for (let r = 0; r < nRows; r++) {
    const i = rows ? rows[r]! : r;
    row(a, b, i, out);
    rowPtr[r + 1] = out.size;
  }
  return {
    rows: nRows,
    cols: b.cols,
    rowPtr,
    colIdx: out.cols.slice(0, out.size),
    values: out.vals.slice(0, out.size),
  };
}

type RowKernel = (a: Csr, b: Csr, i: number, out: Growable) => void;

function hashRow(_cols: number): RowKernel {
  let keys = new Int32Array(64).fill(-1);
  let vals = new Float32Array(64);
  let found = new Int32Array(64);
  return (a, b, i, out) => {
    const products = productsOfRow(a, b, i);
    if (products === 0) return;
    let bits = 4;
    while (1 << bits < 2 * products) bits++;
    const size = 1 << bits;
    if (keys.length < size) {
      keys = new Int32Array(size).fill(-1);
      vals = new Float32Array(size);
    }
    if (found.length < products) found = new Int32Array(Math.max(products, found.length * 2));
    const mask = size - 1;
    const shift = 32 - bits;
    let nnz = 0;
    for (let p = a.rowPtr[i]!; p < a.rowPtr[i + 1]!; p++) {
      const k = a.colIdx[p]!;
      const av = a.values[p]!;
      for (let q = b.rowPtr[k]!; q < b.rowPtr[k + 1]!; q++) {
        const c = b.colIdx[q]!;
        let h = Math.imul(c, 0x9e3779b1) >>> shift;
        for (;;) {
          const key = keys[h]!;
          if (key === c) {
            vals[h]! += av * b.values[q]!;
            break;
          }
          if (key === -1) {
            keys[h] = c;
            vals[h] = av * b.values[q]!;
            found[nnz++] = c;
            break;
          }
          h = (h + 1) & mask;
        }
      }
    }
    const cols = found.subarray(0, nnz).sort();
    out.reserve(nnz);
    for (let t = 0; t < nnz; t++) {
      const c = cols[t]!;
      let h = Math.imul(c, 0x9e3779b1) >>> shift;
      while (keys[h] !== c) h = (h + 1) & mask;
      out.cols[out.size] = c;
      out.vals[out.size++] = vals[h]!;
      keys[h] = -1;
    }
  };
}

function denseRow(cols: number): RowKernel {
  const vals = new Float32Array(cols);
  const flags = new Uint8Array(cols);
  return (a, b, i, out) => {
    let nnz = 0;
    for (let p = a.rowPtr[i]!; p < a.rowPtr[i + 1]!; p++) {
      const k = a.colIdx[p]!;
      const av = a.values[p]!;
      for (let q = b.rowPtr[k]!; q < b.rowPtr[k + 1]!; q++) {
        const c = b.colIdx[q]!;
        if (flags[c]) vals[c]! += av * b.values[q]!;
        else {
          flags[c] = 1;
          vals[c] = av * b.values[q]!;
          nnz++;
        }
      }
    }
    if (nnz === 0) return;
    out.reserve(nnz);
    for (let c = 0; c < cols; c++)
      if (flags[c]) {
        out.cols[out.size] = c;
        out.vals[out.size++] = vals[c]!;
        flags[c] = 0;
      }
  };
}

function sortRow(): RowKernel {
  let keys = new Float64Array(64);
  let prods = new Float64Array(64);
  return (a, b, i, out) => {
    const products = productsOfRow(a, b, i);
    if (products === 0) return;
    if (keys.length < products) {
      keys = new Float64Array(products * 2);
      prods = new Float64Array(products * 2);
    }
    // Key = column·products + position: sorting keeps each column's products in encounter order.
    let t = 0;
    for (let p = a.rowPtr[i]!; p < a.rowPtr[i + 1]!; p++) {
      const k = a.colIdx[p]!;
      const av = a.values[p]!;
      for (let q = b.rowPtr[k]!; q < b.rowPtr[k + 1]!; q++) {
        keys[t] = b.colIdx[q]! * products + t;
        prods[t] = av * b.values[q]!;
        t++;
      }
    }
    const sorted = keys.subarray(0, products).sort();
    out.reserve(products);
    let last = -1;
    for (let s = 0; s < products; s++) {
      const key = sorted[s]!;
      const c = Math.floor(key / products);
      const v = prods[key - c * products]!;
      if (c === last) out.vals[out.size - 1]! += v;
      else {
        out.cols[out.size] = c;
        out.vals[out.size++] = v;
        last = c;
      }
    }
  };
}
